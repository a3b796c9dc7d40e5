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

#[tokio::test]
async fn metrics_count_requests_refusals_and_security_events() {
    let app = spawn_app().await;
    app.graphql(
        benefits_domain::auth::Role::Customer,
        "C-1",
        "{ auditEntries { actor } }",
        serde_json::json!({}),
    )
    .await;
    app.graphql_as(
        Some("forged.token.here"),
        "{ __typename }",
        serde_json::json!({}),
    )
    .await;
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("benefits_graphql_requests_total 2\n"),
        "{text}"
    );
    assert!(
        text.contains("benefits_graphql_errors_total{code=\"FORBIDDEN\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "benefits_security_events_total{kind=\"token_refused\",reason=\"malformed\"} 1\n"
        ),
        "{text}"
    );
}
