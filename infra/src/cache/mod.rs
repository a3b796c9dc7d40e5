//! The two-tier cache: an in-process tier (moka, short TTL) over an optional shared
//! Redis tier. The cache is an optimisation, never an authority: every Redis error is
//! logged and treated as a miss, so callers fall back to the database.

mod redis_connection;
mod redis_tier;
mod two_tier;

pub use redis_connection::RedisTopology;
pub use redis_tier::RedisTier;
pub use two_tier::{Cache, CacheHealth, CacheStats, Codec, Json, SharedUpdate};
