//! The database adapter: one code path for PostgreSQL and SQLite through sea-orm.

mod appreciation;
mod audit;
mod bank;
mod campaign;
mod claim_filing;
mod connection;
mod customer;
mod customer_view;
mod eligibility_tally;
pub mod entities;
pub mod events;
mod job_ledger;
mod notification;
mod partner;
mod refund;
mod report;

pub use appreciation::SeaAppreciationRepository;
pub use audit::SeaAuditLog;
pub use bank::SeaBankDirectory;
pub use campaign::SeaCampaignRepository;
pub use connection::{Backend, PoolUsage, connect, migrate, ping, pool_usage};
pub use customer::SeaCustomerRepository;
pub use customer_view::{CustomerViewCache, SeaCustomerViews};
pub use eligibility_tally::SeaEligibilityTally;
pub use job_ledger::{FinishedRun, SeaJobLedger};
pub use notification::SeaNotifier;
pub use partner::{SeaCatalogRepository, SeaDiscountRepository};
pub use refund::SeaRefundRepository;
pub use report::SeaReportRepository;
pub use sea_orm::DatabaseConnection;

use benefits_domain::error::Unexpected;

/// Wraps a database error as the domain's catch-all; its cause is logged, never shown.
pub(crate) fn unexpected(error: sea_orm::DbErr) -> Unexpected {
    Unexpected::new(error)
}
