//! `fee_waiver_reason_counts`: lines per fee-waiver reason, the empty string counting
//! the eligible, kept with `fee_waiver_reasons`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fee_waiver_reason_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reason: String,
    pub lines: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
