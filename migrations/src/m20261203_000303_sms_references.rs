//! "Is this text really from us?": each notification keeps the SMS it sent, with the
//! short reference printed in it, so the customer (in the app) and an agent (on the
//! customer's page) can check a reference against the texts that customer was sent.
//! Earlier notifications get their SMS text from the outbox and no reference.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    CustomerId,
    SmsReference,
    SmsText,
}

#[derive(DeriveIden)]
enum SmsOutbox {
    Table,
    NotificationId,
    Body,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_len_null(Notifications::SmsReference, 16),
            text_null(Notifications::SmsText),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notifications::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("notifications_customer_sms_reference")
                    .table(Notifications::Table)
                    .col(Notifications::CustomerId)
                    .col(Notifications::SmsReference)
                    .to_owned(),
            )
            .await?;
        let sent = Query::select()
            .column(SmsOutbox::Body)
            .from(SmsOutbox::Table)
            .and_where(
                Expr::col((SmsOutbox::Table, SmsOutbox::NotificationId))
                    .equals((Notifications::Table, Notifications::Id)),
            )
            .limit(1)
            .to_owned();
        let backfill = Query::update()
            .table(Notifications::Table)
            .value(
                Notifications::SmsText,
                SimpleExpr::SubQuery(None, Box::new(sent.into_sub_query_statement())),
            )
            .to_owned();
        manager.execute(backfill).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("notifications_customer_sms_reference")
                    .table(Notifications::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Notifications::SmsReference, Notifications::SmsText] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notifications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
