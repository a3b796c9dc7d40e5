//! TLS to PostgreSQL (`sslmode` require, verify-ca, verify-full with `sslrootcert`),
//! against this machine's PostgreSQL with its own certificate (its SSL is on; skipped
//! where no PostgreSQL answers or its SSL is off), and `rediss://` to a redis-server
//! and a Redis Cluster the test starts with a certificate it makes; and the size of the
//! database pool.
//!
//! This machine's PostgreSQL presents Debian's self-signed "snakeoil" certificate for
//! `localhost`, which Debian also links into the system trust store, and sqlx adds
//! `sslrootcert` to that store (libpq would use it alone). Tests that must show a
//! certificate being refused therefore run `benefits migrate` as a process of its own
//! with an empty system trust store (`SSL_CERT_FILE`, `SSL_CERT_DIR`).

use benefits_domain::auth::Role;
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::json;

use crate::certificates::TestCertificates;
use crate::helpers::{
    C_1001, build_app_on, postgres_base_url, spawn_app_on_postgres, spawn_app_with_redis,
    spawn_app_with_redis_ca, spawn_app_with_redis_cluster_ca,
};
use crate::redis_server::{PrivateRedis, free_port};

const ME: &str = "{ me { externalId } }";
const CLOCK: &str = "2026-02-10T12:00:00+09:00";

/// The PostgreSQL to test against and its server certificate (PEM file), when SSL is on.
async fn postgres_with_ssl() -> Option<(String, String)> {
    let base = postgres_base_url().await?;
    let admin = sea_orm::Database::connect(&base).await.ok()?;
    let setting = |name: &'static str| {
        let admin = admin.clone();
        async move {
            admin
                .query_one_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("SHOW {name}"),
                ))
                .await
                .ok()
                .flatten()
                .and_then(|row| row.try_get_by_index::<String>(0).ok())
        }
    };
    if setting("ssl").await.as_deref() != Some("on") {
        return None;
    }
    let certificate = setting("ssl_cert_file").await?;
    std::fs::metadata(&certificate).ok()?;
    Some((base, certificate))
}

/// `url` with its host replaced and these query parameters added.
fn with(url: &str, host: &str, parameters: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse(url).unwrap();
    url.set_host(Some(host)).unwrap();
    url.query_pairs_mut().extend_pairs(parameters);
    url.to_string()
}

/// How many of the connections to `database` use TLS, and how many there are.
async fn tls_connections(base: &str, database: &str) -> (i64, i64) {
    let admin = sea_orm::Database::connect(base).await.unwrap();
    let row = admin
        .query_one_raw(Statement::from_string(
            admin.get_database_backend(),
            format!(
                "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a \
                 JOIN pg_stat_ssl s USING (pid) WHERE a.datname = '{database}'"
            ),
        ))
        .await
        .unwrap()
        .unwrap();
    (
        row.try_get_by_index(0).unwrap(),
        row.try_get_by_index(1).unwrap(),
    )
}

fn database_of(url: &str) -> String {
    reqwest::Url::parse(url).unwrap().path()[1..].to_owned()
}

#[tokio::test]
async fn with_verify_full_and_the_servers_certificate_every_database_connection_is_tls() {
    let Some((base, certificate)) = postgres_with_ssl().await else {
        eprintln!("no PostgreSQL with SSL on: skipped");
        return;
    };
    let app = spawn_app_on_postgres(&base, |url| {
        with(
            url,
            "localhost",
            &[("sslmode", "verify-full"), ("sslrootcert", &certificate)],
        )
    })
    .await;
    app.import(C_1001).await;
    let me = app.graphql(Role::Customer, "C-1001", ME, json!({})).await;
    assert_eq!(me["data"]["me"]["externalId"], "C-1001", "{me}");
    let (tls, all) = tls_connections(&base, &database_of(&app.database_url())).await;
    assert!(all > 0 && tls == all, "{tls} of {all} connections use TLS");
}

#[tokio::test]
async fn sslmode_require_encrypts_without_checking_the_certificate_and_disable_does_not() {
    let Some((base, _)) = postgres_with_ssl().await else {
        eprintln!("no PostgreSQL with SSL on: skipped");
        return;
    };
    let required = spawn_app_on_postgres(&base, |url| {
        with(url, "127.0.0.1", &[("sslmode", "require")])
    })
    .await;
    let (tls, all) = tls_connections(&base, &database_of(&required.database_url())).await;
    assert!(all > 0 && tls == all, "require: {tls} of {all} use TLS");

    let plain = spawn_app_on_postgres(&base, |url| {
        with(url, "127.0.0.1", &[("sslmode", "disable")])
    })
    .await;
    let (tls, all) = tls_connections(&base, &database_of(&plain.database_url())).await;
    assert!(all > 0 && tls == 0, "disable: {tls} of {all} use TLS");
}

/// `benefits migrate` on `database_url` as a process of its own whose system trust
/// store is empty: whether it succeeded, and what it printed.
fn migrate_trusting_nothing_else(database_url: &str) -> (bool, String) {
    let empty = tempfile::tempdir().unwrap();
    let no_certificates = empty.path().join("none.pem");
    std::fs::write(&no_certificates, "").unwrap();
    let key = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_benefits-under-test"))
        .arg("migrate")
        .env("BENEFITS_DATABASE_URL", database_url)
        .env("BENEFITS_DATA_KEYS", format!("1:{key}"))
        .env("BENEFITS_LOOKUP_KEY", key)
        .env("BENEFITS_LOG_FORMAT", "json")
        .env("SSL_CERT_FILE", &no_certificates)
        .env("SSL_CERT_DIR", empty.path())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn sslrootcert_is_what_verifies_the_server_when_the_system_trusts_nothing() {
    let Some((base, certificate)) = postgres_with_ssl().await else {
        eprintln!("no PostgreSQL with SSL on: skipped");
        return;
    };
    let app = spawn_app_on_postgres(&base, |url| {
        with(
            url,
            "localhost",
            &[("sslmode", "verify-full"), ("sslrootcert", &certificate)],
        )
    })
    .await;
    let (migrated, printed) = migrate_trusting_nothing_else(&app.database_url());
    assert!(migrated, "{printed}");

    let mut without_root = reqwest::Url::parse(&app.database_url()).unwrap();
    let kept: Vec<(String, String)> = without_root
        .query_pairs()
        .filter(|(name, _)| name != "sslrootcert")
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    without_root.query_pairs_mut().clear().extend_pairs(kept);
    let without_root = without_root.to_string();
    assert!(without_root.contains("verify-full") && !without_root.contains("sslrootcert"));
    let (migrated, printed) = migrate_trusting_nothing_else(&without_root);
    assert!(!migrated, "no authority vouches for the server: {printed}");
}

#[tokio::test]
async fn verify_ca_checks_the_authority_but_not_the_name() {
    let Some((base, certificate)) = postgres_with_ssl().await else {
        eprintln!("no PostgreSQL with SSL on: skipped");
        return;
    };
    // 127.0.0.1 is not a name the certificate holds; verify-ca does not ask.
    let app = spawn_app_on_postgres(&base, |url| {
        with(
            url,
            "127.0.0.1",
            &[("sslmode", "verify-ca"), ("sslrootcert", &certificate)],
        )
    })
    .await;
    let (tls, all) = tls_connections(&base, &database_of(&app.database_url())).await;
    assert!(all > 0 && tls == all, "{tls} of {all} use TLS");

    let stranger = TestCertificates::make();
    let untrusted = with(
        &base,
        "127.0.0.1",
        &[
            ("sslmode", "verify-ca"),
            ("sslrootcert", stranger.ca().to_str().unwrap()),
        ],
    );
    let (migrated, printed) = migrate_trusting_nothing_else(&untrusted);
    assert!(!migrated, "{printed}");
    assert!(
        printed.contains("cannot connect to the database"),
        "{printed}"
    );
}

#[tokio::test]
async fn verify_full_refuses_a_server_whose_certificate_does_not_name_the_host() {
    let Some((base, certificate)) = postgres_with_ssl().await else {
        eprintln!("no PostgreSQL with SSL on: skipped");
        return;
    };
    let wrong_name = with(
        &base,
        "127.0.0.1",
        &[("sslmode", "verify-full"), ("sslrootcert", &certificate)],
    );
    let refused = build_app_on(&wrong_name).await.err().expect("refused");
    assert!(
        refused.contains("cannot connect to the database"),
        "{refused}"
    );
    assert!(
        refused.to_lowercase().contains("certificate"),
        "the cause names the certificate: {refused}"
    );
}

/// A redis-server of this test's own serving TLS only, with the server certificate of
/// `certificates`.
fn tls_redis(certificates: &TestCertificates, extra: &[&str]) -> PrivateRedis {
    let port = free_port();
    let files = [
        certificates.server_certificate(),
        certificates.server_key(),
        certificates.ca(),
    ]
    .map(|path| path.display().to_string());
    let port_text = port.to_string();
    let mut args = vec![
        "--port",
        "0",
        "--tls-port",
        &port_text,
        "--tls-cert-file",
        &files[0],
        "--tls-key-file",
        &files[1],
        "--tls-ca-cert-file",
        &files[2],
        "--tls-auth-clients",
        "no",
    ];
    args.extend_from_slice(extra);
    PrivateRedis::start_with(port, &args)
}

#[tokio::test]
async fn a_rediss_url_reaches_a_tls_only_redis_checked_against_the_configured_authority() {
    let certificates = TestCertificates::make();
    let redis = tls_redis(&certificates, &[]);
    let url = format!("rediss://127.0.0.1:{}", redis.port);
    let first = spawn_app_with_redis_ca(CLOCK, url, certificates.ca()).await;
    let ready: serde_json::Value = first
        .client
        .get(first.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["cache"], "ok", "{ready}");
    // Invalidations travel over Redis pub/sub: a second replica sees a redemption at
    // once only if both reach the TLS server.
    let (offer, line) = crate::outage::setup(&first).await;
    let (second, _) = first.sibling_at(CLOCK).await;
    crate::replicas::a_redemption_is_seen_at_once_on_the_other_replica(
        &first,
        (&offer, &line),
        first.address,
        second,
    )
    .await;
    let keys = std::process::Command::new("redis-cli")
        .args(["--tls", "--cacert", certificates.ca().to_str().unwrap()])
        .args(["-p", &redis.port.to_string(), "--scan", "--pattern"])
        .arg(format!("{}*", first.redis_prefix()))
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&keys.stdout).trim().is_empty(),
        "the service wrote its keys over TLS: {}",
        String::from_utf8_lossy(&keys.stderr)
    );
}

#[tokio::test]
async fn a_rediss_server_with_an_untrusted_certificate_is_not_used() {
    let certificates = TestCertificates::make();
    let redis = tls_redis(&certificates, &[]);
    // The system's trust store does not hold the test's authority.
    let app = spawn_app_with_redis(CLOCK, Some(format!("rediss://127.0.0.1:{}", redis.port))).await;
    let ready: serde_json::Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["cache"], "degraded", "{ready}");
}

#[tokio::test]
async fn a_redis_cluster_over_tls_serves_the_shared_tier() {
    let certificates = TestCertificates::make();
    let dir = tempfile::tempdir().unwrap();
    let nodes: Vec<PrivateRedis> = (0..3)
        .map(|index| {
            let config = dir.path().join(format!("nodes-{index}.conf"));
            tls_redis(
                &certificates,
                &[
                    "--tls-cluster",
                    "yes",
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
    let ca = certificates.ca();
    let created = std::process::Command::new("redis-cli")
        .args([
            "--tls",
            "--cacert",
            ca.to_str().unwrap(),
            "--cluster",
            "create",
        ])
        .args(nodes.iter().map(|node| format!("127.0.0.1:{}", node.port)))
        .args(["--cluster-replicas", "0", "--cluster-yes"])
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stdout)
    );
    let started = std::time::Instant::now();
    while !nodes.iter().all(|node| {
        let info = std::process::Command::new("redis-cli")
            .args(["--tls", "--cacert", ca.to_str().unwrap()])
            .args(["-p", &node.port.to_string(), "cluster", "info"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&info.stdout).contains("cluster_state:ok")
    }) {
        assert!(
            started.elapsed().as_secs() < 30,
            "the cluster did not come up"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let seeds = nodes
        .iter()
        .map(|node| format!("rediss://127.0.0.1:{}", node.port))
        .collect::<Vec<_>>()
        .join(",");
    let first = spawn_app_with_redis_cluster_ca(CLOCK, seeds, ca.clone()).await;
    let (offer, line) = crate::outage::setup(&first).await;
    let (second, _) = first.sibling_at(CLOCK).await;
    crate::replicas::a_redemption_is_seen_at_once_on_the_other_replica(
        &first,
        (&offer, &line),
        first.address,
        second,
    )
    .await;
}

#[tokio::test]
async fn the_database_pool_holds_at_most_the_configured_connections() {
    let Some(base) = postgres_base_url().await else {
        eprintln!("no PostgreSQL: skipped");
        return;
    };
    let app = crate::helpers::spawn_app_on_postgres_with(&base, |settings| {
        benefits_api::config::Settings {
            database_pool_size: Some(2),
            ..settings
        }
    })
    .await;
    app.import(C_1001).await;
    let answers = app
        .graphql_concurrently(Role::Customer, "C-1001", ME, vec![json!({}); 24])
        .await;
    assert!(
        answers
            .iter()
            .all(|answer| answer["data"]["me"]["externalId"] == "C-1001"),
        "every request is served through two connections"
    );
    let (_, connections) = tls_connections(&base, &database_of(&app.database_url())).await;
    assert!(
        (1..=2).contains(&connections),
        "{connections} connections for a pool of 2"
    );
}
