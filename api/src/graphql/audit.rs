//! `auditEntries`: the admins' search of the audit log.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use benefits_domain::audit::{AuditQuery as Search, RecordedAudit};
use benefits_domain::auth::Role;
use benefits_domain::customer::CustomerId;

use super::ApiError;
use super::context::parts;
use super::cost;
use super::guard::RoleGuard;

/// The most entries one search returns.
const MAX_ENTRIES: i32 = 500;

/// Queries over the audit log.
#[derive(Default)]
pub struct AuditQuery;

/// What to search the audit log for; every filter optional.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub customer_id: Option<ID>,
}

/// One audited action or read.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub sequence: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_role: String,
    pub actor: String,
    pub action: String,
    pub customer_id: Option<ID>,
    pub channel: Option<String>,
    pub source_address: Option<String>,
    pub detail: String,
}

impl From<RecordedAudit> for AuditEntry {
    fn from(recorded: RecordedAudit) -> Self {
        let entry = recorded.entry;
        Self {
            sequence: recorded.sequence,
            at: entry.at.to_rfc3339(),
            actor_role: entry.actor_role.as_str().to_owned(),
            actor: entry.actor,
            action: entry.action,
            customer_id: entry.customer_id.map(|id| ID(id.0)),
            channel: entry.channel,
            source_address: entry.source_address,
            detail: entry.detail,
        }
    }
}

/// The result of recomputing the audit log's hash chain.
#[derive(SimpleObject)]
pub struct AuditChain {
    pub entries: i64,
    pub valid: bool,
    /// The sequence of the first entry that was changed, removed or inserted (when the
    /// newest entries were deleted: the first one missing).
    pub first_broken: Option<i64>,
    /// The sequence of the newest entry, as the chain's head records it.
    pub head_sequence: i64,
    /// Whether the newest entries, up to the head, are missing.
    pub truncated: bool,
}

#[Object]
impl AuditQuery {
    /// Recomputes the audit log's hash chain up to its head: any change to a past entry,
    /// and any deletion of the newest ones, shows.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn audit_chain(&self, ctx: &Context<'_>) -> async_graphql::Result<AuditChain> {
        let (app, _) = parts(ctx)?;
        let check = app.audit.verify_chain().await.map_err(ApiError::internal)?;
        Ok(AuditChain {
            entries: i64::try_from(check.entries).unwrap_or(i64::MAX),
            valid: check.first_broken.is_none(),
            first_broken: check.first_broken,
            head_sequence: check.head_sequence,
            truncated: check.truncated,
        })
    }

    /// Audit entries, newest first (at most 500).
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::first(first, child_complexity)"
    )]
    async fn audit_entries(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: AuditFilter,
        #[graphql(default = 50)] first: i32,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        if !(1..=MAX_ENTRIES).contains(&first) {
            return Err(ApiError::bad_input(format!("first must be 1 to {MAX_ENTRIES}")).into());
        }
        let (app, _) = parts(ctx)?;
        let search = Search {
            actor: filter.actor,
            action: filter.action,
            customer_id: filter.customer_id.map(|id| CustomerId(id.0)),
            limit: u64::try_from(first).unwrap_or(50),
        };
        let entries = app
            .audit
            .search(&search)
            .await
            .map_err(ApiError::internal)?;
        Ok(entries.into_iter().map(AuditEntry::from).collect())
    }
}
