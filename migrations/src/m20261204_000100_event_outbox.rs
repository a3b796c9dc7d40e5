//! One transactional outbox for every event of the contract ("Events"): the change and
//! its event are written in the same transaction, a relay publishes them in `seq` order
//! (so the events of one line keep the order of their changes). The provisioning and SMS
//! outboxes fold into it: their waiting rows move here as contract events, then the two
//! tables go.
//!
//! A row keeps the line's and customer's internal ids; the relay puts their externalIds
//! (which never change) into the envelope when it publishes, so a month's grant to a
//! million lines writes no lookups.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_pk_auto, integer, string_len, string_len_null, string_len_uniq, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EventOutbox {
    Table,
    Seq,
    Id,
    EventType,
    LineId,
    CustomerId,
    Data,
    CreatedAt,
    SentAt,
    Attempts,
    LastError,
    NextAttemptAt,
    ParkedAt,
    ClaimedBy,
    ClaimedUntil,
}

/// A JSON object from `(key, SQL expression)` pairs, as text, in the backend's dialect.
fn json_object(backend: DatabaseBackend, pairs: &[(&str, &str)]) -> String {
    let args = pairs
        .iter()
        .map(|(key, value)| format!("'{key}', {value}"))
        .collect::<Vec<_>>()
        .join(", ");
    match backend {
        DatabaseBackend::Postgres => format!("json_build_object({args})::text"),
        _ => format!("json_object({args})"),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventOutbox::Table)
                    .col(big_pk_auto(EventOutbox::Seq))
                    .col(string_len_uniq(EventOutbox::Id, 36))
                    .col(string_len(EventOutbox::EventType, 64))
                    .col(string_len_null(EventOutbox::LineId, 36))
                    .col(string_len_null(EventOutbox::CustomerId, 36))
                    .col(text(EventOutbox::Data))
                    .col(timestamp_with_time_zone(EventOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(EventOutbox::SentAt))
                    .col(integer(EventOutbox::Attempts).default(0))
                    .col(text_null(EventOutbox::LastError))
                    .col(timestamp_with_time_zone_null(EventOutbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(EventOutbox::ParkedAt))
                    .col(string_len_null(EventOutbox::ClaimedBy, 64))
                    .col(timestamp_with_time_zone_null(EventOutbox::ClaimedUntil))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        // The relay's scan: waiting events in order. Both backends take partial indexes.
        db.execute_unprepared(
            "CREATE INDEX idx_event_outbox_waiting ON event_outbox (seq) WHERE sent_at IS NULL",
        )
        .await?;
        // The relay's order check: a line's earlier waiting events.
        db.execute_unprepared(
            "CREATE INDEX idx_event_outbox_line_waiting ON event_outbox (line_id, seq) \
             WHERE sent_at IS NULL",
        )
        .await?;
        let uuid = match backend {
            DatabaseBackend::Postgres => "gen_random_uuid()::text",
            _ => {
                "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || \
                 substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || \
                 '-' || hex(randomblob(6)))"
            }
        };
        let grant = json_object(
            backend,
            &[("month", "g.month"), ("gigabytes", "g.gigabytes")],
        );
        let bonus = json_object(
            backend,
            &[("passName", "b.pass_name"), ("bonusMb", "b.bonus_mb")],
        );
        let extension = json_object(
            backend,
            &[
                ("offerCode", "x.offer_code"),
                ("originalEnd", "x.original_end"),
                ("extendedUntil", "x.extended_until"),
            ],
        );
        let sms = json_object(
            backend,
            &[
                ("kind", "n.kind"),
                ("language", "COALESCE(n.language, 'ko')"),
                ("text", "COALESCE(n.sms_text, s.body)"),
            ],
        );
        let columns = "id, event_type, line_id, customer_id, data, created_at, attempts";
        for statement in [
            format!(
                "INSERT INTO event_outbox ({columns}) SELECT p.id, 'data.grant.requested', \
                 p.line_id, NULL, {grant}, p.created_at, 0 FROM provisioning_outbox p \
                 JOIN data_grants g ON g.line_id = p.line_id \
                 AND g.month = substr(p.detail, 1, 7) \
                 WHERE p.sent_at IS NULL AND p.kind = 'DATA_GRANT' ORDER BY p.created_at, p.id"
            ),
            format!(
                "INSERT INTO event_outbox ({columns}) SELECT {uuid}, 'roaming.bonus.requested', \
                 b.line_id, NULL, {bonus}, p.created_at, 0 FROM provisioning_outbox p \
                 JOIN roaming_bonuses b ON b.line_id = p.line_id \
                 AND b.recorded_at = p.created_at \
                 WHERE p.sent_at IS NULL AND p.kind = 'ROAMING_BONUS' ORDER BY p.created_at"
            ),
            format!(
                "INSERT INTO event_outbox ({columns}) SELECT p.id, \
                 'roaming.extension.requested', p.line_id, NULL, {extension}, p.created_at, 0 \
                 FROM provisioning_outbox p JOIN roaming_extensions x \
                 ON x.line_id = p.line_id AND x.recorded_at = p.created_at \
                 WHERE p.sent_at IS NULL AND p.kind = 'ROAMING_EXTENSION' \
                 ORDER BY p.created_at, p.id"
            ),
            format!(
                "INSERT INTO event_outbox ({columns}) SELECT s.id, 'sms.requested', n.line_id, \
                 s.customer_id, {sms}, s.created_at, 0 FROM sms_outbox s \
                 JOIN notifications n ON n.id = s.notification_id \
                 WHERE s.delivered_at IS NULL ORDER BY s.created_at, s.id"
            ),
            "DROP TABLE provisioning_outbox".to_owned(),
            "DROP TABLE sms_outbox".to_owned(),
        ] {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
