//! Makes the audit log tamper-evident: each entry records the hash of the one before it
//! and its own hash over both; a one-row head holds the latest hash, and appending
//! updates it under a row lock so the chain never forks.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditChainHead {
    Table,
    Id,
    LastSequence,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [AuditLog::PrevHash, AuditLog::Hash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .add_column(blob_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditChainHead::Table)
                    .col(integer(AuditChainHead::Id).primary_key())
                    .col(big_integer(AuditChainHead::LastSequence))
                    .col(blob(AuditChainHead::Hash))
                    .to_owned(),
            )
            .await?;
        let genesis = Query::insert()
            .into_table(AuditChainHead::Table)
            .columns([
                AuditChainHead::Id,
                AuditChainHead::LastSequence,
                AuditChainHead::Hash,
            ])
            .values_panic([1.into(), 0_i64.into(), vec![0_u8; 32].into()])
            .to_owned();
        manager.execute(genesis).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditChainHead::Table).to_owned())
            .await?;
        for column in [AuditLog::Hash, AuditLog::PrevHash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
