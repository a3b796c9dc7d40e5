//! `benefits job NAME`: runs a scheduled job once, as the `scheduler` admin. Cron (or a
//! Kubernetes CronJob) may fire it on every replica: the run is claimed in the job
//! ledger for its slot (the KST day; the month for the grant), so exactly one runs it.
//! Another run finding the slot done exits 0; finding it held by a run not finished
//! (still working, or dead with its pod) exits 75 so that cron retries, and a retry
//! after the lease takes the slot over. Jobs are resumable: a run that stops halfway
//! is finished by the next one, and nothing is sent twice.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;

use benefits_domain::auth::{Caller, Principal, Role};
use benefits_domain::scheduling::{JobClaim, JobLedger as _, JobSlot, LEASE};
use benefits_infra::db::SeaJobLedger;

use crate::app::App;
use crate::config::Config;

/// The exit status of a run that found its slot held by a run not known to have
/// finished: EX_TEMPFAIL, "try again later" (sysexits.h).
const TRY_AGAIN: u8 = 75;

/// The jobs a scheduler can run.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Job {
    /// One refund reminder to every eligible line without an application (at most three each).
    SendReminders,
    /// The eligibility notice, once, to every eligible line without an application.
    SendNotices,
    /// The monthly data of `--month` (default: the service clock's month).
    MonthlyDataGrant,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Self::SendReminders => "send-reminders",
            Self::SendNotices => "send-notices",
            Self::MonthlyDataGrant => "monthly-data-grant",
        }
    }
}

pub async fn run(config: Config, job: Job, month: Option<String>) -> anyhow::Result<ExitCode> {
    let app = App::build(config).await?;
    let month = month.unwrap_or_else(|| app.clock.today().format("%Y-%m").to_string());
    let slot = JobSlot {
        job: job.name().to_owned(),
        slot: match job {
            Job::MonthlyDataGrant => month.clone(),
            Job::SendReminders | Job::SendNotices => app.clock.today().to_string(),
        },
    };
    let ledger = SeaJobLedger::new(app.db.clone());
    let holder = format!("pid {} run {}", std::process::id(), uuid::Uuid::new_v4());
    let now = app.clock.now();
    let lease = chrono::Duration::from_std(LEASE).context("the lease fits")?;
    if let JobClaim::Taken {
        holder: other,
        finished_at,
    } = ledger.claim(&slot, &holder, now, now - lease).await?
    {
        if let Some(at) = finished_at {
            println!(
                "{}: {} already claimed by {other}, which finished at {}: already done",
                slot.job,
                slot.slot,
                at.to_rfc3339()
            );
            return Ok(ExitCode::SUCCESS);
        }
        // Its holder may be working, or may have died (an evicted pod): either way this
        // slot's work is not known to be done, so cron must try again.
        println!(
            "{}: {} already claimed by {other}, which is running or died unfinished; \
             exit {TRY_AGAIN} so the scheduler retries (taken over after the {} min lease)",
            slot.job,
            slot.slot,
            LEASE.as_secs() / 60
        );
        return Ok(ExitCode::from(TRY_AGAIN));
    }

    let started = Instant::now();
    let outcome = match run_job(&app, job, &month).await {
        Ok(outcome) => outcome,
        Err(error) => {
            ledger.release(&slot, &holder).await?;
            return Err(error);
        }
    };
    ledger
        .finish(&slot, &holder, app.clock.now(), &outcome)
        .await?;
    println!(
        "{}: {}: {outcome} in {:.1} s",
        slot.job,
        slot.slot,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `job` as the `scheduler` admin; what it did, in a few words.
async fn run_job(app: &App, job: Job, month: &str) -> anyhow::Result<String> {
    let scheduler = Caller {
        principal: Principal {
            role: Role::Admin,
            subject: "scheduler".to_owned(),
        },
        source_address: None,
    };
    Ok(match job {
        Job::SendReminders => format!("sent {}", app.refunds.send_reminders(&scheduler).await?),
        Job::SendNotices => format!(
            "sent {}",
            app.refunds.send_eligibility_notices(&scheduler).await?
        ),
        Job::MonthlyDataGrant => {
            let run = app
                .appreciation
                .run_monthly_grant(&scheduler, month)
                .await?;
            format!("granted {}, skipped {}", run.granted, run.skipped)
        }
    })
}
