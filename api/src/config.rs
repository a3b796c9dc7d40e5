//! Configuration: command-line flags over `BENEFITS_*` environment variables over an
//! optional TOML file, resolved once into a typed struct that is passed around (never a
//! global). Secrets are wrapped so they never print.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::Args;

use benefits_infra::cache::RedisTopology;
use benefits_infra::crypto::Secret;
use benefits_infra::tokens::JwksSource;

use crate::http::IpNet;

const DEFAULT_DATABASE_URL: &str = "sqlite://benefits.db";
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
const DEFAULT_ISSUER: &str = "benefits";
const DEFAULT_AUDIENCE: &str = "benefits-api";
const DEFAULT_REDIS_PREFIX: &str = "benefits:";
const DEFAULT_LOCAL_CACHE_CAPACITY: u64 = 100_000;
const DEFAULT_POSTGRES_POOL_SIZE: u32 = 16;
const DEFAULT_ROLE_CLAIM: &str = "role";
const DEFAULT_SUBJECT_CLAIM: &str = "sub";
const DEFAULT_OIDC_SCOPE: &str = "openid";

/// Settings every command accepts as flags or environment variables. Each is optional:
/// what is missing comes from the config file, then from the embedded default.
#[derive(Clone, Default, Args, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Settings {
    /// A TOML file with any of these settings (snake_case names).
    #[arg(long, global = true, env = "BENEFITS_CONFIG")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// `sqlite://FILE` or `postgres://...` (default: sqlite://benefits.db).
    #[arg(
        long,
        global = true,
        env = "BENEFITS_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// A read replica of the PostgreSQL database for reports (overview, audit search,
    /// settlement, the insurer's list); unset: everything reads the primary.
    #[arg(
        long,
        global = true,
        env = "BENEFITS_DATABASE_READ_URL",
        hide_env_values = true
    )]
    pub database_read_url: Option<String>,
    /// Connections per PostgreSQL pool (the primary's, and the read replica's when set)
    /// of each process (default: 16; SQLite always uses one).
    #[arg(long, global = true, env = "BENEFITS_DATABASE_POOL_SIZE")]
    pub database_pool_size: Option<u32>,
    /// Redis URL for the shared cache tier; unset: in-process cache only.
    #[arg(
        long,
        global = true,
        env = "BENEFITS_REDIS_URL",
        hide_env_values = true
    )]
    pub redis_url: Option<String>,
    /// The Redis URL lists comma-separated nodes of a Redis Cluster (default: false).
    #[arg(long, global = true, env = "BENEFITS_REDIS_CLUSTER")]
    pub redis_cluster: Option<bool>,
    /// PEM file of the certificate authorities a `rediss://` server is checked against
    /// (default: the system's trust store).
    #[arg(long, global = true, env = "BENEFITS_REDIS_CA_CERT")]
    pub redis_ca_cert: Option<PathBuf>,
    /// Entries of the in-process cache tier (default: 100000; 0 turns the tier off, so
    /// every read goes to Redis or the database, as the benchmarks measure).
    #[arg(long, global = true, env = "BENEFITS_LOCAL_CACHE_CAPACITY")]
    pub local_cache_capacity: Option<u64>,
    /// Prefix of every Redis key (default: `benefits:`).
    #[arg(long, global = true, env = "BENEFITS_REDIS_PREFIX")]
    pub redis_prefix: Option<String>,
    /// Address to serve HTTP on (default: 127.0.0.1:8080).
    #[arg(long, global = true, env = "BENEFITS_LISTEN")]
    pub listen: Option<String>,
    /// Fixes the service's clock at this RFC 3339 instant (demos and tests).
    #[arg(long, global = true, env = "BENEFITS_CLOCK")]
    pub clock: Option<String>,
    /// Development mode: GraphiQL and introspection on.
    #[arg(long, global = true, env = "BENEFITS_DEV_MODE")]
    pub dev_mode: Option<bool>,
    /// Development key file (created on first use); defaults beside a SQLite database.
    #[arg(long, global = true, env = "BENEFITS_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// Data-encryption keys as `VERSION:BASE64,...` (32-byte AES keys).
    #[arg(
        long,
        global = true,
        env = "BENEFITS_DATA_KEYS",
        hide_env_values = true
    )]
    pub data_keys: Option<String>,
    /// The data-key version that encrypts new values (default: the highest).
    #[arg(long, global = true, env = "BENEFITS_ACTIVE_DATA_KEY")]
    pub active_data_key: Option<u8>,
    /// Key of the phone-lookup HMAC (base64 of 32 bytes).
    #[arg(
        long,
        global = true,
        env = "BENEFITS_LOOKUP_KEY",
        hide_env_values = true
    )]
    pub lookup_key: Option<String>,
    /// Ed25519 seed (base64 of 32 bytes) for minting tokens; unset: tokens come only
    /// from the identity provider.
    #[arg(
        long,
        global = true,
        env = "BENEFITS_SIGNING_KEY",
        hide_env_values = true
    )]
    pub signing_key: Option<String>,
    /// Key id (`kid`) of the signing key.
    #[arg(long, global = true, env = "BENEFITS_SIGNING_KEY_ID")]
    pub signing_key_id: Option<String>,
    /// Accepted token keys as `KID:X,...` (Ed25519 public keys, base64url as in a JWK).
    #[arg(long, global = true, env = "BENEFITS_VERIFYING_KEYS")]
    pub verifying_keys: Option<String>,
    /// Expected token issuer (default: benefits).
    #[arg(long, global = true, env = "BENEFITS_TOKEN_ISSUER")]
    pub token_issuer: Option<String>,
    /// Expected token audience (default: benefits-api).
    #[arg(long, global = true, env = "BENEFITS_TOKEN_AUDIENCE")]
    pub token_audience: Option<String>,
    /// The identity provider's JWKS: a file path, or an `https://` (or `http://`) URL
    /// fetched again when a token names an unknown `kid` (at most once a minute).
    #[arg(long, global = true, env = "BENEFITS_TOKEN_JWKS")]
    pub token_jwks: Option<String>,
    /// Dotted claim path of the role in the provider's tokens (default: role).
    #[arg(long, global = true, env = "BENEFITS_TOKEN_ROLE_CLAIM")]
    pub token_role_claim: Option<String>,
    /// Claim of the subject (customer, store or staff id) in the provider's tokens
    /// (default: sub).
    #[arg(long, global = true, env = "BENEFITS_TOKEN_SUBJECT_CLAIM")]
    pub token_subject_claim: Option<String>,
    /// OpenID Connect issuer for the console's sign-in (its discovery document is at
    /// ISSUER/.well-known/openid-configuration).
    #[arg(long, global = true, env = "BENEFITS_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The console's OpenID Connect client id.
    #[arg(long, global = true, env = "BENEFITS_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// Where the provider sends the browser back: the console's address, like
    /// https://benefits.example/admin/.
    #[arg(long, global = true, env = "BENEFITS_OIDC_REDIRECT_URI")]
    pub oidc_redirect_uri: Option<String>,
    /// The client secret, for a confidential client (unset: a public client, PKCE only).
    #[arg(
        long,
        global = true,
        env = "BENEFITS_OIDC_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,
    /// Scopes the console asks for (default: openid).
    #[arg(long, global = true, env = "BENEFITS_OIDC_SCOPE")]
    pub oidc_scope: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed, as comma-separated CIDRs
    /// (`10.0.0.0/8,::1/128`); unset: the peer is the client.
    #[arg(long, global = true, env = "BENEFITS_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<String>,
    /// `json` (default) or `pretty`.
    #[arg(long, global = true, env = "BENEFITS_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Do not migrate on start (several replicas: run `benefits migrate` once instead).
    #[arg(long, global = true, env = "BENEFITS_SKIP_MIGRATIONS")]
    pub skip_migrations: Option<bool>,
    /// NATS server the outbox's events are relayed to (JetStream); unset: events wait.
    #[arg(long, global = true, env = "BENEFITS_NATS_URL", hide_env_values = true)]
    pub nats_url: Option<String>,
    /// The JetStream stream (default `BENEFITS_EVENTS`; created when missing).
    #[arg(long, global = true, env = "BENEFITS_NATS_STREAM")]
    pub nats_stream: Option<String>,
    /// Subjects are `<prefix>.<type>` (default `benefits.events`).
    #[arg(long, global = true, env = "BENEFITS_NATS_SUBJECT_PREFIX")]
    pub nats_subject_prefix: Option<String>,
}

impl Settings {
    /// Fills what is unset here from `lower`.
    fn or(self, lower: Self) -> Self {
        Self {
            config: self.config.or(lower.config),
            database_url: self.database_url.or(lower.database_url),
            database_read_url: self.database_read_url.or(lower.database_read_url),
            database_pool_size: self.database_pool_size.or(lower.database_pool_size),
            redis_url: self.redis_url.or(lower.redis_url),
            redis_cluster: self.redis_cluster.or(lower.redis_cluster),
            redis_ca_cert: self.redis_ca_cert.or(lower.redis_ca_cert),
            local_cache_capacity: self.local_cache_capacity.or(lower.local_cache_capacity),
            redis_prefix: self.redis_prefix.or(lower.redis_prefix),
            listen: self.listen.or(lower.listen),
            clock: self.clock.or(lower.clock),
            dev_mode: self.dev_mode.or(lower.dev_mode),
            key_file: self.key_file.or(lower.key_file),
            data_keys: self.data_keys.or(lower.data_keys),
            active_data_key: self.active_data_key.or(lower.active_data_key),
            lookup_key: self.lookup_key.or(lower.lookup_key),
            signing_key: self.signing_key.or(lower.signing_key),
            signing_key_id: self.signing_key_id.or(lower.signing_key_id),
            verifying_keys: self.verifying_keys.or(lower.verifying_keys),
            token_issuer: self.token_issuer.or(lower.token_issuer),
            token_audience: self.token_audience.or(lower.token_audience),
            token_jwks: self.token_jwks.or(lower.token_jwks),
            token_role_claim: self.token_role_claim.or(lower.token_role_claim),
            token_subject_claim: self.token_subject_claim.or(lower.token_subject_claim),
            oidc_issuer: self.oidc_issuer.or(lower.oidc_issuer),
            oidc_client_id: self.oidc_client_id.or(lower.oidc_client_id),
            oidc_redirect_uri: self.oidc_redirect_uri.or(lower.oidc_redirect_uri),
            oidc_client_secret: self.oidc_client_secret.or(lower.oidc_client_secret),
            oidc_scope: self.oidc_scope.or(lower.oidc_scope),
            trusted_proxies: self.trusted_proxies.or(lower.trusted_proxies),
            log_format: self.log_format.or(lower.log_format),
            skip_migrations: self.skip_migrations.or(lower.skip_migrations),
            nats_url: self.nats_url.or(lower.nats_url),
            nats_stream: self.nats_stream.or(lower.nats_stream),
            nats_subject_prefix: self.nats_subject_prefix.or(lower.nats_subject_prefix),
        }
    }
}

/// Where the service's keys come from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// Keys given in configuration (production).
    Configured(ConfiguredKeys),
    /// Development keys kept in a local file, generated on first use.
    DevelopmentFile(PathBuf),
}

/// Keys given in configuration.
#[derive(Debug, Clone)]
pub struct ConfiguredKeys {
    pub data_keys: Vec<(u8, Secret<String>)>,
    pub active_data_key: u8,
    pub lookup_key: Secret<String>,
    pub signing_key: Option<(String, Secret<String>)>,
}

/// The identity provider whose tokens are trusted.
#[derive(Debug, Clone)]
pub struct IdentityProviderConfig {
    pub jwks: JwksSource,
    pub role_claim: String,
    pub subject_claim: String,
}

/// The console's sign-in through the identity provider (OpenID Connect authorization
/// code with PKCE).
#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub client_secret: Option<Secret<String>>,
    pub scope: String,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Secret<String>,
    pub database_read_url: Option<Secret<String>>,
    /// Connections per PostgreSQL pool.
    pub database_pool_size: u32,
    pub redis_url: Option<Secret<String>>,
    pub redis_topology: RedisTopology,
    pub redis_ca_cert: Option<PathBuf>,
    pub redis_prefix: String,
    pub local_cache_capacity: u64,
    pub listen: SocketAddr,
    pub clock: Option<DateTime<Utc>>,
    pub dev_mode: bool,
    pub keys: KeySource,
    pub verifying_keys: Vec<(String, String)>,
    pub token_issuer: String,
    pub token_audience: String,
    pub identity_provider: Option<IdentityProviderConfig>,
    pub oidc: Option<OidcConfig>,
    pub trusted_proxies: Vec<IpNet>,
    pub json_logs: bool,
    pub migrate_on_start: bool,
    /// The relay of the outbox to NATS JetStream, when a URL is set.
    pub nats: Option<benefits_infra::relay::RelayConfig>,
}

/// The file behind a `sqlite:` URL, when it names one.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn default_key_file(database: &Path) -> PathBuf {
    database.with_extension("keys.json")
}

fn split_pairs(text: &str) -> impl Iterator<Item = Option<(&str, &str)>> {
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once(':'))
}

impl Config {
    /// Resolves flags and environment (`given`) over the config file they name.
    pub fn resolve(given: Settings) -> anyhow::Result<Self> {
        let file = match &given.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read config file {}", path.display()))?;
                toml::from_str::<Settings>(&text)
                    .with_context(|| format!("invalid config file {}", path.display()))?
            }
            None => Settings::default(),
        };
        Self::from_settings(given.or(file))
    }

    /// Resolves complete settings, applying the embedded defaults.
    pub fn from_settings(settings: Settings) -> anyhow::Result<Self> {
        let database_url = settings
            .database_url
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let listen = settings
            .listen
            .as_deref()
            .unwrap_or(DEFAULT_LISTEN)
            .parse()
            .context("listen must be an address like 127.0.0.1:8080")?;
        let clock = settings
            .clock
            .as_deref()
            .map(|text| DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)))
            .transpose()
            .context("clock must be an RFC 3339 instant like 2026-01-15T10:00:00+09:00")?;
        let keys = match (settings.data_keys, settings.lookup_key) {
            (Some(data_keys), Some(lookup_key)) => {
                let data_keys = split_pairs(&data_keys)
                    .map(|pair| {
                        let (version, key) = pair.context("data keys are VERSION:BASE64 pairs")?;
                        let version: u8 =
                            version.parse().context("a data key version is 0 to 255")?;
                        Ok((version, Secret::new(key.to_owned())))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let highest = data_keys
                    .iter()
                    .map(|(v, _)| *v)
                    .max()
                    .context("no data key given")?;
                let signing_key = settings.signing_key.map(|seed| {
                    let kid = settings
                        .signing_key_id
                        .clone()
                        .unwrap_or_else(|| "default".to_owned());
                    (kid, Secret::new(seed))
                });
                KeySource::Configured(ConfiguredKeys {
                    data_keys,
                    active_data_key: settings.active_data_key.unwrap_or(highest),
                    lookup_key: Secret::new(lookup_key),
                    signing_key,
                })
            }
            (None, None) => {
                let file = settings
                    .key_file
                    .or_else(|| sqlite_file(&database_url).map(|db| default_key_file(&db)))
                    .context(
                        "no keys configured: set BENEFITS_DATA_KEYS and BENEFITS_LOOKUP_KEY \
                         (development keys are generated only beside a SQLite database or in \
                         BENEFITS_KEY_FILE)",
                    )?;
                KeySource::DevelopmentFile(file)
            }
            _ => anyhow::bail!("BENEFITS_DATA_KEYS and BENEFITS_LOOKUP_KEY go together"),
        };
        let verifying_keys = settings
            .verifying_keys
            .as_deref()
            .map(|text| {
                split_pairs(text)
                    .map(|pair| {
                        let (kid, x) = pair.context("verifying keys are KID:X pairs")?;
                        Ok((kid.to_owned(), x.to_owned()))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .transpose()?
            .unwrap_or_default();
        let identity_provider = settings
            .token_jwks
            .filter(|jwks| !jwks.trim().is_empty())
            .map(|jwks| IdentityProviderConfig {
                jwks: JwksSource::parse(&jwks),
                role_claim: settings
                    .token_role_claim
                    .unwrap_or_else(|| DEFAULT_ROLE_CLAIM.to_owned()),
                subject_claim: settings
                    .token_subject_claim
                    .unwrap_or_else(|| DEFAULT_SUBJECT_CLAIM.to_owned()),
            });
        let oidc = match (
            settings.oidc_issuer,
            settings.oidc_client_id,
            settings.oidc_redirect_uri,
        ) {
            (None, None, None) => None,
            (Some(issuer), Some(client_id), Some(redirect_uri)) => {
                anyhow::ensure!(
                    identity_provider.is_some(),
                    "the console's OpenID Connect sign-in needs BENEFITS_TOKEN_JWKS to verify \
                     the provider's tokens"
                );
                Some(OidcConfig {
                    issuer: issuer.trim_end_matches('/').to_owned(),
                    client_id,
                    redirect_uri,
                    client_secret: settings.oidc_client_secret.map(Secret::new),
                    scope: settings
                        .oidc_scope
                        .unwrap_or_else(|| DEFAULT_OIDC_SCOPE.to_owned()),
                })
            }
            _ => anyhow::bail!(
                "BENEFITS_OIDC_ISSUER, BENEFITS_OIDC_CLIENT_ID and BENEFITS_OIDC_REDIRECT_URI go \
                 together"
            ),
        };
        let trusted_proxies = settings
            .trusted_proxies
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|cidr| !cidr.is_empty())
            .map(|cidr| {
                cidr.parse::<IpNet>().with_context(|| {
                    format!("trusted proxy {cidr:?} is not a CIDR like 10.0.0.0/8")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let database_pool_size = settings
            .database_pool_size
            .unwrap_or(DEFAULT_POSTGRES_POOL_SIZE);
        anyhow::ensure!(
            database_pool_size > 0,
            "the database pool size must be at least 1"
        );
        let json_logs = match settings.log_format.as_deref() {
            None | Some("json") => true,
            Some("pretty") => false,
            Some(other) => anyhow::bail!("log format {other:?} is not json or pretty"),
        };
        Ok(Self {
            database_url: Secret::new(database_url),
            database_read_url: settings
                .database_read_url
                .filter(|url| !url.is_empty())
                .map(Secret::new),
            database_pool_size,
            redis_url: settings
                .redis_url
                .filter(|url| !url.is_empty())
                .map(Secret::new),
            redis_topology: if settings.redis_cluster.unwrap_or(false) {
                RedisTopology::Cluster
            } else {
                RedisTopology::Standalone
            },
            redis_ca_cert: settings.redis_ca_cert,
            redis_prefix: settings
                .redis_prefix
                .unwrap_or_else(|| DEFAULT_REDIS_PREFIX.to_owned()),
            local_cache_capacity: settings
                .local_cache_capacity
                .unwrap_or(DEFAULT_LOCAL_CACHE_CAPACITY),
            listen,
            clock,
            dev_mode: settings.dev_mode.unwrap_or(false),
            keys,
            verifying_keys,
            token_issuer: settings
                .token_issuer
                .unwrap_or_else(|| DEFAULT_ISSUER.to_owned()),
            token_audience: settings
                .token_audience
                .unwrap_or_else(|| DEFAULT_AUDIENCE.to_owned()),
            identity_provider,
            oidc,
            trusted_proxies,
            json_logs,
            migrate_on_start: !settings.skip_migrations.unwrap_or(false),
            nats: settings.nats_url.filter(|url| !url.is_empty()).map(|url| {
                benefits_infra::relay::RelayConfig {
                    url,
                    stream: settings
                        .nats_stream
                        .filter(|name| !name.is_empty())
                        .unwrap_or_else(|| "BENEFITS_EVENTS".to_owned()),
                    subject_prefix: settings
                        .nats_subject_prefix
                        .filter(|prefix| !prefix.is_empty())
                        .unwrap_or_else(|| "benefits.events".to_owned()),
                }
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_nothing_configured_the_service_runs_on_the_embedded_default() {
        let config = Config::from_settings(Settings::default()).unwrap();
        assert_eq!(config.database_url.expose(), "sqlite://benefits.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert!(config.redis_url.is_none());
        assert!(
            matches!(config.keys, KeySource::DevelopmentFile(ref p) if p == Path::new("benefits.keys.json"))
        );
    }

    #[test]
    fn flags_and_environment_win_over_the_config_file() {
        let given = Settings {
            listen: Some("127.0.0.1:9000".into()),
            ..Settings::default()
        };
        let file: Settings =
            toml::from_str("listen = \"0.0.0.0:1\"\nredis_url = \"redis://x\"").unwrap();
        let config = Config::from_settings(given.or(file)).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(config.redis_url.unwrap().expose(), "redis://x");
    }

    #[test]
    fn postgres_without_configured_keys_is_refused() {
        let given = Settings {
            database_url: Some("postgres://localhost/x".into()),
            ..Settings::default()
        };
        assert!(Config::from_settings(given).is_err());
    }

    #[test]
    fn a_printed_config_shows_no_secret() {
        let given = Settings {
            database_url: Some("postgres://user:pw-sentinel@localhost/x".into()),
            data_keys: Some("1:key-sentinel".into()),
            lookup_key: Some("lookup-sentinel".into()),
            token_jwks: Some("https://idp/jwks".into()),
            oidc_issuer: Some("https://idp".into()),
            oidc_client_id: Some("console".into()),
            oidc_redirect_uri: Some("https://benefits/admin/".into()),
            oidc_client_secret: Some("client-secret-sentinel".into()),
            ..Settings::default()
        };
        let printed = format!("{:?}", Config::from_settings(given).unwrap());
        assert!(!printed.contains("sentinel"), "{printed}");
    }

    #[test]
    fn the_pool_size_and_trusted_proxies_are_checked() {
        let zero = Settings {
            database_pool_size: Some(0),
            ..Settings::default()
        };
        assert!(Config::from_settings(zero).is_err());
        let proxies = Settings {
            trusted_proxies: Some("10.0.0.0/8, ::1".into()),
            ..Settings::default()
        };
        assert_eq!(
            Config::from_settings(proxies)
                .unwrap()
                .trusted_proxies
                .len(),
            2
        );
        let typo = Settings {
            trusted_proxies: Some("10.0.0.0/88".into()),
            ..Settings::default()
        };
        assert!(Config::from_settings(typo).is_err());
    }

    #[test]
    fn an_oidc_sign_in_needs_all_three_settings_and_the_providers_keys() {
        let partial = Settings {
            oidc_issuer: Some("https://idp".into()),
            ..Settings::default()
        };
        assert!(Config::from_settings(partial).is_err());
        let without_keys = Settings {
            oidc_issuer: Some("https://idp/".into()),
            oidc_client_id: Some("console".into()),
            oidc_redirect_uri: Some("https://benefits/admin/".into()),
            ..Settings::default()
        };
        assert!(Config::from_settings(without_keys.clone()).is_err());
        let complete = Settings {
            token_jwks: Some("https://idp/jwks".into()),
            ..without_keys
        };
        let config = Config::from_settings(complete).unwrap();
        assert_eq!(
            config.oidc.unwrap().issuer,
            "https://idp",
            "no trailing slash"
        );
    }

    #[test]
    fn the_clock_accepts_an_rfc3339_instant_with_an_offset() {
        let given = Settings {
            clock: Some("2026-01-14T09:00:00+09:00".into()),
            ..Settings::default()
        };
        let config = Config::from_settings(given).unwrap();
        assert_eq!(
            config.clock.unwrap().to_rfc3339(),
            "2026-01-14T00:00:00+00:00"
        );
    }
}
