//! The benefits program's rules and use cases.
//!
//! Each area has a `model` (validated value types), `rules` (pure functions),
//! `ports` (traits for everything that does I/O) and `service` (use cases over
//! those ports). Nothing here knows about databases, HTTP or GraphQL.

pub mod audit;
pub mod auth;
pub mod benefits;
pub mod campaign;
pub mod clock;
pub mod customer;
pub mod customer_view;
pub mod error;
pub mod fee_waiver;
pub mod kst;
pub mod masking;
mod named_enum;
pub mod notification;
pub mod partner;
pub mod refund;
pub mod report;
pub mod scheduling;
