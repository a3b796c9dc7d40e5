//! The OTT catalog's minimum ages: the default campaign's TVING (14) and Disney+ (19),
//! `BELOW_MINIMUM_AGE` refusals, and the list that says what a customer may choose.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{C_2002, TestApp, error_code, spawn_app_at};

const FEBRUARY: &str = "2026-02-10T12:00:00+09:00";
const SELECT: &str = "mutation($line: ID!, $service: ID!) { selectOtt(lineId: $line, serviceId: $service) { service { name } } }";
const CATALOG: &str = "{ ottServices { id externalId name minimumAge } }";

/// C-2002's active line as customer `C-<n>` born on `born`.
fn born(n: u32, born: &str) -> String {
    C_2002
        .replace("C-2002", &format!("C-{n}"))
        .replace("L-2002-1", &format!("L-{n}-1"))
        .replace("010-9999-0002", &format!("010-5000-{n:04}"))
        .replace("1990-05-05", born)
}

async fn app_with(customers: &[(u32, &str)]) -> TestApp {
    let app = spawn_app_at(FEBRUARY).await;
    let records: Vec<String> = customers.iter().map(|(n, b)| born(*n, b)).collect();
    let (_, rejections) = app.import(&records.join("\n")).await;
    assert!(rejections.is_empty(), "{rejections:?}");
    app
}

async fn service_id(app: &TestApp, external_id: &str) -> String {
    let catalog = app
        .graphql(Role::Customer, "C-5001", CATALOG, json!({}))
        .await;
    catalog["data"]["ottServices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["externalId"] == external_id)
        .unwrap_or_else(|| panic!("no {external_id}: {catalog}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn select(app: &TestApp, n: u32, service: &str) -> Value {
    let customer = format!("C-{n}");
    let line = app.line_id(&customer, &format!("L-{n}-1")).await;
    let service = service_id(app, service).await;
    app.graphql(
        Role::Customer,
        &customer,
        SELECT,
        json!({ "line": line, "service": service }),
    )
    .await
}

#[tokio::test]
async fn the_default_catalog_is_tving_from_fourteen_and_disney_plus_from_nineteen() {
    let app = spawn_app_at(FEBRUARY).await;
    let body = app
        .graphql(
            Role::PartnerStore,
            "S-1",
            "{ ottServices { externalId name minimumAge } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["ottServices"],
        json!([
            { "externalId": "DISNEY_PLUS", "name": "Disney+", "minimumAge": 19 },
            { "externalId": "TVING", "name": "TVING", "minimumAge": 14 },
        ]),
        "{body}"
    );
}

#[tokio::test]
async fn a_customer_below_a_services_minimum_age_that_day_cannot_choose_it() {
    // 19 today, 19 tomorrow, 13.
    let app = app_with(&[
        (5001, "2007-02-10"),
        (5002, "2007-02-11"),
        (5003, "2012-06-01"),
    ])
    .await;

    let nineteen = select(&app, 5001, "DISNEY_PLUS").await;
    assert_eq!(
        nineteen["data"]["selectOtt"]["service"]["name"], "Disney+",
        "{nineteen}"
    );
    let eighteen = select(&app, 5002, "DISNEY_PLUS").await;
    assert_eq!(error_code(&eighteen), Some("NOT_ELIGIBLE"), "{eighteen}");
    assert_eq!(
        eighteen["errors"][0]["extensions"]["reason"],
        "BELOW_MINIMUM_AGE"
    );
    let tving = select(&app, 5002, "TVING").await;
    assert_eq!(tving["data"]["selectOtt"]["service"]["name"], "TVING");
    let thirteen = select(&app, 5003, "TVING").await;
    assert_eq!(
        thirteen["errors"][0]["extensions"]["reason"], "BELOW_MINIMUM_AGE",
        "{thirteen}"
    );
}

#[tokio::test]
async fn the_apps_list_says_which_services_the_customer_may_choose() {
    let app = app_with(&[(5002, "2007-02-11")]).await;
    let body = app
        .graphql(
            Role::Customer,
            "C-5002",
            "{ me { lines { ottChoices { service { name minimumAge } selectable reason } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["me"]["lines"][0]["ottChoices"],
        json!([
            { "service": { "name": "Disney+", "minimumAge": 19 }, "selectable": false, "reason": "BELOW_MINIMUM_AGE" },
            { "service": { "name": "TVING", "minimumAge": 14 }, "selectable": true, "reason": null },
        ]),
        "{body}"
    );
}

#[tokio::test]
async fn admins_set_keep_and_clear_a_services_minimum_age() {
    let app = spawn_app_at(FEBRUARY).await;
    let upsert = |variables: Value| {
        app.graphql(
            Role::Admin,
            "admin-1",
            "mutation($e: String!, $n: String!, $a: Int) { upsertOttService(externalId: $e, name: $n, minimumAge: $a) { name minimumAge } }",
            variables,
        )
    };
    let renamed = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"mutation { upsertOttService(externalId: "TVING", name: "티빙") { name minimumAge } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        renamed["data"]["upsertOttService"],
        json!({ "name": "티빙", "minimumAge": 14 }),
        "left out, the minimum age stays: {renamed}"
    );
    let set = upsert(json!({ "e": "KIDS", "n": "Kids", "a": 7 })).await;
    assert_eq!(set["data"]["upsertOttService"]["minimumAge"], 7);
    let cleared = upsert(json!({ "e": "KIDS", "n": "Kids", "a": null })).await;
    assert_eq!(
        cleared["data"]["upsertOttService"]["minimumAge"],
        Value::Null
    );
    let negative = upsert(json!({ "e": "KIDS", "n": "Kids", "a": -1 })).await;
    assert_eq!(error_code(&negative), Some("BAD_USER_INPUT"), "{negative}");
}
