//! Every request carries a verified token.

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{error_code, spawn_app};

#[tokio::test]
async fn a_request_without_a_token_is_unauthenticated() {
    let app = spawn_app().await;
    let body = app.graphql_as(None, "{ __typename }", json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    assert!(body.get("data").is_none_or(serde_json::Value::is_null));
}

#[tokio::test]
async fn a_token_signed_by_another_service_is_unauthenticated() {
    let app = spawn_app().await;
    let other = crate::helpers::spawn_app().await;
    let foreign = other.token(Role::Admin, "mallory");
    let body = app
        .graphql_as(Some(&foreign), "{ __typename }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_garbage_token_is_unauthenticated() {
    let app = spawn_app().await;
    let body = app
        .graphql_as(Some("not.a.token"), "{ __typename }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_valid_token_runs_the_query() {
    let app = spawn_app().await;
    let body = app
        .graphql(Role::PartnerStore, "S-1", "{ __typename }", json!({}))
        .await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
}
