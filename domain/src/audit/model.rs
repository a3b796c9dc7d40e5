//! What an audit entry records.

use chrono::{DateTime, Utc};

use crate::auth::{Caller, Role};
use crate::customer::CustomerId;

/// One action or read by a caller: who, when, what, whose data, over which channel,
/// from where. The detail never holds personal data in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_role: Role,
    pub actor: String,
    pub action: String,
    pub customer_id: Option<CustomerId>,
    pub channel: Option<String>,
    pub source_address: Option<String>,
    pub detail: String,
}

impl AuditEntry {
    /// An entry for `caller` doing `action` now.
    pub fn by(caller: &Caller, at: DateTime<Utc>, action: &str) -> Self {
        Self {
            at,
            actor_role: caller.principal.role,
            actor: caller.principal.subject.clone(),
            action: action.to_owned(),
            customer_id: None,
            channel: None,
            source_address: caller.source_address.clone(),
            detail: String::new(),
        }
    }

    #[must_use]
    pub fn about(mut self, customer: &CustomerId) -> Self {
        self.customer_id = Some(customer.clone());
        self
    }

    /// The channel the action came in over (an agent's call or store).
    #[must_use]
    pub fn over(mut self, channel: &str) -> Self {
        self.channel = Some(channel.to_owned());
        self
    }

    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// A stored entry with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAudit {
    pub sequence: i64,
    pub entry: AuditEntry,
}

/// A search of the audit log, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub limit: u64,
}

/// The outcome of checking the audit log's hash chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainCheck {
    /// Entries checked.
    pub entries: u64,
    /// The first entry whose hash or link does not match, or the first one missing
    /// after the last entry left, if any.
    pub first_broken: Option<i64>,
    /// The sequence of the newest entry, as the chain's head records it.
    pub head_sequence: i64,
    /// Entries up to the head are missing at the end (the newest were deleted).
    pub truncated: bool,
}
