//! `Customer.notifications`: the in-app inbox; `Customer.smsByReference`: "is this text
//! really from us?".

use async_graphql::{Enum, SimpleObject};

use benefits_domain::customer::{self as customer, Line};
use benefits_domain::notification as domain;

/// The language of a customer's texts.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Korean (`ko`), the default.
    Ko,
    /// English (`en`).
    En,
}

impl From<customer::Language> for Language {
    fn from(language: customer::Language) -> Self {
        match language {
            customer::Language::Korean => Self::Ko,
            customer::Language::English => Self::En,
        }
    }
}

impl From<Language> for customer::Language {
    fn from(language: Language) -> Self {
        match language {
            Language::Ko => Self::Korean,
            Language::En => Self::English,
        }
    }
}

/// Why the customer was told something.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    EligibilityNotice,
    RefundReminder,
    RefundScheduled,
    RefundPaid,
    RefundFailed,
}

impl From<NotificationKind> for domain::NotificationKind {
    fn from(kind: NotificationKind) -> Self {
        match kind {
            NotificationKind::EligibilityNotice => Self::EligibilityNotice,
            NotificationKind::RefundReminder => Self::RefundReminder,
            NotificationKind::RefundScheduled => Self::RefundScheduled,
            NotificationKind::RefundPaid => Self::RefundPaid,
            NotificationKind::RefundFailed => Self::RefundFailed,
        }
    }
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
    /// What the customer was told, in their language (the campaign's inbox text).
    pub text: String,
    pub language: Language,
    /// The reference printed in its SMS (`K7Q2-M9XD`); null for messages sent before
    /// references existed.
    pub sms_reference: Option<String>,
}

impl From<domain::Notification> for Notification {
    fn from(notification: domain::Notification) -> Self {
        Self {
            kind: notification.kind.into(),
            sent_at: notification.sent_at.to_rfc3339(),
            text: notification.text,
            language: notification.language.into(),
            sms_reference: notification.sms_reference.map(|r| r.to_string()),
        }
    }
}

/// An SMS the service sent.
#[derive(SimpleObject)]
pub struct SentSms {
    pub kind: NotificationKind,
    /// The text exactly as sent.
    pub text: Option<String>,
    /// RFC 3339, UTC.
    pub sent_at: String,
    /// The line it was about, masked (`010-****-5678`); null when about no line.
    pub line_msisdn: Option<String>,
}

/// The answer to "is this text really from us?" for one reference.
#[derive(SimpleObject)]
pub struct SmsCheck {
    /// The reference as printed (`K7Q2-M9XD`), or as typed when it cannot be one.
    pub reference: String,
    /// Whether the service sent this customer a text with this reference. False means
    /// plainly: this text did not come from us; do not follow what it asks.
    pub sent: bool,
    /// The texts sent with it (normally one).
    pub texts: Vec<SentSms>,
}

impl SmsCheck {
    pub fn new(check: domain::SmsCheck, lines: &[Line]) -> Self {
        let msisdn = |line: &Option<benefits_domain::customer::LineId>| {
            line.as_ref().and_then(|id| {
                lines
                    .iter()
                    .find(|l| &l.id == id)
                    .map(|l| l.facts.msisdn.masked())
            })
        };
        Self {
            reference: check.reference,
            sent: !check.sent.is_empty(),
            texts: check
                .sent
                .into_iter()
                .map(|sms| SentSms {
                    kind: sms.kind.into(),
                    line_msisdn: msisdn(&sms.line_id),
                    text: sms.sms_text,
                    sent_at: sms.sent_at.to_rfc3339(),
                })
                .collect(),
        }
    }
}
