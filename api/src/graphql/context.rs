//! What a resolver knows about the request it serves.

use async_graphql::Context;

use benefits_domain::auth::Caller;

use super::ApiError;
use crate::app::App;

/// Per-request data: the verified caller.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub caller: Caller,
}

/// The service parts and the caller of a resolver's request.
pub(super) fn parts<'a>(ctx: &Context<'a>) -> Result<(&'a App, &'a Caller), ApiError> {
    let app = ctx
        .data::<App>()
        .map_err(|_| ApiError::internal("the schema has no App"))?;
    let request = ctx
        .data::<RequestContext>()
        .map_err(|_| ApiError::unauthenticated())?;
    Ok((app, &request.caller))
}
