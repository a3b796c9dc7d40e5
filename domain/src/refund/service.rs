//! Refund use cases: apply, correct the account, close a round, record payouts, and
//! the reminder and notice runs.

use std::collections::HashMap;
use std::sync::Arc;

use super::banks::{self, Bank, BankDirectory, BankRefusal};
use super::eligibility_tally::{EligibilityTally, LineReason};
use super::late::{self, GrantRefusal, LateApplication, LateReason};
use super::ports::{ApplicationFilter, ApplicationTally, IdempotencyClaim, RecordError, Replay};
use super::results::{self, ResultRow, RowOutcome, RowRefusal};
use super::rules::{self, HolderMismatch};
use super::{
    ApplicationId, BankAccount, Channel, NewApplication, PayoutFile, RefundApplication,
    RefundRepository, RefundStatus, SubmitError,
};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::campaign::{Campaign, CampaignRepository};
use crate::clock::Clock;
use crate::customer::{
    CustomerId, CustomerRepository, CustomerType, Line, LineFacts, LineId, LinesPage,
};
use crate::error::Unexpected;
use crate::fee_waiver::{self, FeeWaiverAssessment, FeeWaiverReason};
use crate::kst;
use crate::notification::{NotificationDraft, NotificationKind, NotificationService};

/// What a caller asks for in `applyForRefund`.
#[derive(Debug, Clone)]
pub struct ApplyRequest {
    pub line_id: LineId,
    pub channel: Channel,
    pub bank_code: String,
    pub account_number: String,
    pub account_holder: String,
    pub guardian_name: Option<String>,
    pub idempotency_key: String,
}

/// `applyForRefund` was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("{0}")]
    BadInput(String),
    #[error("{}", .0.message())]
    BadAccount(BankRefusal),
    #[error("no such line")]
    NotFound,
    #[error("this channel is not allowed for this caller or customer")]
    ChannelNotAllowed,
    #[error("applications are not open")]
    WindowClosed,
    #[error("the line is not eligible")]
    NotEligible(FeeWaiverReason),
    #[error("the account holder must be {0}")]
    HolderMismatch(&'static str),
    #[error("the line already has an application")]
    AlreadyApplied,
    #[error("the idempotency key was used with another input")]
    IdempotencyConflict,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// `updateRefundAccount` was refused.
#[derive(Debug, thiserror::Error)]
pub enum CorrectError {
    #[error("{0}")]
    BadInput(String),
    #[error("{}", .0.message())]
    BadAccount(BankRefusal),
    #[error("no such application")]
    NotFound,
    #[error("the application's payout round is closed")]
    RoundClosed,
    #[error("the account holder must be {0}")]
    HolderMismatch(&'static str),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// `grantLateApplication` was refused.
#[derive(Debug, thiserror::Error)]
pub enum LateError {
    #[error("{}", .0.message())]
    BadInput(GrantRefusal),
    #[error("reasonEndedOn must be a date like 2026-02-01")]
    BadDate,
    #[error("no such line")]
    NotFound,
    #[error("the line is not eligible")]
    NotEligible(FeeWaiverReason),
    #[error("the line already has an application")]
    AlreadyApplied,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// `closePayoutRound` was refused.
#[derive(Debug, thiserror::Error)]
pub enum CloseError {
    #[error("no such payout round")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// A reminder or notice run was refused.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("outside the application window")]
    WindowClosed,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// The admins' view of the waiver: lines by eligibility, applications by round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundOverview {
    /// Lines per first failing rule; `None` counts the eligible lines.
    pub lines_by_reason: Vec<(Option<FeeWaiverReason>, u64)>,
    pub applications: Vec<ApplicationTally>,
}

/// What a payout results run did: each row with its outcome, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultsRun {
    pub rows: Vec<(ResultRow, RowOutcome)>,
    pub recorded: u64,
    pub already_recorded: u64,
    pub refused: u64,
}

/// Customers read per batch by the notice and reminder runs.
const RUN_BATCH: u64 = 1_000;

/// Where the refund use cases read and keep customers, applications and the overview's
/// lines by reason.
pub struct RefundStores {
    pub customers: Arc<dyn CustomerRepository>,
    pub refunds: Arc<dyn RefundRepository>,
    pub tally: Arc<dyn EligibilityTally>,
}

/// Refund use cases.
#[derive(Clone)]
pub struct RefundService {
    customers: Arc<dyn CustomerRepository>,
    refunds: Arc<dyn RefundRepository>,
    /// Where the overview counts applications: a read replica when one is configured;
    /// jobs and everything that reads its own writes use the two above.
    reports: Arc<dyn RefundRepository>,
    /// The lines by fee-waiver reason, kept (on the primary: counting writes).
    tally: Arc<dyn EligibilityTally>,
    campaigns: Arc<dyn CampaignRepository>,
    banks: Arc<dyn BankDirectory>,
    notifications: NotificationService,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

fn holder_error(mismatch: HolderMismatch) -> &'static str {
    match mismatch {
        HolderMismatch::NotTheCustomer => "the customer",
        HolderMismatch::NotTheGuardian => "the legal guardian named in guardianName",
    }
}

/// The fee-waiver assessment of `line` among its customer's `lines`.
pub fn assess_line(
    line: &Line,
    lines: &[Line],
    campaign: &Campaign,
    today: chrono::NaiveDate,
) -> FeeWaiverAssessment {
    let others: Vec<_> = lines
        .iter()
        .filter(|other| other.id != line.id)
        .map(|other| other.facts.clone())
        .collect();
    fee_waiver::assess(
        &line.facts,
        &others,
        &campaign.fee_waiver,
        &campaign.discount_return_rates,
        today,
    )
}

/// The first failing rule of each of `lines`, judged among its customer's lines.
fn reasons_of(lines: &[Line], campaign: &Campaign) -> Vec<LineReason> {
    let mut by_customer: HashMap<&CustomerId, Vec<LineFacts>> = HashMap::new();
    for line in lines {
        by_customer
            .entry(&line.customer_id)
            .or_default()
            .push(line.facts.clone());
    }
    lines
        .iter()
        .map(|line| LineReason {
            line: line.id.clone(),
            customer: line.customer_id.clone(),
            reason: fee_waiver::first_failing_rule(
                &line.facts,
                &by_customer[&line.customer_id],
                &campaign.fee_waiver,
            ),
        })
        .collect()
}

impl RefundService {
    pub fn new(
        RefundStores {
            customers,
            refunds,
            tally,
        }: RefundStores,
        campaigns: Arc<dyn CampaignRepository>,
        banks: Arc<dyn BankDirectory>,
        notifications: NotificationService,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            reports: refunds.clone(),
            customers,
            refunds,
            tally,
            campaigns,
            banks,
            notifications,
            audit,
            clock,
        }
    }

    /// Counts the overview's applications from this repository.
    #[must_use]
    pub fn reporting_from(self, refunds: Arc<dyn RefundRepository>) -> Self {
        Self {
            reports: refunds,
            ..self
        }
    }

    /// The customer a caller acts for: a customer themself; staff, anyone.
    async fn owner_filter(&self, caller: &Caller) -> Result<Option<CustomerId>, Unexpected> {
        match caller.principal.customer_external_id() {
            Some(external_id) => Ok(Some(
                self.customers
                    .by_external_id(external_id)
                    .await?
                    .map_or_else(|| CustomerId(String::new()), |customer| customer.id),
            )),
            None => Ok(None),
        }
    }

    async fn audit(
        &self,
        caller: &Caller,
        action: &str,
        customer: &CustomerId,
        detail: String,
    ) -> Result<(), Unexpected> {
        if !caller.principal.role.is_staff() {
            return Ok(());
        }
        let entry = AuditEntry::by(caller, self.clock.now(), action)
            .about(customer)
            .detail(detail);
        self.audit.append(entry).await
    }

    /// The banks refunds are paid to, in list order.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn banks(&self) -> Result<Vec<Bank>, Unexpected> {
        self.banks.banks().await
    }

    /// The application of a line, as its owner or staff may see it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn for_line(&self, line: &LineId) -> Result<Option<RefundApplication>, Unexpected> {
        self.refunds.for_line(line).await
    }

    /// Applies for the refund of a terminated line.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn apply(
        &self,
        caller: &Caller,
        request: ApplyRequest,
    ) -> Result<RefundApplication, ApplyError> {
        let account = BankAccount::parse(
            &request.bank_code,
            &request.account_number,
            &request.account_holder,
        )
        .map_err(ApplyError::BadInput)?;
        banks::bank_of(&self.banks.banks().await?, &account).map_err(ApplyError::BadAccount)?;
        let key = request.idempotency_key.trim();
        if key.is_empty() || key.len() > 128 {
            return Err(ApplyError::BadInput(
                "idempotencyKey must be 1 to 128 characters".into(),
            ));
        }
        let guardian = request
            .guardian_name
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty());
        let claim = IdempotencyClaim {
            scope: format!(
                "{}:{}:applyForRefund",
                caller.principal.role, caller.principal.subject
            ),
            key: key.to_owned(),
            fingerprint: format!(
                "{}|{}|{}|{}|{}|{}",
                request.line_id.0,
                request.channel.as_str(),
                account.bank_code(),
                account.number(),
                account.holder(),
                guardian.unwrap_or_default()
            ),
        };
        if let Some(replayed) = self.replayed(&claim).await? {
            return Ok(replayed);
        }

        let owner = self.owner_filter(caller).await?;
        let line = self
            .customers
            .line(&request.line_id, owner.as_ref())
            .await?
            .ok_or(ApplyError::NotFound)?;
        let customer = self
            .customers
            .by_id(&line.customer_id)
            .await?
            .ok_or(ApplyError::NotFound)?;
        let campaign = self.campaigns.active().await?;
        let now = self.clock.now();
        let today = kst::date_of(now);
        let minor = customer.facts.age_on(today) < campaign.minor_age;
        let store_only = minor || customer.facts.kind == CustomerType::Corporate;

        if !rules::channel_allowed(caller.principal.role, request.channel, store_only) {
            return Err(ApplyError::ChannelNotAllowed);
        }
        if !rules::window_open(&campaign.fee_waiver, now) {
            let grant = self.refunds.late_application(&line.id).await?;
            if !late::accepts_application(&campaign.fee_waiver, grant.as_ref(), now) {
                return Err(ApplyError::WindowClosed);
            }
        }
        let lines = self.customers.lines_of(&customer.id).await?;
        let assessment = assess_line(&line, &lines, &campaign, today);
        if let Some(reason) = assessment.reason {
            return Err(ApplyError::NotEligible(reason));
        }
        rules::check_holder(&customer.facts.name, minor, account.holder(), guardian)
            .map_err(|mismatch| ApplyError::HolderMismatch(holder_error(mismatch)))?;
        let cancelled_on = line.facts.termination.map_or(today, |t| t.on);
        let closed = self.refunds.closed_rounds(&campaign.id).await?;
        let round = rules::assign_round(&campaign.payout_rounds, &closed, cancelled_on, today);

        let application = NewApplication {
            line_id: line.id.clone(),
            customer_id: customer.id.clone(),
            channel: request.channel,
            amount: assessment.refund_amount.unwrap_or_default(),
            account,
            guardian_name: if minor {
                guardian.map(str::to_owned)
            } else {
                None
            },
            round: round.map(|r| r.number),
            applied_at: now,
            cancelled_on,
            submitted_by: caller.principal.subject.clone(),
        };
        let stored = match self.refunds.submit(application, &claim).await {
            Ok(stored) => stored,
            Err(SubmitError::AlreadyApplied) => return Err(ApplyError::AlreadyApplied),
            Err(SubmitError::KeyTaken) => {
                return self
                    .replayed(&claim)
                    .await?
                    .ok_or(ApplyError::IdempotencyConflict);
            }
            Err(SubmitError::Unexpected(cause)) => return Err(cause.into()),
        };
        if caller.principal.role.is_staff() {
            let entry = AuditEntry::by(caller, now, "refund.apply")
                .about(&customer.id)
                .over(request.channel.as_str())
                .detail(format!("application {}", stored.id.0));
            self.audit.append(entry).await?;
        }
        Ok(stored)
    }

    /// The late-application grant of a line, if staff gave one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn late_application(
        &self,
        line: &LineId,
    ) -> Result<Option<LateApplication>, Unexpected> {
        self.refunds.late_application(line).await
    }

    /// Staff grant a line a late-application deadline after reviewing the evidence:
    /// `reasonEndedOn` plus the campaign's days. The grant is audited (the note itself
    /// is sealed with the grant, not copied into the audit log).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn grant_late(
        &self,
        caller: &Caller,
        line_id: &LineId,
        reason: LateReason,
        reason_ended_on: &str,
        evidence_note: &str,
    ) -> Result<LateApplication, LateError> {
        let ended_on = chrono::NaiveDate::parse_from_str(reason_ended_on, "%Y-%m-%d")
            .map_err(|_| LateError::BadDate)?;
        let campaign = self.campaigns.active().await?;
        let now = self.clock.now();
        let today = kst::date_of(now);
        let apply_until = late::grant_until(&campaign.fee_waiver, today, ended_on, evidence_note)
            .map_err(LateError::BadInput)?;
        let line = self
            .customers
            .line(line_id, None)
            .await?
            .ok_or(LateError::NotFound)?;
        let lines = self.customers.lines_of(&line.customer_id).await?;
        if let Some(reason) = assess_line(&line, &lines, &campaign, today).reason {
            return Err(LateError::NotEligible(reason));
        }
        if self.refunds.for_line(&line.id).await?.is_some() {
            return Err(LateError::AlreadyApplied);
        }
        let grant = LateApplication {
            line_id: line.id.clone(),
            reason,
            reason_ended_on: ended_on,
            apply_until,
            evidence_note: evidence_note.trim().to_owned(),
            granted_by: caller.principal.subject.clone(),
            granted_at: now,
        };
        self.refunds.grant_late(&grant).await?;
        let entry = AuditEntry::by(caller, now, "refund.grant_late")
            .about(&line.customer_id)
            .detail(format!(
                "line {}: {} ended {ended_on}, may apply until {apply_until}; evidence noted ({} characters, sealed)",
                line.id.0,
                reason.as_str(),
                grant.evidence_note.chars().count()
            ));
        self.audit.append(entry).await?;
        Ok(grant)
    }

    /// The result of an earlier call with the same idempotency key, if there was one.
    async fn replayed(
        &self,
        claim: &IdempotencyClaim,
    ) -> Result<Option<RefundApplication>, ApplyError> {
        match self.refunds.replay(claim).await? {
            None => Ok(None),
            Some(Replay::Different) => Err(ApplyError::IdempotencyConflict),
            Some(Replay::Same(id)) => Ok(self.refunds.find(&id, None).await?),
        }
    }

    /// Corrects the bank account of an application until its round is closed, or after
    /// a failed payout (which then moves to the next round).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn correct_account(
        &self,
        caller: &Caller,
        id: &ApplicationId,
        bank_code: &str,
        account_number: &str,
        account_holder: &str,
    ) -> Result<RefundApplication, CorrectError> {
        let account = BankAccount::parse(bank_code, account_number, account_holder)
            .map_err(CorrectError::BadInput)?;
        banks::bank_of(&self.banks.banks().await?, &account).map_err(CorrectError::BadAccount)?;
        let owner = self.owner_filter(caller).await?;
        let application = self
            .refunds
            .find(id, owner.as_ref())
            .await?
            .ok_or(CorrectError::NotFound)?;
        let customer = self
            .customers
            .by_id(&application.customer_id)
            .await?
            .ok_or(CorrectError::NotFound)?;
        let campaign = self.campaigns.active().await?;
        let today = self.clock.today();
        let minor = application.guardian_name.is_some()
            || customer.facts.age_on(today) < campaign.minor_age;
        rules::check_holder(
            &customer.facts.name,
            minor,
            account.holder(),
            application.guardian_name.as_deref(),
        )
        .map_err(|mismatch| CorrectError::HolderMismatch(holder_error(mismatch)))?;
        let closed = self.refunds.closed_rounds(&campaign.id).await?;
        let next_round = match application.round {
            Some(round) if closed.contains(&round) => return Err(CorrectError::RoundClosed),
            Some(round) => Some(round),
            None => {
                let failed_in = self.refunds.last_round(id).await?.unwrap_or(0);
                rules::next_round_after(&campaign.payout_rounds, &closed, failed_in)
                    .map(|r| r.number)
            }
        };
        let corrected = self
            .refunds
            .correct_account(id, &account, next_round, self.clock.now())
            .await?
            .ok_or(CorrectError::RoundClosed)?;
        self.audit(
            caller,
            "refund.correct_account",
            &customer.id,
            format!("application {}", id.0),
        )
        .await?;
        Ok(corrected)
    }

    /// Closes a payout round and returns its file (the same file when closed again);
    /// the customers in it are told their refund is scheduled.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close_round(
        &self,
        caller: &Caller,
        number: i32,
    ) -> Result<PayoutFile, CloseError> {
        let campaign = self.campaigns.active().await?;
        let round = campaign
            .payout_rounds
            .iter()
            .find(|r| r.number == number)
            .ok_or(CloseError::NotFound)?;
        let file = self
            .refunds
            .close_round(&campaign.id, round, self.clock.now())
            .await?;
        for item in &file.items {
            if let Some(application) = self.refunds.find(&item.application_id, None).await? {
                self.notify(
                    &application.customer_id,
                    Some(&application.line_id),
                    NotificationKind::RefundScheduled,
                    format!("scheduled:{}:{number}", application.id.0),
                )
                .await?;
            }
        }
        let entry = AuditEntry::by(caller, self.clock.now(), "payout.close_round").detail(format!(
            "round {number}: {} applications, {} KRW; payout file with full account numbers issued",
            file.items.len(),
            file.total()
        ));
        self.audit.append(entry).await?;
        Ok(file)
    }

    /// Applications of a round and/or status for an admin, newest first. The read is
    /// audited: it shows the masked accounts of many customers at once.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list(
        &self,
        caller: &Caller,
        filter: ApplicationFilter,
        limit: u64,
    ) -> Result<Vec<RefundApplication>, Unexpected> {
        let found = self.refunds.list(filter, limit).await?;
        let round = filter
            .round
            .map_or_else(|| "any".to_owned(), |r| r.to_string());
        let status = filter.status.map_or("any", RefundStatus::as_str);
        let entry = AuditEntry::by(caller, self.clock.now(), "refund.list").detail(format!(
            "round {round}, status {status}: {} applications",
            found.len()
        ));
        self.audit.append(entry).await?;
        Ok(found)
    }

    /// Records the bank's answer for a scheduled payout.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_result(
        &self,
        caller: &Caller,
        id: &ApplicationId,
        paid: bool,
    ) -> Result<RefundApplication, RecordError> {
        let before = self
            .refunds
            .find(id, None)
            .await?
            .ok_or(RecordError::NotFound)?;
        let recorded = self
            .refunds
            .record_result(id, paid, self.clock.now())
            .await?;
        let (kind, dedupe) = if paid {
            (NotificationKind::RefundPaid, format!("paid:{}", id.0))
        } else {
            (
                NotificationKind::RefundFailed,
                format!("failed:{}:{}", id.0, before.round.unwrap_or_default()),
            )
        };
        self.notify(&recorded.customer_id, Some(&recorded.line_id), kind, dedupe)
            .await?;
        let outcome = if paid { "PAID" } else { "FAILED" };
        self.audit(
            caller,
            "payout.record_result",
            &recorded.customer_id,
            format!("application {} {outcome}", id.0),
        )
        .await?;
        Ok(recorded)
    }

    /// Records a parsed results file in one run: every row is judged against the
    /// application it names ([`results::judge`]), then every recordable row is recorded
    /// in one transaction through the same write as [`Self::record_result`], and the
    /// customers are told as they are one at a time. Running the same file again
    /// records nothing more. The run is audited with the file's hash and its counts.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_results(
        &self,
        caller: &Caller,
        rows: Vec<ResultRow>,
        file_sha256: &str,
    ) -> Result<ResultsRun, Unexpected> {
        let mut ids: Vec<ApplicationId> = rows.iter().map(|r| r.application_id.clone()).collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        ids.dedup();
        let found: HashMap<ApplicationId, RefundApplication> = self
            .refunds
            .find_many(&ids)
            .await?
            .into_iter()
            .map(|application| (application.id.clone(), application))
            .collect();
        let mut outcomes = results::judge(&rows, &found);
        let to_record: Vec<(usize, (ApplicationId, bool))> = outcomes
            .iter()
            .enumerate()
            .filter(|(_, outcome)| **outcome == RowOutcome::Recorded)
            .map(|(index, _)| {
                (
                    index,
                    (rows[index].application_id.clone(), rows[index].paid),
                )
            })
            .collect();
        let now = self.clock.now();
        let (indices, results): (Vec<usize>, Vec<(ApplicationId, bool)>) =
            to_record.into_iter().unzip();
        let recorded = if results.is_empty() {
            Vec::new()
        } else {
            self.refunds.record_results(&results, now).await?
        };
        let mut drafts = Vec::new();
        for (index, application) in indices.into_iter().zip(recorded) {
            let Some(application) = application else {
                outcomes[index] = RowOutcome::Refused(RowRefusal::ChangedMeanwhile);
                continue;
            };
            let row = &rows[index];
            let (kind, dedupe_key) = if row.paid {
                (
                    NotificationKind::RefundPaid,
                    format!("paid:{}", row.application_id.0),
                )
            } else {
                let round = found[&row.application_id].round.unwrap_or_default();
                (
                    NotificationKind::RefundFailed,
                    format!("failed:{}:{round}", row.application_id.0),
                )
            };
            drafts.push(NotificationDraft {
                customer_id: application.customer_id.clone(),
                line_id: Some(application.line_id.clone()),
                kind,
                dedupe_key,
            });
        }
        for chunk in drafts.chunks(RUN_BATCH as usize) {
            self.notifications.send_many(chunk.to_vec(), now).await?;
        }
        let mut run = ResultsRun::default();
        for outcome in &outcomes {
            match outcome {
                RowOutcome::Recorded => run.recorded += 1,
                RowOutcome::AlreadyRecorded => run.already_recorded += 1,
                RowOutcome::Refused(_) => run.refused += 1,
            }
        }
        let entry = AuditEntry::by(caller, now, "payout.record_results").detail(format!(
            "file sha256 {file_sha256}: {} rows, {} recorded, {} already recorded, {} refused",
            rows.len(),
            run.recorded,
            run.already_recorded,
            run.refused
        ));
        self.audit.append(entry).await?;
        run.rows = rows.into_iter().zip(outcomes).collect();
        Ok(run)
    }

    async fn notify(
        &self,
        customer: &CustomerId,
        line: Option<&LineId>,
        kind: NotificationKind,
        dedupe_key: String,
    ) -> Result<bool, Unexpected> {
        let draft = NotificationDraft {
            customer_id: customer.clone(),
            line_id: line.cloned(),
            kind,
            dedupe_key,
        };
        self.notifications.send(draft, self.clock.now()).await
    }

    /// Sends one reminder to every eligible line without an application that has had
    /// fewer than the campaign's maximum. Only inside the application window.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send_reminders(&self, caller: &Caller) -> Result<u32, RunError> {
        let campaign = self.campaigns.active().await?;
        if !rules::window_open(&campaign.fee_waiver, self.clock.now()) {
            return Err(RunError::WindowClosed);
        }
        let max = campaign.fee_waiver.max_reminders;
        let sent = self
            .for_each_unapplied_eligible_line(&campaign, |line_id, reminders| {
                (reminders < max).then(|| {
                    (
                        NotificationKind::RefundReminder,
                        format!("reminder:{}:{}", line_id.0, reminders + 1),
                    )
                })
            })
            .await?;
        self.audit
            .append(
                AuditEntry::by(caller, self.clock.now(), "refund.send_reminders")
                    .detail(format!("{sent} sent")),
            )
            .await?;
        Ok(sent)
    }

    /// Tells every eligible line without an application, once, that it may apply.
    /// From the day eligibility checking opens until applications close.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send_eligibility_notices(&self, caller: &Caller) -> Result<u32, RunError> {
        let campaign = self.campaigns.active().await?;
        let now = self.clock.now();
        if kst::date_of(now) < campaign.fee_waiver.eligibility_check_opens
            || now > campaign.fee_waiver.applications_close_at
        {
            return Err(RunError::WindowClosed);
        }
        let sent = self
            .for_each_unapplied_eligible_line(&campaign, |line_id, _| {
                Some((
                    NotificationKind::EligibilityNotice,
                    format!("eligibility:{}", line_id.0),
                ))
            })
            .await?;
        self.audit
            .append(
                AuditEntry::by(caller, self.clock.now(), "refund.send_eligibility_notices")
                    .detail(format!("{sent} sent")),
            )
            .await?;
        Ok(sent)
    }

    /// Decides the fee-waiver reasons of the lines of every customer an import changed
    /// (or took a line from) since they were last decided, in one pass over them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn decide_outdated_reasons(&self) -> Result<(), Unexpected> {
        let campaign = self.campaigns.active().await?;
        let rules = fee_waiver::rules_fingerprint(&campaign.fee_waiver);
        self.tally.keep_under(&rules).await?;
        let mut after: Option<CustomerId> = None;
        loop {
            let outdated = self.tally.outdated(after.as_ref(), RUN_BATCH).await?;
            let Some((last, _)) = outdated.customers.last() else {
                return Ok(());
            };
            after = Some(last.clone());
            let reasons = reasons_of(&outdated.lines, &campaign);
            self.tally.record(&rules, &outdated, &reasons).await?;
        }
    }

    /// Counts every line by its first failing rule (deciding first the lines of
    /// customers changed since the last count), and applications by round and status.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn overview(&self) -> Result<RefundOverview, Unexpected> {
        self.decide_outdated_reasons().await?;
        let mut lines_by_reason = self.tally.counts().await?;
        lines_by_reason.retain(|(_, count)| *count > 0);
        lines_by_reason.sort_by_key(|(reason, _)| reason.map(|r| r as u8));
        Ok(RefundOverview {
            lines_by_reason,
            applications: self.reports.tally().await?,
        })
    }

    /// Walks every customer in batches; for each eligible line without an application,
    /// `message` picks what to send given the reminders it has had. The deduplication
    /// keys make a rerun after a crash, or a concurrent run, send nothing twice.
    async fn for_each_unapplied_eligible_line(
        &self,
        campaign: &Campaign,
        message: impl Fn(&LineId, u32) -> Option<(NotificationKind, String)>,
    ) -> Result<u32, Unexpected> {
        let today = self.clock.today();
        let mut after: Option<CustomerId> = None;
        let mut sent = 0;
        loop {
            let LinesPage {
                lines: page,
                last_customer,
            } = self.customers.lines_page(after.as_ref(), RUN_BATCH).await?;
            let Some(last) = last_customer else { break };
            after = Some(last);
            let mut by_customer: HashMap<&CustomerId, Vec<Line>> = HashMap::new();
            for line in &page {
                by_customer
                    .entry(&line.customer_id)
                    .or_default()
                    .push(line.clone());
            }
            let eligible: Vec<&Line> = page
                .iter()
                .filter(|line| {
                    let siblings = &by_customer[&line.customer_id];
                    assess_line(line, siblings, campaign, today)
                        .reason
                        .is_none()
                })
                .collect();
            let ids: Vec<LineId> = eligible.iter().map(|line| line.id.clone()).collect();
            let applied = self.refunds.lines_with_applications(&ids).await?;
            let reminded = self
                .notifications
                .counts_for_lines(&ids, NotificationKind::RefundReminder)
                .await?;
            let batch: Vec<NotificationDraft> = eligible
                .into_iter()
                .filter(|line| !applied.contains(&line.id))
                .filter_map(|line| {
                    let reminders = reminded.get(&line.id).copied().unwrap_or(0);
                    message(&line.id, reminders).map(|(kind, dedupe_key)| NotificationDraft {
                        customer_id: line.customer_id.clone(),
                        line_id: Some(line.id.clone()),
                        kind,
                        dedupe_key,
                    })
                })
                .collect();
            sent += self
                .notifications
                .send_many(batch, self.clock.now())
                .await?;
        }
        Ok(sent)
    }
}
