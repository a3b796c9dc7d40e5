//! Each fee-waiver rule, its reason code and the days on either side of its dates,
//! on the default campaign.

use super::*;

use FeeWaiverReason::{
    BudgetPhone, CancelledOutsideWindow, ContractChangedAfterCutoff, IotLine, NoRefundableFee,
    NotCancelled, NotSubscribedAtBaseline, OperatorTerminated, Resubscribed,
};

/// A change to a line or to its customer's other lines, fixing the rule it failed.
type Fix = fn(&mut LineFacts, &mut Vec<LineFacts>);

#[test]
fn reason_codes_are_the_contracts_names_in_the_contracts_order() {
    let names: Vec<_> = FeeWaiverReason::ALL
        .iter()
        .map(|reason| reason.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "BUDGET_PHONE",
            "IOT_LINE",
            "NOT_SUBSCRIBED_AT_BASELINE",
            "CONTRACT_CHANGED_AFTER_CUTOFF",
            "NOT_CANCELLED",
            "OPERATOR_TERMINATED",
            "CANCELLED_OUTSIDE_WINDOW",
            "RESUBSCRIBED",
            "NO_REFUNDABLE_FEE",
        ]
    );
}

#[test]
fn the_contracts_sample_line_is_refunded_its_clawbacks_but_not_its_non_refundable_charges() {
    assert_eq!(
        assess_alone(&cancelled_line()),
        FeeWaiverAssessment {
            reason: None,
            refund_amount: Some(138_000),
            estimated_fee: None
        }
    );
    assert!(assess_alone(&cancelled_line()).is_eligible());
}

#[test]
fn a_line_failing_every_rule_is_refused_for_each_rule_in_turn_as_the_earlier_ones_are_fixed() {
    let mut line = cancelled_line_where(|line| {
        line.brand = Brand::Mvno;
        line.device_class = DeviceClass::Iot;
        line.activated_on = day("2025-09-05");
        line.contract_events = vec![ContractEvent {
            kind: ContractEventKind::DeviceChange,
            on: day("2025-09-10"),
        }];
        line.termination = None;
        line.suspension = None;
        line.etf_charged = None;
    });
    let mut other_lines = vec![other_line("L-NEW", Brand::Operator, "2025-12-05")];
    let fixes: [(Fix, Option<FeeWaiverReason>); 10] = [
        (|_, _| {}, Some(BudgetPhone)),
        (|line, _| line.brand = Brand::Operator, Some(IotLine)),
        (
            |line, _| line.device_class = DeviceClass::Phone,
            Some(NotSubscribedAtBaseline),
        ),
        (
            |line, _| line.activated_on = day("2025-08-31"),
            Some(ContractChangedAfterCutoff),
        ),
        (|line, _| line.contract_events.clear(), Some(NotCancelled)),
        (
            |line, _| {
                line.termination = Some(Termination {
                    on: day("2026-02-01"),
                    by: TerminatedBy::Operator,
                });
            },
            Some(OperatorTerminated),
        ),
        (
            |line, _| {
                line.termination = Some(Termination {
                    on: day("2026-02-01"),
                    by: TerminatedBy::Customer,
                });
            },
            Some(CancelledOutsideWindow),
        ),
        (
            |line, _| {
                line.termination = Some(Termination {
                    on: day("2025-12-01"),
                    by: TerminatedBy::Customer,
                });
            },
            Some(Resubscribed),
        ),
        (|_, others| others.clear(), Some(NoRefundableFee)),
        (
            |line, _| line.etf_charged = cancelled_line().etf_charged,
            None,
        ),
    ];
    for (step, (fix, expected)) in fixes.into_iter().enumerate() {
        fix(&mut line, &mut other_lines);
        let assessment = assess(&line, &other_lines, &default_rules(), &rates(), today());
        assert_eq!(assessment.reason, expected, "after fix {step}");
    }
}

#[test]
fn a_budget_phone_from_a_virtual_operator_is_refused_as_a_budget_phone() {
    let line = cancelled_line_where(|line| line.brand = Brand::Mvno);
    assert_eq!(reason_alone(&line), Some(BudgetPhone));
}

#[test]
fn an_iot_line_is_refused_but_a_phone_or_a_second_device_is_not() {
    for (class, expected) in [
        (DeviceClass::Iot, Some(IotLine)),
        (DeviceClass::Phone, None),
        (DeviceClass::SecondDevice, None),
    ] {
        let line = cancelled_line_where(|line| line.device_class = class);
        assert_eq!(reason_alone(&line), expected, "{}", class.as_str());
    }
}

#[test]
fn a_line_terminated_on_the_baseline_day_was_not_subscribed_at_baseline() {
    for (terminated_on, expected) in [
        ("2025-08-30", Some(NotSubscribedAtBaseline)),
        ("2025-08-31", Some(NotSubscribedAtBaseline)),
        ("2025-09-01", None),
    ] {
        assert_eq!(
            reason_alone(&cancelled_on(terminated_on)),
            expected,
            "{terminated_on}"
        );
    }
}

#[test]
fn a_line_activated_after_the_baseline_day_was_not_subscribed_at_baseline() {
    for (activated_on, expected) in [
        ("2025-08-30", None),
        ("2025-08-31", None),
        ("2025-09-01", Some(NotSubscribedAtBaseline)),
    ] {
        let line = cancelled_line_where(|line| line.activated_on = day(activated_on));
        assert_eq!(reason_alone(&line), expected, "{activated_on}");
    }
}

#[test]
fn a_contract_event_of_any_kind_on_or_after_the_cutoff_disqualifies_the_line() {
    for kind in ContractEventKind::ALL {
        for (on, expected) in [
            ("2025-08-31", None),
            ("2025-09-01", Some(ContractChangedAfterCutoff)),
            ("2025-09-02", Some(ContractChangedAfterCutoff)),
        ] {
            let line = cancelled_line_where(|line| {
                line.contract_events.push(ContractEvent {
                    kind: *kind,
                    on: day(on),
                });
            });
            assert_eq!(reason_alone(&line), expected, "{} on {on}", kind.as_str());
        }
    }
}

#[test]
fn a_line_still_in_service_is_not_cancelled_and_shows_what_cancelling_today_would_cost() {
    let line = cancelled_line_where(|line| {
        line.status = LineStatus::Active;
        line.termination = None;
        line.etf_charged = None;
    });
    // 47 of the contract's 729 days remain on 2026-01-13.
    let expected_fee = 500_000 * 47 / 729 + 75_000 * 47 / 729;
    assert_eq!(
        assess_alone(&line),
        FeeWaiverAssessment {
            reason: Some(NotCancelled),
            refund_amount: None,
            estimated_fee: Some(expected_fee),
        }
    );
}

#[test]
fn a_suspended_line_is_not_cancelled() {
    let line = cancelled_line_where(|line| {
        line.status = LineStatus::Suspended;
        line.termination = None;
    });
    assert_eq!(reason_alone(&line), Some(NotCancelled));
}

#[test]
fn a_line_in_service_without_contract_terms_would_cost_nothing_to_cancel() {
    let line = cancelled_line_where(|line| {
        line.status = LineStatus::Active;
        line.termination = None;
        line.contract = None;
    });
    assert_eq!(assess_alone(&line).estimated_fee, Some(0));
}

#[test]
fn a_line_ended_by_the_operator_is_operator_terminated_even_with_a_refundable_fee() {
    let line = cancelled_line_where(|line| {
        line.termination = Some(Termination {
            on: day("2025-10-02"),
            by: TerminatedBy::Operator,
        });
    });
    assert_eq!(
        assess_alone(&line),
        FeeWaiverAssessment {
            reason: Some(OperatorTerminated),
            refund_amount: None,
            estimated_fee: None,
        }
    );
}

#[test]
fn cancellations_from_the_first_to_the_last_day_of_the_window_qualify() {
    for (terminated_on, expected) in [
        ("2025-09-01", None),
        ("2025-09-02", None),
        ("2026-01-12", None),
        ("2026-01-13", None),
        ("2026-01-14", Some(CancelledOutsideWindow)),
    ] {
        assert_eq!(
            reason_alone(&cancelled_on(terminated_on)),
            expected,
            "{terminated_on}"
        );
    }
}

#[test]
fn a_cancellation_the_day_before_the_window_opens_is_outside_it_when_the_baseline_is_earlier() {
    let rules = FeeWaiverRules {
        baseline_date: day("2025-08-15"),
        ..default_rules()
    };
    for (terminated_on, expected) in [
        ("2025-08-31", Some(CancelledOutsideWindow)),
        ("2025-09-01", None),
    ] {
        let assessment = assess(&cancelled_on(terminated_on), &[], &rules, &rates(), today());
        assert_eq!(assessment.reason, expected, "{terminated_on}");
    }
}

#[test]
fn an_ineligible_cancelled_line_shows_no_refund_amount() {
    let assessment = assess_alone(&cancelled_on("2026-01-14"));
    assert_eq!(
        assessment,
        FeeWaiverAssessment {
            reason: Some(CancelledOutsideWindow),
            refund_amount: None,
            estimated_fee: None,
        }
    );
}

#[test]
fn a_military_suspension_ending_2026_01_10_allows_cancelling_until_2026_01_24() {
    for (terminated_on, expected) in [
        ("2026-01-14", None),
        ("2026-01-23", None),
        ("2026-01-24", None),
        ("2026-01-25", Some(CancelledOutsideWindow)),
    ] {
        let line = cancelled_after_suspension(
            SuspensionReason::MilitaryService,
            Some("2026-01-10"),
            terminated_on,
        );
        assert_eq!(reason_alone(&line), expected, "{terminated_on}");
    }
}

#[test]
fn an_overseas_stay_ending_2025_12_31_allows_cancelling_until_2026_01_14() {
    for (terminated_on, expected) in [
        ("2026-01-14", None),
        ("2026-01-15", Some(CancelledOutsideWindow)),
    ] {
        let line = cancelled_after_suspension(
            SuspensionReason::OverseasStay,
            Some("2025-12-31"),
            terminated_on,
        );
        assert_eq!(reason_alone(&line), expected, "{terminated_on}");
    }
}

#[test]
fn a_suspension_that_ended_2025_12_30_gives_no_grace_after_the_window() {
    let line = cancelled_after_suspension(
        SuspensionReason::MilitaryService,
        Some("2025-12-30"),
        "2026-01-14",
    );
    assert_eq!(reason_alone(&line), Some(CancelledOutsideWindow));
}

#[test]
fn a_suspension_for_non_payment_or_at_the_customers_request_gives_no_grace() {
    for reason in [
        SuspensionReason::NonPayment,
        SuspensionReason::CustomerRequest,
    ] {
        let line = cancelled_after_suspension(reason, Some("2026-01-10"), "2026-01-14");
        assert_eq!(
            reason_alone(&line),
            Some(CancelledOutsideWindow),
            "{}",
            reason.as_str()
        );
    }
}

#[test]
fn a_suspension_that_has_not_ended_gives_no_grace() {
    let line = cancelled_after_suspension(SuspensionReason::MilitaryService, None, "2026-01-14");
    assert_eq!(reason_alone(&line), Some(CancelledOutsideWindow));
}

#[test]
fn the_suspension_grace_never_reaches_back_before_the_window_opens() {
    let rules = FeeWaiverRules {
        baseline_date: day("2025-08-15"),
        suspension_exception_ended_from: day("2025-08-01"),
        ..default_rules()
    };
    let line = cancelled_after_suspension(
        SuspensionReason::MilitaryService,
        Some("2025-08-20"),
        "2025-08-31",
    );
    let assessment = assess(&line, &[], &rules, &rates(), today());
    assert_eq!(assessment.reason, Some(CancelledOutsideWindow));
}

#[test]
fn a_customer_who_subscribes_again_on_or_after_the_cancellation_day_within_the_window_resubscribed()
{
    let line = cancelled_on("2025-12-01");
    for (activated_on, expected) in [
        ("2025-11-30", None),
        ("2025-12-01", Some(Resubscribed)),
        ("2025-12-02", Some(Resubscribed)),
        ("2026-01-13", Some(Resubscribed)),
        ("2026-01-14", None),
    ] {
        let others = [other_line("L-NEW", Brand::Operator, activated_on)];
        let assessment = assess(&line, &others, &default_rules(), &rates(), today());
        assert_eq!(assessment.reason, expected, "activated {activated_on}");
    }
}

#[test]
fn a_new_second_device_with_the_operator_is_a_resubscription() {
    let mut watch = other_line("L-WATCH", Brand::Operator, "2025-12-05");
    watch.device_class = DeviceClass::SecondDevice;
    let assessment = assess(
        &cancelled_on("2025-12-01"),
        &[watch],
        &default_rules(),
        &rates(),
        today(),
    );
    assert_eq!(assessment.reason, Some(Resubscribed));
}

#[test]
fn a_new_budget_phone_from_a_virtual_operator_is_not_a_resubscription() {
    let others = [other_line("L-MVNO", Brand::Mvno, "2025-12-05")];
    let assessment = assess(
        &cancelled_on("2025-12-01"),
        &others,
        &default_rules(),
        &rates(),
        today(),
    );
    assert_eq!(assessment.reason, None);
}

#[test]
fn the_line_itself_among_the_other_lines_is_not_a_resubscription() {
    let line = cancelled_on("2025-12-01");
    let same = cancelled_line_where(|same| same.activated_on = day("2025-12-05"));
    let assessment = assess(&line, &[same], &default_rules(), &rates(), today());
    assert_eq!(assessment.reason, None);
}

#[test]
fn a_cancelled_line_without_a_fee_charged_has_no_refundable_fee() {
    let line = cancelled_line_where(|line| line.etf_charged = None);
    assert_eq!(reason_alone(&line), Some(NoRefundableFee));
}

#[test]
fn a_fee_made_only_of_non_refundable_charges_has_no_refundable_fee() {
    for non_refundable in [0, 250_000] {
        let line = cancelled_line_where(|line| {
            line.etf_charged = Some(EtfCharge {
                common_subsidy: 0,
                additional_subsidy: 0,
                discount_return: 0,
                non_refundable,
            });
        });
        assert_eq!(
            assess_alone(&line),
            FeeWaiverAssessment::refused(NoRefundableFee)
        );
    }
}

#[test]
fn each_refundable_component_alone_is_refunded() {
    const NOTHING: EtfCharge = EtfCharge {
        common_subsidy: 0,
        additional_subsidy: 0,
        discount_return: 0,
        non_refundable: 0,
    };
    for (component, charge) in [
        (
            "common subsidy",
            EtfCharge {
                common_subsidy: 1,
                ..NOTHING
            },
        ),
        (
            "additional subsidy",
            EtfCharge {
                additional_subsidy: 1,
                ..NOTHING
            },
        ),
        (
            "discount return",
            EtfCharge {
                discount_return: 1,
                ..NOTHING
            },
        ),
    ] {
        let line = cancelled_line_where(|line| line.etf_charged = Some(charge));
        assert_eq!(assess_alone(&line).refund_amount, Some(1), "{component}");
    }
}
