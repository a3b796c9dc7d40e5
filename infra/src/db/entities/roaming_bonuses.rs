//! `roaming_bonuses`: roaming passes and their bonuses, once per billing record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roaming_bonuses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub line_id: String,
    pub external_id: Option<String>,
    pub pass_name: String,
    pub data_mb: i64,
    pub bonus_mb: i64,
    pub activated_on: Date,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
