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

const DEFAULT_DATABASE_URL: &str = "sqlite://benefits.db";
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
const DEFAULT_ISSUER: &str = "benefits";
const DEFAULT_AUDIENCE: &str = "benefits-api";
const DEFAULT_REDIS_PREFIX: &str = "benefits:";
const DEFAULT_LOCAL_CACHE_CAPACITY: u64 = 100_000;

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
    /// `json` (default) or `pretty`.
    #[arg(long, global = true, env = "BENEFITS_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Do not migrate on start (several replicas: run `benefits migrate` once instead).
    #[arg(long, global = true, env = "BENEFITS_SKIP_MIGRATIONS")]
    pub skip_migrations: Option<bool>,
}

impl Settings {
    /// Fills what is unset here from `lower`.
    fn or(self, lower: Self) -> Self {
        Self {
            config: self.config.or(lower.config),
            database_url: self.database_url.or(lower.database_url),
            database_read_url: self.database_read_url.or(lower.database_read_url),
            redis_url: self.redis_url.or(lower.redis_url),
            redis_cluster: self.redis_cluster.or(lower.redis_cluster),
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
            log_format: self.log_format.or(lower.log_format),
            skip_migrations: self.skip_migrations.or(lower.skip_migrations),
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

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Secret<String>,
    pub database_read_url: Option<Secret<String>>,
    pub redis_url: Option<Secret<String>>,
    pub redis_topology: RedisTopology,
    pub redis_prefix: String,
    pub local_cache_capacity: u64,
    pub listen: SocketAddr,
    pub clock: Option<DateTime<Utc>>,
    pub dev_mode: bool,
    pub keys: KeySource,
    pub verifying_keys: Vec<(String, String)>,
    pub token_issuer: String,
    pub token_audience: String,
    pub json_logs: bool,
    pub migrate_on_start: bool,
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
            redis_url: settings
                .redis_url
                .filter(|url| !url.is_empty())
                .map(Secret::new),
            redis_topology: if settings.redis_cluster.unwrap_or(false) {
                RedisTopology::Cluster
            } else {
                RedisTopology::Standalone
            },
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
            json_logs,
            migrate_on_start: !settings.skip_migrations.unwrap_or(false),
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
            ..Settings::default()
        };
        let printed = format!("{:?}", Config::from_settings(given).unwrap());
        assert!(!printed.contains("sentinel"), "{printed}");
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
