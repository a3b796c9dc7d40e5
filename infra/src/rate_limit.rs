//! Fixed-window rate limits per caller and operation: counted in Redis so they hold
//! across replicas, and in process when Redis is unreachable (each replica then
//! enforces the limit alone).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::cache::RedisTier;

/// Counts uses per key and window.
#[derive(Clone)]
pub struct RateLimiter {
    remote: Option<RedisTier>,
    local: moka::sync::Cache<String, Arc<AtomicU64>>,
}

impl RateLimiter {
    /// Windows are at most `longest_window` long.
    pub fn new(remote: Option<RedisTier>, longest_window: Duration) -> Self {
        let local = moka::sync::Cache::builder()
            .max_capacity(1_000_000)
            .time_to_live(longest_window)
            .build();
        Self { remote, local }
    }

    /// Counts one use of `key` in the window that `window_start` (seconds since the
    /// epoch, a multiple of the window) opens; whether it stays within `limit`.
    pub async fn allow(&self, key: &str, window_start: i64, window: Duration, limit: u64) -> bool {
        let key = format!("rl:{key}:{window_start}");
        if let Some(remote) = &self.remote {
            match remote.count(&key, window).await {
                Ok(count) => return count <= limit,
                Err(error) => tracing::debug!(%error, "rate limit counted in process"),
            }
        }
        let counter = self.local.get_with(key, || Arc::new(AtomicU64::new(0)));
        counter.fetch_add(1, Ordering::Relaxed) < limit
    }

    /// How many uses `key` has had in the window `window_start` opens, without counting.
    pub async fn used(&self, key: &str, window_start: i64) -> u64 {
        let key = format!("rl:{key}:{window_start}");
        if let Some(remote) = &self.remote {
            match remote.read_count(&key).await {
                Ok(count) => return count,
                Err(error) => tracing::debug!(%error, "rate limit read in process"),
            }
        }
        self.local
            .get(&key)
            .map_or(0, |counter| counter.load(Ordering::Relaxed))
    }
}
