//! The shared tier on a Redis Cluster: three nodes started on loopback by the test
//! itself, two replicas over them. Invalidations and rate limits hold across replicas,
//! and the keys really spread over the nodes.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::spawn_app_with_redis_cluster;
use crate::outage::setup;
use crate::redis_server::{PrivateRedis, free_port};
use crate::replicas::{
    a_redemption_is_seen_at_once_on_the_other_replica, guesses_on_two_replicas_add_up_to_one_limit,
};

/// Three master nodes of a cluster of this test's own, each owning a third of the slots.
struct PrivateCluster {
    nodes: Vec<PrivateRedis>,
    _dir: tempfile::TempDir,
}

impl PrivateCluster {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let nodes: Vec<PrivateRedis> = (0..3)
            .map(|_| {
                let port = free_port();
                let config = dir.path().join(format!("nodes-{port}.conf"));
                PrivateRedis::start_with(
                    port,
                    &[
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        config.to_str().unwrap(),
                        "--dir",
                        dir.path().to_str().unwrap(),
                    ],
                )
            })
            .collect();
        let addresses: Vec<String> = nodes
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port))
            .collect();
        let created = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .expect("redis-cli is installed");
        assert!(
            created.status.success(),
            "{}",
            String::from_utf8_lossy(&created.stdout)
        );
        let cluster = Self { nodes, _dir: dir };
        let started = Instant::now();
        while !cluster
            .nodes
            .iter()
            .all(|node| cluster_info(node.port).contains("cluster_state:ok"))
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the cluster did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        cluster
    }

    /// The seed URLs, comma-separated, as `BENEFITS_REDIS_URL` takes them.
    fn urls(&self) -> String {
        self.nodes
            .iter()
            .map(PrivateRedis::url)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// How many keys under `prefix` each node holds.
    fn keys_per_node(&self, prefix: &str) -> Vec<usize> {
        self.nodes
            .iter()
            .map(|node| {
                let listed = Command::new("redis-cli")
                    .args(["-p", &node.port.to_string(), "--scan", "--pattern"])
                    .arg(format!("{prefix}*"))
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&listed.stdout).lines().count()
            })
            .collect()
    }
}

fn cluster_info(port: u16) -> String {
    let info = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "cluster", "info"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&info.stdout).into_owned()
}

const CLOCK: &str = "2026-02-10T12:00:00+09:00";

#[tokio::test]
async fn on_a_redis_cluster_a_redemption_on_one_replica_is_seen_at_once_on_the_other() {
    let cluster = PrivateCluster::start();
    let first = spawn_app_with_redis_cluster(CLOCK, cluster.urls()).await;
    let (offer, line) = setup(&first).await;
    let (second, _) = first.sibling_at(CLOCK).await;
    a_redemption_is_seen_at_once_on_the_other_replica(
        &first,
        (&offer, &line),
        first.address,
        second,
    )
    .await;
    let prefix = first.redis_prefix();
    let spread = cluster.keys_per_node(&prefix);
    assert!(
        spread.iter().filter(|&&keys| keys > 0).count() >= 2,
        "the keys spread over the cluster's nodes: {spread:?}"
    );
}

#[tokio::test]
async fn on_a_redis_cluster_a_rate_limit_holds_across_replicas() {
    let cluster = PrivateCluster::start();
    let first = spawn_app_with_redis_cluster(CLOCK, cluster.urls()).await;
    let (offer, line) = setup(&first).await;
    let (second, _) = first.sibling_at(CLOCK).await;
    guesses_on_two_replicas_add_up_to_one_limit(&first, (&offer, &line), first.address, second)
        .await;
}
