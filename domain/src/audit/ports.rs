//! Where audit entries are kept: append only.

use async_trait::async_trait;

use super::{AuditEntry, AuditQuery, ChainCheck, RecordedAudit};
use crate::error::Unexpected;

/// The append-only audit log.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends an entry.
    ///
    /// # Errors
    /// When the entry cannot be stored the action it describes must not be shown
    /// to the caller: an unaudited staff read of personal data does not happen.
    async fn append(&self, entry: AuditEntry) -> Result<(), Unexpected>;

    /// Searches the log, newest first.
    async fn search(&self, query: &AuditQuery) -> Result<Vec<RecordedAudit>, Unexpected>;

    /// Recomputes the hash chain from the first entry to the last.
    async fn verify_chain(&self) -> Result<ChainCheck, Unexpected>;
}
