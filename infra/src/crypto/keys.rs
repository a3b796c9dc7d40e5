//! The data-encryption keys, by version, and which one encrypts new values.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::Secret;

/// A key that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key {0} is not base64 of 32 bytes")]
    Malformed(String),
    #[error("no data-encryption key has the active version {0}")]
    MissingActive(u8),
}

/// Decodes a base64 (standard alphabet) 32-byte key.
pub(crate) fn decode_key(name: &str, encoded: &str) -> Result<Secret<[u8; 32]>, KeyError> {
    STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(Secret::new)
        .ok_or_else(|| KeyError::Malformed(name.to_owned()))
}

/// AES-256 keys by version. Every envelope records the version that sealed it, so old
/// values stay readable after the active key is rotated.
#[derive(Debug, Clone)]
pub struct DataKeys {
    keys: BTreeMap<u8, Secret<[u8; 32]>>,
    active: u8,
}

impl DataKeys {
    /// Keys from `(version, base64 key)` pairs; `active` seals new values.
    pub fn from_base64<'a>(
        keys: impl IntoIterator<Item = (u8, &'a str)>,
        active: u8,
    ) -> Result<Self, KeyError> {
        let keys = keys
            .into_iter()
            .map(|(version, encoded)| {
                decode_key(&format!("data key {version}"), encoded).map(|key| (version, key))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        if !keys.contains_key(&active) {
            return Err(KeyError::MissingActive(active));
        }
        Ok(Self { keys, active })
    }

    pub(crate) fn active(&self) -> (u8, &[u8; 32]) {
        (self.active, self.keys[&self.active].expose())
    }

    /// Every key with its version.
    pub(crate) fn versions(&self) -> impl Iterator<Item = (u8, &[u8; 32])> {
        self.keys
            .iter()
            .map(|(version, key)| (*version, key.expose()))
    }
}
