//! The audit log over sea-orm: inserts only, never updates or deletes, each entry
//! chained to the one before by SHA-256 so any later change shows.

use async_trait::async_trait;
use chrono::SecondsFormat;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, TransactionTrait as _,
};
use sha2::{Digest as _, Sha256};

use benefits_domain::audit::{AuditEntry, AuditLog, AuditQuery, ChainCheck, RecordedAudit};
use benefits_domain::customer::CustomerId;
use benefits_domain::error::Unexpected;

use super::entities::{audit_chain_head, audit_log};
use super::unexpected;

/// The audit log over sea-orm. Appends go to the primary; searches and chain checks
/// are reports, read from `reads` (a read replica when one is configured).
#[derive(Clone)]
pub struct SeaAuditLog {
    db: DatabaseConnection,
    reads: DatabaseConnection,
}

impl SeaAuditLog {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            reads: db.clone(),
            db,
        }
    }

    /// Reads searches and chain checks from `reads`.
    #[must_use]
    pub fn reading_from(self, reads: DatabaseConnection) -> Self {
        Self { reads, ..self }
    }
}

#[async_trait]
impl AuditLog for SeaAuditLog {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn append(&self, entry: AuditEntry) -> Result<(), Unexpected> {
        let txn = self.db.begin().await.map_err(unexpected)?;
        // Take the head's row lock first: concurrent appends queue here, so the chain
        // never forks.
        audit_chain_head::Entity::update_many()
            .col_expr(
                audit_chain_head::Column::LastSequence,
                Expr::col(audit_chain_head::Column::LastSequence),
            )
            .filter(audit_chain_head::Column::Id.eq(HEAD))
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        let head = audit_chain_head::Entity::find_by_id(HEAD)
            .one(&txn)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("the audit chain has no head: run the migrations"))?;
        let hash = chain_hash(&head.hash, &entry);
        let row = audit_log::ActiveModel {
            sequence: NotSet,
            at: Set(entry.at),
            actor_role: Set(entry.actor_role.as_str().to_owned()),
            actor: Set(entry.actor),
            action: Set(entry.action),
            customer_id: Set(entry.customer_id.map(|id| id.0)),
            channel: Set(entry.channel),
            source_address: Set(entry.source_address),
            detail: Set(entry.detail),
            prev_hash: Set(Some(head.hash)),
            hash: Set(Some(hash.clone())),
        };
        let inserted = audit_log::Entity::insert(row)
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        audit_chain_head::Entity::update_many()
            .col_expr(
                audit_chain_head::Column::LastSequence,
                Expr::value(inserted.last_insert_id),
            )
            .col_expr(audit_chain_head::Column::Hash, Expr::value(hash))
            .filter(audit_chain_head::Column::Id.eq(HEAD))
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        txn.commit().await.map_err(unexpected)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn verify_chain(&self) -> Result<ChainCheck, Unexpected> {
        // The head first, then the entries up to it: an entry and its head update commit
        // together, so entries appended meanwhile are simply not checked yet, and the
        // last entry found must be the head's, with the head's hash.
        let head = audit_chain_head::Entity::find_by_id(HEAD)
            .one(&self.reads)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("the audit chain has no head: run the migrations"))?;
        let mut previous = vec![0_u8; 32];
        let mut entries = 0;
        let mut after = 0_i64;
        loop {
            let page = audit_log::Entity::find()
                .filter(audit_log::Column::Sequence.gt(after))
                .filter(audit_log::Column::Sequence.lte(head.last_sequence))
                .order_by_asc(audit_log::Column::Sequence)
                .limit(VERIFY_PAGE)
                .all(&self.reads)
                .await
                .map_err(unexpected)?;
            let Some(last) = page.last() else { break };
            after = last.sequence;
            for row in page {
                entries += 1;
                let sequence = row.sequence;
                let stored_prev = row.prev_hash.clone();
                let stored_hash = row.hash.clone();
                let recomputed = to_entry(row).map(|entry| chain_hash(&previous, &entry.entry))?;
                if stored_prev.as_deref() != Some(previous.as_slice())
                    || stored_hash.as_deref() != Some(recomputed.as_slice())
                {
                    return Ok(ChainCheck {
                        entries,
                        first_broken: Some(sequence),
                        head_sequence: head.last_sequence,
                        truncated: false,
                    });
                }
                previous = recomputed;
            }
        }
        // Deleting the newest entries leaves a chain that links up but ends before the
        // head; a newest entry replaced by another ends on a hash the head does not hold.
        let truncated = after < head.last_sequence;
        let first_broken = if truncated {
            Some(after + 1)
        } else {
            (previous != head.hash).then_some(after)
        };
        Ok(ChainCheck {
            entries,
            first_broken,
            head_sequence: head.last_sequence,
            truncated,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn search(&self, query: &AuditQuery) -> Result<Vec<RecordedAudit>, Unexpected> {
        let mut select = audit_log::Entity::find().order_by_desc(audit_log::Column::Sequence);
        if let Some(actor) = &query.actor {
            select = select.filter(audit_log::Column::Actor.eq(actor));
        }
        if let Some(action) = &query.action {
            select = select.filter(audit_log::Column::Action.eq(action));
        }
        if let Some(customer) = &query.customer_id {
            select = select.filter(audit_log::Column::CustomerId.eq(&customer.0));
        }
        let rows = select
            .limit(query.limit)
            .all(&self.reads)
            .await
            .map_err(unexpected)?;
        rows.into_iter().map(to_entry).collect()
    }
}

/// The chain's head row.
const HEAD: i32 = 1;
/// Entries read per page when verifying.
const VERIFY_PAGE: u64 = 1_000;

/// SHA-256 over the previous hash and the entry's fields, each field length-prefixed
/// so no two entries share an encoding.
fn chain_hash(previous: &[u8], entry: &AuditEntry) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    let at = entry.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let customer = entry.customer_id.as_ref().map_or("", |id| id.0.as_str());
    for field in [
        at.as_str(),
        entry.actor_role.as_str(),
        &entry.actor,
        &entry.action,
        customer,
        entry.channel.as_deref().unwrap_or(""),
        entry.source_address.as_deref().unwrap_or(""),
        &entry.detail,
    ] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.finalize().to_vec()
}

fn to_entry(row: audit_log::Model) -> Result<RecordedAudit, Unexpected> {
    let actor_role = row.actor_role.parse().map_err(Unexpected::new)?;
    Ok(RecordedAudit {
        sequence: row.sequence,
        entry: AuditEntry {
            at: row.at,
            actor_role,
            actor: row.actor,
            action: row.action,
            customer_id: row.customer_id.map(CustomerId),
            channel: row.channel,
            source_address: row.source_address,
            detail: row.detail,
        },
    })
}
