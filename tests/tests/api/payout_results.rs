//! The bank's payout results as a file: `recordPayoutResults` and `benefits payouts
//! record FILE`, one idempotent run with a per-row report.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_demo_at};

const APPLY: &str =
    "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id amount } }";
const CLOSE: &str = "mutation($n: Int!) { closePayoutRound(number: $n) { count } }";
const RESULTS: &str = "mutation($csv: String!) { recordPayoutResults(csv: $csv) { recorded alreadyRecorded refused rows { line applicationId outcome reason } } }";
const HEADER: &str = "application_id,result,amount,reason\n";

async fn apply(app: &TestApp) -> (String, i64) {
    let line = app.line_id("C-1001", "L-1001-1").await;
    let applied = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            json!({ "input": {
                "lineId": line, "channel": "WEB", "bankCode": "004",
                "accountNumber": "123-456-789012", "accountHolder": "김민지", "idempotencyKey": "k",
            }}),
        )
        .await;
    let application = &applied["data"]["applyForRefund"];
    (
        application["id"].as_str().unwrap().to_owned(),
        application["amount"].as_i64().unwrap(),
    )
}

async fn record(app: &TestApp, csv: &str) -> Value {
    app.graphql(Role::Admin, "admin-1", RESULTS, json!({ "csv": csv }))
        .await
}

async fn status(app: &TestApp, id: &str) -> String {
    let found = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ refundApplications(first: 50) { id status } }",
            json!({}),
        )
        .await;
    found["data"]["refundApplications"]
        .as_array()
        .unwrap_or_else(|| panic!("{found}"))
        .iter()
        .find(|a| a["id"] == id)
        .map(|a| a["status"].as_str().unwrap().to_owned())
        .unwrap()
}

fn cli(app: &TestApp, csv: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results.csv");
    std::fs::write(&file, csv).unwrap();
    let output = app
        .command()
        .args(["payouts", "record"])
        .arg(&file)
        .output()
        .unwrap();
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn a_results_file_is_recorded_once_with_a_clear_report_per_row() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let (id, amount) = apply(&app).await;
    let good = format!("{HEADER}{id},PAID,{amount},\n");

    // Round 1 is not closed yet: the row is refused and nothing changes.
    let early = record(&app, &good).await;
    assert_eq!(
        early["data"]["recordPayoutResults"]["rows"][0]["reason"], "ROUND_NOT_CLOSED",
        "{early}"
    );
    assert_eq!(status(&app, &id).await, "SUBMITTED");
    let (code, output) = cli(&app, &good);
    assert_eq!(code, Some(2), "{output}");
    assert!(
        output.contains("line 2") && output.contains("ROUND_NOT_CLOSED"),
        "{output}"
    );

    app.graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;

    // A file that does not parse records nothing, whatever its good rows.
    for broken in [
        format!("application_id,paid\n{id},PAID\n"),
        format!("{HEADER}{id},PAID,{amount},\n{id},MAYBE,1,\n"),
        format!("{HEADER}{id},PAID,{amount},\n{id},FAILED,{amount}\n"),
    ] {
        let refused = record(&app, &broken).await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
        let (code, output) = cli(&app, &broken);
        assert_eq!(code, Some(2), "{output}");
        assert!(output.contains("nothing recorded"), "{output}");
    }
    assert_eq!(status(&app, &id).await, "SCHEDULED");

    // Unknown ids, duplicates and a wrong amount are refused row by row; the good row
    // of the same file is recorded.
    let mixed = format!(
        "{HEADER}nope,PAID,1,\ndup,PAID,1,\ndup,FAILED,1,closed\n{id},PAID,{},\n",
        amount + 1
    );
    let report = record(&app, &mixed).await;
    let rows = &report["data"]["recordPayoutResults"]["rows"];
    let reasons: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        reasons,
        [
            "UNKNOWN_ID",
            "DUPLICATE_ID",
            "DUPLICATE_ID",
            "AMOUNT_MISMATCH"
        ],
        "{report}"
    );
    assert_eq!(rows[3]["line"], 5);
    assert_eq!(status(&app, &id).await, "SCHEDULED");

    // The good file, then the same file again: the second run changes nothing.
    let (code, output) = cli(&app, &good);
    assert_eq!(code, Some(0), "{output}");
    assert!(
        output.contains("recorded 1, already recorded 0, refused 0"),
        "{output}"
    );
    assert_eq!(status(&app, &id).await, "PAID");
    let (code, output) = cli(&app, &good);
    assert_eq!(code, Some(0), "{output}");
    assert!(
        output.contains("recorded 0, already recorded 1, refused 0"),
        "{output}"
    );
    let again = record(&app, &good).await;
    assert_eq!(
        again["data"]["recordPayoutResults"]["rows"][0]["outcome"], "ALREADY_RECORDED",
        "{again}"
    );

    // The other result for a paid payout is refused.
    let other = record(
        &app,
        &format!("{HEADER}{id},FAILED,{amount},account closed\n"),
    )
    .await;
    assert_eq!(
        other["data"]["recordPayoutResults"]["rows"][0]["reason"], "OTHER_RESULT_RECORDED",
        "{other}"
    );
    assert_eq!(status(&app, &id).await, "PAID");

    // One paid notification, whatever the reruns; every run audited with its hash.
    let paid = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { notifications { kind } } }",
            json!({}),
        )
        .await;
    let kinds = paid["data"]["me"]["notifications"].to_string();
    assert_eq!(kinds.matches("REFUND_PAID").count(), 1, "{kinds}");
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "payout.record_results" }, first: 50) { action detail } }"#,
            json!({}),
        )
        .await;
    let runs: Vec<&Value> = audit["data"]["auditEntries"]
        .as_array()
        .unwrap_or_else(|| panic!("{audit}"))
        .iter()
        .filter(|e| e["action"] == "payout.record_results")
        .collect();
    assert!(runs.len() >= 6, "{audit}");
    assert!(
        runs.iter()
            .all(|e| e["detail"].as_str().unwrap().contains("sha256"))
    );
}

#[tokio::test]
async fn a_results_file_larger_than_the_upload_bound_is_refused() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    // Over 60,000 bytes yet inside the 64 KiB request body.
    let big = format!("{HEADER}{}", "xxxxxxxxx,PAID,1,\n".repeat(3_340));
    assert!(big.len() > 60_000);
    let refused = record(&app, &big).await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
}
