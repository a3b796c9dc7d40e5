//! Replicas as separate processes over one database (and one Redis): the `benefits`
//! command line started several times, as cron and a load balancer would.

use std::process::{Output, Stdio};

use benefits_domain::auth::Role;
use benefits_domain::scheduling::{JobClaim, JobLedger as _, JobSlot};
use benefits_infra::db::SeaJobLedger;
use serde_json::json;

use crate::helpers::{ServerProcess, TestApp, spawn_app_with_redis, spawn_demo_at};
use crate::outage::setup;
use crate::redis_server::PrivateRedis;
use crate::replicas::{
    a_redemption_is_seen_at_once_on_the_other_replica, guesses_on_two_replicas_add_up_to_one_limit,
};

/// Starts `benefits job NAME ARGS` on two replicas at the same moment; their exit
/// codes and outputs.
fn fire_on_two_replicas(app: &TestApp, job: &[&str]) -> [(Option<i32>, String); 2] {
    let start = || {
        app.command()
            .arg("job")
            .args(job)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (first, second) = (start(), start());
    [first, second].map(|child| {
        let Output { status, stdout, .. } = child.wait_with_output().unwrap();
        (status.code(), String::from_utf8(stdout).unwrap())
    })
}

/// The one output of `runs` that ran the job (exit 0). The other found the slot
/// claimed: done already (exit 0), or still running (exit 75, so cron retries).
fn the_one_that_ran(runs: &[(Option<i32>, String); 2]) -> &str {
    let ran: Vec<&String> = runs
        .iter()
        .filter(|(_, run)| !run.contains("already claimed"))
        .map(|(code, run)| {
            assert_eq!(*code, Some(0), "the run that ran succeeded: {run}");
            run
        })
        .collect();
    assert_eq!(ran.len(), 1, "exactly one replica runs the job: {runs:?}");
    for (code, run) in runs
        .iter()
        .filter(|(_, run)| run.contains("already claimed"))
    {
        let expected = if run.contains("already done") { 0 } else { 75 };
        assert_eq!(*code, Some(expected), "{run}");
    }
    ran[0]
}

async fn kinds_in_inbox(app: &TestApp, customer: &str) -> Vec<String> {
    let inbox = app
        .graphql(
            Role::Customer,
            customer,
            "{ me { notifications { kind } } }",
            json!({}),
        )
        .await;
    inbox["data"]["me"]["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|notification| notification["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn reminders_fired_on_two_replicas_at_the_same_moment_go_out_once() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let runs = fire_on_two_replicas(&app, &["send-reminders"]);
    assert!(
        the_one_that_ran(&runs).contains("send-reminders: 2026-01-15: sent 5"),
        "{runs:?}"
    );
    assert_eq!(kinds_in_inbox(&app, "C-1011").await, ["REFUND_REMINDER"]);

    let later = fire_on_two_replicas(&app, &["send-reminders"]);
    assert!(
        later
            .iter()
            .all(|(code, run)| *code == Some(0) && run.contains("already done")),
        "the day's run is done: {later:?}"
    );
    assert_eq!(kinds_in_inbox(&app, "C-1011").await, ["REFUND_REMINDER"]);
}

#[tokio::test]
async fn the_monthly_grant_fired_on_two_replicas_at_the_same_moment_runs_once() {
    let app = spawn_demo_at("2026-02-01T00:05:00+09:00").await;
    let runs = fire_on_two_replicas(&app, &["monthly-data-grant"]);
    let ran = the_one_that_ran(&runs);
    assert!(
        ran.contains("monthly-data-grant: 2026-02: granted") && !ran.contains("granted 0,"),
        "{runs:?}"
    );
}

#[tokio::test]
async fn two_server_processes_share_redemptions_and_rate_limits() {
    let redis = PrivateRedis::start();
    let app = spawn_app_with_redis("2026-02-10T12:00:00+09:00", Some(redis.url())).await;
    let (offer, line) = setup(&app).await;
    let first = ServerProcess::start(&app).await;
    let second = ServerProcess::start(&app).await;

    let (first, second) = (first.address, second.address);
    a_redemption_is_seen_at_once_on_the_other_replica(&app, (&offer, &line), first, second).await;
    guesses_on_two_replicas_add_up_to_one_limit(&app, (&offer, &line), first, second).await;
}

/// Claims `job`'s slot of 2026-01-15 for a replica that then dies, at `started_at`.
async fn claim_for_a_replica_that_dies(app: &TestApp, job: &str, started_at: &str) {
    let ledger = SeaJobLedger::new(app.app.db.clone());
    let slot = JobSlot {
        job: job.to_owned(),
        slot: "2026-01-15".to_owned(),
    };
    let at = chrono::DateTime::parse_from_rfc3339(started_at)
        .unwrap()
        .to_utc();
    let claim = ledger
        .claim(
            &slot,
            "a replica that died",
            at,
            at - chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    assert_eq!(claim, JobClaim::Claimed);
}

#[tokio::test]
async fn a_run_whose_replica_died_is_taken_over_once_its_lease_expires() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    claim_for_a_replica_that_dies(&app, "send-reminders", "2026-01-15T08:59:00+09:00").await;
    claim_for_a_replica_that_dies(&app, "send-notices", "2026-01-15T09:30:00+09:00").await;

    let reminders = fire_on_two_replicas(&app, &["send-reminders"]);
    assert!(
        the_one_that_ran(&reminders).contains("sent 5"),
        "the lease of a run started over an hour ago has expired: {reminders:?}"
    );
    let notices = fire_on_two_replicas(&app, &["send-notices"]);
    assert!(
        notices.iter().all(|(code, run)| *code == Some(75)
            && run.contains("claimed by a replica that died, which is running or died unfinished")),
        "a run started half an hour ago still holds its lease, and cron is told to retry: \
         {notices:?}"
    );
}

#[tokio::test]
async fn a_slot_already_done_is_success_for_the_late_replica() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let run = || {
        app.command()
            .args(["job", "send-notices"])
            .stderr(Stdio::null())
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success());
    let late = run();
    let said = String::from_utf8_lossy(&late.stdout);
    assert_eq!(late.status.code(), Some(0), "{said}");
    assert!(said.contains("already done"), "{said}");
}

#[tokio::test]
async fn a_failed_run_gives_its_slot_back_so_the_retry_runs() {
    // Outside the application window, reminders are refused.
    let app = spawn_demo_at("2026-02-02T10:00:00+09:00").await;
    for attempt in ["first", "retry"] {
        let output = app
            .command()
            .args(["job", "send-reminders"])
            .stderr(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            !output.status.success() && !stdout.contains("already claimed"),
            "the {attempt} run tries and fails: {stdout}"
        );
    }
}
