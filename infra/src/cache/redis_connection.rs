//! Where the shared tier lives: one Redis server, or a Redis Cluster given by some of
//! its nodes. Both give the same [`RedisConnection`], so the tier's commands do not
//! care which; every key a command touches is one key, so no command crosses slots.
//! `rediss://` URLs connect over TLS (rustls), checking the server against the given
//! certificate authorities or else the system's trust store.

use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig, PubSub};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, RedisResult, TlsCertificates, Value};

const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(250);

/// How the Redis URL setting is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedisTopology {
    /// One `redis://` URL of a standalone server.
    Standalone,
    /// Comma-separated `redis://` URLs of some nodes of a cluster (seeds).
    Cluster,
}

/// Opens connections and subscriptions to the configured Redis.
#[derive(Clone)]
pub(super) enum RedisClient {
    Standalone(Box<redis::Client>),
    Cluster {
        client: Box<ClusterClient>,
        /// The seed nodes, subscribed to in turn: a cluster forwards every `PUBLISH`
        /// to all its nodes, so any one of them hears every invalidation.
        nodes: Vec<redis::Client>,
    },
}

impl RedisClient {
    /// `root_ca` (PEM) is what a `rediss://` server's certificate must chain to.
    pub fn open(urls: &str, topology: RedisTopology, root_ca: Option<&[u8]>) -> RedisResult<Self> {
        match topology {
            RedisTopology::Standalone => {
                Ok(Self::Standalone(Box::new(node(urls.trim(), root_ca)?)))
            }
            RedisTopology::Cluster => {
                let seeds: Vec<&str> = urls
                    .split(',')
                    .map(str::trim)
                    .filter(|url| !url.is_empty())
                    .collect();
                let mut builder = ClusterClient::builder(seeds.iter().copied())
                    .connection_timeout(CONNECT_TIMEOUT)
                    .response_timeout(RESPONSE_TIMEOUT)
                    .retries(1);
                if let Some(root_ca) = root_ca.filter(|_| seeds.iter().all(|url| is_tls(url))) {
                    builder = builder.certs(certificates(root_ca));
                }
                let client = builder.build()?;
                let nodes = seeds
                    .into_iter()
                    .map(|url| node(url, root_ca))
                    .collect::<RedisResult<_>>()?;
                Ok(Self::Cluster {
                    client: Box::new(client),
                    nodes,
                })
            }
        }
    }

    /// A connection that finds its way back after an outage by itself.
    pub async fn connect(&self) -> RedisResult<RedisConnection> {
        match self {
            Self::Standalone(client) => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(RESPONSE_TIMEOUT))
                    .set_number_of_retries(1);
                let manager = client.get_connection_manager_with_config(config).await?;
                Ok(RedisConnection::Standalone(manager))
            }
            Self::Cluster { client, .. } => Ok(RedisConnection::Cluster(
                client.get_async_connection().await?,
            )),
        }
    }

    /// A subscriber connection; the `attempt`-th try picks the next cluster node.
    pub async fn subscriber(&self, attempt: usize) -> RedisResult<PubSub> {
        match self {
            Self::Standalone(client) => client.get_async_pubsub().await,
            Self::Cluster { nodes, .. } => nodes[attempt % nodes.len()].get_async_pubsub().await,
        }
    }
}

/// Whether a URL asks for TLS.
fn is_tls(url: &str) -> bool {
    url.starts_with("rediss://")
}

fn certificates(root_ca: &[u8]) -> TlsCertificates {
    TlsCertificates {
        client_tls: None,
        root_cert: Some(root_ca.to_vec()),
    }
}

/// A client of one server: over TLS checked against `root_ca` for a `rediss://` URL
/// when it is given.
fn node(url: &str, root_ca: Option<&[u8]>) -> RedisResult<redis::Client> {
    match root_ca {
        Some(root_ca) if is_tls(url) => redis::Client::build_with_tls(url, certificates(root_ca)),
        _ => redis::Client::open(url),
    }
}

/// A live connection to a standalone server or to a cluster.
#[derive(Clone)]
pub(super) enum RedisConnection {
    Standalone(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for RedisConnection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Standalone(connection) => connection.req_packed_command(cmd),
            Self::Cluster(connection) => connection.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Standalone(connection) => connection.req_packed_commands(pipeline, offset, count),
            Self::Cluster(connection) => connection.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Standalone(connection) => connection.get_db(),
            Self::Cluster(connection) => connection.get_db(),
        }
    }
}
