//! The refund overview's kept tally of lines by fee-waiver reason:
//! `fee_waiver_outdated` (customers whose lines' reasons must be decided again, with a
//! mark raised by every import that touches them), `fee_waiver_reasons` (each line's
//! reason, `NULL` when eligible), `fee_waiver_reason_counts` (lines per reason, the
//! empty string counting the eligible) and `fee_waiver_tally` (the one row naming the
//! rules the reasons were decided under). It starts empty under no rules: the first
//! overview decides every line once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FeeWaiverOutdated {
    Table,
    CustomerId,
    Mark,
}

#[derive(DeriveIden)]
enum FeeWaiverReasons {
    Table,
    LineId,
    CustomerId,
    Reason,
}

#[derive(DeriveIden)]
enum FeeWaiverReasonCounts {
    Table,
    Reason,
    Lines,
}

#[derive(DeriveIden)]
enum FeeWaiverTally {
    Table,
    Id,
    Rules,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeeWaiverOutdated::Table)
                    .col(string_len(FeeWaiverOutdated::CustomerId, 64).primary_key())
                    .col(big_integer(FeeWaiverOutdated::Mark))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FeeWaiverReasons::Table)
                    .col(string_len(FeeWaiverReasons::LineId, 64).primary_key())
                    .col(string_len(FeeWaiverReasons::CustomerId, 64))
                    .col(string_len_null(FeeWaiverReasons::Reason, 40))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("fee_waiver_reasons_by_customer")
                    .table(FeeWaiverReasons::Table)
                    .col(FeeWaiverReasons::CustomerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FeeWaiverReasonCounts::Table)
                    .col(string_len(FeeWaiverReasonCounts::Reason, 40).primary_key())
                    .col(big_integer(FeeWaiverReasonCounts::Lines))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FeeWaiverTally::Table)
                    .col(integer(FeeWaiverTally::Id).primary_key())
                    .col(text(FeeWaiverTally::Rules))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("INSERT INTO fee_waiver_tally (id, rules) VALUES (1, '')")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FeeWaiverOutdated::Table.into_iden(),
            FeeWaiverReasons::Table.into_iden(),
            FeeWaiverReasonCounts::Table.into_iden(),
            FeeWaiverTally::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
