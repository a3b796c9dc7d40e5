//! Typed reads through the two-tier cache for the till's values, which hold no
//! personal data: JSON in Redis, decoded values in process. A miss or any cache failure
//! falls through to the loader (one load per key at a time in this process), whose
//! answer is cached.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use benefits_domain::error::Unexpected;

use crate::cache::{Cache, Json};

/// The value under `key`, from the cache or else from `load`, which also says how long
/// the shared tier may keep the value it loaded.
pub(super) async fn read_through<T, F>(
    cache: &Cache,
    key: &str,
    load: F,
) -> Result<Arc<T>, Unexpected>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Future<Output = Result<(T, Duration), Unexpected>>,
{
    cache
        .get_or_load(key, &Json, load)
        .await
        .map_err(|error| Unexpected::new(error.to_string()))
}
