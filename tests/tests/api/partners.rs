//! Partner discounts at the till, through the API: codes, verify, redeem under
//! concurrency, idempotent retries, limits and cancellation.

use benefits_domain::auth::Role;
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app_at};

const LUNCH: &str = "2026-02-10T12:00:00+09:00";

const UPSERT: &str = "mutation($input: PartnerInput!) { upsertPartner(input: $input) { id category offers { id externalId } stores { externalId } } }";
const ISSUE: &str = "mutation($line: ID!) { issueDiscountCode(lineId: $line) { code expiresAt } }";
const VERIFY: &str = "query($code: String!, $offer: ID!, $amount: Int!) { verifyDiscount(code: $code, offerId: $offer, purchaseAmount: $amount) { eligible reason discountAmount } }";
const REDEEM: &str = "mutation($input: RedeemDiscountInput!) { redeemDiscount(input: $input) { id discountAmount status } }";
const CANCEL: &str = "mutation($id: ID!) { cancelRedemption(id: $id) { id status } }";

/// The demo customers and one coffee partner with two stores and three offers.
struct Till {
    app: TestApp,
    percent: String,
    limited: String,
    daily: String,
    line: String,
}

async fn till() -> Till {
    let app = spawn_app_at(LUNCH).await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let partner = json!({ "input": {
        "externalId": "P-COFFEE", "name": "Bean There", "category": "COFFEE",
        "stores": [{ "externalId": "S-1", "name": "Gangnam" }, { "externalId": "S-2", "name": "Mapo" }],
        "offers": [
            { "externalId": "O-10", "title": "10% off", "percentOff": 10, "maxDiscount": 3000, "minPurchase": 3000 },
            { "externalId": "O-LIM", "title": "1,000 off, five times", "amountOff": 1000, "minPurchase": 0, "perProgram": 5 },
            { "externalId": "O-DAY", "title": "500 off daily", "amountOff": 500, "minPurchase": 0, "perDay": 1 },
        ],
    }});
    let body = app.graphql(Role::Admin, "admin-1", UPSERT, partner).await;
    let offers = body["data"]["upsertPartner"]["offers"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone();
    let offer = |external: &str| {
        offers.iter().find(|o| o["externalId"] == external).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let lines = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { id externalId } } }",
            json!({}),
        )
        .await;
    let line = lines["data"]["me"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["externalId"] == "L-1006-1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Till {
        percent: offer("O-10"),
        limited: offer("O-LIM"),
        daily: offer("O-DAY"),
        line,
        app,
    }
}

impl Till {
    /// On 2026-02-10 at the coffee partner: 1,200 off at S-1 and 1,000 off at S-2 stand;
    /// a third redemption at S-2 was cancelled.
    async fn two_standing_redemptions_and_a_cancelled_one(&self) {
        self.redeem("S-1", &self.code().await, &self.percent, 12_000, "a")
            .await;
        let cancelled = self
            .redeem("S-2", &self.code().await, &self.percent, 30_000, "b")
            .await;
        let id = cancelled["data"]["redeemDiscount"]["id"].clone();
        self.app
            .graphql(Role::PartnerStore, "S-2", CANCEL, json!({ "id": id }))
            .await;
        self.redeem("S-2", &self.code().await, &self.limited, 9_000, "c")
            .await;
    }

    async fn code(&self) -> String {
        let body = self
            .app
            .graphql(
                Role::Customer,
                "C-1006",
                ISSUE,
                json!({ "line": self.line }),
            )
            .await;
        body["data"]["issueDiscountCode"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned()
    }

    async fn verify(&self, store: &str, code: &str, offer: &str, amount: i64) -> Value {
        let body = self
            .app
            .graphql(
                Role::PartnerStore,
                store,
                VERIFY,
                json!({ "code": code, "offer": offer, "amount": amount }),
            )
            .await;
        body["data"]["verifyDiscount"].clone()
    }

    async fn redeem(&self, store: &str, code: &str, offer: &str, amount: i64, key: &str) -> Value {
        let input = json!({ "input": { "code": code, "offerId": offer, "purchaseAmount": amount, "idempotencyKey": key } });
        self.app
            .graphql(Role::PartnerStore, store, REDEEM, input)
            .await
    }
}

#[tokio::test]
async fn a_verified_code_quotes_the_discount_and_redeeming_it_gives_the_same() {
    let till = till().await;
    let code = till.code().await;
    assert_eq!(code.len(), 16);
    let quote = till.verify("S-1", &code, &till.percent, 45_000).await;
    assert_eq!(
        quote,
        json!({ "eligible": true, "reason": null, "discountAmount": 3000 }),
        "capped at 3,000"
    );
    let redeemed = till.redeem("S-1", &code, &till.percent, 12_345, "k1").await;
    assert_eq!(
        redeemed["data"]["redeemDiscount"]["discountAmount"], 1234,
        "{redeemed}"
    );
    assert_eq!(redeemed["data"]["redeemDiscount"]["status"], "REDEEMED");
}

#[tokio::test]
async fn a_refused_quote_is_an_answer_not_an_error() {
    let till = till().await;
    let code = till.code().await;
    let unknown = till
        .verify("S-1", "0000000000000000", &till.percent, 5_000)
        .await;
    assert_eq!(
        unknown,
        json!({ "eligible": false, "reason": "CODE_INVALID", "discountAmount": 0 })
    );
    let below = till.verify("S-1", &code, &till.percent, 2_999).await;
    assert_eq!(below["reason"], "BELOW_MINIMUM");
    let below_redeem = till.redeem("S-1", &code, &till.percent, 2_999, "k").await;
    assert_eq!(
        error_code(&below_redeem),
        Some("BELOW_MINIMUM"),
        "and the code is not consumed"
    );
    assert_eq!(
        till.verify("S-1", &code, &till.percent, 3_000).await["eligible"],
        true
    );
}

#[tokio::test]
async fn verify_after_a_redemption_shows_the_code_used() {
    let till = till().await;
    let code = till.code().await;
    assert_eq!(
        till.verify("S-1", &code, &till.percent, 5_000).await["eligible"],
        true
    );
    till.redeem("S-1", &code, &till.percent, 5_000, "k").await;
    let after = till.verify("S-1", &code, &till.percent, 5_000).await;
    assert_eq!(
        after,
        json!({ "eligible": false, "reason": "CODE_USED", "discountAmount": 0 })
    );
    let again = till
        .redeem("S-2", &code, &till.percent, 5_000, "other")
        .await;
    assert_eq!(error_code(&again), Some("CODE_USED"));
}

#[tokio::test]
async fn a_code_expires_after_five_minutes() {
    let till = till().await;
    let code = till.code().await;
    let (address, _) = till.app.sibling_at("2026-02-10T12:05:00+09:00").await;
    let token = till.app.token(Role::PartnerStore, "S-1");
    let later: Value = till
        .app
        .client
        .post(format!("http://{address}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": VERIFY, "variables": { "code": code, "offer": till.percent, "amount": 5000 } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        later["data"]["verifyDiscount"]["reason"], "CODE_EXPIRED",
        "{later}"
    );
}

#[tokio::test]
async fn twenty_parallel_redemptions_of_one_code_succeed_once() {
    let till = till().await;
    let code = till.code().await;
    let inputs = (0..20)
        .map(|i| json!({ "input": { "code": code, "offerId": till.percent, "purchaseAmount": 5000, "idempotencyKey": format!("k{i}") } }))
        .collect();
    let results = till
        .app
        .graphql_concurrently(Role::PartnerStore, "S-1", REDEEM, inputs)
        .await;
    let redeemed = results
        .iter()
        .filter(|r| r["data"]["redeemDiscount"]["id"].is_string())
        .count();
    let used = results
        .iter()
        .filter(|r| error_code(r) == Some("CODE_USED"))
        .count();
    assert_eq!((redeemed, used), (1, 19), "{results:?}");
}

#[tokio::test]
async fn twenty_codes_against_a_limit_of_five_redeem_exactly_five_times() {
    let till = till().await;
    let mut codes = Vec::new();
    for _ in 0..20 {
        codes.push(till.code().await);
    }
    let inputs = codes
        .iter()
        .enumerate()
        .map(|(i, code)| json!({ "input": { "code": code, "offerId": till.limited, "purchaseAmount": 5000, "idempotencyKey": format!("k{i}") } }))
        .collect();
    let results = till
        .app
        .graphql_concurrently(Role::PartnerStore, "S-1", REDEEM, inputs)
        .await;
    let redeemed = results
        .iter()
        .filter(|r| r["data"]["redeemDiscount"]["id"].is_string())
        .count();
    let refused = results
        .iter()
        .filter(|r| error_code(r) == Some("LIMIT_REACHED"))
        .count();
    assert_eq!((redeemed, refused), (5, 15), "{results:?}");
    let quote = till
        .verify("S-1", &till.code().await, &till.limited, 5_000)
        .await;
    assert_eq!(quote["reason"], "LIMIT_REACHED");
}

#[tokio::test]
async fn a_retried_redemption_with_the_same_key_returns_the_same_redemption() {
    let till = till().await;
    let code = till.code().await;
    let first = till
        .redeem("S-1", &code, &till.percent, 5_000, "pos-42")
        .await;
    let retry = till
        .redeem("S-1", &code, &till.percent, 5_000, "pos-42")
        .await;
    assert_eq!(first["data"], retry["data"], "{retry}");
    let changed = till
        .redeem("S-1", &code, &till.percent, 6_000, "pos-42")
        .await;
    assert_eq!(
        error_code(&changed),
        Some("IDEMPOTENCY_CONFLICT"),
        "{changed}"
    );
}

#[tokio::test]
async fn a_cancelled_redemption_gives_its_usage_back() {
    let till = till().await;
    let first = till
        .redeem("S-1", &till.code().await, &till.daily, 5_000, "a")
        .await;
    let id = first["data"]["redeemDiscount"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = till
        .redeem("S-1", &till.code().await, &till.daily, 5_000, "b")
        .await;
    assert_eq!(error_code(&second), Some("LIMIT_REACHED"), "one a day");

    let cancelled = till
        .app
        .graphql(Role::PartnerStore, "S-1", CANCEL, json!({ "id": id }))
        .await;
    assert_eq!(
        cancelled["data"]["cancelRedemption"]["status"], "CANCELLED",
        "{cancelled}"
    );
    let third = till
        .redeem("S-1", &till.code().await, &till.daily, 5_000, "c")
        .await;
    assert_eq!(
        third["data"]["redeemDiscount"]["status"], "REDEEMED",
        "{third}"
    );
    // Each redemption and the cancellation wrote their event with the change; the
    // refused one wrote none.
    let rows = benefits_infra::db::entities::event_outbox::Entity::find()
        .filter(
            benefits_infra::db::entities::event_outbox::Column::EventType
                .is_in(["discount.redeemed", "discount.cancelled"]),
        )
        .order_by_asc(benefits_infra::db::entities::event_outbox::Column::Seq)
        .all(&till.app.app.db)
        .await
        .unwrap();
    let events = benefits_infra::db::events::envelopes(&till.app.app.db, rows)
        .await
        .unwrap();
    let kinds: Vec<_> = events.iter().map(|(_, e)| e["type"].clone()).collect();
    assert_eq!(
        kinds,
        [
            "discount.redeemed",
            "discount.cancelled",
            "discount.redeemed"
        ]
    );
    let data = &events[1].1["data"];
    assert_eq!(data["redemptionId"], id.as_str());
    assert_eq!(data["partnerExternalId"], "P-COFFEE");
    assert_eq!(data["storeExternalId"], "S-1");
    assert_eq!(data["offerExternalId"], "O-DAY");
    assert_eq!(data["purchaseAmount"], 5_000);
    assert_eq!(data["discountAmount"], 500);
    assert!(data["lineExternalId"].is_string(), "{data}");
}

#[tokio::test]
async fn another_stores_redemption_is_not_found() {
    let till = till().await;
    let first = till
        .redeem("S-1", &till.code().await, &till.percent, 5_000, "a")
        .await;
    let id = first["data"]["redeemDiscount"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = till
        .app
        .graphql(Role::PartnerStore, "S-2", CANCEL, json!({ "id": id }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let missing = till
        .app
        .graphql(
            Role::PartnerStore,
            "S-1",
            CANCEL,
            json!({ "id": "no-such-id" }),
        )
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));
}

#[tokio::test]
async fn a_code_is_issued_only_for_the_callers_own_eligible_line() {
    let till = till().await;
    let other = till
        .app
        .graphql(
            Role::Customer,
            "C-1001",
            ISSUE,
            json!({ "line": till.line }),
        )
        .await;
    assert_eq!(error_code(&other), Some("NOT_FOUND"));
    let lines = till
        .app
        .graphql(
            Role::Customer,
            "C-1003",
            "{ me { lines { id externalId } } }",
            json!({}),
        )
        .await;
    let iot = lines["data"]["me"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["externalId"] == "L-1003-1")
        .unwrap()["id"]
        .clone();
    let refused = till
        .app
        .graphql(Role::Customer, "C-1003", ISSUE, json!({ "line": iot }))
        .await;
    assert_eq!(error_code(&refused), Some("NOT_ELIGIBLE"), "{refused}");
}

#[tokio::test]
async fn codes_are_issued_only_in_the_discount_period() {
    let app = spawn_app_at("2026-01-31T12:00:00+09:00").await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let lines = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { id } } }",
            json!({}),
        )
        .await;
    let line = lines["data"]["me"]["lines"][0]["id"].clone();
    let body = app
        .graphql(Role::Customer, "C-1006", ISSUE, json!({ "line": line }))
        .await;
    assert_eq!(error_code(&body), Some("WINDOW_CLOSED"));
}

#[tokio::test]
async fn only_admins_change_the_catalog_and_only_stores_verify() {
    let till = till().await;
    let body = till
        .app
        .graphql(
            Role::Agent,
            "agent-1",
            UPSERT,
            json!({ "input": {
        "externalId": "P-X", "name": "X", "category": "BAKERY", "stores": [], "offers": [] } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    let verify = till
        .app
        .graphql(
            Role::Customer,
            "C-1006",
            VERIFY,
            json!({ "code": "1", "offer": till.percent, "amount": 1 }),
        )
        .await;
    assert_eq!(error_code(&verify), Some("FORBIDDEN"));
    let partners = till
        .app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ partners { externalId category offers { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        partners["data"]["partners"][0]["category"], "COFFEE",
        "{partners}"
    );
}

#[tokio::test]
async fn a_store_pages_through_its_own_redemptions_only() {
    let till = till().await;
    for key in ["a", "b", "c"] {
        till.redeem("S-1", &till.code().await, &till.percent, 5_000, key)
            .await;
    }
    till.redeem("S-2", &till.code().await, &till.percent, 5_000, "d")
        .await;
    let page = "query($after: ID) { storeRedemptions(first: 2, after: $after) { items { id discountAmount } nextCursor } }";
    let first = till
        .app
        .graphql(Role::PartnerStore, "S-1", page, json!({}))
        .await;
    let items = first["data"]["storeRedemptions"]["items"]
        .as_array()
        .unwrap()
        .clone();
    let cursor = first["data"]["storeRedemptions"]["nextCursor"].clone();
    assert_eq!(items.len(), 2, "{first}");
    let second = till
        .app
        .graphql(Role::PartnerStore, "S-1", page, json!({ "after": cursor }))
        .await;
    let rest = second["data"]["storeRedemptions"]["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rest.len(), 1, "S-2's redemption is not S-1's: {second}");
    assert!(!items.iter().any(|item| item["id"] == rest[0]["id"]));
}

#[tokio::test]
async fn admins_see_a_days_settlement_per_partner() {
    let till = till().await;
    till.two_standing_redemptions_and_a_cancelled_one().await;
    let body = till
        .app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ partnerSettlement(day: \"2026-02-10\") { partner { externalId } count totalDiscount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["partnerSettlement"],
        json!([{ "partner": { "externalId": "P-COFFEE" }, "count": 2, "totalDiscount": 2_200 }]),
        "1,200 + 1,000; the cancelled one does not count"
    );
}

#[tokio::test]
async fn a_customer_issuing_codes_too_fast_is_rate_limited() {
    let till = till().await;
    let mut codes = 0;
    let mut limited = None;
    for attempt in 1..=31 {
        let body = till
            .app
            .graphql(
                Role::Customer,
                "C-1006",
                ISSUE,
                json!({ "line": till.line }),
            )
            .await;
        if error_code(&body) == Some("RATE_LIMITED") {
            limited = Some(attempt);
            break;
        }
        codes += 1;
    }
    assert_eq!((codes, limited), (30, Some(31)));
}

#[tokio::test]
async fn a_store_guessing_codes_is_slowed_down_and_reported() {
    let till = till().await;
    let real = till.code().await;
    for guess in 0..20 {
        let quote = till
            .verify("S-1", &format!("{guess:016}"), &till.percent, 5_000)
            .await;
        assert_eq!(quote["reason"], "CODE_INVALID");
    }
    let body = till
        .app
        .graphql(
            Role::PartnerStore,
            "S-1",
            VERIFY,
            json!({ "code": real, "offer": till.percent, "amount": 5000 }),
        )
        .await;
    assert_eq!(
        error_code(&body),
        Some("RATE_LIMITED"),
        "even a real code, for the rest of the minute: {body}"
    );
    let other_store = till.verify("S-2", &real, &till.percent, 5_000).await;
    assert_eq!(
        other_store["eligible"], true,
        "another store is not slowed down"
    );
    let metrics = till
        .app
        .client
        .get(till.app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .contains("benefits_security_events_total{kind=\"unknown_code\",reason=\"verify\"} 20"),
        "{metrics}"
    );
}

const BY_DAY: &str = "query($from: String!, $until: String!) { redemptionsByDay(from: $from, until: $until) { day category count totalDiscount } }";

#[tokio::test]
async fn the_dashboard_counts_standing_redemptions_per_day_and_category() {
    let till = till().await;
    till.two_standing_redemptions_and_a_cancelled_one().await;
    let body = till
        .app
        .graphql(
            Role::Admin,
            "admin-1",
            BY_DAY,
            json!({ "from": "2026-02-01", "until": "2026-07-31" }),
        )
        .await;
    assert_eq!(
        body["data"]["redemptionsByDay"],
        json!([{ "day": "2026-02-10", "category": "COFFEE", "count": 2, "totalDiscount": 2_200 }]),
        "{body}"
    );
    let before = till
        .app
        .graphql(
            Role::Admin,
            "admin-1",
            BY_DAY,
            json!({ "from": "2026-02-01", "until": "2026-02-09" }),
        )
        .await;
    assert_eq!(before["data"]["redemptionsByDay"], json!([]));
}

#[tokio::test]
async fn redemptions_by_day_is_for_admins_over_a_bounded_period() {
    let app = spawn_app_at(LUNCH).await;
    let week = json!({ "from": "2026-02-01", "until": "2026-02-07" });
    for role in [Role::Agent, Role::Customer, Role::PartnerStore] {
        let body = app.graphql(role, "someone", BY_DAY, week.clone()).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}: {body}");
    }
    for (from, until) in [
        ("2026-02-07", "2026-02-01"),
        ("2026-01-01", "2027-06-30"),
        ("february", "2026-02-07"),
    ] {
        let body = app
            .graphql(
                Role::Admin,
                "admin-1",
                BY_DAY,
                json!({ "from": from, "until": until }),
            )
            .await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{from}..{until}: {body}"
        );
    }
}
