//! `Line.feeWaiver` through the API: every rule of program.md section 1 on the demo
//! data set, whose customers each illustrate one.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const WAIVER: &str =
    "{ me { lines { externalId feeWaiver { eligible reason refundAmount estimatedFee } } } }";

async fn waiver_of(app: &TestApp, customer: &str, line: &str) -> Value {
    let body = app
        .graphql(Role::Customer, customer, WAIVER, json!({}))
        .await;
    body["data"]["me"]["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .find(|l| l["externalId"] == line)
        .unwrap_or_else(|| panic!("{line} in {body}"))["feeWaiver"]
        .clone()
}

#[tokio::test]
async fn each_demo_line_gets_the_first_failing_rule() {
    let app = spawn_app().await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let cases = [
        ("C-1002", "L-1002-1", "BUDGET_PHONE"),
        ("C-1003", "L-1003-1", "IOT_LINE"),
        ("C-1004", "L-1004-1", "NOT_SUBSCRIBED_AT_BASELINE"),
        ("C-1005", "L-1005-1", "CONTRACT_CHANGED_AFTER_CUTOFF"),
        ("C-1006", "L-1006-1", "NOT_CANCELLED"),
        ("C-1007", "L-1007-1", "OPERATOR_TERMINATED"),
        ("C-1008", "L-1008-1", "CANCELLED_OUTSIDE_WINDOW"),
        ("C-1009", "L-1009-1", "RESUBSCRIBED"),
        ("C-1010", "L-1010-1", "NO_REFUNDABLE_FEE"),
    ];
    for (customer, line, reason) in cases {
        let waiver = waiver_of(&app, customer, line).await;
        assert_eq!(waiver["eligible"], false, "{line}: {waiver}");
        assert_eq!(waiver["reason"], reason, "{line}: {waiver}");
        assert_eq!(waiver["refundAmount"], Value::Null, "{line}");
    }
}

#[tokio::test]
async fn an_eligible_line_is_refunded_its_refundable_components_only() {
    let app = spawn_app().await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let waiver = waiver_of(&app, "C-1001", "L-1001-1").await;
    assert_eq!(
        waiver,
        json!({ "eligible": true, "reason": null, "refundAmount": 138_000, "estimatedFee": null }),
        "120,000 + 18,000 + 0, never the 250,000 non-refundable"
    );
}

#[tokio::test]
async fn a_line_cancelled_within_fourteen_days_of_military_service_is_eligible() {
    let app = spawn_app().await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let waiver = waiver_of(&app, "C-1011", "L-1011-1").await;
    assert_eq!(waiver["eligible"], true, "{waiver}");
}

#[tokio::test]
async fn a_line_in_service_shows_what_cancelling_today_would_cost() {
    let app = spawn_app().await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let waiver = waiver_of(&app, "C-1006", "L-1006-1").await;
    // Contract 2024-03-02..2026-03-01 (729 days); on 2026-01-15, 45 days remain:
    // floor(500,000 * 45 / 729) + floor(75,000 * 45 / 729) = 30,864 + 4,629.
    assert_eq!(waiver["estimatedFee"], 35_493, "{waiver}");
}
