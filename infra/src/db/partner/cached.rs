//! Typed reads through the byte cache: a value is stored as JSON; a miss or any cache
//! failure falls through to the loader, whose answer is cached for `ttl`.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use benefits_domain::error::Unexpected;

use crate::cache::Cache;

/// The value under `key`, from the cache or else from `load` (then cached).
pub(super) async fn read_through<T, F>(
    cache: &Cache,
    key: &str,
    ttl: Duration,
    load: F,
) -> Result<T, Unexpected>
where
    T: Serialize + DeserializeOwned,
    F: Future<Output = Result<T, Unexpected>>,
{
    if let Some(bytes) = cache.get(key).await
        && let Ok(value) = serde_json::from_slice(&bytes)
    {
        return Ok(value);
    }
    let value = load.await?;
    if let Ok(bytes) = serde_json::to_vec(&value) {
        cache.put(key, bytes, ttl).await;
    }
    Ok(value)
}
