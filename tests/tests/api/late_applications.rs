//! Late applications: staff grant a deadline after reviewing the evidence, the line may
//! apply until 22:00 KST on it, the application waits without a round until an admin
//! adds one it meets.

use std::net::SocketAddr;
use std::time::Duration;

use benefits_api::app::App;
use benefits_domain::auth::Role;
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::{Value, json};

use crate::helpers::{C_1001, TestApp, error_code, spawn_app_at};

/// After applications closed on 2026-01-31.
const FEBRUARY: &str = "2026-02-05T10:00:00+09:00";

const GRANT: &str = "mutation($line: ID!, $reason: LateReason!, $ended: String!, $note: String!) {
  grantLateApplication(lineId: $line, reason: $reason, reasonEndedOn: $ended, evidenceNote: $note) {
    applyUntil deadline reason reasonEndedOn } }";
const APPLY: &str = "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id status round { number payDate } } }";

/// C-1001's eligible line as customer `C-<n>` with line `L-<n>-1`.
fn customer(n: u32) -> String {
    C_1001
        .replace("C-1001", &format!("C-{n}"))
        .replace("L-1001-1", &format!("L-{n}-1"))
        .replace("010-1234-5678", &format!("010-4000-{n:04}"))
}

async fn app_with_customers(clock: &str, numbers: &[u32]) -> TestApp {
    let app = spawn_app_at(clock).await;
    let records: Vec<String> = numbers.iter().map(|&n| customer(n)).collect();
    let (_, rejections) = app.import(&records.join("\n")).await;
    assert!(rejections.is_empty(), "{rejections:?}");
    app
}

async fn grant(app: &TestApp, line: &str, ended: &str) -> Value {
    app.graphql(
        Role::Agent,
        "agent-7",
        GRANT,
        json!({ "line": line, "reason": "MILITARY_SERVICE", "ended": ended, "note": "전역증 사본 확인 (discharge certificate seen)" }),
    )
    .await
}

fn application(line: &str, key: &str) -> Value {
    json!({ "input": {
        "lineId": line, "channel": "WEB", "bankCode": "004", "accountNumber": "123-456-789012",
        "accountHolder": "Kim Minji", "idempotencyKey": key,
    }})
}

/// The same service at another moment, with tokens minted on its own clock.
async fn graphql_later(
    app: &TestApp,
    clock: &str,
    role: Role,
    subject: &str,
    query: &str,
    variables: Value,
) -> Value {
    let (address, later): (SocketAddr, App) = app.sibling_at(clock).await;
    let token = later
        .tokens
        .issue(role, subject, Duration::from_hours(1))
        .unwrap();
    reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_agent_grants_a_late_application_and_the_customer_applies_after_the_window() {
    let app = app_with_customers(FEBRUARY, &[4001]).await;
    let line = app.line_id("C-4001", "L-4001-1").await;
    let refused = app
        .graphql(Role::Customer, "C-4001", APPLY, application(&line, "early"))
        .await;
    assert_eq!(error_code(&refused), Some("WINDOW_CLOSED"), "{refused}");

    let granted = grant(&app, &line, "2026-02-01").await;
    assert_eq!(
        granted["data"]["grantLateApplication"],
        json!({ "applyUntil": "2026-02-15", "deadline": "2026-02-15T13:00:00+00:00", "reason": "MILITARY_SERVICE", "reasonEndedOn": "2026-02-01" }),
        "{granted}"
    );
    let seen = app
        .graphql(
            Role::Customer,
            "C-4001",
            "{ me { lines { feeWaiver { lateApplication { applyUntil reason } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        seen["data"]["me"]["lines"][0]["feeWaiver"]["lateApplication"],
        json!({ "applyUntil": "2026-02-15", "reason": "MILITARY_SERVICE" }),
        "the customer sees the deadline in the app: {seen}"
    );

    let applied = app
        .graphql(Role::Customer, "C-4001", APPLY, application(&line, "late"))
        .await;
    assert_eq!(
        applied["data"]["applyForRefund"]["status"], "SUBMITTED",
        "{applied}"
    );
    assert_eq!(
        applied["data"]["applyForRefund"]["round"],
        Value::Null,
        "applied after every round's cut-off: it waits for a round"
    );

    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "refund.grant_late" }) { actor detail } }"#,
            json!({}),
        )
        .await;
    let entry = &audit["data"]["auditEntries"][0];
    assert_eq!(entry["actor"], "agent-7", "{audit}");
    let detail = entry["detail"].as_str().unwrap();
    assert!(
        detail.contains("MILITARY_SERVICE ended 2026-02-01"),
        "{detail}"
    );
    assert!(
        !detail.contains("discharge"),
        "the note stays sealed: {detail}"
    );
}

#[tokio::test]
async fn a_granted_line_may_apply_until_ten_pm_in_seoul_on_its_last_day() {
    let app = app_with_customers(FEBRUARY, &[4001, 4002]).await;
    let on_time = app.line_id("C-4001", "L-4001-1").await;
    let too_late = app.line_id("C-4002", "L-4002-1").await;
    for line in [&on_time, &too_late] {
        let granted = grant(&app, line, "2026-02-01").await;
        assert!(granted["errors"].is_null(), "{granted}");
    }

    let accepted = graphql_later(
        &app,
        "2026-02-15T22:00:00+09:00",
        Role::Customer,
        "C-4001",
        APPLY,
        application(&on_time, "k"),
    )
    .await;
    let refused = graphql_later(
        &app,
        "2026-02-15T22:00:01+09:00",
        Role::Customer,
        "C-4002",
        APPLY,
        application(&too_late, "k"),
    )
    .await;

    assert_eq!(
        accepted["data"]["applyForRefund"]["status"], "SUBMITTED",
        "{accepted}"
    );
    assert_eq!(error_code(&refused), Some("WINDOW_CLOSED"), "{refused}");
}

#[tokio::test]
async fn an_agent_applies_over_the_phone_for_a_granted_line() {
    let app = app_with_customers(FEBRUARY, &[4001]).await;
    let line = app.line_id("C-4001", "L-4001-1").await;
    grant(&app, &line, "2026-02-03").await;
    let mut input = application(&line, "phone");
    input["input"]["channel"] = json!("CALL_CENTER");
    let applied = app.graphql(Role::Agent, "agent-7", APPLY, input).await;
    assert_eq!(
        applied["data"]["applyForRefund"]["status"], "SUBMITTED",
        "{applied}"
    );
}

#[tokio::test]
async fn a_reason_that_has_not_ended_or_ended_more_than_fourteen_days_ago_is_refused() {
    let app = app_with_customers(FEBRUARY, &[4001]).await;
    let line = app.line_id("C-4001", "L-4001-1").await;
    for ended in ["2026-02-06", "2026-01-21", "soon"] {
        let body = grant(&app, &line, ended).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{ended}: {body}");
    }
    let no_evidence = app
        .graphql(
            Role::Agent,
            "agent-7",
            GRANT,
            json!({ "line": line, "reason": "HOSPITALISATION", "ended": "2026-02-01", "note": " " }),
        )
        .await;
    assert_eq!(error_code(&no_evidence), Some("BAD_USER_INPUT"));
    let fourteen_days_ago = grant(&app, &line, "2026-01-22").await;
    assert_eq!(
        fourteen_days_ago["data"]["grantLateApplication"]["applyUntil"], "2026-02-05",
        "{fourteen_days_ago}"
    );
}

#[tokio::test]
async fn a_line_that_is_not_eligible_gets_no_grant_and_an_unknown_one_is_not_found() {
    let app = spawn_app_at(FEBRUARY).await;
    let operator_ended = customer(4003).replace(
        "\"terminatedBy\":\"CUSTOMER\"",
        "\"terminatedBy\":\"OPERATOR\"",
    );
    app.import(&operator_ended).await;
    let line = app.line_id("C-4003", "L-4003-1").await;
    let body = grant(&app, &line, "2026-02-01").await;
    assert_eq!(error_code(&body), Some("NOT_ELIGIBLE"), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "OPERATOR_TERMINATED"
    );
    let unknown = grant(&app, "no-such-line", "2026-02-01").await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");
}

#[tokio::test]
async fn the_evidence_note_is_sealed_at_rest() {
    let app = app_with_customers(FEBRUARY, &[4001]).await;
    let line = app.line_id("C-4001", "L-4001-1").await;
    grant(&app, &line, "2026-02-01").await;
    let rows = app
        .app
        .db
        .query_all_raw(Statement::from_string(
            app.app.db.get_database_backend(),
            "SELECT evidence_enc FROM late_applications",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let sealed: Vec<u8> = rows[0].try_get("", "evidence_enc").unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("discharge"));
}

#[tokio::test]
async fn a_waiting_application_joins_the_round_an_admin_adds_when_it_meets_it() {
    let app = app_with_customers(FEBRUARY, &[4001]).await;
    let line = app.line_id("C-4001", "L-4001-1").await;
    grant(&app, &line, "2026-02-01").await;
    let applied = app
        .graphql(Role::Customer, "C-4001", APPLY, application(&line, "k"))
        .await;
    let id = applied["data"]["applyForRefund"]["id"].clone();
    let waiting = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ refundApplications(withoutRound: true) { id round { number } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        waiting["data"]["refundApplications"],
        json!([{ "id": id, "round": null }]),
        "the console lists what waits for a round: {waiting}"
    );

    let too_early = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"mutation { addPayoutRound(payDate: "2026-03-05", appliedUntil: "2026-02-04") { payoutRounds { number } } }"#,
            json!({}),
        )
        .await;
    assert!(too_early["errors"].is_null(), "{too_early}");
    let still = app
        .graphql(
            Role::Customer,
            "C-4001",
            "{ me { lines { feeWaiver { application { round { number } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        still["data"]["me"]["lines"][0]["feeWaiver"]["application"]["round"],
        Value::Null,
        "round 4 takes applications up to 02-04 only: {still}"
    );

    let added = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"mutation { addPayoutRound(payDate: "2026-03-19", appliedUntil: "2026-02-28") { payoutRounds { number payDate cancelledUntil appliedUntil closed } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        added["data"]["addPayoutRound"]["payoutRounds"][4],
        json!({ "number": 5, "payDate": "2026-03-19", "cancelledUntil": null, "appliedUntil": "2026-02-28", "closed": false }),
        "{added}"
    );
    let joined = app
        .graphql(
            Role::Customer,
            "C-4001",
            "{ me { lines { feeWaiver { application { round { number payDate } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        joined["data"]["me"]["lines"][0]["feeWaiver"]["application"]["round"],
        json!({ "number": 5, "payDate": "2026-03-19" }),
        "{joined}"
    );
    let file = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { closePayoutRound(number: 5) { count total } }",
            json!({}),
        )
        .await;
    assert_eq!(
        file["data"]["closePayoutRound"],
        json!({ "count": 1, "total": 138_000 })
    );
}

#[tokio::test]
async fn a_round_paying_in_the_past_or_before_the_last_round_is_refused() {
    let app = spawn_app_at(FEBRUARY).await;
    for (pays, applied) in [("2026-02-05", "2026-02-01"), ("2026-02-18", "2026-02-10")] {
        let body = app
            .graphql(
                Role::Admin,
                "admin-1",
                "mutation($p: String!, $a: String!) { addPayoutRound(payDate: $p, appliedUntil: $a) { code } }",
                json!({ "p": pays, "a": applied }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{pays}: {body}");
    }
}
