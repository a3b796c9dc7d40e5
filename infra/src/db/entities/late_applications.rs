//! `late_applications`: one staff grant per line of a later deadline to apply, with the
//! evidence note sealed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "late_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub line_id: String,
    pub reason: String,
    pub reason_ended_on: Date,
    pub apply_until: Date,
    pub evidence_enc: Vec<u8>,
    pub granted_by: String,
    pub granted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
