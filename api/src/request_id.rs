//! The id of the request being served: taken from `X-Request-Id` when the caller (or
//! the ingress) sent a sensible one, else made here. It is returned on every response,
//! is a field of the request's span (so of every log line inside it), and is the
//! correlation id an `INTERNAL` error quotes.

use std::sync::Arc;

tokio::task_local! {
    static CURRENT: RequestId;
}

/// The longest request id accepted from a caller.
const MAX_LENGTH: usize = 128;

/// A request's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// The caller's id when it is 1 to 128 characters of letters, digits and `-_.:`
    /// (nothing that could forge a log line), else a fresh one.
    pub fn from_header(value: Option<&str>) -> Self {
        match value {
            Some(id)
                if !id.is_empty()
                    && id.len() <= MAX_LENGTH
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)) =>
            {
                Self(Arc::from(id))
            }
            _ => Self::fresh(),
        }
    }

    /// A new random id.
    pub fn fresh() -> Self {
        Self(Arc::from(uuid::Uuid::new_v4().simple().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Runs `work` as the request with this id.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        CURRENT.scope(self, work).await
    }

    /// The id of the request this task serves, if it serves one.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Clone::clone).ok()
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sensible_caller_id_is_kept_and_anything_else_replaced() {
        assert_eq!(
            RequestId::from_header(Some("req-42.a:b_c")).as_str(),
            "req-42.a:b_c"
        );
        for refused in ["", "two words", "line\nbreak", &"x".repeat(129), "café"] {
            let id = RequestId::from_header(Some(refused));
            assert_ne!(id.as_str(), refused);
            assert_eq!(id.as_str().len(), 32);
        }
        assert_eq!(RequestId::from_header(None).as_str().len(), 32);
    }

    #[tokio::test]
    async fn the_current_id_is_the_scope_s() {
        assert_eq!(RequestId::current(), None);
        let id = RequestId::fresh();
        let seen = id.clone().scope(async { RequestId::current() }).await;
        assert_eq!(seen, Some(id));
    }
}
