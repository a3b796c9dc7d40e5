//! What an admin's edit of the campaign must respect.

use chrono::Datelike as _;

use super::{CampaignPeriod, PayoutRound, PeriodOfDays};

/// Why a period is refused, or `Ok` when it may be stored.
///
/// # Errors
/// A message for the admin when the period is empty or, for monthly data, does not
/// name first days of months.
pub fn check_period(kind: CampaignPeriod, period: PeriodOfDays) -> Result<(), &'static str> {
    if period.first > period.last {
        return Err("the first day must be on or before the last");
    }
    if kind == CampaignPeriod::MonthlyData && (period.first.day() != 1 || period.last.day() != 1) {
        return Err("monthly data runs from the first day of a month to the first day of a month");
    }
    Ok(())
}

/// Why a payout round's dates are refused, or `Ok` when they may be stored.
///
/// # Errors
/// A message for the admin when the round would pay before its applications are in.
pub fn check_round(round: &PayoutRound) -> Result<(), &'static str> {
    if round.applied_until >= round.pay_date {
        return Err("a round pays after the last day of applications it takes");
    }
    if round
        .cancelled_until
        .is_some_and(|cancelled| cancelled > round.applied_until)
    {
        return Err("a round's cancellation cut-off is on or before its application cut-off");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_period_may_not_end_before_it_starts() {
        let backwards = PeriodOfDays {
            first: day("2026-03-01"),
            last: day("2026-02-01"),
        };
        assert!(check_period(CampaignPeriod::Roaming, backwards).is_err());
        let one_day = PeriodOfDays {
            first: day("2026-02-01"),
            last: day("2026-02-01"),
        };
        assert!(check_period(CampaignPeriod::Roaming, one_day).is_ok());
    }

    #[test]
    fn monthly_data_names_first_days_of_months() {
        let mid_month = PeriodOfDays {
            first: day("2026-02-15"),
            last: day("2026-07-01"),
        };
        assert!(check_period(CampaignPeriod::MonthlyData, mid_month).is_err());
    }

    #[test]
    fn a_round_pays_after_its_applications_are_in() {
        let mut round = PayoutRound {
            number: 1,
            pay_date: day("2026-01-22"),
            cancelled_until: Some(day("2025-12-31")),
            applied_until: day("2026-01-18"),
        };
        assert!(check_round(&round).is_ok());
        round.applied_until = day("2026-01-22");
        assert!(check_round(&round).is_err());
    }
}
