//! The results table, in the Markdown of docs/performance.md.

use std::fmt::Write as _;

use crate::load::Outcome;

/// One scenario's figures.
pub struct Row {
    pub scenario: String,
    pub closed: Outcome,
    /// The run at half the closed loop's throughput.
    pub half_load: Outcome,
    pub peak_rss_mib: f64,
}

/// One figure of a job: what it did, in how long, and its peak memory.
pub struct JobRow {
    pub scenario: String,
    pub figure: String,
    pub peak_rss_mib: f64,
}

/// `throughput` as a multiple of the floor; a dash when the floor was not measured
/// (`--only`).
fn times_floor(throughput: f64, floor: f64) -> String {
    if floor > 0.0 {
        format!("{:.2}", throughput / floor)
    } else {
        "—".to_owned()
    }
}

pub fn table(floor: f64, rows: &[Row], jobs: &[JobRow]) -> String {
    let mut out = String::new();
    out.push_str("| scenario | throughput (req/s) | × floor | rate at half load | p50 ms | p99 ms | p99.9 ms | errors | peak RSS MiB |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for row in rows {
        // A report slower than a second has no run at half load: its latencies are the
        // closed loop's.
        let latencies = if row.half_load.requests > 0 {
            &row.half_load
        } else {
            &row.closed
        };
        let _ = writeln!(
            out,
            "| {} | {:.0} | {} | {:.0}/s | {:.2} | {:.2} | {:.2} | {} | {:.0} |",
            row.scenario,
            row.closed.throughput(),
            times_floor(row.closed.throughput(), floor),
            row.half_load.throughput(),
            latencies.percentile_ms(0.50),
            latencies.percentile_ms(0.99),
            latencies.percentile_ms(0.999),
            row.closed.errors + row.half_load.errors,
            row.peak_rss_mib,
        );
    }
    if !jobs.is_empty() {
        out.push_str("\n| job | result | peak RSS MiB |\n| --- | --- | ---: |\n");
        for job in jobs {
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} |",
                job.scenario, job.figure, job.peak_rss_mib
            );
        }
    }
    out
}
