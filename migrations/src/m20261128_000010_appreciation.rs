//! The appreciation program's records: insurance enrolments (with consent), the OTT
//! catalog and each line's choice with its voucher, the monthly data ledger (one grant
//! per line and month), roaming bonuses (one per billing record), and the outbox to the
//! network provisioning system.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InsuranceEnrolments {
    Table,
    CustomerId,
    ConsentedAt,
    TermsVersion,
}

#[derive(DeriveIden)]
enum OttServices {
    Table,
    Id,
    ExternalId,
    Name,
}

#[derive(DeriveIden)]
enum OttSelections {
    Table,
    LineId,
    ServiceId,
    VoucherCode,
    SelectedAt,
    ActivatedAt,
}

#[derive(DeriveIden)]
enum DataGrants {
    Table,
    LineId,
    Month,
    Gigabytes,
    GrantedAt,
}

#[derive(DeriveIden)]
enum RoamingBonuses {
    Table,
    Id,
    LineId,
    ExternalId,
    PassName,
    DataMb,
    BonusMb,
    ActivatedOn,
    RecordedAt,
}

#[derive(DeriveIden)]
enum ProvisioningOutbox {
    Table,
    Id,
    LineId,
    Kind,
    Detail,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InsuranceEnrolments::Table)
                    .col(string_len(InsuranceEnrolments::CustomerId, 36).primary_key())
                    .col(timestamp_with_time_zone(InsuranceEnrolments::ConsentedAt))
                    .col(string_len(InsuranceEnrolments::TermsVersion, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OttServices::Table)
                    .col(string_len(OttServices::Id, 36).primary_key())
                    .col(string_len_uniq(OttServices::ExternalId, 100))
                    .col(string_len(OttServices::Name, 100))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OttSelections::Table)
                    .col(string_len(OttSelections::LineId, 36).primary_key())
                    .col(string_len(OttSelections::ServiceId, 36))
                    .col(string_len_uniq(OttSelections::VoucherCode, 32))
                    .col(timestamp_with_time_zone(OttSelections::SelectedAt))
                    .col(timestamp_with_time_zone_null(OttSelections::ActivatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DataGrants::Table)
                    .col(string_len(DataGrants::LineId, 36))
                    .col(string_len(DataGrants::Month, 7))
                    .col(integer(DataGrants::Gigabytes))
                    .col(timestamp_with_time_zone(DataGrants::GrantedAt))
                    .primary_key(
                        Index::create()
                            .col(DataGrants::LineId)
                            .col(DataGrants::Month),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoamingBonuses::Table)
                    .col(string_len(RoamingBonuses::Id, 36).primary_key())
                    .col(string_len(RoamingBonuses::LineId, 36))
                    .col(string_len_null(RoamingBonuses::ExternalId, 100).unique_key())
                    .col(string_len(RoamingBonuses::PassName, 100))
                    .col(big_integer(RoamingBonuses::DataMb))
                    .col(big_integer(RoamingBonuses::BonusMb))
                    .col(date(RoamingBonuses::ActivatedOn))
                    .col(timestamp_with_time_zone(RoamingBonuses::RecordedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("roaming_bonuses_line")
                    .table(RoamingBonuses::Table)
                    .col(RoamingBonuses::LineId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProvisioningOutbox::Table)
                    .col(string_len(ProvisioningOutbox::Id, 36).primary_key())
                    .col(string_len(ProvisioningOutbox::LineId, 36))
                    .col(string_len(ProvisioningOutbox::Kind, 32))
                    .col(text(ProvisioningOutbox::Detail))
                    .col(timestamp_with_time_zone(ProvisioningOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(ProvisioningOutbox::SentAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ProvisioningOutbox::Table.into_iden(),
            RoamingBonuses::Table.into_iden(),
            DataGrants::Table.into_iden(),
            OttSelections::Table.into_iden(),
            OttServices::Table.into_iden(),
            InsuranceEnrolments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
