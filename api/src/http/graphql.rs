//! `POST /graphql`: `application/json` only (415 otherwise: no cross-site "simple
//! request" can run a mutation), one request per body (a batch is refused), the bearer
//! token verified before anything is parsed or executed, then run as the verified caller.
//! Media types, status codes and error shapes: `graphql_http.rs`.

use std::net::SocketAddr;
use std::time::Instant;

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection,
};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use benefits_domain::auth::Caller;

use tracing::Instrument as _;

use super::access::Operation;
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
    let operation_name = request.operation_name.clone();
    let shape = match request.parsed_query() {
        Ok(document) => Shape::of(document, operation_name.as_deref()),
        Err(error) => {
            state.app.metrics.error(graphql_http::PARSE_FAILED);
            return graphql_http::unparsable(format, error);
        }
    };
    // Debug: exported traces hold it, and without an exporter it costs nothing (the
    // request's own span already carries the id into the logs).
    let span = tracing::debug_span!(
        "graphql",
        otel.name = %format_args!("{} {}", shape.kind, shape.root_fields),
        graphql.operation.type = shape.kind,
        graphql.operation.name = operation_name.as_deref().map(|name| truncated(name, 64)),
    );
    let started = Instant::now();
    let (response, valid) = async {
        if prevalidated {
            (state.prevalidated.execute(request).await, true)
        } else {
            let query = request.query.clone();
            let response = state.schema.execute(request).await;
            // Validation errors (and refused limits) carry no path; a resolver's do.
            let valid = response.errors.iter().all(|error| !error.path.is_empty());
            if valid {
                state.documents.validated(&query);
            }
            (response, valid)
        }
    }
    .instrument(span)
    .await;
    let mut outcome = None;
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
        outcome.get_or_insert_with(|| code.to_owned());
    }
    // Only a valid document's root fields are the schema's: a bounded label.
    let operation = if valid {
        shape.root_fields
    } else {
        "invalid".to_owned()
    };
    state.app.metrics.operation(
        &operation,
        shape.kind,
        outcome.as_deref().unwrap_or("OK"),
        started.elapsed().as_secs_f64(),
    );
    let mut answer = graphql_http::answer(format, response);
    answer.extensions_mut().insert(Operation(operation));
    answer
}

/// What an operation is, for spans, metrics and the access log.
struct Shape {
    /// `query`, `mutation` or `subscription`.
    kind: &'static str,
    /// The root fields it selects, sorted and joined with `+` (`me`, `verifyDiscount`).
    root_fields: String,
}

impl Shape {
    fn of(document: &ExecutableDocument, operation_name: Option<&str>) -> Self {
        let chosen = match (&document.operations, operation_name) {
            (DocumentOperations::Single(operation), _) => Some(operation),
            (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
            (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
                operations.values().next()
            }
            (DocumentOperations::Multiple(_), None) => None,
        };
        let Some(operation) = chosen else {
            return Self {
                kind: "unknown",
                root_fields: "invalid".to_owned(),
            };
        };
        let kind = match operation.node.ty {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        };
        let mut fields: Vec<&str> = operation
            .node
            .selection_set
            .node
            .items
            .iter()
            .filter_map(|selection| match &selection.node {
                Selection::Field(field) => Some(field.node.name.node.as_str()),
                Selection::FragmentSpread(_) | Selection::InlineFragment(_) => None,
            })
            .collect();
        fields.sort_unstable();
        fields.dedup();
        Self {
            kind,
            root_fields: truncated(&fields.join("+"), 96).to_owned(),
        }
    }
}

/// At most `limit` bytes of `text`, cut at a character boundary.
fn truncated(text: &str, limit: usize) -> &str {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// GraphiQL, in development mode only.
pub(super) async fn graphiql(State(state): State<HttpState>) -> Response {
    if state.app.config.dev_mode {
        Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}
