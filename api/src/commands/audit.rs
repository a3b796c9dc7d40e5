//! `benefits audit-verify`: recomputes the audit log's hash chain and records the
//! outcome in the job ledger, where `/metrics` reads it (`benefits_audit_chain_intact`)
//! so a broken or truncated chain raises an alert.

use std::process::ExitCode;

use benefits_domain::scheduling::{JobClaim, JobLedger as _, JobSlot};
use benefits_infra::db::SeaJobLedger;

use crate::app::App;
use crate::config::Config;

/// The ledger's name for this check.
const JOB: &str = "audit-verify";

pub async fn verify(config: Config) -> anyhow::Result<ExitCode> {
    let app = App::build(config).await?;
    let started = app.clock.now();
    let check = app.audit.verify_chain().await?;
    let (outcome, code) = match check.first_broken {
        None => (
            format!("intact: {} entries", check.entries),
            ExitCode::SUCCESS,
        ),
        Some(sequence) if check.truncated => (
            format!(
                "TRUNCATED: entries {sequence} to {} are missing ({} entries checked)",
                check.head_sequence, check.entries
            ),
            ExitCode::FAILURE,
        ),
        Some(sequence) => (
            format!(
                "BROKEN at entry {sequence} ({} entries checked)",
                check.entries
            ),
            ExitCode::FAILURE,
        ),
    };
    println!("audit chain {outcome}");
    record(&app, started, &outcome).await?;
    Ok(code)
}

/// Records this run (every run its own random slot, as long as the ledger's slots
/// allow: checks may run as often as wanted).
async fn record(
    app: &App,
    started: chrono::DateTime<chrono::Utc>,
    outcome: &str,
) -> anyhow::Result<()> {
    let ledger = SeaJobLedger::new(app.db.clone());
    let slot = JobSlot {
        job: JOB.to_owned(),
        slot: uuid::Uuid::new_v4().simple().to_string()[..16].to_owned(),
    };
    let holder = format!("pid {}", std::process::id());
    if let JobClaim::Claimed = ledger.claim(&slot, &holder, started, started).await? {
        ledger
            .finish(&slot, &holder, app.clock.now(), &outcome.to_lowercase())
            .await?;
    }
    Ok(())
}
