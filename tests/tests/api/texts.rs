//! Texts as campaign data: every SMS and inbox text in the customer's language (Korean
//! unless the import says English) under the sender name `[KT]`, edited by admins, and
//! a text with a link, a phone number or a personal-data placeholder refused.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{C_1001, TestApp, error_code, spawn_app};

const INBOX: &str = "{ me { language notifications { kind text language smsReference } } }";
const TEXTS: &str =
    "{ campaignTexts { smsSenderName templates { kind language channel body preview smsBytes } } }";
const UPDATE: &str = "mutation($kind: NotificationKind!, $language: Language!, $channel: TextChannel!, $body: String!) {
  updateNotificationTemplate(kind: $kind, language: $language, channel: $channel, body: $body) { templates { kind language channel body } } }";

/// C-1001 in Korean, and the same customer as C-7002 reading English.
async fn two_languages() -> TestApp {
    let app = spawn_app().await;
    let english = C_1001
        .replace("C-1001", "C-7002")
        .replace("L-1001-1", "L-7002-1")
        .replace("010-1234-5678", "010-7000-0002")
        .replacen("\"type\"", "\"language\":\"en\",\"type\"", 1);
    let (_, rejections) = app.import(&format!("{C_1001}\n{english}")).await;
    assert!(rejections.is_empty(), "{rejections:?}");
    app
}

async fn notify(app: &TestApp) {
    let sent = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { sendEligibilityNotices { sent } }",
            json!({}),
        )
        .await;
    assert_eq!(sent["data"]["sendEligibilityNotices"]["sent"], 2, "{sent}");
}

async fn sms_of(app: &TestApp, customer: &str, reference: &str) -> String {
    let body = app
        .graphql(
            Role::Customer,
            customer,
            "query($r: String!) { me { smsByReference(reference: $r) { texts { text } } } }",
            json!({ "r": reference }),
        )
        .await;
    body["data"]["me"]["smsByReference"]["texts"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn inbox(app: &TestApp, customer: &str) -> Value {
    app.graphql(Role::Customer, customer, INBOX, json!({}))
        .await["data"]["me"]
        .clone()
}

#[tokio::test]
async fn a_korean_customer_reads_korean_and_an_english_one_english_under_the_kt_sender_name() {
    let app = two_languages().await;
    notify(&app).await;

    let korean = inbox(&app, "C-1001").await;
    assert_eq!(korean["language"], "KO");
    let notice = &korean["notifications"][0];
    assert_eq!(notice["language"], "KO");
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .starts_with("고객님의 회선은 위약금 환불 대상입니다."),
        "{notice}"
    );
    let reference = notice["smsReference"].as_str().unwrap();
    assert_eq!(
        sms_of(&app, "C-1001", reference).await,
        format!(
            "[KT] 위약금 환불 대상입니다. 링크 없이 공식 앱에서 확인하십시오. 확인코드 {reference}"
        )
    );

    let english = inbox(&app, "C-7002").await;
    assert_eq!(english["language"], "EN");
    let notice = &english["notifications"][0];
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .starts_with("Your line's early-termination fee"),
        "{notice}"
    );
    let reference = notice["smsReference"].as_str().unwrap();
    let sms = sms_of(&app, "C-7002", reference).await;
    assert!(sms.starts_with("[KT] Your fee may be refunded."), "{sms}");
    assert!(sms.ends_with(&format!("Ref {reference}")));
}

#[tokio::test]
async fn an_import_language_other_than_ko_or_en_is_a_rejected_record() {
    let app = spawn_app().await;
    let japanese = C_1001.replacen("\"type\"", "\"language\":\"ja\",\"type\"", 1);
    let fine = C_1001
        .replace("C-1001", "C-7003")
        .replace("L-1001-1", "L-7003-1")
        .replace("010-1234-5678", "010-7000-0003");
    let (report, rejections) = app.import(&format!("{japanese}\n{fine}")).await;
    assert_eq!(report.imported, 1);
    assert_eq!(rejections.len(), 1, "{rejections:?}");
    assert_eq!(rejections[0].line, 1);
    assert!(rejections[0].reason.contains("language"), "{rejections:?}");
}

#[tokio::test]
async fn every_default_text_fits_one_sms_carries_no_link_or_number_and_passes_its_own_checks() {
    let app = spawn_app().await;
    let body = app.graphql(Role::Admin, "admin-1", TEXTS, json!({})).await;
    let texts = &body["data"]["campaignTexts"];
    assert_eq!(texts["smsSenderName"], "KT", "{body}");
    let templates = texts["templates"].as_array().unwrap();
    assert_eq!(templates.len(), 20, "5 kinds × 2 languages × SMS and inbox");
    for template in templates {
        let text = template["body"].as_str().unwrap();
        assert!(
            !text.contains("http") && !text.contains("www"),
            "{template}"
        );
        if template["channel"] == "SMS" {
            assert!(template["smsBytes"].as_i64().unwrap() <= 90, "{template}");
            assert!(template["preview"].as_str().unwrap().starts_with("[KT] "));
        }
        if template["language"] == "KO" {
            assert!(
                text.contains("니다") || text.contains("십시오"),
                "합니다체: {text}"
            );
        }
        let saved = app
            .graphql(
                Role::Admin,
                "admin-1",
                UPDATE,
                json!({ "kind": template["kind"], "language": template["language"], "channel": template["channel"], "body": text }),
            )
            .await;
        assert!(saved["errors"].is_null(), "{template}: {saved}");
    }
}

#[tokio::test]
async fn an_admins_edit_is_what_the_next_customer_reads() {
    let app = two_languages().await;
    let edited = app
        .graphql(
            Role::Admin,
            "admin-1",
            UPDATE,
            json!({ "kind": "ELIGIBILITY_NOTICE", "language": "KO", "channel": "SMS", "body": "위약금을 돌려받으실 수 있습니다. 공식 앱을 여십시오. 확인코드 {reference}" }),
        )
        .await;
    assert!(edited["errors"].is_null(), "{edited}");
    notify(&app).await;
    let reference = inbox(&app, "C-1001").await["notifications"][0]["smsReference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sms_of(&app, "C-1001", &reference).await,
        format!("[KT] 위약금을 돌려받으실 수 있습니다. 공식 앱을 여십시오. 확인코드 {reference}")
    );
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "campaign.set_template" }) { detail } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEntries"][0]["detail"],
        "ELIGIBILITY_NOTICE ko SMS of BREACH-2026"
    );
}

#[tokio::test]
async fn a_text_with_a_link_a_number_or_a_personal_placeholder_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    for (body, reason) in [
        (
            "공식 앱 kt.com 에서 확인하십시오. 확인코드 {reference}",
            "TEMPLATE_HAS_LINK",
        ),
        (
            "문의는 1588-0010 입니다. 확인코드 {reference}",
            "TEMPLATE_HAS_PHONE_NUMBER",
        ),
        (
            "{name} 고객님, 환불 대상입니다. 확인코드 {reference}",
            "TEMPLATE_HAS_PERSONAL_PLACEHOLDER",
        ),
        ("공식 앱에서 확인하십시오.", "TEMPLATE_NEEDS_REFERENCE"),
        (
            "고객님의 위약금 환불 신청이 접수되었으며 공식 앱에서 언제든지 진행 상황을 확인하실 수 있습니다. 확인코드 {reference}",
            "TEMPLATE_TOO_LONG",
        ),
    ] {
        let refused = app
            .graphql(
                Role::Admin,
                "admin-1",
                UPDATE,
                json!({ "kind": "REFUND_PAID", "language": "KO", "channel": "SMS", "body": body }),
            )
            .await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(
            refused["errors"][0]["extensions"]["reason"], reason,
            "{body}"
        );
    }
    let texts = app.graphql(Role::Admin, "admin-1", TEXTS, json!({})).await;
    let paid = texts["data"]["campaignTexts"]["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "REFUND_PAID" && t["language"] == "KO" && t["channel"] == "SMS")
        .unwrap()
        .clone();
    assert_eq!(
        paid["body"],
        "위약금 환불금을 지급했습니다. 공식 앱에서 확인하십시오. 확인코드 {reference}"
    );
}

#[tokio::test]
async fn the_sender_name_heads_every_sms_unless_it_would_not_fit() {
    let app = two_languages().await;
    let renamed = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"mutation { updateSmsSenderName(name: "케이티") { smsSenderName templates { channel preview } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        renamed["data"]["updateSmsSenderName"]["smsSenderName"], "케이티",
        "{renamed}"
    );
    let too_long = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"mutation { updateSmsSenderName(name: "KT 위약금환불센터") { smsSenderName } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&too_long), Some("BAD_USER_INPUT"), "{too_long}");
    notify(&app).await;
    let reference = inbox(&app, "C-1001").await["notifications"][0]["smsReference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        sms_of(&app, "C-1001", &reference)
            .await
            .starts_with("[케이티] ")
    );
}
