//! `refund_applications`: one application per line; account and names sealed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refund_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub line_id: String,
    pub customer_id: String,
    pub channel: String,
    pub status: String,
    pub amount: i64,
    pub bank_code: String,
    pub account_enc: Vec<u8>,
    pub holder_enc: Vec<u8>,
    pub guardian_enc: Option<Vec<u8>>,
    pub round_number: Option<i32>,
    pub applied_at: DateTimeUtc,
    pub cancelled_on: Date,
    pub submitted_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
