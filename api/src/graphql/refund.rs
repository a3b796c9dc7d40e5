//! The fee waiver's refund operations: applying, correcting the account, payout rounds
//! and the reminder runs; and the `RefundApplication`, `PayoutRound`, `PayoutFile` types.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use benefits_domain::auth::Role;
use benefits_domain::customer::LineId;
use benefits_domain::refund::ports::{ApplicationFilter, RecordError};
use benefits_domain::refund::service::{
    ApplyError, ApplyRequest, CloseError, CorrectError, LateError, RunError,
};
use benefits_domain::refund::{self as domain, ApplicationId};

use benefits_domain::campaign::FeeWaiverRules;

use super::context::parts;
use super::cost;
use super::fee_waiver::FeeWaiverReason;
use super::guard::RoleGuard;
use super::rate_limit::RateLimit;
use super::{ApiError, ErrorCode};

/// Where an application was made.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    CallCenter,
    Store,
}

impl From<Channel> for domain::Channel {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::Web => Self::Web,
            Channel::CallCenter => Self::CallCenter,
            Channel::Store => Self::Store,
        }
    }
}

impl From<domain::Channel> for Channel {
    fn from(channel: domain::Channel) -> Self {
        match channel {
            domain::Channel::Web => Self::Web,
            domain::Channel::CallCenter => Self::CallCenter,
            domain::Channel::Store => Self::Store,
        }
    }
}

/// SUBMITTED → SCHEDULED → PAID, or FAILED until the account is corrected.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    Submitted,
    Scheduled,
    Paid,
    Failed,
}

impl From<domain::RefundStatus> for RefundStatus {
    fn from(status: domain::RefundStatus) -> Self {
        match status {
            domain::RefundStatus::Submitted => Self::Submitted,
            domain::RefundStatus::Scheduled => Self::Scheduled,
            domain::RefundStatus::Paid => Self::Paid,
            domain::RefundStatus::Failed => Self::Failed,
        }
    }
}

impl From<RefundStatus> for domain::RefundStatus {
    fn from(status: RefundStatus) -> Self {
        match status {
            RefundStatus::Submitted => Self::Submitted,
            RefundStatus::Scheduled => Self::Scheduled,
            RefundStatus::Paid => Self::Paid,
            RefundStatus::Failed => Self::Failed,
        }
    }
}

/// Why a customer could not apply in time.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum LateReason {
    MilitaryService,
    OverseasStay,
    Hospitalisation,
    BusinessTrip,
}

impl From<LateReason> for domain::LateReason {
    fn from(reason: LateReason) -> Self {
        match reason {
            LateReason::MilitaryService => Self::MilitaryService,
            LateReason::OverseasStay => Self::OverseasStay,
            LateReason::Hospitalisation => Self::Hospitalisation,
            LateReason::BusinessTrip => Self::BusinessTrip,
        }
    }
}

impl From<domain::LateReason> for LateReason {
    fn from(reason: domain::LateReason) -> Self {
        match reason {
            domain::LateReason::MilitaryService => Self::MilitaryService,
            domain::LateReason::OverseasStay => Self::OverseasStay,
            domain::LateReason::Hospitalisation => Self::Hospitalisation,
            domain::LateReason::BusinessTrip => Self::BusinessTrip,
        }
    }
}

/// A line's late-application grant: it may apply until 22:00 KST on `applyUntil`.
#[derive(SimpleObject)]
pub struct LateApplication {
    /// `YYYY-MM-DD`: `reasonEndedOn` plus the campaign's days (14).
    pub apply_until: String,
    /// RFC 3339: the instant applications stop being accepted (22:00 KST on `applyUntil`).
    pub deadline: String,
    pub reason: LateReason,
    /// `YYYY-MM-DD`.
    pub reason_ended_on: String,
    /// RFC 3339, UTC.
    pub granted_at: String,
}

impl LateApplication {
    pub fn new(grant: &domain::LateApplication, rules: &FeeWaiverRules) -> Self {
        Self {
            apply_until: grant.apply_until.to_string(),
            deadline: grant.deadline(rules).to_rfc3339(),
            reason: grant.reason.into(),
            reason_ended_on: grant.reason_ended_on.to_string(),
            granted_at: grant.granted_at.to_rfc3339(),
        }
    }
}

fn late_error(error: LateError) -> ApiError {
    match error {
        LateError::BadInput(refusal) => {
            ApiError::bad_input(refusal.message()).with_reason(refusal.code())
        }
        LateError::BadDate => ApiError::bad_input(LateError::BadDate.to_string()),
        LateError::NotFound => ApiError::not_found("line"),
        LateError::NotEligible(reason) => ApiError::new(
            ErrorCode::NotEligible,
            "the line is not eligible for the waiver",
        )
        .with_reason(FeeWaiverReason::from(reason).name()),
        LateError::AlreadyApplied => ApiError::new(
            ErrorCode::AlreadyApplied,
            "this line already has an application",
        ),
        LateError::Unexpected(cause) => ApiError::internal(cause),
    }
}

/// The most applications one `refundApplications` page returns.
const MAX_LISTED: i32 = 500;

/// A scheduled payout of refunds.
#[derive(SimpleObject, Clone)]
pub struct PayoutRound {
    pub number: i32,
    /// `YYYY-MM-DD`.
    pub pay_date: String,
}

impl From<&benefits_domain::campaign::PayoutRound> for PayoutRound {
    fn from(round: &benefits_domain::campaign::PayoutRound) -> Self {
        Self {
            number: round.number,
            pay_date: round.pay_date.to_string(),
        }
    }
}

/// A refund application.
pub struct RefundApplication(pub domain::RefundApplication);

#[Object]
impl RefundApplication {
    async fn id(&self) -> ID {
        ID(self.0.id.0.clone())
    }

    async fn status(&self) -> RefundStatus {
        self.0.status.into()
    }

    async fn channel(&self) -> Channel {
        self.0.channel.into()
    }

    /// KRW.
    async fn amount(&self) -> i64 {
        self.0.amount
    }

    /// The account number with every digit but the last four masked.
    async fn account_masked(&self) -> String {
        self.0.account.masked()
    }

    async fn bank_code(&self) -> &str {
        self.0.account.bank_code()
    }

    /// The bank's Korean name (`KB국민은행`), from the bank list.
    async fn bank_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let (app, _) = parts(ctx)?;
        let banks = app.refunds.banks().await.map_err(ApiError::internal)?;
        Ok(banks
            .into_iter()
            .find(|bank| bank.code == self.0.account.bank_code())
            .map(|bank| bank.korean_name))
    }

    /// The payout round; null only for a FAILED payout waiting for a corrected account,
    /// or a late application that meets no round yet (it joins the first round an
    /// admin adds that it meets).
    async fn round(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PayoutRound>> {
        let Some(number) = self.0.round else {
            return Ok(None);
        };
        let (app, _) = parts(ctx)?;
        let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
        Ok(campaign
            .payout_rounds
            .iter()
            .find(|r| r.number == number)
            .map(PayoutRound::from))
    }

    /// RFC 3339, UTC.
    async fn applied_at(&self) -> String {
        self.0.applied_at.to_rfc3339()
    }
}

/// A financial institution refunds are paid to.
#[derive(SimpleObject)]
pub struct Bank {
    /// The three-digit financial institution code (`004`).
    pub code: String,
    /// The Korean name (`KB국민은행`).
    pub name: String,
    pub english_name: String,
    /// Digits of its account numbers, fewest and most.
    pub min_digits: i32,
    pub max_digits: i32,
}

impl From<domain::Bank> for Bank {
    fn from(bank: domain::Bank) -> Self {
        Self {
            code: bank.code,
            name: bank.korean_name,
            english_name: bank.english_name,
            min_digits: i32::try_from(bank.min_digits).unwrap_or(i32::MAX),
            max_digits: i32::try_from(bank.max_digits).unwrap_or(i32::MAX),
        }
    }
}

/// The payouts of a round to one bank: the payout file's report.
#[derive(SimpleObject)]
pub struct PayoutBankTotal {
    pub bank_code: String,
    /// The bank's Korean name; null for a code no longer on the list.
    pub bank_name: Option<String>,
    pub english_name: Option<String>,
    pub count: i32,
    /// KRW.
    pub total: i64,
}

/// The payout file of a closed round, for the bank transfer system.
#[derive(SimpleObject)]
pub struct PayoutFile {
    pub round: PayoutRound,
    pub count: i32,
    /// KRW.
    pub total: i64,
    /// Payouts and amounts per bank, by name, in the bank list's order.
    pub by_bank: Vec<PayoutBankTotal>,
    /// `application_id,bank_code,account_number,account_holder,amount`: full account
    /// numbers, admins only, every read audited.
    pub csv: String,
}

/// The file's payouts totalled per bank, in the bank list's order (unknown codes last).
fn by_bank(file: &domain::PayoutFile, banks: &[domain::Bank]) -> Vec<PayoutBankTotal> {
    let mut totals: Vec<PayoutBankTotal> = Vec::new();
    for item in &file.items {
        let code = item.account.bank_code();
        if let Some(total) = totals.iter_mut().find(|t| t.bank_code == code) {
            total.count += 1;
            total.total += item.amount;
        } else {
            let bank = banks.iter().find(|bank| bank.code == code);
            totals.push(PayoutBankTotal {
                bank_code: code.to_owned(),
                bank_name: bank.map(|b| b.korean_name.clone()),
                english_name: bank.map(|b| b.english_name.clone()),
                count: 1,
                total: item.amount,
            });
        }
    }
    let position = |code: &str| {
        banks
            .iter()
            .position(|b| b.code == code)
            .unwrap_or(usize::MAX)
    };
    totals.sort_by_key(|t| position(&t.bank_code));
    totals
}

/// What a reminder or notice run sent.
#[derive(SimpleObject)]
pub struct ReminderRun {
    pub sent: i32,
}

/// `applyForRefund`'s input.
#[derive(InputObject)]
pub struct ApplyForRefundInput {
    pub line_id: ID,
    pub channel: Channel,
    pub bank_code: String,
    pub account_number: String,
    pub account_holder: String,
    pub guardian_name: Option<String>,
    pub idempotency_key: String,
}

fn apply_error(error: ApplyError) -> ApiError {
    match error {
        ApplyError::BadInput(message) => ApiError::bad_input(message),
        ApplyError::BadAccount(refusal) => {
            ApiError::bad_input(refusal.message()).with_reason(refusal.code())
        }
        ApplyError::NotFound => ApiError::not_found("line"),
        ApplyError::ChannelNotAllowed => ApiError::new(
            ErrorCode::ChannelNotAllowed,
            "customers apply over WEB, agents over CALL_CENTER or STORE; minors and companies in a STORE only",
        ),
        ApplyError::WindowClosed => ApiError::new(
            ErrorCode::WindowClosed,
            "outside the campaign's application window and any late-application deadline of the line",
        ),
        ApplyError::NotEligible(reason) => ApiError::new(
            ErrorCode::NotEligible,
            "the line is not eligible for the waiver",
        )
        .with_reason(FeeWaiverReason::from(reason).name()),
        ApplyError::HolderMismatch(who) => ApiError::new(
            ErrorCode::AccountHolderMismatch,
            format!("the account holder must be {who}"),
        ),
        ApplyError::AlreadyApplied => ApiError::new(
            ErrorCode::AlreadyApplied,
            "this line already has an application",
        ),
        ApplyError::IdempotencyConflict => ApiError::new(
            ErrorCode::IdempotencyConflict,
            "this idempotency key was used with a different input",
        ),
        ApplyError::Unexpected(cause) => ApiError::internal(cause),
    }
}

fn run_error(error: RunError) -> ApiError {
    match error {
        RunError::WindowClosed => ApiError::new(
            ErrorCode::WindowClosed,
            "outside the campaign's window for this run",
        ),
        RunError::Unexpected(cause) => ApiError::internal(cause),
    }
}

/// Refund mutations.
#[derive(Default)]
pub struct RefundMutation;

#[Object]
impl RefundMutation {
    /// Applies for the refund of a cancelled line: customers over WEB, agents over
    /// CALL_CENTER or STORE for the customer. Repeating an idempotency key with the
    /// same input returns the first result.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Customer, Role::Agent]).and(RateLimit::per_minute(\"applyForRefund\", 30))"
    )]
    async fn apply_for_refund(
        &self,
        ctx: &Context<'_>,
        input: ApplyForRefundInput,
    ) -> async_graphql::Result<RefundApplication> {
        let (app, caller) = parts(ctx)?;
        let request = ApplyRequest {
            line_id: LineId(input.line_id.0),
            channel: input.channel.into(),
            bank_code: input.bank_code,
            account_number: input.account_number,
            account_holder: input.account_holder,
            guardian_name: input.guardian_name,
            idempotency_key: input.idempotency_key,
        };
        let application = app
            .refunds
            .apply(caller, request)
            .await
            .map_err(apply_error)?;
        Ok(RefundApplication(application))
    }

    /// Corrects the bank account of an application until its round is closed, or
    /// after a failed payout (which then joins the next round). The owner or an agent.
    #[graphql(guard = "RoleGuard::new(&[Role::Customer, Role::Agent])")]
    async fn update_refund_account(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        bank_code: String,
        account_number: String,
        account_holder: String,
    ) -> async_graphql::Result<RefundApplication> {
        let (app, caller) = parts(ctx)?;
        let id = ApplicationId(application_id.0);
        let corrected = app
            .refunds
            .correct_account(caller, &id, &bank_code, &account_number, &account_holder)
            .await
            .map_err(|error| match error {
                CorrectError::BadInput(message) => ApiError::bad_input(message),
                CorrectError::BadAccount(refusal) => {
                    ApiError::bad_input(refusal.message()).with_reason(refusal.code())
                }
                CorrectError::NotFound => ApiError::not_found("application"),
                CorrectError::RoundClosed => ApiError::new(
                    ErrorCode::WindowClosed,
                    "the application's payout round is closed",
                ),
                CorrectError::HolderMismatch(who) => ApiError::new(
                    ErrorCode::AccountHolderMismatch,
                    format!("the account holder must be {who}"),
                ),
                CorrectError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        Ok(RefundApplication(corrected))
    }

    /// Closes a payout round and returns its file; closing again returns the same file.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn close_payout_round(
        &self,
        ctx: &Context<'_>,
        number: i32,
    ) -> async_graphql::Result<PayoutFile> {
        let (app, caller) = parts(ctx)?;
        let file = app
            .refunds
            .close_round(caller, number)
            .await
            .map_err(|error| match error {
                CloseError::NotFound => ApiError::not_found("payout round"),
                CloseError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        let banks = app.refunds.banks().await.map_err(ApiError::internal)?;
        Ok(PayoutFile {
            round: PayoutRound::from(&file.round),
            count: i32::try_from(file.items.len()).unwrap_or(i32::MAX),
            total: file.total(),
            by_bank: by_bank(&file, &banks),
            csv: file.csv(),
        })
    }

    /// Records the bank's answer for a scheduled payout.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn record_payout_result(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        paid: bool,
    ) -> async_graphql::Result<RefundApplication> {
        let (app, caller) = parts(ctx)?;
        let id = ApplicationId(application_id.0);
        let recorded = app
            .refunds
            .record_result(caller, &id, paid)
            .await
            .map_err(|error| match error {
                RecordError::NotFound => ApiError::not_found("application"),
                RecordError::NotScheduled => {
                    ApiError::bad_input("the application is not awaiting a payout result")
                }
                RecordError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        Ok(RefundApplication(recorded))
    }

    /// Records the bank's results file (CSV `application_id,result,amount,reason`, at
    /// most 60,000 bytes) in one idempotent run: a file that does not parse is
    /// `BAD_USER_INPUT` and records nothing; otherwise every row is reported.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn record_payout_results(
        &self,
        ctx: &Context<'_>,
        csv: String,
    ) -> async_graphql::Result<PayoutResultsReport> {
        let (app, caller) = parts(ctx)?;
        if csv.len() > MAX_RESULTS_BYTES {
            return Err(ApiError::bad_input(format!(
                "the file must be at most {MAX_RESULTS_BYTES} bytes; record larger files with `benefits payouts record`"
            ))
            .into());
        }
        let rows = domain::results::parse(&csv)
            .map_err(|error| ApiError::bad_input(format!("{error}: nothing recorded")))?;
        let run = app
            .refunds
            .record_results(
                caller,
                rows,
                &crate::commands::payouts::sha256_hex(csv.as_bytes()),
            )
            .await
            .map_err(ApiError::internal)?;
        let count = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(PayoutResultsReport {
            recorded: count(run.recorded),
            already_recorded: count(run.already_recorded),
            refused: count(run.refused),
            rows: run
                .rows
                .into_iter()
                .map(|(row, outcome)| {
                    let (outcome, refusal) = match outcome {
                        domain::results::RowOutcome::Recorded => ("RECORDED", None),
                        domain::results::RowOutcome::AlreadyRecorded => ("ALREADY_RECORDED", None),
                        domain::results::RowOutcome::Refused(refusal) => ("REFUSED", Some(refusal)),
                    };
                    PayoutResultRow {
                        line: count(row.line),
                        application_id: ID(row.application_id.0),
                        outcome: outcome.to_owned(),
                        reason: refusal.map(|r| r.code().to_owned()),
                        message: refusal.map(|r| r.message().to_owned()),
                    }
                })
                .collect(),
        })
    }

    /// Grants a line a late-application deadline, `reasonEndedOn` + 14 days, after the
    /// evidence was reviewed: its `applyForRefund` is then accepted until 22:00 KST on
    /// `applyUntil`. Agents and admins; audited.
    #[graphql(guard = "RoleGuard::new(&[Role::Agent, Role::Admin])")]
    async fn grant_late_application(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
        reason: LateReason,
        reason_ended_on: String,
        evidence_note: String,
    ) -> async_graphql::Result<LateApplication> {
        let (app, caller) = parts(ctx)?;
        let grant = app
            .refunds
            .grant_late(
                caller,
                &LineId(line_id.0),
                reason.into(),
                &reason_ended_on,
                &evidence_note,
            )
            .await
            .map_err(late_error)?;
        let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
        Ok(LateApplication::new(&grant, &campaign.fee_waiver))
    }

    /// Sends one reminder to every eligible line without an application that has had
    /// fewer than three. Inside the application window only.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn send_refund_reminders(&self, ctx: &Context<'_>) -> async_graphql::Result<ReminderRun> {
        let (app, caller) = parts(ctx)?;
        let sent = app
            .refunds
            .send_reminders(caller)
            .await
            .map_err(run_error)?;
        Ok(ReminderRun {
            sent: i32::try_from(sent).unwrap_or(i32::MAX),
        })
    }

    /// Tells every eligible line without an application, once, that it may apply.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn send_eligibility_notices(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<ReminderRun> {
        let (app, caller) = parts(ctx)?;
        let sent = app
            .refunds
            .send_eligibility_notices(caller)
            .await
            .map_err(run_error)?;
        Ok(ReminderRun {
            sent: i32::try_from(sent).unwrap_or(i32::MAX),
        })
    }
}

/// Lines with one eligibility outcome.
#[derive(SimpleObject)]
pub struct ReasonCount {
    /// Null counts the eligible lines.
    pub reason: Option<FeeWaiverReason>,
    pub count: i64,
}

/// Applications of one round in one status.
#[derive(SimpleObject)]
pub struct ApplicationCount {
    /// Null for FAILED payouts waiting for a corrected account.
    pub round: Option<i32>,
    pub status: RefundStatus,
    pub count: i64,
    /// KRW.
    pub amount: i64,
}

/// The admins' view of the fee waiver.
#[derive(SimpleObject)]
pub struct RefundOverview {
    #[graphql(complexity = "cost::list(cost::OUTCOMES, child_complexity)")]
    pub lines_by_reason: Vec<ReasonCount>,
    /// By round and status; the SUBMITTED and SCHEDULED sums are what is still to pay.
    #[graphql(complexity = "cost::list(cost::SHORT_LIST, child_complexity)")]
    pub applications: Vec<ApplicationCount>,
}

/// The largest results file `recordPayoutResults` takes: it must fit, escaped, in the
/// service's 64 KiB request body; larger files go through `benefits payouts record`.
pub const MAX_RESULTS_BYTES: usize = 60_000;

/// What a run did with one row of a payout results file.
#[derive(SimpleObject)]
pub struct PayoutResultRow {
    /// The row's line in the file (the header is line 1).
    pub line: i32,
    pub application_id: ID,
    /// `RECORDED`, `ALREADY_RECORDED` or `REFUSED`.
    pub outcome: String,
    /// For a refused row: `UNKNOWN_ID`, `DUPLICATE_ID`, `ROUND_NOT_CLOSED`,
    /// `OTHER_RESULT_RECORDED`, `AMOUNT_MISMATCH` or `CHANGED_MEANWHILE`.
    pub reason: Option<String>,
    pub message: Option<String>,
}

/// What `recordPayoutResults` did: the counts and every row.
#[derive(SimpleObject)]
pub struct PayoutResultsReport {
    pub recorded: i32,
    pub already_recorded: i32,
    pub refused: i32,
    #[graphql(complexity = "cost::list(cost::RESULT_ROWS, child_complexity)")]
    pub rows: Vec<PayoutResultRow>,
}

/// Refund queries.
#[derive(Default)]
pub struct RefundQuery;

#[Object]
impl RefundQuery {
    /// The banks refunds can be paid to (financial institution codes), in list order.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Customer, Role::PartnerStore, Role::Agent, Role::Admin])"
    )]
    async fn banks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Bank>> {
        let (app, _) = parts(ctx)?;
        let banks = app.refunds.banks().await.map_err(ApiError::internal)?;
        Ok(banks.into_iter().map(Bank::from).collect())
    }

    /// Lines by eligibility reason, and applications and amounts by round and status.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn refund_overview(&self, ctx: &Context<'_>) -> async_graphql::Result<RefundOverview> {
        let (app, _) = parts(ctx)?;
        let overview = app.refunds.overview().await.map_err(ApiError::internal)?;
        Ok(RefundOverview {
            lines_by_reason: overview
                .lines_by_reason
                .into_iter()
                .map(|(reason, count)| ReasonCount {
                    reason: reason.map(FeeWaiverReason::from),
                    count: i64::try_from(count).unwrap_or(i64::MAX),
                })
                .collect(),
            applications: overview
                .applications
                .into_iter()
                .map(|tally| ApplicationCount {
                    round: tally.round,
                    status: tally.status.into(),
                    count: i64::try_from(tally.count).unwrap_or(i64::MAX),
                    amount: tally.amount,
                })
                .collect(),
        })
    }

    /// Applications in a payout round and/or status, newest first (`first` at most
    /// 500); `withoutRound` lists only those waiting without a round. Every read is
    /// audited.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::first(first, child_complexity)"
    )]
    async fn refund_applications(
        &self,
        ctx: &Context<'_>,
        round: Option<i32>,
        status: Option<RefundStatus>,
        #[graphql(default = false)] without_round: bool,
        #[graphql(default = 100)] first: i32,
    ) -> async_graphql::Result<Vec<RefundApplication>> {
        let (app, caller) = parts(ctx)?;
        if !(1..=MAX_LISTED).contains(&first) {
            return Err(ApiError::bad_input("first must be 1 to 500").into());
        }
        let filter = ApplicationFilter {
            round,
            status: status.map(Into::into),
            without_round,
        };
        let found = app
            .refunds
            .list(caller, filter, u64::try_from(first).unwrap_or(100))
            .await
            .map_err(ApiError::internal)?;
        Ok(found.into_iter().map(RefundApplication).collect())
    }
}
