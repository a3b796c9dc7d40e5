//! The campaign as admins read and edit it: periods and payout rounds, through the API.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{error_code, spawn_app, spawn_demo_at};

const CAMPAIGN: &str = "{ campaign { code periods { kind first last } payoutRounds { number payDate cancelledUntil appliedUntil closed } } }";
const SET_PERIOD: &str = "mutation($kind: CampaignPeriod!, $first: String!, $last: String!) { updateCampaignPeriod(kind: $kind, first: $first, last: $last) { periods { kind first last } } }";
const SET_ROUND: &str = "mutation($input: PayoutRoundInput!) { updatePayoutRound(input: $input) { payoutRounds { number payDate appliedUntil } } }";

fn period<'a>(campaign: &'a Value, kind: &str) -> &'a Value {
    campaign["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == kind)
        .unwrap()
}

#[tokio::test]
async fn admins_read_the_default_campaign_with_its_periods_and_rounds() {
    let app = spawn_app().await;
    let body = app
        .graphql(Role::Admin, "admin-1", CAMPAIGN, json!({}))
        .await;
    let campaign = &body["data"]["campaign"];
    assert_eq!(
        period(campaign, "PARTNER_DISCOUNT"),
        &json!({ "kind": "PARTNER_DISCOUNT", "first": "2026-02-01", "last": "2026-07-31" }),
        "{body}"
    );
    assert_eq!(
        campaign["payoutRounds"][0],
        json!({ "number": 1, "payDate": "2026-01-22", "cancelledUntil": "2025-12-31", "appliedUntil": "2026-01-18", "closed": false })
    );
    assert_eq!(campaign["payoutRounds"][2]["cancelledUntil"], Value::Null);
}

#[tokio::test]
async fn an_admin_moves_a_rounds_cut_off_and_new_applications_follow_it() {
    // 2026-01-19 is after round 1's application cut-off: normally round 2.
    let app = spawn_demo_at("2026-01-19T10:00:00+09:00").await;
    let round = json!({ "input": { "number": 1, "payDate": "2026-01-23", "cancelledUntil": "2025-12-31", "appliedUntil": "2026-01-19" } });
    let body = app.graphql(Role::Admin, "admin-1", SET_ROUND, round).await;
    assert_eq!(
        body["data"]["updatePayoutRound"]["payoutRounds"][0],
        json!({ "number": 1, "payDate": "2026-01-23", "appliedUntil": "2026-01-19" }),
        "{body}"
    );
    let line = app.line_id("C-1001", "L-1001-1").await;
    let applied = app
        .graphql(
            Role::Customer,
            "C-1001",
            "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { round { number payDate } } }",
            json!({ "input": { "lineId": line, "channel": "WEB", "bankCode": "004", "accountNumber": "123-456-789012", "accountHolder": "김민지", "idempotencyKey": "k" } }),
        )
        .await;
    assert_eq!(
        applied["data"]["applyForRefund"]["round"],
        json!({ "number": 1, "payDate": "2026-01-23" }),
        "{applied}"
    );
}

#[tokio::test]
async fn an_admin_moves_a_benefit_period_and_the_edit_is_audited() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            Role::Admin,
            "admin-1",
            SET_PERIOD,
            json!({ "kind": "ROAMING", "first": "2026-02-01", "last": "2026-09-30" }),
        )
        .await;
    assert_eq!(
        period(&body["data"]["updateCampaignPeriod"], "ROAMING")["last"],
        "2026-09-30",
        "{body}"
    );
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "campaign.set_period" }) { actor detail } }"#,
            json!({}),
        )
        .await;
    let entry = &audit["data"]["auditEntries"][0];
    assert_eq!(entry["actor"], "admin-1");
    assert!(
        entry["detail"].as_str().unwrap().contains("2026-09-30"),
        "{audit}"
    );
}

#[tokio::test]
async fn only_admins_read_or_edit_the_campaign() {
    let app = spawn_app().await;
    for role in [Role::Agent, Role::Customer, Role::PartnerStore] {
        let read = app.graphql(role, "someone", CAMPAIGN, json!({})).await;
        assert_eq!(error_code(&read), Some("FORBIDDEN"), "{role}: {read}");
        let edit = app
            .graphql(
                role,
                "someone",
                SET_PERIOD,
                json!({ "kind": "ROAMING", "first": "2026-02-01", "last": "2026-09-30" }),
            )
            .await;
        assert_eq!(error_code(&edit), Some("FORBIDDEN"), "{role}: {edit}");
    }
}

#[tokio::test]
async fn a_backwards_period_a_round_paying_too_early_or_an_unknown_round_is_refused() {
    let app = spawn_app().await;
    let backwards = app
        .graphql(
            Role::Admin,
            "admin-1",
            SET_PERIOD,
            json!({ "kind": "OTT_SELECTION", "first": "2026-03-31", "last": "2026-02-01" }),
        )
        .await;
    assert_eq!(
        error_code(&backwards),
        Some("BAD_USER_INPUT"),
        "{backwards}"
    );
    let not_a_date = app
        .graphql(
            Role::Admin,
            "admin-1",
            SET_PERIOD,
            json!({ "kind": "OTT_SELECTION", "first": "soon", "last": "2026-02-01" }),
        )
        .await;
    assert_eq!(error_code(&not_a_date), Some("BAD_USER_INPUT"));
    let too_early = app
        .graphql(
            Role::Admin,
            "admin-1",
            SET_ROUND,
            json!({ "input": { "number": 2, "payDate": "2026-01-20", "appliedUntil": "2026-01-25" } }),
        )
        .await;
    assert_eq!(
        error_code(&too_early),
        Some("BAD_USER_INPUT"),
        "{too_early}"
    );
    let unknown = app
        .graphql(
            Role::Admin,
            "admin-1",
            SET_ROUND,
            json!({ "input": { "number": 9, "payDate": "2026-03-20", "appliedUntil": "2026-01-25" } }),
        )
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");
}

#[tokio::test]
async fn a_closed_round_keeps_its_dates() {
    let app = spawn_app().await;
    app.graphql(
        Role::Admin,
        "admin-1",
        "mutation { closePayoutRound(number: 1) { count } }",
        json!({}),
    )
    .await;
    let body = app
        .graphql(Role::Admin, "admin-1", CAMPAIGN, json!({}))
        .await;
    assert_eq!(body["data"]["campaign"]["payoutRounds"][0]["closed"], true);
    let refused = app
        .graphql(
            Role::Admin,
            "admin-1",
            SET_ROUND,
            json!({ "input": { "number": 1, "payDate": "2026-01-29", "appliedUntil": "2026-01-18" } }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("WINDOW_CLOSED"), "{refused}");
}

#[tokio::test]
async fn an_admin_moves_the_appreciation_base_date_and_the_roaming_bonus() {
    let app = spawn_app().await;
    let moved = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"mutation { updateCampaignDay(kind: BASE_DATE, day: "2026-01-31") { baseDate } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        moved["data"]["updateCampaignDay"]["baseDate"], "2026-01-31",
        "{moved}"
    );
    let roaming = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { updateRoamingBonusPercent(percent: 50) { roamingBonusPercent } }",
            json!({}),
        )
        .await;
    assert_eq!(
        roaming["data"]["updateRoamingBonusPercent"]["roamingBonusPercent"],
        50
    );
    let refused = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { updateRoamingBonusPercent(percent: 0) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"));
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "campaign.set_day" }) { detail } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEntries"][0]["detail"],
        "BASE_DATE of BREACH-2026: 2026-01-31 (was 2026-01-13)"
    );
}
