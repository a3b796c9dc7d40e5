//! `/metrics`: what an on-call engineer asks of the service, in the OpenMetrics text
//! format (`prometheus-client`). Counted on the request path: requests and their
//! latency per GraphQL operation and outcome, refusals by error code, security events
//! (token refusals by reason, rate limits, guessed codes). Read at scrape time: the
//! cache per tier, Redis errors, the database pool, scheduled jobs, the process
//! (`scrape.rs`, `process.rs`).
//!
//! Every label is bounded: operations are the schema's root fields, codes the
//! contract's, reasons the service's own. No label carries a variable or personal data.

mod process;
mod scrape;

use std::fmt;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

pub use scrape::Scrape;

/// The media type of the exposition.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabel {
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SecurityLabels {
    kind: &'static str,
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    /// The operation's root fields (`verifyDiscount`, `me`), or `invalid`.
    operation: String,
    /// `query` or `mutation`.
    kind: &'static str,
    /// `OK`, or the first error's `extensions.code`.
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
    status: u16,
}

/// Latency buckets from 0.25 ms to about 4 s: the hot paths live under 10 ms, reports
/// and imports well above.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

/// The service's metrics: counted as things happen, plus what [`Scrape`] reads when
/// `/metrics` is asked.
pub struct Metrics {
    registry: Registry,
    requests: Counter,
    errors: Family<CodeLabel, Counter>,
    security_events: Family<SecurityLabels, Counter>,
    operations: Family<OperationLabels, Histogram, fn() -> Histogram>,
    http: Family<RouteLabels, Histogram, fn() -> Histogram>,
    scraped: scrape::Readings,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut root = Registry::default();
        root.register_collector(Box::new(process::ProcessCollector));
        let registry = root.sub_registry_with_prefix("benefits");
        let requests = Counter::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests received",
            requests.clone(),
        );
        let errors = Family::<CodeLabel, Counter>::default();
        registry.register(
            "graphql_errors",
            "GraphQL errors answered, by extensions.code",
            errors.clone(),
        );
        let security_events = Family::<SecurityLabels, Counter>::default();
        registry.register(
            "security_events",
            "Security events, by kind and reason (token refusals, rate limits, guessed codes)",
            security_events.clone(),
        );
        let operations: Family<OperationLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "graphql_operation_duration_seconds",
            "GraphQL operations by root fields and outcome: how long each took",
            operations.clone(),
        );
        let http: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "HTTP requests by route and status: how long each took",
            http.clone(),
        );
        let scraped = scrape::Readings::default();
        registry.register_collector(Box::new(scraped.clone()));
        Self {
            registry: root,
            requests,
            errors,
            security_events,
            operations,
            http,
            scraped,
        }
    }
}

impl Metrics {
    /// A GraphQL request arrived.
    pub fn request(&self) {
        self.requests.inc();
    }

    /// A request was answered with an error of this `extensions.code`.
    pub fn error(&self, code: &str) {
        self.errors
            .get_or_create(&CodeLabel {
                code: code.to_owned(),
            })
            .inc();
        if matches!(code, "UNAUTHENTICATED" | "FORBIDDEN" | "RATE_LIMITED") {
            self.security_event("refused", code);
        }
    }

    /// Something a security monitor should see: a refused token, a refused role, a
    /// rate limit, a store verifying unknown codes.
    pub fn security_event(&self, kind: &'static str, reason: &str) {
        self.security_events
            .get_or_create(&SecurityLabels {
                kind,
                reason: reason.to_owned(),
            })
            .inc();
    }

    /// A GraphQL operation finished after `seconds`.
    pub fn operation(&self, operation: &str, kind: &'static str, outcome: &str, seconds: f64) {
        self.operations
            .get_or_create(&OperationLabels {
                operation: operation.to_owned(),
                kind,
                outcome: outcome.to_owned(),
            })
            .observe(seconds);
    }

    /// An HTTP request to `route` was answered `status` after `seconds`.
    pub fn http_request(&self, route: &'static str, status: u16, seconds: f64) {
        self.http
            .get_or_create(&RouteLabels { route, status })
            .observe(seconds);
    }

    /// The exposition of every metric, with `scrape`'s readings.
    pub fn render(&self, scrape: &Scrape) -> String {
        self.scraped.replace(scrape.clone());
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            tracing::warn!("the metrics could not be encoded");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_histograms_render_in_the_openmetrics_text_format() {
        let metrics = Metrics::default();
        metrics.request();
        metrics.error("FORBIDDEN");
        metrics.security_event("token_refused", "expired");
        metrics.operation("verifyDiscount", "mutation", "OK", 0.0007);
        metrics.http_request("/graphql", 200, 0.0008);
        let text = metrics.render(&Scrape::default());
        for expected in [
            "benefits_graphql_requests_total 1\n",
            "benefits_graphql_errors_total{code=\"FORBIDDEN\"} 1\n",
            "benefits_security_events_total{kind=\"refused\",reason=\"FORBIDDEN\"} 1\n",
            "benefits_security_events_total{kind=\"token_refused\",reason=\"expired\"} 1\n",
            "benefits_graphql_operation_duration_seconds_bucket{le=\"0.001\",operation=\"verifyDiscount\",kind=\"mutation\",outcome=\"OK\"} 1\n",
            "benefits_http_request_duration_seconds_count{route=\"/graphql\",status=\"200\"} 1\n",
            "benefits_cache_loads_total 0\n",
            "# EOF\n",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
    }
}
