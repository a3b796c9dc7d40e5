//! Keyed hashes (HMAC-SHA256) of lookup values such as phone numbers: equal inputs give
//! equal hashes, and without the key a hash cannot be tested against guesses.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Secret;
use super::keys::{KeyError, decode_key};

/// Computes lookup hashes with one secret key.
#[derive(Debug, Clone)]
pub struct LookupHasher {
    key: Secret<[u8; 32]>,
}

impl LookupHasher {
    pub fn new(key: Secret<[u8; 32]>) -> Self {
        Self { key }
    }

    /// A hasher with a base64 (standard alphabet) 32-byte key.
    pub fn from_base64(encoded: &str) -> Result<Self, KeyError> {
        decode_key("lookup key", encoded).map(Self::new)
    }

    /// The 32-byte hash of `value` within `domain` (so a phone hash never equals
    /// the hash of another kind of value).
    pub fn hash(&self, domain: &str, value: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.key.expose())
            .expect("HMAC accepts keys of any length");
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_hash_equally_and_keys_or_domains_change_the_hash() {
        let a = LookupHasher::new(Secret::new([1; 32]));
        let b = LookupHasher::new(Secret::new([2; 32]));
        assert_eq!(
            a.hash("phone", "01012345678"),
            a.hash("phone", "01012345678")
        );
        assert_ne!(
            a.hash("phone", "01012345678"),
            b.hash("phone", "01012345678")
        );
        assert_ne!(
            a.hash("phone", "01012345678"),
            a.hash("other", "01012345678")
        );
    }
}
