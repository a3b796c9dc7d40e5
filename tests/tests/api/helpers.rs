//! `spawn_app()`: starts the real server on port 0 with its own database and cache
//! namespace, and returns a client that can mint tokens for any role.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore as _;
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};

use benefits_api::app::App;
use benefits_api::commands::import::{ImportReport, Rejection, import_lines};
use benefits_api::config::{Config, Settings};
use benefits_domain::auth::Role;

use crate::redis_server::free_port;

/// The clock of most tests: inside the refund application window.
pub const DEFAULT_CLOCK: &str = "2026-01-15T10:00:00+09:00";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: SocketAddr,
    settings: Settings,
    pub app: App,
    pub client: reqwest::Client,
    pub sqlite_file: Option<PathBuf>,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

fn random_key() -> String {
    let mut key = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    STANDARD.encode(key)
}

/// A fresh PostgreSQL database on the server of `base_url`; returns its URL and name.
async fn create_postgres_database(base_url: &str) -> (String, String) {
    let name = format!("benefits_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(base_url)
        .await
        .expect("PostgreSQL is reachable");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("the test database can be created");
    let (server, _) = base_url.rsplit_once('/').expect("the URL names a database");
    (format!("{server}/{name}"), name)
}

/// Starts a server with the clock at `clock` (RFC 3339).
pub async fn spawn_app_at(clock: &str) -> TestApp {
    let redis_url = std::env::var("BENEFITS_TEST_REDIS_URL")
        .ok()
        .filter(|url| !url.is_empty());
    spawn_app_with_redis(clock, redis_url).await
}

/// Starts a server with the clock at `clock` and the shared cache tier at `redis_url`.
pub async fn spawn_app_with_redis(clock: &str, redis_url: Option<String>) -> TestApp {
    spawn_configured(
        clock,
        redis_url.map(Redis::Standalone),
        false,
        None,
        false,
        same,
    )
    .await
}

/// Starts a server with the clock at `clock` over the Redis Cluster of `seed_urls`.
pub async fn spawn_app_with_redis_cluster(clock: &str, seed_urls: String) -> TestApp {
    spawn_configured(
        clock,
        Some(Redis::Cluster(seed_urls)),
        false,
        None,
        false,
        same,
    )
    .await
}

/// Starts a server whose shared tier is the `rediss://` server at `url`, checked
/// against the authority in the PEM file `ca`.
pub async fn spawn_app_with_redis_ca(clock: &str, url: String, ca: PathBuf) -> TestApp {
    spawn_configured(
        clock,
        Some(Redis::Standalone(url)),
        false,
        None,
        false,
        |settings| Settings {
            redis_ca_cert: Some(ca),
            ..settings
        },
    )
    .await
}

/// Starts a server over the `rediss://` Redis Cluster of `seed_urls`, checked against
/// the authority in the PEM file `ca`.
pub async fn spawn_app_with_redis_cluster_ca(
    clock: &str,
    seed_urls: String,
    ca: PathBuf,
) -> TestApp {
    spawn_configured(
        clock,
        Some(Redis::Cluster(seed_urls)),
        false,
        None,
        false,
        |settings| Settings {
            redis_ca_cert: Some(ca),
            ..settings
        },
    )
    .await
}

/// Settings as they are.
fn same(settings: Settings) -> Settings {
    settings
}

/// Starts a server whose test settings `customize` changes (an identity provider, say);
/// `development_keys` starts it on the embedded default's keys instead of configured ones.
pub async fn spawn_app_with(
    development_keys: bool,
    customize: impl FnOnce(Settings) -> Settings,
) -> TestApp {
    spawn_configured(
        DEFAULT_CLOCK,
        None,
        false,
        None,
        development_keys,
        customize,
    )
    .await
}

/// The shared cache tier of a test server.
enum Redis {
    Standalone(String),
    Cluster(String),
}

/// Starts a server on the given database (a test's own server).
pub async fn spawn_app_with_database(database_url: &str) -> TestApp {
    spawn_configured(
        DEFAULT_CLOCK,
        None,
        false,
        Some(database_url.to_owned()),
        false,
        same,
    )
    .await
}

/// Starts a server in development mode (introspection and GraphiQL on).
pub async fn spawn_dev_app() -> TestApp {
    spawn_configured(DEFAULT_CLOCK, None, true, None, false, same).await
}

/// Starts a server on the embedded default's keys: none configured, development keys
/// generated into a file of its own.
pub async fn spawn_embedded_default() -> TestApp {
    spawn_configured(DEFAULT_CLOCK, None, false, None, true, same).await
}

async fn spawn_configured(
    clock: &str,
    redis: Option<Redis>,
    dev_mode: bool,
    database: Option<String>,
    development_keys: bool,
    customize: impl FnOnce(Settings) -> Settings,
) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shared = std::env::var("BENEFITS_TEST_DATABASE_URL")
        .ok()
        .filter(|_| database.is_none());
    let (database_url, sqlite_file, postgres) = match shared {
        Some(base) if !base.is_empty() => {
            let (url, name) = create_postgres_database(&base).await;
            (url, None, Some((base, name)))
        }
        _ => {
            if let Some(url) = database {
                (url, None, None)
            } else {
                let file = dir.path().join("benefits.db");
                (format!("sqlite://{}", file.display()), Some(file), None)
            }
        }
    };
    let mut settings = Settings {
        database_url: Some(database_url),
        redis_cluster: Some(matches!(redis, Some(Redis::Cluster(_)))),
        redis_url: redis.map(|(Redis::Standalone(url) | Redis::Cluster(url))| url),
        redis_prefix: Some(format!("test:{}:", uuid::Uuid::new_v4().simple())),
        listen: Some("127.0.0.1:0".into()),
        clock: Some(clock.into()),
        dev_mode: Some(dev_mode),
        data_keys: Some(format!("1:{}", random_key())),
        lookup_key: Some(random_key()),
        signing_key: Some(random_key()),
        signing_key_id: Some("test".into()),
        log_format: Some("json".into()),
        ..Settings::default()
    };
    if development_keys {
        settings = Settings {
            data_keys: None,
            lookup_key: None,
            signing_key: None,
            signing_key_id: None,
            key_file: Some(dir.path().join("benefits.keys.json")),
            ..settings
        };
    }
    let settings = customize(settings);
    let (address, app) = serve(settings.clone()).await;
    TestApp {
        address,
        settings,
        app,
        client: reqwest::Client::new(),
        sqlite_file,
        _dir: dir,
        postgres,
    }
}

/// Starts the real server on port 0 with these settings.
async fn serve(settings: Settings) -> (SocketAddr, App) {
    let config = Config::from_settings(settings).expect("the test configuration is valid");
    let app = App::build(config).await.expect("the app starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    let served = app.clone();
    // The relay (when the test set a NATS URL) lives as long as the test's runtime.
    // Not the tally's background pass: a test blocks its runtime while a child process
    // runs, and a pass paused mid-transaction would hold SQLite's write lock meanwhile
    // (the overview decides outdated reasons itself).
    app.start_relay().detach_all();
    tokio::spawn(async move {
        benefits_api::http::serve(listener, served, std::future::pending())
            .await
            .expect("the server runs");
    });
    (address, app)
}

/// Starts a server at `clock` with the demo data set loaded.
pub async fn spawn_demo_at(clock: &str) -> TestApp {
    let app = spawn_app_at(clock).await;
    let (_, rejections) = app
        .import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    assert!(rejections.is_empty(), "{rejections:?}");
    app
}

/// Starts a server with the clock inside the refund application window.
pub async fn spawn_app() -> TestApp {
    spawn_app_at(DEFAULT_CLOCK).await
}

impl TestApp {
    /// A second server on the same database, cache and keys with its clock at `clock`:
    /// the same service, later (or on another replica).
    pub async fn sibling_at(&self, clock: &str) -> (SocketAddr, App) {
        let settings = Settings {
            clock: Some(clock.into()),
            ..self.settings.clone()
        };
        serve(settings).await
    }

    /// The `benefits` command line as a separate process on this server's database,
    /// cache, keys and clock (another replica, or cron running a job).
    pub fn command(&self) -> std::process::Command {
        let settings = &self.settings;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_benefits-under-test"));
        for (name, value) in [
            ("BENEFITS_DATABASE_URL", &settings.database_url),
            ("BENEFITS_REDIS_URL", &settings.redis_url),
            ("BENEFITS_REDIS_PREFIX", &settings.redis_prefix),
            ("BENEFITS_CLOCK", &settings.clock),
            ("BENEFITS_DATA_KEYS", &settings.data_keys),
            ("BENEFITS_LOOKUP_KEY", &settings.lookup_key),
            ("BENEFITS_SIGNING_KEY", &settings.signing_key),
            ("BENEFITS_SIGNING_KEY_ID", &settings.signing_key_id),
        ] {
            if let Some(value) = value {
                command.env(name, value);
            }
        }
        command
            .env(
                "BENEFITS_REDIS_CLUSTER",
                settings.redis_cluster.unwrap_or(false).to_string(),
            )
            .env("BENEFITS_SKIP_MIGRATIONS", "true")
            .env("BENEFITS_LOG_FORMAT", "json");
        command
    }

    /// This server's (primary) database URL.
    pub fn database_url(&self) -> String {
        self.settings.database_url.clone().unwrap_or_default()
    }

    /// A second server like this one whose reports read the database at `read_url`.
    pub async fn sibling_reading_from(&self, read_url: &str) -> (SocketAddr, App) {
        let settings = Settings {
            database_read_url: Some(read_url.to_owned()),
            ..self.settings.clone()
        };
        serve(settings).await
    }

    /// The prefix of this server's Redis keys.
    pub fn redis_prefix(&self) -> String {
        self.settings.redis_prefix.clone().unwrap_or_default()
    }

    /// The id of a customer's line, by external ids, as the customer sees it.
    pub async fn line_id(&self, customer: &str, line: &str) -> String {
        let body = self
            .graphql(
                Role::Customer,
                customer,
                "{ me { lines { id externalId } } }",
                json!({}),
            )
            .await;
        body["data"]["me"]["lines"]
            .as_array()
            .and_then(|lines| lines.iter().find(|l| l["externalId"] == line))
            .and_then(|l| l["id"].as_str())
            .unwrap_or_else(|| panic!("{customer} has no line {line}: {body}"))
            .to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A token for `subject` in `role`, valid for an hour.
    pub fn token(&self, role: Role, subject: &str) -> String {
        self.app
            .tokens
            .issue(role, subject, Duration::from_hours(1))
            .expect("the test app can sign")
    }

    /// Posts a GraphQL request with an optional bearer token; returns the JSON body.
    pub async fn graphql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        response.json().await.expect("a JSON body")
    }

    /// Posts one GraphQL request per set of variables, all at once, as `role`/`subject`;
    /// the responses in the same order.
    pub async fn graphql_concurrently(
        &self,
        role: Role,
        subject: &str,
        query: &str,
        variables: Vec<Value>,
    ) -> Vec<Value> {
        let token = self.token(role, subject);
        let calls: Vec<_> = variables
            .into_iter()
            .map(|variables| {
                let request = self
                    .client
                    .post(self.url("/graphql"))
                    .bearer_auth(&token)
                    .json(&json!({ "query": query, "variables": variables }));
                tokio::spawn(async move {
                    request
                        .send()
                        .await
                        .expect("the server answers")
                        .json::<Value>()
                        .await
                })
            })
            .collect();
        let mut responses = Vec::with_capacity(calls.len());
        for call in calls {
            responses.push(call.await.expect("the call ran").expect("a JSON body"));
        }
        responses
    }

    /// Posts a GraphQL request as `role`/`subject` to another server (a sibling).
    pub async fn graphql_at(
        &self,
        address: SocketAddr,
        role: Role,
        subject: &str,
        query: &str,
        variables: Value,
    ) -> Value {
        self.client
            .post(format!("http://{address}/graphql"))
            .bearer_auth(self.token(role, subject))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the sibling answers")
            .json()
            .await
            .expect("a JSON body")
    }

    /// Posts a GraphQL request as `role`/`subject`.
    pub async fn graphql(&self, role: Role, subject: &str, query: &str, variables: Value) -> Value {
        self.graphql_as(Some(&self.token(role, subject)), query, variables)
            .await
    }

    /// Imports JSON Lines text the way `benefits import` does.
    pub async fn import(&self, jsonl: &str) -> (ImportReport, Vec<Rejection>) {
        let mut rejections = Vec::new();
        let report = import_lines(&self.app, jsonl.as_bytes(), |r| rejections.push(r))
            .await
            .expect("the import runs");
        (report, rejections)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((base, name)) = self.postgres.take() {
            // Runs on its own thread: the test's runtime is shutting down around us.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let admin = sea_orm::Database::connect(&base).await.ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()
                })
            });
            let _ = dropped.join();
        }
    }
}

/// The `extensions.code` of the first error of a GraphQL response.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The contract's example customer.
pub const C_1001: &str = r#"{"externalId":"C-1001","name":"Kim Minji","birthDate":"1961-01-13","phone":"010-1234-5678","type":"INDIVIDUAL","lines":[{"externalId":"L-1001-1","msisdn":"010-1234-5678","deviceClass":"PHONE","brand":"OPERATOR","payment":"POSTPAID","activatedOn":"2022-03-02","status":"TERMINATED","terminatedOn":"2025-10-02","terminatedBy":"CUSTOMER","suspension":{"reason":"MILITARY_SERVICE","from":"2024-05-01","until":"2026-01-10"},"contractEvents":[{"kind":"RENEWAL","on":"2024-03-02"}],"contract":{"start":"2024-03-02","end":"2026-03-01","deviceSubsidy":500000,"additionalSubsidy":75000,"monthlyDiscount":0},"etfCharged":{"commonSubsidy":120000,"additionalSubsidy":18000,"discountReturn":0,"nonRefundable":250000}}]}"#;

/// A second customer with one active line.
pub const C_2002: &str = r#"{"externalId":"C-2002","name":"Park Jisoo","birthDate":"1990-05-05","phone":"010-9999-0002","type":"INDIVIDUAL","lines":[{"externalId":"L-2002-1","msisdn":"010-9999-0002","deviceClass":"PHONE","brand":"OPERATOR","payment":"POSTPAID","activatedOn":"2021-01-01","status":"ACTIVE"}]}"#;

/// The PostgreSQL server of tests that need one: the suite's
/// (`BENEFITS_TEST_DATABASE_URL`), else this machine's on loopback; `None` when none
/// answers (such tests are then skipped).
pub async fn postgres_base_url() -> Option<String> {
    let base = std::env::var("BENEFITS_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let connected = tokio::time::timeout(Duration::from_secs(3), sea_orm::Database::connect(&base));
    matches!(connected.await, Ok(Ok(_))).then_some(base)
}

/// Starts a server on a fresh database of the PostgreSQL at `base`, connecting with
/// the URL `url` makes of that database's (TLS parameters added, say).
pub async fn spawn_app_on_postgres(base: &str, url: impl FnOnce(&str) -> String) -> TestApp {
    let (database_url, name) = create_postgres_database(base).await;
    let mut app = spawn_app_with_database(&url(&database_url)).await;
    app.postgres = Some((base.to_owned(), name));
    app
}

/// Starts a server on a fresh database of the PostgreSQL at `base` with its settings
/// changed by `customize`.
pub async fn spawn_app_on_postgres_with(
    base: &str,
    customize: impl FnOnce(Settings) -> Settings,
) -> TestApp {
    let (database_url, name) = create_postgres_database(base).await;
    let mut app = spawn_configured(
        DEFAULT_CLOCK,
        None,
        false,
        Some(database_url),
        false,
        customize,
    )
    .await;
    app.postgres = Some((base.to_owned(), name));
    app
}

/// Builds the app on `database_url` with test keys without serving it: what starting
/// the service there would say (the error with its causes).
pub async fn build_app_on(database_url: &str) -> Result<App, String> {
    let settings = Settings {
        database_url: Some(database_url.to_owned()),
        data_keys: Some(format!("1:{}", random_key())),
        lookup_key: Some(random_key()),
        ..Settings::default()
    };
    let config = Config::from_settings(settings).map_err(|error| format!("{error:#}"))?;
    App::build(config)
        .await
        .map_err(|error| format!("{error:#}"))
}

/// Starts `benefits serve` as a process of its own; it is killed when dropped.
pub struct ServerProcess {
    pub address: SocketAddr,
    child: Child,
}

impl ServerProcess {
    pub async fn start(app: &TestApp) -> Self {
        Self::start_with(app, &[]).await
    }

    /// Starts it with these environment variables besides the app's own.
    pub async fn start_with(app: &TestApp, environment: &[(&str, &str)]) -> Self {
        let address: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let child = app
            .command()
            .arg("serve")
            .env("BENEFITS_LISTEN", address.to_string())
            .envs(environment.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { address, child };
        let started = Instant::now();
        loop {
            let ready = app
                .client
                .get(format!("http://{address}/readyz"))
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            if ready {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server process did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The NATS server of tests that need one: `BENEFITS_TEST_NATS_URL` (CI starts one),
/// else this machine's on loopback; `None` (and a visible skip) when none answers.
pub async fn nats_url() -> Option<String> {
    let url = std::env::var("BENEFITS_TEST_NATS_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "nats://127.0.0.1:4222".to_owned());
    let connected = tokio::time::timeout(Duration::from_secs(3), async_nats::connect(&url)).await;
    if matches!(connected, Ok(Ok(_))) {
        Some(url)
    } else {
        eprintln!("SKIPPED: no NATS server at {url} (set BENEFITS_TEST_NATS_URL)");
        None
    }
}

/// Starts a demo server at `clock` relaying to `nats` with its own stream and subjects.
pub async fn spawn_demo_relaying(clock: &str, nats: &str, stream: &str, prefix: &str) -> TestApp {
    let app = spawn_configured(clock, None, false, None, false, |settings| Settings {
        nats_url: Some(nats.to_owned()),
        nats_stream: Some(stream.to_owned()),
        nats_subject_prefix: Some(prefix.to_owned()),
        ..settings
    })
    .await;
    let (_, rejections) = app
        .import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    assert!(rejections.is_empty(), "{rejections:?}");
    app
}
