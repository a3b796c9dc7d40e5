//! Rate limits per caller and operation, as guards:
//! `guard = "RoleGuard::new(..).and(RateLimit::per_minute(\"verifyDiscount\", 600))"`.
//! A refused call is `RATE_LIMITED` and counted as a security event.

use std::time::Duration;

use async_graphql::{Context, Guard};

use super::context::parts;
use super::{ApiError, ErrorCode};
use crate::app::App;

/// The limits' window.
pub const WINDOW: Duration = Duration::from_mins(1);
/// Unknown codes a store may verify per window before it is slowed down.
const UNKNOWN_CODES_PER_WINDOW: u64 = 20;

fn window_start(app: &App) -> i64 {
    let now = app.clock.now().timestamp();
    let length = i64::try_from(WINDOW.as_secs()).unwrap_or(60);
    now - now.rem_euclid(length)
}

fn limited(app: &App, operation: &str) -> ApiError {
    app.metrics.security_event("rate_limited", operation);
    ApiError::new(
        ErrorCode::RateLimited,
        format!("too many {operation} calls; try again in a minute"),
    )
}

/// Lets a caller make at most `limit` calls of `operation` per minute.
pub struct RateLimit {
    operation: &'static str,
    limit: u64,
}

impl RateLimit {
    pub fn per_minute(operation: &'static str, limit: u64) -> Self {
        Self { operation, limit }
    }
}

impl Guard for RateLimit {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let (app, caller) = parts(ctx)?;
        let key = format!(
            "{}:{}:{}",
            self.operation, caller.principal.role, caller.principal.subject
        );
        if app
            .rate_limiter
            .allow(&key, window_start(app), WINDOW, self.limit)
        {
            Ok(())
        } else {
            Err(limited(app, self.operation).into())
        }
    }
}

fn unknown_codes_key(store: &str) -> String {
    format!("unknown-codes:{store}")
}

/// A store that verified too many unknown codes this minute is refused until the
/// next one: guessing codes gets nowhere.
pub(super) fn refuse_guessing_store(app: &App, store: &str) -> Result<(), ApiError> {
    if app
        .rate_limiter
        .used(&unknown_codes_key(store), window_start(app), WINDOW)
        >= UNKNOWN_CODES_PER_WINDOW
    {
        return Err(limited(app, "unknown codes"));
    }
    Ok(())
}

/// Counts an unknown code verified by `store`.
pub(super) fn count_unknown_code(app: &App, store: &str) {
    app.metrics.security_event("unknown_code", "verify");
    let _within = app.rate_limiter.allow(
        &unknown_codes_key(store),
        window_start(app),
        WINDOW,
        UNKNOWN_CODES_PER_WINDOW,
    );
}
