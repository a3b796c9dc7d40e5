//! Scheduled jobs (reminders, notices, the monthly data grant) run from cron on any
//! number of replicas. Each run is claimed in the database for its slot (the KST day or
//! the month it is for), so when several replicas fire the same job at the same moment
//! exactly one runs it; a claim whose holder died is taken over once its lease expires.

pub mod model;
pub mod ports;

pub use model::{JobClaim, JobSlot, LEASE};
pub use ports::JobLedger;
