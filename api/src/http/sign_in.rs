//! How the console's user signs in. Through the identity provider (OpenID Connect
//! authorization code with PKCE): `GET /admin/sign-in-options` gives the browser the
//! provider's authorization endpoint and the client's settings, the browser comes back
//! with a code, and `POST /admin/oidc/token` redeems it with the PKCE verifier and
//! hands back the provider's access token once the service has verified it as a staff
//! token. On the embedded default only, `POST /admin/dev-sign-in` mints a development
//! staff token, to this machine's browsers only. `GET /admin/session` says whom a token
//! names, so the console never has to read claims itself.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use benefits_domain::auth::Role;

use super::graphql::{bearer, is_json};
use super::server::HttpState;
use crate::config::{Config, KeySource};

/// How long a development sign-in lasts.
const DEV_TOKEN_TTL: Duration = Duration::from_mins(30);

/// The names a browser on this machine uses for it.
const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Whether a `Host` header names this machine: a loopback name or address, with or
/// without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        // `[::1]` alone: its colons are inside the brackets.
        _ => host,
    };
    LOOPBACK_NAMES
        .iter()
        .any(|loopback| name.eq_ignore_ascii_case(loopback))
}

/// Whether the request's `Host` is a loopback name and its `Origin`, if any, is that
/// same host: a page whose own name was rebound to 127.0.0.1 sends its own name in
/// both, and a page elsewhere sends its origin.
fn is_from_this_machines_browser(headers: &HeaderMap) -> bool {
    let header = |name| headers.get(name).map(|value| value.to_str().ok());
    let Some(Some(host)) = header(header::HOST) else {
        return false;
    };
    if !is_loopback_host(host) {
        return false;
    }
    match header(header::ORIGIN) {
        None => true,
        Some(Some(origin)) => [format!("http://{host}"), format!("https://{host}")]
            .iter()
            .any(|same| origin.eq_ignore_ascii_case(same)),
        Some(None) => false,
    }
}

/// Whether the development sign-in exists at all: only on the development key file
/// (the embedded default), with no configured keys and no identity provider.
fn development_keys_only(config: &Config) -> bool {
    matches!(config.keys, KeySource::DevelopmentFile(_))
        && config.verifying_keys.is_empty()
        && config.identity_provider.is_none()
}

/// Whether this request may use the development sign-in: it exists, the request comes
/// from this machine, and names it as a browser on this machine does.
fn development_sign_in_allowed(config: &Config, peer: SocketAddr, headers: &HeaderMap) -> bool {
    development_keys_only(config)
        && peer.ip().is_loopback()
        && is_from_this_machines_browser(headers)
}

/// `GET /admin/sign-in-options`: the development sign-in, if offered, and the identity
/// provider's sign-in, if configured (`oidcUnavailable` when its discovery document
/// cannot be read just now).
pub(super) async fn sign_in_options(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let development = development_sign_in_allowed(&state.app.config, peer, &headers);
    let mut options = json!({ "development": development });
    if let Some(oidc) = &state.app.oidc {
        match oidc.discovery().await {
            Ok(discovery) => {
                options["oidc"] = json!({
                    "authorizationEndpoint": discovery.authorization_endpoint,
                    "clientId": oidc.client_id,
                    "redirectUri": oidc.redirect_uri,
                    "scope": oidc.scope,
                });
            }
            Err(error) => {
                tracing::warn!(error = %error, "identity provider's discovery document unavailable");
                options["oidcUnavailable"] = json!(true);
            }
        }
    }
    Json(options).into_response()
}

#[derive(Deserialize)]
struct DevSignIn {
    role: String,
}

/// `POST /admin/dev-sign-in` with `{"role": "ADMIN" | "AGENT"}`: a 30-minute staff
/// token from the development keys. Only on the embedded default and from this
/// machine's browser (404 otherwise), and JSON only, so no cross-site form can ask.
pub(super) async fn dev_sign_in(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !development_sign_in_allowed(&state.app.config, peer, &headers) {
        if development_keys_only(&state.app.config) {
            tracing::warn!(%peer, "development sign-in refused: not this machine's browser");
            state
                .app
                .metrics
                .security_event("dev_sign_in_refused", "foreign_host");
        }
        return (StatusCode::NOT_FOUND, "no development sign-in here").into_response();
    }
    if !is_json(&headers) {
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
            Json(json!({ "token": token, "role": role.as_str() })).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "development sign-in failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot mint a token").into_response()
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodeRedemption {
    code: String,
    code_verifier: String,
}

/// `POST /admin/oidc/token` with `{"code", "codeVerifier"}`: redeems the provider's
/// authorization code and answers `{token, role, subject}` when the provider's access
/// token verifies as an agent's or an admin's. 404 without a configured provider, 400
/// for a malformed request, 401 for a token that does not verify, 403 for one that is
/// no staff member's, 502 when the provider refuses or cannot be reached.
pub(super) async fn redeem_code(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(oidc) = &state.app.oidc else {
        return (StatusCode::NOT_FOUND, "no identity provider sign-in here").into_response();
    };
    if !is_json(&headers) {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/json only").into_response();
    }
    let Ok(request) = serde_json::from_slice::<CodeRedemption>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            "expected {\"code\": \"...\", \"codeVerifier\": \"...\"}",
        )
            .into_response();
    };
    let token = match oidc.redeem(&request.code, &request.code_verifier).await {
        Ok(token) => token,
        Err(benefits_infra::oidc::OidcError::BadInput) => {
            return (StatusCode::BAD_REQUEST, "the code or verifier is malformed").into_response();
        }
        Err(error) => {
            tracing::warn!(error = %error, "identity provider sign-in failed");
            return (
                StatusCode::BAD_GATEWAY,
                "the identity provider did not sign you in",
            )
                .into_response();
        }
    };
    match state.app.tokens.verify_fetching_keys(&token).await {
        Ok(principal) if principal.role.is_staff() => {
            tracing::info!(
                role = principal.role.as_str(),
                "console sign-in through the identity provider"
            );
            Json(json!({
                "token": token,
                "role": principal.role.as_str(),
                "subject": principal.subject,
            }))
            .into_response()
        }
        Ok(_) => (
            StatusCode::FORBIDDEN,
            "the console is for agents and admins",
        )
            .into_response(),
        Err(rejected) => {
            tracing::warn!(
                reason = rejected.label(),
                "identity provider's token refused"
            );
            state
                .app
                .metrics
                .security_event("token_refused", rejected.label());
            (
                StatusCode::UNAUTHORIZED,
                "the identity provider's token does not verify",
            )
                .into_response()
        }
    }
}

/// `GET /admin/session` with a bearer token: `{role, subject}` of the caller it names,
/// or 401.
pub(super) async fn session(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let Some(token) = bearer(&headers) else {
        return (StatusCode::UNAUTHORIZED, "a bearer token is required").into_response();
    };
    match state.app.tokens.verify_fetching_keys(token).await {
        Ok(principal) => Json(json!({
            "role": principal.role.as_str(),
            "subject": principal.subject,
        }))
        .into_response(),
        Err(rejected) => {
            state
                .app
                .metrics
                .security_event("token_refused", rejected.label());
            (StatusCode::UNAUTHORIZED, "the token does not verify").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(host: Option<&str>, origin: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(host) = host {
            headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        }
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        headers
    }

    #[test]
    fn loopback_hosts_are_localhost_and_the_loopback_addresses_with_any_port() {
        for host in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:8080",
            "LOCALHOST:1",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.2:80",
            "[::2]:8080",
            "",
            "localhost:x",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn a_rebound_name_or_a_foreign_origin_is_not_this_machines_browser() {
        assert!(is_from_this_machines_browser(&headers(
            Some("localhost:8080"),
            None
        )));
        assert!(is_from_this_machines_browser(&headers(
            Some("localhost:8080"),
            Some("http://localhost:8080")
        )));
        assert!(!is_from_this_machines_browser(&headers(
            Some("rebound.example:8080"),
            None
        )));
        assert!(!is_from_this_machines_browser(&headers(
            Some("127.0.0.1:8080"),
            Some("http://rebound.example:8080")
        )));
        assert!(!is_from_this_machines_browser(&headers(
            Some("localhost:8080"),
            Some("null")
        )));
        assert!(!is_from_this_machines_browser(&headers(None, None)));
    }
}
