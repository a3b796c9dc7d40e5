//! Partner discounts: the catalog (partners, stores, offers), one-time codes (only
//! their keyed hashes), per-line usage counters, and redemptions with the stores'
//! idempotency keys.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
    ExternalId,
    Name,
    Category,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Stores {
    Table,
    Id,
    PartnerId,
    ExternalId,
    Name,
}

#[derive(DeriveIden)]
enum Offers {
    Table,
    Id,
    PartnerId,
    ExternalId,
    Title,
    PercentOff,
    MaxDiscount,
    AmountOff,
    MinPurchase,
    PerDay,
    PerMonth,
    PerProgram,
    Active,
}

#[derive(DeriveIden)]
enum DiscountCodes {
    Table,
    CodeHash,
    LineId,
    CustomerId,
    IssuedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum OfferUsage {
    Table,
    LineId,
    OfferId,
    Period,
    Used,
}

#[derive(DeriveIden)]
enum Redemptions {
    Table,
    Id,
    CodeHash,
    StoreId,
    LineId,
    OfferId,
    PurchaseAmount,
    DiscountAmount,
    Status,
    RedeemedAt,
    RedeemedOn,
    CancelledAt,
    IdempotencyKey,
    Fingerprint,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Partners::Table)
                    .col(string_len(Partners::Id, 36).primary_key())
                    .col(string_len_uniq(Partners::ExternalId, 100))
                    .col(string_len(Partners::Name, 100))
                    .col(string_len(Partners::Category, 16))
                    .col(timestamp_with_time_zone(Partners::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Stores::Table)
                    .col(string_len(Stores::Id, 36).primary_key())
                    .col(string_len(Stores::PartnerId, 36))
                    .col(string_len_uniq(Stores::ExternalId, 100))
                    .col(string_len(Stores::Name, 100))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stores::Table, Stores::PartnerId)
                            .to(Partners::Table, Partners::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Offers::Table)
                    .col(string_len(Offers::Id, 36).primary_key())
                    .col(string_len(Offers::PartnerId, 36))
                    .col(string_len(Offers::ExternalId, 100))
                    .col(string_len(Offers::Title, 100))
                    .col(big_integer_null(Offers::PercentOff))
                    .col(big_integer_null(Offers::MaxDiscount))
                    .col(big_integer_null(Offers::AmountOff))
                    .col(big_integer(Offers::MinPurchase))
                    .col(big_integer_null(Offers::PerDay))
                    .col(big_integer_null(Offers::PerMonth))
                    .col(big_integer_null(Offers::PerProgram))
                    .col(boolean(Offers::Active))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Offers::Table, Offers::PartnerId)
                            .to(Partners::Table, Partners::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("offers_partner_external_id")
                    .table(Offers::Table)
                    .col(Offers::PartnerId)
                    .col(Offers::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DiscountCodes::Table)
                    .col(blob(DiscountCodes::CodeHash).primary_key())
                    .col(string_len(DiscountCodes::LineId, 36))
                    .col(string_len(DiscountCodes::CustomerId, 36))
                    .col(timestamp_with_time_zone(DiscountCodes::IssuedAt))
                    .col(timestamp_with_time_zone(DiscountCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(DiscountCodes::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OfferUsage::Table)
                    .col(string_len(OfferUsage::LineId, 36))
                    .col(string_len(OfferUsage::OfferId, 36))
                    // `D2026-02-10`, `M2026-02` or `P`: the period a limit counts.
                    .col(string_len(OfferUsage::Period, 16))
                    .col(big_integer(OfferUsage::Used))
                    .primary_key(
                        Index::create()
                            .col(OfferUsage::LineId)
                            .col(OfferUsage::OfferId)
                            .col(OfferUsage::Period),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Redemptions::Table)
                    .col(string_len(Redemptions::Id, 36).primary_key())
                    .col(blob_uniq(Redemptions::CodeHash))
                    .col(string_len(Redemptions::StoreId, 36))
                    .col(string_len(Redemptions::LineId, 36))
                    .col(string_len(Redemptions::OfferId, 36))
                    .col(big_integer(Redemptions::PurchaseAmount))
                    .col(big_integer(Redemptions::DiscountAmount))
                    .col(string_len(Redemptions::Status, 16))
                    .col(timestamp_with_time_zone(Redemptions::RedeemedAt))
                    .col(date(Redemptions::RedeemedOn))
                    .col(timestamp_with_time_zone_null(Redemptions::CancelledAt))
                    .col(string_len(Redemptions::IdempotencyKey, 128))
                    .col(blob(Redemptions::Fingerprint))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("redemptions_store_idempotency")
                    .table(Redemptions::Table)
                    .col(Redemptions::StoreId)
                    .col(Redemptions::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Redemptions::Table.into_iden(),
            OfferUsage::Table.into_iden(),
            DiscountCodes::Table.into_iden(),
            Offers::Table.into_iden(),
            Stores::Table.into_iden(),
            Partners::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
