//! Korean mobile numbers: one normal form for storage, lookup and display.

use std::fmt;

/// A Korean mobile number in its national form (`01012345678`).
///
/// Accepts `010-1234-5678`, `01012345678`, `+82 10-1234-5678` and `+821012345678`.
/// Its `Debug` form is masked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Normalises a number written with or without hyphens or spaces, or in +82 form.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '(' | ')' | '.'))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+82") {
            format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
        } else {
            compact
        };
        let valid = national.chars().all(|c| c.is_ascii_digit())
            && (10..=11).contains(&national.len())
            && national.starts_with("01");
        if valid {
            Ok(Self(national))
        } else {
            Err("is not a Korean mobile number (like 010-1234-5678)".to_owned())
        }
    }

    /// The digits only, as stored and hashed.
    pub fn digits(&self) -> &str {
        &self.0
    }

    fn groups(&self) -> (&str, &str, &str) {
        let split = self.0.len() - 4;
        (&self.0[..3], &self.0[3..split], &self.0[split..])
    }

    /// Hyphenated form for display: `010-1234-5678`.
    pub fn formatted(&self) -> String {
        let (prefix, middle, last) = self.groups();
        format!("{prefix}-{middle}-{last}")
    }

    /// Masked form for responses and logs: `010-****-5678`.
    pub fn masked(&self) -> String {
        let (prefix, middle, last) = self.groups();
        format!("{prefix}-{}-{last}", "*".repeat(middle.len()))
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_of_a_number_normalises_to_the_same_digits() {
        for raw in [
            "010-1234-5678",
            "01012345678",
            "+82 10-1234-5678",
            "+821012345678",
            "+82 010 1234 5678",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw).unwrap().digits(),
                "01012345678",
                "{raw}"
            );
        }
    }

    #[test]
    fn numbers_that_are_not_korean_mobiles_are_refused() {
        for raw in [
            "",
            "02-123-4567",
            "010-12a4-5678",
            "+1 555 123 4567",
            "010123",
        ] {
            assert!(PhoneNumber::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn a_number_is_shown_masked_except_its_prefix_and_last_four_digits() {
        let number = PhoneNumber::parse("010-1234-5678").unwrap();
        assert_eq!(number.masked(), "010-****-5678");
        assert_eq!(number.formatted(), "010-1234-5678");
        assert_eq!(
            PhoneNumber::parse("0111234567").unwrap().masked(),
            "011-***-4567"
        );
        assert!(!format!("{number:?}").contains("1234"));
    }
}
