//! Customers and lines as imported from billing, with contract events, contract terms
//! and early-termination fees. Personal data lives only in `*_enc` columns (AES-256-GCM
//! envelopes); `*_hash` columns hold keyed HMACs for lookups.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    ExternalId,
    NameEnc,
    BirthDateEnc,
    PhoneEnc,
    PhoneHash,
    Kind,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Lines {
    Table,
    Id,
    CustomerId,
    ExternalId,
    MsisdnEnc,
    MsisdnHash,
    DeviceClass,
    Brand,
    Payment,
    ActivatedOn,
    Status,
    SuspensionReason,
    SuspendedFrom,
    SuspendedUntil,
    TerminatedOn,
    TerminatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContractEvents {
    Table,
    LineId,
    Position,
    Kind,
    OccurredOn,
}

#[derive(DeriveIden)]
enum ContractTerms {
    Table,
    LineId,
    StartOn,
    EndOn,
    DeviceSubsidy,
    AdditionalSubsidy,
    MonthlyDiscount,
}

#[derive(DeriveIden)]
enum EtfCharges {
    Table,
    LineId,
    CommonSubsidy,
    AdditionalSubsidy,
    DiscountReturn,
    NonRefundable,
}

fn belongs_to_line(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Lines::Table, Lines::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(string_len(Customers::Id, 36).primary_key())
                    .col(string_len_uniq(Customers::ExternalId, 64))
                    .col(blob(Customers::NameEnc))
                    .col(blob(Customers::BirthDateEnc))
                    .col(blob(Customers::PhoneEnc))
                    .col(blob(Customers::PhoneHash))
                    .col(string_len(Customers::Kind, 16))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("customers_phone_hash")
                    .table(Customers::Table)
                    .col(Customers::PhoneHash)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Lines::Table)
                    .col(string_len(Lines::Id, 36).primary_key())
                    .col(string_len(Lines::CustomerId, 36))
                    .col(string_len_uniq(Lines::ExternalId, 64))
                    .col(blob(Lines::MsisdnEnc))
                    .col(blob(Lines::MsisdnHash))
                    .col(string_len(Lines::DeviceClass, 16))
                    .col(string_len(Lines::Brand, 16))
                    .col(string_len(Lines::Payment, 16))
                    .col(date(Lines::ActivatedOn))
                    .col(string_len(Lines::Status, 16))
                    .col(string_len_null(Lines::SuspensionReason, 32))
                    .col(date_null(Lines::SuspendedFrom))
                    .col(date_null(Lines::SuspendedUntil))
                    .col(date_null(Lines::TerminatedOn))
                    .col(string_len_null(Lines::TerminatedBy, 16))
                    .col(timestamp_with_time_zone(Lines::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Lines::Table, Lines::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("lines_customer_id", Lines::CustomerId),
            ("lines_msisdn_hash", Lines::MsisdnHash),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Lines::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ContractEvents::Table)
                    .col(string_len(ContractEvents::LineId, 36))
                    .col(integer(ContractEvents::Position))
                    .col(string_len(ContractEvents::Kind, 32))
                    .col(date(ContractEvents::OccurredOn))
                    .primary_key(
                        Index::create()
                            .col(ContractEvents::LineId)
                            .col(ContractEvents::Position),
                    )
                    .foreign_key(&mut belongs_to_line(
                        ContractEvents::Table,
                        ContractEvents::LineId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContractTerms::Table)
                    .col(string_len(ContractTerms::LineId, 36).primary_key())
                    .col(date(ContractTerms::StartOn))
                    .col(date(ContractTerms::EndOn))
                    .col(big_integer(ContractTerms::DeviceSubsidy))
                    .col(big_integer(ContractTerms::AdditionalSubsidy))
                    .col(big_integer(ContractTerms::MonthlyDiscount))
                    .foreign_key(&mut belongs_to_line(
                        ContractTerms::Table,
                        ContractTerms::LineId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EtfCharges::Table)
                    .col(string_len(EtfCharges::LineId, 36).primary_key())
                    .col(big_integer(EtfCharges::CommonSubsidy))
                    .col(big_integer(EtfCharges::AdditionalSubsidy))
                    .col(big_integer(EtfCharges::DiscountReturn))
                    .col(big_integer(EtfCharges::NonRefundable))
                    .foreign_key(&mut belongs_to_line(EtfCharges::Table, EtfCharges::LineId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EtfCharges::Table.into_iden(),
            ContractTerms::Table.into_iden(),
            ContractEvents::Table.into_iden(),
            Lines::Table.into_iden(),
            Customers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
