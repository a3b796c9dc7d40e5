//! Logs never hold personal data: the flows run with sentinel names, numbers and
//! accounts, and the captured logs (every level) are searched for them.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{error_code, spawn_app};

/// Everything every test of this binary logs, from the moment the capture starts.
static CAPTURED: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> Arc<Mutex<Vec<u8>>> {
    CAPTURED
        .get_or_init(|| {
            let buffer = Arc::new(Mutex::new(Vec::new()));
            let writer = Capture(buffer.clone());
            tracing_subscriber::fmt()
                .json()
                .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
                .with_writer(move || writer.clone())
                .try_init()
                .expect("no other subscriber in this test binary");
            buffer
        })
        .clone()
}

const SENTINEL: &str = r#"{"externalId":"C-LOG","name":"Zyxsentinel Qwerty","birthDate":"1980-02-29","phone":"010-9876-5432","type":"INDIVIDUAL","lines":[{"externalId":"L-LOG-1","msisdn":"010-9876-5432","deviceClass":"PHONE","brand":"OPERATOR","payment":"POSTPAID","activatedOn":"2020-01-01","status":"TERMINATED","terminatedOn":"2025-10-02","terminatedBy":"CUSTOMER","etfCharged":{"commonSubsidy":1000,"additionalSubsidy":0,"discountReturn":0,"nonRefundable":0}}]}"#;

#[tokio::test]
async fn no_log_line_holds_a_name_a_number_or_an_account() {
    let logs = capture();
    let app = spawn_app().await;
    app.import(SENTINEL).await;
    app.graphql_as(Some("not.a.token"), "{ __typename }", json!({}))
        .await;
    let found = app
        .graphql(
            Role::Agent,
            "agent-1",
            "query($p: String!) { customerByPhone(phone: $p) { id name lines { id } } }",
            json!({ "p": "+82 10-9876-5432" }),
        )
        .await;
    let line = found["data"]["customerByPhone"]["lines"][0]["id"].clone();
    let apply = "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id accountMasked } }";
    let input = |holder: &str, key: &str| {
        json!({ "input": { "lineId": line, "channel": "CALL_CENTER", "bankCode": "004",
            "accountNumber": "99887766554433", "accountHolder": holder, "idempotencyKey": key } })
    };
    let wrong = app
        .graphql(
            Role::Agent,
            "agent-1",
            apply,
            input("Zyxsentinel Other", "a"),
        )
        .await;
    assert_eq!(error_code(&wrong), Some("ACCOUNT_HOLDER_MISMATCH"));
    let applied = app
        .graphql(
            Role::Agent,
            "agent-1",
            apply,
            input("Zyxsentinel Qwerty", "b"),
        )
        .await;
    assert!(
        applied["data"]["applyForRefund"]["id"].is_string(),
        "{applied}"
    );
    app.graphql(
        Role::Admin,
        "admin-1",
        "mutation { closePayoutRound(number: 1) { csv } }",
        json!({}),
    )
    .await;

    let text = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(text.contains("token refused"), "the capture works");
    for sentinel in [
        "Zyxsentinel",
        "Qwerty",
        "01098765432",
        "9876-5432",
        "98765432",
        "99887766554433",
        "1980-02-29",
    ] {
        assert!(!text.contains(sentinel), "{sentinel} was logged");
    }
}
