//! `POST /graphql`: verifies the bearer token before anything is parsed or executed,
//! then runs one (never a batch of) GraphQL request as the verified caller.

use std::net::SocketAddr;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use benefits_domain::auth::Caller;

use super::server::HttpState;
use crate::graphql::{ApiError, RequestContext};

/// The bearer token of a request, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// A GraphQL response holding one error and no data.
fn refusal(error: ApiError) -> Response {
    let error: async_graphql::Error = error.into();
    let response = async_graphql::Response::from_errors(vec![
        error.into_server_error(async_graphql::Pos::default()),
    ]);
    GraphQLResponse::from(response).into_response()
}

pub(super) async fn execute(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    let Some(token) = bearer(&headers) else {
        return refusal(ApiError::unauthenticated());
    };
    let principal = match state.app.tokens.verify(token) {
        Ok(principal) => principal,
        Err(rejected) => {
            tracing::warn!(reason = rejected.label(), "token refused");
            return refusal(ApiError::unauthenticated());
        }
    };
    let caller = Caller {
        principal,
        source_address: Some(peer.ip().to_string()),
    };
    let request = request.into_inner().data(RequestContext { caller });
    GraphQLResponse::from(state.schema.execute(request).await).into_response()
}

/// GraphiQL, in development mode only.
pub(super) async fn graphiql(State(state): State<HttpState>) -> Response {
    if state.app.config.dev_mode {
        Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}
