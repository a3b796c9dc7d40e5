//! The dashboard's aggregates over sea-orm, the same SQL on PostgreSQL and SQLite:
//! redemptions per day in one `GROUP BY` over the period's rows (found by their day),
//! data granted per month from the tally the grants keep (`data_grant_months`).

use async_trait::async_trait;
use sea_orm::sea_query::JoinType;
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _,
};

use benefits_domain::campaign::PeriodOfDays;
use benefits_domain::error::Unexpected;
use benefits_domain::report::{GrantMonth, RedemptionDay, ReportRepository};

use super::entities::{data_grant_months, partners, redemptions, stores};
use super::partner::standing_redemptions;
use super::unexpected;

/// The report repository over sea-orm.
#[derive(Clone)]
pub struct SeaReportRepository {
    db: DatabaseConnection,
}

impl SeaReportRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ReportRepository for SeaReportRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn redemptions_by_day(
        &self,
        period: PeriodOfDays,
    ) -> Result<Vec<RedemptionDay>, Unexpected> {
        let rows: Vec<(chrono::NaiveDate, String, i64, i64)> = standing_redemptions(
            redemptions::Entity::find()
                .select_only()
                .column(redemptions::Column::RedeemedOn)
                .column(partners::Column::Category),
        )
        .join(
            JoinType::InnerJoin,
            stores::Entity::belongs_to(partners::Entity)
                .from(stores::Column::PartnerId)
                .to(partners::Column::Id)
                .into(),
        )
        .filter(redemptions::Column::RedeemedOn.between(period.first, period.last))
        .group_by(redemptions::Column::RedeemedOn)
        .group_by(partners::Column::Category)
        .order_by_asc(redemptions::Column::RedeemedOn)
        .order_by_asc(partners::Column::Category)
        .into_tuple()
        .all(&self.db)
        .await
        .map_err(unexpected)?;
        rows.into_iter()
            .map(|(day, category, count, total_discount)| {
                Ok(RedemptionDay {
                    day,
                    category: category.parse().map_err(Unexpected::new)?,
                    count: u64::try_from(count).unwrap_or_default(),
                    total_discount,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn grants_by_month(&self) -> Result<Vec<GrantMonth>, Unexpected> {
        let rows = data_grant_months::Entity::find()
            .order_by_asc(data_grant_months::Column::Month)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .map(
                |data_grant_months::Model {
                     month,
                     lines,
                     gigabytes,
                 }| GrantMonth {
                    month,
                    lines: u64::try_from(lines).unwrap_or_default(),
                    gigabytes,
                },
            )
            .collect())
    }
}
