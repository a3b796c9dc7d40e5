//! A minimal OpenID Connect provider of the tests' own, on loopback: a discovery
//! document, a JWKS (counting how often it is fetched), an authorization endpoint that
//! signs in a configured user at once, and a token endpoint that checks the PKCE
//! verifier and issues an access token signed with the current key. Keys are real:
//! RS256 (2048-bit, made with the openssl command line), ES256 and EdDSA, signed with
//! ring.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{self, KeyPair as _};
use serde_json::{Value, json};

/// A signing key of the provider and the JWK it publishes.
pub enum TestKey {
    Rsa(String, signature::RsaKeyPair),
    Ec(String, signature::EcdsaKeyPair),
    Ed(String, signature::Ed25519KeyPair),
}

/// An RSA private key of `bits` (DER, PKCS#1), made by the openssl command line (ring
/// makes no RSA keys).
pub fn rsa_der(bits: u32) -> Vec<u8> {
    let output = std::process::Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt"])
        .arg(format!("rsa_keygen_bits:{bits}"))
        .args(["-outform", "DER"])
        .output()
        .expect("the openssl command line is installed");
    assert!(output.status.success());
    output.stdout
}

impl TestKey {
    pub fn rsa(kid: &str) -> Self {
        let pair = signature::RsaKeyPair::from_der(&rsa_der(2048)).unwrap();
        Self::Rsa(kid.to_owned(), pair)
    }

    pub fn ec(kid: &str) -> Self {
        let rng = SystemRandom::new();
        let algorithm = &signature::ECDSA_P256_SHA256_FIXED_SIGNING;
        let pkcs8 = signature::EcdsaKeyPair::generate_pkcs8(algorithm, &rng).unwrap();
        let pair = signature::EcdsaKeyPair::from_pkcs8(algorithm, pkcs8.as_ref(), &rng).unwrap();
        Self::Ec(kid.to_owned(), pair)
    }

    pub fn ed(kid: &str) -> Self {
        let pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let pair = signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        Self::Ed(kid.to_owned(), pair)
    }

    pub fn kid(&self) -> &str {
        match self {
            Self::Rsa(kid, _) | Self::Ec(kid, _) | Self::Ed(kid, _) => kid,
        }
    }

    pub fn algorithm(&self) -> &'static str {
        match self {
            Self::Rsa(..) => "RS256",
            Self::Ec(..) => "ES256",
            Self::Ed(..) => "EdDSA",
        }
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Value {
        let encode = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        match self {
            Self::Rsa(kid, pair) => {
                let public = signature::RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
                json!({ "kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
                        "n": encode(&public.n), "e": encode(&public.e) })
            }
            Self::Ec(kid, pair) => {
                let point = pair.public_key().as_ref();
                json!({ "kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
                        "x": encode(&point[1..33]), "y": encode(&point[33..65]) })
            }
            Self::Ed(kid, pair) => json!({ "kty": "OKP", "kid": kid, "crv": "Ed25519",
                                           "x": encode(pair.public_key().as_ref()) }),
        }
    }

    /// A compact JWS of `claims` under `header` (its `alg` and `kid` filled in unless
    /// given), signed with this key.
    pub fn sign(&self, header: Value, claims: &Value) -> String {
        let mut header = header;
        header
            .as_object_mut()
            .unwrap()
            .entry("alg")
            .or_insert(json!(self.algorithm()));
        header
            .as_object_mut()
            .unwrap()
            .entry("kid")
            .or_insert(json!(self.kid()));
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let rng = SystemRandom::new();
        let signature = match self {
            Self::Rsa(_, pair) => {
                let mut signature = vec![0; pair.public().modulus_len()];
                pair.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &rng,
                    input.as_bytes(),
                    &mut signature,
                )
                .unwrap();
                signature
            }
            Self::Ec(_, pair) => pair.sign(&rng, input.as_bytes()).unwrap().as_ref().to_vec(),
            Self::Ed(_, pair) => pair.sign(input.as_bytes()).as_ref().to_vec(),
        };
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

/// A code handed out by the authorization endpoint, waiting to be redeemed.
struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
}

struct ProviderState {
    issuer: String,
    /// The published keys; the first signs the tokens the token endpoint issues.
    keys: Vec<TestKey>,
    jwks_fetches: usize,
    grants: HashMap<String, Grant>,
    /// The claims of the tokens the token endpoint issues.
    claims: Value,
}

/// The provider, serving until dropped with the test.
#[derive(Clone)]
pub struct TestProvider {
    state: Arc<Mutex<ProviderState>>,
}

/// The client id the console is registered with at the test provider.
pub const CLIENT_ID: &str = "benefits-console";

impl TestProvider {
    /// Starts on a free loopback port, publishing `keys` and issuing tokens with `claims`.
    pub async fn start(keys: Vec<TestKey>, claims: Value) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let provider = Self {
            state: Arc::new(Mutex::new(ProviderState {
                issuer: format!("http://{address}/realms/benefits"),
                keys,
                jwks_fetches: 0,
                grants: HashMap::new(),
                claims,
            })),
        };
        let router = Router::new()
            .route(
                "/realms/benefits/.well-known/openid-configuration",
                get(discovery),
            )
            .route("/realms/benefits/jwks", get(jwks))
            .route("/realms/benefits/authorize", get(authorize))
            .route("/realms/benefits/token", post(token))
            .with_state(provider.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        provider
    }

    pub fn issuer(&self) -> String {
        self.state.lock().unwrap().issuer.clone()
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks", self.issuer())
    }

    /// How often the JWKS was fetched.
    pub fn jwks_fetches(&self) -> usize {
        self.state.lock().unwrap().jwks_fetches
    }

    /// Publishes `key` first (it signs from now on), keeping the others published.
    pub fn rotate_to(&self, key: TestKey) {
        self.state.lock().unwrap().keys.insert(0, key);
    }

    /// Signs `claims` with the current key, `typ: JWT`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(json!({ "typ": "JWT" }), claims)
    }

    /// Signs `claims` with the current key under `header` (`alg` and `kid` the key's
    /// unless given).
    pub fn sign_with_header(&self, header: Value, claims: &Value) -> String {
        self.state.lock().unwrap().keys[0].sign(header, claims)
    }

    /// The claims of the tokens the token endpoint issues from now on.
    pub fn set_claims(&self, claims: Value) {
        self.state.lock().unwrap().claims = claims;
    }
}

async fn discovery(State(provider): State<TestProvider>) -> Response {
    let issuer = provider.issuer();
    axum::Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
    }))
    .into_response()
}

async fn jwks(State(provider): State<TestProvider>) -> Response {
    let mut state = provider.state.lock().unwrap();
    state.jwks_fetches += 1;
    let keys: Vec<Value> = state.keys.iter().map(TestKey::jwk).collect();
    axum::Json(json!({ "keys": keys })).into_response()
}

/// Signs the configured user in at once and sends the browser back with a code.
async fn authorize(
    State(provider): State<TestProvider>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    if field("response_type") != "code" || field("code_challenge_method") != "S256" {
        return (StatusCode::BAD_REQUEST, "code flow with S256 only").into_response();
    }
    let code = uuid::Uuid::new_v4().simple().to_string();
    provider.state.lock().unwrap().grants.insert(
        code.clone(),
        Grant {
            client_id: field("client_id"),
            redirect_uri: field("redirect_uri"),
            challenge: field("code_challenge"),
        },
    );
    let mut back = reqwest::Url::parse(&field("redirect_uri")).unwrap();
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &field("state"));
    (StatusCode::FOUND, [(header::LOCATION, back.to_string())]).into_response()
}

/// Redeems a code once, for the client and redirect it was given to, with the verifier
/// whose S256 challenge it was given with.
async fn token(State(provider): State<TestProvider>, body: String) -> Response {
    let form: HashMap<String, String> = reqwest::Url::parse(&format!("form:?{body}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let mut state = provider.state.lock().unwrap();
    let Some(grant) = state.grants.remove(&field("code")) else {
        return refuse("invalid_grant");
    };
    let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        field("code_verifier").as_bytes(),
    ));
    if field("grant_type") != "authorization_code"
        || field("client_id") != grant.client_id
        || grant.client_id != CLIENT_ID
        || field("redirect_uri") != grant.redirect_uri
        || challenge != grant.challenge
    {
        return refuse("invalid_grant");
    }
    let access_token = state.keys[0].sign(json!({ "typ": "at+jwt" }), &state.claims);
    axum::Json(json!({ "access_token": access_token, "token_type": "Bearer", "expires_in": 300 }))
        .into_response()
}

fn refuse(error: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({ "error": error })),
    )
        .into_response()
}
