//! The cache callers use: in-process first (values kept decoded), then Redis (values
//! as bytes, through a codec), and any failure is a miss.

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::RedisTier;
use super::redis_tier::Feed;

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

/// A value as the in-process tier keeps it: decoded, shared by every reader.
type Decoded = Arc<dyn Any + Send + Sync>;

/// How values of one type travel to and from the shared tier.
pub trait Codec<T>: Send + Sync {
    /// The bytes Redis keeps for `value`.
    fn encode(&self, value: &T) -> Result<Vec<u8>, String>;
    /// The value of bytes Redis kept; `None` for bytes this codec cannot read (written
    /// by another version of the service): a miss.
    fn decode(&self, bytes: &[u8]) -> Option<T>;
}

/// Values that hold no personal data, as JSON.
pub struct Json;

impl<T: Serialize + DeserializeOwned> Codec<T> for Json {
    fn encode(&self, value: &T) -> Result<Vec<u8>, String> {
        serde_json::to_vec(value).map_err(|error| error.to_string())
    }

    fn decode(&self, bytes: &[u8]) -> Option<T> {
        serde_json::from_slice(bytes).ok()
    }
}

/// What the shared tier does after a write, in the background.
pub enum SharedUpdate {
    /// Holds these bytes for this long (a value that only ever moves one way, such as
    /// a code becoming used, so two updates arriving out of order agree).
    Set(Vec<u8>, Duration),
    /// Forgets the key; the next reader loads it.
    Delete,
}

/// A cache with a decoded in-process tier and an optional shared Redis tier.
#[derive(Clone)]
pub struct Cache {
    local: moka::future::Cache<String, Decoded>,
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
        let local: moka::future::Cache<String, Decoded> = moka::future::Cache::builder()
            .max_capacity(local_capacity)
            .time_to_live(local_ttl)
            .build();
        if let Some(remote) = &remote {
            let mut invalidations = remote.invalidations();
            let local = local.clone();
            tokio::spawn(async move {
                while let Some(feed) = invalidations.recv().await {
                    match feed {
                        Feed::Message(key) => local.invalidate(&key).await,
                        // Invalidations published while not subscribed are lost: forget
                        // whatever they might have been about.
                        Feed::Subscribed => local.invalidate_all(),
                        Feed::Lost => {}
                    }
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
    /// the value and how long the shared tier may keep it). An in-process hit is a
    /// pointer copy: nothing is decoded. Concurrent misses of one key in this process
    /// share one load (single flight).
    pub async fn get_or_load<T, F, E>(
        &self,
        key: &str,
        codec: &dyn Codec<T>,
        load: F,
    ) -> Result<Arc<T>, Arc<E>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<(T, Duration), E>>,
        E: Send + Sync + 'static,
    {
        self.stats.lookups.fetch_add(1, Ordering::Relaxed);
        if !self.local_enabled {
            return self
                .load_through_remote(key, codec, load)
                .await
                .map_err(Arc::new);
        }
        if let Some(found) = self.local.get(key).await
            && let Ok(value) = found.downcast::<T>()
        {
            return Ok(value);
        }
        let decoded = self
            .local
            .try_get_with(key.to_owned(), async {
                let value = self.load_through_remote(key, codec, load).await?;
                Ok::<Decoded, E>(value)
            })
            .await?;
        decoded.downcast::<T>().map_err(|_| {
            // Only a programming error (one key read as two types) gets here.
            unreachable_type(key)
        })
    }

    /// The value under `key` from the shared tier, or else from `load` (then stored in
    /// the shared tier).
    async fn load_through_remote<T, F, E>(
        &self,
        key: &str,
        codec: &dyn Codec<T>,
        load: F,
    ) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<(T, Duration), E>>,
    {
        if let Some(remote) = &self.remote {
            match remote.get(key).await {
                Ok(Some(bytes)) => {
                    if let Some(value) = codec.decode(&bytes) {
                        self.stats.shared_hits.fetch_add(1, Ordering::Relaxed);
                        return Ok(Arc::new(value));
                    }
                }
                Ok(None) => {}
                Err(error) => tracing::debug!(%error, "cache read failed; loading"),
            }
        }
        self.stats.loads.fetch_add(1, Ordering::Relaxed);
        let (value, ttl) = load.await?;
        if let Some(remote) = &self.remote {
            match codec.encode(&value) {
                Ok(bytes) => {
                    if let Err(error) = remote.set(key, &bytes, ttl).await {
                        tracing::debug!(%error, "cache write failed");
                    }
                }
                Err(error) => tracing::warn!(%error, "a cache value could not be encoded"),
            }
        }
        Ok(Arc::new(value))
    }

    /// Removes a value from both tiers, and from every replica's in-process tier,
    /// before returning.
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

    /// After a committed write: this replica's tier holds `value` at once (or drops the
    /// key, with `None`), so its next read sees the write; the shared tier gets
    /// `shared` and every other replica drops the key in the background, off the
    /// writer's response path. The shared tier is updated before the invalidation is
    /// published, so a replica that hears it reads the new state.
    pub async fn write_behind<T: Send + Sync + 'static>(
        &self,
        key: &str,
        value: Option<T>,
        shared: SharedUpdate,
    ) {
        match value {
            Some(value) if self.local_enabled => {
                self.local
                    .insert(key.to_owned(), Arc::new(value) as Decoded)
                    .await;
            }
            _ => self.local.invalidate(key).await,
        }
        let Some(remote) = self.remote.clone() else {
            return;
        };
        let key = key.to_owned();
        tokio::spawn(async move {
            let updated = match shared {
                SharedUpdate::Set(bytes, ttl) => remote.set(&key, &bytes, ttl).await,
                SharedUpdate::Delete => remote.delete(&key).await,
            };
            if let Err(error) = updated {
                tracing::warn!(%error, "cache update after a write failed");
            }
            if let Err(error) = remote.publish_invalidation(&key).await {
                tracing::warn!(%error, "cache invalidation was not published");
            }
        });
    }

    /// Counts of cache use since start.
    pub fn stats(&self) -> &CacheStats {
        &self.stats
    }

    /// Redis commands that failed since start (0 without Redis).
    pub fn redis_errors(&self) -> u64 {
        self.remote.as_ref().map_or(0, RedisTier::errors)
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

/// A key read as two different types: a bug, reported as a failed load.
fn unreachable_type<E>(key: &str) -> Arc<E> {
    panic!("cache key {key} was read as two different types")
}
