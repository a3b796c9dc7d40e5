//! The inbox and the SMS outbox over sea-orm. A notification and its SMS are written in
//! one transaction, at most once per deduplication key.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, TransactionTrait as _,
};

use benefits_domain::customer::{CustomerId, LineId};
use benefits_domain::error::Unexpected;
use benefits_domain::notification::{NewNotification, Notification, NotificationKind, Notifier};

use super::entities::{notifications, sms_outbox};
use super::unexpected;

/// Rows per `IN (...)` list.
const IDS_PER_QUERY: usize = 1_000;

/// The notifier over sea-orm.
#[derive(Clone)]
pub struct SeaNotifier {
    db: DatabaseConnection,
}

impl SeaNotifier {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl Notifier for SeaNotifier {
    async fn send(
        &self,
        notification: NewNotification,
        at: DateTime<Utc>,
    ) -> Result<bool, Unexpected> {
        let id = uuid::Uuid::new_v4().to_string();
        let txn = self.db.begin().await.map_err(unexpected)?;
        let inserted = notifications::Entity::insert(notifications::ActiveModel {
            id: Set(id.clone()),
            customer_id: Set(notification.customer_id.0.clone()),
            line_id: Set(notification.line_id.map(|line| line.0)),
            kind: Set(notification.kind.as_str().to_owned()),
            dedupe_key: Set(notification.dedupe_key),
            sent_at: Set(at),
        })
        .on_conflict(
            OnConflict::column(notifications::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;
        if inserted == 0 {
            return Ok(false);
        }
        sms_outbox::Entity::insert(sms_outbox::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            notification_id: Set(id),
            customer_id: Set(notification.customer_id.0.clone()),
            body: Set(notification.kind.sms_text().to_owned()),
            created_at: Set(at),
            delivered_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;
        txn.commit().await.map_err(unexpected)?;
        tracing::info!(kind = notification.kind.as_str(), customer = %notification.customer_id.0, "SMS queued");
        Ok(true)
    }

    async fn inbox(&self, customer: &CustomerId) -> Result<Vec<Notification>, Unexpected> {
        let rows = notifications::Entity::find()
            .filter(notifications::Column::CustomerId.eq(&customer.0))
            .order_by_desc(notifications::Column::SentAt)
            .order_by_desc(notifications::Column::Id)
            .limit(200)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter()
            .map(|row| {
                Ok(Notification {
                    kind: row.kind.parse().map_err(Unexpected::new)?,
                    line_id: row.line_id.map(LineId),
                    sent_at: row.sent_at,
                })
            })
            .collect()
    }

    async fn counts_for_lines(
        &self,
        lines: &[LineId],
        kind: NotificationKind,
    ) -> Result<HashMap<LineId, u32>, Unexpected> {
        let mut counts = HashMap::new();
        for chunk in lines.chunks(IDS_PER_QUERY) {
            let rows: Vec<(Option<String>, i64)> = notifications::Entity::find()
                .select_only()
                .column(notifications::Column::LineId)
                .column_as(
                    Expr::from(Func::count(Expr::col(notifications::Column::Id))),
                    "count",
                )
                .filter(notifications::Column::Kind.eq(kind.as_str()))
                .filter(
                    notifications::Column::LineId.is_in(chunk.iter().map(|line| line.0.clone())),
                )
                .group_by(notifications::Column::LineId)
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            for (line, count) in rows {
                if let Some(line) = line {
                    counts.insert(LineId(line), u32::try_from(count).unwrap_or(u32::MAX));
                }
            }
        }
        Ok(counts)
    }
}
