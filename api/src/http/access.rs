//! The layer every request passes: its id (`X-Request-Id` in, and out on the answer),
//! its span (`http.request`, a child of the caller's trace when traces are exported),
//! its latency in `/metrics`, and one access-log line: method, route, status, GraphQL
//! operation, duration and id. Nothing of the body, the query string or the token.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

use super::server::HttpState;
use crate::request_id::RequestId;
use crate::telemetry;

/// The header that carries the request id both ways.
pub(super) static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the GraphQL handler tells this layer of the operation it ran, for the access
/// log: its root fields (`me`, `verifyDiscount`) or `invalid`.
#[derive(Debug, Clone)]
pub(super) struct Operation(pub String);

/// The route as a bounded label: the service's own paths, anything else `other`.
fn route(path: &str) -> &'static str {
    match path {
        "/graphql" => "/graphql",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        "/admin/dev-sign-in" => "/admin/dev-sign-in",
        "/admin/oidc/token" => "/admin/oidc/token",
        "/admin/session" => "/admin/session",
        "/admin/sign-in-options" => "/admin/sign-in-options",
        _ if path == "/admin" || path.starts_with("/admin/") => "/admin/*",
        _ => "other",
    }
}

/// Probes and scrapes come every few seconds: their lines are debug, not info.
fn is_probe(route: &str) -> bool {
    matches!(route, "/healthz" | "/readyz" | "/metrics")
}

pub(super) async fn track(
    State(state): State<HttpState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = RequestId::from_header(
        request
            .headers()
            .get(&REQUEST_ID)
            .and_then(|value| value.to_str().ok()),
    );
    let method = request.method().clone();
    let route = route(request.uri().path());
    // Few fields, all cheap: the log formatter writes them out when the span starts,
    // and again into every line logged inside it. What only traces need is recorded
    // only when they are exported.
    let span = tracing::info_span!(
        "http.request",
        request_id = %id,
        http.request.method = %method,
        http.route = route,
        otel.name = tracing::field::Empty,
        otel.kind = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
    );
    let traced = telemetry::continue_trace(&span, request.headers());
    if traced {
        span.record("otel.name", format!("{method} {route}"));
        span.record("otel.kind", "server");
    }
    let mut response = id
        .clone()
        .scope(next.run(request))
        .instrument(span.clone())
        .await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if traced {
        span.record("http.response.status_code", status);
    }
    state
        .app
        .metrics
        .http_request(route, status, elapsed.as_secs_f64());
    let operation = response
        .extensions()
        .get::<Operation>()
        .map_or("", |operation| operation.0.as_str());
    let duration_ms = elapsed.as_secs_f64() * 1e3;
    // Outside the span: the line carries the id itself, and the formatter need not
    // write the span's fields out again.
    if is_probe(route) && method == Method::GET {
        tracing::debug!(target: "access", %method, route, status, duration_ms, request_id = %id);
    } else {
        tracing::info!(target: "access", %method, route, status, operation, duration_ms, request_id = %id);
    }
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_a_bounded_set() {
        assert_eq!(route("/graphql"), "/graphql");
        assert_eq!(route("/admin/app.js"), "/admin/*");
        assert_eq!(route("/admin"), "/admin/*");
        assert_eq!(route("/wp-login.php"), "other");
        assert_eq!(route("/administrator"), "other");
    }
}
