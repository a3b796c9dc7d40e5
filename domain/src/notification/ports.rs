//! Where notifications go.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{NewNotification, Notification, NotificationKind, SmsReference};
use crate::customer::{CustomerId, LineId};
use crate::error::Unexpected;

/// The inbox and the SMS outbox.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Puts each notification in the inbox and its SMS in the outbox, in one
    /// transaction, skipping those whose deduplication key was sent before (also by a
    /// concurrent run). Returns how many were sent now.
    async fn send_many(
        &self,
        notifications: Vec<NewNotification>,
        at: DateTime<Utc>,
    ) -> Result<u32, Unexpected>;

    /// Sends one notification unless its deduplication key was sent before; whether it
    /// was sent now.
    async fn send(
        &self,
        notification: NewNotification,
        at: DateTime<Utc>,
    ) -> Result<bool, Unexpected> {
        Ok(self.send_many(vec![notification], at).await? == 1)
    }

    /// A customer's inbox, newest first.
    async fn inbox(&self, customer: &CustomerId) -> Result<Vec<Notification>, Unexpected>;

    /// The notifications whose SMS to this customer carried `reference` (normally one).
    async fn with_reference(
        &self,
        customer: &CustomerId,
        reference: &SmsReference,
    ) -> Result<Vec<Notification>, Unexpected>;

    /// How many notifications of `kind` each of these lines has had (absent: none).
    async fn counts_for_lines(
        &self,
        lines: &[LineId],
        kind: NotificationKind,
    ) -> Result<HashMap<LineId, u32>, Unexpected>;
}
