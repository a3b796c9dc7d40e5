//! The audit log: append-only record of staff actions and staff reads of personal data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Sequence,
    At,
    ActorRole,
    Actor,
    Action,
    CustomerId,
    Channel,
    SourceAddress,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Sequence))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(string_len(AuditLog::ActorRole, 16))
                    .col(string_len(AuditLog::Actor, 128))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len_null(AuditLog::CustomerId, 36))
                    .col(string_len_null(AuditLog::Channel, 16))
                    .col(string_len_null(AuditLog::SourceAddress, 64))
                    .col(text(AuditLog::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_log_customer_id")
                    .table(AuditLog::Table)
                    .col(AuditLog::CustomerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}
