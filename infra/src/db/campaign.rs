//! Reads the active campaign, kept in process for a few seconds: it is read by nearly
//! every request and changes rarely. An admin's edit drops this process's copy at once;
//! other replicas see it within the copy's lifetime.

use std::time::Duration;

use async_trait::async_trait;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _,
};

use benefits_domain::campaign::{
    AppreciationRules, Campaign, CampaignDay, CampaignPeriod, CampaignRepository,
    DiscountReturnRate, FeeWaiverRules, PayoutRound, PeriodOfDays,
};
use benefits_domain::error::Unexpected;
use benefits_domain::notification::{Template, Texts};

use super::entities::{campaigns, discount_return_rates, notification_templates, payout_rounds};
use super::unexpected;

/// How long a replica may serve a campaign it read before an admin changed it.
const CAMPAIGN_TTL: Duration = Duration::from_secs(5);

/// The campaign repository over sea-orm.
#[derive(Clone)]
pub struct SeaCampaignRepository {
    db: DatabaseConnection,
    active: moka::future::Cache<(), Campaign>,
}

impl SeaCampaignRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        let active = moka::future::Cache::builder()
            .max_capacity(1)
            .time_to_live(CAMPAIGN_TTL)
            .build();
        Self { db, active }
    }

    async fn load_active(&self) -> Result<Campaign, Unexpected> {
        let campaign = campaigns::Entity::find()
            .filter(campaigns::Column::Active.eq(true))
            .order_by_asc(campaigns::Column::Id)
            .one(&self.db)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("no active campaign: run `benefits migrate`"))?;
        let rounds = payout_rounds::Entity::find()
            .filter(payout_rounds::Column::CampaignId.eq(&campaign.id))
            .order_by_asc(payout_rounds::Column::Number)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        let rates = discount_return_rates::Entity::find()
            .filter(discount_return_rates::Column::CampaignId.eq(&campaign.id))
            .order_by_asc(discount_return_rates::Column::FromMonth)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        let templates = notification_templates::Entity::find()
            .filter(notification_templates::Column::CampaignId.eq(&campaign.id))
            .all(&self.db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(to_template)
            .collect::<Result<Vec<_>, _>>()?;
        let texts = Texts {
            sender_name: campaign.sender_name.clone(),
            templates,
        };
        Ok(to_campaign(campaign, rounds, rates, texts))
    }
}

#[async_trait]
impl CampaignRepository for SeaCampaignRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn active(&self) -> Result<Campaign, Unexpected> {
        self.active
            .try_get_with((), self.load_active())
            .await
            .map_err(|error| Unexpected::new(error.to_string()))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn update_period(
        &self,
        campaign_id: &str,
        kind: CampaignPeriod,
        period: PeriodOfDays,
    ) -> Result<(), Unexpected> {
        use campaigns::Column;
        let (first, last) = match kind {
            CampaignPeriod::CancellationWindow => {
                (Column::CancellationFrom, Column::CancellationUntil)
            }
            CampaignPeriod::MonthlyData => {
                (Column::MonthlyDataFirstMonth, Column::MonthlyDataLastMonth)
            }
            CampaignPeriod::Roaming => (Column::RoamingFrom, Column::RoamingUntil),
            CampaignPeriod::OttSelection => (Column::OttSelectionFrom, Column::OttSelectionUntil),
            CampaignPeriod::PartnerDiscount => (Column::DiscountFrom, Column::DiscountUntil),
            CampaignPeriod::InsuranceCoverage => (Column::InsuranceFrom, Column::InsuranceUntil),
        };
        campaigns::Entity::update_many()
            .col_expr(first, Expr::value(period.first))
            .col_expr(last, Expr::value(period.last))
            .filter(Column::Id.eq(campaign_id))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn update_round(
        &self,
        campaign_id: &str,
        round: &PayoutRound,
    ) -> Result<bool, Unexpected> {
        let updated = payout_rounds::Entity::update_many()
            .col_expr(payout_rounds::Column::PayDate, Expr::value(round.pay_date))
            .col_expr(
                payout_rounds::Column::CancelledUntil,
                Expr::value(round.cancelled_until),
            )
            .col_expr(
                payout_rounds::Column::AppliedUntil,
                Expr::value(round.applied_until),
            )
            .filter(payout_rounds::Column::CampaignId.eq(campaign_id))
            .filter(payout_rounds::Column::Number.eq(round.number))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(updated.rows_affected > 0)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn update_day(
        &self,
        campaign_id: &str,
        kind: CampaignDay,
        day: chrono::NaiveDate,
    ) -> Result<(), Unexpected> {
        use campaigns::Column;
        let column = match kind {
            CampaignDay::BaselineDate => Column::BaselineDate,
            CampaignDay::ContractChangeCutoff => Column::ContractChangeCutoff,
            CampaignDay::EligibilityCheckOpens => Column::EligibilityCheckOpens,
            CampaignDay::BaseDate => Column::BaseDate,
        };
        campaigns::Entity::update_many()
            .col_expr(column, Expr::value(day))
            .filter(Column::Id.eq(campaign_id))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn update_roaming_bonus_percent(
        &self,
        campaign_id: &str,
        percent: i32,
    ) -> Result<(), Unexpected> {
        campaigns::Entity::update_many()
            .col_expr(campaigns::Column::RoamingBonusPercent, Expr::value(percent))
            .filter(campaigns::Column::Id.eq(campaign_id))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn update_template(
        &self,
        campaign_id: &str,
        template: &Template,
    ) -> Result<(), Unexpected> {
        use notification_templates::Column;
        notification_templates::Entity::insert(notification_templates::ActiveModel {
            campaign_id: Set(campaign_id.to_owned()),
            kind: Set(template.kind.as_str().to_owned()),
            language: Set(template.language.as_str().to_owned()),
            channel: Set(template.channel.as_str().to_owned()),
            body: Set(template.body.clone()),
        })
        .on_conflict(
            OnConflict::columns([
                Column::CampaignId,
                Column::Kind,
                Column::Language,
                Column::Channel,
            ])
            .update_column(Column::Body)
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn update_sender_name(&self, campaign_id: &str, name: &str) -> Result<(), Unexpected> {
        campaigns::Entity::update_many()
            .col_expr(campaigns::Column::SenderName, Expr::value(name))
            .filter(campaigns::Column::Id.eq(campaign_id))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn add_round(&self, campaign_id: &str, round: &PayoutRound) -> Result<bool, Unexpected> {
        let inserted = payout_rounds::Entity::insert(payout_rounds::ActiveModel {
            campaign_id: Set(campaign_id.to_owned()),
            number: Set(round.number),
            pay_date: Set(round.pay_date),
            cancelled_until: Set(round.cancelled_until),
            applied_until: Set(round.applied_until),
        })
        .on_conflict(
            OnConflict::columns([
                payout_rounds::Column::CampaignId,
                payout_rounds::Column::Number,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(unexpected)?;
        self.active.invalidate(&()).await;
        Ok(inserted > 0)
    }
}

fn to_template(row: notification_templates::Model) -> Result<Template, Unexpected> {
    let corrupt = |error: String| Unexpected::new(format!("stored template: {error}"));
    Ok(Template {
        kind: row.kind.parse().map_err(corrupt)?,
        language: row.language.parse().map_err(corrupt)?,
        channel: row.channel.parse().map_err(corrupt)?,
        body: row.body,
    })
}

fn to_campaign(
    row: campaigns::Model,
    rounds: Vec<payout_rounds::Model>,
    rates: Vec<discount_return_rates::Model>,
    texts: Texts,
) -> Campaign {
    let period = |first, last| PeriodOfDays { first, last };
    Campaign {
        id: row.id,
        code: row.code,
        name: row.name,
        minor_age: u32::try_from(row.minor_age).unwrap_or(19),
        fee_waiver: FeeWaiverRules {
            baseline_date: row.baseline_date,
            contract_change_cutoff: row.contract_change_cutoff,
            cancellation_window: period(row.cancellation_from, row.cancellation_until),
            suspension_exception_ended_from: row.suspension_exception_ended_from,
            suspension_exception_grace_days: i64::from(row.suspension_exception_grace_days),
            eligibility_check_opens: row.eligibility_check_opens,
            applications_open_at: row.applications_open_at,
            applications_close_at: row.applications_close_at,
            max_reminders: u32::try_from(row.max_reminders).unwrap_or(0),
            late_application_days: i64::from(row.late_application_days),
        },
        appreciation: AppreciationRules {
            base_date: row.base_date,
            monthly_data_gigabytes: row.monthly_data_gigabytes,
            monthly_data_months: period(row.monthly_data_first_month, row.monthly_data_last_month),
            roaming_window: period(row.roaming_from, row.roaming_until),
            roaming_bonus_percent: row.roaming_bonus_percent,
            ott_selection_window: period(row.ott_selection_from, row.ott_selection_until),
            ott_months: row.ott_months,
            discount_window: period(row.discount_from, row.discount_until),
            discount_code_ttl_seconds: row.discount_code_ttl_seconds,
            insurance_coverage: period(row.insurance_from, row.insurance_until),
            insurance_automatic_age: u32::try_from(row.insurance_automatic_age).unwrap_or(65),
            insurance_claim_limit: row.insurance_claim_limit,
            insurance_yearly_limit: row.insurance_yearly_limit,
        },
        payout_rounds: rounds
            .into_iter()
            .map(|round| PayoutRound {
                number: round.number,
                pay_date: round.pay_date,
                cancelled_until: round.cancelled_until,
                applied_until: round.applied_until,
            })
            .collect(),
        discount_return_rates: rates
            .into_iter()
            .map(|rate| DiscountReturnRate {
                from_month: rate.from_month,
                percent: rate.percent,
            })
            .collect(),
        texts,
    }
}
