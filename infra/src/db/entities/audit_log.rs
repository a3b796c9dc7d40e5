//! `audit_log`: append-only staff actions and reads, each chained to the one before.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub sequence: i64,
    pub at: DateTimeUtc,
    pub actor_role: String,
    pub actor: String,
    pub action: String,
    pub customer_id: Option<String>,
    pub channel: Option<String>,
    pub source_address: Option<String>,
    pub detail: String,
    pub prev_hash: Option<Vec<u8>>,
    pub hash: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
