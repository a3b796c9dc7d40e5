//! What a notification is.

use chrono::{DateTime, Utc};

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

/// A notification to send, at most once per `dedupe_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub customer_id: CustomerId,
    pub line_id: Option<LineId>,
    pub kind: NotificationKind,
    pub dedupe_key: String,
}

/// A notification in a customer's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub kind: NotificationKind,
    pub line_id: Option<LineId>,
    pub sent_at: DateTime<Utc>,
}
