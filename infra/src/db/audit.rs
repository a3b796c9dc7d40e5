//! The audit log over sea-orm: inserts only, never updates or deletes.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _,
};

use benefits_domain::audit::{AuditEntry, AuditLog, AuditQuery, RecordedAudit};
use benefits_domain::customer::CustomerId;
use benefits_domain::error::Unexpected;

use super::entities::audit_log;
use super::unexpected;

/// The audit log over sea-orm.
#[derive(Clone)]
pub struct SeaAuditLog {
    db: DatabaseConnection,
}

impl SeaAuditLog {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl AuditLog for SeaAuditLog {
    async fn append(&self, entry: AuditEntry) -> Result<(), Unexpected> {
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
        };
        audit_log::Entity::insert(row)
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

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
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter()
            .map(|row| {
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
            })
            .collect()
    }
}
