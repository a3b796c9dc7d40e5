//! The fee estimate for a line still in service: pro-rata subsidy clawbacks plus the
//! selective-discount return.

use super::*;
use crate::fee_waiver::estimate_fee;

/// A 100-day contract from 2025-01-01 to 2025-04-11 with the given subsidies and no
/// selective discount.
fn hundred_day_contract(device_subsidy: i64, additional_subsidy: i64) -> ContractTerms {
    ContractTerms {
        start: day("2025-01-01"),
        end: day("2025-04-11"),
        device_subsidy,
        additional_subsidy,
        monthly_discount: 0,
    }
}

/// A six-month contract from 2025-01-15 with a 10,000 won monthly discount and no subsidy.
fn discounted_contract() -> ContractTerms {
    ContractTerms {
        start: day("2025-01-15"),
        end: day("2025-07-15"),
        device_subsidy: 0,
        additional_subsidy: 0,
        monthly_discount: 10_000,
    }
}

#[test]
fn cancelling_halfway_through_a_contract_pays_back_half_of_each_subsidy() {
    let terms = hundred_day_contract(500_000, 75_001);
    assert_eq!(
        estimate_fee(&terms, &[], day("2025-02-20")),
        250_000 + 37_500
    );
}

#[test]
fn each_subsidy_is_rounded_down_on_its_own() {
    // Half a won of each subsidy: together one won, each alone nothing.
    let terms = hundred_day_contract(1, 1);
    assert_eq!(estimate_fee(&terms, &[], day("2025-02-20")), 0);
}

#[test]
fn the_contracts_sample_line_on_the_waivers_last_day_pays_back_47_of_729_days() {
    let Some(terms) = cancelled_line().contract else {
        panic!("the sample line has contract terms");
    };
    assert_eq!(estimate_fee(&terms, &[], day("2026-01-13")), 32_235 + 4_835);
}

#[test]
fn the_whole_subsidy_is_clawed_back_on_or_before_the_contracts_first_day() {
    let terms = hundred_day_contract(500_000, 75_000);
    for today in ["2024-12-01", "2024-12-31", "2025-01-01"] {
        assert_eq!(estimate_fee(&terms, &[], day(today)), 575_000, "{today}");
    }
    assert_eq!(
        estimate_fee(&terms, &[], day("2025-01-02")),
        495_000 + 74_250
    );
}

#[test]
fn nothing_is_clawed_back_from_the_contracts_last_day_on() {
    let terms = hundred_day_contract(500_000, 75_000);
    assert_eq!(estimate_fee(&terms, &[], day("2025-04-10")), 5_000 + 750);
    for today in ["2025-04-11", "2025-04-12", "2030-01-01"] {
        assert_eq!(estimate_fee(&terms, &[], day(today)), 0, "{today}");
    }
}

#[test]
fn a_contract_with_no_days_claws_nothing_back() {
    let mut terms = hundred_day_contract(500_000, 75_000);
    terms.end = terms.start;
    assert_eq!(estimate_fee(&terms, &rates(), day("2024-12-01")), 0);
}

#[test]
fn the_discount_return_is_the_rate_for_the_months_elapsed_times_the_discount_received() {
    for (today, expected) in [
        // No row of the table starts before the first month.
        ("2025-01-15", 0),
        ("2025-02-14", 0),
        // From the first month, half of what was received.
        ("2025-02-15", 10_000 / 2),
        ("2025-04-14", 20_000 / 2),
        ("2025-04-15", 30_000 / 2),
        ("2025-07-14", 50_000 / 2),
        // From the sixth month, 30%.
        ("2025-07-15", 60_000 * 30 / 100),
    ] {
        assert_eq!(
            estimate_fee(&discounted_contract(), &rates(), day(today)),
            expected,
            "{today}"
        );
    }
}

#[test]
fn the_months_elapsed_stop_at_the_contracts_length() {
    assert_eq!(
        estimate_fee(&discounted_contract(), &rates(), day("2026-12-31")),
        18_000
    );
}

#[test]
fn a_month_from_the_31st_of_january_ends_on_the_last_day_of_february() {
    let terms = ContractTerms {
        start: day("2025-01-31"),
        ..discounted_contract()
    };
    assert_eq!(estimate_fee(&terms, &rates(), day("2025-02-27")), 0);
    assert_eq!(estimate_fee(&terms, &rates(), day("2025-02-28")), 5_000);
}

#[test]
fn the_order_of_the_return_table_does_not_matter() {
    let mut reversed = rates();
    reversed.reverse();
    let today = day("2025-07-15");
    assert_eq!(
        estimate_fee(&discounted_contract(), &reversed, today),
        estimate_fee(&discounted_contract(), &rates(), today)
    );
}

#[test]
fn without_a_return_table_no_discount_is_returned() {
    assert_eq!(
        estimate_fee(&discounted_contract(), &[], day("2025-07-15")),
        0
    );
}

#[test]
fn the_discount_return_is_rounded_down_to_the_won() {
    let terms = ContractTerms {
        monthly_discount: 10_001,
        ..discounted_contract()
    };
    let third = [DiscountReturnRate {
        from_month: 0,
        percent: 33,
    }];
    // 33% of 10,001 won is 3,300.33 won.
    assert_eq!(estimate_fee(&terms, &third, day("2025-02-15")), 3_300);
}

#[test]
fn a_rate_outside_0_to_100_percent_is_taken_as_the_nearer_bound() {
    let too_high = [DiscountReturnRate {
        from_month: 0,
        percent: 250,
    }];
    let too_low = [DiscountReturnRate {
        from_month: 0,
        percent: -20,
    }];
    let today = day("2025-04-15");
    assert_eq!(
        estimate_fee(&discounted_contract(), &too_high, today),
        30_000
    );
    assert_eq!(estimate_fee(&discounted_contract(), &too_low, today), 0);
}

#[test]
fn the_largest_amounts_neither_overflow_nor_wrap_around() {
    let terms = ContractTerms {
        start: day("2025-01-01"),
        end: day("2027-01-01"),
        device_subsidy: i64::MAX,
        additional_subsidy: i64::MAX,
        monthly_discount: i64::MAX,
    };
    let everything = [DiscountReturnRate {
        from_month: 0,
        percent: 100,
    }];
    assert_eq!(
        estimate_fee(&terms, &everything, day("2026-01-01")),
        i64::MAX
    );
}
