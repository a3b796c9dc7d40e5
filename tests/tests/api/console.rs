//! The web console at `/admin`: its files, their security headers, and the development
//! sign-in that exists only on the embedded default.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app, spawn_embedded_default};

/// Asks for a development sign-in as `role`.
async fn dev_sign_in(app: &TestApp, role: &str) -> reqwest::Response {
    app.client
        .post(app.url("/admin/dev-sign-in"))
        .json(&json!({ "role": role }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_console_is_served_at_admin_under_a_strict_content_security_policy() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.url().path(), "/admin/", "/admin redirects to the page");
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"));
    assert!(page.text().await.unwrap().contains("src=\"app.js\""));

    let script = app
        .client
        .get(app.url("/admin/app.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let missing = app
        .client
        .get(app.url("/admin/secrets.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn there_is_no_development_sign_in_when_keys_are_configured() {
    let app = spawn_app().await;
    let options: Value = app
        .client
        .get(app.url("/admin/sign-in-options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(options, json!({ "development": false }));
    let refused = dev_sign_in(&app, "ADMIN").await;
    assert_eq!(refused.status(), 404);
}

#[tokio::test]
async fn the_development_sign_in_mints_a_staff_token_the_api_verifies() {
    let app = spawn_embedded_default().await;
    let signed_in: Value = dev_sign_in(&app, "ADMIN").await.json().await.unwrap();
    assert_eq!(signed_in["role"], "ADMIN");
    let token = signed_in["token"].as_str().unwrap();
    let campaign = app
        .graphql_as(Some(token), "{ campaign { code } }", json!({}))
        .await;
    assert_eq!(
        campaign["data"]["campaign"]["code"], "BREACH-2026",
        "{campaign}"
    );

    let agent: Value = dev_sign_in(&app, "AGENT").await.json().await.unwrap();
    let forbidden = app
        .graphql_as(agent["token"].as_str(), "{ campaign { code } }", json!({}))
        .await;
    assert_eq!(
        error_code(&forbidden),
        Some("FORBIDDEN"),
        "an agent is no admin"
    );
}

#[tokio::test]
async fn the_development_sign_in_gives_no_customer_or_store_token_and_takes_json_only() {
    let app = spawn_embedded_default().await;
    for role in [Role::Customer, Role::PartnerStore] {
        let refused = dev_sign_in(&app, role.as_str()).await;
        assert_eq!(refused.status(), 400, "{role}");
    }
    let form = app
        .client
        .post(app.url("/admin/dev-sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("role=ADMIN")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415, "no cross-site form can sign in");
}

/// Asks for a development sign-in naming `host` (and `origin`), as a browser would.
async fn dev_sign_in_from(app: &TestApp, host: &str, origin: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/admin/dev-sign-in"))
        .header("host", host)
        .json(&json!({ "role": "ADMIN" }));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_page_whose_name_was_rebound_to_this_machine_gets_no_development_token() {
    let app = spawn_embedded_default().await;
    let port = app.address.port();
    let rebound = format!("rebound.example:{port}");
    let refused = dev_sign_in_from(&app, &rebound, None).await;
    assert_eq!(refused.status(), 404, "a foreign Host");
    let refused = dev_sign_in_from(&app, &rebound, Some(&format!("http://{rebound}"))).await;
    assert_eq!(refused.status(), 404, "a foreign Host and Origin");
    let local = format!("127.0.0.1:{port}");
    let refused = dev_sign_in_from(&app, &local, Some("http://evil.example")).await;
    assert_eq!(refused.status(), 404, "a foreign Origin");
    let options: Value = app
        .client
        .get(app.url("/admin/sign-in-options"))
        .header("host", &rebound)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        options["development"], false,
        "not offered to a rebound name"
    );

    for host in [
        format!("localhost:{port}"),
        local.clone(),
        format!("[::1]:{port}"),
    ] {
        let allowed = dev_sign_in_from(&app, &host, Some(&format!("http://{host}"))).await;
        assert_eq!(allowed.status(), 200, "{host}");
    }
}

#[tokio::test]
async fn configured_verifying_keys_turn_the_development_sign_in_off() {
    let app = crate::helpers::spawn_app_with(true, |settings| benefits_api::config::Settings {
        verifying_keys: Some("partner:11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo".into()),
        ..settings
    })
    .await;
    assert_eq!(dev_sign_in(&app, "ADMIN").await.status(), 404);
}
