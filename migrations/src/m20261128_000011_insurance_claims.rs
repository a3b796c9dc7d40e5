//! Insurance claims, and the insurer's limits per claim and per year as campaign data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    InsuranceClaimLimit,
    InsuranceYearlyLimit,
}

#[derive(DeriveIden)]
enum InsuranceClaims {
    Table,
    Id,
    CustomerId,
    CoverageType,
    IncidentOn,
    LossAmount,
    Description,
    Status,
    ApprovedAmount,
    FiledAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // KRW; the default campaign's insurer pays at most 5,000,000 a claim and
        // 10,000,000 a year per customer.
        for (column, default) in [
            (Campaigns::InsuranceClaimLimit, 5_000_000_i64),
            (Campaigns::InsuranceYearlyLimit, 10_000_000_i64),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaigns::Table)
                        .add_column(big_integer(column).default(default))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(InsuranceClaims::Table)
                    .col(string_len(InsuranceClaims::Id, 36).primary_key())
                    .col(string_len(InsuranceClaims::CustomerId, 36))
                    .col(string_len(InsuranceClaims::CoverageType, 32))
                    .col(date(InsuranceClaims::IncidentOn))
                    .col(big_integer(InsuranceClaims::LossAmount))
                    .col(text(InsuranceClaims::Description))
                    .col(string_len(InsuranceClaims::Status, 16))
                    .col(big_integer_null(InsuranceClaims::ApprovedAmount))
                    .col(timestamp_with_time_zone(InsuranceClaims::FiledAt))
                    .col(timestamp_with_time_zone(InsuranceClaims::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("insurance_claims_customer")
                    .table(InsuranceClaims::Table)
                    .col(InsuranceClaims::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InsuranceClaims::Table).to_owned())
            .await?;
        for column in [
            Campaigns::InsuranceYearlyLimit,
            Campaigns::InsuranceClaimLimit,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaigns::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
