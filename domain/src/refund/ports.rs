//! Where applications, idempotency records and payout files are kept.

use std::collections::{BTreeSet, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::late::LateApplication;
use super::{
    ApplicationId, BankAccount, NewApplication, PayoutFile, RefundApplication, RefundStatus,
};
use crate::campaign::PayoutRound;
use crate::customer::{CustomerId, LineId};
use crate::error::Unexpected;

/// An idempotency key as claimed by one caller for one operation. The fingerprint is
/// the canonical input; the adapter stores only a keyed hash of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    pub scope: String,
    pub key: String,
    pub fingerprint: String,
}

/// What an earlier use of an idempotency key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Same input: the application it produced.
    Same(ApplicationId),
    /// The key was used with another input.
    Different,
}

/// Applications of one round (or none) in one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationTally {
    pub round: Option<i32>,
    pub status: RefundStatus,
    pub count: u64,
    /// KRW.
    pub amount: i64,
}

/// Which applications an admin lists; `None` matches any round or status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApplicationFilter {
    pub round: Option<i32>,
    pub status: Option<RefundStatus>,
    /// Only applications without a round (late ones waiting for a round, failed
    /// payouts waiting for a corrected account).
    pub without_round: bool,
}

/// Why a submission was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the line already has an application")]
    AlreadyApplied,
    #[error("the idempotency key was claimed concurrently")]
    KeyTaken,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Why a payout result was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("no such application")]
    NotFound,
    #[error("the application is not awaiting a payout result")]
    NotScheduled,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Refund applications. Every rule about concurrency is enforced by the store: one
/// application per line, one use per idempotency key, one payout item per application
/// and round, and status changes only from the expected status.
#[async_trait]
pub trait RefundRepository: Send + Sync {
    /// An application; with `owner`, only when it belongs to that customer.
    async fn find(
        &self,
        id: &ApplicationId,
        owner: Option<&CustomerId>,
    ) -> Result<Option<RefundApplication>, Unexpected>;

    /// The application of a line, if any.
    async fn for_line(&self, line: &LineId) -> Result<Option<RefundApplication>, Unexpected>;

    /// Which of these lines have an application.
    async fn lines_with_applications(
        &self,
        lines: &[LineId],
    ) -> Result<HashSet<LineId>, Unexpected>;

    /// What an earlier use of this idempotency key did, if it was used.
    async fn replay(&self, claim: &IdempotencyClaim) -> Result<Option<Replay>, Unexpected>;

    /// Stores an application and the idempotency key together.
    async fn submit(
        &self,
        application: NewApplication,
        claim: &IdempotencyClaim,
    ) -> Result<RefundApplication, SubmitError>;

    /// Replaces the account of an application that is SUBMITTED in an open round, or
    /// FAILED (which then moves to `next_round` and is SUBMITTED again). `None` when the
    /// application is in neither state any more.
    async fn correct_account(
        &self,
        id: &ApplicationId,
        account: &BankAccount,
        next_round: Option<i32>,
        at: DateTime<Utc>,
    ) -> Result<Option<RefundApplication>, Unexpected>;

    /// The last round whose payout file held this application (the round a FAILED
    /// payout failed in).
    async fn last_round(&self, id: &ApplicationId) -> Result<Option<i32>, Unexpected>;

    /// Applications matching `filter`, newest first, at most `limit`.
    async fn list(
        &self,
        filter: ApplicationFilter,
        limit: u64,
    ) -> Result<Vec<RefundApplication>, Unexpected>;

    /// Applications counted and summed by round and status.
    async fn tally(&self) -> Result<Vec<ApplicationTally>, Unexpected>;

    /// The numbers of the rounds already closed in a campaign.
    async fn closed_rounds(&self, campaign_id: &str) -> Result<BTreeSet<i32>, Unexpected>;

    /// Closes a round: its SUBMITTED applications become SCHEDULED and are frozen into
    /// the round's payout file. Closing again returns the same file.
    async fn close_round(
        &self,
        campaign_id: &str,
        round: &PayoutRound,
        at: DateTime<Utc>,
    ) -> Result<PayoutFile, Unexpected>;

    /// The line's late-application grant, if staff gave one.
    async fn late_application(&self, line: &LineId) -> Result<Option<LateApplication>, Unexpected>;

    /// Stores a line's late-application grant, replacing an earlier one.
    async fn grant_late(&self, grant: &LateApplication) -> Result<(), Unexpected>;

    /// SUBMITTED applications without a round: late applications that met no round.
    async fn waiting_without_round(&self) -> Result<Vec<RefundApplication>, Unexpected>;

    /// Puts a waiting application (SUBMITTED, no round) into `round`; `false` when it is
    /// no longer waiting.
    async fn join_round(&self, id: &ApplicationId, round: i32) -> Result<bool, Unexpected>;

    /// Records the bank's answer for a SCHEDULED application: PAID, or FAILED (its
    /// round cleared until the account is corrected). Recording the same answer again
    /// changes nothing.
    async fn record_result(
        &self,
        id: &ApplicationId,
        paid: bool,
        at: DateTime<Utc>,
    ) -> Result<RefundApplication, RecordError>;

    /// The applications with these ids (unknown ids are left out).
    async fn find_many(&self, ids: &[ApplicationId]) -> Result<Vec<RefundApplication>, Unexpected>;

    /// Records many results in ONE transaction, each exactly as [`Self::record_result`]
    /// does: per result the application as recorded, or `None` when it was not
    /// SCHEDULED any more (nothing changed for that one).
    async fn record_results(
        &self,
        results: &[(ApplicationId, bool)],
        at: DateTime<Utc>,
    ) -> Result<Vec<Option<RefundApplication>>, Unexpected>;
}
