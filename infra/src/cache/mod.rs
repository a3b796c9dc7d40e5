//! The two-tier cache: an in-process tier (moka, short TTL) over an optional shared
//! Redis tier. The cache is an optimisation, never an authority: every Redis error is
//! logged and treated as a miss, so callers fall back to the database. Values that
//! writes change are kept in a [`StampedCache`] instead, which never serves a value
//! read before a write that finished.

mod redis_connection;
mod redis_tier;
mod stamped;
mod two_tier;

pub use redis_connection::RedisTopology;
pub use redis_tier::{CountChange, Feed, RedisTier};
pub use stamped::{Stamp, StampedCache};
pub use two_tier::{Cache, CacheHealth, CacheStats, Codec, Json, SharedUpdate};
