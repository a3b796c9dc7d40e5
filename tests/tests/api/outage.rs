//! Outages: with its Redis killed mid-test, the service keeps answering correctly from
//! the database, reports itself degraded, and uses Redis again once it returns.

use std::time::Duration;

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app_with_redis};
use crate::redis_server::PrivateRedis;

pub(crate) const VERIFY: &str = "query($code: String!, $offer: ID!) { verifyDiscount(code: $code, offerId: $offer, purchaseAmount: 5000) { eligible reason discountAmount } }";
pub(crate) const REDEEM: &str = "mutation($code: String!, $offer: ID!, $key: String!) { redeemDiscount(input: { code: $code, offerId: $offer, purchaseAmount: 5000, idempotencyKey: $key }) { status discountAmount } }";

pub(crate) async fn setup(app: &TestApp) -> (String, String) {
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let partner = json!({ "input": {
        "externalId": "P-ICE", "name": "Cold Stone", "category": "ICE_CREAM",
        "stores": [{ "externalId": "S-ICE", "name": "Hongdae" }],
        "offers": [{ "externalId": "O-1", "title": "1,000 off", "amountOff": 1000, "minPurchase": 0 }],
    }});
    let saved = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation($input: PartnerInput!) { upsertPartner(input: $input) { offers { id } } }",
            partner,
        )
        .await;
    let offer = saved["data"]["upsertPartner"]["offers"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lines = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { id } } }",
            json!({}),
        )
        .await;
    (
        offer,
        lines["data"]["me"]["lines"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

pub(crate) async fn code(app: &TestApp, line: &str) -> String {
    let body = app
        .graphql(
            Role::Customer,
            "C-1006",
            "mutation($line: ID!) { issueDiscountCode(lineId: $line) { code } }",
            json!({ "line": line }),
        )
        .await;
    body["data"]["issueDiscountCode"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn readiness(app: &TestApp) -> (u16, Value) {
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn with_redis_killed_verify_and_redeem_answer_from_the_database_and_recover_when_it_returns()
{
    let mut redis = PrivateRedis::start();
    let app = spawn_app_with_redis("2026-02-10T12:00:00+09:00", Some(redis.url())).await;
    let (offer, line) = setup(&app).await;
    let first = code(&app, &line).await;
    let verified = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": first, "offer": offer }),
        )
        .await;
    assert_eq!(
        verified["data"]["verifyDiscount"]["eligible"], true,
        "{verified}"
    );

    redis.kill();

    let during = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": first, "offer": offer }),
        )
        .await;
    assert_eq!(
        during["data"]["verifyDiscount"]["eligible"], true,
        "{during}"
    );
    let redeemed = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            REDEEM,
            json!({ "code": first, "offer": offer, "key": "a" }),
        )
        .await;
    assert_eq!(
        redeemed["data"]["redeemDiscount"]["status"], "REDEEMED",
        "{redeemed}"
    );
    let after = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": first, "offer": offer }),
        )
        .await;
    assert_eq!(
        after["data"]["verifyDiscount"]["reason"], "CODE_USED",
        "{after}"
    );
    let again = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            REDEEM,
            json!({ "code": first, "offer": offer, "key": "b" }),
        )
        .await;
    assert_eq!(error_code(&again), Some("CODE_USED"));
    let second = code(&app, &line).await;
    let fresh = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": second, "offer": offer }),
        )
        .await;
    assert_eq!(fresh["data"]["verifyDiscount"]["eligible"], true, "{fresh}");
    let (status, body) = readiness(&app).await;
    assert_eq!(
        (status, body["status"].as_str(), body["cache"].as_str()),
        (200, Some("degraded"), Some("degraded"))
    );

    let _back = PrivateRedis::start_on(redis.port);
    let mut recovered = false;
    for _ in 0..40 {
        if readiness(&app).await.1["cache"] == "ok" {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "the cache came back without a restart");
    let redeemed = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            REDEEM,
            json!({ "code": second, "offer": offer, "key": "c" }),
        )
        .await;
    assert_eq!(
        redeemed["data"]["redeemDiscount"]["status"], "REDEEMED",
        "{redeemed}"
    );
    let used = app
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": second, "offer": offer }),
        )
        .await;
    assert_eq!(used["data"]["verifyDiscount"]["reason"], "CODE_USED");
}
