//! The web console at `/admin`: static files compiled into the binary (no build step,
//! nothing to install) that talk only to `POST /graphql` with the user's token (how it
//! is signed in: `sign_in.rs`).

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

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
    fn the_page_runs_no_inline_script() {
        let page = std::str::from_utf8(ASSETS[0].body).unwrap();
        assert!(!page.contains("<script>"));
        assert!(!page.contains("style="));
        assert!(!page.contains(" on"), "no inline event handlers");
    }
}
