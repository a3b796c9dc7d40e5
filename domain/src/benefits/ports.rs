//! Where the appreciation program's records are kept.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::claims::{Claim, ClaimStatus, EarlierFiling, NewClaim};
use crate::customer::{CustomerId, LineId};
use crate::error::Unexpected;
use crate::refund::ports::IdempotencyClaim;

/// A service of the OTT catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OttService {
    pub id: String,
    pub external_id: String,
    pub name: String,
    /// Customers younger than this on the day they choose cannot choose the service.
    pub minimum_age: Option<u32>,
}

/// What an upsert of an OTT service does to its minimum age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinimumAge {
    /// Left as it is (none for a new service).
    Keep,
    /// Set, or cleared with `None`.
    Set(Option<u32>),
}

/// A line's OTT choice and its voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OttSelection {
    pub service: OttService,
    pub voucher_code: String,
    pub activated: bool,
}

/// A month of data granted to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataGrant {
    /// `YYYY-MM`.
    pub month: String,
    pub gigabytes: i32,
}

/// A roaming pass and its bonus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoamingBonus {
    pub pass_name: String,
    pub data_mb: i64,
    pub bonus_mb: i64,
    pub activated_on: NaiveDate,
}

/// An existing roaming offer of a line, extended by the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoamingExtension {
    pub offer_code: String,
    pub original_end: NaiveDate,
    pub extended_until: NaiveDate,
}

/// A roaming pass fed from billing, with its bonus, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoamingBonus {
    pub line_id: LineId,
    /// Billing's record id: a record sent again is recorded once.
    pub external_id: Option<String>,
    pub bonus: RoamingBonus,
}

/// `selectOtt` could not change the choice.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error("the voucher is activated: the choice is final")]
    Final,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// The appreciation program's records. One grant per line and month, one voucher per
/// line, one bonus per billing record: unique constraints, not checks.
#[async_trait]
pub trait AppreciationRepository: Send + Sync {
    /// Whether the customer enrolled in the insurance.
    async fn enrolled(&self, customer: &CustomerId) -> Result<bool, Unexpected>;

    /// When each of these customers consented, for those who enrolled.
    async fn enrolments(
        &self,
        customers: &[CustomerId],
    ) -> Result<Vec<(CustomerId, DateTime<Utc>)>, Unexpected>;

    /// Records the consent (enrolling again keeps the first consent).
    async fn enrol(
        &self,
        customer: &CustomerId,
        at: DateTime<Utc>,
        terms_version: &str,
    ) -> Result<(), Unexpected>;

    /// The OTT catalog.
    async fn ott_services(&self) -> Result<Vec<OttService>, Unexpected>;

    /// Adds or renames a service by external id, with its minimum age.
    async fn upsert_ott_service(
        &self,
        external_id: &str,
        name: &str,
        minimum_age: MinimumAge,
    ) -> Result<OttService, Unexpected>;

    /// A line's OTT choice.
    async fn ott_selection(&self, line: &LineId) -> Result<Option<OttSelection>, Unexpected>;

    /// Chooses (or changes) a line's service while its voucher is not activated; a new
    /// choice keeps the line's voucher code.
    async fn select_ott(
        &self,
        line: &LineId,
        service_id: &str,
        voucher_code: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<OttSelection>, SelectError>;

    /// Activates a line's voucher: its choice becomes final.
    async fn activate_voucher(
        &self,
        line: &LineId,
        at: DateTime<Utc>,
    ) -> Result<Option<OttSelection>, Unexpected>;

    /// Grants `gigabytes` for `month` to each line that has no grant for it, with an
    /// outbox entry for network provisioning; returns how many were granted now.
    async fn grant_data(
        &self,
        lines: &[LineId],
        month: &str,
        gigabytes: i32,
        at: DateTime<Utc>,
    ) -> Result<u32, Unexpected>;

    /// A line's data grants, oldest first.
    async fn data_grants(&self, line: &LineId) -> Result<Vec<DataGrant>, Unexpected>;

    /// Records a roaming bonus (once per billing record id), pushing it to provisioning;
    /// returns the recorded bonus (the first one for a record sent again).
    async fn record_roaming(
        &self,
        bonus: &NewRoamingBonus,
        at: DateTime<Utc>,
    ) -> Result<RoamingBonus, Unexpected>;

    /// Which of these billing record ids have a roaming bonus already.
    async fn known_roaming_records(
        &self,
        record_ids: &[String],
    ) -> Result<std::collections::HashSet<String>, Unexpected>;

    /// A line's roaming bonuses, oldest first.
    async fn roaming_bonuses(&self, line: &LineId) -> Result<Vec<RoamingBonus>, Unexpected>;

    /// Lists an existing roaming offer as extended by the campaign until `until`.
    async fn extend_roaming_offer(
        &self,
        campaign_id: &str,
        offer_code: &str,
        until: NaiveDate,
    ) -> Result<(), Unexpected>;

    /// Until when the campaign extends a roaming offer, if it does.
    async fn roaming_offer_extension(
        &self,
        campaign_id: &str,
        offer_code: &str,
    ) -> Result<Option<NaiveDate>, Unexpected>;

    /// Records a line's extension once, pushing it to billing; returns the recorded one
    /// (the first, when billing reports the offer again).
    async fn record_extension(
        &self,
        line: &LineId,
        extension: &RoamingExtension,
        at: DateTime<Utc>,
    ) -> Result<RoamingExtension, Unexpected>;

    /// A line's extended roaming offers.
    async fn roaming_extensions(&self, line: &LineId) -> Result<Vec<RoamingExtension>, Unexpected>;

    /// What an earlier claim filed with this idempotency key did, if one was.
    async fn filed_with(&self, key: &IdempotencyClaim)
    -> Result<Option<EarlierFiling>, Unexpected>;

    /// Stores a new claim, RECEIVED, and the idempotency key that filed it, together;
    /// `None` when the key was taken meanwhile (by a concurrent retry).
    async fn file_claim(
        &self,
        claim: &NewClaim,
        key: &IdempotencyClaim,
    ) -> Result<Option<Claim>, Unexpected>;

    /// A claim; with `owner`, only when it is that customer's.
    async fn claim(
        &self,
        id: &str,
        owner: Option<&CustomerId>,
    ) -> Result<Option<Claim>, Unexpected>;

    /// A customer's claims, newest first; or, without a customer, the claims in `status`.
    async fn claims(
        &self,
        customer: Option<&CustomerId>,
        status: Option<ClaimStatus>,
    ) -> Result<Vec<Claim>, Unexpected>;

    /// Moves a claim from `from` to `to` (setting the approved amount when given);
    /// `false` when it was no longer in `from`.
    async fn move_claim(
        &self,
        id: &str,
        from: ClaimStatus,
        to: ClaimStatus,
        approved_amount: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<bool, Unexpected>;
}
