//! `notifications`: the in-app inbox; the deduplication key is unique.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub customer_id: String,
    pub line_id: Option<String>,
    pub kind: String,
    pub dedupe_key: String,
    pub sent_at: DateTimeUtc,
    pub sms_reference: Option<String>,
    pub sms_text: Option<String>,
    pub language: Option<String>,
    pub text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
