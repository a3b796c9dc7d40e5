//! The short reference printed in every SMS, so a customer who doubts a text can check
//! it in the official app (or with an agent) against the texts they were really sent.
//!
//! Eight characters of Crockford's base32 (40 random bits), shown as `K7Q2-M9XD`: short
//! enough for a 90-byte SMS, and unguessable where it is checked, since a reference is
//! only ever looked up among one customer's own texts (a handful), at a rate-limited
//! pace: a guess hits with odds of about one in 10^11.

use std::fmt;

/// Crockford's base32 alphabet: no I, L, O or U to misread.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a reference.
pub const LENGTH: usize = 8;
/// The longest a reference is when printed (`XXXX-XXXX`).
pub const PRINTED_LENGTH: usize = LENGTH + 1;

/// An SMS reference in its normal form (eight upper-case Crockford characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SmsReference(String);

impl SmsReference {
    /// Reads a reference as a customer might type it: any case, with or without the
    /// hyphen or spaces, `O` for zero and `I` or `L` for one. `None` when it cannot be a
    /// reference the service printed.
    pub fn parse(raw: &str) -> Option<Self> {
        let normal: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let valid = normal.len() == LENGTH && normal.bytes().all(|byte| ALPHABET.contains(&byte));
        valid.then_some(Self(normal))
    }

    /// The normal form, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SmsReference {
    /// The printed form: `K7Q2-M9XD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..LENGTH / 2], &self.0[LENGTH / 2..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_reads_back_however_the_customer_types_it() {
        let printed = SmsReference::parse("K7Q2M9XD").unwrap();
        assert_eq!(printed.to_string(), "K7Q2-M9XD");
        assert_eq!(SmsReference::parse("k7q2-m9xd"), Some(printed.clone()));
        assert_eq!(SmsReference::parse(" K7Q2 M9XD "), Some(printed));
        assert_eq!(
            SmsReference::parse("1O1O-ILIL").map(|r| r.to_string()),
            Some("1010-1111".to_owned())
        );
    }

    #[test]
    fn anything_else_is_not_a_reference() {
        for raw in [
            "",
            "K7Q2-M9X",
            "K7Q2-M9XDD",
            "K7Q2-M9XU",
            "http://x",
            "한글한글한글한글",
        ] {
            assert_eq!(SmsReference::parse(raw), None, "{raw}");
        }
    }
}
