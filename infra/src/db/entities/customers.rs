//! `customers`: personal data only as AES-GCM envelopes, the phone also as a keyed hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub external_id: String,
    pub name_enc: Vec<u8>,
    pub birth_date_enc: Vec<u8>,
    pub phone_enc: Vec<u8>,
    pub phone_hash: Vec<u8>,
    pub kind: String,
    pub language: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
