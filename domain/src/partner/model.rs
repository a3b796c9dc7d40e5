//! Partners, offers, codes and redemptions.

use chrono::{DateTime, NaiveDate, Utc};

use crate::customer::{CustomerId, LineId};
use crate::named_enum::named_enum;

named_enum!(
    /// The kinds of partner store.
    PartnerCategory { Coffee => "COFFEE", Cinema => "CINEMA", Bakery => "BAKERY", IceCream => "ICE_CREAM" }
);

named_enum!(
    /// A redemption stands, or was cancelled by its store the same day.
    RedemptionStatus { Redeemed => "REDEEMED", Cancelled => "CANCELLED" }
);

/// How an offer discounts a purchase (KRW).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// `percent` of the purchase, at most `cap` when set.
    Percent { percent: i64, cap: Option<i64> },
    /// A fixed amount, never more than the purchase.
    Amount(i64),
}

/// Usage limits per line: per KST day, per calendar month, for the whole program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub per_day: Option<i64>,
    pub per_month: Option<i64>,
    pub per_program: Option<i64>,
}

/// An offer of a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: String,
    pub partner_id: String,
    pub external_id: String,
    pub title: String,
    pub discount: Discount,
    pub min_purchase: i64,
    pub limits: Limits,
}

/// A store of a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub id: String,
    pub partner_id: String,
    pub external_id: String,
    pub name: String,
}

/// A partner with its stores and offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: String,
    pub external_id: String,
    pub name: String,
    pub category: PartnerCategory,
    pub stores: Vec<Store>,
    pub offers: Vec<Offer>,
}

/// A store as an admin declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStore {
    pub external_id: String,
    pub name: String,
}

/// An offer as an admin declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOffer {
    pub external_id: String,
    pub title: String,
    pub discount: Discount,
    pub min_purchase: i64,
    pub limits: Limits,
}

/// A partner as an admin declares it: upserted by external id with its stores and offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartner {
    pub external_id: String,
    pub name: String,
    pub category: PartnerCategory,
    pub stores: Vec<NewStore>,
    pub offers: Vec<NewOffer>,
}

/// A code as the customer's app shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// What the service knows of a code (looked up by its keyed hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeView {
    pub line_id: LineId,
    pub customer_id: CustomerId,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

/// How often a line has used an offer in the periods its limits count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub day: i64,
    pub month: i64,
    pub program: i64,
}

/// A redemption at a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub id: String,
    pub store_id: String,
    pub line_id: LineId,
    pub offer_id: String,
    pub purchase_amount: i64,
    pub discount_amount: i64,
    pub status: RedemptionStatus,
    pub redeemed_at: DateTime<Utc>,
    pub redeemed_on: NaiveDate,
}

/// Why a code cannot be used for an offer now: the contract's reason codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteRefusal {
    CodeInvalid,
    CodeExpired,
    CodeUsed,
    LimitReached,
    BelowMinimum,
    NotEligible,
}

impl QuoteRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CodeInvalid => "CODE_INVALID",
            Self::CodeExpired => "CODE_EXPIRED",
            Self::CodeUsed => "CODE_USED",
            Self::LimitReached => "LIMIT_REACHED",
            Self::BelowMinimum => "BELOW_MINIMUM",
            Self::NotEligible => "NOT_ELIGIBLE",
        }
    }
}

/// What a store is told when it verifies a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscountQuote {
    pub refusal: Option<QuoteRefusal>,
    pub discount_amount: i64,
}
