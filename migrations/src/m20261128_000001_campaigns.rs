//! Campaigns: every date, window and amount of a program, its payout rounds and its
//! selective-discount return table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    Code,
    Name,
    Active,
    MinorAge,
    BaselineDate,
    ContractChangeCutoff,
    CancellationFrom,
    CancellationUntil,
    SuspensionExceptionEndedFrom,
    SuspensionExceptionGraceDays,
    EligibilityCheckOpens,
    ApplicationsOpenAt,
    ApplicationsCloseAt,
    MaxReminders,
    BaseDate,
    MonthlyDataGigabytes,
    MonthlyDataFirstMonth,
    MonthlyDataLastMonth,
    RoamingFrom,
    RoamingUntil,
    RoamingBonusPercent,
    OttSelectionFrom,
    OttSelectionUntil,
    OttMonths,
    DiscountFrom,
    DiscountUntil,
    DiscountCodeTtlSeconds,
    InsuranceFrom,
    InsuranceUntil,
    InsuranceAutomaticAge,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayoutRounds {
    Table,
    CampaignId,
    Number,
    PayDate,
    CancelledUntil,
    AppliedUntil,
}

#[derive(DeriveIden)]
enum DiscountReturnRates {
    Table,
    CampaignId,
    FromMonth,
    Percent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Campaigns::Table)
                    .col(string_len(Campaigns::Id, 36).primary_key())
                    .col(string_len_uniq(Campaigns::Code, 64))
                    .col(string(Campaigns::Name))
                    .col(boolean(Campaigns::Active))
                    .col(integer(Campaigns::MinorAge))
                    .col(date(Campaigns::BaselineDate))
                    .col(date(Campaigns::ContractChangeCutoff))
                    .col(date(Campaigns::CancellationFrom))
                    .col(date(Campaigns::CancellationUntil))
                    .col(date(Campaigns::SuspensionExceptionEndedFrom))
                    .col(integer(Campaigns::SuspensionExceptionGraceDays))
                    .col(date(Campaigns::EligibilityCheckOpens))
                    .col(timestamp_with_time_zone(Campaigns::ApplicationsOpenAt))
                    .col(timestamp_with_time_zone(Campaigns::ApplicationsCloseAt))
                    .col(integer(Campaigns::MaxReminders))
                    .col(date(Campaigns::BaseDate))
                    .col(integer(Campaigns::MonthlyDataGigabytes))
                    .col(date(Campaigns::MonthlyDataFirstMonth))
                    .col(date(Campaigns::MonthlyDataLastMonth))
                    .col(date(Campaigns::RoamingFrom))
                    .col(date(Campaigns::RoamingUntil))
                    .col(integer(Campaigns::RoamingBonusPercent))
                    .col(date(Campaigns::OttSelectionFrom))
                    .col(date(Campaigns::OttSelectionUntil))
                    .col(integer(Campaigns::OttMonths))
                    .col(date(Campaigns::DiscountFrom))
                    .col(date(Campaigns::DiscountUntil))
                    .col(big_integer(Campaigns::DiscountCodeTtlSeconds))
                    .col(date(Campaigns::InsuranceFrom))
                    .col(date(Campaigns::InsuranceUntil))
                    .col(integer(Campaigns::InsuranceAutomaticAge))
                    .col(timestamp_with_time_zone(Campaigns::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PayoutRounds::Table)
                    .col(string_len(PayoutRounds::CampaignId, 36))
                    .col(integer(PayoutRounds::Number))
                    .col(date(PayoutRounds::PayDate))
                    .col(date_null(PayoutRounds::CancelledUntil))
                    .col(date(PayoutRounds::AppliedUntil))
                    .primary_key(
                        Index::create()
                            .col(PayoutRounds::CampaignId)
                            .col(PayoutRounds::Number),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PayoutRounds::Table, PayoutRounds::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DiscountReturnRates::Table)
                    .col(string_len(DiscountReturnRates::CampaignId, 36))
                    .col(integer(DiscountReturnRates::FromMonth))
                    .col(integer(DiscountReturnRates::Percent))
                    .primary_key(
                        Index::create()
                            .col(DiscountReturnRates::CampaignId)
                            .col(DiscountReturnRates::FromMonth),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiscountReturnRates::Table, DiscountReturnRates::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DiscountReturnRates::Table.into_iden(),
            PayoutRounds::Table.into_iden(),
            Campaigns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
