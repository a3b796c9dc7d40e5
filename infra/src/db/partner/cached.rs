//! Typed reads through the byte cache: a value is stored as JSON; a miss or any cache
//! failure falls through to the loader (one load per key at a time in this process),
//! whose answer is cached.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use benefits_domain::error::Unexpected;

use crate::cache::Cache;

/// The value under `key`, from the cache or else from `load`, which also says how long
/// the shared tier may keep the value it loaded.
pub(super) async fn read_through<T, L, F>(
    cache: &Cache,
    key: &str,
    load: L,
) -> Result<T, Unexpected>
where
    T: Serialize + DeserializeOwned,
    L: Fn() -> F,
    F: Future<Output = Result<(T, Duration), Unexpected>>,
{
    let bytes = cache
        .get_or_load(key, async {
            let (value, ttl) = load().await?;
            let bytes = serde_json::to_vec(&value).map_err(Unexpected::new)?;
            Ok::<_, Unexpected>((bytes, ttl))
        })
        .await
        .map_err(|error| Unexpected::new(error.to_string()))?;
    if let Ok(value) = serde_json::from_slice(&bytes) {
        return Ok(value);
    }
    // A value cached by another version of the service: drop it, read afresh.
    cache.invalidate(key).await;
    Ok(load().await?.0)
}
