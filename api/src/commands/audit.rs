//! `benefits audit-verify`: recomputes the audit log's hash chain.

use std::process::ExitCode;

use crate::app::App;
use crate::config::Config;

pub async fn verify(config: Config) -> anyhow::Result<ExitCode> {
    let app = App::build(config).await?;
    let check = app.audit.verify_chain().await?;
    match check.first_broken {
        None => {
            println!("audit chain intact: {} entries", check.entries);
            Ok(ExitCode::SUCCESS)
        }
        Some(sequence) if check.truncated => {
            println!(
                "audit chain TRUNCATED: entries {sequence} to {} are missing ({} entries checked)",
                check.head_sequence, check.entries
            );
            Ok(ExitCode::FAILURE)
        }
        Some(sequence) => {
            println!(
                "audit chain BROKEN at entry {sequence} ({} entries checked)",
                check.entries
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
