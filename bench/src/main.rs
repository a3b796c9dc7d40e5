//! `benefits-bench`: the benchmark runner behind `bench/run`. In one run it starts the
//! release `benefits` binary on PostgreSQL and Redis on loopback, measures the
//! `{ __typename }` floor and every scenario of docs/performance.md with the same load
//! generator, and prints the table: throughput in a closed loop, latency percentiles
//! at half that rate (coordinated-omission corrected), errors and peak memory; then
//! the import and the monthly data grant over a million lines.

mod bare;
mod fixture;
mod load;
mod report;
mod scenarios;
mod server;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use clap::Parser;
use rand::RngCore as _;

use benefits_infra::clock::FixedClock;
use benefits_infra::crypto::Secret;
use benefits_infra::tokens::{SigningKey, TokenAudience, TokenService};

use crate::fixture::{Callers, CustomerCursor};
use crate::load::Source;
use crate::report::{JobRow, Row};
use crate::server::{Environment, MemorySampler, Server};

/// The service's clock during the run: a weekday lunch hour inside the discount period.
const CLOCK: &str = "2026-03-10T12:00:00+09:00";
/// Verified codes, cycled: all of them stay cached.
const VERIFY_CODES: usize = 1_000;
/// Customer tokens of the `me` scenario, for random customers.
const ME_TOKENS: usize = 20_000;
/// The longest a warm-up may take.
const WARM_UP_LIMIT: Duration = Duration::from_mins(2);
/// The longest the first refund overview after a large import may take to answer.
const FIRST_OVERVIEW_LIMIT: Duration = Duration::from_mins(10);
/// Lines per generated customer, on average (bench/gen_customers.py).
const LINES_PER_CUSTOMER: f64 = 1.45;

#[derive(Parser)]
#[command(about = "Measures the floors and the scenarios of docs/performance.md in one run")]
struct Options {
    /// A PostgreSQL server's URL; the bench creates (and drops) its own databases. Plain
    /// TCP on loopback by default, so figures compare across runs (TLS is measured by
    /// passing `?sslmode=require`).
    #[arg(
        long,
        default_value = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
    )]
    postgres: String,
    /// The Redis server of the shared tier (keys under a prefix of the run's own).
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    redis: String,
    /// The release binary under test.
    #[arg(long, default_value = "target/release/benefits")]
    binary: PathBuf,
    /// Seconds of each closed loop and of each run at half load.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Connections of the closed loops.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Customers imported for the request scenarios.
    #[arg(long, default_value_t = 100_000)]
    customers: usize,
    /// Lines of the monthly data grant (0 skips it and its import).
    #[arg(long, default_value_t = 1_000_000)]
    grant_lines: u64,
    /// Worker threads of the load generator (the server and Redis share what is left).
    #[arg(long, default_value_t = 1)]
    generator_threads: usize,
    /// Codes for the redemption closed loop (it stops early when they run out).
    #[arg(long, default_value_t = 15_000)]
    redeem_codes: usize,
    /// Customers of a second PostgreSQL database the verify, `me` and redeem scenarios
    /// run against again, to show their cost does not grow with the data (0 skips).
    #[arg(long, default_value_t = 0)]
    scale_customers: usize,
    /// Customers of the embedded default (SQLite, in-process cache) the request
    /// scenarios run against (0 skips).
    #[arg(long, default_value_t = 20_000)]
    sqlite_customers: usize,
    /// Runs only this scenario (with the setup it needs); every scenario by default.
    #[arg(long, value_enum)]
    only: Option<Scenario>,
    /// Serves the bare axum + async-graphql reference on this address instead (the
    /// bench starts itself this way).
    #[arg(long, hide = true)]
    serve_bare: Option<String>,
}

/// The scenarios `--only` picks from.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Scenario {
    /// `{ __typename }`, and the bare axum + async-graphql reference.
    Floor,
    /// verifyDiscount with both cache tiers.
    Verify,
    /// `me`: each customer's first request after a cold cache.
    MeFirst,
    /// `me`: random customers, warm.
    Me,
    /// redeemDiscount on PostgreSQL.
    Redeem,
    /// verifyDiscount with the Redis tier only.
    VerifyRedis,
    /// verifyDiscount with no cache.
    VerifyUncached,
    /// verify, `me` and redeem again at `--scale-customers`.
    Scale,
    /// The request scenarios on the embedded default (SQLite).
    Sqlite,
    /// The refund overview and the dashboard over `--grant-lines` lines.
    Reports,
    /// The monthly data grant over `--grant-lines` lines.
    Grant,
}

impl Options {
    fn wants(&self, scenario: Scenario) -> bool {
        self.only.is_none_or(|only| only == scenario)
    }
}

/// Connections of the report scenarios: a report is an admin's, a few at a time.
const REPORT_CONNECTIONS: usize = 4;

fn random_key() -> String {
    let mut key = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    STANDARD.encode(key)
}

/// Runs `sql` on the PostgreSQL server of `base_url` with psql.
fn psql(base_url: &str, sql: &str) -> anyhow::Result<()> {
    let status = std::process::Command::new("psql")
        .args([base_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .status()
        .context("psql is installed")?;
    if !status.success() {
        bail!("psql failed on {sql}");
    }
    Ok(())
}

/// A fresh database on the server of `base_url`; its URL.
fn create_database(base_url: &str, name: &str) -> anyhow::Result<String> {
    psql(base_url, &format!("DROP DATABASE IF EXISTS {name}"))?;
    psql(base_url, &format!("CREATE DATABASE {name}"))?;
    let (address, options) = base_url.split_once('?').unwrap_or((base_url, ""));
    let (server, _) = address
        .rsplit_once('/')
        .context("the URL names a database")?;
    Ok(if options.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{options}")
    })
}

/// Writes `customers` generated customers to `file`.
fn generate_customers(customers: u64, file: &std::path::Path) -> anyhow::Result<()> {
    let output = std::fs::File::create(file)?;
    let status = std::process::Command::new("python3")
        .arg("bench/gen_customers.py")
        .arg(customers.to_string())
        .stdout(output)
        .status()?;
    if !status.success() {
        bail!("bench/gen_customers.py failed");
    }
    Ok(())
}

/// Migrates the database of `environment` and imports `customers` generated customers;
/// the import's figures.
fn import(
    environment: &Environment,
    customers: u64,
    dir: &std::path::Path,
) -> anyhow::Result<JobRow> {
    let file = dir.join(format!("customers-{customers}.jsonl"));
    generate_customers(customers, &file)?;
    environment.run(&["migrate"], &[])?;
    eprintln!("importing {customers} customers");
    let (_, seconds, peak) =
        environment.run(&["import", file.to_str().context("a UTF-8 path")?], &[])?;
    Ok(JobRow {
        scenario: format!("import, PostgreSQL ({customers} customers)"),
        figure: format!(
            "{:.0} customers/s ({seconds:.1} s)",
            customers as f64 / seconds
        ),
        peak_rss_mib: peak,
    })
}

/// The load phases of one scenario against `server`.
struct Bench<'a> {
    options: &'a Options,
    client: reqwest::Client,
}

impl Bench<'_> {
    /// Waits until `server` has decided the fee-waiver reasons the import before it
    /// left outdated (its background pass, joined by one refund overview), so that
    /// pass does not share the machine with a measurement.
    async fn settle(&self, server: &Server, callers: &Callers) -> anyhow::Result<()> {
        eprintln!("waiting for the import's fee-waiver reasons to be decided");
        let overview = scenarios::refund_overview(callers);
        let url = format!("{}/graphql", server.url);
        load::until_answered(&self.client, &url, &overview, FIRST_OVERVIEW_LIMIT)
            .await
            .map(drop)
            .context("the refund overview did not answer")
    }

    fn duration(&self) -> Duration {
        Duration::from_secs(self.options.seconds)
    }

    /// A closed loop (after a short warm-up), then the same requests at half its rate.
    async fn measure(&self, server: &Server, scenario: &str, source: &Source) -> Row {
        self.measure_with(server, scenario, source, self.options.connections)
            .await
    }

    /// [`Self::measure`] after `warm_up` ran dry: a warm cache, whatever the rate.
    async fn measure_warm(
        &self,
        server: &Server,
        scenario: &str,
        (warm_up, source): (Source, Source),
    ) -> Row {
        eprintln!("warming up {scenario}");
        load::closed_loop(
            &self.client,
            &format!("{}/graphql", server.url),
            self.options.connections,
            WARM_UP_LIMIT,
            &warm_up,
        )
        .await;
        self.measure(server, scenario, &source).await
    }

    /// [`Self::measure`] over `connections` connections.
    async fn measure_with(
        &self,
        server: &Server,
        scenario: &str,
        source: &Source,
        connections: usize,
    ) -> Row {
        eprintln!("measuring {scenario}");
        let url = format!("{}/graphql", server.url);
        let memory = MemorySampler::start(server.pid());
        load::closed_loop(
            &self.client,
            &url,
            connections,
            Duration::from_secs(2),
            source,
        )
        .await;
        let closed =
            load::closed_loop(&self.client, &url, connections, self.duration(), source).await;
        let half_load = load::fixed_rate(
            &self.client,
            &url,
            connections,
            closed.throughput() / 2.0,
            self.duration(),
            source,
        )
        .await;
        Row {
            scenario: scenario.to_owned(),
            closed,
            half_load,
            peak_rss_mib: memory.stop(),
        }
    }
}

fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    if let Some(address) = &options.serve_bare {
        return tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(bare::serve(address));
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.generator_threads)
        .enable_all()
        .build()?
        .block_on(run(options))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let clock = chrono::DateTime::parse_from_rfc3339(CLOCK)?.to_utc();
    let seed = random_key();
    let callers = Callers {
        tokens: TokenService::new(
            TokenAudience {
                issuer: "benefits".to_owned(),
                audience: "benefits-api".to_owned(),
            },
            &[],
            Some(SigningKey::from_seed_base64(
                "bench",
                &Secret::new(seed.clone()),
            )?),
            Arc::new(FixedClock(clock)),
        )?,
    };
    let run_id = std::process::id();
    let dir = tempfile_dir(run_id)?;
    let database = create_database(&options.postgres, &format!("bench_{run_id}"))?;
    let environment = Environment {
        binary: options.binary.clone(),
        variables: vec![
            ("BENEFITS_DATABASE_URL".into(), database),
            ("BENEFITS_CLOCK".into(), CLOCK.into()),
            ("BENEFITS_DATA_KEYS".into(), format!("1:{}", random_key())),
            ("BENEFITS_LOOKUP_KEY".into(), random_key()),
            ("BENEFITS_SIGNING_KEY".into(), seed),
            ("BENEFITS_SIGNING_KEY_ID".into(), "bench".into()),
            ("BENEFITS_LOG_FORMAT".into(), "json".into()),
        ],
    };
    let bench = Bench {
        options: &options,
        client: load::client(options.connections),
    };
    let prefix = |tier: &str| format!("bench:{run_id}:{tier}:");
    let mut jobs = Vec::new();
    let mut rows = Vec::new();
    let mut floor_throughput = 0.0;
    use Scenario::{
        Floor, Me, MeFirst, Redeem, Scale, Sqlite, Verify, VerifyRedis, VerifyUncached,
    };
    if [
        Floor,
        Verify,
        MeFirst,
        Me,
        Redeem,
        VerifyRedis,
        VerifyUncached,
    ]
    .into_iter()
    .any(|scenario| options.wants(scenario))
    {
        jobs.push(import(&environment, options.customers as u64, &dir)?);
        floor_throughput =
            main_scenarios(&bench, &environment, &callers, &prefix, &mut rows).await?;
    }

    if options.scale_customers > 0 && options.wants(Scale) {
        let name = format!("bench_scale_{run_id}");
        let url = create_database(&options.postgres, &name)?;
        let environment = environment.with("BENEFITS_DATABASE_URL", &url);
        jobs.push(import(&environment, options.scale_customers as u64, &dir)?);
        let label = format!("PostgreSQL + Redis, {} customers", options.scale_customers);
        let server = Server::start(
            &environment,
            &[
                ("BENEFITS_REDIS_URL", &options.redis),
                ("BENEFITS_REDIS_PREFIX", &prefix("scale")),
            ],
        )
        .await?;
        bench.settle(&server, &callers).await?;
        rows.extend(
            request_scenarios(
                &bench,
                &server,
                &callers,
                options.scale_customers,
                &label,
                false,
            )
            .await?,
        );
        drop(server);
        psql(
            &options.postgres,
            &format!("DROP DATABASE IF EXISTS {name}"),
        )?;
    }
    if options.sqlite_customers > 0 && options.wants(Sqlite) {
        let url = format!("sqlite://{}", dir.join("embedded.db").display());
        let environment = environment.with("BENEFITS_DATABASE_URL", &url);
        jobs.push(import(&environment, options.sqlite_customers as u64, &dir)?);
        let label = format!(
            "SQLite, in-process cache, {} customers",
            options.sqlite_customers
        );
        let server = Server::start(&environment, &[]).await?;
        bench.settle(&server, &callers).await?;
        rows.extend(
            request_scenarios(
                &bench,
                &server,
                &callers,
                options.sqlite_customers,
                &label,
                true,
            )
            .await?,
        );
    }
    if options.grant_lines > 0
        && (options.wants(Scenario::Grant) || options.wants(Scenario::Reports))
    {
        let (report_rows, grant_jobs) =
            million_lines(&bench, &environment, &callers, &prefix("reports"), &dir).await?;
        rows.extend(report_rows);
        jobs.extend(grant_jobs);
    }
    println!("{}", report::table(floor_throughput, &rows, &jobs));
    psql(
        &options.postgres,
        &format!("DROP DATABASE IF EXISTS bench_{run_id}"),
    )?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// The floor (`with_floor`), verifyDiscount, `me` (first and warm) and redeemDiscount against `server` (with its own partners and
/// codes), each row labelled with `label`.
async fn request_scenarios(
    bench: &Bench<'_>,
    server: &Server,
    callers: &Callers,
    customers: usize,
    label: &str,
    with_floor: bool,
) -> anyhow::Result<Vec<Row>> {
    let tills = Arc::new(fixture::partners(&bench.client, &server.url, callers).await?);
    let mut rows = Vec::new();
    if with_floor {
        let floor = format!("`{{ __typename }}` ({label})");
        rows.push(
            bench
                .measure(server, &floor, &scenarios::typename(&tills))
                .await,
        );
    }
    let cursor = CustomerCursor::new(customers);
    let codes =
        Arc::new(fixture::codes(&bench.client, &server.url, callers, &cursor, VERIFY_CODES).await?);
    let verify = bench
        .measure(
            server,
            &format!("verifyDiscount ({label})"),
            &scenarios::verify(&tills, &codes),
        )
        .await;
    let me_first = bench
        .measure(
            server,
            &format!("me, a customer's first request ({label})"),
            &scenarios::me_first(callers, customers),
        )
        .await;
    let me = bench
        .measure_warm(
            server,
            &format!("me with lines, fee waiver and benefits, warm ({label})"),
            scenarios::me(callers, customers, ME_TOKENS),
        )
        .await;
    let mut redeem = redemptions(bench, server, callers, &cursor, &tills).await?;
    redeem.scenario = format!("redeemDiscount ({label})");
    rows.extend([verify, me_first, me, redeem]);
    Ok(rows)
}

/// Redemptions: a closed loop over fresh codes, then fresh codes at half its rate.
async fn redemptions(
    bench: &Bench<'_>,
    server: &Server,
    callers: &Callers,
    cursor: &CustomerCursor,
    tills: &Arc<Vec<fixture::Till>>,
) -> anyhow::Result<Row> {
    eprintln!("measuring redeemDiscount");
    let url = format!("{}/graphql", server.url);
    let memory = MemorySampler::start(server.pid());
    let codes = fixture::codes(
        &bench.client,
        &server.url,
        callers,
        cursor,
        bench.options.redeem_codes,
    )
    .await?;
    let closed = load::closed_loop(
        &bench.client,
        &url,
        bench.options.connections,
        bench.duration(),
        &scenarios::redeem(tills, codes),
    )
    .await;
    let rate = closed.throughput() / 2.0;
    let wanted = (rate * bench.duration().as_secs_f64()).ceil() as usize + 1;
    let codes = fixture::codes(&bench.client, &server.url, callers, cursor, wanted).await?;
    let half_load = load::fixed_rate(
        &bench.client,
        &url,
        bench.options.connections,
        rate,
        bench.duration(),
        &scenarios::redeem(tills, codes),
    )
    .await;
    Ok(Row {
        scenario: "redeemDiscount, PostgreSQL".to_owned(),
        closed,
        half_load,
        peak_rss_mib: memory.stop(),
    })
}

/// The scenarios against the main database (`--customers`), in the order the table
/// shows them; the floor's throughput (0 when the floor was not measured).
async fn main_scenarios(
    bench: &Bench<'_>,
    environment: &Environment,
    callers: &Callers,
    prefix: &dyn Fn(&str) -> String,
    rows: &mut Vec<Row>,
) -> anyhow::Result<f64> {
    use Scenario::{Floor, Me, MeFirst, Redeem, Verify, VerifyRedis, VerifyUncached};
    let options = bench.options;
    let (shared_prefix, redis_only_prefix) = (prefix("shared"), prefix("redis-only"));
    let server = Server::start(
        environment,
        &[
            ("BENEFITS_REDIS_URL", &options.redis),
            ("BENEFITS_REDIS_PREFIX", &shared_prefix),
        ],
    )
    .await?;
    bench.settle(&server, callers).await?;
    eprintln!("adding partners and issuing codes");
    let tills = Arc::new(fixture::partners(&bench.client, &server.url, callers).await?);
    let cursor = CustomerCursor::new(options.customers);
    let verify_codes = if [Verify, VerifyRedis, VerifyUncached]
        .into_iter()
        .any(|scenario| options.wants(scenario))
    {
        fixture::codes(&bench.client, &server.url, callers, &cursor, VERIFY_CODES).await?
    } else {
        Vec::new()
    };
    let verify_codes = Arc::new(verify_codes);
    let mut floor_throughput = 0.0;
    if options.wants(Floor) {
        let bare = Server::start_bare().await?;
        let reference = bench
            .measure(
                &bare,
                "`{ __typename }`, bare axum + async-graphql (reference)",
                &scenarios::typename(&tills),
            )
            .await;
        drop(bare);
        let floor = bench
            .measure(
                &server,
                "`{ __typename }` (floor)",
                &scenarios::typename(&tills),
            )
            .await;
        eprintln!(
            "floor: {:.2} x the bare reference",
            floor.closed.throughput() / reference.closed.throughput()
        );
        rows.push(reference);
        floor_throughput = floor.closed.throughput();
        rows.push(floor);
    }
    if options.wants(Verify) {
        rows.push(
            bench
                .measure(
                    &server,
                    "verifyDiscount, in-process tier",
                    &scenarios::verify(&tills, &verify_codes),
                )
                .await,
        );
    }
    // Before the warm `me`: these customers have not been asked for yet.
    if options.wants(MeFirst) {
        rows.push(
            bench
                .measure(
                    &server,
                    "me, a customer's first request (cold cache)",
                    &scenarios::me_first(callers, options.customers),
                )
                .await,
        );
    }
    if options.wants(Me) {
        rows.push(
            bench
                .measure_warm(
                    &server,
                    "me with lines, fee waiver and benefits (warm)",
                    scenarios::me(callers, options.customers, ME_TOKENS),
                )
                .await,
        );
    }
    if options.wants(Redeem) {
        rows.push(redemptions(bench, &server, callers, &cursor, &tills).await?);
    }
    drop(server);

    if options.wants(VerifyRedis) {
        let redis_only = Server::start(
            environment,
            &[
                ("BENEFITS_REDIS_URL", &options.redis),
                ("BENEFITS_REDIS_PREFIX", &redis_only_prefix),
                ("BENEFITS_LOCAL_CACHE_CAPACITY", "0"),
            ],
        )
        .await?;
        rows.push(
            bench
                .measure(
                    &redis_only,
                    "verifyDiscount, Redis tier only",
                    &scenarios::verify(&tills, &verify_codes),
                )
                .await,
        );
    }
    if options.wants(VerifyUncached) {
        let uncached =
            Server::start(environment, &[("BENEFITS_LOCAL_CACHE_CAPACITY", "0")]).await?;
        rows.push(
            bench
                .measure(
                    &uncached,
                    "verifyDiscount, no cache (database)",
                    &scenarios::verify(&tills, &verify_codes),
                )
                .await,
        );
    }
    Ok(floor_throughput)
}

/// A database of its own with `--grant-lines` lines: the monthly data grant over them
/// (`grant`), then the refund overview and the dashboard over them (`reports`, after
/// the grant so the dashboard has a month of grants to count).
async fn million_lines(
    bench: &Bench<'_>,
    environment: &Environment,
    callers: &Callers,
    redis_prefix: &str,
    dir: &std::path::Path,
) -> anyhow::Result<(Vec<Row>, Vec<JobRow>)> {
    let options = bench.options;
    let name = format!("bench_grant_{}", std::process::id());
    let url = create_database(&options.postgres, &name)?;
    let environment = environment.with("BENEFITS_DATABASE_URL", &url);
    let customers = (options.grant_lines as f64 / LINES_PER_CUSTOMER).ceil() as u64;
    let mut jobs = vec![import(&environment, customers, dir)?];
    if options.wants(Scenario::Grant) {
        eprintln!("running the monthly data grant");
        let (output, seconds, peak) =
            environment.run(&["job", "monthly-data-grant", "--month", "2026-03"], &[])?;
        jobs.push(JobRow {
            scenario: "monthly data grant, PostgreSQL".to_owned(),
            figure: format!("{seconds:.1} s: {}", output.trim()),
            peak_rss_mib: peak,
        });
    }
    let mut rows = Vec::new();
    if options.wants(Scenario::Reports) {
        let server = Server::start(
            &environment,
            &[
                ("BENEFITS_REDIS_URL", &options.redis),
                ("BENEFITS_REDIS_PREFIX", redis_prefix),
            ],
        )
        .await?;
        let lines = options.grant_lines;
        let overview = scenarios::refund_overview(callers);
        eprintln!("waiting for the first refund overview (every line's reason decided)");
        let memory = MemorySampler::start(server.pid());
        let first = load::until_answered(
            &bench.client,
            &format!("{}/graphql", server.url),
            &overview,
            FIRST_OVERVIEW_LIMIT,
        )
        .await;
        jobs.push(JobRow {
            scenario: format!("first refundOverview after importing {lines} lines"),
            figure: first.map_or_else(
                || format!("no answer in {} s", FIRST_OVERVIEW_LIMIT.as_secs()),
                |took| format!("{:.1} s (every line's reason decided)", took.as_secs_f64()),
            ),
            peak_rss_mib: memory.stop(),
        });
        rows.push(
            bench
                .measure_with(
                    &server,
                    &format!("refundOverview over {lines} lines"),
                    &overview,
                    REPORT_CONNECTIONS,
                )
                .await,
        );
        rows.push(
            bench
                .measure_with(
                    &server,
                    &format!("dashboard over {lines} lines"),
                    &scenarios::dashboard(callers),
                    REPORT_CONNECTIONS,
                )
                .await,
        );
    }
    psql(
        &options.postgres,
        &format!("DROP DATABASE IF EXISTS {name}"),
    )?;
    Ok((rows, jobs))
}

/// A scratch directory for the generated files.
fn tempfile_dir(run_id: u32) -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("benefits-bench-{run_id}"));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
