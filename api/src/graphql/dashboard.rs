//! The admins' dashboard: redemptions per day and partner category, and monthly data
//! granted per month (eligibility by reason and applications by round are in
//! `refundOverview`).

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;

use benefits_domain::auth::Role;
use benefits_domain::campaign::PeriodOfDays;

use super::ApiError;
use super::context::parts;
use super::cost;
use super::guard::RoleGuard;
use super::partner::PartnerCategory;

/// The longest period `redemptionsByDay` covers, in days.
const MAX_DAYS: i64 = 366;

/// One partner category's standing redemptions on one KST day.
#[derive(SimpleObject)]
pub struct RedemptionDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub category: PartnerCategory,
    pub count: i64,
    /// KRW of discounts granted.
    pub total_discount: i64,
}

/// The monthly data granted for one month.
#[derive(SimpleObject)]
pub struct GrantMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Lines granted that month.
    pub lines: i64,
    pub gigabytes: i64,
}

fn parse_day(name: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_input(format!("{name} must be a date like 2026-02-01")))
}

/// Dashboard queries.
#[derive(Default)]
pub struct DashboardQuery;

#[Object]
impl DashboardQuery {
    /// Standing redemptions per KST day and partner category from `from` to `until`
    /// (`YYYY-MM-DD`, both included, at most 366 days).
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::list(cost::REDEMPTION_DAYS, child_complexity)"
    )]
    async fn redemptions_by_day(
        &self,
        ctx: &Context<'_>,
        from: String,
        until: String,
    ) -> async_graphql::Result<Vec<RedemptionDay>> {
        let (app, _) = parts(ctx)?;
        let period = PeriodOfDays {
            first: parse_day("from", &from)?,
            last: parse_day("until", &until)?,
        };
        let days = (period.last - period.first).num_days();
        if !(0..MAX_DAYS).contains(&days) {
            return Err(ApiError::bad_input(
                "from must be on or before until, at most 366 days apart",
            )
            .into());
        }
        let rows = app
            .reports
            .redemptions_by_day(period)
            .await
            .map_err(ApiError::internal)?;
        Ok(rows
            .into_iter()
            .map(|row| RedemptionDay {
                day: row.day.to_string(),
                category: row.category.into(),
                count: i64::try_from(row.count).unwrap_or(i64::MAX),
                total_discount: row.total_discount,
            })
            .collect())
    }

    /// Lines and gigabytes of monthly data granted, per month.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::list(cost::MONTHS, child_complexity)"
    )]
    async fn data_grants_by_month(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<GrantMonth>> {
        let (app, _) = parts(ctx)?;
        let rows = app
            .reports
            .grants_by_month()
            .await
            .map_err(ApiError::internal)?;
        Ok(rows
            .into_iter()
            .map(|row| GrantMonth {
                month: row.month,
                lines: i64::try_from(row.lines).unwrap_or(i64::MAX),
                gigabytes: row.gigabytes,
            })
            .collect())
    }
}
