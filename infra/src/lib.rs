//! Adapters implementing the domain's ports: the database (PostgreSQL or SQLite through
//! sea-orm), the two-tier cache (in-process moka over Redis), JWTs, field encryption
//! and keyed lookup hashes, and the clocks.

pub mod cache;
pub mod clock;
pub mod codes;
pub mod crypto;
pub mod db;
pub mod rate_limit;
pub mod tokens;
