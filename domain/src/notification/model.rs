//! What a notification is.

use chrono::{DateTime, Utc};

use super::SmsReference;
use crate::customer::{CustomerId, Language, LineId};
use crate::named_enum::named_enum;

named_enum!(
    /// Why the customer is told something.
    NotificationKind {
        EligibilityNotice => "ELIGIBILITY_NOTICE",
        RefundReminder => "REFUND_REMINDER",
        RefundScheduled => "REFUND_SCHEDULED",
        RefundPaid => "REFUND_PAID",
        RefundFailed => "REFUND_FAILED",
    }
);

/// What a use case asks to tell a customer, at most once per `dedupe_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationDraft {
    pub customer_id: CustomerId,
    pub line_id: Option<LineId>,
    pub kind: NotificationKind,
    pub dedupe_key: String,
}

/// The SMS of a notification: its language, its text as sent (the campaign's template
/// rendered under its sender name) and the reference printed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    pub language: Language,
    pub reference: SmsReference,
    pub text: String,
}

/// A notification to send, composed: at most once per `dedupe_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub customer_id: CustomerId,
    pub line_id: Option<LineId>,
    pub kind: NotificationKind,
    pub dedupe_key: String,
    pub sms: Sms,
    /// The inbox text, in the same language.
    pub text: String,
}

impl NewNotification {
    /// The SMS to hand to the gateway (`sms.requested`): the one place its language and
    /// text come from.
    pub fn sms(&self) -> &Sms {
        &self.sms
    }
}

/// A notification in a customer's inbox, with the SMS it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub kind: NotificationKind,
    pub line_id: Option<LineId>,
    pub sent_at: DateTime<Utc>,
    /// The inbox text as the customer was told it.
    pub text: String,
    pub language: Language,
    /// Absent for notifications sent before references existed.
    pub sms_reference: Option<SmsReference>,
    pub sms_text: Option<String>,
}
