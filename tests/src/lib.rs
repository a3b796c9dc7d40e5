//! The integration suite lives in `tests/api`; this crate has no library code.
