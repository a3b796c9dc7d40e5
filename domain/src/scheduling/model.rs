//! A job's slot and the outcome of claiming it.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How long a claim lasts without being finished before another replica may take the
/// slot over (its holder is then presumed dead). Longer than any job takes.
pub const LEASE: Duration = Duration::from_hours(1);

/// One run of one job: `job` for `slot` (`2026-02-10` for a daily job, `2026-02` for
/// the monthly grant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSlot {
    pub job: String,
    pub slot: String,
}

/// What claiming a slot found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobClaim {
    /// The caller holds the slot and runs the job.
    Claimed,
    /// Another run holds the slot (still running, or finished at `finished_at`).
    Taken {
        holder: String,
        finished_at: Option<DateTime<Utc>>,
    },
}
