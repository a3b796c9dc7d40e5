//! The work a server does besides answering requests, started by `benefits serve`: the
//! outbox's relay to NATS JetStream when `BENEFITS_NATS_URL` is set, and keeping the
//! refund overview's lines by reason current after imports.

use std::time::Duration;

use tokio::task::JoinSet;

use benefits_domain::refund::RefundService;

use crate::app::App;

/// How often a server decides the fee-waiver reasons an import left outdated, so that
/// the overview rarely has any to decide itself.
const TALLY_INTERVAL: Duration = Duration::from_secs(2);

impl App {
    /// Starts the background work; dropping the set stops it.
    pub fn start_background(&self) -> JoinSet<()> {
        let mut tasks = self.start_relay();
        tasks.spawn(keep_tally_current(self.refunds.clone()));
        tasks
    }

    /// Starts only the relay, when `BENEFITS_NATS_URL` is set (an empty set otherwise):
    /// for an App embedded where its tasks may be paused mid-transaction (the test
    /// suite's single-threaded runtimes block on child processes), without the tally's
    /// pass, which the refund overview runs itself when it is not in the background.
    pub fn start_relay(&self) -> JoinSet<()> {
        let mut tasks = JoinSet::new();
        if let Some(relay) = self.config.nats.clone() {
            tracing::info!(stream = %relay.stream, "relaying events to NATS JetStream");
            tasks.spawn(benefits_infra::relay::run(self.db.clone(), relay));
        }
        tasks
    }
}

/// Decides outdated reasons every [`TALLY_INTERVAL`]; a failure waits for the next turn.
async fn keep_tally_current(refunds: RefundService) {
    let mut turns = tokio::time::interval(TALLY_INTERVAL);
    turns.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        turns.tick().await;
        if let Err(error) = refunds.decide_outdated_reasons().await {
            tracing::warn!(%error, "deciding outdated fee-waiver reasons failed");
        }
    }
}
