//! `Customer.notifications`: the in-app inbox.

use async_graphql::{Enum, SimpleObject};

use benefits_domain::notification as domain;

/// Why the customer was told something.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    EligibilityNotice,
    RefundReminder,
    RefundScheduled,
    RefundPaid,
    RefundFailed,
}

impl From<domain::NotificationKind> for NotificationKind {
    fn from(kind: domain::NotificationKind) -> Self {
        match kind {
            domain::NotificationKind::EligibilityNotice => Self::EligibilityNotice,
            domain::NotificationKind::RefundReminder => Self::RefundReminder,
            domain::NotificationKind::RefundScheduled => Self::RefundScheduled,
            domain::NotificationKind::RefundPaid => Self::RefundPaid,
            domain::NotificationKind::RefundFailed => Self::RefundFailed,
        }
    }
}

/// A message in the inbox (its SMS carried no link and no personal data).
#[derive(SimpleObject)]
pub struct Notification {
    pub kind: NotificationKind,
    /// RFC 3339, UTC.
    pub sent_at: String,
}

impl From<domain::Notification> for Notification {
    fn from(notification: domain::Notification) -> Self {
        Self {
            kind: notification.kind.into(),
            sent_at: notification.sent_at.to_rfc3339(),
        }
    }
}
