//! An optional read replica (`BENEFITS_DATABASE_READ_URL`): reports read it, everything
//! that must read its own writes reads the primary.

use std::net::SocketAddr;

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_demo_at};

const OVERVIEW: &str = "{ refundOverview { linesByReason { reason count } applications { count } } auditEntries(first: 5) { action } }";
const CLOCK: &str = "2026-01-15T10:00:00+09:00";

async fn lines_counted(app: &TestApp, at: SocketAddr) -> (u64, Value) {
    let body = app
        .graphql_at(at, Role::Admin, "admin-1", OVERVIEW, json!({}))
        .await;
    let lines = body["data"]["refundOverview"]["linesByReason"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|reason| reason["count"].as_u64().unwrap())
        .sum();
    (lines, body)
}

async fn readiness(app: &TestApp, at: SocketAddr) -> Value {
    app.client
        .get(format!("http://{at}/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn with_the_read_url_on_the_primary_reports_see_every_write() {
    let app = spawn_demo_at(CLOCK).await;
    let (replica, _) = app.sibling_reading_from(&app.database_url()).await;
    let (lines, body) = lines_counted(&app, replica).await;
    assert!(lines > 0, "{body}");
    let ready = readiness(&app, replica).await;
    assert_eq!(
        (ready["status"].as_str(), ready["readReplica"].as_str()),
        (Some("ok"), Some("ok")),
        "{ready}"
    );
}

#[tokio::test]
async fn reports_read_the_replica_while_everything_else_reads_the_primary() {
    let app = spawn_demo_at(CLOCK).await;
    // A replica that has not caught up at all: an empty database of the same schema.
    let empty = spawn_app().await;
    let (replica, _) = app.sibling_reading_from(&empty.database_url()).await;

    let (lines, body) = lines_counted(&app, replica).await;
    assert!(
        lines > 0,
        "the lines by reason are kept on the primary (decision 144): {body}"
    );
    assert_eq!(
        body["data"]["auditEntries"],
        json!([]),
        "the audit search comes from the replica"
    );

    let me = app
        .graphql_at(
            replica,
            Role::Customer,
            "C-1001",
            "{ me { lines { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["data"]["me"]["lines"].as_array().map(Vec::len),
        Some(1),
        "a customer reads the primary: {me}"
    );
    let (primary_lines, _) = lines_counted(&app, app.address).await;
    assert!(primary_lines > 0);
}
