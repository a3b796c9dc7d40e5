//! Refund applications for the fee waiver: applying, correcting the account, payout
//! rounds, and recording payouts (one at a time or a results file).

pub mod banks;
pub mod eligibility_tally;
pub mod late;
pub mod model;
pub mod ports;
pub mod results;
pub mod rules;
pub mod service;

pub use banks::{Bank, BankDirectory, BankRefusal};
pub use eligibility_tally::{EligibilityTally, LineReason, OutdatedCustomers};
pub use late::{LateApplication, LateReason};
pub use model::{
    ApplicationId, BankAccount, Channel, NewApplication, PayoutFile, PayoutItem, RefundApplication,
    RefundStatus,
};
pub use ports::{RefundRepository, SubmitError};
pub use service::{RefundService, RefundStores};
