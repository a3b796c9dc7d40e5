//! Late applications: a customer who could not apply in time for an unavoidable reason
//! may apply until a deadline staff grant the line after reviewing the evidence.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::campaign::FeeWaiverRules;
use crate::customer::LineId;
use crate::kst;
use crate::named_enum::named_enum;

named_enum!(
    /// Why a customer could not apply in time.
    LateReason {
        MilitaryService => "MILITARY_SERVICE",
        OverseasStay => "OVERSEAS_STAY",
        Hospitalisation => "HOSPITALISATION",
        BusinessTrip => "BUSINESS_TRIP",
    }
);

/// A line's late-application grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateApplication {
    pub line_id: LineId,
    pub reason: LateReason,
    pub reason_ended_on: NaiveDate,
    /// The last day the line may apply (KST), until the hour applications close.
    pub apply_until: NaiveDate,
    /// What the staff member saw (documents, dates); sealed at rest, never shown.
    pub evidence_note: String,
    /// The staff member who granted it.
    pub granted_by: String,
    pub granted_at: DateTime<Utc>,
}

impl LateApplication {
    /// The instant after which the grant no longer lets the line apply: `apply_until`
    /// at the KST hour the campaign's regular applications close (22:00 by default).
    pub fn deadline(&self, rules: &FeeWaiverRules) -> DateTime<Utc> {
        let closing_hour = rules
            .applications_close_at
            .with_timezone(&kst::offset())
            .time();
        kst::instant_of(self.apply_until.and_time(closing_hour))
    }
}

/// Why a grant's dates or note are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantRefusal {
    EndedInTheFuture,
    EndedTooLongAgo,
    NoEvidence,
}

impl GrantRefusal {
    /// The explanation a client shows (BAD_USER_INPUT).
    pub fn message(self) -> &'static str {
        match self {
            Self::EndedInTheFuture => "reasonEndedOn must not be after today",
            Self::EndedTooLongAgo => {
                "reasonEndedOn is too long ago: a late application must come within the campaign's days after the reason ended"
            }
            Self::NoEvidence => {
                "evidenceNote must say which documents were seen (1 to 1,000 characters)"
            }
        }
    }

    /// The code of the refusal, as `extensions.reason` carries it.
    pub fn code(self) -> &'static str {
        match self {
            Self::EndedInTheFuture => "REASON_NOT_ENDED",
            Self::EndedTooLongAgo => "REASON_ENDED_TOO_LONG_AGO",
            Self::NoEvidence => "EVIDENCE_MISSING",
        }
    }
}

/// The most characters of an evidence note.
const MAX_EVIDENCE: usize = 1_000;

/// The last day a line may apply when its reason ended on `ended_on`, or why no grant
/// can be given today: the reason must have ended today or at most the campaign's days
/// before, and the evidence must be noted.
///
/// # Errors
/// A [`GrantRefusal`] naming the rule that failed.
pub fn grant_until(
    rules: &FeeWaiverRules,
    today: NaiveDate,
    ended_on: NaiveDate,
    evidence_note: &str,
) -> Result<NaiveDate, GrantRefusal> {
    let note = evidence_note.trim();
    if note.is_empty()
        || note.chars().count() > MAX_EVIDENCE
        || note.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(GrantRefusal::NoEvidence);
    }
    if ended_on > today {
        return Err(GrantRefusal::EndedInTheFuture);
    }
    let days = Days::new(u64::try_from(rules.late_application_days).unwrap_or(0));
    let apply_until = ended_on
        .checked_add_days(days)
        .ok_or(GrantRefusal::EndedTooLongAgo)?;
    if apply_until < today {
        return Err(GrantRefusal::EndedTooLongAgo);
    }
    Ok(apply_until)
}

/// Whether a refund application is accepted at `now`: inside the campaign's window, or
/// after its opening and until the line's late-application deadline.
pub fn accepts_application(
    rules: &FeeWaiverRules,
    late: Option<&LateApplication>,
    now: DateTime<Utc>,
) -> bool {
    super::rules::window_open(rules, now)
        || late.is_some_and(|late| rules.applications_open_at <= now && now <= late.deadline(rules))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::PeriodOfDays;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rules() -> FeeWaiverRules {
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
            applications_open_at: "2026-01-14T00:00:00Z".parse().unwrap(),
            applications_close_at: "2026-01-31T13:00:00Z".parse().unwrap(),
            max_reminders: 3,
            late_application_days: 14,
        }
    }

    fn grant(apply_until: &str) -> LateApplication {
        LateApplication {
            line_id: LineId("l".into()),
            reason: LateReason::MilitaryService,
            reason_ended_on: day("2026-02-01"),
            apply_until: day(apply_until),
            evidence_note: "discharge certificate".into(),
            granted_by: "agent-1".into(),
            granted_at: "2026-02-03T01:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn the_deadline_is_fourteen_days_after_the_reason_ended() {
        let until = grant_until(
            &rules(),
            day("2026-02-03"),
            day("2026-02-01"),
            "certificate",
        );
        assert_eq!(until, Ok(day("2026-02-15")));
    }

    #[test]
    fn a_reason_that_has_not_ended_or_ended_too_long_ago_gets_no_grant() {
        let today = day("2026-02-20");
        assert_eq!(
            grant_until(&rules(), today, day("2026-02-21"), "certificate"),
            Err(GrantRefusal::EndedInTheFuture)
        );
        assert_eq!(
            grant_until(&rules(), today, day("2026-02-06"), "certificate"),
            Ok(day("2026-02-20")),
            "ended fourteen days ago: today is the last day"
        );
        assert_eq!(
            grant_until(&rules(), today, day("2026-02-05"), "certificate"),
            Err(GrantRefusal::EndedTooLongAgo)
        );
        assert_eq!(
            grant_until(&rules(), today, day("2026-02-20"), "  "),
            Err(GrantRefusal::NoEvidence)
        );
    }

    #[test]
    fn a_granted_line_may_apply_until_ten_pm_in_seoul_on_its_last_day() {
        let late = grant("2026-02-15");
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(accepts_application(
            &rules(),
            Some(&late),
            at("2026-02-15T13:00:00Z")
        ));
        assert!(!accepts_application(
            &rules(),
            Some(&late),
            at("2026-02-15T13:00:01Z")
        ));
        assert!(!accepts_application(
            &rules(),
            None,
            at("2026-02-10T01:00:00Z")
        ));
        assert!(
            accepts_application(
                &rules(),
                Some(&grant("2026-01-20")),
                at("2026-01-25T01:00:00Z")
            ),
            "a grant never shortens the regular window"
        );
    }
}
