//! The campaign as admins read and edit it: its dates, benefit periods and payout
//! rounds.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::NaiveDate;

use benefits_domain::auth::Role;
use benefits_domain::campaign::{self as domain, EditError, PeriodOfDays};

use super::context::parts;
use super::cost;
use super::guard::RoleGuard;
use super::{ApiError, ErrorCode};

/// The campaign's editable periods of days.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CampaignPeriod {
    /// Customer cancellations in this period qualify for the fee waiver.
    CancellationWindow,
    /// The first days of the first and the last month of monthly data.
    MonthlyData,
    Roaming,
    OttSelection,
    PartnerDiscount,
    InsuranceCoverage,
}

impl From<CampaignPeriod> for domain::CampaignPeriod {
    fn from(kind: CampaignPeriod) -> Self {
        match kind {
            CampaignPeriod::CancellationWindow => Self::CancellationWindow,
            CampaignPeriod::MonthlyData => Self::MonthlyData,
            CampaignPeriod::Roaming => Self::Roaming,
            CampaignPeriod::OttSelection => Self::OttSelection,
            CampaignPeriod::PartnerDiscount => Self::PartnerDiscount,
            CampaignPeriod::InsuranceCoverage => Self::InsuranceCoverage,
        }
    }
}

impl From<domain::CampaignPeriod> for CampaignPeriod {
    fn from(kind: domain::CampaignPeriod) -> Self {
        match kind {
            domain::CampaignPeriod::CancellationWindow => Self::CancellationWindow,
            domain::CampaignPeriod::MonthlyData => Self::MonthlyData,
            domain::CampaignPeriod::Roaming => Self::Roaming,
            domain::CampaignPeriod::OttSelection => Self::OttSelection,
            domain::CampaignPeriod::PartnerDiscount => Self::PartnerDiscount,
            domain::CampaignPeriod::InsuranceCoverage => Self::InsuranceCoverage,
        }
    }
}

/// The campaign's editable single days.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CampaignDay {
    /// Lines must have been in service at the end of this day (fee waiver).
    BaselineDate,
    /// No new subscription, device change or renewal on or after this day.
    ContractChangeCutoff,
    /// Customers may check their eligibility from this day.
    EligibilityCheckOpens,
    /// Lines in service at the end of this day are in the appreciation program.
    BaseDate,
}

impl From<CampaignDay> for domain::CampaignDay {
    fn from(kind: CampaignDay) -> Self {
        match kind {
            CampaignDay::BaselineDate => Self::BaselineDate,
            CampaignDay::ContractChangeCutoff => Self::ContractChangeCutoff,
            CampaignDay::EligibilityCheckOpens => Self::EligibilityCheckOpens,
            CampaignDay::BaseDate => Self::BaseDate,
        }
    }
}

/// One period of the campaign, both days included (`YYYY-MM-DD`).
#[derive(SimpleObject)]
pub struct CampaignPeriodDays {
    pub kind: CampaignPeriod,
    pub first: String,
    pub last: String,
}

/// A payout round with its cut-offs (`YYYY-MM-DD`).
#[derive(SimpleObject)]
pub struct PayoutRoundSettings {
    pub number: i32,
    pub pay_date: String,
    /// Null: any cancellation date.
    pub cancelled_until: Option<String>,
    pub applied_until: String,
    /// Its payout file exists; its dates can no longer change.
    pub closed: bool,
}

/// The active campaign's dates, periods and payout rounds.
#[derive(SimpleObject)]
pub struct CampaignSettings {
    pub code: String,
    pub name: String,
    /// Lines must have been in service at the end of this day (`YYYY-MM-DD`).
    pub baseline_date: String,
    /// No contract change on or after this day (`YYYY-MM-DD`).
    pub contract_change_cutoff: String,
    /// Customers may check their eligibility from this day.
    pub eligibility_check_opens: String,
    /// RFC 3339, UTC.
    pub applications_open_at: String,
    /// RFC 3339, UTC.
    pub applications_close_at: String,
    /// Lines in service at the end of this day are in the appreciation program.
    pub base_date: String,
    /// Percent of each roaming pass's data added as the bonus.
    pub roaming_bonus_percent: i32,
    /// A late application may be granted up to this many days after its reason ended.
    pub late_application_days: i32,
    #[graphql(complexity = "cost::list(cost::PERIODS, child_complexity)")]
    pub periods: Vec<CampaignPeriodDays>,
    #[graphql(complexity = "cost::list(cost::SHORT_LIST, child_complexity)")]
    pub payout_rounds: Vec<PayoutRoundSettings>,
}

/// `updatePayoutRound`'s input (`YYYY-MM-DD` dates).
#[derive(InputObject)]
pub struct PayoutRoundInput {
    pub number: i32,
    pub pay_date: String,
    /// Null: any cancellation date.
    pub cancelled_until: Option<String>,
    pub applied_until: String,
}

fn parse_day(name: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_input(format!("{name} must be a date like 2026-01-22")))
}

fn edit_error(error: EditError) -> ApiError {
    match error {
        EditError::Template(refusal) => {
            ApiError::bad_input(refusal.message()).with_reason(refusal.code())
        }
        EditError::BadInput(message) => ApiError::bad_input(message),
        EditError::NotFound => ApiError::not_found("payout round"),
        EditError::RoundClosed => {
            ApiError::new(ErrorCode::WindowClosed, "the payout round is closed")
        }
        EditError::Unexpected(cause) => ApiError::internal(cause),
    }
}

async fn settings(ctx: &Context<'_>) -> async_graphql::Result<CampaignSettings> {
    let (app, _) = parts(ctx)?;
    let (campaign, closed) = app.campaign.active().await.map_err(ApiError::internal)?;
    let fee_waiver = &campaign.fee_waiver;
    Ok(CampaignSettings {
        code: campaign.code.clone(),
        name: campaign.name.clone(),
        baseline_date: fee_waiver.baseline_date.to_string(),
        contract_change_cutoff: fee_waiver.contract_change_cutoff.to_string(),
        roaming_bonus_percent: campaign.appreciation.roaming_bonus_percent,
        eligibility_check_opens: fee_waiver.eligibility_check_opens.to_string(),
        applications_open_at: fee_waiver.applications_open_at.to_rfc3339(),
        applications_close_at: fee_waiver.applications_close_at.to_rfc3339(),
        base_date: campaign.appreciation.base_date.to_string(),
        late_application_days: i32::try_from(fee_waiver.late_application_days).unwrap_or(0),
        periods: domain::CampaignPeriod::ALL
            .iter()
            .map(|&kind| {
                let period = campaign.period(kind);
                CampaignPeriodDays {
                    kind: kind.into(),
                    first: period.first.to_string(),
                    last: period.last.to_string(),
                }
            })
            .collect(),
        payout_rounds: campaign
            .payout_rounds
            .iter()
            .map(|round| PayoutRoundSettings {
                number: round.number,
                pay_date: round.pay_date.to_string(),
                cancelled_until: round.cancelled_until.map(|day| day.to_string()),
                applied_until: round.applied_until.to_string(),
                closed: closed.contains(&round.number),
            })
            .collect(),
    })
}

/// Campaign queries.
#[derive(Default)]
pub struct CampaignQuery;

#[Object]
impl CampaignQuery {
    /// The active campaign's dates, periods and payout rounds.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn campaign(&self, ctx: &Context<'_>) -> async_graphql::Result<CampaignSettings> {
        settings(ctx).await
    }
}

/// Campaign mutations.
#[derive(Default)]
pub struct CampaignMutation;

#[Object]
impl CampaignMutation {
    /// Sets one period of the active campaign (`YYYY-MM-DD`, both days included).
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn update_campaign_period(
        &self,
        ctx: &Context<'_>,
        kind: CampaignPeriod,
        first: String,
        last: String,
    ) -> async_graphql::Result<CampaignSettings> {
        let (app, caller) = parts(ctx)?;
        let period = PeriodOfDays {
            first: parse_day("first", &first)?,
            last: parse_day("last", &last)?,
        };
        app.campaign
            .set_period(caller, kind.into(), period)
            .await
            .map_err(edit_error)?;
        settings(ctx).await
    }

    /// Sets one single day of the active campaign (`YYYY-MM-DD`), such as the
    /// appreciation program's base date.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn update_campaign_day(
        &self,
        ctx: &Context<'_>,
        kind: CampaignDay,
        day: String,
    ) -> async_graphql::Result<CampaignSettings> {
        let (app, caller) = parts(ctx)?;
        app.campaign
            .set_day(caller, kind.into(), parse_day("day", &day)?)
            .await
            .map_err(edit_error)?;
        settings(ctx).await
    }

    /// Sets the roaming bonus: percent of each pass's data (1 to 1,000).
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn update_roaming_bonus_percent(
        &self,
        ctx: &Context<'_>,
        percent: i32,
    ) -> async_graphql::Result<CampaignSettings> {
        let (app, caller) = parts(ctx)?;
        app.campaign
            .set_roaming_bonus_percent(caller, percent)
            .await
            .map_err(edit_error)?;
        settings(ctx).await
    }

    /// Adds a payout round after the others (numbered next); applications waiting
    /// without a round (late ones) that meet its cut-offs join it at once.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn add_payout_round(
        &self,
        ctx: &Context<'_>,
        pay_date: String,
        cancelled_until: Option<String>,
        applied_until: String,
    ) -> async_graphql::Result<CampaignSettings> {
        let (app, caller) = parts(ctx)?;
        app.campaign
            .add_round(
                caller,
                parse_day("payDate", &pay_date)?,
                cancelled_until
                    .as_deref()
                    .map(|text| parse_day("cancelledUntil", text))
                    .transpose()?,
                parse_day("appliedUntil", &applied_until)?,
            )
            .await
            .map_err(edit_error)?;
        settings(ctx).await
    }

    /// Sets the dates of a payout round until it is closed.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn update_payout_round(
        &self,
        ctx: &Context<'_>,
        input: PayoutRoundInput,
    ) -> async_graphql::Result<CampaignSettings> {
        let (app, caller) = parts(ctx)?;
        let round = domain::PayoutRound {
            number: input.number,
            pay_date: parse_day("payDate", &input.pay_date)?,
            cancelled_until: input
                .cancelled_until
                .as_deref()
                .map(|text| parse_day("cancelledUntil", text))
                .transpose()?,
            applied_until: parse_day("appliedUntil", &input.applied_until)?,
        };
        app.campaign
            .set_round(caller, round)
            .await
            .map_err(edit_error)?;
        settings(ctx).await
    }
}
