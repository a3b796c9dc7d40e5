//! `benefits seed --demo`: the whole program, so no page of the console is empty, and
//! the same data set however often it is loaded.

use std::process::{Output, Stdio};

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_at};

/// After the program's last month of data: the whole history is replayed.
const SUMMER: &str = "2026-07-15T10:00:00+09:00";

fn seed(app: &TestApp) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = app
        .command()
        .args(["seed", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        status.success(),
        "the seed failed: {}",
        String::from_utf8_lossy(&stderr)
    );
    String::from_utf8(stdout).unwrap()
}

const CONSOLE: &str = r#"{
  partners(first: 500) { name stores { name } offers { title } }
  ottServices { name minimumAge }
  refundOverview { applications { round status count } }
  refundApplications(withoutRound: true) { status }
  insuranceClaims(status: UNDER_REVIEW) { coverageType }
  redemptionsByDay(from: "2026-02-01", until: "2026-07-31") { count }
  dataGrantsByMonth { month lines }
}"#;

fn len(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_demo_shows_the_whole_program_and_loads_again_without_change() {
    let app = spawn_app_at(SUMMER).await;
    let first = seed(&app);
    assert!(first.contains("4 partners"), "{first}");
    let before = app
        .graphql(Role::Admin, "admin-1", CONSOLE, json!({}))
        .await;
    let data = &before["data"];

    let partners = data["partners"].as_array().unwrap();
    assert_eq!(partners.len(), 4, "{before}");
    assert!(
        partners
            .iter()
            .all(|p| len(&p["stores"]) > 0 && len(&p["offers"]) > 0)
    );
    assert_eq!(len(&data["ottServices"]), 2);
    let rounds: Vec<&Value> = data["refundOverview"]["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["round"])
        .collect();
    for round in [json!(1), json!(2), json!(3), Value::Null] {
        assert!(
            rounds.contains(&&round),
            "applications in round {round}: {before}"
        );
    }
    assert_eq!(
        data["refundApplications"],
        json!([{ "status": "SUBMITTED" }]),
        "the late application waits for a round"
    );
    assert_eq!(len(&data["insuranceClaims"]), 1);
    assert!(len(&data["redemptionsByDay"]) >= 5, "{before}");
    assert_eq!(len(&data["dataGrantsByMonth"]), 6);

    let late = app
        .graphql(
            Role::Customer,
            "C-2001",
            "{ me { lines { feeWaiver { lateApplication { reason } application { status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        late["data"]["me"]["lines"][0]["feeWaiver"]["lateApplication"]["reason"], "HOSPITALISATION",
        "{late}"
    );

    // Every age group: 12, 17 and 19 years old choose from different OTT lists.
    let selectable = |customer: &'static str| {
        let app = &app;
        async move {
            let body = app
                .graphql(
                    Role::Customer,
                    customer,
                    "{ me { lines { ottChoices { service { name } selectable } } } }",
                    json!({}),
                )
                .await;
            body["data"]["me"]["lines"][0]["ottChoices"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["selectable"] == true)
                .map(|c| c["service"]["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(selectable("C-2002").await, Vec::<String>::new());
    assert_eq!(selectable("C-2003").await, ["TVING"]);
    assert_eq!(selectable("C-2004").await, ["Disney+", "TVING"]);

    seed(&app);
    let after = app
        .graphql(Role::Admin, "admin-1", CONSOLE, json!({}))
        .await;
    assert_eq!(after, before, "seeding again changes nothing");
}

#[tokio::test]
async fn a_demo_seeded_in_january_holds_only_what_had_happened_by_then() {
    let app = spawn_app_at("2026-01-15T10:00:00+09:00").await;
    let output = seed(&app);
    assert!(
        output.contains("Notices; LateApplicationGranted"),
        "{output}"
    );
    let body = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ refundOverview { applications { count } } partners(first: 500) { name } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["refundOverview"]["applications"], json!([]));
    assert_eq!(len(&body["data"]["partners"]), 4);
}
