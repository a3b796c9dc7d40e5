//! `benefits job NAME`: runs a scheduled job once, as the `scheduler` admin. Jobs are
//! resumable: a run that stops halfway is finished by the next one, which sends
//! nothing twice.

use std::process::ExitCode;
use std::time::Instant;

use benefits_domain::auth::{Caller, Principal, Role};

use crate::app::App;
use crate::config::Config;

/// The jobs a scheduler can run.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Job {
    /// One refund reminder to every eligible line without an application (at most three each).
    SendReminders,
    /// The eligibility notice, once, to every eligible line without an application.
    SendNotices,
}

pub async fn run(config: Config, job: Job) -> anyhow::Result<ExitCode> {
    let app = App::build(config).await?;
    let scheduler = Caller {
        principal: Principal {
            role: Role::Admin,
            subject: "scheduler".to_owned(),
        },
        source_address: None,
    };
    let started = Instant::now();
    let sent = match job {
        Job::SendReminders => app.refunds.send_reminders(&scheduler).await?,
        Job::SendNotices => app.refunds.send_eligibility_notices(&scheduler).await?,
    };
    println!(
        "{job:?}: sent {sent} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
