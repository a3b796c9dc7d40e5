//! One module per command of the `benefits` binary.

pub mod audit;
pub mod import;
pub mod job;
pub mod migrate;
pub mod payouts;
pub mod seed;
pub mod serve;
pub mod token;
