//! `benefits seed --demo`: loads the demo data set (api/demo/customers.jsonl) through
//! the import path. Upserts by external id, so running it again changes nothing.
//!
//! Each customer illustrates a rule of program.md; the file's order follows the
//! fee-waiver reason codes, then the appreciation program's exclusions.

use std::process::ExitCode;

use crate::app::App;
use crate::commands::import::import_lines;
use crate::config::Config;

/// The demo customers, one JSON object per line.
pub const DEMO_CUSTOMERS: &str = include_str!("../../demo/customers.jsonl");

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    let app = App::build(config).await?;
    let mut failures = Vec::new();
    let report = import_lines(&app, DEMO_CUSTOMERS.as_bytes(), |rejection| {
        failures.push(rejection);
    })
    .await?;
    if let Some(first) = failures.first() {
        anyhow::bail!(
            "the demo data set is broken at line {}: {}",
            first.line,
            first.reason
        );
    }
    println!("demo data set loaded: {} customers", report.imported);
    Ok(ExitCode::SUCCESS)
}
