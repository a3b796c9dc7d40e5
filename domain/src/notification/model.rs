//! What a notification is.

use chrono::{DateTime, Utc};

use super::SmsReference;
use crate::customer::{CustomerId, LineId};
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

impl NotificationKind {
    /// The SMS text. No links and no personal data: the customers were just phished,
    /// so every message points them to the official app they already have.
    pub fn sms_text(self) -> &'static str {
        match self {
            Self::EligibilityNotice => {
                "[Operator] Your early-termination fee may be refunded. Check in the official app. We never send links."
            }
            Self::RefundReminder => {
                "[Operator] Reminder: apply for your early-termination fee refund in the official app before the deadline. We never send links."
            }
            Self::RefundScheduled => {
                "[Operator] Your fee refund is scheduled for payment. Details in the official app."
            }
            Self::RefundPaid => {
                "[Operator] Your fee refund has been paid. Details in the official app."
            }
            Self::RefundFailed => {
                "[Operator] We could not pay your fee refund to the account given. Please correct it in the official app or at a store."
            }
        }
    }
}

/// What a use case asks to tell a customer, at most once per `dedupe_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationDraft {
    pub customer_id: CustomerId,
    pub line_id: Option<LineId>,
    pub kind: NotificationKind,
    pub dedupe_key: String,
}

/// The SMS of a notification: its text and the reference printed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
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
}

impl NewNotification {
    /// The SMS to hand to the gateway: the one place its text comes from.
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
    /// Absent for notifications sent before references existed.
    pub sms_reference: Option<SmsReference>,
    pub sms_text: Option<String>,
}
