//! The clock port: the one source of "now" for business dates, code lifetimes and tokens.

use chrono::{DateTime, NaiveDate, Utc};

use crate::kst;

/// Tells the time. Adapters: the system clock, and a fixed clock for demos and tests.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Korea Standard Time.
    fn today(&self) -> NaiveDate {
        kst::date_of(self.now())
    }
}
