//! AES-256-GCM encryption of single fields.
//!
//! Envelope: `version (1 byte) || nonce (12 random bytes) || ciphertext || tag`. The
//! associated data is `table.column:row`, so a ciphertext copied to another row or
//! column does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore as _;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::DataKeys;

const NONCE_LEN: usize = 12;

/// A field that cannot be decrypted: tampered, moved, or sealed with an unknown key.
#[derive(Debug, thiserror::Error)]
#[error("cannot decrypt {field}")]
pub struct DecryptError {
    field: String,
}

/// Seals and opens personal-data fields. Each key's cipher (its expanded round keys) is
/// made once, not for every field.
#[derive(Clone)]
pub struct FieldCipher {
    active: u8,
    ciphers: Arc<BTreeMap<u8, Aes256Gcm>>,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldCipher")
            .field("active", &self.active)
            .field("versions", &self.ciphers.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn associated_data(table: &str, column: &str, row: &str) -> String {
    format!("{table}.{column}:{row}")
}

impl FieldCipher {
    pub fn new(keys: &DataKeys) -> Self {
        let (active, _) = keys.active();
        let ciphers = keys
            .versions()
            .map(|(version, key)| (version, Aes256Gcm::new(key.into())))
            .collect();
        Self {
            active,
            ciphers: Arc::new(ciphers),
        }
    }

    /// Encrypts `plaintext` for one cell with the active key and a fresh random nonce.
    pub fn seal(&self, table: &str, column: &str, row: &str, plaintext: &[u8]) -> Vec<u8> {
        let version = self.active;
        let cipher = &self.ciphers[&version];
        let mut nonce = [0_u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let aad = associated_data(table, column, row);
        let ciphertext = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut envelope = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        envelope.push(version);
        envelope.extend_from_slice(&nonce);
        envelope.extend_from_slice(&ciphertext);
        envelope
    }

    /// Decrypts one cell sealed by [`FieldCipher::seal`] for the same table, column and row.
    pub fn open(
        &self,
        table: &str,
        column: &str,
        row: &str,
        envelope: &[u8],
    ) -> Result<Vec<u8>, DecryptError> {
        let error = || DecryptError {
            field: format!("{table}.{column}"),
        };
        let (&version, rest) = envelope.split_first().ok_or_else(error)?;
        if rest.len() < NONCE_LEN {
            return Err(error());
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| error())?;
        let cipher = self.ciphers.get(&version).ok_or_else(error)?;
        let aad = associated_data(table, column, row);
        cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| error())
    }

    /// Decrypts a cell that holds UTF-8 text.
    pub fn open_text(
        &self,
        table: &str,
        column: &str,
        row: &str,
        envelope: &[u8],
    ) -> Result<String, DecryptError> {
        let bytes = self.open(table, column, row, envelope)?;
        String::from_utf8(bytes).map_err(|_| DecryptError {
            field: format!("{table}.{column}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_1: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    const KEY_2: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

    fn cipher(active: u8) -> FieldCipher {
        FieldCipher::new(&DataKeys::from_base64([(1, KEY_1), (2, KEY_2)], active).unwrap())
    }

    #[test]
    fn a_sealed_field_opens_to_its_plaintext_and_does_not_contain_it() {
        let sealed = cipher(1).seal("customers", "name", "row-1", b"Kim Minji");
        assert!(!sealed.windows(9).any(|w| w == b"Kim Minji"));
        assert_eq!(
            cipher(1)
                .open_text("customers", "name", "row-1", &sealed)
                .unwrap(),
            "Kim Minji"
        );
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let c = cipher(1);
        assert_ne!(c.seal("t", "c", "r", b"x"), c.seal("t", "c", "r", b"x"));
    }

    #[test]
    fn a_field_moved_to_another_row_or_column_does_not_open() {
        let sealed = cipher(1).seal("customers", "name", "row-1", b"Kim");
        assert!(
            cipher(1)
                .open("customers", "name", "row-2", &sealed)
                .is_err()
        );
        assert!(
            cipher(1)
                .open("customers", "phone", "row-1", &sealed)
                .is_err()
        );
    }

    #[test]
    fn a_tampered_field_does_not_open() {
        let mut sealed = cipher(1).seal("t", "c", "r", b"Kim");
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(cipher(1).open("t", "c", "r", &sealed).is_err());
    }

    #[test]
    fn values_sealed_with_an_older_key_still_open_after_rotation() {
        let sealed = cipher(1).seal("t", "c", "r", b"Kim");
        let rotated = cipher(2);
        assert_eq!(rotated.open("t", "c", "r", &sealed).unwrap(), b"Kim");
        assert_eq!(rotated.seal("t", "c", "r", b"Kim")[0], 2);
    }
}
