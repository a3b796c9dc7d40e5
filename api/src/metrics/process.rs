//! The standard `process_*` metrics, read from `/proc/self` at scrape time (Linux; on
//! other systems they are left out).

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric as _};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;

/// Clock ticks per second of `/proc/<pid>/stat`'s times: 100 on every Linux the
/// service runs on (`getconf CLK_TCK`).
const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug)]
pub(super) struct ProcessCollector;

/// What `/proc/self` says of the process.
struct Reading {
    cpu_seconds: f64,
    start_time_seconds: f64,
    resident_bytes: i64,
    virtual_bytes: i64,
    threads: i64,
    open_fds: i64,
}

fn status_kilobytes(status: &str, field: &str) -> Option<i64> {
    let line = status.lines().find(|line| line.starts_with(field))?;
    line[field.len()..]
        .split_whitespace()
        .next()?
        .parse::<i64>()
        .ok()
        .map(|value| value * 1024)
}

fn read() -> Option<Reading> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index)?.parse::<f64>().ok();
    // stat(5) numbers fields from 1 with the pid; `fields[0]` is field 3 (state).
    let user = ticks(11)?;
    let system = ticks(12)?;
    let started_after_boot = ticks(19)?;
    let boot_time = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("btime "))?
        .trim()
        .parse::<f64>()
        .ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    Some(Reading {
        cpu_seconds: (user + system) / TICKS_PER_SECOND,
        start_time_seconds: boot_time + started_after_boot / TICKS_PER_SECOND,
        resident_bytes: status_kilobytes(&status, "VmRSS:")?,
        virtual_bytes: status_kilobytes(&status, "VmSize:")?,
        threads: status
            .lines()
            .find_map(|line| line.strip_prefix("Threads:"))?
            .trim()
            .parse()
            .ok()?,
        open_fds: std::fs::read_dir("/proc/self/fd").ok()?.count() as i64,
    })
}

fn gauge<T>(
    encoder: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    value: T,
) -> Result<(), std::fmt::Error>
where
    ConstGauge<T>: prometheus_client::encoding::EncodeMetric,
{
    ConstGauge::new(value).encode(encoder.encode_descriptor(name, help, None, MetricType::Gauge)?)
}

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let Some(reading) = read() else {
            return Ok(());
        };
        ConstCounter::new(reading.cpu_seconds).encode(encoder.encode_descriptor(
            "process_cpu_seconds",
            "User and system CPU time spent, in seconds",
            None,
            MetricType::Counter,
        )?)?;
        gauge(
            &mut encoder,
            "process_start_time_seconds",
            "Start time of the process since the Unix epoch, in seconds",
            reading.start_time_seconds,
        )?;
        gauge(
            &mut encoder,
            "process_resident_memory_bytes",
            "Resident memory size, in bytes",
            reading.resident_bytes,
        )?;
        gauge(
            &mut encoder,
            "process_virtual_memory_bytes",
            "Virtual memory size, in bytes",
            reading.virtual_bytes,
        )?;
        gauge(
            &mut encoder,
            "process_threads",
            "Operating system threads of the process",
            reading.threads,
        )?;
        gauge(
            &mut encoder,
            "process_open_fds",
            "Open file descriptors",
            reading.open_fds,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_self_reads_on_linux() {
        let reading = read().expect("/proc/self is readable on Linux");
        assert!(reading.resident_bytes > 0);
        assert!(reading.threads >= 1);
        assert!(reading.open_fds >= 3);
        assert!(reading.start_time_seconds > 1.6e9);
    }
}
