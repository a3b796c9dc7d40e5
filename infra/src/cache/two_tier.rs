//! The cache callers use: in-process first, then Redis, and any failure is a miss.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// Counts of cache use since start, for `/metrics`.
#[derive(Debug, Default)]
pub struct CacheStats {
    /// Reads through [`Cache::get_or_load`].
    pub lookups: AtomicU64,
    /// Reads the in-process tier missed and Redis answered.
    pub shared_hits: AtomicU64,
    /// Reads that went to the database (or whatever the loader reads).
    pub loads: AtomicU64,
}

/// A byte cache with an in-process tier and an optional shared Redis tier.
#[derive(Clone)]
pub struct Cache {
    local: moka::future::Cache<String, Arc<Vec<u8>>>,
    /// False when configured with no capacity: every read goes to Redis or the loader.
    local_enabled: bool,
    remote: Option<RedisTier>,
    stats: Arc<CacheStats>,
}

impl Cache {
    /// `local_ttl` bounds how stale the in-process tier may be when an invalidation
    /// from another replica is lost (Redis down). With Redis, every replica drops the
    /// keys any replica invalidates, as they are published.
    pub fn new(remote: Option<RedisTier>, local_capacity: u64, local_ttl: Duration) -> Self {
        let local: moka::future::Cache<String, Arc<Vec<u8>>> = moka::future::Cache::builder()
            .max_capacity(local_capacity)
            .time_to_live(local_ttl)
            .build();
        if let Some(remote) = &remote {
            let mut invalidations = remote.invalidations();
            let local = local.clone();
            tokio::spawn(async move {
                while let Some(key) = invalidations.recv().await {
                    local.invalidate(&key).await;
                }
            });
        }
        Self {
            local,
            local_enabled: local_capacity > 0,
            remote,
            stats: Arc::default(),
        }
    }

    /// The value under `key` from the nearest tier, or else from `load` (which returns
    /// the value and how long the shared tier may keep it). Concurrent misses of one key
    /// in this process share one load (single flight).
    pub async fn get_or_load<F, E>(&self, key: &str, load: F) -> Result<Arc<Vec<u8>>, Arc<E>>
    where
        F: Future<Output = Result<(Vec<u8>, Duration), E>>,
        E: Send + Sync + 'static,
    {
        self.stats.lookups.fetch_add(1, Ordering::Relaxed);
        if !self.local_enabled {
            return self.load_through_remote(key, load).await.map_err(Arc::new);
        }
        self.local
            .try_get_with(key.to_owned(), self.load_through_remote(key, load))
            .await
    }

    /// The value under `key` from the shared tier, or else from `load` (then stored in
    /// the shared tier).
    async fn load_through_remote<F, E>(&self, key: &str, load: F) -> Result<Arc<Vec<u8>>, E>
    where
        F: Future<Output = Result<(Vec<u8>, Duration), E>>,
    {
        if let Some(remote) = &self.remote {
            match remote.get(key).await {
                Ok(Some(bytes)) => {
                    self.stats.shared_hits.fetch_add(1, Ordering::Relaxed);
                    return Ok(Arc::new(bytes));
                }
                Ok(None) => {}
                Err(error) => tracing::debug!(%error, "cache read failed; loading"),
            }
        }
        self.stats.loads.fetch_add(1, Ordering::Relaxed);
        let (bytes, ttl) = load.await?;
        if let Some(remote) = &self.remote
            && let Err(error) = remote.set(key, &bytes, ttl).await
        {
            tracing::debug!(%error, "cache write failed");
        }
        Ok(Arc::new(bytes))
    }

    /// Removes a value from both tiers, and from every replica's in-process tier.
    pub async fn invalidate(&self, key: &str) {
        self.local.invalidate(key).await;
        if let Some(remote) = &self.remote {
            if let Err(error) = remote.delete(key).await {
                tracing::warn!(%error, "cache invalidation failed");
            }
            if let Err(error) = remote.publish_invalidation(key).await {
                tracing::warn!(%error, "cache invalidation was not published");
            }
        }
    }

    /// Counts of cache use since start.
    pub fn stats(&self) -> &CacheStats {
        &self.stats
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
