//! The OTT catalog's minimum ages, and the default campaign's catalog: TVING (14 and
//! over) and Disney+ (19 and over). A database that already lists a service under the
//! same external id keeps its name; its minimum age is set only where none is recorded.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OttServices {
    Table,
    Id,
    ExternalId,
    Name,
    MinimumAge,
}

/// The default campaign's catalog: fixed ids, external ids, names, minimum ages.
const CATALOG: [(&str, &str, &str, i32); 2] = [
    ("00000000-0000-4000-8000-00000000071a", "TVING", "TVING", 14),
    (
        "00000000-0000-4000-8000-00000000071b",
        "DISNEY_PLUS",
        "Disney+",
        19,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OttServices::Table)
                    .add_column(integer_null(OttServices::MinimumAge))
                    .to_owned(),
            )
            .await?;
        for (id, external_id, name, minimum_age) in CATALOG {
            let insert = Query::insert()
                .into_table(OttServices::Table)
                .columns([
                    OttServices::Id,
                    OttServices::ExternalId,
                    OttServices::Name,
                    OttServices::MinimumAge,
                ])
                .values_panic([
                    id.into(),
                    external_id.into(),
                    name.into(),
                    minimum_age.into(),
                ])
                .on_conflict(
                    OnConflict::column(OttServices::ExternalId)
                        .do_nothing()
                        .to_owned(),
                )
                .to_owned();
            manager.execute(insert).await?;
            let age = Query::update()
                .table(OttServices::Table)
                .value(OttServices::MinimumAge, minimum_age)
                .and_where(Expr::col(OttServices::ExternalId).eq(external_id))
                .and_where(Expr::col(OttServices::MinimumAge).is_null())
                .to_owned();
            manager.execute(age).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OttServices::Table)
                    .drop_column(OttServices::MinimumAge)
                    .to_owned(),
            )
            .await
    }
}
