//! The audit trail: every staff action and every staff read of personal data.

pub mod model;
pub mod ports;

pub use model::{AuditEntry, AuditQuery, ChainCheck, RecordedAudit};
pub use ports::AuditLog;
