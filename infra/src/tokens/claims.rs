//! Where a verified token names its caller: the role is the first of `CUSTOMER`,
//! `PARTNER_STORE`, `AGENT`, `ADMIN` found at a dotted claim path (a string or an array
//! of strings, as identity providers nest roles: `realm_access.roles`), the subject a
//! non-empty string at another. The service's own tokens use `role` and `sub`.

use serde_json::Value;

use benefits_domain::auth::{Principal, Role};

/// The roles in the order they are looked for: the least privileged first.
const ROLES: [Role; 4] = [Role::Customer, Role::PartnerStore, Role::Agent, Role::Admin];

/// The claim paths of a token's role and subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPaths {
    role: Vec<String>,
    subject: Vec<String>,
}

impl ClaimPaths {
    /// `role` and `subject` are dotted paths into the claims (`realm_access.roles`).
    pub fn new(role: &str, subject: &str) -> Self {
        let split = |path: &str| path.split('.').map(str::to_owned).collect();
        Self {
            role: split(role),
            subject: split(subject),
        }
    }

    /// The service's own tokens: `role` and `sub`.
    pub fn own() -> Self {
        Self::new("role", "sub")
    }

    /// The caller these claims name, if they name a role and a subject.
    pub fn principal(&self, claims: &Value) -> Option<Principal> {
        Some(Principal {
            role: self.role(claims)?,
            subject: self.subject(claims)?,
        })
    }

    fn role(&self, claims: &Value) -> Option<Role> {
        let found: Vec<&str> = match at(claims, &self.role)? {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        ROLES
            .into_iter()
            .find(|role| found.contains(&role.as_str()))
    }

    fn subject(&self, claims: &Value) -> Option<String> {
        at(claims, &self.subject)?
            .as_str()
            .filter(|subject| !subject.is_empty())
            .map(str::to_owned)
    }
}

fn at<'a>(claims: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(claims, |value, name| value.get(name))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_role_is_found_in_a_nested_array_least_privileged_first() {
        let paths = ClaimPaths::new("realm_access.roles", "sub");
        let claims = json!({ "sub": "agent-7", "realm_access": { "roles": ["offline_access", "ADMIN", "AGENT"] } });
        assert_eq!(
            paths.principal(&claims),
            Some(Principal {
                role: Role::Agent,
                subject: "agent-7".into()
            })
        );
    }

    #[test]
    fn a_role_may_be_one_string_and_the_subject_another_claim() {
        let paths = ClaimPaths::new("app.role", "customer_id");
        let claims = json!({ "sub": "x", "customer_id": "C-1001", "app": { "role": "CUSTOMER" } });
        let principal = paths.principal(&claims).unwrap();
        assert_eq!(principal.role, Role::Customer);
        assert_eq!(principal.subject, "C-1001");
    }

    #[test]
    fn no_known_role_or_no_subject_names_nobody() {
        let paths = ClaimPaths::own();
        assert_eq!(
            paths.principal(&json!({ "sub": "a", "role": "ROOT" })),
            None
        );
        assert_eq!(
            paths.principal(&json!({ "sub": "a", "role": "admin" })),
            None
        );
        assert_eq!(paths.principal(&json!({ "sub": "a", "role": 3 })), None);
        assert_eq!(
            paths.principal(&json!({ "sub": "", "role": "ADMIN" })),
            None
        );
        assert_eq!(paths.principal(&json!({ "role": "ADMIN" })), None);
    }
}
