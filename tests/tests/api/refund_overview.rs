//! `refundOverview`'s lines by reason, kept between calls: each import that changes a
//! customer's lines (or moves a line away from one) is counted in the next overview,
//! concurrent overviews never count a line twice, and a change of the campaign's rules
//! decides every line again.

use std::collections::BTreeMap;

use benefits_domain::auth::Role;
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_demo_at};

const OVERVIEW: &str = "{ refundOverview { linesByReason { reason count } } }";
const CLOCK: &str = "2026-01-15T10:00:00+09:00";

/// Lines per reason ("ELIGIBLE" for `null`) in one overview's answer.
fn counts(body: &Value) -> BTreeMap<String, i64> {
    body["data"]["refundOverview"]["linesByReason"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|row| {
            (
                row["reason"].as_str().unwrap_or("ELIGIBLE").to_owned(),
                row["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn overview(app: &TestApp) -> BTreeMap<String, i64> {
    counts(
        &app.graphql(Role::Admin, "admin-1", OVERVIEW, json!({}))
            .await,
    )
}

/// `before` with `delta` added per reason, reasons at zero left out (as the overview
/// leaves them out).
fn changed(before: &BTreeMap<String, i64>, delta: &[(&str, i64)]) -> BTreeMap<String, i64> {
    let mut after = before.clone();
    for (reason, change) in delta {
        *after.entry((*reason).to_owned()).or_default() += change;
    }
    after.retain(|_, count| *count != 0);
    after
}

const C_1001_AS_MVNO: &str = r#"{"externalId":"C-1001","name":"김민지","birthDate":"1961-01-13","phone":"010-1234-5678","type":"INDIVIDUAL","lines":[{"externalId":"L-1001-1","msisdn":"010-1234-5678","deviceClass":"PHONE","brand":"MVNO","payment":"POSTPAID","activatedOn":"2022-03-02","status":"TERMINATED","terminatedOn":"2025-10-02","terminatedBy":"CUSTOMER"}]}"#;

/// C-1009's new line (the one that makes L-1009-1 a resubscription) under a new customer.
const L_1009_2_MOVED: &str = r#"{"externalId":"C-2000","name":"한지민","birthDate":"1990-02-02","phone":"010-2907-5706","type":"INDIVIDUAL","lines":[{"externalId":"L-1009-2","msisdn":"010-2907-5706","deviceClass":"PHONE","brand":"OPERATOR","payment":"POSTPAID","activatedOn":"2025-10-05","status":"ACTIVE"}]}"#;

#[tokio::test]
async fn a_changed_line_is_counted_under_its_new_reason_in_the_next_overview() {
    let app = spawn_demo_at(CLOCK).await;
    let before = overview(&app).await;
    assert!(before["ELIGIBLE"] > 0, "{before:?}");

    let (report, rejections) = app.import(C_1001_AS_MVNO).await;
    assert!(rejections.is_empty(), "{report:?} {rejections:?}");
    assert_eq!(
        overview(&app).await,
        changed(&before, &[("ELIGIBLE", -1), ("BUDGET_PHONE", 1)])
    );
}

#[tokio::test]
async fn a_line_moved_away_changes_its_previous_owners_other_lines_too() {
    let app = spawn_demo_at(CLOCK).await;
    let before = overview(&app).await;
    assert_eq!(before["RESUBSCRIBED"], 1, "{before:?}");

    let (report, rejections) = app.import(L_1009_2_MOVED).await;
    assert!(rejections.is_empty(), "{report:?} {rejections:?}");
    assert_eq!(
        overview(&app).await,
        changed(&before, &[("RESUBSCRIBED", -1), ("ELIGIBLE", 1)]),
        "L-1009-1 is no longer a resubscription, and L-1009-2 counts once"
    );
}

#[tokio::test]
async fn concurrent_overviews_count_every_line_once() {
    let app = spawn_demo_at(CLOCK).await;
    app.import(C_1001_AS_MVNO).await;
    let answers = app
        .graphql_concurrently(Role::Admin, "admin-1", OVERVIEW, vec![json!({}); 8])
        .await;
    let expected = overview(&app).await;
    let lines: i64 = expected.values().sum();
    assert_eq!(lines, 24, "the demo's lines: {expected:?}");
    for answer in &answers {
        assert_eq!(counts(answer), expected, "{answer}");
    }
}

#[tokio::test]
async fn a_change_of_the_campaigns_rules_decides_every_line_again() {
    let app = spawn_demo_at(CLOCK).await;
    let before = overview(&app).await;
    // L-1001-1 was renewed on 2024-03-02: with the cut-off before that, it fails there.
    app.app
        .db
        .execute_unprepared(
            "UPDATE campaigns SET contract_change_cutoff = '2024-01-01' WHERE code = 'BREACH-2026'",
        )
        .await
        .unwrap();
    // A replica started now reads the changed campaign (each caches it for seconds).
    let (replica, _) = app.sibling_at(CLOCK).await;
    let after = counts(
        &app.graphql_at(replica, Role::Admin, "admin-1", OVERVIEW, json!({}))
            .await,
    );
    assert!(
        after["CONTRACT_CHANGED_AFTER_CUTOFF"] > before["CONTRACT_CHANGED_AFTER_CUTOFF"],
        "{before:?} → {after:?}"
    );
    assert_eq!(
        after.values().sum::<i64>(),
        before.values().sum::<i64>(),
        "every line counted once"
    );
}
