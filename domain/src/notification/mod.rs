//! Notifications: the in-app inbox and SMS (through an outbox), each at most once per
//! deduplication key, so a retried or concurrent job never sends twice.

pub mod model;
pub mod ports;

pub use model::{NewNotification, Notification, NotificationKind};
pub use ports::Notifier;
