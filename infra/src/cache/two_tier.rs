//! The cache callers use: in-process first, then Redis, and any failure is a miss.

use std::sync::Arc;
use std::time::Duration;

use super::RedisTier;

/// How the cache is doing, for `/readyz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheHealth {
    /// In-process only, as configured.
    InProcessOnly,
    /// Redis answers.
    Shared,
    /// Redis is configured but does not answer: requests are served from the database.
    Degraded,
}

/// A byte cache with an in-process tier and an optional shared Redis tier.
#[derive(Clone)]
pub struct Cache {
    local: moka::future::Cache<String, Arc<Vec<u8>>>,
    remote: Option<RedisTier>,
}

impl Cache {
    /// `local_ttl` bounds how stale the in-process tier may be on another replica.
    pub fn new(remote: Option<RedisTier>, local_capacity: u64, local_ttl: Duration) -> Self {
        let local = moka::future::Cache::builder()
            .max_capacity(local_capacity)
            .time_to_live(local_ttl)
            .build();
        Self { local, remote }
    }

    /// The cached value, from the nearest tier that has it.
    pub async fn get(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        if let Some(value) = self.local.get(key).await {
            return Some(value);
        }
        let remote = self.remote.as_ref()?;
        match remote.get(key).await {
            Ok(Some(bytes)) => {
                let value = Arc::new(bytes);
                self.local.insert(key.to_owned(), value.clone()).await;
                Some(value)
            }
            Ok(None) => None,
            Err(error) => {
                tracing::debug!(%error, "cache read failed; treating as a miss");
                None
            }
        }
    }

    /// Stores a value in both tiers.
    pub async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) {
        if let Some(remote) = &self.remote
            && let Err(error) = remote.set(key, &value, ttl).await
        {
            tracing::debug!(%error, "cache write failed");
        }
        self.local.insert(key.to_owned(), Arc::new(value)).await;
    }

    /// Removes a value from both tiers.
    pub async fn invalidate(&self, key: &str) {
        self.local.invalidate(key).await;
        if let Some(remote) = &self.remote
            && let Err(error) = remote.delete(key).await
        {
            tracing::warn!(%error, "cache invalidation failed");
        }
    }

    /// Whether the shared tier answers.
    pub async fn health(&self) -> CacheHealth {
        match &self.remote {
            None => CacheHealth::InProcessOnly,
            Some(remote) if remote.ping().await => CacheHealth::Shared,
            Some(_) => CacheHealth::Degraded,
        }
    }
}
