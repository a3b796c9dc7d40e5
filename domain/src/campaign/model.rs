//! The campaign's settings. The default campaign of program.md is seeded as data by a
//! migration; nothing in the rules hard-codes its dates.

use chrono::{DateTime, NaiveDate, Utc};

use crate::named_enum::named_enum;
use crate::notification::Texts;

/// An inclusive range of KST calendar dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodOfDays {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl PeriodOfDays {
    /// Whether `day` falls inside the period, both ends included.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// Section 1 of the program: who gets the early-termination fee back, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeWaiverRules {
    /// A line must have been in service at the end of this day.
    pub baseline_date: NaiveDate,
    /// No new subscription, device change or renewal on or after this day.
    pub contract_change_cutoff: NaiveDate,
    /// Customer cancellations in this period qualify.
    pub cancellation_window: PeriodOfDays,
    /// A military-service or overseas-stay suspension that ended on or after this day…
    pub suspension_exception_ended_from: NaiveDate,
    /// …may be cancelled up to this many days after it ended and still qualify.
    pub suspension_exception_grace_days: i64,
    /// Customers may check their eligibility from this day.
    pub eligibility_check_opens: NaiveDate,
    /// Refund applications are accepted from this instant…
    pub applications_open_at: DateTime<Utc>,
    /// …until this instant.
    pub applications_close_at: DateTime<Utc>,
    /// At most this many individual reminders per eligible line.
    pub max_reminders: u32,
    /// A customer who could not apply in time may apply up to this many days after the
    /// reason ended, once staff grant it.
    pub late_application_days: i64,
}

/// Section 2 of the program: the appreciation benefits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppreciationRules {
    /// Lines in service at the end of this day are in the program.
    pub base_date: NaiveDate,
    pub monthly_data_gigabytes: i32,
    /// The first day of the first and of the last month of monthly data.
    pub monthly_data_months: PeriodOfDays,
    pub roaming_window: PeriodOfDays,
    pub roaming_bonus_percent: i32,
    pub ott_selection_window: PeriodOfDays,
    pub ott_months: i32,
    pub discount_window: PeriodOfDays,
    pub discount_code_ttl_seconds: i64,
    pub insurance_coverage: PeriodOfDays,
    /// Customers at least this old on the base date are insured automatically.
    pub insurance_automatic_age: u32,
    /// The most the insurer pays for one claim (KRW).
    pub insurance_claim_limit: i64,
    /// The most the insurer pays one customer for incidents of one calendar year (KRW).
    pub insurance_yearly_limit: i64,
}

/// A scheduled payout of refunds: an application goes to the first round whose
/// cut-offs it meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutRound {
    pub number: i32,
    pub pay_date: NaiveDate,
    /// The line was cancelled on or before this day (`None`: any cancellation date).
    pub cancelled_until: Option<NaiveDate>,
    /// The application was made on or before this day.
    pub applied_until: NaiveDate,
}

/// One row of the selective-discount return table: from `from_month` months elapsed
/// in the contract, `percent` of the discount received so far is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscountReturnRate {
    pub from_month: i32,
    pub percent: i32,
}

/// A benefits program, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: String,
    pub code: String,
    pub name: String,
    /// Customers younger than this on the day in question are minors.
    pub minor_age: u32,
    pub fee_waiver: FeeWaiverRules,
    pub appreciation: AppreciationRules,
    /// Ordered by number.
    pub payout_rounds: Vec<PayoutRound>,
    /// Ordered by `from_month`.
    pub discount_return_rates: Vec<DiscountReturnRate>,
    /// The sender name and every customer-facing text.
    pub texts: Texts,
}

named_enum!(
    /// The campaign's editable periods of days.
    CampaignPeriod {
        CancellationWindow => "CANCELLATION_WINDOW",
        MonthlyData => "MONTHLY_DATA",
        Roaming => "ROAMING",
        OttSelection => "OTT_SELECTION",
        PartnerDiscount => "PARTNER_DISCOUNT",
        InsuranceCoverage => "INSURANCE_COVERAGE",
    }
);

named_enum!(
    /// The campaign's editable single days.
    CampaignDay {
        BaselineDate => "BASELINE_DATE",
        ContractChangeCutoff => "CONTRACT_CHANGE_CUTOFF",
        EligibilityCheckOpens => "ELIGIBILITY_CHECK_OPENS",
        BaseDate => "BASE_DATE",
    }
);

impl Campaign {
    /// The campaign's value of one editable day.
    pub fn day(&self, kind: CampaignDay) -> NaiveDate {
        match kind {
            CampaignDay::BaselineDate => self.fee_waiver.baseline_date,
            CampaignDay::ContractChangeCutoff => self.fee_waiver.contract_change_cutoff,
            CampaignDay::EligibilityCheckOpens => self.fee_waiver.eligibility_check_opens,
            CampaignDay::BaseDate => self.appreciation.base_date,
        }
    }

    /// The campaign's value of one editable period.
    pub fn period(&self, kind: CampaignPeriod) -> PeriodOfDays {
        let benefits = &self.appreciation;
        match kind {
            CampaignPeriod::CancellationWindow => self.fee_waiver.cancellation_window,
            CampaignPeriod::MonthlyData => benefits.monthly_data_months,
            CampaignPeriod::Roaming => benefits.roaming_window,
            CampaignPeriod::OttSelection => benefits.ott_selection_window,
            CampaignPeriod::PartnerDiscount => benefits.discount_window,
            CampaignPeriod::InsuranceCoverage => benefits.insurance_coverage,
        }
    }
}
