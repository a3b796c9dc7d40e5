//! The probes.

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_reports_the_database_and_the_cache() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    let expected_cache = if std::env::var("BENEFITS_TEST_REDIS_URL").is_ok_and(|u| !u.is_empty()) {
        "ok"
    } else {
        "in-process"
    };
    assert_eq!(body["cache"], expected_cache);
    assert_eq!(body["status"], "ok");
}
