//! Two replicas over one database and one Redis: what one changes, the other sees at
//! once, because invalidations reach every replica's in-process tier.

use std::time::{Duration, Instant};

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::spawn_app_with_redis;
use crate::outage::{REDEEM, VERIFY, code, setup};
use crate::redis_server::PrivateRedis;

#[tokio::test]
async fn a_redemption_on_one_replica_is_seen_at_once_by_verify_on_the_other() {
    let redis = PrivateRedis::start();
    let first = spawn_app_with_redis("2026-02-10T12:00:00+09:00", Some(redis.url())).await;
    let (offer, line) = setup(&first).await;
    let (second, _) = first.sibling_at("2026-02-10T12:00:00+09:00").await;
    let code = code(&first, &line).await;
    let cached = first
        .graphql(
            Role::PartnerStore,
            "S-ICE",
            VERIFY,
            json!({ "code": code, "offer": offer }),
        )
        .await;
    assert_eq!(
        cached["data"]["verifyDiscount"]["eligible"], true,
        "{cached}"
    );

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

    // Well inside the in-process tier's 5 s lifetime: only the invalidation explains it.
    let started = Instant::now();
    loop {
        let seen = first
            .graphql(
                Role::PartnerStore,
                "S-ICE",
                VERIFY,
                json!({ "code": code, "offer": offer }),
            )
            .await;
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
