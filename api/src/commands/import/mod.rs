//! `benefits import FILE`: streams a JSON Lines file in bounded memory, writes it in
//! batches (each record all or nothing), reports bad records by line number and exits 2
//! when any was rejected.

mod format;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncReadExt as _, BufReader};

use benefits_domain::customer::CustomerRecord;
use benefits_domain::customer::service::RecordOutcome;

use crate::app::App;
use crate::config::Config;

pub use format::parse_line;

/// Records written per transaction.
const BATCH_SIZE: usize = 1_000;
/// The longest line read; a longer one is refused without being held in memory.
const MAX_LINE_BYTES: u64 = 1 << 20;

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: u64,
    pub rejected: u64,
}

/// A refused record: its line number (from 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

/// Records waiting to be written, with their line numbers. External ids seen in the
/// batch are tracked so a repeat starts a new batch (one statement must not touch a
/// row twice).
#[derive(Default)]
struct Batch {
    records: Vec<CustomerRecord>,
    line_numbers: Vec<u64>,
    ids: std::collections::HashSet<String>,
}

impl Batch {
    fn clashes_with(&self, record: &CustomerRecord) -> bool {
        self.ids
            .contains(&format!("c:{}", record.facts().external_id))
            || record
                .lines()
                .iter()
                .any(|line| self.ids.contains(&format!("l:{}", line.external_id)))
    }

    fn push(&mut self, line_number: u64, record: CustomerRecord) {
        self.ids.insert(format!("c:{}", record.facts().external_id));
        self.ids.extend(
            record
                .lines()
                .iter()
                .map(|line| format!("l:{}", line.external_id)),
        );
        self.line_numbers.push(line_number);
        self.records.push(record);
    }

    async fn flush(
        &mut self,
        app: &App,
        report: &mut ImportReport,
        on_rejected: &mut impl FnMut(Rejection),
    ) {
        let outcomes = app.customers.import(&self.records).await;
        for (line, outcome) in self.line_numbers.iter().zip(outcomes) {
            match outcome {
                RecordOutcome::Imported => report.imported += 1,
                RecordOutcome::Failed(cause) => {
                    tracing::error!(line, error = %cause, "record could not be stored");
                    report.rejected += 1;
                    on_rejected(Rejection {
                        line: *line,
                        reason: "could not be stored".to_owned(),
                    });
                }
            }
        }
        *self = Self::default();
    }
}

/// Imports every line of `reader`, calling `on_rejected` for each refused record.
pub async fn import_lines(
    app: &App,
    mut reader: impl AsyncBufRead + Unpin,
    mut on_rejected: impl FnMut(Rejection),
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut batch = Batch::default();
    let mut buffer = Vec::new();
    let mut line_number = 0_u64;
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut buffer)
            .await?;
        if read == 0 {
            break;
        }
        line_number += 1;
        if buffer.last() != Some(&b'\n') && read as u64 == MAX_LINE_BYTES {
            // Skip the rest of the overlong line.
            let mut rest = Vec::new();
            reader.read_until(b'\n', &mut rest).await?;
            report.rejected += 1;
            on_rejected(Rejection {
                line: line_number,
                reason: "line is longer than 1 MiB".to_owned(),
            });
            continue;
        }
        let Ok(text) = std::str::from_utf8(&buffer) else {
            report.rejected += 1;
            on_rejected(Rejection {
                line: line_number,
                reason: "is not UTF-8".to_owned(),
            });
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_line(text) {
            Ok(record) => {
                if batch.clashes_with(&record) {
                    batch.flush(app, &mut report, &mut on_rejected).await;
                }
                batch.push(line_number, record);
                if batch.records.len() >= BATCH_SIZE {
                    batch.flush(app, &mut report, &mut on_rejected).await;
                }
            }
            Err(invalid) => {
                report.rejected += 1;
                on_rejected(Rejection {
                    line: line_number,
                    reason: invalid.to_string(),
                });
            }
        }
    }
    batch.flush(app, &mut report, &mut on_rejected).await;
    Ok(report)
}

pub async fn run(config: Config, path: &Path) -> anyhow::Result<ExitCode> {
    let file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("cannot open {}", path.display()))?;
    let app = App::build(config).await?;
    let started = Instant::now();
    let report = import_lines(
        &app,
        BufReader::with_capacity(256 * 1024, file),
        |rejection| {
            eprintln!("line {}: {}", rejection.line, rejection.reason);
        },
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "imported {} customers, rejected {} ({:.1} s, {:.0} customers/s)",
        report.imported,
        report.rejected,
        seconds,
        report.imported as f64 / seconds.max(1e-9)
    );
    Ok(if report.rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
