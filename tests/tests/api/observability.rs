//! What an on-call engineer reads: `/metrics` answers the questions the alerts and the
//! dashboard ask (and names only metrics that exist), and traces reach an OTLP
//! collector, continuing the caller's trace.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{ServerProcess, spawn_app, spawn_demo_at};

async fn scrape(app: &crate::helpers::TestApp) -> String {
    app.client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn metrics_show_latency_per_operation_cache_tiers_the_pool_jobs_and_the_process() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    for _ in 0..2 {
        app.graphql(Role::Customer, "C-1001", "{ me { name } }", json!({}))
            .await;
    }
    app.graphql(
        Role::Customer,
        "C-1001",
        "{ auditEntries { actor } }",
        json!({}),
    )
    .await;
    app.graphql(Role::Customer, "C-1001", "{ nosuchfield }", json!({}))
        .await;
    let verified = app
        .command()
        .arg("audit-verify")
        .output()
        .expect("audit-verify runs");
    assert!(verified.status.success(), "{verified:?}");
    let noticed = app
        .command()
        .args(["job", "send-notices"])
        .output()
        .expect("the notices job runs");
    assert!(noticed.status.success(), "{noticed:?}");

    let text = scrape(&app).await;
    for expected in [
        "benefits_graphql_operation_duration_seconds_count{operation=\"me\",kind=\"query\",outcome=\"OK\"} 2\n",
        "benefits_graphql_operation_duration_seconds_count{operation=\"auditEntries\",kind=\"query\",outcome=\"FORBIDDEN\"} 1\n",
        // A document that fails validation is counted, under one bounded label.
        "benefits_graphql_operation_duration_seconds_count{operation=\"invalid\",kind=\"query\",outcome=\"GRAPHQL_VALIDATION_FAILED\"} 1\n",
        "benefits_http_request_duration_seconds_count{route=\"/graphql\",status=\"200\"} 4\n",
        "benefits_cache_hits_total{tier=\"in-process\"}",
        "benefits_cache_loads_total",
        "benefits_redis_errors_total 0\n",
        "benefits_db_pool_connections{pool=\"primary\",state=\"max\"}",
        "benefits_job_last_finished_timestamp_seconds{job=\"audit-verify\"}",
        "benefits_audit_chain_intact 1\n",
        // The notices' texts wait in the outbox: no broker is configured.
        "benefits_events_waiting{destination=\"nats\",type=\"sms.requested\"}",
        "benefits_events_oldest_waiting_seconds{destination=\"nats\",type=\"sms.requested\"}",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(
        !text.contains("nosuchfield"),
        "an invalid field became a label"
    );
}

/// The `benefits_*` metric names `text` mentions.
fn metric_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = text[at..].find("benefits_") {
        let start = at + found;
        let end = start
            + text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(text.len() - start);
        let preceded_by_word =
            start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if !preceded_by_word && !text[start..end].ends_with('_') {
            names.push(text[start..end].to_owned());
        }
        at = end;
    }
    names.sort();
    names.dedup();
    names
}

#[tokio::test]
async fn the_alerts_and_the_dashboard_name_only_metrics_the_service_exports() {
    let app = spawn_app().await;
    app.graphql(Role::Customer, "C-1", "{ __typename }", json!({}))
        .await;
    // Families appear once something was counted in them.
    app.graphql(
        Role::Customer,
        "C-1",
        "{ auditEntries { actor } }",
        json!({}),
    )
    .await;
    app.graphql_as(Some("forged.token.here"), "{ __typename }", json!({}))
        .await;
    let command = app
        .command()
        .arg("audit-verify")
        .output()
        .expect("audit-verify runs");
    assert!(command.status.success());
    let exported = scrape(&app).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/monitoring");
    let alerts = std::fs::read_to_string(root.join("alerts.yml")).unwrap();
    let dashboard = std::fs::read_to_string(root.join("dashboard.json")).unwrap();
    let parsed: serde_json::Value =
        serde_json::from_str(&dashboard).expect("the dashboard is JSON");
    assert!(
        parsed["panels"]
            .as_array()
            .is_some_and(|panels| panels.len() >= 10)
    );
    for (file, text) in [("alerts.yml", &alerts), ("dashboard.json", &dashboard)] {
        let names = metric_names(text);
        assert!(names.len() >= 5, "{file}: {names:?}");
        for name in names {
            // Samples of histograms and counters carry a suffix their family lacks.
            let family = ["_bucket", "_count", "_sum", "_total"]
                .iter()
                .find_map(|suffix| name.strip_suffix(suffix))
                .unwrap_or(&name);
            assert!(
                exported.contains(&format!("# TYPE {family} ")),
                "{file} names {name}, which /metrics does not export"
            );
        }
    }
    // Every alert has a runbook section.
    let runbook = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/operations.md"),
    )
    .unwrap()
    .to_lowercase();
    for line in alerts
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- alert: "))
    {
        assert!(
            runbook.contains(&format!("### {}", line.to_lowercase())),
            "docs/operations.md has no section for {line}"
        );
    }
}

/// An OTLP/HTTP collector stand-in: keeps every body posted to `/v1/traces`.
async fn collector() -> (String, Arc<Mutex<Vec<Bytes>>>) {
    let received: Arc<Mutex<Vec<Bytes>>> = Arc::default();
    let router = axum::Router::new()
        .route(
            "/v1/traces",
            post(
                |State(received): State<Arc<Mutex<Vec<Bytes>>>>, body: Bytes| async move {
                    received.lock().unwrap().push(body);
                    ""
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), received)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn spans_reach_an_otlp_collector_under_the_caller_s_trace() {
    let app = spawn_app().await;
    let (endpoint, received) = collector().await;
    let server = ServerProcess::start_with(
        &app,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    )
    .await;
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let token = app.token(Role::Customer, "C-1");
    let answered = app
        .client
        .post(format!("http://{}/graphql", server.address))
        .bearer_auth(token)
        .header("traceparent", format!("00-{trace_id}-00f067aa0ba902b7-01"))
        .json(&json!({ "query": "query Probe { __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);

    let trace_bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&trace_id[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let started = Instant::now();
    loop {
        let bodies = received.lock().unwrap().clone();
        let all: Vec<u8> = bodies
            .iter()
            .flat_map(|body| body.iter().copied())
            .collect();
        if contains(&all, b"graphql")
            && contains(&all, b"POST /graphql")
            && contains(&all, &trace_bytes)
            && contains(&all, b"benefits")
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the collector did not receive the request's spans ({} bodies)",
            bodies.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(server);
}
