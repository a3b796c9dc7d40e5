//! The shared Redis tier (a server or a cluster): a connection that reconnects by
//! itself, with short timeouts so a slow or absent Redis never holds a request up.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt as _;
use redis::AsyncCommands as _;
use tokio::sync::{RwLock, mpsc};

use super::redis_connection::{RedisClient, RedisConnection, RedisTopology};

const RECONNECT_EVERY: Duration = Duration::from_secs(2);
/// The channel of the two-tier cache's invalidations (one key a message).
const INVALIDATION_CHANNEL: &str = "invalidate";

/// What a subscription hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    /// Subscribed (again): what was published while not subscribed is lost.
    Subscribed,
    /// A message.
    Message(String),
    /// The subscription broke; it is being made again.
    Lost,
}

/// One counter's change for [`RedisTier::add_counts`]: `delta` added to the counter
/// under `key`, which lives `window` from its first count (0 only reads it).
pub struct CountChange<'a> {
    pub key: &'a str,
    pub delta: u64,
    pub window: Duration,
}

/// A Redis connection that may not exist yet: when Redis is down at start-up, a
/// background task keeps trying and the tier reports misses meanwhile.
#[derive(Clone)]
pub struct RedisTier {
    client: RedisClient,
    connection: Arc<RwLock<Option<RedisConnection>>>,
    prefix: String,
    /// Commands that failed (unreachable, timed out, refused) since start.
    errors: Arc<AtomicU64>,
}

impl RedisTier {
    /// Connects to `urls` (or starts trying to); keys are namespaced under `prefix`;
    /// `rediss://` servers are checked against `root_ca` (PEM) when it is given.
    pub async fn connect(
        urls: &str,
        topology: RedisTopology,
        prefix: &str,
        root_ca: Option<Vec<u8>>,
    ) -> Result<Self, redis::RedisError> {
        let client = RedisClient::open(urls, topology, root_ca.as_deref())?;
        let tier = Self {
            client: client.clone(),
            connection: Arc::new(RwLock::new(None)),
            prefix: prefix.to_owned(),
            errors: Arc::default(),
        };
        if let Err(error) = tier.try_connect(&client).await {
            tracing::warn!(%error, "Redis is unreachable; serving from the database until it returns");
            let retry = tier.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(RECONNECT_EVERY).await;
                    if retry.try_connect(&client).await.is_ok() {
                        tracing::info!("Redis is reachable again");
                        break;
                    }
                }
            });
        }
        Ok(tier)
    }

    async fn try_connect(&self, client: &RedisClient) -> redis::RedisResult<()> {
        let connection = client.connect().await?;
        *self.connection.write().await = Some(connection);
        Ok(())
    }

    async fn manager(&self) -> Option<RedisConnection> {
        self.connection.read().await.clone()
    }

    /// Counts a failed command, for `/metrics`, and hands its result on.
    fn counted<T>(&self, result: redis::RedisResult<T>) -> redis::RedisResult<T> {
        if result.is_err() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// Commands that failed since start.
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value under `key`; `Err` when Redis is unreachable.
    pub async fn get(&self, key: &str) -> redis::RedisResult<Option<Vec<u8>>> {
        let Some(mut manager) = self.manager().await else {
            return self.counted(Err(not_connected()));
        };
        self.counted(manager.get(self.key(key)).await)
    }

    /// Stores `value` under `key` for `ttl`.
    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> redis::RedisResult<()> {
        let Some(mut manager) = self.manager().await else {
            return self.counted(Err(not_connected()));
        };
        self.counted(
            manager
                .set_ex(self.key(key), value, ttl.as_secs().max(1))
                .await,
        )
    }

    /// Removes `key`.
    pub async fn delete(&self, key: &str) -> redis::RedisResult<()> {
        let Some(mut manager) = self.manager().await else {
            return self.counted(Err(not_connected()));
        };
        self.counted(manager.del(self.key(key)).await)
    }

    fn channel(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Tells every replica to drop `key` from its in-process tier.
    pub async fn publish_invalidation(&self, key: &str) -> redis::RedisResult<()> {
        self.publish(INVALIDATION_CHANNEL, key).await
    }

    /// Publishes `message` on the channel `name` (under the key prefix) to every
    /// replica subscribed to it; returns once Redis has handed it to them.
    pub async fn publish(&self, name: &str, message: &str) -> redis::RedisResult<()> {
        let Some(mut manager) = self.manager().await else {
            return self.counted(Err(not_connected()));
        };
        self.counted(manager.publish(self.channel(name), message).await)
    }

    /// The keys other replicas (and this one) invalidate, as they are published.
    pub fn invalidations(&self) -> mpsc::Receiver<Feed> {
        self.subscribe(INVALIDATION_CHANNEL)
    }

    /// What is published on the channel `name`, and when the subscription is lost and
    /// made again (messages published meanwhile are lost). A background task keeps the
    /// subscription up across Redis outages; it ends when the receiver is dropped.
    pub fn subscribe(&self, name: &str) -> mpsc::Receiver<Feed> {
        let (sender, receiver) = mpsc::channel(1_024);
        let client = self.client.clone();
        let channel = self.channel(name);
        tokio::spawn(async move {
            let mut attempt = 0;
            while !sender.is_closed() {
                attempt += 1;
                match client.subscriber(attempt).await {
                    Ok(mut pubsub) => {
                        if pubsub.subscribe(&channel).await.is_ok() {
                            if sender.send(Feed::Subscribed).await.is_err() {
                                return;
                            }
                            let mut messages = pubsub.on_message();
                            while let Some(message) = messages.next().await {
                                let Ok(payload) = message.get_payload::<String>() else {
                                    continue;
                                };
                                if sender.send(Feed::Message(payload)).await.is_err() {
                                    return;
                                }
                            }
                            if sender.send(Feed::Lost).await.is_err() {
                                return;
                            }
                        }
                    }
                    Err(error) => tracing::debug!(%error, "cannot subscribe to {channel} yet"),
                }
                tokio::time::sleep(RECONNECT_EVERY).await;
            }
        });
        receiver
    }

    /// Adds each change's delta to its counter, or only reads the counter when the
    /// delta is 0, in one round trip (one pipeline, not a transaction); the counts
    /// after, in the order of `changes`. A counter is created with its window as its
    /// expiry, so it never outlives the window. On a cluster every key must hash to one
    /// slot (a `{tag}` in the key).
    pub async fn add_counts(&self, changes: &[CountChange<'_>]) -> redis::RedisResult<Vec<u64>> {
        let Some(mut manager) = self.manager().await else {
            return self.counted(Err(not_connected()));
        };
        let mut pipe = redis::pipe();
        for change in changes {
            let key = self.key(change.key);
            if change.delta == 0 {
                pipe.get(key);
            } else {
                let seconds = change.window.as_secs().max(1);
                pipe.cmd("SET")
                    .arg(&key)
                    .arg(0)
                    .arg("EX")
                    .arg(seconds)
                    .arg("NX")
                    .ignore();
                pipe.incr(key, change.delta);
            }
        }
        let counts: Vec<Option<u64>> = self.counted(pipe.query_async(&mut manager).await)?;
        if counts.len() != changes.len() {
            return self.counted(Err(redis::RedisError::from((
                redis::ErrorKind::Client,
                "a counter pipeline answered another number of replies",
            ))));
        }
        Ok(counts.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Whether Redis answers a PING.
    pub async fn ping(&self) -> bool {
        let Some(mut manager) = self.manager().await else {
            return false;
        };
        redis::cmd("PING")
            .query_async::<String>(&mut manager)
            .await
            .is_ok()
    }
}

fn not_connected() -> redis::RedisError {
    redis::RedisError::from((redis::ErrorKind::Io, "not connected to Redis"))
}
