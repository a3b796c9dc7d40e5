//! What the dashboard's reports count.

use chrono::NaiveDate;

use crate::partner::PartnerCategory;

/// The standing redemptions of one partner category on one KST day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionDay {
    pub day: NaiveDate,
    pub category: PartnerCategory,
    pub count: u64,
    /// KRW of discounts granted.
    pub total_discount: i64,
}

/// The monthly data granted for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Lines granted that month.
    pub lines: u64,
    pub gigabytes: i64,
}
