//! `data_grant_months`: the dashboard's tally of monthly data granted, one row per
//! month (lines granted, gigabytes), kept in the same transaction as the grants it
//! counts, so `dataGrantsByMonth` reads a dozen rows instead of grouping every grant.
//! Filled from the grants already made.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DataGrantMonths {
    Table,
    Month,
    Lines,
    Gigabytes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DataGrantMonths::Table)
                    .col(string_len(DataGrantMonths::Month, 7).primary_key())
                    .col(big_integer(DataGrantMonths::Lines))
                    .col(big_integer(DataGrantMonths::Gigabytes))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO data_grant_months (month, lines, gigabytes) \
                 SELECT month, COUNT(*), CAST(COALESCE(SUM(gigabytes), 0) AS BIGINT) \
                 FROM data_grants GROUP BY month",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DataGrantMonths::Table).to_owned())
            .await
    }
}
