//! The customer's view is cached, and never older than the customer's own last write:
//! each test reads `me` (so the view is cached) before every write, and the next `me`
//! shows the write, on this replica at once and on another within Redis's delivery.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{
    C_1001, DEFAULT_CLOCK, TestApp, error_code, spawn_app_at, spawn_app_with_redis,
};
use crate::redis_server::PrivateRedis;

const ME: &str = "{ me { name lines { feeWaiver { application { status accountMasked round { number } } lateApplication { applyUntil } } } } }";
const APPLY: &str =
    "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id } }";

async fn me(app: &TestApp) -> Value {
    let body = app.graphql(Role::Customer, "C-1001", ME, json!({})).await;
    assert!(error_code(&body).is_none(), "{body}");
    body["data"]["me"].clone()
}

fn application(me: &Value) -> &Value {
    &me["lines"][0]["feeWaiver"]["application"]
}

async fn apply(app: &TestApp) -> String {
    let line = app.line_id("C-1001", "L-1001-1").await;
    let applied = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            json!({ "input": {
                "lineId": line, "channel": "WEB", "bankCode": "004",
                "accountNumber": "123-456-789012", "accountHolder": "Kim Minji",
                "idempotencyKey": "view-1",
            }}),
        )
        .await;
    applied["data"]["applyForRefund"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{applied}"))
        .to_owned()
}

async fn admin(app: &TestApp, query: &str, variables: Value) {
    let body = app.graphql(Role::Admin, "admin-1", query, variables).await;
    assert!(error_code(&body).is_none(), "{body}");
}

#[tokio::test]
async fn each_write_a_customer_sees_is_in_their_next_me() {
    let app = spawn_app_at(DEFAULT_CLOCK).await;
    app.import(C_1001).await;
    let before = me(&app).await;
    assert_eq!(before["name"], "Kim Minji");
    assert_eq!(application(&before), &Value::Null);

    let id = apply(&app).await;
    let applied = me(&app).await;
    assert_eq!(
        application(&applied),
        &json!({ "status": "SUBMITTED", "accountMasked": "********9012", "round": { "number": 1 } }),
        "an application"
    );

    let corrected = app
        .graphql(
            Role::Customer,
            "C-1001",
            "mutation($id: ID!) { updateRefundAccount(applicationId: $id, bankCode: \"088\", accountNumber: \"11112222333\", accountHolder: \"Kim Minji\") { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(error_code(&corrected).is_none(), "{corrected}");
    assert_eq!(
        application(&me(&app).await)["accountMasked"],
        "*******2333",
        "an account correction"
    );

    admin(
        &app,
        "mutation { closePayoutRound(number: 1) { count } }",
        json!({}),
    )
    .await;
    assert_eq!(
        application(&me(&app).await)["status"],
        "SCHEDULED",
        "a closed round"
    );

    admin(
        &app,
        "mutation($id: ID!) { recordPayoutResult(applicationId: $id, paid: false) { id } }",
        json!({ "id": id }),
    )
    .await;
    let failed = me(&app).await;
    assert_eq!(
        application(&failed),
        &json!({ "status": "FAILED", "accountMasked": "*******2333", "round": null }),
        "a payout result"
    );

    app.import(&C_1001.replace("Kim Minji", "Kim Minjee")).await;
    assert_eq!(me(&app).await["name"], "Kim Minjee", "a re-import");
}

#[tokio::test]
async fn a_late_application_grant_is_in_the_next_me_and_on_the_agents_page() {
    let app = spawn_app_at("2026-02-05T10:00:00+09:00").await;
    app.import(C_1001).await;
    let page = "{ customerByPhone(phone: \"010-1234-5678\") { lines { feeWaiver { lateApplication { applyUntil } } } } }";
    let agent_before = app.graphql(Role::Agent, "agent-7", page, json!({})).await;
    assert_eq!(
        agent_before["data"]["customerByPhone"]["lines"][0]["feeWaiver"]["lateApplication"],
        Value::Null,
        "{agent_before}"
    );
    assert_eq!(
        me(&app).await["lines"][0]["feeWaiver"]["lateApplication"],
        Value::Null
    );

    let line = app.line_id("C-1001", "L-1001-1").await;
    let granted = app
        .graphql(
            Role::Agent,
            "agent-7",
            "mutation($line: ID!) { grantLateApplication(lineId: $line, reason: MILITARY_SERVICE, reasonEndedOn: \"2026-02-01\", evidenceNote: \"seen\") { applyUntil } }",
            json!({ "line": line }),
        )
        .await;
    assert!(error_code(&granted).is_none(), "{granted}");

    let deadline = json!({ "applyUntil": "2026-02-15" });
    assert_eq!(
        me(&app).await["lines"][0]["feeWaiver"]["lateApplication"],
        deadline
    );
    let agent_after = app.graphql(Role::Agent, "agent-7", page, json!({})).await;
    assert_eq!(
        agent_after["data"]["customerByPhone"]["lines"][0]["feeWaiver"]["lateApplication"],
        deadline,
        "{agent_after}"
    );
}

/// `benefits_customer_views_total{served="cache"}` on the replica at `at`.
async fn views_served_from_cache(app: &TestApp, at: SocketAddr) -> u64 {
    let metrics = app
        .client
        .get(format!("http://{at}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("benefits_customer_views_total{served=\"cache\"} "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no cached-view count in {metrics}"))
}

#[tokio::test]
async fn an_application_on_one_replica_is_in_the_next_me_on_the_other() {
    let redis = PrivateRedis::start();
    let first = spawn_app_with_redis(DEFAULT_CLOCK, Some(redis.url())).await;
    first.import(C_1001).await;
    let (second, _) = first.sibling_at(DEFAULT_CLOCK).await;
    let on_second = || async {
        let body = first
            .graphql_at(second, Role::Customer, "C-1001", ME, json!({}))
            .await;
        body["data"]["me"].clone()
    };
    // The other replica caches views once it hears invalidations (it subscribes as it
    // starts): wait until it serves `me` from its cache.
    let started = Instant::now();
    loop {
        assert_eq!(application(&on_second().await), &Value::Null);
        if views_served_from_cache(&first, second).await > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the other replica never cached the view"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    apply(&first).await;
    // Redis hands the invalidation to the other replica before the writer answers;
    // the other replica applies it as it reads it (well under a second).
    let started = Instant::now();
    loop {
        let seen = on_second().await;
        if application(&seen)["status"] == "SUBMITTED" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the other replica still shows {seen}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
