//! "Is this text really from us?": every SMS carries a short reference the customer can
//! check in the app and an agent on the customer's page; one never sent says so.

use benefits_domain::auth::Role;
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::{Value, json};

use crate::helpers::{C_1001, TestApp, error_code, spawn_app};

const CHECK: &str = "query($r: String!) { me { smsByReference(reference: $r) { reference sent texts { kind text sentAt lineMsisdn } } } }";

/// Two eligible customers, each sent the eligibility notice.
async fn notified_app() -> TestApp {
    let app = spawn_app().await;
    let other = C_1001
        .replace("C-1001", "C-6002")
        .replace("L-1001-1", "L-6002-1")
        .replace("010-1234-5678", "010-6000-0002");
    let (_, rejections) = app.import(&format!("{C_1001}\n{other}")).await;
    assert!(rejections.is_empty(), "{rejections:?}");
    let sent = app
        .graphql(
            Role::Admin,
            "admin-1",
            "mutation { sendEligibilityNotices { sent } }",
            json!({}),
        )
        .await;
    assert_eq!(sent["data"]["sendEligibilityNotices"]["sent"], 2, "{sent}");
    app
}

async fn reference_of(app: &TestApp, customer: &str) -> String {
    let inbox = app
        .graphql(
            Role::Customer,
            customer,
            "{ me { notifications { kind smsReference } } }",
            json!({}),
        )
        .await;
    inbox["data"]["me"]["notifications"][0]["smsReference"]
        .as_str()
        .unwrap_or_else(|| panic!("{inbox}"))
        .to_owned()
}

async fn check(app: &TestApp, customer: &str, reference: &str) -> Value {
    app.graphql(Role::Customer, customer, CHECK, json!({ "r": reference }))
        .await
}

#[tokio::test]
async fn the_customer_checks_a_reference_of_a_text_they_were_sent() {
    let app = notified_app().await;
    let reference = reference_of(&app, "C-1001").await;
    assert!(
        reference.len() == 9 && reference.as_bytes()[4] == b'-',
        "printed as XXXX-XXXX: {reference}"
    );

    let body = check(&app, "C-1001", &reference.to_lowercase().replace('-', "")).await;
    let answer = &body["data"]["me"]["smsByReference"];
    assert_eq!(answer["reference"], reference.as_str(), "{body}");
    assert_eq!(answer["sent"], true);
    let text = &answer["texts"][0];
    assert_eq!(text["kind"], "ELIGIBILITY_NOTICE");
    assert_eq!(text["lineMsisdn"], "010-****-5678");
    assert!(
        text["text"].as_str().unwrap().contains(&reference),
        "the text as sent, with its reference: {text}"
    );
    assert!(text["sentAt"].as_str().unwrap().starts_with("2026-01-15"));
}

#[tokio::test]
async fn a_reference_never_sent_to_the_customer_says_so_plainly() {
    let app = notified_app().await;
    let others = reference_of(&app, "C-6002").await;
    for reference in [others.as_str(), "ABCD-EFGH", "http://kt-refund.example"] {
        let body = check(&app, "C-1001", reference).await;
        assert_eq!(
            body["data"]["me"]["smsByReference"]["sent"], false,
            "{reference}: {body}"
        );
        assert_eq!(body["data"]["me"]["smsByReference"]["texts"], json!([]));
    }
    let empty = check(&app, "C-1001", " ").await;
    assert_eq!(error_code(&empty), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn an_agent_checks_a_reference_on_the_customers_page_and_the_check_is_audited() {
    let app = notified_app().await;
    let reference = reference_of(&app, "C-1001").await;
    let body = app
        .graphql(
            Role::Agent,
            "agent-3",
            "query($r: String!) { customerByPhone(phone: \"010-1234-5678\") { smsByReference(reference: $r) { sent texts { lineMsisdn } } } }",
            json!({ "r": reference }),
        )
        .await;
    assert_eq!(
        body["data"]["customerByPhone"]["smsByReference"],
        json!({ "sent": true, "texts": [{ "lineMsisdn": "010-****-5678" }] }),
        "{body}"
    );
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "sms.check_reference" }) { actor detail } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEntries"][0],
        json!({ "actor": "agent-3", "detail": format!("reference {reference}: sent") }),
        "{audit}"
    );
}

#[tokio::test]
async fn the_sms_handed_to_the_gateway_carries_its_reference_and_no_link() {
    let app = notified_app().await;
    let reference = reference_of(&app, "C-1001").await;
    let rows = app
        .app
        .db
        .query_all_raw(Statement::from_string(
            app.app.db.get_database_backend(),
            "SELECT data AS body FROM event_outbox WHERE event_type = 'sms.requested'",
        ))
        .await
        .unwrap();
    let bodies: Vec<String> = rows
        .iter()
        .map(|row| row.try_get("", "body").unwrap())
        .collect();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies.iter().any(|body| body.contains(&reference)),
        "{bodies:?}"
    );
    assert!(bodies.iter().all(|body| !body.contains("http")));
}
