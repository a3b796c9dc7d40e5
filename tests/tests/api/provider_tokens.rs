//! Tokens from an identity provider (contract "Tokens from an identity provider"): the
//! provider's JWKS is trusted for RS256, ES256 and EdDSA, with the role at a nested
//! claim path, `aud` possibly an array, the time claims on the service clock, and key
//! rotation picked up on an unknown `kid` at most once a minute. The console signs in
//! through the provider with the authorization code and PKCE. The provider is the
//! tests' own, on loopback (`identity_provider.rs`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use benefits_api::config::Settings;

use crate::helpers::{C_1001, DEFAULT_CLOCK, TestApp, error_code, spawn_app_with};
use crate::identity_provider::{CLIENT_ID, TestKey, TestProvider};

/// The service clock of these tests, in seconds.
fn now() -> i64 {
    chrono::DateTime::parse_from_rfc3339(DEFAULT_CLOCK)
        .unwrap()
        .timestamp()
}

/// An access token's claims as a provider like Keycloak writes them.
fn claims(provider: &TestProvider, roles: &[&str], subject: &str) -> Value {
    json!({
        "iss": provider.issuer(),
        "aud": ["account", "benefits-api"],
        "sub": subject,
        "iat": now(),
        "nbf": now() - 5,
        "exp": now() + 300,
        "realm_access": { "roles": roles },
    })
}

/// The console's redirect address at the service (any address would do for the test
/// provider; a deployment registers its own).
const REDIRECT: &str = "http://localhost:8080/admin/";

/// A service trusting `provider`'s keys, roles at `realm_access.roles`, the console's
/// sign-in through it; on the embedded default's keys when `development_keys`.
async fn trusting(provider: &TestProvider, development_keys: bool) -> TestApp {
    let (jwks, issuer) = (provider.jwks_url(), provider.issuer());
    spawn_app_with(development_keys, move |settings| Settings {
        token_jwks: Some(jwks),
        token_role_claim: Some("realm_access.roles".into()),
        token_issuer: Some(issuer.clone()),
        oidc_issuer: Some(issuer),
        oidc_client_id: Some(CLIENT_ID.into()),
        oidc_redirect_uri: Some(REDIRECT.into()),
        ..settings
    })
    .await
}

const CAMPAIGN: &str = "{ campaign { code } }";
const ME: &str = "{ me { externalId } }";

async fn ask(app: &TestApp, token: &str, query: &str) -> Value {
    app.graphql_as(Some(token), query, json!({})).await
}

#[tokio::test]
async fn an_rs256_token_names_its_role_in_a_nested_claim_least_privileged_first() {
    let provider = TestProvider::start(vec![TestKey::rsa("rsa-1")], json!({})).await;
    let app = trusting(&provider, false).await;
    let admin = provider.sign(&claims(&provider, &["offline_access", "ADMIN"], "kim"));
    let campaign = ask(&app, &admin, CAMPAIGN).await;
    assert_eq!(
        campaign["data"]["campaign"]["code"], "BREACH-2026",
        "{campaign}"
    );

    let both = provider.sign(&claims(&provider, &["ADMIN", "AGENT"], "lee"));
    let forbidden = ask(&app, &both, CAMPAIGN).await;
    assert_eq!(
        error_code(&forbidden),
        Some("FORBIDDEN"),
        "AGENT comes first: {forbidden}"
    );
}

#[tokio::test]
async fn an_es256_customer_token_names_the_customer_by_its_subject() {
    let provider = TestProvider::start(vec![TestKey::ec("ec-1")], json!({})).await;
    let app = trusting(&provider, false).await;
    app.import(C_1001).await;
    let customer = provider.sign(&claims(&provider, &["CUSTOMER"], "C-1001"));
    let me = ask(&app, &customer, ME).await;
    assert_eq!(me["data"]["me"]["externalId"], "C-1001", "{me}");
}

#[tokio::test]
async fn eddsa_tokens_pass_with_every_allowed_typ_and_the_services_own_tokens_still_do() {
    let provider = TestProvider::start(vec![TestKey::ed("ed-1")], json!({})).await;
    let app = trusting(&provider, false).await;
    let admin = claims(&provider, &["ADMIN"], "kim");
    for header in [
        json!({}),
        json!({ "typ": "JWT" }),
        json!({ "typ": "at+jwt" }),
        json!({ "typ": "application/at+jwt" }),
    ] {
        let body = ask(
            &app,
            &provider.sign_with_header(header.clone(), &admin),
            CAMPAIGN,
        )
        .await;
        assert_eq!(
            body["data"]["campaign"]["code"], "BREACH-2026",
            "{header}: {body}"
        );
    }
    let impostor = TestKey::ed("ed-1").sign(json!({ "typ": "JWT" }), &admin);
    let refused = ask(&app, &impostor, CAMPAIGN).await;
    assert_eq!(
        error_code(&refused),
        Some("UNAUTHENTICATED"),
        "same kid, another key"
    );
    let own = app.token(benefits_domain::auth::Role::Admin, "admin-1");
    let body = ask(&app, &own, CAMPAIGN).await;
    assert_eq!(body["data"]["campaign"]["code"], "BREACH-2026", "{body}");
}

/// A token of `claims` for the RSA key `kid`, RS256-signed by the openssl command line
/// with the PEM key in `key`.
fn openssl_rs256(key: &std::path::Path, kid: &str, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(json!({ "alg": "RS256", "kid": kid, "typ": "JWT" }).to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signer = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut signer.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let signature = signer.wait_with_output().unwrap().stdout;
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A 1024-bit RSA key in a PEM file and its JWK.
fn short_rsa_key(dir: &std::path::Path) -> (std::path::PathBuf, Value) {
    let key = dir.join("short.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
        ])
        .arg(&key)
        .status()
        .unwrap();
    assert!(made.success());
    let modulus = std::process::Command::new("openssl")
        .args(["rsa", "-noout", "-modulus", "-in"])
        .arg(&key)
        .output()
        .unwrap();
    let hex = String::from_utf8(modulus.stdout).unwrap();
    let hex = hex.trim().trim_start_matches("Modulus=");
    let n: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let jwk = json!({ "kty": "RSA", "kid": "short", "alg": "RS256", "n": URL_SAFE_NO_PAD.encode(n), "e": "AQAB" });
    (key, jwk)
}

#[tokio::test]
async fn tokens_the_contract_does_not_allow_are_unauthenticated() {
    let dir = tempfile::tempdir().unwrap();
    let (short_key, short_jwk) = short_rsa_key(dir.path());
    let rsa = TestKey::rsa("rsa-1");
    let rsa_jwk = rsa.jwk();
    let provider = TestProvider::start(vec![rsa], json!({})).await;
    // The short key as a JWKS file: the file form of BENEFITS_TOKEN_JWKS.
    let jwks_file = dir.path().join("jwks.json");
    std::fs::write(
        &jwks_file,
        json!({ "keys": [short_jwk, rsa_jwk] }).to_string(),
    )
    .unwrap();
    let issuer = provider.issuer();
    let app = spawn_app_with(false, |settings| Settings {
        token_jwks: Some(jwks_file.display().to_string()),
        token_role_claim: Some("realm_access.roles".into()),
        token_issuer: Some(issuer),
        ..settings
    })
    .await;
    let good = claims(&provider, &["ADMIN"], "kim");
    assert_eq!(
        ask(&app, &provider.sign(&good), CAMPAIGN).await["data"]["campaign"]["code"],
        "BREACH-2026",
        "a good token from the file's key passes"
    );
    let with = |change: &dyn Fn(&mut Value)| {
        let mut claims = good.clone();
        change(&mut claims);
        claims
    };
    let hmac = {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD
                .encode(json!({ "alg": "HS256", "kid": "rsa-1", "typ": "JWT" }).to_string()),
            URL_SAFE_NO_PAD.encode(good.to_string())
        );
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"AQAB");
        let tag = ring::hmac::sign(&key, input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    };
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(json!({ "alg": "none", "kid": "rsa-1" }).to_string()),
        URL_SAFE_NO_PAD.encode(good.to_string())
    );
    let refused = [
        (
            "a 1024-bit RSA key",
            openssl_rs256(&short_key, "short", &good),
        ),
        ("HS256 over the RSA key's kid", hmac),
        ("alg none", unsigned),
        (
            "RS384 on an RS256 key",
            provider.sign_with_header(json!({ "alg": "RS384" }), &good),
        ),
        (
            "an unknown kid",
            provider.sign_with_header(json!({ "kid": "other" }), &good),
        ),
        (
            "typ JOSE",
            provider.sign_with_header(json!({ "typ": "JOSE" }), &good),
        ),
        (
            "no role",
            provider.sign(&with(&|c| {
                c["realm_access"]["roles"] = json!(["offline_access"]);
            })),
        ),
        (
            "a role in lower case",
            provider.sign(&with(&|c| c["realm_access"]["roles"] = json!(["admin"]))),
        ),
        (
            "no subject",
            provider.sign(&with(&|c| {
                c.as_object_mut().unwrap().remove("sub");
            })),
        ),
        (
            "another issuer",
            provider.sign(&with(&|c| c["iss"] = json!("https://elsewhere"))),
        ),
        (
            "another audience",
            provider.sign(&with(&|c| c["aud"] = json!(["account"]))),
        ),
        (
            "no exp",
            provider.sign(&with(&|c| {
                c.as_object_mut().unwrap().remove("exp");
            })),
        ),
        (
            "expired beyond the leeway",
            provider.sign(&with(&|c| c["exp"] = json!(now() - 31))),
        ),
        (
            "not yet valid beyond the leeway",
            provider.sign(&with(&|c| c["nbf"] = json!(now() + 31))),
        ),
    ];
    for (what, token) in refused {
        let body = ask(&app, &token, CAMPAIGN).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{what}: {body}");
    }
    let within_leeway = provider.sign(&with(&|c| c["exp"] = json!(now() - 29)));
    assert_eq!(
        ask(&app, &within_leeway, CAMPAIGN).await["data"]["campaign"]["code"],
        "BREACH-2026",
        "the same 30 s leeway as the service's own tokens"
    );
}

#[tokio::test]
async fn a_rotated_key_is_fetched_on_its_first_token_and_unknown_kids_fetch_at_most_once_a_minute()
{
    let provider = TestProvider::start(vec![TestKey::rsa("2026-01")], json!({})).await;
    let app = trusting(&provider, false).await;
    assert_eq!(provider.jwks_fetches(), 1, "loaded at start");
    let admin = claims(&provider, &["ADMIN"], "kim");
    for _ in 0..3 {
        ask(&app, &provider.sign(&admin), CAMPAIGN).await;
    }
    assert_eq!(provider.jwks_fetches(), 1, "known keys need no fetch");

    provider.rotate_to(TestKey::ec("2026-02"));
    let rotated = ask(&app, &provider.sign(&admin), CAMPAIGN).await;
    assert_eq!(
        rotated["data"]["campaign"]["code"], "BREACH-2026",
        "{rotated}"
    );
    assert_eq!(provider.jwks_fetches(), 2, "the new kid was fetched");

    provider.rotate_to(TestKey::rsa("2026-03"));
    for _ in 0..5 {
        let too_soon = ask(&app, &provider.sign(&admin), CAMPAIGN).await;
        assert_eq!(error_code(&too_soon), Some("UNAUTHENTICATED"), "{too_soon}");
    }
    assert_eq!(
        provider.jwks_fetches(),
        2,
        "no second fetch within the minute"
    );
}

/// PKCE as the console's page does it: a verifier and its S256 challenge.
fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes().repeat(2));
    let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ));
    (verifier, challenge)
}

/// The browser's part: reads the sign-in options, goes to the authorization endpoint
/// with the challenge and a state, and comes back with a code; the options and code.
async fn authorize(app: &TestApp, challenge: &str) -> (Value, String) {
    let options: Value = app
        .client
        .get(app.url("/admin/sign-in-options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let oidc = &options["oidc"];
    let mut url = reqwest::Url::parse(oidc["authorizationEndpoint"].as_str().unwrap()).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", oidc["clientId"].as_str().unwrap())
        .append_pair("redirect_uri", oidc["redirectUri"].as_str().unwrap())
        .append_pair("scope", oidc["scope"].as_str().unwrap())
        .append_pair("state", "tab-state")
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256");
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let back = browser.get(url).send().await.unwrap();
    assert_eq!(back.status(), 302);
    let location = reqwest::Url::parse(back.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(REDIRECT), "{location}");
    let code = location
        .query_pairs()
        .find(|(name, _)| name == "code")
        .map(|(_, code)| code.into_owned())
        .unwrap();
    (options, code)
}

async fn redeem(app: &TestApp, code: &str, verifier: &str) -> reqwest::Response {
    app.client
        .post(app.url("/admin/oidc/token"))
        .json(&json!({ "code": code, "codeVerifier": verifier }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_console_signs_in_through_the_provider_with_the_code_and_pkce() {
    let provider = TestProvider::start(vec![TestKey::rsa("rsa-1")], json!({})).await;
    provider.set_claims(claims(&provider, &["AGENT"], "agent-kim"));
    let app = trusting(&provider, false).await;
    let (verifier, challenge) = pkce();
    let (options, code) = authorize(&app, &challenge).await;
    assert_eq!(options["development"], false, "{options}");
    assert_eq!(options["oidc"]["clientId"], CLIENT_ID);

    let signed_in: Value = redeem(&app, &code, &verifier).await.json().await.unwrap();
    assert_eq!(signed_in["role"], "AGENT", "{signed_in}");
    assert_eq!(signed_in["subject"], "agent-kim");
    let token = signed_in["token"].as_str().unwrap();
    let session: Value = app
        .client
        .get(app.url("/admin/session"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session, json!({ "role": "AGENT", "subject": "agent-kim" }));
    let lookup = ask(
        &app,
        token,
        r#"{ customerByPhone(phone: "010-0000-0000") { id } }"#,
    )
    .await;
    assert!(
        lookup["errors"].is_null(),
        "an agent's token works: {lookup}"
    );

    assert_eq!(
        redeem(&app, &code, &verifier).await.status(),
        502,
        "a code is redeemed once"
    );
}

#[tokio::test]
async fn a_code_without_its_verifier_or_for_a_customer_signs_nobody_in() {
    let provider = TestProvider::start(vec![TestKey::ec("ec-1")], json!({})).await;
    provider.set_claims(claims(&provider, &["CUSTOMER"], "C-1001"));
    let app = trusting(&provider, false).await;
    let (verifier, challenge) = pkce();
    let (_, code) = authorize(&app, &challenge).await;
    let (other_verifier, _) = pkce();
    assert_eq!(
        redeem(&app, &code, &other_verifier).await.status(),
        502,
        "wrong verifier"
    );

    let (_, code) = authorize(&app, &challenge).await;
    assert_eq!(
        redeem(&app, &code, &verifier).await.status(),
        403,
        "the console is for staff"
    );
    assert_eq!(redeem(&app, "x", "short").await.status(), 400);
}

#[tokio::test]
async fn with_an_identity_provider_there_is_no_development_sign_in_even_on_development_keys() {
    let provider = TestProvider::start(vec![TestKey::ed("ed-1")], json!({})).await;
    let app = trusting(&provider, true).await;
    let options: Value = app
        .client
        .get(app.url("/admin/sign-in-options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(options["development"], false, "{options}");
    let refused = app
        .client
        .post(app.url("/admin/dev-sign-in"))
        .json(&json!({ "role": "ADMIN" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}
