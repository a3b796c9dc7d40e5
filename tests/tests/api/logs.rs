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

/// The access-log lines of the request with this id.
fn access_lines(logs: &Mutex<Vec<u8>>, request_id: &str) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&logs.lock().unwrap())
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["target"] == "access" && line["fields"]["request_id"] == request_id)
        .collect()
}

#[tokio::test]
async fn every_request_has_one_access_line_under_its_id_and_answers_with_it() {
    let logs = capture();
    let app = spawn_app().await;
    app.import(
        &SENTINEL
            .replace("C-LOG", "C-ACCESS")
            .replace("L-LOG-1", "L-ACCESS-1"),
    )
    .await;
    let token = app.token(Role::Customer, "C-ACCESS");
    let answered = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header("x-request-id", "access-test-1")
        .json(&json!({ "query": "query Mine { me { name lines { externalId } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);
    assert_eq!(answered.headers()["x-request-id"], "access-test-1");
    let lines = access_lines(&logs, "access-test-1");
    assert_eq!(lines.len(), 1, "{lines:?}");
    let fields = &lines[0]["fields"];
    assert_eq!(fields["method"], "POST");
    assert_eq!(fields["route"], "/graphql");
    assert_eq!(fields["status"], 200);
    assert_eq!(fields["operation"], "me");
    assert!(fields["duration_ms"].as_f64().is_some_and(|ms| ms > 0.0));
    let line = lines[0].to_string();
    for sentinel in ["Zyxsentinel", "9876-5432", &token] {
        assert!(!line.contains(sentinel), "{sentinel} in {line}");
    }

    // No id, or one that could forge a log line: the service makes its own.
    for sent in [None, Some("two words\"}")] {
        let mut request = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": "{ __typename }" }));
        if let Some(sent) = sent {
            request = request.header("x-request-id", sent);
        }
        let answered = request.send().await.unwrap();
        let id = answered.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(access_lines(&logs, &id).len(), 1);
    }
}
