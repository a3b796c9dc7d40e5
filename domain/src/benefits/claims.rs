//! Insurance claims: what a covered customer files, and the insurer's workflow
//! RECEIVED → UNDER_REVIEW → APPROVED or REJECTED, APPROVED → PAID, within the limits
//! per claim and per year.

use chrono::{DateTime, NaiveDate, Utc};

use crate::customer::CustomerId;
use crate::named_enum::named_enum;

named_enum!(
    /// What the insurance covers.
    CoverageType {
        PhishingOrHacking => "PHISHING_OR_HACKING",
        OnlineShoppingFraud => "ONLINE_SHOPPING_FRAUD",
        SecondHandTradeScam => "SECOND_HAND_TRADE_SCAM",
    }
);

named_enum!(
    /// Where a claim is in the insurer's workflow.
    ClaimStatus {
        Received => "RECEIVED",
        UnderReview => "UNDER_REVIEW",
        Approved => "APPROVED",
        Rejected => "REJECTED",
        Paid => "PAID",
    }
);

impl ClaimStatus {
    /// Whether a claim may move from `self` to `next`.
    pub fn may_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Received, Self::UnderReview)
                | (Self::UnderReview, Self::Approved | Self::Rejected)
                | (Self::Approved, Self::Paid)
        )
    }

    /// Whether the claim's approved amount counts against the yearly limit.
    pub fn counts_against_limit(self) -> bool {
        matches!(self, Self::Approved | Self::Paid)
    }
}

/// A claim as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim {
    pub customer_id: CustomerId,
    pub coverage: CoverageType,
    pub incident_on: NaiveDate,
    /// KRW.
    pub loss_amount: i64,
    pub description: String,
    pub filed_at: DateTime<Utc>,
}

/// What an earlier filing with the same idempotency key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EarlierFiling {
    /// Same input: the claim it filed.
    Same(String),
    /// The key was used with another input.
    Different,
}

/// A stored claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: String,
    pub customer_id: CustomerId,
    pub coverage: CoverageType,
    pub incident_on: NaiveDate,
    pub loss_amount: i64,
    pub description: String,
    pub status: ClaimStatus,
    pub approved_amount: Option<i64>,
    pub filed_at: DateTime<Utc>,
}

/// What may be approved for a claim: its loss, capped by the per-claim limit and what
/// is left of the customer's yearly limit after the `already_approved` amounts.
pub fn approvable(loss: i64, claim_limit: i64, yearly_limit: i64, already_approved: i64) -> i64 {
    loss.min(claim_limit)
        .min((yearly_limit - already_approved).max(0))
        .max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_move_only_forward_through_the_workflow() {
        assert!(ClaimStatus::Received.may_become(ClaimStatus::UnderReview));
        assert!(ClaimStatus::UnderReview.may_become(ClaimStatus::Rejected));
        assert!(ClaimStatus::Approved.may_become(ClaimStatus::Paid));
        assert!(!ClaimStatus::Received.may_become(ClaimStatus::Approved));
        assert!(!ClaimStatus::Rejected.may_become(ClaimStatus::Paid));
        assert!(!ClaimStatus::Paid.may_become(ClaimStatus::Approved));
    }

    #[test]
    fn approval_is_capped_per_claim_and_by_what_is_left_of_the_year() {
        assert_eq!(approvable(3_000_000, 5_000_000, 10_000_000, 0), 3_000_000);
        assert_eq!(approvable(8_000_000, 5_000_000, 10_000_000, 0), 5_000_000);
        assert_eq!(
            approvable(4_000_000, 5_000_000, 10_000_000, 8_000_000),
            2_000_000
        );
        assert_eq!(approvable(4_000_000, 5_000_000, 10_000_000, 10_000_000), 0);
    }
}
