//! `benefits seed --demo`: loads the demo data set and replays the program's history on
//! it up to the service's clock, so every page of the console has something to show.
//!
//! - `api/demo/customers.jsonl`: one customer per rule of program.md, in the order of the
//!   fee-waiver reason codes, then the appreciation program's exclusions (the tests load
//!   this file alone);
//! - `api/demo/program.jsonl`: the program in motion: customers of every age group,
//!   applicants of each payout round, a late applicant, users of the benefits;
//! - `api/demo/partners.json`: partners with their stores and offers;
//! - `history`: what those customers, agents and admins did, each step at its own moment
//!   of the program and only when that moment has come (see there).
//!
//! Everything is upserted or keyed, so running it again changes nothing.

mod catalog;
mod history;

use std::process::ExitCode;

use crate::app::App;
use crate::commands::import::{ImportReport, import_lines};
use crate::config::Config;

/// The demo customers of the rules, one JSON object per line.
pub const DEMO_CUSTOMERS: &str = include_str!("../../../demo/customers.jsonl");
/// The demo customers of the program in motion.
pub const PROGRAM_CUSTOMERS: &str = include_str!("../../../demo/program.jsonl");

/// Imports one demo file; a rejected record means the data set itself is broken.
async fn import(app: &App, name: &str, jsonl: &str) -> anyhow::Result<ImportReport> {
    let mut failures = Vec::new();
    let report = import_lines(app, jsonl.as_bytes(), |rejection| {
        failures.push(rejection);
    })
    .await?;
    if let Some(first) = failures.first() {
        anyhow::bail!(
            "the demo data set is broken at {name} line {}: {}",
            first.line,
            first.reason
        );
    }
    Ok(report)
}

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    let app = App::build(config.clone()).await?;
    let rules = import(&app, "customers.jsonl", DEMO_CUSTOMERS).await?;
    let program = import(&app, "program.jsonl", PROGRAM_CUSTOMERS).await?;
    let partners = catalog::load(&app).await?;
    println!(
        "demo data set loaded: {} customers, {partners} partners",
        rules.imported + program.imported
    );
    let done = history::replay(&config, app.clock.now()).await?;
    println!(
        "demo history replayed up to {}: {}",
        app.clock.now().to_rfc3339(),
        if done.is_empty() {
            "nothing yet".to_owned()
        } else {
            done.join("; ")
        }
    );
    Ok(ExitCode::SUCCESS)
}
