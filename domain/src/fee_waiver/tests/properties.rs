//! Properties of the fee-waiver rules over generated lines, contracts and campaigns.

use chrono::Days;
use proptest::prelude::*;
use proptest::sample::select;

use super::*;
use crate::fee_waiver::estimate_fee;

/// The default campaign's baseline date, around which lines are generated.
fn baseline() -> NaiveDate {
    default_rules().baseline_date
}

/// `anchor` moved by `days` (either way).
fn shifted(anchor: NaiveDate, days: i64) -> NaiveDate {
    anchor + chrono::TimeDelta::days(days)
}

fn any_contract() -> impl Strategy<Value = ContractTerms> {
    (
        -1_000_i64..400,
        1_i64..1_500,
        0_i64..=2_000_000,
        0_i64..=500_000,
        0_i64..=60_000,
    )
        .prop_map(
            |(start, days, device_subsidy, additional_subsidy, monthly_discount)| {
                let start = shifted(baseline(), start);
                ContractTerms {
                    start,
                    end: shifted(start, days),
                    device_subsidy,
                    additional_subsidy,
                    monthly_discount,
                }
            },
        )
}

fn any_rates() -> impl Strategy<Value = Vec<DiscountReturnRate>> {
    prop::collection::vec(
        (0_i32..40, 0_i32..=100).prop_map(|(from_month, percent)| DiscountReturnRate {
            from_month,
            percent,
        }),
        0..5,
    )
}

fn any_charge() -> impl Strategy<Value = EtfCharge> {
    (
        0_i64..=1_000_000,
        0_i64..=1_000_000,
        0_i64..=1_000_000,
        0_i64..=1_000_000,
    )
        .prop_map(
            |(common_subsidy, additional_subsidy, discount_return, non_refundable)| EtfCharge {
                common_subsidy,
                additional_subsidy,
                discount_return,
                non_refundable,
            },
        )
}

/// Lines of every kind, with dates spread around the default campaign's windows.
fn any_line() -> impl Strategy<Value = LineFacts> {
    (
        (
            0_u8..4,
            select(Brand::ALL),
            select(DeviceClass::ALL),
            -400_i64..30,
        ),
        prop::option::of((-30_i64..200, select(TerminatedBy::ALL))),
        prop::option::of((
            select(SuspensionReason::ALL),
            0_i64..300,
            prop::option::of(0_i64..200),
        )),
        prop::collection::vec((select(ContractEventKind::ALL), -400_i64..200), 0..3),
        prop::option::of(any_contract()),
        prop::option::of(any_charge()),
    )
        .prop_map(
            |((id, brand, device_class, activated), ended, suspended, events, contract, etf)| {
                let activated_on = shifted(baseline(), activated);
                let termination = ended.map(|(on, by)| Termination {
                    on: shifted(baseline(), on).max(activated_on),
                    by,
                });
                let suspension = suspended.map(|(reason, from, lasted)| {
                    let from = shifted(baseline(), from - 200);
                    Suspension {
                        reason,
                        from,
                        until: lasted.map(|days| shifted(from, days)),
                    }
                });
                LineFacts {
                    external_id: ExternalId::parse(&format!("L-{id}")).expect("valid id"),
                    device_class,
                    brand,
                    activated_on,
                    status: if termination.is_some() {
                        LineStatus::Terminated
                    } else {
                        LineStatus::Active
                    },
                    suspension,
                    termination,
                    contract_events: events
                        .into_iter()
                        .map(|(kind, on)| ContractEvent {
                            kind,
                            on: shifted(baseline(), on),
                        })
                        .collect(),
                    contract,
                    etf_charged: etf,
                    ..cancelled_line()
                }
            },
        )
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (-1_200_i64..1_200).prop_map(|days| shifted(baseline(), days))
}

proptest! {
    #[test]
    fn a_refund_is_never_negative_and_never_includes_non_refundable_charges(
        line in any_line(),
        other_lines in prop::collection::vec(any_line(), 0..3),
        other_non_refundable in 0_i64..=5_000_000,
        today in any_day(),
    ) {
        let rules = default_rules();
        let assessment = assess(&line, &other_lines, &rules, &rates(), today);
        prop_assert_eq!(assessment.refund_amount.is_some(), assessment.is_eligible());
        if let (Some(refund), Some(etf)) = (assessment.refund_amount, line.etf_charged) {
            prop_assert!(refund > 0);
            prop_assert_eq!(refund, etf.common_subsidy + etf.additional_subsidy + etf.discount_return);
        }
        let mut recharged = line.clone();
        if let Some(etf) = recharged.etf_charged.as_mut() {
            etf.non_refundable = other_non_refundable;
        }
        prop_assert_eq!(assess(&recharged, &other_lines, &rules, &rates(), today), assessment);
    }

    #[test]
    fn only_a_line_still_in_service_carries_an_estimate_and_it_is_never_negative(
        line in any_line(),
        today in any_day(),
    ) {
        let assessment = assess(&line, &[], &default_rules(), &rates(), today);
        let not_cancelled = assessment.reason == Some(FeeWaiverReason::NotCancelled);
        prop_assert_eq!(assessment.estimated_fee.is_some(), not_cancelled);
        prop_assert!(assessment.estimated_fee.unwrap_or(0) >= 0);
    }

    #[test]
    fn assessing_again_gives_the_same_answer_whatever_the_order_of_the_other_lines(
        line in any_line(),
        other_lines in prop::collection::vec(any_line(), 0..4),
        today in any_day(),
    ) {
        let rules = default_rules();
        let first = assess(&line, &other_lines, &rules, &rates(), today);
        prop_assert_eq!(assess(&line, &other_lines, &rules, &rates(), today), first);
        let mut reversed = other_lines.clone();
        reversed.reverse();
        prop_assert_eq!(assess(&line, &reversed, &rules, &rates(), today), first);
    }

    #[test]
    fn an_estimate_is_never_negative_nor_more_than_the_subsidies_and_discounts_received(
        terms in any_contract(),
        rates in any_rates(),
        today in any_day(),
    ) {
        let fee = estimate_fee(&terms, &rates, today);
        let months_at_most = (terms.end - terms.start).num_days() / 28 + 1;
        prop_assert!(fee >= 0);
        prop_assert!(
            fee <= terms.device_subsidy + terms.additional_subsidy
                + terms.monthly_discount * months_at_most
        );
        prop_assert_eq!(estimate_fee(&terms, &rates, today), fee);
    }

    #[test]
    fn subsidy_clawbacks_never_grow_as_the_days_pass(
        terms in any_contract(),
        today in any_day(),
        later in 0_u64..800,
    ) {
        let terms = ContractTerms { monthly_discount: 0, ..terms };
        let later_day = today.checked_add_days(Days::new(later)).expect("a representable day");
        prop_assert!(estimate_fee(&terms, &[], later_day) <= estimate_fee(&terms, &[], today));
    }

    #[test]
    fn every_date_bound_of_any_campaign_is_decided_on_its_exact_day(
        campaign in any_campaign(),
    ) {
        check_bounds(&campaign)?;
    }
}

/// A campaign of the default campaign's shape with its dates moved and stretched.
fn any_campaign() -> impl Strategy<Value = FeeWaiverRules> {
    (
        -3_000_i64..3_000,
        1_i64..30,
        1_i64..60,
        0_i64..200,
        0_i64..260,
        0_i64..30,
    )
        .prop_map(
            |(shift, opens_after, cutoff_after, window_days, exception_after, grace_days)| {
                let baseline_date = shifted(baseline(), shift);
                let first = shifted(baseline_date, opens_after);
                FeeWaiverRules {
                    baseline_date,
                    contract_change_cutoff: shifted(baseline_date, cutoff_after),
                    cancellation_window: PeriodOfDays {
                        first,
                        last: shifted(first, window_days),
                    },
                    suspension_exception_ended_from: shifted(first, exception_after),
                    suspension_exception_grace_days: grace_days,
                    ..default_rules()
                }
            },
        )
}

/// Checks the day before, on and after every date bound of `rules` against the rules
/// as program.md states them.
fn check_bounds(rules: &FeeWaiverRules) -> Result<(), TestCaseError> {
    let baseline = rules.baseline_date;
    let window = rules.cancellation_window;
    let base = cancelled_line_where(|line| {
        line.activated_on = shifted(baseline, -100);
        line.suspension = None;
        line.contract_events.clear();
        line.termination = Some(Termination {
            on: window.first,
            by: TerminatedBy::Customer,
        });
    });
    let reason = |line: &LineFacts, others: &[LineFacts]| {
        assess(line, others, rules, &rates(), window.first).reason
    };
    // What program.md says of a customer's cancellation on `on`, with a suspension
    // grace period up to `grace_until` when one applies.
    let expected_for_cancellation = |on: NaiveDate, grace_until: Option<NaiveDate>| {
        let in_grace = grace_until.is_some_and(|last| window.first <= on && on <= last);
        if on <= baseline {
            Some(FeeWaiverReason::NotSubscribedAtBaseline)
        } else if window.contains(on) || in_grace {
            None
        } else {
            Some(FeeWaiverReason::CancelledOutsideWindow)
        }
    };
    let around = |bound: NaiveDate| [-1, 0, 1].map(|days| shifted(bound, days));

    prop_assert_eq!(reason(&base, &[]), None);

    for activated_on in around(baseline) {
        let line = LineFacts {
            activated_on,
            ..base.clone()
        };
        let expected =
            (activated_on > baseline).then_some(FeeWaiverReason::NotSubscribedAtBaseline);
        prop_assert_eq!(reason(&line, &[]), expected, "activated {}", activated_on);
    }

    for on in around(rules.contract_change_cutoff) {
        let line = LineFacts {
            contract_events: vec![ContractEvent {
                kind: ContractEventKind::Renewal,
                on,
            }],
            ..base.clone()
        };
        let expected = (on >= rules.contract_change_cutoff)
            .then_some(FeeWaiverReason::ContractChangedAfterCutoff);
        prop_assert_eq!(reason(&line, &[]), expected, "renewed {}", on);
    }

    for on in [baseline]
        .into_iter()
        .chain(around(window.first))
        .chain(around(window.last))
    {
        let line = LineFacts {
            termination: Some(Termination {
                on,
                by: TerminatedBy::Customer,
            }),
            ..base.clone()
        };
        prop_assert_eq!(
            reason(&line, &[]),
            expected_for_cancellation(on, None),
            "cancelled {}",
            on
        );
    }

    let grace = Days::new(u64::try_from(rules.suspension_exception_grace_days).unwrap_or(0));
    for ended in around(rules.suspension_exception_ended_from) {
        let grace_until = ended + grace;
        for on in around(grace_until) {
            let line = LineFacts {
                suspension: Some(Suspension {
                    reason: SuspensionReason::MilitaryService,
                    from: shifted(baseline, -50),
                    until: Some(ended),
                }),
                termination: Some(Termination {
                    on,
                    by: TerminatedBy::Customer,
                }),
                ..base.clone()
            };
            let qualifies = ended >= rules.suspension_exception_ended_from;
            let expected = expected_for_cancellation(on, qualifies.then_some(grace_until));
            prop_assert_eq!(
                reason(&line, &[]),
                expected,
                "ended {}, cancelled {}",
                ended,
                on
            );
        }
    }

    let cancelled = window.first;
    for activated_on in around(cancelled).into_iter().chain(around(window.last)) {
        let others = [LineFacts {
            external_id: ExternalId::parse("L-AGAIN").expect("valid id"),
            activated_on,
            termination: None,
            ..base.clone()
        }];
        let expected = (activated_on >= cancelled && window.contains(activated_on))
            .then_some(FeeWaiverReason::Resubscribed);
        prop_assert_eq!(
            reason(&base, &others),
            expected,
            "other line activated {}",
            activated_on
        );
    }
    Ok(())
}
