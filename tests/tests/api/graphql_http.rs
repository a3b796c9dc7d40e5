//! GraphQL over HTTP: `Accept` chooses the answer's media type, documents that do not
//! parse or validate carry the contract's codes and 1-based locations, and a body that
//! is not a GraphQL request is told what is wrong with it.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Posts `body` as JSON with `accept` (if any) as an admin; the status, the response's
/// media type and its JSON body.
async fn post(app: &TestApp, accept: Option<&str>, body: String) -> (u16, String, Value) {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(app.token(Role::Admin, "admin-1"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, media, body)
}

fn request(query: &str) -> String {
    json!({ "query": query }).to_string()
}

const JSON: Option<&str> = Some("application/json");
const GRAPHQL_RESPONSE: Option<&str> = Some("application/graphql-response+json");

#[tokio::test]
async fn application_json_asked_is_application_json_answered() {
    let app = spawn_app().await;
    for accept in [
        JSON,
        None,
        Some("*/*"),
        Some("text/html, application/json;q=0.9"),
    ] {
        let (status, media, body) = post(&app, accept, request("{ __typename }")).await;
        assert_eq!(status, 200, "{accept:?}");
        assert_eq!(media, "application/json; charset=utf-8", "{accept:?}");
        assert_eq!(body["data"]["__typename"], "Query");
    }
    let (_, media, _) = post(
        &app,
        Some("application/graphql-response+json, application/json"),
        request("{ __typename }"),
    )
    .await;
    assert_eq!(media, "application/graphql-response+json; charset=utf-8");
    let (status, _, _) = post(&app, Some("text/html"), request("{ __typename }")).await;
    assert_eq!(status, 406);
}

#[tokio::test]
async fn a_document_that_does_not_parse_is_graphql_parse_failed_at_a_1_based_location() {
    let app = spawn_app().await;
    let (status, _, body) = post(&app, JSON, request("{ __typename")).await;
    assert_eq!(status, 200, "{body}");
    let error = &body["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "{body}"
    );
    assert_eq!(error["locations"][0]["line"], 1, "{body}");
    assert_eq!(error["locations"][0]["column"], 13, "{body}");
    assert!(body.get("data").is_none(), "nothing ran: {body}");

    let (status, _, body) = post(&app, GRAPHQL_RESPONSE, request("query {\n  me {")).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );
    assert_eq!(body["errors"][0]["locations"][0]["line"], 2, "{body}");
}

#[tokio::test]
async fn a_document_that_does_not_validate_is_graphql_validation_failed() {
    let app = spawn_app().await;
    for query in [
        "{ noSuchField }",
        "query($x: Int!) { __typename }",
        "{ me }",
    ] {
        let (status, _, body) = post(&app, JSON, request(query)).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{query}: {body}"
        );
        assert!(body.get("data").is_none(), "{body}");
        let (status, _, _) = post(&app, GRAPHQL_RESPONSE, request(query)).await;
        assert_eq!(status, 400, "{query}");
    }
    let located = post(&app, JSON, request("{\n  noSuchField\n}")).await.2;
    assert_eq!(
        located["errors"][0]["locations"][0],
        json!({ "line": 2, "column": 3 })
    );
    let refused = post(&app, JSON, request("{ campaign { code } }")).await.2;
    assert_eq!(
        refused["data"]["campaign"]["code"], "BREACH-2026",
        "a valid document runs: {refused}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_told_what_is_wrong() {
    let app = spawn_app().await;
    for (body, message) in [
        ("{}".to_owned(), "query is missing"),
        ("{\"query\": 7}".to_owned(), "query must be a string"),
        (
            "{\"query\": \"{ __typename }\", \"variables\": [1]}".to_owned(),
            "variables must be an object or null",
        ),
        ("{\"query\": ".to_owned(), "the body is not JSON"),
        (
            json!([{ "query": "{ __typename }" }]).to_string(),
            "batches are refused",
        ),
    ] {
        let (status, _, answer) = post(&app, JSON, body.clone()).await;
        assert_eq!(status, 400, "{body}");
        let said = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(said.starts_with(message), "{body}: {said}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(answer["errors"][0].get("locations").is_none(), "{answer}");
    }
}

#[tokio::test]
async fn a_refused_token_has_no_location_and_is_401_as_graphql_response_json() {
    let app = spawn_app().await;
    let refused = |accept: Option<&'static str>| {
        let mut request = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth("not.a.token")
            .json(&json!({ "query": "{ __typename }" }));
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        request.send()
    };
    let json = refused(JSON).await.unwrap();
    assert_eq!(json.status(), 200);
    let body: Value = json.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert!(body["errors"][0].get("locations").is_none(), "{body}");
    assert_eq!(refused(GRAPHQL_RESPONSE).await.unwrap().status(), 401);
}
