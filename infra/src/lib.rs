//! Adapters implementing the domain's ports: the database (PostgreSQL or SQLite through
//! sea-orm), the two-tier cache (in-process moka over Redis), JWTs, field encryption
//! and keyed lookup hashes, the clocks, and the identity provider (JWKS, OpenID Connect).

pub mod cache;
pub mod clock;
pub mod codes;
pub mod crypto;
pub mod db;
pub mod oidc;
pub mod rate_limit;
pub mod relay;
pub mod tokens;
