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
    /// The monthly data of `--month` (default: the service clock's month).
    MonthlyDataGrant,
}

pub async fn run(config: Config, job: Job, month: Option<String>) -> anyhow::Result<ExitCode> {
    let app = App::build(config).await?;
    let scheduler = Caller {
        principal: Principal {
            role: Role::Admin,
            subject: "scheduler".to_owned(),
        },
        source_address: None,
    };
    let started = Instant::now();
    let outcome = match job {
        Job::SendReminders => format!("sent {}", app.refunds.send_reminders(&scheduler).await?),
        Job::SendNotices => format!(
            "sent {}",
            app.refunds.send_eligibility_notices(&scheduler).await?
        ),
        Job::MonthlyDataGrant => {
            let month = month.unwrap_or_else(|| app.clock.today().format("%Y-%m").to_string());
            let run = app
                .appreciation
                .run_monthly_grant(&scheduler, &month)
                .await?;
            format!("{month}: granted {}, skipped {}", run.granted, run.skipped)
        }
    };
    println!(
        "{job:?}: {outcome} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
