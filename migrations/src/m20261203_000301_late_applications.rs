//! Late applications: a line whose customer could not apply in time (military service,
//! an overseas stay, hospitalisation, a business trip) is granted a deadline by staff,
//! with the reason, the day it ended and a note of the evidence (sealed: it may say
//! more about a person than the service needs to show). One grant per line; the
//! campaign holds how many days after the reason ended a customer may still apply.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    LateApplicationDays,
}

#[derive(DeriveIden)]
enum LateApplications {
    Table,
    LineId,
    Reason,
    ReasonEndedOn,
    ApplyUntil,
    EvidenceEnc,
    GrantedBy,
    GrantedAt,
}

#[derive(DeriveIden)]
enum Lines {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The default campaign: up to 14 days after the reason ended.
        manager
            .alter_table(
                Table::alter()
                    .table(Campaigns::Table)
                    .add_column(integer(Campaigns::LateApplicationDays).default(14))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LateApplications::Table)
                    .col(string_len(LateApplications::LineId, 36).primary_key())
                    .col(string_len(LateApplications::Reason, 32))
                    .col(date(LateApplications::ReasonEndedOn))
                    .col(date(LateApplications::ApplyUntil))
                    .col(blob(LateApplications::EvidenceEnc))
                    .col(string_len(LateApplications::GrantedBy, 128))
                    .col(timestamp_with_time_zone(LateApplications::GrantedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LateApplications::Table, LateApplications::LineId)
                            .to(Lines::Table, Lines::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LateApplications::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Campaigns::Table)
                    .drop_column(Campaigns::LateApplicationDays)
                    .to_owned(),
            )
            .await
    }
}
