//! Refund applications (one per line), idempotency keys, and payout rounds' closures
//! with their frozen payout items (one per application and round).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RefundApplications {
    Table,
    Id,
    LineId,
    CustomerId,
    Channel,
    Status,
    Amount,
    BankCode,
    AccountEnc,
    HolderEnc,
    GuardianEnc,
    RoundNumber,
    AppliedAt,
    CancelledOn,
    SubmittedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Scope,
    Key,
    Fingerprint,
    ResultId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PayoutClosures {
    Table,
    CampaignId,
    RoundNumber,
    ClosedAt,
}

#[derive(DeriveIden)]
enum PayoutItems {
    Table,
    Id,
    CampaignId,
    RoundNumber,
    ApplicationId,
    Amount,
    BankCode,
    AccountEnc,
    HolderEnc,
}

#[derive(DeriveIden)]
enum Lines {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RefundApplications::Table)
                    .col(string_len(RefundApplications::Id, 36).primary_key())
                    .col(string_len_uniq(RefundApplications::LineId, 36))
                    .col(string_len(RefundApplications::CustomerId, 36))
                    .col(string_len(RefundApplications::Channel, 16))
                    .col(string_len(RefundApplications::Status, 16))
                    .col(big_integer(RefundApplications::Amount))
                    .col(string_len(RefundApplications::BankCode, 8))
                    .col(blob(RefundApplications::AccountEnc))
                    .col(blob(RefundApplications::HolderEnc))
                    .col(blob_null(RefundApplications::GuardianEnc))
                    .col(integer_null(RefundApplications::RoundNumber))
                    .col(timestamp_with_time_zone(RefundApplications::AppliedAt))
                    .col(date(RefundApplications::CancelledOn))
                    .col(string_len(RefundApplications::SubmittedBy, 128))
                    .col(timestamp_with_time_zone(RefundApplications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefundApplications::Table, RefundApplications::LineId)
                            .to(Lines::Table, Lines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            (
                "refund_applications_customer",
                RefundApplications::CustomerId,
            ),
            ("refund_applications_round", RefundApplications::RoundNumber),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(RefundApplications::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(string_len(IdempotencyKeys::Scope, 200))
                    .col(string_len(IdempotencyKeys::Key, 128))
                    .col(blob(IdempotencyKeys::Fingerprint))
                    .col(string_len(IdempotencyKeys::ResultId, 36))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Scope)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PayoutClosures::Table)
                    .col(string_len(PayoutClosures::CampaignId, 36))
                    .col(integer(PayoutClosures::RoundNumber))
                    .col(timestamp_with_time_zone(PayoutClosures::ClosedAt))
                    .primary_key(
                        Index::create()
                            .col(PayoutClosures::CampaignId)
                            .col(PayoutClosures::RoundNumber),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PayoutItems::Table)
                    .col(string_len(PayoutItems::Id, 36).primary_key())
                    .col(string_len(PayoutItems::CampaignId, 36))
                    .col(integer(PayoutItems::RoundNumber))
                    .col(string_len(PayoutItems::ApplicationId, 36))
                    .col(big_integer(PayoutItems::Amount))
                    .col(string_len(PayoutItems::BankCode, 8))
                    .col(blob(PayoutItems::AccountEnc))
                    .col(blob(PayoutItems::HolderEnc))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PayoutItems::Table, PayoutItems::ApplicationId)
                            .to(RefundApplications::Table, RefundApplications::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // An application appears at most once in a round's file.
        manager
            .create_index(
                Index::create()
                    .name("payout_items_once_per_round")
                    .table(PayoutItems::Table)
                    .col(PayoutItems::ApplicationId)
                    .col(PayoutItems::RoundNumber)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PayoutItems::Table.into_iden(),
            PayoutClosures::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            RefundApplications::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
