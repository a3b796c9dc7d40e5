//! `insurance_claims`: insurance claims and where they are in the insurer's workflow.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "insurance_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub customer_id: String,
    pub coverage_type: String,
    pub incident_on: Date,
    pub loss_amount: i64,
    pub description: String,
    pub status: String,
    pub approved_amount: Option<i64>,
    pub filed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
