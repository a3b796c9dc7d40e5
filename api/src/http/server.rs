//! The axum router and the server loop with graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

use super::documents::DocumentCache;
use crate::app::App;
use crate::graphql::{self as schema, BenefitsSchema};

/// The largest request body accepted.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest a request may take before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// State shared by the handlers, behind one pointer: axum clones it for every request,
/// and cloning each of the App's parts was a twentieth of the floor's time.
#[derive(Clone)]
pub(super) struct HttpState(Arc<HttpParts>);

impl std::ops::Deref for HttpState {
    type Target = HttpParts;

    fn deref(&self) -> &HttpParts {
        &self.0
    }
}

/// What the handlers share.
pub(super) struct HttpParts {
    pub app: App,
    pub schema: BenefitsSchema,
    /// The schema for documents [`DocumentCache`] knows to be valid.
    pub prevalidated: BenefitsSchema,
    pub documents: DocumentCache,
}

/// The service's routes.
pub fn router(app: App) -> Router {
    let schema = schema::build(Some(app.clone()));
    let prevalidated = schema::build_prevalidated(app.clone());
    let state = HttpState(Arc::new(HttpParts {
        app,
        schema,
        prevalidated,
        documents: DocumentCache::new(),
    }));
    Router::new()
        .route(
            "/graphql",
            get(super::graphql::graphiql).post(super::graphql::execute),
        )
        .route("/healthz", get(super::health::healthz))
        .route("/readyz", get(super::health::readyz))
        .route("/metrics", get(super::health::metrics))
        .route("/admin", get(super::console::root))
        .route("/admin/", get(super::console::index))
        .route(
            "/admin/sign-in-options",
            get(super::sign_in::sign_in_options),
        )
        .route("/admin/dev-sign-in", post(super::sign_in::dev_sign_in))
        .route("/admin/oidc/token", post(super::sign_in::redeem_code))
        .route("/admin/session", get(super::sign_in::session))
        .route("/admin/{file}", get(super::console::file))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::access::track,
        ))
        .with_state(state)
}

/// Serves on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
