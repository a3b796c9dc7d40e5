//! JSON Web Tokens (RFC 8725 practice): the algorithm fixed by the key and never taken
//! from the token, `typ` checked, keys looked up by `kid`, and `exp`, `nbf`, `iss`,
//! `aud` checked against the service's one clock. The service's own tokens are EdDSA
//! (`typ: at+jwt`, role in `role`, subject in `sub`); an identity provider's are
//! RS256, ES256 or EdDSA from its JWKS, with the role and subject at configured claims.

mod claims;
mod jwks;
mod ring_provider;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::Value;

use benefits_domain::auth::{Principal, Role};
use benefits_domain::clock::Clock;

use crate::crypto::Secret;

pub use claims::ClaimPaths;
pub use jwks::{JwksError, JwksSource, ProviderKeys, REFETCH_INTERVAL};

/// The `typ` header of access tokens.
const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// The `typ` headers an identity provider's token may carry (or none): media types,
/// compared ignoring case, with or without `application/` (RFC 7515, 4.1.9).
const PROVIDER_TOKEN_TYPES: [&str; 2] = ["JWT", ACCESS_TOKEN_TYPE];
/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: i64 = 30;
/// Verified tokens remembered, so a terminal's next request skips the signature check.
const VERIFIED_CAPACITY: u64 = 200_000;
/// How long an unused verified token is remembered.
const VERIFIED_IDLE: Duration = Duration::from_mins(10);

/// The claims of an access token.
#[derive(Debug, serde::Serialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    role: Role,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: String,
}

/// Why a token was refused. Every variant answers `UNAUTHENTICATED`; the variant is
/// only for the security-event counter and the log.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenRejected {
    #[error("malformed token")]
    Malformed,
    #[error("wrong token type")]
    WrongType,
    #[error("unknown or missing key id")]
    UnknownKey,
    #[error("bad signature or claims")]
    Invalid,
    #[error("expired")]
    Expired,
    #[error("not yet valid")]
    NotYetValid,
    #[error("no role or subject")]
    NoRole,
}

impl TokenRejected {
    /// A short label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::WrongType => "wrong_type",
            Self::UnknownKey => "unknown_key",
            Self::Invalid => "invalid",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::NoRole => "no_role",
        }
    }
}

/// A token could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("this service holds no signing key: tokens come from the identity provider")]
    NoSigningKey,
    #[error("the signing key is unusable")]
    BadKey(#[source] jsonwebtoken::errors::Error),
}

/// A key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum BadTokenKey {
    #[error("token key {0:?} is not base64 of 32 bytes")]
    Key(String),
    #[error("{0}")]
    Provider(&'static str),
}

/// An Ed25519 signing key and its id.
pub struct SigningKey {
    kid: String,
    key: EncodingKey,
    public_key: [u8; 32],
}

impl SigningKey {
    /// From a base64 32-byte Ed25519 seed.
    pub fn from_seed_base64(kid: &str, seed: &Secret<String>) -> Result<Self, BadTokenKey> {
        let seed: [u8; 32] = STANDARD
            .decode(seed.expose().trim())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| BadTokenKey::Key(kid.to_owned()))?;
        let public_key: [u8; 32] = ring::signature::Ed25519KeyPair::from_seed_unchecked(&seed)
            .ok()
            .and_then(|pair| {
                use ring::signature::KeyPair as _;
                pair.public_key().as_ref().try_into().ok()
            })
            .ok_or_else(|| BadTokenKey::Key(kid.to_owned()))?;
        // PKCS#8 v1 wrapping of an Ed25519 seed (RFC 8410): fixed prefix, then the seed.
        let mut der = vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        der.extend_from_slice(&seed);
        Ok(Self {
            kid: kid.to_owned(),
            key: EncodingKey::from_ed_der(&der),
            public_key,
        })
    }

    /// The public key in JWK form (`x`, base64url), for the verifying side.
    pub fn public_key_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public_key)
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }
}

/// Who issues and who accepts tokens.
#[derive(Debug, Clone)]
pub struct TokenAudience {
    pub issuer: String,
    pub audience: String,
}

/// The identity provider whose tokens are trusted besides the service's own.
pub struct IdentityProvider {
    pub keys: ProviderKeys,
    pub claims: ClaimPaths,
}

/// Issues and verifies access tokens.
pub struct TokenService {
    audience: TokenAudience,
    verifying: HashMap<String, DecodingKey>,
    signing: Option<SigningKey>,
    validation: Validation,
    provider: Option<IdentityProvider>,
    clock: Arc<dyn Clock>,
    /// Tokens whose signature, issuer, audience and subject checked out, by their exact
    /// text, with their validity window: only the time checks are repeated on a hit.
    verified: moka::sync::Cache<String, Arc<VerifiedToken>>,
}

/// A token whose signature and claims checked out.
struct VerifiedToken {
    principal: Principal,
    not_before: i64,
    expires: i64,
}

impl TokenService {
    /// `verifying` maps key ids to Ed25519 public keys (base64url, as a JWK's `x`); the
    /// signing key's public key is accepted as well.
    pub fn new(
        audience: TokenAudience,
        verifying: &[(String, String)],
        signing: Option<SigningKey>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, BadTokenKey> {
        ring_provider::install().map_err(BadTokenKey::Provider)?;
        let mut keys = HashMap::new();
        for (kid, x) in verifying {
            let key =
                DecodingKey::from_ed_components(x).map_err(|_| BadTokenKey::Key(kid.clone()))?;
            keys.insert(kid.clone(), key);
        }
        if let Some(signing) = &signing {
            let x = signing.public_key_base64url();
            let key = DecodingKey::from_ed_components(&x)
                .map_err(|_| BadTokenKey::Key(signing.kid.clone()))?;
            keys.insert(signing.kid.clone(), key);
        }
        let validation = validation(
            &audience,
            Algorithm::EdDSA,
            &["exp", "nbf", "iss", "aud", "sub"],
        );
        Ok(Self {
            audience,
            verifying: keys,
            signing,
            validation,
            provider: None,
            clock,
            verified: moka::sync::Cache::builder()
                .max_capacity(VERIFIED_CAPACITY)
                .time_to_idle(VERIFIED_IDLE)
                .build(),
        })
    }

    /// Also trusts the tokens of this identity provider.
    #[must_use]
    pub fn trusting(self, provider: IdentityProvider) -> Self {
        Self {
            provider: Some(provider),
            ..self
        }
    }

    /// Whether an identity provider's tokens are trusted.
    pub fn has_identity_provider(&self) -> bool {
        self.provider.is_some()
    }

    /// Whether this service can mint tokens.
    pub fn can_issue(&self) -> bool {
        self.signing.is_some()
    }

    /// Mints a token for `subject` in `role`, valid for `ttl` from the service's clock.
    pub fn issue(&self, role: Role, subject: &str, ttl: Duration) -> Result<String, IssueError> {
        let signing = self.signing.as_ref().ok_or(IssueError::NoSigningKey)?;
        let now = self.clock.now().timestamp();
        let claims = Claims {
            iss: self.audience.issuer.clone(),
            aud: self.audience.audience.clone(),
            sub: subject.to_owned(),
            role,
            iat: now,
            nbf: now,
            exp: now.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX)),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        header.kid = Some(signing.kid.clone());
        jsonwebtoken::encode(&header, &claims, &signing.key).map_err(IssueError::BadKey)
    }

    /// Verifies a compact token and returns its caller. A token seen before is not
    /// checked again, except against the clock.
    pub fn verify(&self, token: &str) -> Result<Principal, TokenRejected> {
        let verified = if let Some(verified) = self.verified.get(token) {
            verified
        } else {
            let verified = Arc::new(self.check_signature_and_claims(token)?);
            self.verified.insert(token.to_owned(), verified.clone());
            verified
        };
        let now = self.clock.now().timestamp();
        if verified.expires <= now - LEEWAY_SECONDS {
            return Err(TokenRejected::Expired);
        }
        if verified.not_before > now + LEEWAY_SECONDS {
            return Err(TokenRejected::NotYetValid);
        }
        Ok(verified.principal.clone())
    }

    /// [`Self::verify`], and when the token names a key id the identity provider's set
    /// does not hold, fetches that set again (at most once a minute) and tries once more.
    pub async fn verify_fetching_keys(&self, token: &str) -> Result<Principal, TokenRejected> {
        match self.verify(token) {
            Err(TokenRejected::UnknownKey) => {
                let Some(provider) = &self.provider else {
                    return Err(TokenRejected::UnknownKey);
                };
                let header = jsonwebtoken::decode_header(token);
                let Some(kid) = header.ok().and_then(|header| header.kid) else {
                    return Err(TokenRejected::UnknownKey);
                };
                if provider.keys.refetch_for(&kid).await {
                    self.verify(token)
                } else {
                    Err(TokenRejected::UnknownKey)
                }
            }
            checked => checked,
        }
    }

    /// Everything about a token but the time.
    fn check_signature_and_claims(&self, token: &str) -> Result<VerifiedToken, TokenRejected> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenRejected::Malformed)?;
        let kid = header.kid.as_deref().ok_or(TokenRejected::UnknownKey)?;
        let own_claims;
        let (key, validation, paths) = if let Some(key) = self.verifying.get(kid) {
            check_type(&header, |typ| typ == Some(ACCESS_TOKEN_TYPE))?;
            own_claims = ClaimPaths::own();
            (key.clone(), self.validation.clone(), &own_claims)
        } else if let Some(provider) = &self.provider {
            let trusted = provider.keys.get(kid).ok_or(TokenRejected::UnknownKey)?;
            check_type(&header, is_provider_type)?;
            let validation = validation(&self.audience, trusted.algorithm, &["exp", "iss", "aud"]);
            (trusted.key, validation, &provider.claims)
        } else {
            return Err(TokenRejected::UnknownKey);
        };
        // The key's one algorithm: a token naming another is refused before its
        // signature is looked at.
        if !validation.algorithms.contains(&header.alg) {
            return Err(TokenRejected::Invalid);
        }
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|_| TokenRejected::Invalid)?
            .claims;
        let expires = numeric_date(&claims, "exp").ok_or(TokenRejected::Invalid)?;
        let not_before = match claims.get("nbf") {
            None => i64::MIN,
            Some(_) => numeric_date(&claims, "nbf").ok_or(TokenRejected::Invalid)?,
        };
        let principal = paths.principal(&claims).ok_or(TokenRejected::NoRole)?;
        Ok(VerifiedToken {
            principal,
            not_before,
            expires,
        })
    }
}

/// Checks the token's `typ` header with `allowed`.
fn check_type(
    header: &Header,
    allowed: impl Fn(Option<&str>) -> bool,
) -> Result<(), TokenRejected> {
    if allowed(header.typ.as_deref()) {
        Ok(())
    } else {
        Err(TokenRejected::WrongType)
    }
}

/// Whether an identity provider's token may carry this `typ`.
fn is_provider_type(typ: Option<&str>) -> bool {
    let Some(typ) = typ else { return true };
    let media = typ
        .get(..12)
        .filter(|prefix| prefix.eq_ignore_ascii_case("application/"))
        .map_or(typ, |_| &typ[12..]);
    PROVIDER_TOKEN_TYPES
        .iter()
        .any(|allowed| media.eq_ignore_ascii_case(allowed))
}

/// A NumericDate claim in whole seconds.
fn numeric_date(claims: &Value, name: &str) -> Option<i64> {
    let value = claims.get(name)?;
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.is_finite())
            .map(|f| f.floor() as i64)
    })
}

/// What every token of `algorithm` must have: the configured issuer and audience (the
/// audience may be one of an array), and `required` present. The time claims are
/// checked against the service's clock, not the system's.
fn validation(audience: &TokenAudience, algorithm: Algorithm, required: &[&str]) -> Validation {
    let mut validation = Validation::new(algorithm);
    validation.set_issuer(&[&audience.issuer]);
    validation.set_audience(&[&audience.audience]);
    validation.set_required_spec_claims(required);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::clock::FixedClock;

    const SEED: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    const OTHER_SEED: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

    fn at(instant: &str) -> Arc<dyn Clock> {
        Arc::new(FixedClock(instant.parse::<DateTime<Utc>>().unwrap()))
    }

    fn service(seed: &str, clock: Arc<dyn Clock>) -> TokenService {
        let key = SigningKey::from_seed_base64("k1", &Secret::new(seed.to_owned())).unwrap();
        let audience = TokenAudience {
            issuer: "benefits".into(),
            audience: "benefits-api".into(),
        };
        TokenService::new(audience, &[], Some(key), clock).unwrap()
    }

    #[test]
    fn a_token_it_issued_verifies_to_the_same_caller() {
        let tokens = service(SEED, at("2026-01-14T00:00:00Z"));
        let token = tokens
            .issue(Role::Customer, "C-1001", Duration::from_mins(1))
            .unwrap();
        let principal = tokens.verify(&token).unwrap();
        assert_eq!(
            principal,
            Principal {
                role: Role::Customer,
                subject: "C-1001".into()
            }
        );
    }

    #[test]
    fn a_token_is_expired_once_its_lifetime_and_the_leeway_have_passed() {
        let token = service(SEED, at("2026-01-14T00:00:00Z"))
            .issue(Role::Agent, "agent-1", Duration::from_mins(1))
            .unwrap();
        assert!(
            service(SEED, at("2026-01-14T00:01:29Z"))
                .verify(&token)
                .is_ok()
        );
        assert_eq!(
            service(SEED, at("2026-01-14T00:01:31Z")).verify(&token),
            Err(TokenRejected::Expired)
        );
    }

    /// A clock a test moves by hand.
    struct HandClock(std::sync::Mutex<DateTime<Utc>>);

    impl Clock for HandClock {
        fn now(&self) -> DateTime<Utc> {
            *self.0.lock().unwrap()
        }
    }

    #[test]
    fn a_remembered_token_still_expires_on_time() {
        let clock = Arc::new(HandClock(std::sync::Mutex::new(
            "2026-01-14T00:00:00Z".parse().unwrap(),
        )));
        let tokens = service(SEED, clock.clone());
        let token = tokens
            .issue(Role::Agent, "agent-1", Duration::from_mins(1))
            .unwrap();
        assert!(tokens.verify(&token).is_ok(), "verified and remembered");
        *clock.0.lock().unwrap() = "2026-01-14T00:01:31Z".parse().unwrap();
        assert_eq!(tokens.verify(&token), Err(TokenRejected::Expired));
    }

    #[test]
    fn a_token_from_the_future_is_not_yet_valid() {
        let token = service(SEED, at("2026-01-14T00:10:00Z"))
            .issue(Role::Agent, "agent-1", Duration::from_mins(10))
            .unwrap();
        assert_eq!(
            service(SEED, at("2026-01-14T00:00:00Z")).verify(&token),
            Err(TokenRejected::NotYetValid)
        );
    }

    #[test]
    fn a_token_signed_by_another_key_with_the_same_kid_is_refused() {
        let clock = at("2026-01-14T00:00:00Z");
        let forged = service(OTHER_SEED, clock.clone())
            .issue(Role::Admin, "mallory", Duration::from_mins(1))
            .unwrap();
        assert_eq!(
            service(SEED, clock).verify(&forged),
            Err(TokenRejected::Invalid)
        );
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt","kid":"k1"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            r#"{"iss":"benefits","aud":"benefits-api","sub":"x","role":"ADMIN","iat":0,"nbf":0,"exp":9999999999,"jti":"j"}"#,
        );
        let token = format!("{header}.{claims}.");
        assert!(
            service(SEED, at("2026-01-14T00:00:00Z"))
                .verify(&token)
                .is_err()
        );
    }

    #[test]
    fn a_service_without_a_signing_key_refuses_to_issue() {
        let audience = TokenAudience {
            issuer: "benefits".into(),
            audience: "benefits-api".into(),
        };
        let tokens = TokenService::new(audience, &[], None, at("2026-01-14T00:00:00Z")).unwrap();
        assert!(matches!(
            tokens.issue(Role::Admin, "a", Duration::from_secs(1)),
            Err(IssueError::NoSigningKey)
        ));
    }
}
