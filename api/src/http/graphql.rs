//! `POST /graphql`: `application/json` only (415 otherwise: no cross-site "simple
//! request" can run a mutation), one request per body (a batch is refused), the bearer
//! token verified before anything is parsed or executed, then run as the verified caller.
//! Media types, status codes and error shapes: `graphql_http.rs`.

use std::net::SocketAddr;

use async_graphql::http::GraphiQLSource;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use benefits_domain::auth::Caller;

use super::client_address::client_address;
use super::graphql_http::{self, Format};
use super::server::HttpState;
use crate::graphql::{ApiError, ErrorCode, RequestContext};

/// The bearer token of a request, if any.
pub(super) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Whether the body is declared as JSON (`application/json`, any parameters).
pub(super) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

pub(super) async fn execute(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.app.metrics.request();
    if !is_json(&headers) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "POST /graphql takes application/json",
        )
            .into_response();
    }
    let Some(format) = Format::negotiate(&headers) else {
        return graphql_http::not_acceptable();
    };
    let request = match graphql_http::read_request(&body) {
        Ok(request) => request,
        Err(why) => {
            state.app.metrics.error(ErrorCode::BadUserInput.as_str());
            return graphql_http::malformed(format, why);
        }
    };
    let Some(token) = bearer(&headers) else {
        state.app.metrics.security_event("token_refused", "missing");
        state.app.metrics.error("UNAUTHENTICATED");
        return graphql_http::refused(format, ApiError::unauthenticated());
    };
    let principal = match state.app.tokens.verify_fetching_keys(token).await {
        Ok(principal) => principal,
        Err(rejected) => {
            tracing::warn!(reason = rejected.label(), "token refused");
            state
                .app
                .metrics
                .security_event("token_refused", rejected.label());
            state.app.metrics.error("UNAUTHENTICATED");
            return graphql_http::refused(format, ApiError::unauthenticated());
        }
    };
    let caller = Caller {
        principal,
        source_address: Some(
            client_address(peer.ip(), &headers, &state.app.config.trusted_proxies).to_string(),
        ),
    };
    let mut request = request.data(RequestContext { caller });
    let prevalidated = state.documents.prepare(&mut request);
    if let Err(error) = request.parsed_query() {
        state.app.metrics.error(graphql_http::PARSE_FAILED);
        return graphql_http::unparsable(format, error);
    }
    let response = if prevalidated {
        state.prevalidated.execute(request).await
    } else {
        let query = request.query.clone();
        let response = state.schema.execute(request).await;
        // Validation errors (and refused limits) carry no path; a resolver's do.
        if response.errors.iter().all(|error| !error.path.is_empty()) {
            state.documents.validated(&query);
        }
        response
    };
    for error in &response.errors {
        let code = error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .and_then(|code| match code {
                async_graphql::Value::String(code) => Some(code.as_str()),
                _ => None,
            })
            .unwrap_or(graphql_http::VALIDATION_FAILED);
        state.app.metrics.error(code);
    }
    graphql_http::answer(format, response)
}

/// GraphiQL, in development mode only.
pub(super) async fn graphiql(State(state): State<HttpState>) -> Response {
    if state.app.config.dev_mode {
        Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}
