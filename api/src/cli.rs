//! The command line: `benefits [serve|migrate|import|payouts|seed|token|schema]`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use benefits_domain::auth::Role;

use crate::commands;
use crate::config::{Config, Settings};
use crate::telemetry;

/// The customer-benefits service of the breach-response program.
#[derive(Parser)]
#[command(name = "benefits", version)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do (default: serve).
#[derive(Subcommand)]
pub enum Command {
    /// Serve HTTP (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Import customers and lines from a JSON Lines file, upserting by external id
    /// (`import FILE`), or a feed from billing (`import roaming FILE`).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Import {
        #[command(subcommand)]
        feed: Option<ImportFeed>,
        /// The JSON Lines file of customers.
        #[arg(required = true)]
        file: Option<PathBuf>,
    },
    /// Payout rounds: record the bank's results file.
    Payouts {
        #[command(subcommand)]
        action: PayoutsAction,
    },
    /// Load data sets.
    Seed {
        /// The demo data set that exercises every rule of the program.
        #[arg(long, required = true)]
        demo: bool,
    },
    /// Print a signed token for local use.
    Token {
        /// CUSTOMER, PARTNER_STORE, AGENT or ADMIN.
        #[arg(long)]
        role: Role,
        /// The customer's external id (CUSTOMER tokens).
        #[arg(long)]
        customer: Option<String>,
        /// The store's external id (PARTNER_STORE tokens).
        #[arg(long)]
        store: Option<String>,
        /// The staff member (AGENT and ADMIN tokens; default `dev-agent` / `dev-admin`).
        #[arg(long)]
        subject: Option<String>,
        /// Lifetime like `30s`, `15m`, `1h` or `2d`.
        #[arg(long, default_value = "1h")]
        ttl: String,
    },
    /// Print the GraphQL SDL.
    Schema,
    /// Check the audit log's hash chain (exit 1 when an entry was tampered with).
    AuditVerify,
    /// Run a scheduled job once (for cron or a Kubernetes CronJob).
    Job {
        #[arg(value_enum)]
        job: commands::job::Job,
        /// The month of `monthly-data-grant`, like 2026-02.
        #[arg(long)]
        month: Option<String>,
    },
}

/// The feeds `import` takes besides customers.
#[derive(Subcommand)]
pub enum ImportFeed {
    /// Billing's roaming usage feed (JSON Lines): one roaming bonus per billing record.
    Roaming {
        /// The JSON Lines file.
        file: PathBuf,
    },
}

/// What `payouts` does.
#[derive(Subcommand)]
pub enum PayoutsAction {
    /// Record the bank's results file (CSV `application_id,result,amount,reason`) in one
    /// idempotent run (exit 2 when any row was refused).
    Record {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::resolve(cli.settings) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("benefits: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("benefits: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let telemetry = {
        let _inside = runtime.enter();
        telemetry::init(config.json_logs)
    };
    let outcome = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => commands::serve::run(config).await,
            Command::Migrate => commands::migrate::run(config).await,
            Command::Import {
                feed: Some(ImportFeed::Roaming { file }),
                ..
            } => commands::import::roaming::run(config, &file).await,
            Command::Import { file, .. } => {
                commands::import::run(config, &file.unwrap_or_default()).await
            }
            Command::Payouts {
                action: PayoutsAction::Record { file },
            } => commands::payouts::record(config, &file).await,
            Command::Seed { .. } => commands::seed::run(config).await,
            Command::Token {
                role,
                customer,
                store,
                subject,
                ttl,
            } => commands::token::run(config, role, customer, store, subject, &ttl).await,
            Command::AuditVerify => commands::audit::verify(config).await,
            Command::Job { job, month } => commands::job::run(config, job, month).await,
            Command::Schema => {
                print!("{}", crate::graphql::sdl());
                Ok(ExitCode::SUCCESS)
            }
        }
    });
    telemetry.shutdown();
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("benefits: {error:#}");
            ExitCode::FAILURE
        }
    }
}
