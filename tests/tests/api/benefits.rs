//! The appreciation program through the API: every exclusion and boundary of
//! program.md section 2 on the demo data set.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_demo_at};

const FEBRUARY: &str = "2026-02-10T10:00:00+09:00";

/// `kind -> reason` (null when eligible) of one line.
async fn benefits_of(app: &TestApp, customer: &str, line: &str) -> Value {
    let body = app
        .graphql(
            Role::Customer,
            customer,
            "{ me { lines { externalId benefits { kind eligible reason } } } }",
            json!({}),
        )
        .await;
    let line = body["data"]["me"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["externalId"] == line)
        .unwrap()
        .clone();
    let mut by_kind = serde_json::Map::new();
    for benefit in line["benefits"].as_array().unwrap() {
        assert_eq!(benefit["eligible"], benefit["reason"].is_null());
        by_kind.insert(
            benefit["kind"].as_str().unwrap().to_owned(),
            benefit["reason"].clone(),
        );
    }
    Value::Object(by_kind)
}

#[tokio::test]
async fn each_line_gets_one_entry_per_benefit_with_the_first_failing_rule() {
    let app = spawn_demo_at(FEBRUARY).await;
    let all = |reason: Value| json!({ "MONTHLY_DATA": reason, "ROAMING_BONUS": reason, "OTT_SUBSCRIPTION": reason, "PARTNER_DISCOUNT": reason });
    assert_eq!(
        benefits_of(&app, "C-1006", "L-1006-1").await,
        all(Value::Null)
    );
    assert_eq!(
        benefits_of(&app, "C-1002", "L-1002-1").await,
        all(json!("NOT_IN_SERVICE_ON_BASE_DATE"))
    );
    assert_eq!(
        benefits_of(&app, "C-1003", "L-1003-1").await,
        all(json!("NOT_IN_SERVICE_ON_BASE_DATE"))
    );
    assert_eq!(
        benefits_of(&app, "C-1017", "L-1017-1").await,
        all(json!("NOT_IN_SERVICE_ON_BASE_DATE")),
        "terminated 2026-01-13"
    );
    assert_eq!(
        benefits_of(&app, "C-1017", "L-1017-2").await,
        all(json!("LINE_TERMINATED")),
        "terminated 2026-02-10"
    );
    assert_eq!(
        benefits_of(&app, "C-1014", "L-1014-1").await,
        json!({ "MONTHLY_DATA": "PREPAID_LINE", "ROAMING_BONUS": null, "OTT_SUBSCRIPTION": null, "PARTNER_DISCOUNT": null })
    );
    assert_eq!(
        benefits_of(&app, "C-1015", "L-1015-2").await,
        json!({ "MONTHLY_DATA": null, "ROAMING_BONUS": null, "OTT_SUBSCRIPTION": "SECOND_DEVICE", "PARTNER_DISCOUNT": null })
    );
    assert_eq!(
        benefits_of(&app, "C-1016", "L-1016-1").await["MONTHLY_DATA"],
        "SUSPENDED"
    );
}

const INSURANCE: &str = "{ me { insurance { eligible covered automatic coverageEnd reason } } }";

#[tokio::test]
async fn customers_65_or_over_on_the_base_date_are_covered_automatically() {
    let app = spawn_demo_at(FEBRUARY).await;
    let born_13th = app
        .graphql(Role::Customer, "C-1018", INSURANCE, json!({}))
        .await;
    assert_eq!(
        born_13th["data"]["me"]["insurance"],
        json!({ "eligible": true, "covered": true, "automatic": true, "coverageEnd": "2028-01-31", "reason": null })
    );
    let born_14th = app
        .graphql(Role::Customer, "C-1006", INSURANCE, json!({}))
        .await;
    assert_eq!(
        born_14th["data"]["me"]["insurance"],
        json!({ "eligible": true, "covered": false, "automatic": false, "coverageEnd": null, "reason": "NOT_ENROLLED" }),
        "born 1961-01-14: one day too young"
    );
    let enrolled = app
        .graphql(
            Role::Customer,
            "C-1006",
            "mutation { enrollInsurance(consent: true) { covered automatic coverageEnd } }",
            json!({}),
        )
        .await;
    assert_eq!(
        enrolled["data"]["enrollInsurance"],
        json!({ "covered": true, "automatic": false, "coverageEnd": "2028-01-31" })
    );
    let after = app
        .graphql(Role::Customer, "C-1006", INSURANCE, json!({}))
        .await;
    assert_eq!(after["data"]["me"]["insurance"]["covered"], true);
}

#[tokio::test]
async fn enrolling_without_consent_is_bad_input_and_companies_are_not_eligible() {
    let app = spawn_demo_at(FEBRUARY).await;
    let refused = app
        .graphql(
            Role::Customer,
            "C-1006",
            "mutation { enrollInsurance(consent: false) { covered } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"));
    let company = app
        .graphql(Role::Customer, "C-1013", INSURANCE, json!({}))
        .await;
    assert_eq!(
        company["data"]["me"]["insurance"]["reason"],
        "CORPORATE_CUSTOMER"
    );
    let enrol = app
        .graphql(
            Role::Customer,
            "C-1013",
            "mutation { enrollInsurance(consent: true) { covered } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&enrol), Some("NOT_ELIGIBLE"));
    assert_eq!(
        enrol["errors"][0]["extensions"]["reason"],
        "CORPORATE_CUSTOMER"
    );
    let gone = app
        .graphql(Role::Customer, "C-1004", INSURANCE, json!({}))
        .await;
    assert_eq!(
        gone["data"]["me"]["insurance"]["reason"],
        "NOT_IN_SERVICE_ON_BASE_DATE"
    );
}

const GRANT: &str = "mutation($m: String!) { runMonthlyDataGrant(month: $m) { granted skipped } }";

#[tokio::test]
async fn running_the_february_grant_twice_grants_once() {
    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    let first = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let again = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let first = &first["data"]["runMonthlyDataGrant"];
    assert!(first["granted"].as_i64().unwrap() > 0, "{first}");
    assert_eq!(again["data"]["runMonthlyDataGrant"]["granted"], 0);
    assert_eq!(
        again["data"]["runMonthlyDataGrant"]["skipped"],
        first["skipped"]
    );
    let grants = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { externalId dataGrants { month gigabytes } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        grants["data"]["me"]["lines"][0]["dataGrants"],
        json!([{ "month": "2026-02", "gigabytes": 100 }])
    );
    let prepaid = app
        .graphql(
            Role::Customer,
            "C-1014",
            "{ me { lines { dataGrants { month } } } }",
            json!({}),
        )
        .await;
    assert_eq!(prepaid["data"]["me"]["lines"][0]["dataGrants"], json!([]));
}

#[tokio::test]
async fn two_concurrent_grant_runs_grant_once_in_total() {
    let app = spawn_demo_at("2026-03-01T00:05:00+09:00").await;
    let months = vec![json!({ "m": "2026-03" }); 2];
    let results = app
        .graphql_concurrently(Role::Admin, "admin-1", GRANT, months)
        .await;
    let granted: i64 = results
        .iter()
        .map(|r| {
            r["data"]["runMonthlyDataGrant"]["granted"]
                .as_i64()
                .unwrap()
        })
        .sum();
    let alone = spawn_demo_at("2026-03-01T00:05:00+09:00").await;
    let single = alone
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-03" }))
        .await;
    assert_eq!(
        granted,
        single["data"]["runMonthlyDataGrant"]["granted"]
            .as_i64()
            .unwrap(),
        "{results:?}"
    );
}

#[tokio::test]
async fn months_outside_the_program_or_malformed_are_refused() {
    let app = spawn_demo_at(FEBRUARY).await;
    let august = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-08" }))
        .await;
    assert_eq!(error_code(&august), Some("WINDOW_CLOSED"));
    let malformed = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "Feb" }))
        .await;
    assert_eq!(error_code(&malformed), Some("BAD_USER_INPUT"));
}

const ROAMING: &str = "mutation($input: RoamingPassInput!) { recordRoamingPass(input: $input) { passName dataMb bonusMb } }";

#[tokio::test]
async fn a_3001_mb_pass_earns_a_1500_mb_bonus_once_per_billing_record() {
    let app = spawn_demo_at(FEBRUARY).await;
    let line = app.line_id("C-1006", "L-1006-1").await;
    let pass = json!({ "input": { "lineId": line, "passName": "Japan 5 days", "dataMb": 3001, "activatedOn": "2026-02-09", "externalId": "BILL-1" } });
    let first = app
        .graphql(Role::Admin, "admin-1", ROAMING, pass.clone())
        .await;
    assert_eq!(
        first["data"]["recordRoamingPass"],
        json!({ "passName": "Japan 5 days", "dataMb": 3001, "bonusMb": 1500 })
    );
    app.graphql(Role::Admin, "admin-1", ROAMING, pass).await;
    let listed = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { roamingBonuses { bonusMb } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["me"]["lines"][0]["roamingBonuses"],
        json!([{ "bonusMb": 1500 }])
    );

    let late = json!({ "input": { "lineId": line, "passName": "p", "dataMb": 100, "activatedOn": "2026-09-01" } });
    assert_eq!(
        error_code(&app.graphql(Role::Admin, "admin-1", ROAMING, late).await),
        Some("WINDOW_CLOSED")
    );
    let iot = app.line_id("C-1003", "L-1003-2").await;
    let fine = json!({ "input": { "lineId": iot, "passName": "p", "dataMb": 100, "activatedOn": "2026-02-09" } });
    assert!(
        app.graphql(Role::Admin, "admin-1", ROAMING, fine).await["data"]["recordRoamingPass"]
            .is_object()
    );
}

const SELECT: &str = "mutation($line: ID!, $service: ID!) { selectOtt(lineId: $line, serviceId: $service) { service { name } voucherCode activated } }";

async fn ott_catalog(app: &TestApp) -> (String, String) {
    let upsert =
        "mutation($e: String!, $n: String!) { upsertOttService(externalId: $e, name: $n) { id } }";
    let a = app
        .graphql(
            Role::Admin,
            "admin-1",
            upsert,
            json!({ "e": "OTT-A", "n": "StreamA" }),
        )
        .await;
    let b = app
        .graphql(
            Role::Admin,
            "admin-1",
            upsert,
            json!({ "e": "OTT-B", "n": "StreamB" }),
        )
        .await;
    (
        a["data"]["upsertOttService"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        b["data"]["upsertOttService"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

#[tokio::test]
async fn an_ott_choice_can_change_until_its_voucher_is_activated() {
    let app = spawn_demo_at(FEBRUARY).await;
    let (a, b) = ott_catalog(&app).await;
    let listed = app
        .graphql(
            Role::PartnerStore,
            "S-1",
            "{ ottServices { name } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["ottServices"],
        json!([{ "name": "Disney+" }, { "name": "StreamA" }, { "name": "StreamB" }, { "name": "TVING" }]),
        "the default campaign's catalog and the two added"
    );
    let line = app.line_id("C-1014", "L-1014-1").await;
    let first = app
        .graphql(
            Role::Customer,
            "C-1014",
            SELECT,
            json!({ "line": line, "service": a }),
        )
        .await;
    let voucher = first["data"]["selectOtt"]["voucherCode"]
        .as_str()
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert_eq!(
        voucher.len(),
        16,
        "a prepaid line may choose an OTT service"
    );
    let changed = app
        .graphql(
            Role::Customer,
            "C-1014",
            SELECT,
            json!({ "line": line, "service": b }),
        )
        .await;
    assert_eq!(
        changed["data"]["selectOtt"],
        json!({ "service": { "name": "StreamB" }, "voucherCode": voucher, "activated": false })
    );
    let activated = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation($line: ID!) { activateOttVoucher(lineId: $line) { activated } }",
            json!({ "line": line }),
        )
        .await;
    assert_eq!(activated["data"]["activateOttVoucher"]["activated"], true);
    let final_choice = app
        .graphql(
            Role::Customer,
            "C-1014",
            SELECT,
            json!({ "line": line, "service": a }),
        )
        .await;
    assert_eq!(error_code(&final_choice), Some("ALREADY_APPLIED"));
    let shown = app
        .graphql(
            Role::Customer,
            "C-1014",
            "{ me { lines { ottSelection { service { name } activated } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        shown["data"]["me"]["lines"][0]["ottSelection"],
        json!({ "service": { "name": "StreamB" }, "activated": true })
    );
}

#[tokio::test]
async fn ott_is_refused_for_second_devices_other_customers_and_outside_the_window() {
    let app = spawn_demo_at(FEBRUARY).await;
    let (a, _) = ott_catalog(&app).await;
    let watch = app.line_id("C-1015", "L-1015-2").await;
    let refused = app
        .graphql(
            Role::Customer,
            "C-1015",
            SELECT,
            json!({ "line": watch, "service": a }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("NOT_ELIGIBLE"));
    assert_eq!(
        refused["errors"][0]["extensions"]["reason"],
        "SECOND_DEVICE"
    );
    let others = app
        .graphql(
            Role::Customer,
            "C-1006",
            SELECT,
            json!({ "line": watch, "service": a }),
        )
        .await;
    assert_eq!(error_code(&others), Some("NOT_FOUND"));

    let april = spawn_demo_at("2026-04-01T10:00:00+09:00").await;
    let (a, _) = ott_catalog(&april).await;
    let line = april.line_id("C-1006", "L-1006-1").await;
    let late = april
        .graphql(
            Role::Customer,
            "C-1006",
            SELECT,
            json!({ "line": line, "service": a }),
        )
        .await;
    assert_eq!(error_code(&late), Some("WINDOW_CLOSED"));
}

const FILE_CLAIM: &str = "mutation($input: InsuranceClaimInput!) { fileInsuranceClaim(input: $input) { id status lossAmount } }";
const MOVE_CLAIM: &str = "mutation($id: ID!, $status: ClaimStatus!, $amount: Int) { moveInsuranceClaim(id: $id, status: $status, approvedAmount: $amount) { status approvedAmount } }";

fn claim(loss: i64, incident: &str) -> Value {
    json!({ "input": { "coverageType": "SECOND_HAND_TRADE_SCAM", "incidentDate": incident, "lossAmount": loss, "description": "paid for a camera that never came", "idempotencyKey": format!("claim-{loss}-{incident}") } })
}

#[tokio::test]
async fn a_retried_claim_is_filed_once_and_a_reused_key_with_other_input_conflicts() {
    let app = spawn_demo_at("2026-03-10T10:00:00+09:00").await;
    let request = claim(300_000, "2026-03-02");
    let retries = app
        .graphql_concurrently(
            Role::Customer,
            "C-1018",
            FILE_CLAIM,
            vec![request.clone(); 4],
        )
        .await;
    let first = &retries[0]["data"]["fileInsuranceClaim"]["id"];
    assert!(first.is_string(), "{}", retries[0]);
    for retry in &retries {
        assert_eq!(&retry["data"]["fileInsuranceClaim"]["id"], first, "{retry}");
    }
    let later = app
        .graphql(Role::Customer, "C-1018", FILE_CLAIM, request.clone())
        .await;
    assert_eq!(&later["data"]["fileInsuranceClaim"]["id"], first);

    let mut other = request;
    other["input"]["lossAmount"] = json!(400_000);
    let conflict = app
        .graphql(Role::Customer, "C-1018", FILE_CLAIM, other)
        .await;
    assert_eq!(
        error_code(&conflict),
        Some("IDEMPOTENCY_CONFLICT"),
        "{conflict}"
    );

    let mine = app
        .graphql(
            Role::Customer,
            "C-1018",
            "{ me { insuranceClaims { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine["data"]["me"]["insuranceClaims"],
        json!([{ "id": first }]),
        "one claim filed"
    );
}

#[tokio::test]
async fn a_covered_customers_claim_moves_through_review_to_payment_within_the_limits() {
    let app = spawn_demo_at("2026-03-10T10:00:00+09:00").await;
    let filed = app
        .graphql(
            Role::Customer,
            "C-1018",
            FILE_CLAIM,
            claim(7_000_000, "2026-03-02"),
        )
        .await;
    assert_eq!(
        filed["data"]["fileInsuranceClaim"]["status"], "RECEIVED",
        "{filed}"
    );
    let id = filed["data"]["fileInsuranceClaim"]["id"].clone();

    let skipped = app
        .graphql(
            Role::Admin,
            "admin-1",
            MOVE_CLAIM,
            json!({ "id": id, "status": "APPROVED" }),
        )
        .await;
    assert_eq!(
        error_code(&skipped),
        Some("BAD_USER_INPUT"),
        "review comes first"
    );
    app.graphql(
        Role::Admin,
        "admin-1",
        MOVE_CLAIM,
        json!({ "id": id, "status": "UNDER_REVIEW" }),
    )
    .await;
    let too_much = app
        .graphql(
            Role::Admin,
            "admin-1",
            MOVE_CLAIM,
            json!({ "id": id, "status": "APPROVED", "amount": 6_000_000 }),
        )
        .await;
    assert_eq!(
        error_code(&too_much),
        Some("LIMIT_REACHED"),
        "5,000,000 a claim"
    );
    let approved = app
        .graphql(
            Role::Admin,
            "admin-1",
            MOVE_CLAIM,
            json!({ "id": id, "status": "APPROVED" }),
        )
        .await;
    assert_eq!(
        approved["data"]["moveInsuranceClaim"],
        json!({ "status": "APPROVED", "approvedAmount": 5_000_000 })
    );
    let paid = app
        .graphql(
            Role::Admin,
            "admin-1",
            MOVE_CLAIM,
            json!({ "id": id, "status": "PAID" }),
        )
        .await;
    assert_eq!(paid["data"]["moveInsuranceClaim"]["status"], "PAID");

    // The year's limit is 10,000,000: a second claim of the year gets what is left.
    let second = app
        .graphql(
            Role::Customer,
            "C-1018",
            FILE_CLAIM,
            claim(9_000_000, "2026-03-05"),
        )
        .await;
    let second = second["data"]["fileInsuranceClaim"]["id"].clone();
    app.graphql(
        Role::Admin,
        "admin-1",
        MOVE_CLAIM,
        json!({ "id": second, "status": "UNDER_REVIEW" }),
    )
    .await;
    let capped = app
        .graphql(
            Role::Admin,
            "admin-1",
            MOVE_CLAIM,
            json!({ "id": second, "status": "APPROVED" }),
        )
        .await;
    assert_eq!(
        capped["data"]["moveInsuranceClaim"]["approvedAmount"],
        5_000_000
    );
    let queue = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ insuranceClaims(status: APPROVED) { lossAmount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        queue["data"]["insuranceClaims"],
        json!([{ "lossAmount": 9_000_000 }])
    );
    let mine = app
        .graphql(
            Role::Customer,
            "C-1018",
            "{ me { insuranceClaims { status } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine["data"]["me"]["insuranceClaims"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn only_covered_customers_claim_and_only_for_incidents_within_cover() {
    let app = spawn_demo_at("2026-03-10T10:00:00+09:00").await;
    let uncovered = app
        .graphql(
            Role::Customer,
            "C-1006",
            FILE_CLAIM,
            claim(10_000, "2026-03-02"),
        )
        .await;
    assert_eq!(error_code(&uncovered), Some("NOT_ELIGIBLE"));
    assert_eq!(
        uncovered["errors"][0]["extensions"]["reason"],
        "NOT_ENROLLED"
    );
    let before_cover = app
        .graphql(
            Role::Customer,
            "C-1018",
            FILE_CLAIM,
            claim(10_000, "2026-01-20"),
        )
        .await;
    assert_eq!(error_code(&before_cover), Some("WINDOW_CLOSED"));
    let future = app
        .graphql(
            Role::Customer,
            "C-1018",
            FILE_CLAIM,
            claim(10_000, "2026-04-01"),
        )
        .await;
    assert_eq!(
        error_code(&future),
        Some("WINDOW_CLOSED"),
        "an incident cannot lie ahead"
    );
    let nothing_lost = app
        .graphql(Role::Customer, "C-1018", FILE_CLAIM, claim(0, "2026-03-02"))
        .await;
    assert_eq!(error_code(&nothing_lost), Some("BAD_USER_INPUT"));
}

const RECORD_OFFER: &str = "mutation($line: ID!, $offer: String!, $ends: String!) { recordRoamingOffer(lineId: $line, offerCode: $offer, endsOn: $ends) { offerCode originalEnd extendedUntil } }";

#[tokio::test]
async fn an_extended_roaming_offer_is_recorded_once_and_shown_with_both_end_dates() {
    let app = spawn_demo_at(FEBRUARY).await;
    let extend = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { extendRoamingOffer(offerCode: \"ROAM-ASIA\", until: \"2026-08-31\") }",
            json!({}),
        )
        .await;
    assert_eq!(
        extend["data"]["extendRoamingOffer"], "2026-08-31",
        "{extend}"
    );
    let line = app.line_id("C-1006", "L-1006-1").await;
    let first = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD_OFFER,
            json!({ "line": line, "offer": "ROAM-ASIA", "ends": "2026-03-31" }),
        )
        .await;
    let expected = json!({ "offerCode": "ROAM-ASIA", "originalEnd": "2026-03-31", "extendedUntil": "2026-08-31" });
    assert_eq!(first["data"]["recordRoamingOffer"], expected, "{first}");
    let again = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD_OFFER,
            json!({ "line": line, "offer": "ROAM-ASIA", "ends": "2026-04-30" }),
        )
        .await;
    assert_eq!(
        again["data"]["recordRoamingOffer"], expected,
        "recorded once"
    );
    let other = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD_OFFER,
            json!({ "line": line, "offer": "ROAM-EU", "ends": "2026-03-31" }),
        )
        .await;
    assert_eq!(
        other["data"]["recordRoamingOffer"],
        Value::Null,
        "not an extended offer"
    );
    let shown = app
        .graphql(
            Role::Customer,
            "C-1006",
            "{ me { lines { roamingExtensions { offerCode originalEnd extendedUntil } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        shown["data"]["me"]["lines"][0]["roamingExtensions"],
        json!([expected])
    );
    let terminated = app.line_id("C-1017", "L-1017-2").await;
    let refused = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD_OFFER,
            json!({ "line": terminated, "offer": "ROAM-ASIA", "ends": "2026-03-31" }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("NOT_ELIGIBLE"));
}

#[tokio::test]
async fn admins_export_the_covered_customers_for_the_insurer_and_the_read_is_audited() {
    let app = spawn_demo_at(FEBRUARY).await;
    app.graphql(
        Role::Customer,
        "C-1006",
        "mutation { enrollInsurance(consent: true) { covered } }",
        json!({}),
    )
    .await;
    let list = "query($after: ID) { insuranceEnrolmentList(first: 7, after: $after) { items { customerExternalId name birthDate automatic consentedAt } nextCursor } }";
    let mut covered = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .graphql(Role::Admin, "admin-1", list, json!({ "after": after }))
            .await;
        let page = &page["data"]["insuranceEnrolmentList"];
        covered.extend(
            page["items"]
                .as_array()
                .unwrap_or_else(|| panic!("{page}"))
                .iter()
                .cloned(),
        );
        after = page["nextCursor"].clone();
        if after.is_null() {
            break;
        }
    }
    let mut ids: Vec<&str> = covered
        .iter()
        .map(|c| c["customerExternalId"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["C-1006", "C-1018"],
        "65+ automatically, or enrolled (C-1001 left before the base date): {covered:?}"
    );
    let enrolled = covered
        .iter()
        .find(|c| c["customerExternalId"] == "C-1006")
        .unwrap();
    assert_eq!(
        (
            enrolled["automatic"].as_bool(),
            enrolled["consentedAt"].is_string()
        ),
        (Some(false), true)
    );
    assert_eq!(enrolled["name"], "강지훈");

    let agent = app.graphql(Role::Agent, "agent-1", list, json!({})).await;
    assert_eq!(error_code(&agent), Some("FORBIDDEN"));
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ auditEntries(filter: { action: \"insurance.export_covered\" }) { actor } }",
            json!({}),
        )
        .await;
    assert!(
        !audit["data"]["auditEntries"].as_array().unwrap().is_empty(),
        "{audit}"
    );
}

#[tokio::test]
async fn the_dashboard_counts_the_lines_and_data_granted_per_month() {
    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    let run = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    let granted = run["data"]["runMonthlyDataGrant"]["granted"].clone();
    let body = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ dataGrantsByMonth { month lines gigabytes } }",
            json!({}),
        )
        .await;
    let gigabytes = granted.as_i64().unwrap() * 100;
    assert_eq!(
        body["data"]["dataGrantsByMonth"],
        json!([{ "month": "2026-02", "lines": granted, "gigabytes": gigabytes }]),
        "{body}"
    );
    let agent = app
        .graphql(
            Role::Agent,
            "agent-1",
            "{ dataGrantsByMonth { month } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&agent), Some("FORBIDDEN"));
}

/// The dashboard's monthly tally after a mixed sequence of grant runs: February, two
/// concurrent reruns of it (nothing new), March on another replica, February again.
#[tokio::test]
async fn the_monthly_grant_tally_equals_a_full_recount_after_mixed_runs() {
    use sea_orm::{ConnectionTrait as _, Statement};

    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    async fn run(app: &TestApp, month: &str) {
        let body = app
            .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": month }))
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    run(&app, "2026-02").await;
    tokio::join!(run(&app, "2026-02"), run(&app, "2026-02"));
    let (march, sibling) = app.sibling_at("2026-03-01T00:05:00+09:00").await;
    let token = sibling
        .tokens
        .issue(Role::Admin, "admin-1", std::time::Duration::from_hours(1))
        .unwrap();
    let body: Value = app
        .client
        .post(format!("http://{march}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": GRANT, "variables": { "m": "2026-03" } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body["errors"].is_null(), "{body}");
    run(&app, "2026-02").await;

    let body = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ dataGrantsByMonth { month lines gigabytes } }",
            json!({}),
        )
        .await;
    let rows = app
        .app
        .db
        .query_all_raw(Statement::from_string(
            app.app.db.get_database_backend(),
            "SELECT month, COUNT(*) AS lines, CAST(SUM(gigabytes) AS BIGINT) AS gigabytes \
             FROM data_grants GROUP BY month ORDER BY month",
        ))
        .await
        .unwrap();
    let recount: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "month": row.try_get::<String>("", "month").unwrap(),
                "lines": row.try_get::<i64>("", "lines").unwrap(),
                "gigabytes": row.try_get::<i64>("", "gigabytes").unwrap(),
            })
        })
        .collect();
    assert_eq!(recount.len(), 2, "{recount:?}");
    assert_eq!(body["data"]["dataGrantsByMonth"], json!(recount), "{body}");
}
