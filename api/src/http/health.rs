//! Liveness and readiness probes.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use benefits_infra::cache::CacheHealth;
use benefits_infra::db;

use super::server::HttpState;
use crate::metrics::{self, Scrape};

/// The process is alive.
pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// The metrics in the OpenMetrics text format (no personal data; keep it on the
/// internal network).
pub(super) async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    let body = state.app.metrics.render(&Scrape::read(&state.app).await);
    ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], body)
}

/// Ready when the database answers. A configured Redis or read replica that does not
/// answer leaves the service ready but `degraded`: requests are then served from the
/// database, and reports fail until the replica returns.
pub(super) async fn readyz(State(state): State<HttpState>) -> (StatusCode, Json<Value>) {
    let database = db::ping(&state.app.db).await;
    let read_replica = match &state.app.read_replica {
        None => "none",
        Some(replica) if db::ping(replica).await => "ok",
        Some(_) => "unreachable",
    };
    let cache = match state.app.cache.health().await {
        CacheHealth::InProcessOnly => "in-process",
        CacheHealth::Shared => "ok",
        CacheHealth::Degraded => "degraded",
    };
    let status = match (database, cache, read_replica) {
        (false, _, _) => "unavailable",
        (true, "degraded", _) | (true, _, "unreachable") => "degraded",
        (true, _, _) => "ok",
    };
    let code = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": status,
        "database": if database { "ok" } else { "unreachable" },
        "cache": cache,
        "readReplica": read_replica,
    });
    (code, Json(body))
}
