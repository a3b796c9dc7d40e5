//! The customer appreciation program (program.md section 2): which lines get each
//! benefit, why the others do not, and who is covered by the safety insurance.

pub mod claims;
pub mod model;
pub mod ports;
pub mod rules;
pub mod service;

#[cfg(test)]
mod tests;

pub use model::{BenefitKind, BenefitReason, InsuranceStatus};
pub use rules::{in_program, insurance, line_benefit, line_benefits, ott_choice};
pub use service::{AppreciationService, ClaimFiling};
