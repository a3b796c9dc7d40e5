//! Random codes from the operating system's CSPRNG (through `rand`'s thread generator,
//! which is seeded from it).

use rand::Rng as _;

use benefits_domain::partner::ports::CodeGenerator;

/// Digits in a discount code: 10^16 ≈ 2^53 possibilities, against at most a few
/// thousand live codes and rate-limited guessing.
const DISCOUNT_CODE_DIGITS: usize = 16;

/// Crockford's base32 alphabet: no I, L, O or U to misread.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in an OTT voucher code: 16 × 5 bits = 80 bits.
const VOUCHER_CHARACTERS: usize = 16;
/// Characters in an SMS reference: 8 × 5 bits = 40 bits.
const SMS_REFERENCE_CHARACTERS: usize = 8;

fn crockford(characters: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..characters)
        .map(|_| char::from(CROCKFORD[rng.gen_range(0..CROCKFORD.len())]))
        .collect()
}

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

    fn voucher_code(&self) -> String {
        crockford(VOUCHER_CHARACTERS)
    }

    fn sms_reference(&self) -> String {
        crockford(SMS_REFERENCE_CHARACTERS)
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

    #[test]
    fn sms_references_are_eight_crockford_characters() {
        let reference = RandomCodes.sms_reference();
        assert_eq!(reference.len(), 8);
        assert!(reference.bytes().all(|c| CROCKFORD.contains(&c)));
        assert_ne!(reference, RandomCodes.sms_reference());
    }

    #[test]
    fn vouchers_are_sixteen_crockford_characters() {
        let voucher = RandomCodes.voucher_code();
        assert_eq!(voucher.len(), 16);
        assert!(voucher.bytes().all(|c| CROCKFORD.contains(&c)));
        assert_ne!(voucher, RandomCodes.voucher_code());
    }
}
