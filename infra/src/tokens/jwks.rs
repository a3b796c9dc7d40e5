//! The identity provider's keys: a JWKS read from a file or fetched over HTTP(S), kept
//! by `kid`, and fetched again when a token names a `kid` the set does not hold (at
//! most once a minute, so a flood of made-up key ids costs the provider one request a
//! minute). Only keys the service can check are kept: RS256 of at least 2048 bits,
//! ES256 on P-256 and EdDSA on Ed25519, for signatures; anything else is skipped and
//! logged, so a token naming it is refused as naming an unknown key.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};

/// The shortest time between two fetches caused by unknown key ids.
pub const REFETCH_INTERVAL: Duration = Duration::from_mins(1);
/// How long fetching the key set may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest key set accepted.
const MAX_JWKS_BYTES: usize = 256 * 1024;
/// The smallest RSA modulus accepted.
const MIN_RSA_BITS: usize = 2048;

/// Where the key set comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    File(PathBuf),
    Url(String),
}

impl JwksSource {
    /// An `https://` or `http://` URL, or else a file path.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if text.starts_with("https://") || text.starts_with("http://") {
            Self::Url(text.to_owned())
        } else {
            Self::File(PathBuf::from(text))
        }
    }
}

/// The key set could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("cannot read the JWKS file {0}")]
    File(String, #[source] std::io::Error),
    #[error("cannot fetch the JWKS")]
    Fetch(#[source] reqwest::Error),
    #[error("the JWKS answer was {0}")]
    Status(reqwest::StatusCode),
    #[error("the JWKS is larger than {MAX_JWKS_BYTES} bytes")]
    TooLarge,
    #[error("the JWKS is not a JSON key set")]
    Json(#[source] serde_json::Error),
}

/// One trusted key and the one algorithm it verifies.
#[derive(Clone)]
pub struct ProviderKey {
    pub algorithm: Algorithm,
    pub key: DecodingKey,
}

#[derive(serde::Deserialize)]
struct KeySet {
    keys: Vec<serde_json::Value>,
}

/// The fields of a JWK the service reads.
#[derive(serde::Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    crv: Option<String>,
    n: Option<String>,
    e: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

/// The keys of a JWKS document that can verify tokens, by `kid`.
///
/// # Errors
/// When the document is not a JSON object with a `keys` array. Single keys that cannot
/// be used are skipped (and logged), not errors.
pub fn parse(document: &[u8]) -> Result<HashMap<String, ProviderKey>, JwksError> {
    let set: KeySet = serde_json::from_slice(document).map_err(JwksError::Json)?;
    let mut keys = HashMap::new();
    for value in set.keys {
        let kid = value
            .get("kid")
            .and_then(|kid| kid.as_str())
            .map(str::to_owned);
        match serde_json::from_value::<Jwk>(value)
            .map_err(|_| "malformed JWK")
            .and_then(|jwk| usable(&jwk))
        {
            Ok((kid, key)) => {
                keys.insert(kid, key);
            }
            Err(why) => tracing::warn!(kid, why, "JWKS key skipped"),
        }
    }
    Ok(keys)
}

/// The key id and verifying key of a JWK, or why it is not used.
fn usable(jwk: &Jwk) -> Result<(String, ProviderKey), &'static str> {
    let kid = jwk
        .kid
        .clone()
        .filter(|kid| !kid.is_empty())
        .ok_or("no kid")?;
    if jwk.usage.as_deref().is_some_and(|usage| usage != "sig") {
        return Err("not a signing key");
    }
    let (algorithm, key) = match (jwk.kty.as_str(), jwk.crv.as_deref()) {
        ("RSA", _) => {
            let (n, e) = jwk.n.as_deref().zip(jwk.e.as_deref()).ok_or("no n or e")?;
            if modulus_bits(n).ok_or("bad modulus")? < MIN_RSA_BITS {
                return Err("RSA key shorter than 2048 bits");
            }
            let key = DecodingKey::from_rsa_components(n, e).map_err(|_| "bad RSA key")?;
            (Algorithm::RS256, key)
        }
        ("EC", Some("P-256")) => {
            let (x, y) = jwk.x.as_deref().zip(jwk.y.as_deref()).ok_or("no x or y")?;
            let key = DecodingKey::from_ec_components(x, y).map_err(|_| "bad EC key")?;
            (Algorithm::ES256, key)
        }
        ("OKP", Some("Ed25519")) => {
            let x = jwk.x.as_deref().ok_or("no x")?;
            let key = DecodingKey::from_ed_components(x).map_err(|_| "bad Ed25519 key")?;
            (Algorithm::EdDSA, key)
        }
        _ => return Err("unsupported key type or curve"),
    };
    let named = jwk.alg.as_deref().map(str::parse::<Algorithm>);
    if named.is_some_and(|named| named.ok() != Some(algorithm)) {
        return Err("algorithm is not RS256, ES256 or EdDSA for its key type");
    }
    Ok((kid, ProviderKey { algorithm, key }))
}

/// The bit length of a base64url big-endian modulus.
fn modulus_bits(n: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(n.trim_end_matches('=')).ok()?;
    let first = bytes.iter().position(|byte| *byte != 0)?;
    Some((bytes.len() - first) * 8 - bytes[first].leading_zeros() as usize)
}

/// The provider's key set as currently known, and how it is fetched again.
pub struct ProviderKeys {
    source: JwksSource,
    http: reqwest::Client,
    keys: RwLock<Arc<HashMap<String, ProviderKey>>>,
    /// When an unknown key id last caused a fetch.
    last_refetch: tokio::sync::Mutex<Option<Instant>>,
}

impl ProviderKeys {
    /// Loads the key set. A file that cannot be read is an error (a configuration
    /// mistake); a URL that does not answer leaves the set empty for now, to be fetched
    /// on the first token, so the service starts while its provider is down.
    ///
    /// # Errors
    /// When the file cannot be read or holds no key set.
    pub async fn load(source: JwksSource, http: reqwest::Client) -> Result<Self, JwksError> {
        let keys = match (&source, fetch(&source, &http).await) {
            (_, Ok(keys)) => keys,
            (JwksSource::File(_), Err(error)) => return Err(error),
            (JwksSource::Url(url), Err(error)) => {
                tracing::warn!(url, error = chain(error), "JWKS not fetched yet");
                HashMap::new()
            }
        };
        tracing::info!(keys = keys.len(), "identity provider keys loaded");
        Ok(Self {
            source,
            http,
            keys: RwLock::new(Arc::new(keys)),
            last_refetch: tokio::sync::Mutex::new(None),
        })
    }

    /// The key with this id, if the set holds it.
    pub fn get(&self, kid: &str) -> Option<ProviderKey> {
        self.current().get(kid).cloned()
    }

    fn current(&self) -> Arc<HashMap<String, ProviderKey>> {
        self.keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Fetches the set again because a token named `kid`, unless an unknown key id
    /// caused a fetch less than [`REFETCH_INTERVAL`] ago. Concurrent callers share one
    /// fetch. Whether the set now holds `kid`.
    pub async fn refetch_for(&self, kid: &str) -> bool {
        let mut last = self.last_refetch.lock().await;
        if self.current().contains_key(kid) {
            return true;
        }
        if last.is_some_and(|at| at.elapsed() < REFETCH_INTERVAL) {
            return false;
        }
        *last = Some(Instant::now());
        match fetch(&self.source, &self.http).await {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "identity provider keys fetched again");
                let found = keys.contains_key(kid);
                *self
                    .keys
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(keys);
                found
            }
            Err(error) => {
                tracing::warn!(error = chain(error), "JWKS fetch failed");
                false
            }
        }
    }
}

/// An error with its causes, for the log.
fn chain(error: JwksError) -> String {
    format!("{:#}", anyhow::Error::new(error))
}

async fn fetch(
    source: &JwksSource,
    http: &reqwest::Client,
) -> Result<HashMap<String, ProviderKey>, JwksError> {
    let document = match source {
        JwksSource::File(path) => tokio::fs::read(path)
            .await
            .map_err(|error| JwksError::File(path.display().to_string(), error))?,
        JwksSource::Url(url) => {
            let response = http
                .get(url)
                .timeout(FETCH_TIMEOUT)
                .send()
                .await
                .map_err(JwksError::Fetch)?;
            if !response.status().is_success() {
                return Err(JwksError::Status(response.status()));
            }
            if response
                .content_length()
                .is_some_and(|length| length > MAX_JWKS_BYTES as u64)
            {
                return Err(JwksError::TooLarge);
            }
            let body = response.bytes().await.map_err(JwksError::Fetch)?;
            if body.len() > MAX_JWKS_BYTES {
                return Err(JwksError::TooLarge);
            }
            body.to_vec()
        }
    };
    parse(&document)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P256_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const P256_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    fn rsa_modulus(bits: usize) -> String {
        let mut n = vec![0xff_u8; bits / 8];
        n[0] = 0xc1;
        URL_SAFE_NO_PAD.encode(n)
    }

    #[test]
    fn keys_are_kept_by_kid_with_the_one_algorithm_their_type_allows() {
        let document = serde_json::json!({ "keys": [
            { "kty": "RSA", "kid": "r", "use": "sig", "alg": "RS256", "n": rsa_modulus(2048), "e": "AQAB" },
            { "kty": "EC", "kid": "e", "crv": "P-256", "x": P256_X, "y": P256_Y },
            { "kty": "OKP", "kid": "o", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode([7_u8; 32]) },
        ]});
        let keys = parse(document.to_string().as_bytes()).unwrap();
        assert_eq!(keys["r"].algorithm, Algorithm::RS256);
        assert_eq!(keys["e"].algorithm, Algorithm::ES256);
        assert_eq!(keys["o"].algorithm, Algorithm::EdDSA);
    }

    #[test]
    fn keys_the_service_cannot_check_are_skipped() {
        let document = serde_json::json!({ "keys": [
            { "kty": "RSA", "kid": "short", "n": rsa_modulus(1024), "e": "AQAB" },
            { "kty": "RSA", "kid": "ps", "alg": "PS256", "n": rsa_modulus(2048), "e": "AQAB" },
            { "kty": "RSA", "kid": "enc", "use": "enc", "n": rsa_modulus(2048), "e": "AQAB" },
            { "kty": "EC", "kid": "p384", "crv": "P-384", "x": P256_X, "y": P256_Y },
            { "kty": "oct", "kid": "hmac", "k": "c2VjcmV0" },
            { "kty": "RSA", "n": rsa_modulus(2048), "e": "AQAB" },
            "not a key",
        ]});
        let keys = parse(document.to_string().as_bytes()).unwrap();
        assert!(keys.is_empty(), "{:?}", keys.keys().collect::<Vec<_>>());
    }

    #[test]
    fn a_modulus_counts_its_significant_bits() {
        assert_eq!(modulus_bits(&rsa_modulus(2048)), Some(2048));
        assert_eq!(modulus_bits(&URL_SAFE_NO_PAD.encode([0, 0x01, 0])), Some(9));
    }

    #[test]
    fn urls_are_fetched_and_anything_else_is_a_file() {
        assert_eq!(
            JwksSource::parse("https://idp/jwks"),
            JwksSource::Url("https://idp/jwks".into())
        );
        assert_eq!(
            JwksSource::parse("/etc/benefits/jwks.json"),
            JwksSource::File("/etc/benefits/jwks.json".into())
        );
    }
}
