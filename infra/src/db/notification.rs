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
use benefits_domain::notification::{
    NewNotification, Notification, NotificationKind, Notifier, SmsReference,
};

use super::entities::notifications;
use super::events::{self, NewEvent, types};
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
    #[tracing::instrument(level = "debug", skip_all)]
    async fn send_many(
        &self,
        notifications: Vec<NewNotification>,
        at: DateTime<Utc>,
    ) -> Result<u32, Unexpected> {
        if notifications.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = notifications
            .iter()
            .map(|_| uuid::Uuid::new_v4().to_string())
            .collect();
        let rows: Vec<_> = notifications
            .iter()
            .zip(&ids)
            .map(|(notification, id)| notifications::ActiveModel {
                id: Set(id.clone()),
                customer_id: Set(notification.customer_id.0.clone()),
                line_id: Set(notification.line_id.as_ref().map(|line| line.0.clone())),
                kind: Set(notification.kind.as_str().to_owned()),
                dedupe_key: Set(notification.dedupe_key.clone()),
                sent_at: Set(at),
                sms_reference: Set(Some(notification.sms().reference.as_str().to_owned())),
                sms_text: Set(Some(notification.sms().text.clone())),
                language: Set(Some(notification.sms().language.as_str().to_owned())),
                text: Set(Some(notification.text.clone())),
            })
            .collect();
        let by_id: HashMap<&String, &NewNotification> = ids.iter().zip(&notifications).collect();
        let txn = self.db.begin().await.map_err(unexpected)?;
        // Only the rows this transaction inserted come back; a key sent before, or by a
        // concurrent run, is skipped and gets no SMS.
        let mut inserted = Vec::new();
        for chunk in rows.chunks(IDS_PER_QUERY) {
            match notifications::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::column(notifications::Column::DedupeKey)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_with_returning_keys(&txn)
                .await
            {
                Ok(keys) => inserted.extend(keys),
                Err(sea_orm::DbErr::RecordNotInserted) => {}
                Err(error) => return Err(unexpected(error)),
            }
        }
        let outbox: Vec<_> = inserted
            .iter()
            .filter_map(|id| by_id.get(id).map(|notification| (id, notification)))
            .map(|(_, notification)| {
                let sms = notification.sms();
                NewEvent::for_customer(
                    types::SMS_REQUESTED,
                    &notification.customer_id.0,
                    notification.line_id.as_ref().map(|line| line.0.as_str()),
                    serde_json::json!({
                        "kind": notification.kind.as_str(),
                        "language": sms.language.as_str(),
                        "text": sms.text,
                    }),
                )
            })
            .collect();
        events::write(&txn, outbox, at).await?;
        txn.commit().await.map_err(unexpected)?;
        if !inserted.is_empty() {
            tracing::info!(sent = inserted.len(), "notifications sent, SMS queued");
        }
        Ok(u32::try_from(inserted.len()).unwrap_or(u32::MAX))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn inbox(&self, customer: &CustomerId) -> Result<Vec<Notification>, Unexpected> {
        let rows = notifications::Entity::find()
            .filter(notifications::Column::CustomerId.eq(&customer.0))
            .order_by_desc(notifications::Column::SentAt)
            .order_by_desc(notifications::Column::Id)
            .limit(200)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter().map(to_notification).collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn with_reference(
        &self,
        customer: &CustomerId,
        reference: &SmsReference,
    ) -> Result<Vec<Notification>, Unexpected> {
        let rows = notifications::Entity::find()
            .filter(notifications::Column::CustomerId.eq(&customer.0))
            .filter(notifications::Column::SmsReference.eq(reference.as_str()))
            .order_by_desc(notifications::Column::SentAt)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter().map(to_notification).collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
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

fn to_notification(row: notifications::Model) -> Result<Notification, Unexpected> {
    Ok(Notification {
        kind: row.kind.parse().map_err(Unexpected::new)?,
        line_id: row.line_id.map(LineId),
        sent_at: row.sent_at,
        text: row.text.unwrap_or_default(),
        language: row
            .language
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(Unexpected::new)?
            .unwrap_or_default(),
        sms_reference: row.sms_reference.as_deref().and_then(SmsReference::parse),
        sms_text: row.sms_text,
    })
}
