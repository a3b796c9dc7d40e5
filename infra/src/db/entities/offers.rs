//! `offers`: a partner's offers; withdrawn ones stay for past redemptions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub partner_id: String,
    pub external_id: String,
    pub title: String,
    pub percent_off: Option<i64>,
    pub max_discount: Option<i64>,
    pub amount_off: Option<i64>,
    pub min_purchase: i64,
    pub per_day: Option<i64>,
    pub per_month: Option<i64>,
    pub per_program: Option<i64>,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
