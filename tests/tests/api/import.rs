//! `benefits import`: upserts by external id, each record all or nothing, bad records
//! reported by line number while the rest import.

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{C_1001, C_2002, spawn_app};

const ME_LINES: &str = "{ me { name lines { externalId status } } }";

#[tokio::test]
async fn a_malformed_line_is_reported_by_number_and_the_others_import() {
    let app = spawn_app().await;
    let broken = C_2002.replace(r#""status":"ACTIVE""#, r#""status":"SLEEPING""#);
    let file = format!("{C_1001}\n{broken}\n{{not json\n");

    let (report, rejections) = app.import(&file).await;

    assert_eq!((report.imported, report.rejected), (1, 2));
    assert_eq!(rejections[0].line, 2);
    assert!(
        rejections[0].reason.starts_with("lines[0].status"),
        "{:?}",
        rejections[0]
    );
    assert_eq!(rejections[1].line, 3);
    let missing = app
        .graphql(Role::Customer, "C-2002", ME_LINES, json!({}))
        .await;
    assert_eq!(
        missing["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "nothing of C-2002 was written"
    );
    let present = app
        .graphql(Role::Customer, "C-1001", ME_LINES, json!({}))
        .await;
    assert_eq!(present["data"]["me"]["name"], "Kim Minji");
}

#[tokio::test]
async fn importing_again_updates_by_external_id() {
    let app = spawn_app().await;
    app.import(C_2002).await;
    let renamed = C_2002.replace("Park Jisoo", "Park Jisu").replace(
        r#""status":"ACTIVE""#,
        r#""status":"TERMINATED","terminatedOn":"2026-01-02","terminatedBy":"CUSTOMER""#,
    );

    let (report, rejections) = app.import(&renamed).await;

    assert_eq!(report.imported, 1, "{rejections:?}");
    let body = app
        .graphql(Role::Customer, "C-2002", ME_LINES, json!({}))
        .await;
    assert_eq!(
        body["data"]["me"],
        json!({ "name": "Park Jisu", "lines": [{ "externalId": "L-2002-1", "status": "TERMINATED" }] })
    );
}

#[tokio::test]
async fn the_same_customer_twice_in_one_file_ends_as_its_last_record() {
    let app = spawn_app().await;
    let later = C_2002.replace("Park Jisoo", "Park Later");
    let (report, _) = app.import(&format!("{C_2002}\n{later}\n")).await;
    assert_eq!(report.imported, 2);
    let body = app
        .graphql(Role::Customer, "C-2002", ME_LINES, json!({}))
        .await;
    assert_eq!(body["data"]["me"]["name"], "Park Later");
}

#[tokio::test]
async fn a_record_with_an_inconsistent_line_writes_nothing_of_that_customer() {
    let app = spawn_app().await;
    let second_line = r#",{"externalId":"L-2002-2","msisdn":"010-9999-0003","deviceClass":"PHONE","brand":"OPERATOR","payment":"POSTPAID","activatedOn":"2021-01-01","status":"TERMINATED"}]"#;
    let inconsistent = C_2002.replacen("}]}", &format!("}}{second_line}}}"), 1);

    let (report, rejections) = app.import(&inconsistent).await;

    assert_eq!(report.rejected, 1, "{inconsistent}");
    assert!(
        rejections[0].reason.starts_with("lines[1].terminatedOn"),
        "{rejections:?}"
    );
    let body = app
        .graphql(Role::Customer, "C-2002", ME_LINES, json!({}))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn the_demo_data_set_loads_and_loads_again_without_change() {
    let app = spawn_app().await;
    let demo = benefits_api::commands::seed::DEMO_CUSTOMERS;
    let (first, rejections) = app.import(demo).await;
    assert!(rejections.is_empty(), "{rejections:?}");
    let (second, _) = app.import(demo).await;
    assert_eq!(first.imported, second.imported);
    let body = app
        .graphql(
            Role::Customer,
            "C-1009",
            "{ me { lines { externalId } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["me"]["lines"].as_array().unwrap().len(),
        2,
        "{body}"
    );
}
