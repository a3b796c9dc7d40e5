//! What the appreciation rules answer: the benefits, the reason codes of a refusal, and
//! a customer's insurance status.

use crate::named_enum::named_enum;

named_enum!(
    /// The per-line benefits of the appreciation program (the safety insurance is per
    /// customer: see [`InsuranceStatus`]).
    BenefitKind {
        MonthlyData => "MONTHLY_DATA",
        RoamingBonus => "ROAMING_BONUS",
        OttSubscription => "OTT_SUBSCRIPTION",
        PartnerDiscount => "PARTNER_DISCOUNT",
    }
);

named_enum!(
    /// Why a line does not get a benefit, or a customer is not covered: the first failing
    /// rule, in the contract's order (declaration order). Not in service at the end of the
    /// base date; an MVNO line; an IOT line; in service on the base date but terminated
    /// since; then per benefit a prepaid line (MONTHLY_DATA), a second device
    /// (OTT_SUBSCRIPTION), a line suspended now (MONTHLY_DATA); a customer younger than
    /// an OTT service's minimum age (that service only); for the insurance a corporate
    /// customer, or a customer who has not enrolled.
    BenefitReason {
        NotInServiceOnBaseDate => "NOT_IN_SERVICE_ON_BASE_DATE",
        BudgetPhone => "BUDGET_PHONE",
        IotLine => "IOT_LINE",
        LineTerminated => "LINE_TERMINATED",
        PrepaidLine => "PREPAID_LINE",
        SecondDevice => "SECOND_DEVICE",
        Suspended => "SUSPENDED",
        BelowMinimumAge => "BELOW_MINIMUM_AGE",
        CorporateCustomer => "CORPORATE_CUSTOMER",
        NotEnrolled => "NOT_ENROLLED",
    }
);

/// A customer's safety insurance.
///
/// `covered` implies `eligible`, and `automatic` implies `covered`; `reason` is set
/// exactly when the customer is not covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsuranceStatus {
    /// The customer may be covered: a program line, and not a company.
    pub eligible: bool,
    /// The customer is covered, automatically or by enrolling.
    pub covered: bool,
    /// Covered by age alone, with no enrolment.
    pub automatic: bool,
    /// Why the customer is not covered.
    pub reason: Option<BenefitReason>,
}
