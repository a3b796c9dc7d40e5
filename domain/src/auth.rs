//! Who is calling: the verified identity a request carries, and its role.

use std::fmt;
use std::str::FromStr;

/// The four roles of the program (least privilege: each sees only what it needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Customer,
    PartnerStore,
    Agent,
    Admin,
}

impl Role {
    /// The role's name as it appears in tokens and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "CUSTOMER",
            Self::PartnerStore => "PARTNER_STORE",
            Self::Agent => "AGENT",
            Self::Admin => "ADMIN",
        }
    }

    /// Staff are agents and admins: their reads of personal data are audited.
    pub fn is_staff(self) -> bool {
        matches!(self, Self::Agent | Self::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of the four.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected CUSTOMER, PARTNER_STORE, AGENT or ADMIN")]
pub struct UnknownRole(String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "CUSTOMER" => Ok(Self::Customer),
            "PARTNER_STORE" => Ok(Self::PartnerStore),
            "AGENT" => Ok(Self::Agent),
            "ADMIN" => Ok(Self::Admin),
            _ => Err(UnknownRole(s.to_owned())),
        }
    }
}

/// A caller whose token has been verified.
///
/// `subject` is the token's `sub`: the customer's external id for a customer, the
/// store's external id for a partner store, the staff member's id otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    pub subject: String,
}

impl Principal {
    /// The customer's external id when the caller is a customer.
    pub fn customer_external_id(&self) -> Option<&str> {
        (self.role == Role::Customer).then_some(self.subject.as_str())
    }

    /// The store's external id when the caller is a partner store.
    pub fn store_external_id(&self) -> Option<&str> {
        (self.role == Role::PartnerStore).then_some(self.subject.as_str())
    }
}

/// A verified caller and where the request came from, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub principal: Principal,
    pub source_address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names_in_any_case() {
        assert_eq!("partner_store".parse::<Role>().unwrap(), Role::PartnerStore);
        assert_eq!("ADMIN".parse::<Role>().unwrap(), Role::Admin);
        assert!("ROOT".parse::<Role>().is_err());
    }

    #[test]
    fn only_agents_and_admins_are_staff() {
        assert!(Role::Agent.is_staff() && Role::Admin.is_staff());
        assert!(!Role::Customer.is_staff() && !Role::PartnerStore.is_staff());
    }
}
