//! `lines`: mobile subscriptions; the number only as an envelope and a keyed hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub customer_id: String,
    #[sea_orm(unique)]
    pub external_id: String,
    pub msisdn_enc: Vec<u8>,
    pub msisdn_hash: Vec<u8>,
    pub device_class: String,
    pub brand: String,
    pub payment: String,
    pub activated_on: Date,
    pub status: String,
    pub suspension_reason: Option<String>,
    pub suspended_from: Option<Date>,
    pub suspended_until: Option<Date>,
    pub terminated_on: Option<Date>,
    pub terminated_by: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
