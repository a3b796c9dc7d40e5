//! The relay: publishes the outbox's waiting events to NATS JetStream as the contract's
//! "Events" specifies, and marks each sent only after JetStream acknowledged it.
//!
//! A relay claims a batch (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so replicas take
//! different rows; a claim is a lease that expires, so a crashed relay's batch is taken
//! again), publishes every event with `Nats-Msg-Id` set to its id (the stream's duplicate
//! window drops a second copy from a relay that died between publish and mark), waits for
//! the acks, marks the acknowledged ones sent, and gives the others back with a growing
//! delay; after `MAX_ATTEMPTS` failures an event is parked (visible, and retried only on
//! request).

use std::time::Duration;

use async_nats::jetstream::{self, message::PublishMessage, stream};
use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait as _, DatabaseBackend, DatabaseConnection, EntityTrait as _,
    FromQueryResult as _, Statement,
};

use crate::db::entities::event_outbox;
use crate::db::events;

/// Failures before an event is parked.
pub const MAX_ATTEMPTS: i32 = 12;
/// Events per claim.
const BATCH: i64 = 500;
/// How long a claim holds: longer than a batch takes with the broker up.
const LEASE: Duration = Duration::from_mins(1);
/// The stream's duplicate window: longer than a lease, so an event published by a relay
/// that died before marking it is dropped when the next claim publishes it again.
pub const DUPLICATE_WINDOW: Duration = Duration::from_mins(10);
/// The pause when nothing waits.
const IDLE: Duration = Duration::from_millis(200);

/// How often the audit chain's head is published when it moved.
const AUDIT_HEAD_EVERY: Duration = Duration::from_mins(1);

/// Ends the task when the relay ends.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Where and how to relay.
#[derive(Clone, Debug)]
pub struct RelayConfig {
    pub url: String,
    /// The stream's name (`BENEFITS_NATS_STREAM`).
    pub stream: String,
    /// Subjects are `<prefix>.<type>` (`BENEFITS_NATS_SUBJECT_PREFIX`, default
    /// `benefits.events`); the stream takes `<prefix>.>`.
    pub subject_prefix: String,
}

/// Relays until the task is dropped; connects again (and keeps events waiting) while the
/// broker is down.
pub async fn run(db: DatabaseConnection, config: RelayConfig) {
    let relay_id = uuid::Uuid::new_v4().to_string();
    let client = loop {
        match async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connect(&config.url)
            .await
        {
            Ok(client) => break client,
            Err(error) => {
                tracing::warn!(%error, "NATS unreachable; events wait");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let context = jetstream::new(client);
    // The audit chain's head, published every minute when it moved.
    let heads = db.clone();
    let _audit_head = AbortOnDrop(tokio::spawn(async move {
        let mut every = tokio::time::interval(AUDIT_HEAD_EVERY);
        loop {
            every.tick().await;
            if let Err(error) = events::write_audit_head_if_moved(&heads, Utc::now()).await {
                tracing::warn!(%error, "the audit head was not written");
            }
        }
    }));
    let mut stream_ready = false;
    let mut pause = IDLE;
    loop {
        if !stream_ready {
            match ensure_stream(&context, &config).await {
                Ok(()) => stream_ready = true,
                Err(error) => {
                    tracing::warn!(%error, "the event stream is not ready; events wait");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        match relay_batch(&db, &context, &config, &relay_id).await {
            Ok(0) => {
                tokio::time::sleep(pause).await;
                pause = IDLE;
            }
            Ok(_) => pause = IDLE,
            Err(error) => {
                tracing::warn!(%error, "relaying failed; retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(10));
            }
        }
    }
}

async fn ensure_stream(context: &jetstream::Context, config: &RelayConfig) -> Result<(), String> {
    context
        .get_or_create_stream(stream::Config {
            name: config.stream.clone(),
            subjects: vec![format!("{}.>", config.subject_prefix)],
            duplicate_window: DUPLICATE_WINDOW,
            ..Default::default()
        })
        .await
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Claims waiting events for `relay_id`, oldest first. An event whose line has an earlier
/// one held by another claim or waiting for its retry is not taken: a line's events are
/// published in the order of their changes. (Parked events hold nothing up.)
async fn claim(
    db: &DatabaseConnection,
    relay_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<event_outbox::Model>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let until = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE event_outbox SET claimed_by = $1, claimed_until = $2 WHERE seq IN (\
             SELECT seq FROM event_outbox o WHERE sent_at IS NULL AND parked_at IS NULL \
             AND (claimed_until IS NULL OR claimed_until < $3) \
             AND (next_attempt_at IS NULL OR next_attempt_at <= $3) \
             AND NOT EXISTS (SELECT 1 FROM event_outbox b WHERE b.line_id = o.line_id \
             AND b.seq < o.seq AND b.sent_at IS NULL AND b.parked_at IS NULL \
             AND (b.claimed_until >= $3 OR b.next_attempt_at > $3)) \
             ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING *"
        }
        _ => {
            "UPDATE event_outbox SET claimed_by = ?1, claimed_until = ?2 WHERE seq IN (\
             SELECT seq FROM event_outbox o WHERE sent_at IS NULL AND parked_at IS NULL \
             AND (claimed_until IS NULL OR claimed_until < ?3) \
             AND (next_attempt_at IS NULL OR next_attempt_at <= ?3) \
             AND NOT EXISTS (SELECT 1 FROM event_outbox b WHERE b.line_id = o.line_id \
             AND b.seq < o.seq AND b.sent_at IS NULL AND b.parked_at IS NULL \
             AND (b.claimed_until >= ?3 OR b.next_attempt_at > ?3)) \
             ORDER BY seq LIMIT ?4) RETURNING *"
        }
    };
    let values: Vec<sea_orm::Value> = vec![relay_id.into(), until.into(), now.into(), BATCH.into()];
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut claimed = rows
        .iter()
        .map(|row| event_outbox::Model::from_query_result(row, ""))
        .collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|row| row.seq);
    Ok(claimed)
}

/// One batch: claim, publish, await the acks, mark. Returns how many were claimed.
pub async fn relay_batch(
    db: &DatabaseConnection,
    context: &jetstream::Context,
    config: &RelayConfig,
    relay_id: &str,
) -> Result<usize, String> {
    let now = Utc::now();
    let claimed = claim(db, relay_id, now)
        .await
        .map_err(|error| error.to_string())?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let count = claimed.len();
    let envelopes = events::envelopes(db, claimed)
        .await
        .map_err(|error| error.to_string())?;
    // Published in order, acknowledged in any order: JetStream keeps a subject's order.
    let mut pending = Vec::with_capacity(envelopes.len());
    for (row, envelope) in envelopes {
        let subject = format!("{}.{}", config.subject_prefix, row.event_type);
        let message = PublishMessage::build()
            .message_id(row.id.clone())
            .payload(envelope.to_string().into_bytes().into());
        let sent = context.send_publish(subject, message).await;
        pending.push((row, sent));
    }
    let mut sent = Vec::new();
    let mut failed = Vec::new();
    for (row, publish) in pending {
        let outcome = match publish {
            Ok(ack) => ack.await.map(|_| ()).map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match outcome {
            Ok(()) => sent.push(row.seq),
            Err(error) => failed.push((row, error)),
        }
    }
    mark_sent(db, &sent)
        .await
        .map_err(|error| error.to_string())?;
    for (row, error) in &failed {
        give_back(db, row, error)
            .await
            .map_err(|error| error.to_string())?;
    }
    if !failed.is_empty() {
        return Err(format!("{} events not acknowledged", failed.len()));
    }
    Ok(count)
}

async fn mark_sent(db: &DatabaseConnection, seqs: &[i64]) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    let now = Utc::now();
    for chunk in seqs.chunks(1_000) {
        event_outbox::Entity::update_many()
            .col_expr(event_outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                event_outbox::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(event_outbox::Column::Seq.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The delay before attempt `attempts + 1`: 1 s doubling, at most 10 minutes.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 10)).unwrap_or(10);
    Duration::from_secs(2_u64.pow(exponent)).min(Duration::from_mins(10))
}

async fn give_back(
    db: &DatabaseConnection,
    row: &event_outbox::Model,
    error: &str,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    let attempts = row.attempts + 1;
    let now = Utc::now();
    let next = now + chrono::Duration::from_std(backoff(attempts)).unwrap_or_default();
    let parked = (attempts >= MAX_ATTEMPTS).then_some(now);
    let error: String = error.chars().take(500).collect();
    event_outbox::Entity::update_many()
        .col_expr(event_outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(event_outbox::Column::LastError, Expr::value(error))
        .col_expr(event_outbox::Column::NextAttemptAt, Expr::value(next))
        .col_expr(event_outbox::Column::ParkedAt, Expr::value(parked))
        .col_expr(
            event_outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(event_outbox::Column::Seq.eq(row.seq))
        .exec(db)
        .await?;
    Ok(())
}
