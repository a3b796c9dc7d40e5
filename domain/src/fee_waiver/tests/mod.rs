//! Tests of the fee-waiver rules: each rule and its date boundaries on the default
//! campaign of program.md, the fee estimate, and properties that hold for any input.

mod estimate;
mod properties;
mod reasons;

use chrono::{DateTime, NaiveDate, Utc};

use super::{FeeWaiverAssessment, FeeWaiverReason, assess};
use crate::campaign::{DiscountReturnRate, FeeWaiverRules, PeriodOfDays};
use crate::customer::{
    Brand, ContractEvent, ContractEventKind, ContractTerms, DeviceClass, EtfCharge, ExternalId,
    LineFacts, LineStatus, Payment, PhoneNumber, Suspension, SuspensionReason, TerminatedBy,
    Termination,
};

/// A KST calendar date written as `YYYY-MM-DD`.
fn day(text: &str) -> NaiveDate {
    text.parse().expect("test dates are valid")
}

/// The fee-waiver settings of the default campaign (program.md section 1).
fn default_rules() -> FeeWaiverRules {
    let instant = |text: &str| {
        text.parse::<DateTime<Utc>>()
            .expect("test instants are valid")
    };
    FeeWaiverRules {
        baseline_date: day("2025-08-31"),
        contract_change_cutoff: day("2025-09-01"),
        cancellation_window: PeriodOfDays {
            first: day("2025-09-01"),
            last: day("2026-01-13"),
        },
        suspension_exception_ended_from: day("2025-12-31"),
        suspension_exception_grace_days: 14,
        eligibility_check_opens: day("2025-12-30"),
        applications_open_at: instant("2026-01-14T00:00:00Z"),
        applications_close_at: instant("2026-01-31T13:00:00Z"),
        max_reminders: 3,
        late_application_days: 14,
    }
}

/// A selective-discount return table of the tests' own: nothing in the first month,
/// half from the first month, 30% from the sixth.
fn rates() -> Vec<DiscountReturnRate> {
    vec![
        DiscountReturnRate {
            from_month: 1,
            percent: 50,
        },
        DiscountReturnRate {
            from_month: 6,
            percent: 30,
        },
    ]
}

/// The day the tests assess lines on: the waiver's last day.
fn today() -> NaiveDate {
    day("2026-01-13")
}

/// The contract's sample line: cancelled by the customer on 2025-10-02 after a
/// military-service suspension, with 138,000 won refundable and 250,000 not.
fn cancelled_line() -> LineFacts {
    LineFacts {
        external_id: ExternalId::parse("L-1001-1").expect("valid id"),
        msisdn: PhoneNumber::parse("010-1234-5678").expect("valid number"),
        device_class: DeviceClass::Phone,
        brand: Brand::Operator,
        payment: Payment::Postpaid,
        activated_on: day("2022-03-02"),
        status: LineStatus::Terminated,
        suspension: Some(Suspension {
            reason: SuspensionReason::MilitaryService,
            from: day("2024-05-01"),
            until: Some(day("2026-01-10")),
        }),
        termination: Some(Termination {
            on: day("2025-10-02"),
            by: TerminatedBy::Customer,
        }),
        contract_events: vec![ContractEvent {
            kind: ContractEventKind::Renewal,
            on: day("2024-03-02"),
        }],
        contract: Some(ContractTerms {
            start: day("2024-03-02"),
            end: day("2026-03-01"),
            device_subsidy: 500_000,
            additional_subsidy: 75_000,
            monthly_discount: 0,
        }),
        etf_charged: Some(EtfCharge {
            common_subsidy: 120_000,
            additional_subsidy: 18_000,
            discount_return: 0,
            non_refundable: 250_000,
        }),
    }
}

/// The sample line, changed by `change`.
fn cancelled_line_where(change: impl FnOnce(&mut LineFacts)) -> LineFacts {
    let mut line = cancelled_line();
    change(&mut line);
    line
}

/// The sample line without its suspension, cancelled by the customer on `on`.
fn cancelled_on(on: &str) -> LineFacts {
    cancelled_line_where(|line| {
        line.suspension = None;
        line.termination = Some(Termination {
            on: day(on),
            by: TerminatedBy::Customer,
        });
    })
}

/// The sample line after a suspension for `reason` that ended on `ended`, cancelled on `on`.
fn cancelled_after_suspension(
    reason: SuspensionReason,
    ended: Option<&str>,
    on: &str,
) -> LineFacts {
    cancelled_line_where(|line| {
        line.suspension = Some(Suspension {
            reason,
            from: day("2024-05-01"),
            until: ended.map(day),
        });
        line.termination = Some(Termination {
            on: day(on),
            by: TerminatedBy::Customer,
        });
    })
}

/// Another of the customer's lines, of `brand`, activated on `on` and still in service.
fn other_line(id: &str, brand: Brand, on: &str) -> LineFacts {
    LineFacts {
        external_id: ExternalId::parse(id).expect("valid id"),
        brand,
        activated_on: day(on),
        status: LineStatus::Active,
        suspension: None,
        termination: None,
        contract_events: vec![],
        contract: None,
        etf_charged: None,
        ..cancelled_line()
    }
}

/// The verdict on a line of a customer with no other lines, under the default campaign.
fn assess_alone(line: &LineFacts) -> FeeWaiverAssessment {
    assess(line, &[], &default_rules(), &rates(), today())
}

/// The first failing rule of a line of a customer with no other lines.
fn reason_alone(line: &LineFacts) -> Option<FeeWaiverReason> {
    assess_alone(line).reason
}
