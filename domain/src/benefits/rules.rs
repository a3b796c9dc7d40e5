//! The appreciation rules as pure functions: each benefit of a line with the first
//! failing rule, program membership, and the per-customer insurance.

use chrono::NaiveDate;

use super::ports::OttService;
use super::{BenefitKind, BenefitReason, InsuranceStatus};
use crate::campaign::AppreciationRules;
use crate::customer::{
    Brand, CustomerFacts, CustomerType, DeviceClass, LineFacts, LineStatus, Payment,
};

/// Whether `line` gets the benefit `kind`, or the first rule it fails, checked in the
/// contract's order: in service at the end of the base date, the operator's own brand,
/// not IOT, not terminated since; then for MONTHLY_DATA not prepaid and not suspended
/// now, for OTT_SUBSCRIPTION not a second device. ROAMING_BONUS and PARTNER_DISCOUNT
/// have no further rule.
///
/// "Now" is the line's current billing status: a line's facts are as of its last import.
pub fn line_benefit(
    kind: BenefitKind,
    line: &LineFacts,
    rules: &AppreciationRules,
) -> Result<(), BenefitReason> {
    if !line.in_service_at_end_of(rules.base_date) {
        return Err(BenefitReason::NotInServiceOnBaseDate);
    }
    if line.brand != Brand::Operator {
        return Err(BenefitReason::BudgetPhone);
    }
    if line.device_class == DeviceClass::Iot {
        return Err(BenefitReason::IotLine);
    }
    if line.termination.is_some() {
        return Err(BenefitReason::LineTerminated);
    }
    match kind {
        BenefitKind::MonthlyData if line.payment == Payment::Prepaid => {
            Err(BenefitReason::PrepaidLine)
        }
        BenefitKind::MonthlyData if line.status == LineStatus::Suspended => {
            Err(BenefitReason::Suspended)
        }
        BenefitKind::OttSubscription if line.device_class == DeviceClass::SecondDevice => {
            Err(BenefitReason::SecondDevice)
        }
        _ => Ok(()),
    }
}

/// Whether the customer of `line` may choose `service` on `today`: the line's OTT
/// benefit first, then the service's minimum age (full years, KST).
pub fn ott_choice(
    line: &LineFacts,
    customer: &CustomerFacts,
    service: &OttService,
    rules: &AppreciationRules,
    today: NaiveDate,
) -> Result<(), BenefitReason> {
    line_benefit(BenefitKind::OttSubscription, line, rules)?;
    match service.minimum_age {
        Some(minimum) if customer.age_on(today) < minimum => Err(BenefitReason::BelowMinimumAge),
        _ => Ok(()),
    }
}

/// Every benefit of `line`, one per [`BenefitKind`] in declaration order.
pub fn line_benefits(
    line: &LineFacts,
    rules: &AppreciationRules,
) -> Vec<(BenefitKind, Result<(), BenefitReason>)> {
    BenefitKind::ALL
        .iter()
        .map(|&kind| (kind, line_benefit(kind, line, rules)))
        .collect()
}

/// Whether `line` is in the program: the operator's own brand, in service at the end of
/// the base date, not IOT. A program line terminated since stays in the program (it
/// still makes its customer eligible for the insurance).
pub fn in_program(line: &LineFacts, rules: &AppreciationRules) -> bool {
    line.brand == Brand::Operator
        && line.device_class != DeviceClass::Iot
        && line.in_service_at_end_of(rules.base_date)
}

/// The safety insurance of `customer`, whose lines are `lines`; `enrolled` tells whether
/// the customer has consented to the insurer's terms.
///
/// Checked in the contract's order: at least one program line (else
/// NOT_IN_SERVICE_ON_BASE_DATE); not a company (else CORPORATE_CUSTOMER); then covered
/// automatically when at least `insurance_automatic_age` on the base date, otherwise
/// covered once enrolled (else NOT_ENROLLED).
pub fn insurance(
    customer: &CustomerFacts,
    lines: &[LineFacts],
    rules: &AppreciationRules,
    enrolled: bool,
) -> InsuranceStatus {
    let refused = |eligible, reason| InsuranceStatus {
        eligible,
        covered: false,
        automatic: false,
        reason: Some(reason),
    };
    if !lines.iter().any(|line| in_program(line, rules)) {
        return refused(false, BenefitReason::NotInServiceOnBaseDate);
    }
    if customer.kind == CustomerType::Corporate {
        return refused(false, BenefitReason::CorporateCustomer);
    }
    let automatic = customer.age_on(rules.base_date) >= rules.insurance_automatic_age;
    if automatic || enrolled {
        InsuranceStatus {
            eligible: true,
            covered: true,
            automatic,
            reason: None,
        }
    } else {
        refused(true, BenefitReason::NotEnrolled)
    }
}
