//! Validated value types for customer data: constructed only through `parse`.

use std::fmt;

/// An identifier from the operator's systems (`C-1001`, `L-1001-1`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalId(String);

impl ExternalId {
    const MAX_LEN: usize = 64;

    /// Accepts 1 to 64 letters, digits and `-_.:`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() || raw.len() > Self::MAX_LEN {
            return Err(format!("must be 1 to {} characters", Self::MAX_LEN));
        }
        if !raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        {
            return Err("may hold only letters, digits and - _ . :".to_owned());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's or company's name. Its `Debug` form is masked so it never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    const MAX_CHARS: usize = 100;

    /// Trims the name; refuses an empty one, one over 100 characters, or control characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".to_owned());
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("must not contain control characters".to_owned());
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an account holder's name is this name, ignoring case and spacing.
    pub fn matches(&self, other: &str) -> bool {
        let normalise = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
        normalise(&self.0) == normalise(other)
    }

    /// The name with all but each word's first letter masked.
    pub fn masked(&self) -> String {
        crate::masking::mask_name(&self.0)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_ids_refuse_spaces_and_empty_strings() {
        assert!(ExternalId::parse("C-1001").is_ok());
        assert!(ExternalId::parse("").is_err());
        assert!(ExternalId::parse("C 1001").is_err());
        assert!(ExternalId::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_never_printed_in_debug_output() {
        let name = PersonName::parse("  Kim Minji ").unwrap();
        assert_eq!(name.as_str(), "Kim Minji");
        assert!(!format!("{name:?}").contains("Minji"));
    }

    #[test]
    fn account_holders_match_ignoring_case_and_spaces() {
        let name = PersonName::parse("Kim Minji").unwrap();
        assert!(name.matches("KIM  MINJI"));
        assert!(name.matches("kimminji"));
        assert!(!name.matches("Kim Minsu"));
    }
}
