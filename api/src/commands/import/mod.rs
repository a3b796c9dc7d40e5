//! `benefits import FILE`: streams a JSON Lines file in bounded memory, writes it in
//! batches (each record all or nothing), reports bad records by line number and exits 2
//! when any was rejected.

mod format;
pub mod roaming;

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
use tokio::task::JoinSet;

use benefits_domain::customer::CustomerRecord;
use benefits_domain::customer::service::RecordOutcome;

use crate::app::App;
use crate::config::Config;

pub use format::parse_line;

/// Records written per transaction.
const BATCH_SIZE: usize = 1_000;
/// The longest line read; a longer one is refused without being held in memory.
pub(crate) const MAX_LINE_BYTES: u64 = 1 << 20;

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

/// Batches written at once, each in its own transaction on its own connection.
const BATCHES_IN_FLIGHT: usize = 3;

/// The records of one batch, with their line numbers and the external ids they write.
#[derive(Default)]
struct Batch {
    records: Vec<CustomerRecord>,
    line_numbers: Vec<u64>,
    ids: Vec<String>,
}

/// What a written batch reports: its line numbers, each record's outcome, its ids.
type Written = (Vec<u64>, Vec<RecordOutcome>, Vec<String>);

/// Writes batches concurrently. A record whose customer or line external id is already
/// in a batch being written waits until those are done, so the last record of a file
/// for an external id is the one that stays. Only the ids of the batches in flight are
/// remembered, so memory stays bounded whatever the file's size.
struct Writer<'a, F> {
    app: &'a App,
    on_rejected: F,
    report: ImportReport,
    filling: Batch,
    ids: HashSet<String>,
    in_flight: JoinSet<Written>,
}

fn record_ids(record: &CustomerRecord) -> impl Iterator<Item = String> + '_ {
    std::iter::once(format!("c:{}", record.facts().external_id)).chain(
        record
            .lines()
            .iter()
            .map(|line| format!("l:{}", line.external_id)),
    )
}

impl<'a, F: FnMut(Rejection)> Writer<'a, F> {
    fn new(app: &'a App, on_rejected: F) -> Self {
        Self {
            app,
            on_rejected,
            report: ImportReport::default(),
            filling: Batch::default(),
            ids: HashSet::new(),
            in_flight: JoinSet::new(),
        }
    }

    fn reject(&mut self, line: u64, reason: String) {
        self.report.rejected += 1;
        (self.on_rejected)(Rejection { line, reason });
    }

    async fn push(&mut self, line_number: u64, record: CustomerRecord) -> anyhow::Result<()> {
        if record_ids(&record).any(|id| self.ids.contains(&id)) {
            self.dispatch().await?;
            self.drain().await?;
        }
        for id in record_ids(&record) {
            self.ids.insert(id.clone());
            self.filling.ids.push(id);
        }
        self.filling.line_numbers.push(line_number);
        self.filling.records.push(record);
        if self.filling.records.len() >= BATCH_SIZE {
            self.dispatch().await?;
        }
        Ok(())
    }

    /// Starts writing the batch being filled, waiting for a free slot first.
    async fn dispatch(&mut self) -> anyhow::Result<()> {
        if self.filling.records.is_empty() {
            return Ok(());
        }
        while self.in_flight.len() >= BATCHES_IN_FLIGHT {
            self.collect_one().await?;
        }
        let batch = std::mem::take(&mut self.filling);
        let customers = self.app.customers.clone();
        self.in_flight.spawn(async move {
            let outcomes = customers.import(&batch.records).await;
            (batch.line_numbers, outcomes, batch.ids)
        });
        Ok(())
    }

    async fn collect_one(&mut self) -> anyhow::Result<()> {
        let Some(joined) = self.in_flight.join_next().await else {
            return Ok(());
        };
        let (line_numbers, outcomes, ids) = joined?;
        for id in &ids {
            self.ids.remove(id);
        }
        for (line, outcome) in line_numbers.into_iter().zip(outcomes) {
            match outcome {
                RecordOutcome::Imported => self.report.imported += 1,
                RecordOutcome::Failed(cause) => {
                    tracing::error!(line, error = %cause, "record could not be stored");
                    self.reject(line, "could not be stored".to_owned());
                }
            }
        }
        Ok(())
    }

    /// Waits for every batch in flight.
    async fn drain(&mut self) -> anyhow::Result<()> {
        while !self.in_flight.is_empty() {
            self.collect_one().await?;
        }
        Ok(())
    }

    async fn finish(mut self) -> anyhow::Result<ImportReport> {
        self.dispatch().await?;
        self.drain().await?;
        Ok(self.report)
    }
}

/// Imports every line of `reader`, calling `on_rejected` for each refused record.
pub async fn import_lines(
    app: &App,
    mut reader: impl AsyncBufRead + Unpin,
    on_rejected: impl FnMut(Rejection),
) -> anyhow::Result<ImportReport> {
    let mut writer = Writer::new(app, on_rejected);
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
            writer.reject(line_number, "line is longer than 1 MiB".to_owned());
            continue;
        }
        let Ok(text) = std::str::from_utf8(&buffer) else {
            writer.reject(line_number, "is not UTF-8".to_owned());
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_line(text) {
            Ok(record) => writer.push(line_number, record).await?,
            Err(invalid) => writer.reject(line_number, invalid.to_string()),
        }
    }
    writer.finish().await
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
