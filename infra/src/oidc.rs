//! The console's sign-in through the identity provider: OpenID Connect authorization
//! code with PKCE (RFC 7636, S256). The browser does its part (the verifier, the
//! challenge and the state stay in the tab; it goes to the provider's authorization
//! endpoint and comes back with a code); this client reads the provider's discovery
//! document and redeems the code with the verifier at its token endpoint, so the
//! console's page talks only to its own origin and a client secret, when there is one,
//! never reaches the browser.

use std::time::Duration;

use crate::crypto::Secret;

/// How long a call to the provider may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest authorization code accepted.
const MAX_CODE_LENGTH: usize = 2_048;

/// What the console's sign-in needs from the provider's discovery document.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
}

/// The sign-in could not be completed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the code or verifier is malformed")]
    BadInput,
    #[error("cannot reach the identity provider")]
    Unreachable(#[source] reqwest::Error),
    #[error("the identity provider answered {0}")]
    Status(reqwest::StatusCode),
    #[error("the identity provider refused the code: {0}")]
    Refused(String),
    #[error("the identity provider's answer is not what OpenID Connect says")]
    Malformed(&'static str),
}

/// The console's OpenID Connect client.
pub struct OidcClient {
    http: reqwest::Client,
    pub issuer: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    client_secret: Option<Secret<String>>,
    discovery: tokio::sync::OnceCell<Discovery>,
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    token_type: Option<String>,
    error: Option<String>,
}

impl OidcClient {
    pub fn new(
        http: reqwest::Client,
        issuer: String,
        client_id: String,
        redirect_uri: String,
        scope: String,
        client_secret: Option<Secret<String>>,
    ) -> Self {
        Self {
            http,
            issuer,
            client_id,
            redirect_uri,
            scope,
            client_secret,
            discovery: tokio::sync::OnceCell::new(),
        }
    }

    /// The provider's discovery document, read once (and again after a failure).
    pub async fn discovery(&self) -> Result<&Discovery, OidcError> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!("{}/.well-known/openid-configuration", self.issuer);
                let discovery: Discovery = self.get_json(&url).await?;
                // OpenID Connect Discovery 1.0, 4.3: the issuer must be the one asked.
                if discovery.issuer.trim_end_matches('/') != self.issuer {
                    return Err(OidcError::Malformed("discovery names another issuer"));
                }
                if discovery
                    .code_challenge_methods_supported
                    .as_ref()
                    .is_some_and(|methods| !methods.iter().any(|method| method == "S256"))
                {
                    return Err(OidcError::Malformed(
                        "the provider does not offer PKCE S256",
                    ));
                }
                Ok(discovery)
            })
            .await
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let response = self
            .http
            .get(url)
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(OidcError::Unreachable)?;
        if !response.status().is_success() {
            return Err(OidcError::Status(response.status()));
        }
        response
            .json()
            .await
            .map_err(|_| OidcError::Malformed("not a JSON document"))
    }

    /// Redeems an authorization code with its PKCE verifier; the access token.
    pub async fn redeem(&self, code: &str, verifier: &str) -> Result<String, OidcError> {
        if code.is_empty() || code.len() > MAX_CODE_LENGTH || !is_verifier(verifier) {
            return Err(OidcError::BadInput);
        }
        let discovery = self.discovery().await?;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("client_id", self.client_id.as_str()),
            ("code_verifier", verifier),
        ];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose().as_str()));
        }
        let response = self
            .http
            .post(&discovery.token_endpoint)
            .timeout(CALL_TIMEOUT)
            .form(&form)
            .send()
            .await
            .map_err(OidcError::Unreachable)?;
        let status = response.status();
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|_| OidcError::Status(status))?;
        if let Some(error) = answer.error {
            return Err(OidcError::Refused(error));
        }
        if !status.is_success() {
            return Err(OidcError::Status(status));
        }
        if !answer
            .token_type
            .is_some_and(|kind| kind.eq_ignore_ascii_case("bearer"))
        {
            return Err(OidcError::Malformed("the token is not a bearer token"));
        }
        answer
            .access_token
            .filter(|token| !token.is_empty())
            .ok_or(OidcError::Malformed("no access token"))
    }
}

/// A PKCE code verifier: 43 to 128 unreserved characters (RFC 7636, 4.1).
fn is_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_is_43_to_128_unreserved_characters() {
        assert!(is_verifier(&"a".repeat(43)));
        assert!(is_verifier(&"A-._~9".repeat(20)));
        assert!(!is_verifier(&"a".repeat(42)));
        assert!(!is_verifier(&"a".repeat(129)));
        assert!(!is_verifier(&format!("{}+", "a".repeat(43))));
    }
}
