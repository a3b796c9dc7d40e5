//! Telling customers things: a use case hands over drafts, this service composes each
//! notification in its customer's language from the campaign's templates (the SMS with
//! a fresh reference, and the inbox text) and sends them through the notifier; and the
//! check of a reference a customer doubts.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{
    NewNotification, Notification, NotificationDraft, NotificationKind, Notifier, Sms, SmsReference,
};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::campaign::CampaignRepository;
use crate::clock::Clock;
use crate::customer::{Customer, CustomerRepository, LineId};
use crate::error::Unexpected;
use crate::partner::ports::CodeGenerator;

/// The answer to "is this text really from us?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsCheck {
    /// The reference as printed (or as typed, when it cannot be one of ours).
    pub reference: String,
    /// The texts this customer was sent with that reference: empty when none was.
    pub sent: Vec<Notification>,
}

/// `smsByReference` was refused.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("reference must be 1 to 32 characters")]
    BadInput,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Composes and sends notifications; checks SMS references.
#[derive(Clone)]
pub struct NotificationService {
    notifier: Arc<dyn Notifier>,
    customers: Arc<dyn CustomerRepository>,
    campaigns: Arc<dyn CampaignRepository>,
    codes: Arc<dyn CodeGenerator>,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl NotificationService {
    pub fn new(
        notifier: Arc<dyn Notifier>,
        customers: Arc<dyn CustomerRepository>,
        campaigns: Arc<dyn CampaignRepository>,
        codes: Arc<dyn CodeGenerator>,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            notifier,
            customers,
            campaigns,
            codes,
            audit,
            clock,
        }
    }

    fn reference(&self) -> Result<SmsReference, Unexpected> {
        SmsReference::parse(&self.codes.sms_reference())
            .ok_or_else(|| Unexpected::new("the code generator made an invalid SMS reference"))
    }

    /// Drafts with their texts: each in its customer's language (Korean unless they
    /// chose English), from the campaign's templates, the SMS with a fresh reference.
    async fn compose(
        &self,
        drafts: Vec<NotificationDraft>,
    ) -> Result<Vec<NewNotification>, Unexpected> {
        if drafts.is_empty() {
            return Ok(Vec::new());
        }
        let campaign = self.campaigns.active().await?;
        let mut customers: Vec<_> = drafts.iter().map(|d| d.customer_id.clone()).collect();
        customers.sort_by(|a, b| a.0.cmp(&b.0));
        customers.dedup();
        let languages = self.customers.languages(&customers).await?;
        drafts
            .into_iter()
            .map(|draft| {
                let reference = self.reference()?;
                let language = languages
                    .get(&draft.customer_id)
                    .copied()
                    .unwrap_or_default();
                let rendered = campaign
                    .texts
                    .render(draft.kind, language, &reference)
                    .ok_or_else(|| {
                        Unexpected::new(format!("the campaign has no {} text", draft.kind.as_str()))
                    })?;
                Ok(NewNotification {
                    customer_id: draft.customer_id,
                    line_id: draft.line_id,
                    kind: draft.kind,
                    dedupe_key: draft.dedupe_key,
                    sms: Sms {
                        language: rendered.language,
                        reference,
                        text: rendered.sms,
                    },
                    text: rendered.inbox,
                })
            })
            .collect()
    }

    /// Sends each draft whose deduplication key was not sent before; how many were sent.
    ///
    /// # Errors
    /// `Unexpected` when the store fails (nothing of the batch is sent).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send_many(
        &self,
        drafts: Vec<NotificationDraft>,
        at: DateTime<Utc>,
    ) -> Result<u32, Unexpected> {
        let composed = self.compose(drafts).await?;
        self.notifier.send_many(composed, at).await
    }

    /// Sends one draft unless its deduplication key was sent before.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send(
        &self,
        draft: NotificationDraft,
        at: DateTime<Utc>,
    ) -> Result<bool, Unexpected> {
        Ok(self.send_many(vec![draft], at).await? == 1)
    }

    /// A customer's inbox, newest first.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn inbox(&self, customer: &Customer) -> Result<Vec<Notification>, Unexpected> {
        self.notifier.inbox(&customer.id).await
    }

    /// How many notifications of `kind` each of these lines has had.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn counts_for_lines(
        &self,
        lines: &[LineId],
        kind: NotificationKind,
    ) -> Result<std::collections::HashMap<LineId, u32>, Unexpected> {
        self.notifier.counts_for_lines(lines, kind).await
    }

    /// Whether `customer` was sent a text with `raw` as its reference, and which. A
    /// staff member's check is audited.
    ///
    /// # Errors
    /// `BadInput` for an empty or overlong reference.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn check_reference(
        &self,
        caller: &Caller,
        customer: &Customer,
        raw: &str,
    ) -> Result<SmsCheck, CheckError> {
        let typed = raw.trim();
        if typed.is_empty() || typed.chars().count() > 32 {
            return Err(CheckError::BadInput);
        }
        let reference = SmsReference::parse(typed);
        let check = match &reference {
            Some(reference) => SmsCheck {
                reference: reference.to_string(),
                sent: self
                    .notifier
                    .with_reference(&customer.id, reference)
                    .await?,
            },
            None => SmsCheck {
                reference: typed.to_owned(),
                sent: Vec::new(),
            },
        };
        if caller.principal.role.is_staff() {
            // What was typed is only repeated when it is one of ours (it could be anything).
            let detail = match (&reference, check.sent.is_empty()) {
                (Some(reference), false) => format!("reference {reference}: sent"),
                (Some(reference), true) => {
                    format!("reference {reference}: never sent to this customer")
                }
                (None, _) => "not a reference the service prints".to_owned(),
            };
            let entry = AuditEntry::by(caller, self.clock.now(), "sms.check_reference")
                .about(&customer.id)
                .detail(detail);
            self.audit.append(entry).await?;
        }
        Ok(check)
    }
}
