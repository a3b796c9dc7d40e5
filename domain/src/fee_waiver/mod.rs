//! The early-termination-fee waiver (program.md section 1): which terminated lines get
//! their fee back, why the others do not, and what an active line would pay today.

pub mod model;
pub mod rules;

#[cfg(test)]
mod tests;

pub use model::{FeeWaiverAssessment, FeeWaiverReason};
pub use rules::{assess, estimate_fee, first_failing_rule, rules_fingerprint};
