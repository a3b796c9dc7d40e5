//! `benefits migrate`: applies the migrations (building the app does) and exits.

use std::process::ExitCode;

use crate::app::App;
use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    App::build(config).await?;
    println!("database is up to date");
    Ok(ExitCode::SUCCESS)
}
