//! The web console at `/admin`: static files compiled into the binary (no build step,
//! nothing to install) that talk only to `POST /graphql` with the user's token, and,
//! on the embedded default only, a development sign-in that mints a staff token.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use benefits_domain::auth::Role;

use super::server::HttpState;
use crate::config::KeySource;

/// How long a development sign-in lasts.
const DEV_TOKEN_TTL: Duration = Duration::from_mins(30);

/// What the browser may load and run: this origin's files only, no inline script or
/// style, no framing, no form posts anywhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// A file of the console: its name under `/admin/`, media type and bytes.
struct Asset {
    name: &'static str,
    media_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $media:expr) => {
        Asset {
            name: $name,
            media_type: $media,
            body: include_bytes!(concat!("../../console/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file the console is made of.
const ASSETS: &[Asset] = &[
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("console.css", "text/css; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("charts.js", JS),
    asset!("signin.js", JS),
    asset!("agent.js", JS),
    asset!("admin.js", JS),
    asset!("dashboard.js", JS),
    asset!("texts.js", JS),
    asset!("i18n.js", JS),
    asset!("messages-ko.js", JS),
    asset!("messages-en.js", JS),
];

fn serve_asset(name: &str) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == name) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.media_type),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    (headers, asset.body).into_response()
}

/// `GET /admin`: redirects to `/admin/` so the page's relative links resolve.
pub(super) async fn root() -> Redirect {
    Redirect::permanent("/admin/")
}

/// `GET /admin/`: the console's page.
pub(super) async fn index() -> Response {
    serve_asset("index.html")
}

/// `GET /admin/{file}`: a script, the style sheet or the icon.
pub(super) async fn file(Path(name): Path<String>) -> Response {
    serve_asset(&name)
}

/// Whether this caller may use the development sign-in: the service runs on the
/// development key file (the embedded default) and the request comes from this
/// machine, so a development server bound to a public address hands out no tokens.
fn development_sign_in_allowed(keys: &KeySource, peer: SocketAddr) -> bool {
    matches!(keys, KeySource::DevelopmentFile(_)) && peer.ip().is_loopback()
}

/// `GET /admin/sign-in-options`: whether the development sign-in is offered.
pub(super) async fn sign_in_options(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    let development = development_sign_in_allowed(&state.app.config.keys, peer);
    axum::Json(serde_json::json!({ "development": development })).into_response()
}

#[derive(Deserialize)]
struct DevSignIn {
    role: String,
}

/// `POST /admin/dev-sign-in` with `{"role": "ADMIN" | "AGENT"}`: a 30-minute staff
/// token from the development keys. Only on the embedded default and from this machine
/// (404 otherwise), and JSON only, so no cross-site form can ask for one.
pub(super) async fn dev_sign_in(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !development_sign_in_allowed(&state.app.config.keys, peer) {
        return (StatusCode::NOT_FOUND, "no development sign-in here").into_response();
    }
    if !super::graphql::is_json(&headers) {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/json only").into_response();
    }
    let Ok(request) = serde_json::from_slice::<DevSignIn>(&body) else {
        return (StatusCode::BAD_REQUEST, "expected {\"role\": \"ADMIN\"}").into_response();
    };
    let (role, subject) = match request.role.as_str() {
        "ADMIN" => (Role::Admin, "dev-admin"),
        "AGENT" => (Role::Agent, "dev-agent"),
        _ => return (StatusCode::BAD_REQUEST, "role is ADMIN or AGENT").into_response(),
    };
    match state.app.tokens.issue(role, subject, DEV_TOKEN_TTL) {
        Ok(token) => {
            tracing::warn!(role = role.as_str(), "development sign-in to the console");
            axum::Json(serde_json::json!({ "token": token, "role": role.as_str() })).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "development sign-in failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot mint a token").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_console_file_is_served_with_its_type_and_policy() {
        for asset in ASSETS {
            let response = serve_asset(asset.name);
            assert_eq!(response.status(), StatusCode::OK, "{}", asset.name);
            let headers = response.headers();
            assert_eq!(headers[header::CONTENT_TYPE], asset.media_type);
            assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
        }
        assert_eq!(serve_asset("../Cargo.toml").status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn the_development_sign_in_is_for_this_machine_on_development_keys_only() {
        let development = KeySource::DevelopmentFile("benefits.keys.json".into());
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let remote: SocketAddr = "203.0.113.7:50000".parse().unwrap();
        assert!(development_sign_in_allowed(&development, local));
        assert!(!development_sign_in_allowed(&development, remote));
        let local_v6: SocketAddr = "[::1]:50000".parse().unwrap();
        assert!(development_sign_in_allowed(&development, local_v6));
    }

    #[test]
    fn the_page_runs_no_inline_script() {
        let page = std::str::from_utf8(ASSETS[0].body).unwrap();
        assert!(!page.contains("<script>"));
        assert!(!page.contains("style="));
        assert!(!page.contains(" on"), "no inline event handlers");
    }
}
