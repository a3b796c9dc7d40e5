//! `contract_terms`: the terms of a line under contract (KRW).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub line_id: String,
    pub start_on: Date,
    pub end_on: Date,
    pub device_subsidy: i64,
    pub additional_subsidy: i64,
    pub monthly_discount: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
