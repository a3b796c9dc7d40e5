//! jsonwebtoken's cryptography over ring, the one crypto library of the whole tree
//! (rustls runs on it for TLS to PostgreSQL, Redis and the identity provider). Only
//! what the service uses exists: EdDSA to sign its own tokens; EdDSA, ES256 and RS256
//! (2048 to 8192 bits, as ring verifies it) to verify. Any other algorithm is refused
//! when a signer or verifier is asked for, so it can never check a signature.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ED25519, Ed25519KeyPair, RSA_PKCS1_2048_8192_SHA256,
    RsaPublicKeyComponents, UnparsedPublicKey,
};

/// The provider this service installs for jsonwebtoken.
pub static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    // Only for building JWKs from keys, which the service never does.
    key_utils: KeyUtils::new_unimplemented(),
};

/// Makes [`PROVIDER`] jsonwebtoken's provider for this process (idempotent).
///
/// # Errors
/// When another provider was installed first.
pub fn install() -> Result<(), &'static str> {
    let _ = PROVIDER.install_default();
    match CryptoProvider::try_get_default() {
        Some(installed) if std::ptr::eq(installed, &raw const PROVIDER) => Ok(()),
        _ => Err("another jsonwebtoken crypto provider is installed"),
    }
}

// The signature is jsonwebtoken's `CryptoProvider::signer_factory`.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>, Error> {
    if *algorithm != Algorithm::EdDSA || key.family() != AlgorithmFamily::Ed {
        return Err(ErrorKind::UnsupportedAlgorithm.into());
    }
    let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(key.as_bytes())
        .map_err(|_| ErrorKind::InvalidEddsaKey)?;
    Ok(Box::new(EdDsaSigner(pair)))
}

// The signature is jsonwebtoken's `CryptoProvider::verifier_factory`.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, Error> {
    let verifier = match (algorithm, key.family(), key.kind()) {
        (Algorithm::EdDSA, AlgorithmFamily::Ed, DecodingKeyKind::SecretOrDer(bytes)) => {
            RingVerifier::Point {
                algorithm: Algorithm::EdDSA,
                ring: &ED25519,
                public_key: bytes.clone(),
            }
        }
        (Algorithm::ES256, AlgorithmFamily::Ec, DecodingKeyKind::SecretOrDer(bytes)) => {
            RingVerifier::Point {
                algorithm: Algorithm::ES256,
                ring: &ECDSA_P256_SHA256_FIXED,
                public_key: bytes.clone(),
            }
        }
        (Algorithm::RS256, AlgorithmFamily::Rsa, DecodingKeyKind::RsaModulusExponent { n, e }) => {
            RingVerifier::Rsa {
                n: n.clone(),
                e: e.clone(),
            }
        }
        _ => return Err(ErrorKind::UnsupportedAlgorithm.into()),
    };
    Ok(Box::new(verifier))
}

/// Signs with an Ed25519 key.
struct EdDsaSigner(Ed25519KeyPair);

impl Signer<Vec<u8>> for EdDsaSigner {
    fn try_sign(&self, message: &[u8]) -> Result<Vec<u8>, signature::Error> {
        Ok(self.0.sign(message).as_ref().to_vec())
    }
}

impl JwtSigner for EdDsaSigner {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }
}

/// Verifies with a public key: an Ed25519 or uncompressed P-256 point, or RSA (n, e).
enum RingVerifier {
    Point {
        algorithm: Algorithm,
        ring: &'static dyn ring::signature::VerificationAlgorithm,
        public_key: Vec<u8>,
    },
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

impl Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, message: &[u8], signature: &Vec<u8>) -> Result<(), signature::Error> {
        let checked = match self {
            Self::Point {
                ring, public_key, ..
            } => UnparsedPublicKey::new(*ring, public_key).verify(message, signature),
            Self::Rsa { n, e } => RsaPublicKeyComponents { n, e }.verify(
                &RSA_PKCS1_2048_8192_SHA256,
                message,
                signature,
            ),
        };
        checked.map_err(|_| signature::Error::new())
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        match self {
            Self::Point { algorithm, .. } => *algorithm,
            Self::Rsa { .. } => Algorithm::RS256,
        }
    }
}
