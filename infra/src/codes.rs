//! Random codes from the operating system's CSPRNG (through `rand`'s thread generator,
//! which is seeded from it).

use rand::Rng as _;

use benefits_domain::partner::ports::CodeGenerator;

/// Digits in a discount code: 10^16 ≈ 2^53 possibilities, against at most a few
/// thousand live codes and rate-limited guessing.
const DISCOUNT_CODE_DIGITS: usize = 16;

/// The production code generator.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomCodes;

impl CodeGenerator for RandomCodes {
    fn discount_code(&self) -> String {
        let mut rng = rand::thread_rng();
        (0..DISCOUNT_CODE_DIGITS)
            .map(|_| char::from(b'0' + rng.gen_range(0..10)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sixteen_digits_and_differ() {
        let a = RandomCodes.discount_code();
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_digit()));
        assert_ne!(a, RandomCodes.discount_code());
    }
}
