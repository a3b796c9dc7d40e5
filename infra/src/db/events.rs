//! The transactional outbox: every event of the contract ("Events") is written here in
//! the same transaction as its change, and a relay publishes it later. A row holds the
//! event's type, the line and customer it is about (internal ids; the envelope names
//! their externalIds, resolved when the event is published) and the rest of its `data`.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait as _};
use serde_json::{Map, Value};

use benefits_domain::error::Unexpected;

use super::entities::event_outbox;
use super::unexpected;

/// Rows per insert statement (PostgreSQL allows 65,535 parameters; a row binds 13).
const ROWS_PER_STATEMENT: usize = 2_000;

/// The event types of the contract, plus the ones this service adds.
pub mod types {
    pub const DATA_GRANT_REQUESTED: &str = "data.grant.requested";
    pub const ROAMING_BONUS_REQUESTED: &str = "roaming.bonus.requested";
    /// Not in the contract's table: a roaming pass extended (provisioning acts on it).
    pub const ROAMING_EXTENSION_REQUESTED: &str = "roaming.extension.requested";
    pub const SMS_REQUESTED: &str = "sms.requested";
    pub const OTT_SELECTED: &str = "ott.selected";
    pub const INSURANCE_ENROLLED: &str = "insurance.enrolled";
    pub const DISCOUNT_REDEEMED: &str = "discount.redeemed";
    pub const DISCOUNT_CANCELLED: &str = "discount.cancelled";
    pub const REFUND_STATUS_CHANGED: &str = "refund.status.changed";
    /// The audit chain's head, published when it moved (issue #16).
    pub const AUDIT_HEAD: &str = "audit.head";
}

/// An event to write with its change.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub event_type: &'static str,
    /// The line the event is about: `data.lineExternalId` and the envelope's `subject`.
    pub line_id: Option<String>,
    /// The customer the event is about: `data.customerExternalId` where the type has it,
    /// and the `subject` where no line applies.
    pub customer_id: Option<String>,
    /// The other fields of `data`, as the contract names them.
    pub data: Map<String, Value>,
}

impl NewEvent {
    /// An event about a line.
    pub fn for_line(event_type: &'static str, line: &str, data: Value) -> Self {
        Self {
            event_type,
            line_id: Some(line.to_owned()),
            customer_id: None,
            data: into_map(data),
        }
    }

    /// An event about a customer (and maybe one of their lines).
    pub fn for_customer(
        event_type: &'static str,
        customer: &str,
        line: Option<&str>,
        data: Value,
    ) -> Self {
        Self {
            event_type,
            line_id: line.map(str::to_owned),
            customer_id: Some(customer.to_owned()),
            data: into_map(data),
        }
    }
}

fn into_map(data: Value) -> Map<String, Value> {
    match data {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Writes events in the caller's transaction (or connection), in the order given: their
/// `seq` is the order the relay publishes them in.
pub async fn write<C: ConnectionTrait>(
    db: &C,
    events: Vec<NewEvent>,
    at: DateTime<Utc>,
) -> Result<(), Unexpected> {
    let rows: Vec<_> = events
        .into_iter()
        .map(|event| event_outbox::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            event_type: Set(event.event_type.to_owned()),
            line_id: Set(event.line_id),
            customer_id: Set(event.customer_id),
            data: Set(Value::Object(event.data).to_string()),
            created_at: Set(at),
            sent_at: Set(None),
            attempts: Set(0),
            last_error: Set(None),
            next_attempt_at: Set(None),
            parked_at: Set(None),
            claimed_by: Set(None),
            claimed_until: Set(None),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        event_outbox::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .map_err(unexpected)?;
    }
    Ok(())
}

/// Writes a redemption's `discount.redeemed` or `discount.cancelled` in the caller's
/// transaction, its externalIds read from the redemption's store, partner and offer.
/// (PostgreSQL's `benefits_redeem` writes `discount.redeemed` itself, in the same call.)
pub async fn write_discount<C: ConnectionTrait>(
    db: &C,
    event_type: &'static str,
    redemption_id: &str,
    at: DateTime<Utc>,
) -> Result<(), Unexpected> {
    let backend = db.get_database_backend();
    let (object, marks) = match backend {
        sea_orm::DatabaseBackend::Postgres => ("json_build_object", ["$1", "$2", "$3", "$4"]),
        _ => ("json_object", ["?", "?", "?", "?"]),
    };
    let cast = if object == "json_build_object" {
        "::text"
    } else {
        ""
    };
    let [id, kind, created, redemption] = marks;
    let sql = format!(
        "INSERT INTO event_outbox (id, event_type, line_id, customer_id, data, created_at, \
         attempts) SELECT {id}, {kind}, r.line_id, NULL, {object}('redemptionId', r.id, \
         'partnerExternalId', p.external_id, 'storeExternalId', s.external_id, \
         'offerExternalId', o.external_id, 'purchaseAmount', r.purchase_amount, \
         'discountAmount', r.discount_amount){cast}, {created}, 0 FROM redemptions r \
         JOIN stores s ON s.id = r.store_id JOIN partners p ON p.id = s.partner_id \
         JOIN offers o ON o.id = r.offer_id WHERE r.id = {redemption}"
    );
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [
            uuid::Uuid::new_v4().to_string().into(),
            event_type.into(),
            at.into(),
            redemption_id.into(),
        ],
    ))
    .await
    .map_err(unexpected)?;
    Ok(())
}

/// Writes an application's `refund.status.changed` with its status, round and amount as
/// the caller's transaction now has them.
pub async fn write_refund<C: ConnectionTrait>(
    db: &C,
    application_id: &str,
    at: DateTime<Utc>,
) -> Result<(), Unexpected> {
    let backend = db.get_database_backend();
    let (object, cast, [id, created, application]) = match backend {
        sea_orm::DatabaseBackend::Postgres => ("json_build_object", "::text", ["$1", "$2", "$3"]),
        _ => ("json_object", "", ["?", "?", "?"]),
    };
    let sql = format!(
        "INSERT INTO event_outbox (id, event_type, line_id, customer_id, data, created_at, \
         attempts) SELECT {id}, '{kind}', r.line_id, r.customer_id, {object}('applicationId', \
         r.id, 'status', r.status, 'round', r.round_number, 'amount', r.amount){cast}, \
         {created}, 0 FROM refund_applications r WHERE r.id = {application}",
        kind = types::REFUND_STATUS_CHANGED,
    );
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [
            uuid::Uuid::new_v4().to_string().into(),
            at.into(),
            application_id.into(),
        ],
    ))
    .await
    .map_err(unexpected)?;
    Ok(())
}

/// The types whose `data` names the customer (`customerExternalId`).
const NAMES_CUSTOMER: [&str; 2] = [types::SMS_REQUESTED, types::INSURANCE_ENROLLED];

/// An event's CloudEvents 1.0 envelope as the contract specifies it, the line's and the
/// customer's externalIds put in.
pub fn envelope(
    row: &event_outbox::Model,
    line_external_id: Option<&str>,
    customer_external_id: Option<&str>,
) -> Value {
    let mut data: Map<String, Value> = serde_json::from_str(&row.data).unwrap_or_default();
    if NAMES_CUSTOMER.contains(&row.event_type.as_str()) {
        data.insert("customerExternalId".into(), customer_external_id.into());
        if row.event_type == types::SMS_REQUESTED {
            data.insert("lineExternalId".into(), line_external_id.into());
        }
    } else if row.line_id.is_some() {
        data.insert("lineExternalId".into(), line_external_id.into());
    }
    serde_json::json!({
        "specversion": "1.0",
        "id": row.id,
        "source": "benefits",
        "type": row.event_type,
        "time": row.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "subject": if row.event_type == types::AUDIT_HEAD {
            Some("audit-chain")
        } else {
            line_external_id.or(customer_external_id)
        },
        "datacontenttype": "application/json",
        "data": data,
    })
}

/// Waiting events in the order of their changes, as envelopes with their outbox rows.
pub async fn waiting(
    db: &sea_orm::DatabaseConnection,
    limit: u64,
) -> Result<Vec<(event_outbox::Model, Value)>, Unexpected> {
    use sea_orm::{ColumnTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _};
    let rows = event_outbox::Entity::find()
        .filter(event_outbox::Column::SentAt.is_null())
        .order_by_asc(event_outbox::Column::Seq)
        .limit(limit)
        .all(db)
        .await
        .map_err(unexpected)?;
    envelopes(db, rows).await
}

/// Envelopes for outbox rows, their externalIds read in two queries per call.
pub async fn envelopes(
    db: &sea_orm::DatabaseConnection,
    rows: Vec<event_outbox::Model>,
) -> Result<Vec<(event_outbox::Model, Value)>, Unexpected> {
    use super::entities::{customers, lines};
    use sea_orm::{ColumnTrait as _, QueryFilter as _, QuerySelect as _};
    use std::collections::{BTreeSet, HashMap};
    let line_ids: BTreeSet<String> = rows.iter().filter_map(|r| r.line_id.clone()).collect();
    let customer_ids: BTreeSet<String> =
        rows.iter().filter_map(|r| r.customer_id.clone()).collect();
    let mut line_external: HashMap<String, String> = HashMap::new();
    let ids: Vec<String> = line_ids.into_iter().collect();
    for chunk in ids.chunks(1_000) {
        let found: Vec<(String, String)> = lines::Entity::find()
            .select_only()
            .column(lines::Column::Id)
            .column(lines::Column::ExternalId)
            .filter(lines::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await
            .map_err(unexpected)?;
        line_external.extend(found);
    }
    let mut customer_external: HashMap<String, String> = HashMap::new();
    let ids: Vec<String> = customer_ids.into_iter().collect();
    for chunk in ids.chunks(1_000) {
        let found: Vec<(String, String)> = customers::Entity::find()
            .select_only()
            .column(customers::Column::Id)
            .column(customers::Column::ExternalId)
            .filter(customers::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await
            .map_err(unexpected)?;
        customer_external.extend(found);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let line = row
                .line_id
                .as_ref()
                .and_then(|id| line_external.get(id))
                .map(String::as_str);
            let customer = row
                .customer_id
                .as_ref()
                .and_then(|id| customer_external.get(id))
                .map(String::as_str);
            let envelope = envelope(&row, line, customer);
            (row, envelope)
        })
        .collect())
}

/// The outbox's backlog of one event type: what waits, what is parked, the oldest
/// waiting event's time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backlog {
    pub event_type: String,
    pub waiting: i64,
    pub parked: i64,
    pub oldest_waiting: Option<DateTime<Utc>>,
}

/// The backlog per event type, read at scrape time (`/metrics`) or for the console.
pub async fn backlog(db: &sea_orm::DatabaseConnection) -> Result<Vec<Backlog>, Unexpected> {
    use sea_orm::sea_query::{Expr, Func};
    use sea_orm::{ColumnTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _};
    let waiting: Vec<(String, i64, Option<DateTime<Utc>>)> = event_outbox::Entity::find()
        .select_only()
        .column(event_outbox::Column::EventType)
        .column_as(
            Expr::from(Func::count(Expr::col(event_outbox::Column::Seq))),
            "waiting",
        )
        .column_as(
            Expr::from(Func::min(Expr::col(event_outbox::Column::CreatedAt))),
            "oldest",
        )
        .filter(event_outbox::Column::SentAt.is_null())
        .filter(event_outbox::Column::ParkedAt.is_null())
        .group_by(event_outbox::Column::EventType)
        .order_by_asc(event_outbox::Column::EventType)
        .into_tuple()
        .all(db)
        .await
        .map_err(unexpected)?;
    let parked: Vec<(String, i64)> = event_outbox::Entity::find()
        .select_only()
        .column(event_outbox::Column::EventType)
        .column_as(
            Expr::from(Func::count(Expr::col(event_outbox::Column::Seq))),
            "parked",
        )
        .filter(event_outbox::Column::SentAt.is_null())
        .filter(event_outbox::Column::ParkedAt.is_not_null())
        .group_by(event_outbox::Column::EventType)
        .into_tuple()
        .all(db)
        .await
        .map_err(unexpected)?;
    let mut rows: Vec<Backlog> = waiting
        .into_iter()
        .map(|(event_type, waiting, oldest_waiting)| Backlog {
            event_type,
            waiting,
            parked: 0,
            oldest_waiting,
        })
        .collect();
    for (event_type, count) in parked {
        if let Some(row) = rows.iter_mut().find(|row| row.event_type == event_type) {
            row.parked = count;
        } else {
            rows.push(Backlog {
                event_type,
                waiting: 0,
                parked: count,
                oldest_waiting: None,
            });
        }
    }
    Ok(rows)
}

/// Gives a parked event back to the relay (its attempts start again); `false` when no
/// parked event has that id.
pub async fn retry_parked(db: &sea_orm::DatabaseConnection, id: &str) -> Result<bool, Unexpected> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    let none: Option<DateTime<Utc>> = None;
    let changed = event_outbox::Entity::update_many()
        .col_expr(event_outbox::Column::ParkedAt, Expr::value(none))
        .col_expr(event_outbox::Column::NextAttemptAt, Expr::value(none))
        .col_expr(event_outbox::Column::Attempts, Expr::value(0))
        .filter(event_outbox::Column::Id.eq(id))
        .filter(event_outbox::Column::ParkedAt.is_not_null())
        .filter(event_outbox::Column::SentAt.is_null())
        .exec(db)
        .await
        .map_err(unexpected)?;
    Ok(changed.rows_affected == 1)
}

/// Writes an `audit.head` event (`data`: `sequence`, `hash` in hex) when the audit
/// chain's head moved since the last one written, so that a truncation of the whole
/// audit table is visible from outside (issue #16). Returns whether it wrote one.
pub async fn write_audit_head_if_moved(
    db: &sea_orm::DatabaseConnection,
    at: DateTime<Utc>,
) -> Result<bool, Unexpected> {
    use super::entities::audit_chain_head;
    use sea_orm::{ColumnTrait as _, QueryFilter as _, QueryOrder as _};
    let Some(head) = audit_chain_head::Entity::find()
        .one(db)
        .await
        .map_err(unexpected)?
    else {
        return Ok(false);
    };
    let last = event_outbox::Entity::find()
        .filter(event_outbox::Column::EventType.eq(types::AUDIT_HEAD))
        .order_by_desc(event_outbox::Column::Seq)
        .one(db)
        .await
        .map_err(unexpected)?;
    let last_sequence = last
        .and_then(|row| serde_json::from_str::<Value>(&row.data).ok())
        .and_then(|data| data["sequence"].as_i64());
    if last_sequence == Some(head.last_sequence) {
        return Ok(false);
    }
    let hash = head.hash.iter().fold(String::new(), |mut hex, byte| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
        hex
    });
    let event = NewEvent {
        event_type: types::AUDIT_HEAD,
        line_id: None,
        customer_id: None,
        data: into_map(serde_json::json!({ "sequence": head.last_sequence, "hash": hash })),
    };
    write(db, vec![event], at).await?;
    Ok(true)
}
