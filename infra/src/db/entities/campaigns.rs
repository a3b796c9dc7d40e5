//! `campaigns`: one row per program, every setting a column.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub code: String,
    pub name: String,
    pub active: bool,
    pub minor_age: i32,
    pub baseline_date: Date,
    pub contract_change_cutoff: Date,
    pub cancellation_from: Date,
    pub cancellation_until: Date,
    pub suspension_exception_ended_from: Date,
    pub suspension_exception_grace_days: i32,
    pub eligibility_check_opens: Date,
    pub applications_open_at: DateTimeUtc,
    pub applications_close_at: DateTimeUtc,
    pub max_reminders: i32,
    pub base_date: Date,
    pub monthly_data_gigabytes: i32,
    pub monthly_data_first_month: Date,
    pub monthly_data_last_month: Date,
    pub roaming_from: Date,
    pub roaming_until: Date,
    pub roaming_bonus_percent: i32,
    pub ott_selection_from: Date,
    pub ott_selection_until: Date,
    pub ott_months: i32,
    pub discount_from: Date,
    pub discount_until: Date,
    pub discount_code_ttl_seconds: i64,
    pub insurance_from: Date,
    pub insurance_until: Date,
    pub insurance_automatic_age: i32,
    pub insurance_claim_limit: i64,
    pub insurance_yearly_limit: i64,
    pub late_application_days: i32,
    pub sender_name: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
