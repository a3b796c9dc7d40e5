//! The refund overview's lines by fee-waiver reason, kept instead of walked: each line's
//! reason is stored with the rules it was decided under, the import marks the customers
//! whose lines it changes as outdated (in its own transaction), and the overview decides
//! only those again before it reads the counts.

use async_trait::async_trait;

use crate::customer::{CustomerId, Line, LineId};
use crate::error::Unexpected;
use crate::fee_waiver::FeeWaiverReason;

/// Customers whose lines' reasons are out of date, with their lines as they are now.
#[derive(Debug, Clone, Default)]
pub struct OutdatedCustomers {
    /// Each customer with the mark it was read with: a customer marked again since (a
    /// later import) stays outdated whatever is recorded for this read.
    pub customers: Vec<(CustomerId, i64)>,
    /// Every line these customers own.
    pub lines: Vec<Line>,
}

/// One line's decided reason; `None` when its fee is waived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReason {
    pub line: LineId,
    pub customer: CustomerId,
    pub reason: Option<FeeWaiverReason>,
}

/// Where the reasons and their counts are kept.
#[async_trait]
pub trait EligibilityTally: Send + Sync {
    /// Starts the tally over (every customer outdated) when it was kept under other
    /// `rules` than these (see [`crate::fee_waiver::rules_fingerprint`]).
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn keep_under(&self, rules: &str) -> Result<(), Unexpected>;

    /// Up to `limit` outdated customers after `after`, in id order, with their lines.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn outdated(
        &self,
        after: Option<&CustomerId>,
        limit: u64,
    ) -> Result<OutdatedCustomers, Unexpected>;

    /// Replaces the reasons of the lines of `outdated`'s customers not marked again since
    /// they were read, and counts them, in one transaction; records nothing when the
    /// tally started over under other rules meanwhile.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn record(
        &self,
        rules: &str,
        outdated: &OutdatedCustomers,
        reasons: &[LineReason],
    ) -> Result<(), Unexpected>;

    /// Lines per reason (`None`: eligible), as recorded.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn counts(&self) -> Result<Vec<(Option<FeeWaiverReason>, u64)>, Unexpected>;
}
