//! The in-app inbox and the SMS outbox. A notification's deduplication key is unique,
//! so a job rerun or running twice never sends the same message twice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    CustomerId,
    LineId,
    Kind,
    DedupeKey,
    SentAt,
}

#[derive(DeriveIden)]
enum SmsOutbox {
    Table,
    Id,
    NotificationId,
    CustomerId,
    Body,
    CreatedAt,
    DeliveredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(string_len(Notifications::Id, 36).primary_key())
                    .col(string_len(Notifications::CustomerId, 36))
                    .col(string_len_null(Notifications::LineId, 36))
                    .col(string_len(Notifications::Kind, 32))
                    .col(string_len_uniq(Notifications::DedupeKey, 160))
                    .col(timestamp_with_time_zone(Notifications::SentAt))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("notifications_customer", vec![Notifications::CustomerId]),
            (
                "notifications_line_kind",
                vec![Notifications::LineId, Notifications::Kind],
            ),
        ] {
            let mut index = Index::create()
                .name(name)
                .table(Notifications::Table)
                .to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SmsOutbox::Table)
                    .col(string_len(SmsOutbox::Id, 36).primary_key())
                    .col(string_len(SmsOutbox::NotificationId, 36))
                    .col(string_len(SmsOutbox::CustomerId, 36))
                    .col(text(SmsOutbox::Body))
                    .col(timestamp_with_time_zone(SmsOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(SmsOutbox::DeliveredAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SmsOutbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
