//! The default campaign's payout rounds as the operator paid them, the migration that
//! corrects databases seeded with the first (wrong) round 2, and admins adding a round.

use std::net::SocketAddr;
use std::time::Duration;

use benefits_api::app::App;
use benefits_domain::auth::Role;
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};

use crate::helpers::{C_1001, TestApp, error_code, spawn_app_at};

const APPLY: &str = "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id round { number } } }";
const ROUNDS: &str =
    "{ campaign { payoutRounds { number payDate cancelledUntil appliedUntil closed } } }";

/// C-1001's line cancelled on `cancelled_on`, as customer `C-<n>` with line `L-<n>-1`.
fn customer_cancelled_on(n: u32, cancelled_on: &str) -> String {
    C_1001
        .replace("C-1001", &format!("C-{n}"))
        .replace("L-1001-1", &format!("L-{n}-1"))
        .replace("010-1234-5678", &format!("010-3000-{n:04}"))
        .replace(
            "\"terminatedOn\":\"2025-10-02\"",
            &format!("\"terminatedOn\":\"{cancelled_on}\""),
        )
}

async fn import(app: &TestApp, jsonl: &str) {
    let (_, rejections) = app.import(jsonl).await;
    assert!(rejections.is_empty(), "{rejections:?}");
}

/// The same service at another moment: a sibling server with its own clock.
struct Later {
    address: SocketAddr,
    app: App,
}

impl Later {
    async fn of(app: &TestApp, clock: &str) -> Self {
        let (address, app) = app.sibling_at(clock).await;
        Self { address, app }
    }

    async fn graphql(&self, role: Role, subject: &str, query: &str, variables: Value) -> Value {
        let token = self
            .app
            .tokens
            .issue(role, subject, Duration::from_hours(1))
            .unwrap();
        reqwest::Client::new()
            .post(format!("http://{}/graphql", self.address))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

async fn apply_at(app: &TestApp, clock: &str, customer: &str, line: &str) -> Value {
    let later = Later::of(app, clock).await;
    let lines = later
        .graphql(
            Role::Customer,
            customer,
            "{ me { lines { id externalId } } }",
            json!({}),
        )
        .await;
    let line_id = lines["data"]["me"]["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("{lines}"))
        .iter()
        .find(|l| l["externalId"] == line)
        .unwrap()["id"]
        .clone();
    let input = json!({ "input": {
        "lineId": line_id, "channel": "WEB", "bankCode": "004", "accountNumber": "123-456-789012",
        "accountHolder": "Kim Minji", "idempotencyKey": format!("{customer}-{clock}"),
    }});
    later.graphql(Role::Customer, customer, APPLY, input).await
}

async fn sql(app: &TestApp, statement: &str) {
    app.app
        .db
        .execute_unprepared(statement)
        .await
        .unwrap_or_else(|error| panic!("{statement}: {error}"));
}

/// Puts round 2 back to what the first seed said, as an old database still holds it.
async fn seed_the_old_round_two(app: &TestApp) {
    sql(
        app,
        "UPDATE payout_rounds SET cancelled_until = '2026-01-13', applied_until = '2026-01-25' WHERE number = 2",
    )
    .await;
}

/// Runs the correcting migration again, as on a database that never had it.
async fn rerun_the_round_correction(app: &TestApp) {
    sql(
        app,
        "DELETE FROM seaql_migrations WHERE version = 'm20261203_000300_payout_rounds_as_paid'",
    )
    .await;
    benefits_infra::db::migrate(&app.app.db).await.unwrap();
}

async fn round_of(app: &TestApp, id: &str) -> Value {
    let body = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ refundApplications(first: 500) { id round { number } } }",
            json!({}),
        )
        .await;
    body["data"]["refundApplications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no application {id}: {body}"))["round"]["number"]
        .clone()
}

#[tokio::test]
async fn december_cancellations_are_paid_in_round_two_and_januarys_in_round_three() {
    let app = spawn_app_at("2026-01-20T10:00:00+09:00").await;
    import(&app, &customer_cancelled_on(3001, "2025-11-20")).await;
    import(&app, &customer_cancelled_on(3002, "2026-01-05")).await;

    let december = apply_at(&app, "2026-01-27T10:00:00+09:00", "C-3001", "L-3001-1").await;
    let january = apply_at(&app, "2026-01-20T10:00:00+09:00", "C-3002", "L-3002-1").await;

    assert_eq!(
        december["data"]["applyForRefund"]["round"]["number"], 2,
        "{december}"
    );
    assert_eq!(
        january["data"]["applyForRefund"]["round"]["number"], 3,
        "{january}"
    );
    let rounds = app.graphql(Role::Admin, "admin-1", ROUNDS, json!({})).await;
    assert_eq!(
        rounds["data"]["campaign"]["payoutRounds"][1],
        json!({ "number": 2, "payDate": "2026-02-05", "cancelledUntil": "2025-12-31", "appliedUntil": "2026-01-31", "closed": false }),
        "{rounds}"
    );
}

#[tokio::test]
async fn a_database_seeded_with_the_old_round_two_is_corrected_with_its_applications() {
    let app = spawn_app_at("2026-01-20T10:00:00+09:00").await;
    import(&app, &customer_cancelled_on(3001, "2025-11-20")).await;
    import(&app, &customer_cancelled_on(3002, "2026-01-05")).await;
    seed_the_old_round_two(&app).await;
    // Under the old round 2: a December cancellation applied on the 27th went to round
    // 3, a January one applied on the 20th to round 2.
    let december = apply_at(&app, "2026-01-27T10:00:00+09:00", "C-3001", "L-3001-1").await;
    let january = apply_at(&app, "2026-01-20T10:00:00+09:00", "C-3002", "L-3002-1").await;
    assert_eq!(december["data"]["applyForRefund"]["round"]["number"], 3);
    assert_eq!(january["data"]["applyForRefund"]["round"]["number"], 2);

    rerun_the_round_correction(&app).await;

    let later = Later::of(&app, "2026-01-28T10:00:00+09:00").await;
    let rounds = later
        .graphql(Role::Admin, "admin-1", ROUNDS, json!({}))
        .await;
    assert_eq!(
        rounds["data"]["campaign"]["payoutRounds"][1]["cancelledUntil"],
        "2025-12-31"
    );
    assert_eq!(
        rounds["data"]["campaign"]["payoutRounds"][1]["appliedUntil"],
        "2026-01-31"
    );
    let december_id = december["data"]["applyForRefund"]["id"].as_str().unwrap();
    let january_id = january["data"]["applyForRefund"]["id"].as_str().unwrap();
    assert_eq!(round_of(&app, december_id).await, 2);
    assert_eq!(round_of(&app, january_id).await, 3);
}

#[tokio::test]
async fn a_round_two_an_admin_edited_or_closed_is_left_alone() {
    let app = spawn_app_at("2026-01-20T10:00:00+09:00").await;
    sql(
        &app,
        "UPDATE payout_rounds SET cancelled_until = '2026-01-13', applied_until = '2026-01-27' WHERE number = 2",
    )
    .await;
    rerun_the_round_correction(&app).await;
    let later = Later::of(&app, "2026-01-20T10:00:00+09:00").await;
    let edited = later
        .graphql(Role::Admin, "admin-1", ROUNDS, json!({}))
        .await;
    assert_eq!(
        edited["data"]["campaign"]["payoutRounds"][1]["appliedUntil"], "2026-01-27",
        "an admin's edit stays"
    );

    let closed = spawn_app_at("2026-02-06T10:00:00+09:00").await;
    seed_the_old_round_two(&closed).await;
    let file = closed
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { closePayoutRound(number: 2) { count } }",
            json!({}),
        )
        .await;
    assert_eq!(file["data"]["closePayoutRound"]["count"], 0, "{file}");
    rerun_the_round_correction(&closed).await;
    let later = Later::of(&closed, "2026-02-06T10:00:00+09:00").await;
    let kept = later
        .graphql(Role::Admin, "admin-1", ROUNDS, json!({}))
        .await;
    assert_eq!(
        kept["data"]["campaign"]["payoutRounds"][1],
        json!({ "number": 2, "payDate": "2026-02-05", "cancelledUntil": "2026-01-13", "appliedUntil": "2026-01-25", "closed": true }),
        "a closed round keeps the dates its file was made with"
    );
    assert!(error_code(&kept).is_none());
}
