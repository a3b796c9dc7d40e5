//! `benefits import roaming FILE`: billing's roaming usage feed, JSON Lines, one object
//! per billing record: `{"recordId", "lineExternalId", "passName", "dataMb",
//! "activatedOn"}`. Streamed in batches (bounded memory); each record by the rules of
//! `recordRoamingPass`, the record id its idempotency key: a record sent again is a
//! no-op. Refused records are reported by line number; exit 2 when any was refused.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncReadExt as _, BufReader};

use benefits_domain::auth::Caller;
use benefits_domain::benefits::service::{BenefitError, RoamingFeedRecord, RoamingFeedTally};

use super::{MAX_LINE_BYTES, Rejection};
use crate::app::App;
use crate::commands::payouts::{cli_caller, hex};
use crate::config::Config;

/// Records judged and written per batch.
const FEED_BATCH: usize = 500;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FeedEntry {
    record_id: String,
    line_external_id: String,
    pass_name: String,
    data_mb: i64,
    activated_on: String,
}

fn refusal(error: &BenefitError) -> String {
    match error {
        BenefitError::NotFound(what) => format!("NOT_FOUND: no such {what}"),
        BenefitError::NotEligible(reason) => format!("NOT_ELIGIBLE: {}", reason.as_str()),
        BenefitError::WindowClosed => "WINDOW_CLOSED: outside the roaming period".to_owned(),
        BenefitError::BadInput(message) => format!("BAD_USER_INPUT: {message}"),
        other => format!("refused: {other}"),
    }
}

/// Records every line of `reader`; the tally and the file's SHA-256.
pub async fn import_feed(
    app: &App,
    caller: &Caller,
    mut reader: impl AsyncBufRead + Unpin,
    mut on_rejected: impl FnMut(Rejection),
) -> anyhow::Result<RoamingFeedTally> {
    let mut tally = RoamingFeedTally::default();
    let mut hash = Sha256::new();
    let mut batch: Vec<(u64, RoamingFeedRecord)> = Vec::with_capacity(FEED_BATCH);
    let mut buffer = Vec::new();
    let mut line_number = 0_u64;
    let mut reject = |tally: &mut RoamingFeedTally, line: u64, reason: String| {
        tally.refused += 1;
        on_rejected(Rejection { line, reason });
    };
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut buffer)
            .await?;
        if read > 0 {
            hash.update(&buffer);
            line_number += 1;
            if buffer.last() != Some(&b'\n') && read as u64 == MAX_LINE_BYTES {
                let mut rest = Vec::new();
                reader.read_until(b'\n', &mut rest).await?;
                hash.update(&rest);
                reject(
                    &mut tally,
                    line_number,
                    "line is longer than 1 MiB".to_owned(),
                );
            } else if let Ok(text) = std::str::from_utf8(&buffer) {
                let text = text.trim();
                if !text.is_empty() {
                    match serde_json::from_str::<FeedEntry>(text) {
                        Ok(entry) => batch.push((
                            line_number,
                            RoamingFeedRecord {
                                record_id: entry.record_id,
                                line_external_id: entry.line_external_id,
                                pass_name: entry.pass_name,
                                data_mb: entry.data_mb,
                                activated_on: entry.activated_on,
                            },
                        )),
                        Err(_) => reject(
                            &mut tally,
                            line_number,
                            "BAD_USER_INPUT: not a feed record (recordId, lineExternalId, passName, dataMb, activatedOn)".to_owned(),
                        ),
                    }
                }
            } else {
                reject(&mut tally, line_number, "is not UTF-8".to_owned());
            }
        }
        if batch.len() >= FEED_BATCH || (read == 0 && !batch.is_empty()) {
            let (lines, records): (Vec<u64>, Vec<RoamingFeedRecord>) =
                std::mem::take(&mut batch).into_iter().unzip();
            let outcomes = app.appreciation.record_roaming_feed(&records).await?;
            for (line, outcome) in lines.into_iter().zip(outcomes) {
                match outcome {
                    Ok(true) => tally.recorded += 1,
                    Ok(false) => tally.already_recorded += 1,
                    Err(BenefitError::Unexpected(cause)) => return Err(cause.into()),
                    Err(error) => reject(&mut tally, line, refusal(&error)),
                }
            }
        }
        if read == 0 {
            break;
        }
    }
    let sha = hex(&hash.finalize());
    app.appreciation
        .audit_roaming_feed(caller, &sha, &tally)
        .await?;
    Ok(tally)
}

pub async fn run(config: Config, path: &Path) -> anyhow::Result<ExitCode> {
    let file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("cannot open {}", path.display()))?;
    let app = App::build(config).await?;
    let tally = import_feed(
        &app,
        &cli_caller(),
        BufReader::with_capacity(256 * 1024, file),
        |rejection| eprintln!("line {}: {}", rejection.line, rejection.reason),
    )
    .await?;
    println!(
        "recorded {} roaming bonuses, already recorded {}, refused {}",
        tally.recorded, tally.already_recorded, tally.refused
    );
    Ok(if tally.refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
