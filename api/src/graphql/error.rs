//! The contract's error codes, and the one way a resolver refuses: an [`ApiError`]
//! whose `extensions.code` (and `extensions.reason` where a rule failed) clients act on.
//! Internal causes are logged under a correlation id and never returned.

use std::fmt;

use crate::request_id::RequestId;

/// `extensions.code` of a refused operation (contract.md, "Errors").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    NotEligible,
    WindowClosed,
    ChannelNotAllowed,
    AccountHolderMismatch,
    AlreadyApplied,
    CodeInvalid,
    CodeExpired,
    CodeUsed,
    LimitReached,
    BelowMinimum,
    IdempotencyConflict,
    RateLimited,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotEligible => "NOT_ELIGIBLE",
            Self::WindowClosed => "WINDOW_CLOSED",
            Self::ChannelNotAllowed => "CHANNEL_NOT_ALLOWED",
            Self::AccountHolderMismatch => "ACCOUNT_HOLDER_MISMATCH",
            Self::AlreadyApplied => "ALREADY_APPLIED",
            Self::CodeInvalid => "CODE_INVALID",
            Self::CodeExpired => "CODE_EXPIRED",
            Self::CodeUsed => "CODE_USED",
            Self::LimitReached => "LIMIT_REACHED",
            Self::BelowMinimum => "BELOW_MINIMUM",
            Self::IdempotencyConflict => "IDEMPOTENCY_CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
        }
    }
}

/// A refusal as the client sees it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub reason: Option<&'static str>,
    pub correlation_id: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            reason: None,
            correlation_id: None,
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorCode::Unauthenticated,
            "a valid bearer token is required",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "this role may not do this")
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadUserInput, message)
    }

    /// Logs `cause` with its whole chain under the request's id (a fresh id outside a
    /// request) and returns an error that carries only that id.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        let cause = cause.into();
        let correlation_id = RequestId::current()
            .unwrap_or_else(RequestId::fresh)
            .to_string();
        tracing::error!(correlation_id, error = %Chain(cause.as_ref()), "internal error");
        Self {
            code: ErrorCode::Internal,
            message: format!("internal error; quote correlation id {correlation_id}"),
            reason: None,
            correlation_id: Some(correlation_id),
        }
    }

    #[must_use]
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }
}

/// Prints an error with its sources: `outer: inner: root`.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        use async_graphql::ErrorExtensions as _;
        async_graphql::Error::new(error.message).extend_with(|_, extensions| {
            extensions.set("code", error.code.as_str());
            if let Some(reason) = error.reason {
                extensions.set("reason", reason);
            }
            if let Some(id) = error.correlation_id {
                extensions.set("correlationId", id);
            }
        })
    }
}

impl From<benefits_domain::error::Unexpected> for ApiError {
    fn from(error: benefits_domain::error::Unexpected) -> Self {
        Self::internal(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_internal_error_quotes_the_request_s_id() {
        let id = RequestId::from_header(Some("req-7"));
        let error = id
            .scope(async { ApiError::internal("the database went away") })
            .await;
        assert_eq!(error.correlation_id.as_deref(), Some("req-7"));
        assert!(error.message.contains("req-7"));
        assert!(!error.message.contains("database"));
        let outside = ApiError::internal("no request");
        assert_eq!(outside.correlation_id.map(|id| id.len()), Some(32));
    }
}
