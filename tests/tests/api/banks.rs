//! Korean banks as data: the financial institution codes, checked on every refund
//! account, and shown by name on applications and in the payout file's report.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{C_1001, TestApp, error_code, spawn_app};

const APPLY: &str = "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id bankCode bankName accountMasked } }";

async fn app_with_c1001() -> (TestApp, String) {
    let app = spawn_app().await;
    app.import(C_1001).await;
    let line = app.line_id("C-1001", "L-1001-1").await;
    (app, line)
}

fn apply(line: &str, bank: &str, number: &str) -> Value {
    json!({ "input": {
        "lineId": line, "channel": "WEB", "bankCode": bank, "accountNumber": number,
        "accountHolder": "Kim Minji", "idempotencyKey": format!("{bank}-{number}"),
    }})
}

#[tokio::test]
async fn the_bank_list_holds_the_financial_institution_codes_by_name() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ banks { code name englishName minDigits maxDigits } }",
            json!({}),
        )
        .await;
    let banks = body["data"]["banks"].as_array().unwrap();
    let name_of = |code: &str| {
        banks
            .iter()
            .find(|b| b["code"] == code)
            .map(|b| b["name"].as_str().unwrap().to_owned())
    };
    for (code, name) in [
        ("004", "KB국민은행"),
        ("088", "신한은행"),
        ("020", "우리은행"),
        ("081", "하나은행"),
        ("011", "NH농협은행"),
        ("003", "IBK기업은행"),
        ("090", "카카오뱅크"),
        ("089", "케이뱅크"),
        ("092", "토스뱅크"),
        ("071", "우체국"),
        ("045", "새마을금고"),
    ] {
        assert_eq!(name_of(code).as_deref(), Some(name), "{code}: {body}");
    }
    assert_eq!(banks[0]["code"], "002", "in code order, banks first");
    let kakao = banks.iter().find(|b| b["code"] == "090").unwrap();
    assert_eq!(
        (kakao["minDigits"].clone(), kakao["maxDigits"].clone()),
        (json!(13), json!(13))
    );
}

#[tokio::test]
async fn an_unknown_bank_or_an_impossible_account_length_is_refused_and_nothing_is_stored() {
    let (app, line) = app_with_c1001().await;
    let unknown = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            apply(&line, "999", "123456789012"),
        )
        .await;
    assert_eq!(error_code(&unknown), Some("BAD_USER_INPUT"), "{unknown}");
    assert_eq!(unknown["errors"][0]["extensions"]["reason"], "UNKNOWN_BANK");
    let short = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            apply(&line, "090", "3333-01-12345"),
        )
        .await;
    assert_eq!(error_code(&short), Some("BAD_USER_INPUT"), "{short}");
    assert_eq!(
        short["errors"][0]["extensions"]["reason"],
        "ACCOUNT_NUMBER_LENGTH"
    );
    let nothing = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { lines { feeWaiver { application { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        nothing["data"]["me"]["lines"][0]["feeWaiver"]["application"],
        Value::Null
    );

    let kakao = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            apply(&line, "090", "3333-01-1234567"),
        )
        .await;
    assert_eq!(
        kakao["data"]["applyForRefund"]["bankName"], "카카오뱅크",
        "{kakao}"
    );
}

#[tokio::test]
async fn a_correction_is_checked_against_the_bank_list_too() {
    let (app, line) = app_with_c1001().await;
    let applied = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            apply(&line, "004", "123456-04-123456"),
        )
        .await;
    let id = applied["data"]["applyForRefund"]["id"].clone();
    let corrected = app
        .graphql(
            Role::Customer,
            "C-1001",
            r#"mutation($id: ID!) { updateRefundAccount(applicationId: $id, bankCode: "092", accountNumber: "1000-1234-56789", accountHolder: "Kim Minji") { id } }"#,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        corrected["errors"][0]["extensions"]["reason"], "ACCOUNT_NUMBER_LENGTH",
        "토스뱅크 accounts have 12 digits: {corrected}"
    );
}

#[tokio::test]
async fn the_payout_files_report_names_each_bank() {
    let (app, line) = app_with_c1001().await;
    app.graphql(
        Role::Customer,
        "C-1001",
        APPLY,
        apply(&line, "004", "123456-04-123456"),
    )
    .await;
    let file = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { closePayoutRound(number: 1) { count byBank { bankCode bankName englishName count total } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        file["data"]["closePayoutRound"]["byBank"],
        json!([{ "bankCode": "004", "bankName": "KB국민은행", "englishName": "KB Kookmin Bank", "count": 1, "total": 138_000 }]),
        "{file}"
    );
}
