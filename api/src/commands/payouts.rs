//! `benefits payouts record FILE`: the bank's payout results file recorded in one
//! idempotent run (format in `benefits_domain::refund::results`). A file that does not
//! parse records nothing; refused rows are reported one per line; exit 2 when any row
//! was refused.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use benefits_domain::auth::{Caller, Principal, Role};
use benefits_domain::refund::results::{self, RowOutcome};

use crate::app::App;
use crate::config::Config;

/// The largest results file read (about a million rows).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The hex SHA-256 of a file's bytes, for the audit log.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    digest.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The staff member a command line run is audited as: `cli:$USER`.
pub fn cli_caller() -> Caller {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned());
    Caller {
        principal: Principal {
            role: Role::Admin,
            subject: format!("cli:{user}"),
        },
        source_address: None,
    }
}

pub async fn record(config: Config, path: &Path) -> anyhow::Result<ExitCode> {
    let size = tokio::fs::metadata(path)
        .await
        .with_context(|| format!("cannot open {}", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        anyhow::bail!("{} is larger than 64 MiB", path.display());
    }
    let bytes = tokio::fs::read(path)
        .await
        .with_context(|| format!("cannot read {}", path.display()))?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        eprintln!("the file is not UTF-8: nothing recorded");
        return Ok(ExitCode::from(2));
    };
    let rows = match results::parse(text) {
        Ok(rows) => rows,
        Err(error) => {
            eprintln!("{error}: nothing recorded");
            return Ok(ExitCode::from(2));
        }
    };
    let app = App::build(config).await?;
    let run = app
        .refunds
        .record_results(&cli_caller(), rows, &sha256_hex(&bytes))
        .await?;
    for (row, outcome) in &run.rows {
        match outcome {
            RowOutcome::Refused(refusal) => eprintln!(
                "line {}: {}: refused: {refusal}",
                row.line, row.application_id.0
            ),
            RowOutcome::AlreadyRecorded => eprintln!(
                "line {}: {}: already recorded",
                row.line, row.application_id.0
            ),
            RowOutcome::Recorded => {}
        }
    }
    println!(
        "recorded {}, already recorded {}, refused {}",
        run.recorded, run.already_recorded, run.refused
    );
    Ok(if run.refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
