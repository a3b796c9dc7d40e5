//! Notifications: the in-app inbox and SMS (through an outbox), each at most once per
//! deduplication key, so a retried or concurrent job never sends twice; every SMS
//! carries a reference the customer can check.

pub mod model;
pub mod ports;
pub mod reference;
pub mod service;
pub mod templates;

pub use model::{NewNotification, Notification, NotificationDraft, NotificationKind, Sms};
pub use ports::Notifier;
pub use reference::SmsReference;
pub use service::{NotificationService, SmsCheck};
pub use templates::{Template, TextChannel, Texts};
