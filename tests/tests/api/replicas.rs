//! Two replicas over one database and one Redis: what one changes, the other sees at
//! once, because invalidations reach every replica's in-process tier; and a rate limit
//! counts calls on both. The scenarios here also run over a Redis Cluster
//! (`redis_cluster.rs`) and between separate processes (`processes.rs`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app_with_redis};
use crate::outage::{REDEEM, VERIFY, code, setup};
use crate::redis_server::PrivateRedis;

/// `verifyDiscount` of `code` for `offer` at the ice-cream store, on the replica at `at`.
async fn verify_at(app: &TestApp, at: SocketAddr, code: &str, offer: &str) -> Value {
    app.graphql_at(
        at,
        Role::PartnerStore,
        "S-ICE",
        VERIFY,
        json!({ "code": code, "offer": offer }),
    )
    .await
}

/// A code verified (and so cached) on `first` and redeemed on `second` is refused as
/// used on `first` within a second: well inside the in-process tier's 5 s lifetime, so
/// only the invalidation explains it. `offer` and `line` come from `setup`.
pub(crate) async fn a_redemption_is_seen_at_once_on_the_other_replica(
    app: &TestApp,
    (offer, line): (&str, &str),
    first: SocketAddr,
    second: SocketAddr,
) {
    let code = code(app, line).await;
    let cached = verify_at(app, first, &code, offer).await;
    assert_eq!(
        cached["data"]["verifyDiscount"]["eligible"], true,
        "{cached}"
    );
    let redeemed = app
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
    let started = Instant::now();
    loop {
        let seen = verify_at(app, first, &code, offer).await;
        if seen["data"]["verifyDiscount"]["reason"] == "CODE_USED" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the first replica still shows {seen}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Ten guessed codes on each replica add up to the store's limit of twenty: then even a
/// real code is refused on both. Each replica counts its own calls at once and hears
/// of the other's within a refresh from Redis (half a second), so the refusal comes
/// within two seconds on both.
pub(crate) async fn guesses_on_two_replicas_add_up_to_one_limit(
    app: &TestApp,
    (offer, line): (&str, &str),
    first: SocketAddr,
    second: SocketAddr,
) {
    let real = code(app, line).await;
    for guess in 0..20 {
        let at = if guess % 2 == 0 { first } else { second };
        let quote = verify_at(app, at, &format!("{guess:016}"), offer).await;
        assert_eq!(quote["data"]["verifyDiscount"]["reason"], "CODE_INVALID");
    }
    for at in [first, second] {
        let started = Instant::now();
        loop {
            let answer = verify_at(app, at, &real, offer).await;
            if error_code(&answer) == Some("RATE_LIMITED") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "ten guesses on each replica add up to the limit: {answer}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn a_redemption_on_one_replica_is_seen_at_once_by_verify_on_the_other() {
    let redis = PrivateRedis::start();
    let first = spawn_app_with_redis("2026-02-10T12:00:00+09:00", Some(redis.url())).await;
    let (offer, line) = setup(&first).await;
    let (second, _) = first.sibling_at("2026-02-10T12:00:00+09:00").await;
    a_redemption_is_seen_at_once_on_the_other_replica(
        &first,
        (&offer, &line),
        first.address,
        second,
    )
    .await;
}
