//! Counters for `/metrics` (Prometheus text format): requests, refusals by error code,
//! security events, and the cache. Counting is lock-free on the hot path; only the
//! rare labelled events take a short lock.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use benefits_infra::cache::CacheStats;

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: AtomicU64,
    errors: Mutex<BTreeMap<String, u64>>,
    security_events: Mutex<BTreeMap<(&'static str, String), u64>>,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    if let Ok(mut map) = map.lock() {
        *map.entry(key).or_default() += 1;
    }
}

impl Metrics {
    /// A GraphQL request arrived.
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// A request was answered with an error of this `extensions.code`.
    pub fn error(&self, code: &str) {
        bump(&self.errors, code.to_owned());
        if matches!(code, "UNAUTHENTICATED" | "FORBIDDEN" | "RATE_LIMITED") {
            self.security_event("refused", code);
        }
    }

    /// Something a security monitor should see: a refused token, a refused role, a
    /// rate limit, a store verifying unknown codes.
    pub fn security_event(&self, kind: &'static str, reason: &str) {
        bump(&self.security_events, (kind, reason.to_owned()));
    }

    /// The Prometheus text exposition of every counter.
    pub fn render(&self, cache: &CacheStats) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
        };
        counter(
            &mut out,
            "benefits_graphql_requests_total",
            "GraphQL requests received.",
        );
        let _ = writeln!(
            out,
            "benefits_graphql_requests_total {}",
            self.requests.load(Ordering::Relaxed)
        );
        counter(
            &mut out,
            "benefits_graphql_errors_total",
            "GraphQL errors answered, by extensions.code.",
        );
        if let Ok(errors) = self.errors.lock() {
            for (code, count) in errors.iter() {
                let _ = writeln!(
                    out,
                    "benefits_graphql_errors_total{{code=\"{code}\"}} {count}"
                );
            }
        }
        counter(
            &mut out,
            "benefits_security_events_total",
            "Security events, by kind and reason.",
        );
        if let Ok(events) = self.security_events.lock() {
            for ((kind, reason), count) in events.iter() {
                let _ = writeln!(
                    out,
                    "benefits_security_events_total{{kind=\"{kind}\",reason=\"{reason}\"}} {count}"
                );
            }
        }
        for (name, help, value) in [
            (
                "benefits_cache_lookups_total",
                "Reads through the cache.",
                &cache.lookups,
            ),
            (
                "benefits_cache_shared_hits_total",
                "Reads answered by Redis.",
                &cache.shared_hits,
            ),
            (
                "benefits_cache_loads_total",
                "Reads that went to the database.",
                &cache.loads,
            ),
        ] {
            counter(&mut out, name, help);
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_in_prometheus_text_format() {
        let metrics = Metrics::default();
        metrics.request();
        metrics.error("FORBIDDEN");
        metrics.security_event("token_refused", "expired");
        let text = metrics.render(&CacheStats::default());
        assert!(
            text.contains("benefits_graphql_requests_total 1\n"),
            "{text}"
        );
        assert!(text.contains("benefits_graphql_errors_total{code=\"FORBIDDEN\"} 1\n"));
        assert!(
            text.contains(
                "benefits_security_events_total{kind=\"refused\",reason=\"FORBIDDEN\"} 1\n"
            )
        );
        assert!(text.contains(
            "benefits_security_events_total{kind=\"token_refused\",reason=\"expired\"} 1\n"
        ));
        assert!(text.contains("benefits_cache_loads_total 0\n"));
    }
}
