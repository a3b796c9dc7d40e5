//! A near cache for values that writes change: each entry carries the stamp its key
//! had when the value was read from the database, and is served only while the key's
//! stamp is still the same. A writer bumps the stamp after its commit (here, and on
//! every other replica through Redis before its response returns), so a reader that
//! read the old state before the commit can still store its answer, but nobody is ever
//! served it: no reader sees a value older than a write that finished before it began.
//!
//! Stamps are counters in a fixed array indexed by the key's hash (two keys sharing a
//! slot only cost each other a reload), plus one counter for everything. While the
//! subscription to other replicas' invalidations is down, nothing is served from the
//! cache or kept in it; when it comes back, everything held is forgotten, since what
//! was published meanwhile is lost.

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::RedisTier;
use super::redis_tier::Feed;

/// Stamp slots: 16,384 counters (128 KiB).
const SLOTS: usize = 1 << 14;
/// The message that invalidates every key.
const EVERYTHING: &str = "*";

/// A key's stamp when its value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    everything: u64,
    slot: u64,
}

struct Stamped<V> {
    value: Arc<V>,
    stamp: Stamp,
}

impl<V> Clone for Stamped<V> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            stamp: self.stamp,
        }
    }
}

struct Stamps {
    everything: AtomicU64,
    slots: Box<[AtomicU64]>,
    hasher: BuildHasherDefault<DefaultHasher>,
}

impl Stamps {
    fn new() -> Self {
        Self {
            everything: AtomicU64::new(0),
            slots: (0..SLOTS).map(|_| AtomicU64::new(0)).collect(),
            hasher: BuildHasherDefault::default(),
        }
    }

    fn slot(&self, key: &str) -> &AtomicU64 {
        let hash = self.hasher.hash_one(key);
        // The mask keeps the index below SLOTS, so it fits any usize.
        &self.slots[usize::try_from(hash & (SLOTS as u64 - 1)).unwrap_or(0)]
    }

    fn of(&self, key: &str) -> Stamp {
        Stamp {
            everything: self.everything.load(Ordering::SeqCst),
            slot: self.slot(key).load(Ordering::SeqCst),
        }
    }

    fn bump(&self, key: &str) {
        self.slot(key).fetch_add(1, Ordering::SeqCst);
    }

    fn bump_everything(&self) {
        self.everything.fetch_add(1, Ordering::SeqCst);
    }
}

struct Inner<V> {
    entries: moka::sync::Cache<String, Stamped<V>>,
    stamps: Stamps,
    /// Whether this replica hears every invalidation: always without Redis (one
    /// process), and with Redis only while subscribed.
    live: AtomicBool,
    enabled: bool,
    remote: Option<RedisTier>,
    channel: String,
    /// Marks this replica's own messages, which it has applied already.
    origin: String,
}

/// A near cache of `V` by string key; cheap to clone (one shared cache).
pub struct StampedCache<V> {
    inner: Arc<Inner<V>>,
}

impl<V> Clone for StampedCache<V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<V: Send + Sync + 'static> StampedCache<V> {
    /// Holds up to `capacity` values (0: none) for at most `ttl`; with `remote`, every
    /// replica using the same `channel` hears the others' invalidations.
    pub fn new(remote: Option<RedisTier>, channel: &str, capacity: u64, ttl: Duration) -> Self {
        let inner = Arc::new(Inner {
            entries: moka::sync::Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .build(),
            stamps: Stamps::new(),
            live: AtomicBool::new(remote.is_none()),
            enabled: capacity > 0,
            remote,
            channel: channel.to_owned(),
            origin: uuid::Uuid::new_v4().simple().to_string(),
        });
        if let Some(remote) = &inner.remote {
            let mut feed = remote.subscribe(channel);
            let listener = Arc::downgrade(&inner);
            tokio::spawn(async move {
                while let Some(heard) = feed.recv().await {
                    let Some(inner) = listener.upgrade() else {
                        return;
                    };
                    inner.hear(heard);
                }
            });
        }
        Self { inner }
    }

    /// The value under `key`, when one is held and nothing invalidated the key since
    /// it was read.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let inner = &self.inner;
        if !inner.enabled || !inner.live.load(Ordering::SeqCst) {
            return None;
        }
        let held = inner.entries.get(key)?;
        (held.stamp == inner.stamps.of(key)).then_some(held.value)
    }

    /// The key's stamp now: take it BEFORE reading the value to store.
    pub fn stamp(&self, key: &str) -> Stamp {
        self.inner.stamps.of(key)
    }

    /// Keeps `value`, read after `stamp` was taken (it is served only while the key's
    /// stamp stays `stamp`).
    pub fn insert(&self, key: &str, stamp: Stamp, value: Arc<V>) {
        let inner = &self.inner;
        if inner.enabled && inner.live.load(Ordering::SeqCst) && inner.stamps.of(key) == stamp {
            inner
                .entries
                .insert(key.to_owned(), Stamped { value, stamp });
        }
    }

    /// After a committed write: no replica serves what it held for `keys` any more
    /// once this returns (this one at once; the others as Redis hands them the
    /// message, before this returns). A Redis failure is logged: the other replicas
    /// then stop serving from this cache when their subscription notices.
    pub async fn invalidate(&self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        for key in keys {
            self.inner.stamps.bump(key);
            self.inner.entries.invalidate(key);
        }
        self.publish(keys.join("\n")).await;
    }

    /// After a write that changed too many keys to name: every value is forgotten, on
    /// every replica.
    pub async fn invalidate_all(&self) {
        self.inner.forget_everything();
        self.publish(EVERYTHING.to_owned()).await;
    }

    async fn publish(&self, keys: String) {
        let inner = &self.inner;
        if let Some(remote) = &inner.remote {
            let message = format!("{}\n{keys}", inner.origin);
            if let Err(error) = remote.publish(&inner.channel, &message).await {
                tracing::warn!(%error, channel = %inner.channel, "an invalidation was not published");
            }
        }
    }
}

impl<V: Send + Sync + 'static> Inner<V> {
    fn forget_everything(&self) {
        self.stamps.bump_everything();
        self.entries.invalidate_all();
    }

    fn hear(&self, heard: Feed) {
        match heard {
            Feed::Subscribed => {
                self.forget_everything();
                self.live.store(true, Ordering::SeqCst);
            }
            Feed::Lost => self.live.store(false, Ordering::SeqCst),
            Feed::Message(message) => {
                let mut lines = message.split('\n');
                if lines.next() == Some(self.origin.as_str()) {
                    return;
                }
                for key in lines {
                    if key == EVERYTHING {
                        self.forget_everything();
                    } else {
                        self.stamps.bump(key);
                        self.entries.invalidate(key);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> StampedCache<u32> {
        StampedCache::new(None, "test", 100, Duration::from_mins(1))
    }

    #[test]
    fn a_value_read_before_an_invalidation_is_never_served() {
        let cache = cache();
        let key = "C-1".to_owned();
        let before = cache.stamp(&key);
        // A writer commits and invalidates while the reader still holds the old state.
        futures_util::FutureExt::now_or_never(cache.invalidate(std::slice::from_ref(&key)))
            .expect("no Redis: invalidating does not wait");
        cache.insert(&key, before, Arc::new(1));
        assert_eq!(cache.get(&key), None);
        let after = cache.stamp(&key);
        cache.insert(&key, after, Arc::new(2));
        assert_eq!(cache.get(&key).as_deref(), Some(&2));
    }

    #[test]
    fn invalidating_everything_forgets_every_key() {
        let cache = cache();
        for key in ["a", "b"] {
            cache.insert(key, cache.stamp(key), Arc::new(7));
        }
        futures_util::FutureExt::now_or_never(cache.invalidate_all()).expect("no Redis");
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("b"), None);
    }

    #[test]
    fn a_lost_subscription_serves_nothing_and_a_new_one_forgets_what_was_held() {
        let cache = cache();
        cache.insert("a", cache.stamp("a"), Arc::new(7));
        cache.inner.hear(Feed::Lost);
        assert_eq!(cache.get("a"), None);
        cache.inner.hear(Feed::Subscribed);
        assert_eq!(cache.get("a"), None);
    }

    #[test]
    fn another_replicas_message_invalidates_and_its_own_is_skipped() {
        let cache = cache();
        cache.insert("a", cache.stamp("a"), Arc::new(7));
        cache.insert("b", cache.stamp("b"), Arc::new(8));
        let own = format!("{}\na", cache.inner.origin);
        cache.inner.hear(Feed::Message(own));
        assert_eq!(cache.get("a").as_deref(), Some(&7));
        cache
            .inner
            .hear(Feed::Message("other-replica\na\nb".to_owned()));
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("b"), None);
    }

    #[test]
    fn with_no_capacity_nothing_is_kept() {
        let cache = StampedCache::<u32>::new(None, "test", 0, Duration::from_mins(1));
        cache.insert("a", cache.stamp("a"), Arc::new(7));
        assert_eq!(cache.get("a"), None);
    }
}
