//! Where the dashboard's aggregates come from.

use async_trait::async_trait;

use super::{GrantMonth, RedemptionDay};
use crate::campaign::PeriodOfDays;
use crate::error::Unexpected;

/// Aggregates over the program's records, each one set-based query.
#[async_trait]
pub trait ReportRepository: Send + Sync {
    /// Standing (not cancelled) redemptions per KST day and partner category inside
    /// `period`, ordered by day then category.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn redemptions_by_day(
        &self,
        period: PeriodOfDays,
    ) -> Result<Vec<RedemptionDay>, Unexpected>;

    /// Lines and gigabytes granted per month, ordered by month.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn grants_by_month(&self) -> Result<Vec<GrantMonth>, Unexpected>;
}
