//! Where job runs are claimed and recorded.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{JobClaim, JobSlot};
use crate::error::Unexpected;

/// The ledger of job runs, one row per job and slot.
#[async_trait]
pub trait JobLedger: Send + Sync {
    /// Claims `slot` for `holder` at `now`, unless another holder claimed it first and
    /// either finished or started after `stale_before`. Atomic: of several replicas
    /// claiming the same slot at once, exactly one gets [`JobClaim::Claimed`].
    async fn claim(
        &self,
        slot: &JobSlot,
        holder: &str,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<JobClaim, Unexpected>;

    /// Gives up `holder`'s unfinished claim of `slot` (its run failed), so that a retry
    /// may run at once.
    async fn release(&self, slot: &JobSlot, holder: &str) -> Result<(), Unexpected>;

    /// Records that `holder` finished `slot` at `now` with `outcome`.
    async fn finish(
        &self,
        slot: &JobSlot,
        holder: &str,
        now: DateTime<Utc>,
        outcome: &str,
    ) -> Result<(), Unexpected>;
}
