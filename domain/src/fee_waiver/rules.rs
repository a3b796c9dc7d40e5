//! The fee-waiver rules as pure functions: eligibility with the first failing reason,
//! the refund amount, and the fee estimate for a line still in service.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::{FeeWaiverAssessment, FeeWaiverReason};
use crate::campaign::{DiscountReturnRate, FeeWaiverRules};
use crate::customer::{
    Brand, ContractTerms, DeviceClass, EtfCharge, LineFacts, SuspensionReason, TerminatedBy,
};

/// Assesses one line against the fee-waiver rules, checked in the contract's order;
/// the first failing rule is the reason.
///
/// `other_lines` are the customer's other lines (used to spot a cancel-then-resubscribe;
/// an entry with this line's external id is ignored). `rates` is the campaign's
/// selective-discount return table and `today` the KST date of the estimate, both used
/// only for a line still in service.
///
/// An eligible line carries its refund amount; a line still in service (`NotCancelled`)
/// carries what cancelling today would cost, 0 when it has no contract terms. Other
/// refusals carry no amount: an ineligible line is refunded nothing, so none is shown.
pub fn assess(
    line: &LineFacts,
    other_lines: &[LineFacts],
    rules: &FeeWaiverRules,
    rates: &[DiscountReturnRate],
    today: NaiveDate,
) -> FeeWaiverAssessment {
    match refund_for(line, other_lines, rules) {
        Ok(refund_amount) => FeeWaiverAssessment::eligible(refund_amount),
        Err(FeeWaiverReason::NotCancelled) => FeeWaiverAssessment::not_cancelled(
            line.contract
                .map_or(0, |terms| estimate_fee(&terms, rates, today)),
        ),
        Err(reason) => FeeWaiverAssessment::refused(reason),
    }
}

/// The first rule `line` fails, `None` when its fee is waived: what [`assess`] decides,
/// without the amounts (it does not depend on the day).
pub fn first_failing_rule(
    line: &LineFacts,
    other_lines: &[LineFacts],
    rules: &FeeWaiverRules,
) -> Option<FeeWaiverReason> {
    refund_for(line, other_lines, rules).err()
}

/// Raised whenever the rules' code decides differently from before, so that reasons
/// kept under the old code are decided again.
const RULES_REVISION: u32 = 1;

/// What [`first_failing_rule`] depends on besides the line, as text: reasons decided
/// under one fingerprint hold until it changes (the refund overview's kept tally).
pub fn rules_fingerprint(rules: &FeeWaiverRules) -> String {
    format!(
        "v{RULES_REVISION} baseline {} cutoff {} window {}..{} suspension ended from {} grace {}",
        rules.baseline_date,
        rules.contract_change_cutoff,
        rules.cancellation_window.first,
        rules.cancellation_window.last,
        rules.suspension_exception_ended_from,
        rules.suspension_exception_grace_days,
    )
}

/// The refund of an eligible line, or the first rule it fails.
fn refund_for(
    line: &LineFacts,
    other_lines: &[LineFacts],
    rules: &FeeWaiverRules,
) -> Result<i64, FeeWaiverReason> {
    if line.brand != Brand::Operator {
        return Err(FeeWaiverReason::BudgetPhone);
    }
    if line.device_class == DeviceClass::Iot {
        return Err(FeeWaiverReason::IotLine);
    }
    if !line.in_service_at_end_of(rules.baseline_date) {
        return Err(FeeWaiverReason::NotSubscribedAtBaseline);
    }
    if line
        .contract_events
        .iter()
        .any(|event| event.on >= rules.contract_change_cutoff)
    {
        return Err(FeeWaiverReason::ContractChangedAfterCutoff);
    }
    let Some(termination) = line.termination else {
        return Err(FeeWaiverReason::NotCancelled);
    };
    if termination.by != TerminatedBy::Customer {
        return Err(FeeWaiverReason::OperatorTerminated);
    }
    if !cancelled_in_time(line, termination.on, rules) {
        return Err(FeeWaiverReason::CancelledOutsideWindow);
    }
    if resubscribed(line, termination.on, other_lines, rules) {
        return Err(FeeWaiverReason::Resubscribed);
    }
    match line.etf_charged.map(refundable) {
        Some(amount) if amount > 0 => Ok(amount),
        _ => Err(FeeWaiverReason::NoRefundableFee),
    }
}

/// Whether a cancellation on `cancelled_on` qualifies: inside the cancellation window,
/// or from the window's first day up to the last day of the line's suspension grace
/// period (which may run past the window's last day).
fn cancelled_in_time(line: &LineFacts, cancelled_on: NaiveDate, rules: &FeeWaiverRules) -> bool {
    let window = rules.cancellation_window;
    window.contains(cancelled_on)
        || suspension_grace_until(line, rules)
            .is_some_and(|last| window.first <= cancelled_on && cancelled_on <= last)
}

/// The last day of the grace period after the line's suspension, when the suspension
/// qualifies for the exception: military service or an overseas stay, ended (`until`
/// set) on or after `suspension_exception_ended_from`. The grace period ends
/// `suspension_exception_grace_days` after the suspension's last day; a negative number
/// of days grants none.
fn suspension_grace_until(line: &LineFacts, rules: &FeeWaiverRules) -> Option<NaiveDate> {
    let suspension = line.suspension?;
    let ended = suspension.until?;
    let qualifies = matches!(
        suspension.reason,
        SuspensionReason::MilitaryService | SuspensionReason::OverseasStay
    ) && ended >= rules.suspension_exception_ended_from;
    let grace = u64::try_from(rules.suspension_exception_grace_days).ok()?;
    ended
        .checked_add_days(Days::new(grace))
        .filter(|_| qualifies)
}

/// Whether the customer cancelled and subscribed again within the window: another of
/// the operator's own lines of this customer (any device class) was activated inside the
/// cancellation window, on or after the day this line was cancelled.
///
/// Not counted: a line activated before the cancellation (an added line, not a
/// resubscription), an MVNO line (not a subscription with the operator), and this line
/// itself should it appear among `other_lines`.
fn resubscribed(
    line: &LineFacts,
    cancelled_on: NaiveDate,
    other_lines: &[LineFacts],
    rules: &FeeWaiverRules,
) -> bool {
    other_lines.iter().any(|other| {
        other.external_id != line.external_id
            && other.brand == Brand::Operator
            && other.activated_on >= cancelled_on
            && rules.cancellation_window.contains(other.activated_on)
    })
}

/// The refundable part of a charged fee: both subsidy clawbacks and the
/// selective-discount return, never the non-refundable charges. A negative component
/// (which the import refuses) counts as zero.
fn refundable(etf: EtfCharge) -> i64 {
    [
        etf.common_subsidy,
        etf.additional_subsidy,
        etf.discount_return,
    ]
    .into_iter()
    .map(|amount| amount.max(0))
    .fold(0, i64::saturating_add)
}

/// What cancelling a line under `terms` on `today` would cost, in KRW (contract.md
/// "Fee estimate"): the device and the additional subsidy clawed back pro rata of the
/// remaining contract days, each rounded down separately, plus the selective-discount
/// return.
///
/// `contract_days = end - start`, `remaining_days = clamp(end - today, 0, contract_days)`
/// and each clawback is `floor(subsidy * remaining_days / contract_days)`, computed in
/// 128-bit integers; a contract with no days claws nothing back.
///
/// The selective-discount return is the discount received so far, `monthly_discount`
/// times the whole calendar months elapsed from `start` to `today` (at most the
/// contract's whole months; a month after 31 January ends on the last day of February),
/// times the `percent` of the `rates` row with the greatest `from_month` not above the
/// months elapsed, divided by 100 and rounded down. No such row returns nothing; a
/// percent outside 0 to 100 is taken as the nearer bound. Negative amounts (which the
/// import refuses) count as zero, so the estimate is never negative.
pub fn estimate_fee(terms: &ContractTerms, rates: &[DiscountReturnRate], today: NaiveDate) -> i64 {
    let contract_days = (terms.end - terms.start).num_days().max(0);
    let remaining_days = (terms.end - today).num_days().clamp(0, contract_days);
    let clawback = |subsidy: i64| floor_share(subsidy, remaining_days, contract_days);
    clawback(terms.device_subsidy)
        .saturating_add(clawback(terms.additional_subsidy))
        .saturating_add(discount_return(terms, rates, today))
}

/// The selective-discount return on cancelling on `today` (see [`estimate_fee`]).
fn discount_return(terms: &ContractTerms, rates: &[DiscountReturnRate], today: NaiveDate) -> i64 {
    let months =
        whole_months_between(terms.start, today).min(whole_months_between(terms.start, terms.end));
    let percent = rates
        .iter()
        .filter(|rate| i64::from(rate.from_month) <= months)
        .max_by_key(|rate| rate.from_month)
        .map_or(0, |rate| i64::from(rate.percent.clamp(0, 100)));
    let received = terms.monthly_discount.max(0).saturating_mul(months);
    floor_share(received, percent, 100)
}

/// `floor(amount * numerator / denominator)` for a non-negative share (`numerator` at
/// most `denominator`), without overflow; 0 when `denominator` is not positive.
fn floor_share(amount: i64, numerator: i64, denominator: i64) -> i64 {
    if denominator <= 0 {
        return 0;
    }
    let share = i128::from(amount.max(0)) * i128::from(numerator.max(0)) / i128::from(denominator);
    i64::try_from(share).unwrap_or(i64::MAX)
}

/// Whole calendar months from `from` to `to`: the greatest `n` with `from` plus `n`
/// months on or before `to` (0 when `to` is not after `from`).
fn whole_months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    if to <= from {
        return 0;
    }
    let span = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
        - i64::from(from.month());
    let reached = u32::try_from(span)
        .ok()
        .and_then(|months| from.checked_add_months(Months::new(months)))
        .is_some_and(|anniversary| anniversary <= to);
    if reached { span } else { span - 1 }
}
