//! The transactional outbox: each change writes its contract event in its own
//! transaction, with the CloudEvents envelope the contract fixes, once per change.

use benefits_domain::auth::Role;
use benefits_infra::db::entities::event_outbox;
use benefits_infra::db::events;
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_demo_at};

const GRANT: &str = "mutation($m: String!) { runMonthlyDataGrant(month: $m) { granted skipped } }";

async fn envelopes_of(app: &TestApp, event_type: &str) -> Vec<Value> {
    let rows = event_outbox::Entity::find()
        .filter(event_outbox::Column::EventType.eq(event_type))
        .order_by_asc(event_outbox::Column::Seq)
        .all(&app.app.db)
        .await
        .unwrap();
    events::envelopes(&app.app.db, rows)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, envelope)| envelope)
        .collect()
}

#[tokio::test]
async fn a_grant_run_writes_one_data_grant_requested_per_granted_line_in_the_contracts_envelope() {
    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    let first = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let granted = first["data"]["runMonthlyDataGrant"]["granted"]
        .as_u64()
        .unwrap_or_else(|| panic!("{first}"));
    assert!(granted > 0);
    app.graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let grants = envelopes_of(&app, "data.grant.requested").await;
    assert_eq!(grants.len() as u64, granted, "a second run adds none");
    let lines = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { externalId } } }",
            json!({}),
        )
        .await;
    let line = lines["data"]["me"]["lines"][0]["externalId"]
        .as_str()
        .unwrap()
        .to_owned();
    let event = grants
        .iter()
        .find(|event| event["subject"] == line.as_str())
        .unwrap_or_else(|| panic!("no grant event for {line}: {grants:?}"));
    assert_eq!(event["specversion"], "1.0");
    assert_eq!(event["source"], "benefits");
    assert_eq!(event["type"], "data.grant.requested");
    assert_eq!(event["datacontenttype"], "application/json");
    assert!(
        chrono::DateTime::parse_from_rfc3339(event["time"].as_str().unwrap()).is_ok(),
        "{event}"
    );
    assert!(uuid::Uuid::parse_str(event["id"].as_str().unwrap()).is_ok());
    assert_eq!(
        event["data"],
        json!({ "lineExternalId": line, "month": "2026-02", "gigabytes": 100 })
    );
    let ids: std::collections::HashSet<_> = grants.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(ids.len(), grants.len(), "every event its own id");
    let waiting = events::waiting(&app.app.db, 1_000_000).await.unwrap();
    assert!(
        waiting.len() >= grants.len(),
        "nothing is relayed: all wait"
    );
}

#[tokio::test]
async fn an_sms_event_carries_the_customer_the_language_and_the_text() {
    let app = spawn_app().await;
    let (_, rejections) = app
        .import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    assert!(rejections.is_empty(), "{rejections:?}");
    let sent = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { sendEligibilityNotices { sent } }",
            json!({}),
        )
        .await;
    let sent = sent["data"]["sendEligibilityNotices"]["sent"]
        .as_u64()
        .unwrap_or_else(|| panic!("{sent}"));
    let sms = envelopes_of(&app, "sms.requested").await;
    assert!(sent > 0);
    assert_eq!(sms.len() as u64, sent, "one SMS per notification sent");
    for event in &sms {
        let data = &event["data"];
        assert!(data["customerExternalId"].is_string(), "{event}");
        assert!(data.get("lineExternalId").is_some(), "{event}");
        assert!(data["kind"].is_string(), "{event}");
        assert!(["ko", "en"].contains(&data["language"].as_str().unwrap()));
        assert!(data["text"].as_str().unwrap().starts_with('['), "{event}");
        assert_eq!(
            event["subject"],
            if data["lineExternalId"].is_null() {
                data["customerExternalId"].clone()
            } else {
                data["lineExternalId"].clone()
            }
        );
    }
}

#[tokio::test]
async fn the_backlog_counts_waiting_and_parked_events_per_type_and_a_parked_one_can_be_retried() {
    use sea_orm::sea_query::Expr;
    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    let first = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let granted = first["data"]["runMonthlyDataGrant"]["granted"]
        .as_i64()
        .unwrap();
    let grants = || events::backlog(&app.app.db);
    let backlog = grants().await.unwrap();
    let row = backlog
        .iter()
        .find(|row| row.event_type == "data.grant.requested")
        .unwrap();
    assert_eq!((row.waiting, row.parked), (granted, 0));
    assert!(row.oldest_waiting.is_some());

    // Park one, as the relay does after its last failed attempt.
    let one = event_outbox::Entity::find()
        .filter(event_outbox::Column::EventType.eq("data.grant.requested"))
        .one(&app.app.db)
        .await
        .unwrap()
        .unwrap();
    event_outbox::Entity::update_many()
        .col_expr(
            event_outbox::Column::ParkedAt,
            Expr::value(chrono::Utc::now()),
        )
        .col_expr(event_outbox::Column::Attempts, Expr::value(12))
        .filter(event_outbox::Column::Seq.eq(one.seq))
        .exec(&app.app.db)
        .await
        .unwrap();
    let backlog = grants().await.unwrap();
    let row = backlog
        .iter()
        .find(|row| row.event_type == "data.grant.requested")
        .unwrap();
    assert_eq!((row.waiting, row.parked), (granted - 1, 1));
    assert!(events::retry_parked(&app.app.db, &one.id).await.unwrap());
    assert!(
        !events::retry_parked(&app.app.db, &one.id).await.unwrap(),
        "no longer parked"
    );
    let backlog = grants().await.unwrap();
    let row = backlog
        .iter()
        .find(|row| row.event_type == "data.grant.requested")
        .unwrap();
    assert_eq!((row.waiting, row.parked), (granted, 0));
}

#[tokio::test]
async fn the_audit_chains_head_is_written_as_an_event_when_it_moved_and_only_then() {
    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    // The import and the grant are audited: the chain has a head.
    app.graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let now = chrono::Utc::now();
    assert!(
        events::write_audit_head_if_moved(&app.app.db, now)
            .await
            .unwrap()
    );
    assert!(
        !events::write_audit_head_if_moved(&app.app.db, now)
            .await
            .unwrap(),
        "unchanged: nothing new"
    );
    let heads = envelopes_of(&app, "audit.head").await;
    assert_eq!(heads.len(), 1);
    let data = &heads[0]["data"];
    assert!(data["sequence"].as_i64().unwrap() > 0, "{data}");
    assert_eq!(data["hash"].as_str().unwrap().len(), 64, "{data}");
    assert_eq!(heads[0]["subject"], "audit-chain");
    // A staff read moves the head: the next call writes again.
    app.graphql(
        Role::Admin,
        "admin-1",
        "{ customer(externalId: \"C-1006\") { externalId } }",
        json!({}),
    )
    .await;
    let moved = events::write_audit_head_if_moved(&app.app.db, now)
        .await
        .unwrap();
    let heads = envelopes_of(&app, "audit.head").await;
    assert_eq!(heads.len(), if moved { 2 } else { 1 });
}
