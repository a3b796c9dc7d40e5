//! Where the catalog, codes, usage and redemptions are kept.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{CodeView, NewPartner, Offer, Partner, Redemption, Store, Usage};
use crate::customer::{CustomerId, LineId};
use crate::error::Unexpected;

/// Why a catalog change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("store {0} belongs to another partner")]
    StoreOfAnotherPartner(String),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Partners, stores and offers.
#[async_trait]
pub trait CatalogRepository: Send + Sync {
    /// Upserts a partner by external id with its stores and offers; offers it no longer
    /// lists are withdrawn (past redemptions keep pointing at them).
    async fn upsert_partner(
        &self,
        partner: &NewPartner,
        at: DateTime<Utc>,
    ) -> Result<Partner, CatalogError>;

    /// Every partner with its stores and current offers.
    async fn partners(&self) -> Result<Vec<Partner>, Unexpected>;

    /// A current offer.
    async fn offer(&self, id: &str) -> Result<Option<Offer>, Unexpected>;

    /// A store by its external id (as store tokens name it).
    async fn store(&self, external_id: &str) -> Result<Option<Store>, Unexpected>;
}

/// A redemption to store, with everything its transaction checks.
#[derive(Debug, Clone)]
pub struct RedeemCommand {
    pub code: String,
    pub store: Store,
    pub offer: Offer,
    /// The code as the checks saw it (its line, customer and expiry).
    pub code_state: CodeView,
    pub purchase_amount: i64,
    pub discount_amount: i64,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub idempotency_key: String,
    /// The canonical input; the adapter stores a keyed hash of it.
    pub fingerprint: String,
}

/// Why a redemption was not stored; nothing of it was.
#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    #[error("the code was used")]
    CodeUsed,
    #[error("the code expired")]
    CodeExpired,
    #[error("a usage limit is reached")]
    LimitReached,
    #[error("the idempotency key was claimed concurrently")]
    KeyTaken,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// What an earlier redemption with an idempotency key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedemptionReplay {
    Same(Redemption),
    Different,
}

/// Why a cancellation was refused.
#[derive(Debug, thiserror::Error)]
pub enum CancelError {
    #[error("no such redemption of this store")]
    NotFound,
    #[error("only a redemption of the same day can be cancelled")]
    NotSameDay,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Codes, usage counters and redemptions. Single use of a code, every usage limit and
/// one redemption per idempotency key hold in the store's transaction, never in a cache.
#[async_trait]
pub trait DiscountRepository: Send + Sync {
    /// Stores a new code (the adapter keeps only its keyed hash).
    async fn save_code(
        &self,
        code: &str,
        line: &LineId,
        customer: &CustomerId,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), Unexpected>;

    /// What is known of a code; served from the cache when possible.
    async fn code(&self, code: &str) -> Result<Option<CodeView>, Unexpected>;

    /// A line's usage of an offer on `today`'s day and month and over the program.
    async fn usage(
        &self,
        line: &LineId,
        offer: &str,
        today: NaiveDate,
    ) -> Result<Usage, Unexpected>;

    /// What an earlier use of this store's idempotency key did, if anything.
    async fn replay(
        &self,
        store_id: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<RedemptionReplay>, Unexpected>;

    /// Consumes the code, counts the usage within every limit and stores the
    /// redemption, in one transaction.
    async fn redeem(&self, command: &RedeemCommand) -> Result<Redemption, RedeemError>;

    /// Cancels a store's own redemption of `today`, restoring its usage. Cancelling
    /// again returns the cancelled redemption.
    async fn cancel(
        &self,
        id: &str,
        store_id: &str,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<Redemption, CancelError>;

    /// A store's redemptions, newest first, strictly after the `after` redemption of
    /// the same listing.
    async fn redemptions_of_store(
        &self,
        store_id: &str,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Vec<Redemption>, Unexpected>;

    /// Standing redemptions of one KST day per partner: (partner id, count, discounts).
    async fn settlement(&self, day: NaiveDate) -> Result<Vec<(String, i64, i64)>, Unexpected>;
}

/// Makes unguessable codes.
pub trait CodeGenerator: Send + Sync {
    /// A one-time discount code: digits only (it prints as a barcode), with enough
    /// randomness that guessing a live one is hopeless.
    fn discount_code(&self) -> String;

    /// An OTT voucher code: 16 characters of Crockford base32 (80 bits).
    fn voucher_code(&self) -> String;
}
