//! Database migrations, shared by PostgreSQL and SQLite.
//!
//! Each migration names its own tables and columns (it never imports the adapter's
//! entities), so an old migration keeps meaning what it meant when it ran.

// `MigrationTrait` declares `&SchemaManager` without its lifetime; implementations must match.
#![allow(elided_lifetimes_in_paths)]
// Migrations read best with the schema helpers (`string`, `date`, ...) in scope.
#![allow(clippy::wildcard_imports)]

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_campaigns;
mod m20261128_000002_customers_and_lines;
mod m20261128_000003_audit_log;
mod m20261128_000004_default_campaign;
mod m20261128_000005_refunds;
mod m20261128_000006_notifications;
mod m20261128_000008_partner_discounts;
mod m20261128_000009_audit_chain;
mod m20261128_000010_appreciation;
mod m20261128_000011_insurance_claims;
mod m20261128_000012_roaming_extensions;
mod m20261129_000013_job_runs;
mod m20261203_000300_payout_rounds_as_paid;
mod m20261203_000301_late_applications;
mod m20261203_000302_ott_minimum_ages;
mod m20261203_000303_sms_references;
mod m20261203_000304_languages_and_texts;
mod m20261203_000305_banks;
mod m20261203_000500_redeem_function;
mod m20261204_000100_event_outbox;
mod m20261204_000101_redeem_with_event;
mod m20261204_000400_data_grant_months;
mod m20261204_000500_eligibility_tally;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_campaigns::Migration),
            Box::new(m20261128_000002_customers_and_lines::Migration),
            Box::new(m20261128_000003_audit_log::Migration),
            Box::new(m20261128_000004_default_campaign::Migration),
            Box::new(m20261128_000005_refunds::Migration),
            Box::new(m20261128_000006_notifications::Migration),
            Box::new(m20261128_000008_partner_discounts::Migration),
            Box::new(m20261128_000009_audit_chain::Migration),
            Box::new(m20261128_000010_appreciation::Migration),
            Box::new(m20261128_000011_insurance_claims::Migration),
            Box::new(m20261128_000012_roaming_extensions::Migration),
            Box::new(m20261129_000013_job_runs::Migration),
            Box::new(m20261203_000300_payout_rounds_as_paid::Migration),
            Box::new(m20261203_000301_late_applications::Migration),
            Box::new(m20261203_000302_ott_minimum_ages::Migration),
            Box::new(m20261203_000303_sms_references::Migration),
            Box::new(m20261203_000304_languages_and_texts::Migration),
            Box::new(m20261203_000305_banks::Migration),
            Box::new(m20261203_000500_redeem_function::Migration),
            Box::new(m20261204_000100_event_outbox::Migration),
            Box::new(m20261204_000101_redeem_with_event::Migration),
            Box::new(m20261204_000400_data_grant_months::Migration),
            Box::new(m20261204_000500_eligibility_tally::Migration),
        ]
    }
}
