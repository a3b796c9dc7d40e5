//! `benefits migrate`: applies the migrations and exits; on PostgreSQL under an
//! advisory lock, so a rolling deploy can run it from every replica safely.

use std::process::ExitCode;

use crate::app::App;
use crate::config::Config;

pub async fn run(mut config: Config) -> anyhow::Result<ExitCode> {
    config.migrate_on_start = true;
    App::build(config).await?;
    println!("database is up to date");
    Ok(ExitCode::SUCCESS)
}
