//! What `/metrics` reads when it is asked rather than counting as it goes: the cache's
//! counts per tier, how customer views were served, Redis errors, the database pools, and each scheduled job's latest
//! finished run (jobs run as their own processes, so the ledger is where they report).

use std::sync::{Arc, Mutex, PoisonError};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric as _};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;

use benefits_infra::db::events::{self, Backlog};
use benefits_infra::db::{self, FinishedRun, PoolUsage, SeaJobLedger};

use crate::app::App;

/// The readings of one scrape.
#[derive(Debug, Clone, Default)]
pub struct Scrape {
    /// Reads through the cache.
    pub cache_lookups: u64,
    /// Reads the in-process tier missed and Redis answered.
    pub cache_shared_hits: u64,
    /// Reads that went to the database.
    pub cache_loads: u64,
    /// Customer views served from their cache, and read from the database.
    pub customer_views: (u64, u64),
    /// Redis commands that failed.
    pub redis_errors: u64,
    /// The pools by role (`primary`, `replica`).
    pub pools: Vec<(&'static str, PoolUsage)>,
    /// Each job's latest finished run.
    pub jobs: Vec<FinishedRun>,
    /// Events waiting for the relay, per type.
    pub events: Vec<Backlog>,
    /// When this scrape was read.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Scrape {
    /// Reads everything now. A ledger the database cannot answer leaves the jobs out
    /// (the pool figures and `/readyz` tell why).
    pub async fn read(app: &App) -> Self {
        let stats = app.cache.stats();
        let load =
            |count: &std::sync::atomic::AtomicU64| count.load(std::sync::atomic::Ordering::Relaxed);
        let mut pools = vec![("primary", db::pool_usage(&app.db))];
        if let Some(replica) = &app.read_replica {
            pools.push(("replica", db::pool_usage(replica)));
        }
        let jobs = SeaJobLedger::new(app.db.clone())
            .latest_finished()
            .await
            .unwrap_or_default();
        let events = events::backlog(&app.db).await.unwrap_or_default();
        Self {
            cache_lookups: load(&stats.lookups),
            cache_shared_hits: load(&stats.shared_hits),
            cache_loads: load(&stats.loads),
            customer_views: app.view_cache.served(),
            redis_errors: app.cache.redis_errors(),
            pools,
            jobs,
            events,
            at: chrono::Utc::now(),
        }
    }
}

/// The latest readings, encoded by the registry as a collector.
#[derive(Debug, Clone, Default)]
pub(super) struct Readings(Arc<Mutex<Scrape>>);

impl Readings {
    pub(super) fn replace(&self, scrape: Scrape) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = scrape;
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TierLabel {
    tier: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServedLabel {
    served: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    destination: &'static str,
    r#type: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabel {
    job: String,
}

/// The scheduled job that checks the audit chain; its outcome starts with `intact`.
const AUDIT_VERIFY: &str = "audit-verify";

fn counter(
    encoder: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    value: u64,
) -> Result<(), std::fmt::Error> {
    ConstCounter::new(value).encode(encoder.encode_descriptor(
        name,
        help,
        None,
        MetricType::Counter,
    )?)
}

impl Collector for Readings {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let scrape = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let in_process_hits = scrape
            .cache_lookups
            .saturating_sub(scrape.cache_shared_hits + scrape.cache_loads);
        {
            let mut hits = encoder.encode_descriptor(
                "cache_hits",
                "Cache reads answered, by tier",
                None,
                MetricType::Counter,
            )?;
            for (tier, value) in [
                ("in-process", in_process_hits),
                ("redis", scrape.cache_shared_hits),
            ] {
                ConstCounter::new(value).encode(hits.encode_family(&TierLabel { tier })?)?;
            }
        }
        {
            let mut views = encoder.encode_descriptor(
                "customer_views",
                "Customer views served (me, the agent's customer page), from the cache or read from the database",
                None,
                MetricType::Counter,
            )?;
            let (from_cache, from_database) = scrape.customer_views;
            for (served, value) in [("cache", from_cache), ("database", from_database)] {
                ConstCounter::new(value).encode(views.encode_family(&ServedLabel { served })?)?;
            }
        }
        counter(
            &mut encoder,
            "cache_loads",
            "Cache reads that missed every tier and went to the database",
            scrape.cache_loads,
        )?;
        counter(
            &mut encoder,
            "redis_errors",
            "Redis commands that failed (unreachable, timed out, refused)",
            scrape.redis_errors,
        )?;
        {
            let mut pools = encoder.encode_descriptor(
                "db_pool_connections",
                "Database pool connections by pool and state (in_use, idle, max)",
                None,
                MetricType::Gauge,
            )?;
            for (pool, usage) in &scrape.pools {
                for (state, value) in [
                    ("in_use", usage.open.saturating_sub(usage.idle)),
                    ("idle", usage.idle),
                    ("max", usage.max),
                ] {
                    ConstGauge::new(i64::from(value))
                        .encode(pools.encode_family(&PoolLabels { pool, state })?)?;
                }
            }
        }
        {
            let mut finished = encoder.encode_descriptor(
                "job_last_finished_timestamp_seconds",
                "When each scheduled job last finished a run (Unix time)",
                None,
                MetricType::Gauge,
            )?;
            for run in &scrape.jobs {
                ConstGauge::new(run.finished_at.timestamp()).encode(finished.encode_family(
                    &JobLabel {
                        job: run.job.clone(),
                    },
                )?)?;
            }
        }
        {
            let mut took = encoder.encode_descriptor(
                "job_last_duration_seconds",
                "How long each scheduled job's latest finished run took",
                None,
                MetricType::Gauge,
            )?;
            for run in &scrape.jobs {
                let seconds = (run.finished_at - run.started_at).num_milliseconds() as f64 / 1e3;
                ConstGauge::new(seconds).encode(took.encode_family(&JobLabel {
                    job: run.job.clone(),
                })?)?;
            }
        }
        for (name, help) in [
            ("events_waiting", "Events waiting for the relay, by type"),
            (
                "events_parked",
                "Events parked after repeated failures, by type",
            ),
            (
                "events_oldest_waiting_seconds",
                "Age of the oldest event waiting for the relay, by type",
            ),
        ] {
            let mut family = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
            for backlog in &scrape.events {
                let labels = EventLabels {
                    destination: "nats",
                    r#type: backlog.event_type.clone(),
                };
                let value = match name {
                    "events_waiting" => backlog.waiting as f64,
                    "events_parked" => backlog.parked as f64,
                    _ => backlog.oldest_waiting.map_or(0.0, |oldest| {
                        (scrape.at - oldest).num_milliseconds().max(0) as f64 / 1e3
                    }),
                };
                ConstGauge::new(value).encode(family.encode_family(&labels)?)?;
            }
        }
        if let Some(check) = scrape.jobs.iter().find(|run| run.job == AUDIT_VERIFY) {
            let intact = i64::from(check.outcome.starts_with("intact"));
            ConstGauge::new(intact).encode(encoder.encode_descriptor(
                "audit_chain_intact",
                "1 when the latest audit-verify run found the chain intact, 0 when broken or truncated",
                None,
                MetricType::Gauge,
            )?)?;
        }
        Ok(())
    }
}
