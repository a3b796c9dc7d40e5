//! Roaming offer extensions: the campaign lists the existing roaming offers it extends
//! and their new end date; each line holding one (from the billing feed) gets its
//! extension recorded once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CampaignRoamingOffers {
    Table,
    CampaignId,
    OfferCode,
    ExtendedUntil,
}

#[derive(DeriveIden)]
enum RoamingExtensions {
    Table,
    LineId,
    OfferCode,
    OriginalEnd,
    ExtendedUntil,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CampaignRoamingOffers::Table)
                    .col(string_len(CampaignRoamingOffers::CampaignId, 36))
                    .col(string_len(CampaignRoamingOffers::OfferCode, 64))
                    .col(date(CampaignRoamingOffers::ExtendedUntil))
                    .primary_key(
                        Index::create()
                            .col(CampaignRoamingOffers::CampaignId)
                            .col(CampaignRoamingOffers::OfferCode),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoamingExtensions::Table)
                    .col(string_len(RoamingExtensions::LineId, 36))
                    .col(string_len(RoamingExtensions::OfferCode, 64))
                    .col(date(RoamingExtensions::OriginalEnd))
                    .col(date(RoamingExtensions::ExtendedUntil))
                    .col(timestamp_with_time_zone(RoamingExtensions::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(RoamingExtensions::LineId)
                            .col(RoamingExtensions::OfferCode),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoamingExtensions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CampaignRoamingOffers::Table).to_owned())
            .await
    }
}
