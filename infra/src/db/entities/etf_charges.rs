//! `etf_charges`: the early-termination fee charged on a terminated line (KRW).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "etf_charges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub line_id: String,
    pub common_subsidy: i64,
    pub additional_subsidy: i64,
    pub discount_return: i64,
    pub non_refundable: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
