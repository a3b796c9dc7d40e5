//! Protection of personal data at rest: AES-256-GCM field encryption bound to its
//! table, column and row, and keyed HMAC-SHA256 hashes for lookups by phone number.

mod field_cipher;
mod key_file;
mod keys;
mod lookup_hash;
mod secret;

pub use field_cipher::{DecryptError, FieldCipher};
pub use key_file::{DevelopmentKeys, KeyFileError};
pub use keys::{DataKeys, KeyError};
pub use lookup_hash::LookupHasher;
pub use secret::Secret;
