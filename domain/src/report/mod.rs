//! Reports for the admins' dashboard: aggregates over the program's records, counted
//! by the store (never by walking rows in the service).

pub mod model;
pub mod ports;

pub use model::{GrantMonth, RedemptionDay};
pub use ports::ReportRepository;
