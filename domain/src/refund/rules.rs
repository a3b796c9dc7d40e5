//! Pure rules of refund applications: channels, the window, account holders, rounds.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::Channel;
use crate::auth::Role;
use crate::campaign::{FeeWaiverRules, PayoutRound};
use crate::customer::PersonName;

/// The channels a caller may apply over: customers over WEB, agents over CALL_CENTER
/// or STORE; minors and corporate customers in a STORE only.
pub fn channel_allowed(role: Role, channel: Channel, store_only: bool) -> bool {
    match (role, channel) {
        (Role::Customer, Channel::Web) | (Role::Agent, Channel::CallCenter) => !store_only,
        (Role::Agent, Channel::Store) => true,
        _ => false,
    }
}

/// Whether applications are open at `now` (both ends included).
pub fn window_open(rules: &FeeWaiverRules, now: DateTime<Utc>) -> bool {
    rules.applications_open_at <= now && now <= rules.applications_close_at
}

/// Why an account holder is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderMismatch {
    /// The holder is not the customer.
    NotTheCustomer,
    /// A minor's refund goes to the guardian's account: the guardian's name is needed
    /// and must be the holder's.
    NotTheGuardian,
}

/// The account must be in the customer's own name; for a minor, in the legal guardian's
/// name, which is recorded.
pub fn check_holder(
    customer: &PersonName,
    minor: bool,
    holder: &str,
    guardian: Option<&str>,
) -> Result<(), HolderMismatch> {
    let same = |a: &str, b: &str| PersonName::parse(a).is_ok_and(|name| name.matches(b));
    if minor {
        match guardian {
            Some(guardian) if same(guardian, holder) => Ok(()),
            _ => Err(HolderMismatch::NotTheGuardian),
        }
    } else if customer.matches(holder) {
        Ok(())
    } else {
        Err(HolderMismatch::NotTheCustomer)
    }
}

/// The first round, in number order and not yet closed, whose cut-offs an application
/// meets: cancelled on or before `cancelled_until` (any date when unset) and applied on
/// or before `applied_until`.
pub fn assign_round<'a>(
    rounds: &'a [PayoutRound],
    closed: &BTreeSet<i32>,
    cancelled_on: NaiveDate,
    applied_on: NaiveDate,
) -> Option<&'a PayoutRound> {
    rounds.iter().find(|round| {
        !closed.contains(&round.number)
            && applied_on <= round.applied_until
            && round
                .cancelled_until
                .is_none_or(|until| cancelled_on <= until)
    })
}

/// The round a failed payout moves to once its account is corrected: the first later
/// round not yet closed (the cut-offs are for new applications).
pub fn next_round_after<'a>(
    rounds: &'a [PayoutRound],
    closed: &BTreeSet<i32>,
    failed_in: i32,
) -> Option<&'a PayoutRound> {
    rounds
        .iter()
        .find(|round| round.number > failed_in && !closed.contains(&round.number))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rounds() -> Vec<PayoutRound> {
        let round = |number, paid, cancelled: Option<&str>, applied| PayoutRound {
            number,
            pay_date: day(paid),
            cancelled_until: cancelled.map(day),
            applied_until: day(applied),
        };
        vec![
            round(1, "2026-01-22", Some("2025-12-31"), "2026-01-18"),
            round(2, "2026-02-05", Some("2025-12-31"), "2026-01-31"),
            round(3, "2026-02-19", None, "2026-01-31"),
        ]
    }

    fn number(cancelled: &str, applied: &str) -> Option<i32> {
        assign_round(&rounds(), &BTreeSet::new(), day(cancelled), day(applied)).map(|r| r.number)
    }

    #[test]
    fn the_rounds_as_the_operator_paid_them() {
        assert_eq!(number("2025-10-02", "2026-01-15"), Some(1));
        assert_eq!(number("2025-12-31", "2026-01-18"), Some(1));
        assert_eq!(
            number("2025-10-02", "2026-01-19"),
            Some(2),
            "a December cancellation applied after round 1's cut-off"
        );
        assert_eq!(
            number("2025-12-31", "2026-01-31"),
            Some(2),
            "round 2 takes December cancellations until applications close"
        );
        assert_eq!(
            number("2026-01-05", "2026-01-15"),
            Some(3),
            "January's cancellations are paid in round 3, however early they apply"
        );
        assert_eq!(
            number("2026-01-20", "2026-01-20"),
            Some(3),
            "cancelled late (suspension exception)"
        );
        assert_eq!(
            number("2025-10-02", "2026-02-01"),
            None,
            "a late application meets no round"
        );
    }

    #[test]
    fn a_closed_round_is_skipped() {
        let closed = BTreeSet::from([1]);
        let all = rounds();
        let round = assign_round(&all, &closed, day("2025-10-02"), day("2026-01-15"));
        assert_eq!(round.map(|r| r.number), Some(2));
    }

    #[test]
    fn a_failed_payout_moves_to_the_next_open_round() {
        assert_eq!(
            next_round_after(&rounds(), &BTreeSet::from([1]), 1).map(|r| r.number),
            Some(2)
        );
        assert_eq!(
            next_round_after(&rounds(), &BTreeSet::from([1, 2]), 1).map(|r| r.number),
            Some(3)
        );
        assert_eq!(
            next_round_after(&rounds(), &BTreeSet::from([1, 2, 3]), 3),
            None
        );
    }

    #[test]
    fn customers_apply_online_and_agents_by_phone_or_in_store() {
        assert!(channel_allowed(Role::Customer, Channel::Web, false));
        assert!(!channel_allowed(Role::Customer, Channel::Store, false));
        assert!(channel_allowed(Role::Agent, Channel::CallCenter, false));
        assert!(channel_allowed(Role::Agent, Channel::Store, false));
        assert!(!channel_allowed(Role::Agent, Channel::Web, false));
    }

    #[test]
    fn minors_and_companies_apply_in_a_store_only() {
        assert!(!channel_allowed(Role::Customer, Channel::Web, true));
        assert!(!channel_allowed(Role::Agent, Channel::CallCenter, true));
        assert!(channel_allowed(Role::Agent, Channel::Store, true));
    }

    #[test]
    fn the_holder_must_be_the_customer_or_a_minors_guardian() {
        let name = PersonName::parse("Kim Minji").unwrap();
        assert_eq!(check_holder(&name, false, "KIM MINJI", None), Ok(()));
        assert_eq!(
            check_holder(&name, false, "Lee Minji", None),
            Err(HolderMismatch::NotTheCustomer)
        );
        assert_eq!(
            check_holder(&name, true, "Kim Parent", Some("Kim Parent")),
            Ok(())
        );
        assert_eq!(
            check_holder(&name, true, "Kim Minji", None),
            Err(HolderMismatch::NotTheGuardian)
        );
        assert_eq!(
            check_holder(&name, true, "Kim Minji", Some("Kim Parent")),
            Err(HolderMismatch::NotTheGuardian)
        );
    }

    #[test]
    fn the_window_includes_its_opening_and_closing_instants() {
        let rules = FeeWaiverRules {
            baseline_date: day("2025-08-31"),
            contract_change_cutoff: day("2025-09-01"),
            cancellation_window: crate::campaign::PeriodOfDays {
                first: day("2025-09-01"),
                last: day("2026-01-13"),
            },
            suspension_exception_ended_from: day("2025-12-31"),
            suspension_exception_grace_days: 14,
            eligibility_check_opens: day("2025-12-30"),
            applications_open_at: "2026-01-14T00:00:00Z".parse().unwrap(),
            applications_close_at: "2026-01-31T13:00:00Z".parse().unwrap(),
            max_reminders: 3,
            late_application_days: 14,
        };
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(!window_open(&rules, at("2026-01-13T23:59:59Z")));
        assert!(window_open(&rules, at("2026-01-14T00:00:00Z")));
        assert!(window_open(&rules, at("2026-01-31T13:00:00Z")));
        assert!(!window_open(&rules, at("2026-01-31T13:00:01Z")));
    }
}
