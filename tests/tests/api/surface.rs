//! The GraphQL surface against the graphql-cop checks (OWASP GraphQL Cheat Sheet): each
//! attack is refused, and each test fails if its defence is removed.

use benefits_domain::auth::Role;
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_dev_app};

async fn post_raw(app: &TestApp, content_type: &str, body: String) -> reqwest::Response {
    app.client
        .post(app.url("/graphql"))
        .bearer_auth(app.token(Role::Admin, "admin-1"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn query(app: &TestApp, query: &str) -> Value {
    app.graphql(Role::Admin, "admin-1", query, json!({})).await
}

fn refused(body: &Value) -> bool {
    body["errors"]
        .as_array()
        .is_some_and(|errors| !errors.is_empty())
        && body["data"].is_null()
}

#[tokio::test]
async fn a_batch_of_requests_is_refused() {
    let app = spawn_app().await;
    let batch = json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]).to_string();
    let response = post_raw(&app, "application/json", batch).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn text_plain_and_form_posts_are_refused_with_415() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = post_raw(&app, content_type, body.clone()).await;
        assert_eq!(response.status(), 415, "{content_type}");
    }
    assert_eq!(
        post_raw(&app, "application/json; charset=utf-8", body)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_mutation_over_get_does_not_run() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/graphql?query=mutation%7BsendRefundReminders%7Bsent%7D%7D"))
        .bearer_auth(app.token(Role::Admin, "admin-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        404,
        "GET serves GraphiQL in development mode only, and never executes"
    );
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_with_413() {
    let app = spawn_app().await;
    let padding = " ".repeat(70 * 1024);
    let body = format!("{{\"query\": \"{{ __typename{padding} }}\"}}");
    assert_eq!(post_raw(&app, "application/json", body).await.status(), 413);
}

#[tokio::test]
async fn introspection_is_off_outside_development_mode() {
    let app = spawn_app().await;
    let body = query(&app, "{ __schema { types { name } } }").await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    assert!(!body.to_string().contains("Customer"), "{body}");
}

#[tokio::test]
async fn field_suggestions_do_not_leak_the_schema() {
    let app = spawn_app().await;
    let body = query(&app, "{ customerByPhon(phone: \"010\") { id } }").await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("Did you mean"), "{message}");
}

#[tokio::test]
async fn a_query_deeper_than_ten_levels_is_refused_even_with_introspection_on() {
    let app = spawn_dev_app().await;
    let nest = |levels: usize| {
        format!(
            "{{ __type(name: \"Line\") {{ {}name{} }} }}",
            "fields { type { ".repeat(levels),
            " } }".repeat(levels)
        )
    };
    let shallow = query(&app, &nest(3)).await;
    assert!(shallow["errors"].is_null(), "{shallow}");
    let deep = query(&app, &nest(5)).await;
    assert!(refused(&deep), "{deep}");
}

#[tokio::test]
async fn alias_overload_is_refused() {
    let app = spawn_app().await;
    let aliases = (0..1_000)
        .map(|i| format!("a{i}: partners {{ id }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let body = query(&app, &format!("{{ {aliases} }}")).await;
    assert!(refused(&body), "{body}");
}

#[tokio::test]
async fn field_duplication_is_refused() {
    let app = spawn_app().await;
    let fields = "partners { id name category } ".repeat(600);
    let body = query(&app, &format!("{{ {fields} }}")).await;
    assert!(
        refused(&body),
        "{}",
        &body.to_string()[..200.min(body.to_string().len())]
    );
}

#[tokio::test]
async fn directive_overload_is_refused() {
    let app = spawn_app().await;
    let directives = "@include(if: true) ".repeat(100);
    let body = query(&app, &format!("{{ __typename {directives} }}")).await;
    assert!(refused(&body), "{body}");
}

#[tokio::test]
async fn circular_fragments_are_refused() {
    let app = spawn_app().await;
    let body = query(
        &app,
        "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    )
    .await;
    assert!(refused(&body), "{body}");
}

#[tokio::test]
async fn an_internal_error_carries_a_correlation_id_and_nothing_of_its_cause() {
    let app = spawn_app().await;
    app.app
        .db
        .execute_unprepared("DROP TABLE audit_log")
        .await
        .unwrap();
    let body = query(&app, "{ auditEntries { actor } }").await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{body}");
    assert!(error["extensions"]["correlationId"].is_string(), "{body}");
    let text = body.to_string().to_lowercase();
    for leak in [
        "audit_log",
        "select ",
        "sqlite",
        "postgres",
        "no such table",
        "does not exist",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {body}");
    }
}

#[tokio::test]
async fn every_list_is_bounded() {
    let app = spawn_app().await;
    let partners = query(&app, "{ partners(first: 501) { id } }").await;
    assert_eq!(
        partners["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{partners}"
    );
    let audit = query(&app, "{ auditEntries(first: 501) { actor } }").await;
    assert_eq!(
        audit["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{audit}"
    );
    app.import(crate::helpers::C_1001).await;
    let lines = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { lines(first: 0) { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        lines["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{lines}"
    );
}

/// The number of audit entries recording `action`.
async fn audited(app: &TestApp, action: &str) -> usize {
    let body = query(
        app,
        &format!(
            "{{ auditEntries(filter: {{ action: \"{action}\" }}, first: 500) {{ sequence }} }}"
        ),
    )
    .await;
    body["data"]["auditEntries"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn aliases_of_a_thousand_row_list_are_refused_before_anything_runs() {
    let app = spawn_app().await;
    app.import(crate::helpers::C_1001).await;
    let page = "insuranceEnrolmentList(first: 1000) { items { name } }";
    let one = query(&app, &format!("{{ {page} }}")).await;
    assert!(one["errors"].is_null(), "one page is fine: {one}");
    assert_eq!(
        audited(&app, "insurance.export_covered").await,
        1,
        "and audited"
    );

    let aliases = (0..160)
        .map(|i| format!("a{i}: {page}"))
        .collect::<Vec<_>>()
        .join(" ");
    let body = query(&app, &format!("{{ {aliases} }}")).await;
    assert!(
        refused(&body),
        "{}",
        &body.to_string()[..300.min(body.to_string().len())]
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("complex"),
        "{}",
        body["errors"][0]
    );
    assert_eq!(
        audited(&app, "insurance.export_covered").await,
        1,
        "no page was read"
    );
}

/// The text of the console's GraphQL constant `name` in `script`.
fn console_operation(script: &str, name: &str) -> String {
    let start = script
        .find(&format!("const {name} = `"))
        .unwrap_or_else(|| panic!("the console defines {name}"))
        + name.len()
        + 10;
    let length = script[start..].find('`').unwrap();
    script[start..start + length].to_owned()
}

#[tokio::test]
async fn the_consoles_largest_operations_stay_inside_the_cost_limit() {
    let app = spawn_app().await;
    app.import(crate::helpers::C_1001).await;
    let partners = console_operation(include_str!("../../../api/console/admin.js"), "PARTNERS");
    let body = query(&app, &partners).await;
    assert!(body["errors"].is_null(), "{body}");
    let customer = console_operation(include_str!("../../../api/console/agent.js"), "CUSTOMER");
    let body = app
        .graphql(
            Role::Agent,
            "agent-1",
            &customer,
            json!({ "phone": "010-1234-5678" }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["customerByPhone"]["externalId"], "C-1001");
}

#[tokio::test]
async fn a_known_document_with_a_bad_variable_is_refused_as_when_it_was_new() {
    let app = spawn_app().await;
    let document = "query($first: Int!) { partners(first: $first) { externalId } }";
    let bad = json!({ "first": "ten" });
    let refused_new = app
        .graphql(Role::Admin, "admin-1", document, bad.clone())
        .await;
    assert!(refused(&refused_new), "{refused_new}");
    for _ in 0..2 {
        let answered = app
            .graphql(Role::Admin, "admin-1", document, json!({ "first": 10 }))
            .await;
        assert!(answered["errors"].is_null(), "{answered}");
    }
    let refused_known = app.graphql(Role::Admin, "admin-1", document, bad).await;
    assert_eq!(
        refused_known, refused_new,
        "validation still runs on a variable that is not a plain value of its type"
    );
}
