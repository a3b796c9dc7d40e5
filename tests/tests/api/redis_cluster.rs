//! The shared tier on a Redis Cluster: three nodes started on loopback by the test
//! itself, two replicas over them. Invalidations and rate limits hold across replicas,
//! and the keys really spread over the nodes.

use std::process::Command;
use std::time::{Duration, Instant};

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, error_code, spawn_app_with_redis_cluster};
use crate::outage::{REDEEM, VERIFY, code, setup};
use crate::redis_server::{PrivateRedis, free_port};

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

/// What verifying `code` on the replica at `at` says: `ELIGIBLE` or the refusal.
async fn verify_reason(app: &TestApp, at: std::net::SocketAddr, code: &str, offer: &str) -> String {
    let body = app
        .graphql_at(
            at,
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": code, "offer": offer }),
        )
        .await;
    let quote = &body["data"]["verifyDiscount"];
    if quote["eligible"] == true {
        return "ELIGIBLE".to_owned();
    }
    quote["reason"]
        .as_str()
        .map_or_else(|| format!("{body}"), str::to_owned)
}

#[tokio::test]
async fn on_a_redis_cluster_a_redemption_on_one_replica_is_seen_at_once_on_the_other() {
    let cluster = PrivateCluster::start();
    let first = spawn_app_with_redis_cluster(CLOCK, cluster.urls()).await;
    let (offer, line) = setup(&first).await;
    let (second, _) = first.sibling_at(CLOCK).await;
    let code = code(&first, &line).await;
    let cached = verify_reason(&first, first.address, &code, &offer).await;
    assert_eq!(cached, "ELIGIBLE", "the code verifies and is now cached");

    let redeemed = first
        .graphql_at(
            second,
            Role::PartnerStore,
            "S-ICE",
            REDEEM,
            json!({ "code": code, "offer": offer, "key": "k" }),
        )
        .await;
    assert_eq!(
        redeemed["data"]["redeemDiscount"]["status"], "REDEEMED",
        "{redeemed}"
    );

    // Well inside the in-process tier's lifetime: only the invalidation explains it.
    let started = Instant::now();
    while verify_reason(&first, first.address, &code, &offer).await != "CODE_USED" {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the first replica still shows the code unused"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
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
    let real = code(&first, &line).await;
    for guess in 0..20 {
        let replica = if guess % 2 == 0 {
            first.address
        } else {
            second
        };
        let reason = verify_reason(&first, replica, &format!("{guess:016}"), &offer).await;
        assert_eq!(reason, "CODE_INVALID");
    }
    for replica in [first.address, second] {
        let body = first
            .graphql_at(
                replica,
                Role::PartnerStore,
                "S-ICE",
                VERIFY,
                json!({ "code": real, "offer": offer }),
            )
            .await;
        assert_eq!(
            error_code(&body),
            Some("RATE_LIMITED"),
            "ten guesses on each replica add up to the limit of twenty: {body}"
        );
    }
}
