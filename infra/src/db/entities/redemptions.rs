//! `redemptions`: redemptions at stores, one per code and per store idempotency key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "redemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub code_hash: Vec<u8>,
    pub store_id: String,
    pub line_id: String,
    pub offer_id: String,
    pub purchase_amount: i64,
    pub discount_amount: i64,
    pub status: String,
    pub redeemed_at: DateTimeUtc,
    pub redeemed_on: Date,
    pub cancelled_at: Option<DateTimeUtc>,
    pub idempotency_key: String,
    pub fingerprint: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
