//! The dashboard's aggregates over sea-orm: one `GROUP BY` query each, the same SQL on
//! PostgreSQL and SQLite.

use async_trait::async_trait;
use sea_orm::sea_query::{Expr, JoinType};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _,
};

use benefits_domain::campaign::PeriodOfDays;
use benefits_domain::error::Unexpected;
use benefits_domain::report::{GrantMonth, RedemptionDay, ReportRepository};

use super::entities::{data_grants, partners, redemptions, stores};
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

    async fn grants_by_month(&self) -> Result<Vec<GrantMonth>, Unexpected> {
        let rows: Vec<(String, i64, i64)> = data_grants::Entity::find()
            .select_only()
            .column(data_grants::Column::Month)
            .column_as(Expr::cust("COUNT(*)"), "lines")
            .column_as(
                Expr::cust("CAST(COALESCE(SUM(gigabytes), 0) AS BIGINT)"),
                "gigabytes",
            )
            .group_by(data_grants::Column::Month)
            .order_by_asc(data_grants::Column::Month)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .map(|(month, lines, gigabytes)| GrantMonth {
                month,
                lines: u64::try_from(lines).unwrap_or_default(),
                gigabytes,
            })
            .collect())
    }
}
