//! Fixed-window rate limits per caller and operation, counted in process and reconciled
//! with Redis in the background, so a call costs no round trip and the limits still
//! hold across replicas.
//!
//! Each replica keeps, per key and window, the total Redis last reported (every
//! replica's calls) and the calls it counted since. A background task adds those to
//! Redis every [`RECONCILE_EVERY`] and reads the new totals back, one pipelined round
//! trip for all the keys used meanwhile (not one per key); a key that is only
//! read (the unknown-code counter every verify checks) is read again every
//! [`REFRESH_EVERY`] while it is in use. A replica therefore sees the other replicas'
//! calls at most one reconciliation (plus a Redis round trip) late, or one refresh for
//! a counter it only reads: across `R` replicas a limit admits at most
//! the calls the other `R - 1` make in that time beyond it, and never more than
//! `R - 1` times the limit. Its own calls count at once. When Redis is unreachable the
//! counts stay in process (each replica enforces the limit alone) and are added to
//! Redis once it answers again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use crate::cache::{CountChange, RedisTier};

/// How often counts are added to Redis and totals read back.
pub const RECONCILE_EVERY: Duration = Duration::from_millis(50);
/// Counters per reconciling round trip.
const PER_ROUND_TRIP: usize = 1_000;
/// How often a counter that is only read here is read again from Redis while in use.
pub const REFRESH_EVERY: Duration = Duration::from_millis(500);

/// One key's counts in one window.
#[derive(Debug, Default)]
struct Counts {
    /// The total Redis last reported, every replica's calls included.
    shared: u64,
    /// Calls being added to Redis right now.
    in_flight: u64,
    /// Calls counted here since.
    pending: u64,
}

impl Counts {
    fn total(&self) -> u64 {
        self.shared + self.in_flight + self.pending
    }
}

/// A key's counter in one window.
#[derive(Debug)]
struct Counter {
    counts: Mutex<Counts>,
    /// Waiting for the reconciler.
    queued: AtomicBool,
    /// When Redis last reported the total.
    reconciled_at: Mutex<Option<Instant>>,
    /// How long Redis keeps the key.
    window: Duration,
}

impl Counter {
    fn new(window: Duration) -> Self {
        Self {
            counts: Mutex::default(),
            queued: AtomicBool::new(false),
            reconciled_at: Mutex::new(None),
            window,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn stale(&self) -> bool {
        self.reconciled_at.lock().map_or(true, |at| {
            at.is_none_or(|at| at.elapsed() >= RECONCILE_EVERY)
        })
    }
}

struct Shared {
    remote: Option<RedisTier>,
    counters: moka::sync::Cache<String, Arc<Counter>>,
    queue: Mutex<Vec<(String, Arc<Counter>)>>,
}

/// Counts uses per key and window.
#[derive(Clone)]
pub struct RateLimiter {
    shared: Arc<Shared>,
}

impl RateLimiter {
    /// Windows are at most `longest_window` long. With Redis, starts the background
    /// reconciliation (it ends with the last clone of the limiter).
    pub fn new(remote: Option<RedisTier>, longest_window: Duration) -> Self {
        let counters = moka::sync::Cache::builder()
            .max_capacity(1_000_000)
            .time_to_live(longest_window)
            .build();
        let has_remote = remote.is_some();
        let shared = Arc::new(Shared {
            remote,
            counters,
            queue: Mutex::default(),
        });
        if has_remote {
            tokio::spawn(reconcile(Arc::downgrade(&shared)));
        }
        Self { shared }
    }

    fn counter(&self, key: &str, window_start: i64, window: Duration) -> (String, Arc<Counter>) {
        // One hash tag for every counter: a reconciliation is one pipeline, which a
        // Redis Cluster takes only within one slot.
        let key = format!("{{rl}}:{key}:{window_start}");
        let counter = self
            .shared
            .counters
            .get_with_by_ref(&key, || Arc::new(Counter::new(window)));
        (key, counter)
    }

    fn enqueue(&self, key: String, counter: &Arc<Counter>) {
        if self.shared.remote.is_none() || counter.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Ok(mut queue) = self.shared.queue.lock() {
            queue.push((key, counter.clone()));
        }
    }

    /// Counts one use of `key` in the window that `window_start` (seconds since the
    /// epoch, a multiple of the window) opens; whether it stays within `limit`.
    pub fn allow(&self, key: &str, window_start: i64, window: Duration, limit: u64) -> bool {
        let (key, counter) = self.counter(key, window_start, window);
        let total = {
            let mut counts = counter.lock();
            counts.pending += 1;
            counts.total()
        };
        self.enqueue(key, &counter);
        total <= limit
    }

    /// How many uses `key` has had in the window `window_start` opens, without counting
    /// one (as far as this replica knows: see the module's bound).
    pub fn used(&self, key: &str, window_start: i64, window: Duration) -> u64 {
        let (key, counter) = self.counter(key, window_start, window);
        let total = counter.lock().total();
        if counter.stale() {
            self.enqueue(key, &counter);
        }
        total
    }
}

/// Adds each queued counter's calls to Redis and reads its total back, every
/// [`RECONCILE_EVERY`], until the limiter is dropped.
async fn reconcile(shared: Weak<Shared>) {
    loop {
        tokio::time::sleep(RECONCILE_EVERY).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let Some(remote) = shared.remote.clone() else {
            return;
        };
        let batch = shared
            .queue
            .lock()
            .map(|mut queue| std::mem::take(&mut *queue))
            .unwrap_or_default();
        drop(shared);
        for chunk in batch.chunks(PER_ROUND_TRIP) {
            reconcile_batch(&remote, chunk).await;
        }
    }
}

/// One round trip for `batch`: each counter's calls since the last one added, every
/// total read back.
async fn reconcile_batch(remote: &RedisTier, batch: &[(String, Arc<Counter>)]) {
    let changes: Vec<CountChange<'_>> = batch
        .iter()
        .map(|(key, counter)| {
            counter.queued.store(false, Ordering::Release);
            let mut counts = counter.lock();
            counts.in_flight = std::mem::take(&mut counts.pending);
            CountChange {
                key,
                delta: counts.in_flight,
                window: counter.window,
            }
        })
        .collect();
    match remote.add_counts(&changes).await {
        Ok(totals) => {
            let now = Instant::now();
            for ((_, counter), total) in batch.iter().zip(totals) {
                let mut counts = counter.lock();
                counts.shared = total.max(counts.shared);
                counts.in_flight = 0;
                if let Ok(mut at) = counter.reconciled_at.lock() {
                    *at = Some(now);
                }
            }
        }
        Err(error) => {
            tracing::debug!(%error, "rate limits kept in process until Redis answers");
            for (_, counter) in batch {
                let mut counts = counter.lock();
                counts.pending += counts.in_flight;
                counts.in_flight = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_mins(1);

    #[tokio::test]
    async fn without_redis_a_limit_counts_in_process() {
        let limiter = RateLimiter::new(None, WINDOW);
        let allowed = (0..5)
            .filter(|_| limiter.allow("op:S-1", 0, WINDOW, 3))
            .count();
        assert_eq!(allowed, 3);
        assert_eq!(limiter.used("op:S-1", 0, WINDOW), 5);
        assert_eq!(limiter.used("op:S-2", 0, WINDOW), 0, "another key");
        assert_eq!(limiter.used("op:S-1", 60, WINDOW), 0, "the next window");
    }
}
