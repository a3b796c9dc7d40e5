//! `benefits import roaming FILE`: billing's roaming usage feed, one bonus per billing
//! record, as idempotent as `recordRoamingPass`.

use benefits_api::commands::import::roaming::import_feed;
use benefits_api::commands::payouts::cli_caller;
use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::spawn_demo_at;

const FEBRUARY: &str = "2026-02-10T10:00:00+09:00";

#[tokio::test]
async fn a_feed_records_one_bonus_per_billing_record_however_often_it_is_run() {
    let app = spawn_demo_at(FEBRUARY).await;
    let feed = [
        r#"{"recordId":"BILL-1","lineExternalId":"L-1006-1","passName":"Japan 5 days","dataMb":3001,"activatedOn":"2026-02-09"}"#,
        r#"{"recordId":"BILL-2","lineExternalId":"L-1006-1","passName":"Japan 3 days","dataMb":1000,"activatedOn":"2026-02-10"}"#,
        r#"{"recordId":"BILL-3","lineExternalId":"L-9999-9","passName":"p","dataMb":100,"activatedOn":"2026-02-09"}"#,
        r#"{"recordId":"BILL-4","lineExternalId":"L-1006-1","passName":"p","dataMb":100,"activatedOn":"2026-09-01"}"#,
        r#"{"recordId":"BILL-5","lineExternalId":"L-1006-1"}"#,
        "",
        r#"{"recordId":"BILL-1","lineExternalId":"L-1006-1","passName":"Japan 5 days","dataMb":3001,"activatedOn":"2026-02-09"}"#,
    ]
    .join("\n");

    let mut rejections = Vec::new();
    let first = import_feed(&app.app, &cli_caller(), feed.as_bytes(), |r| {
        rejections.push(r);
    })
    .await
    .unwrap();
    assert_eq!(
        (first.recorded, first.already_recorded, first.refused),
        (2, 1, 3)
    );
    // Syntax errors are reported as read, the others once their batch is written.
    rejections.sort_by_key(|r| r.line);
    let lines: Vec<(u64, &str)> = rejections
        .iter()
        .map(|r| (r.line, r.reason.split(':').next().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [
            (3, "NOT_FOUND"),
            (4, "WINDOW_CLOSED"),
            (5, "BAD_USER_INPUT")
        ]
    );

    let mut again = Vec::new();
    let second = import_feed(&app.app, &cli_caller(), feed.as_bytes(), |r| {
        again.push(r);
    })
    .await
    .unwrap();
    assert_eq!(
        (second.recorded, second.already_recorded, second.refused),
        (0, 3, 3)
    );

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
        json!([{ "bonusMb": 1500 }, { "bonusMb": 500 }]),
        "{listed}"
    );

    // The command line: the same feed is a no-op now, its refusals still exit 2.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roaming.jsonl");
    std::fs::write(&file, &feed).unwrap();
    let output = app
        .command()
        .args(["import", "roaming"])
        .arg(&file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("recorded 0 roaming bonuses, already recorded 3, refused 3"),
        "{text}"
    );
    assert!(text.contains("line 3: NOT_FOUND"), "{text}");

    let clean = dir.path().join("clean.jsonl");
    std::fs::write(&clean, feed.lines().take(2).collect::<Vec<_>>().join("\n")).unwrap();
    let output = app
        .command()
        .args(["import", "roaming"])
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}
