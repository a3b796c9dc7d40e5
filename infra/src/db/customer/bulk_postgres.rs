//! The import's batch upsert on PostgreSQL, set-based: each table's rows travel as one
//! array per column (`unnest`), so a batch of a thousand customers is nine round trips
//! whatever its size: begin, the ids already assigned to its customers and to its
//! lines, the customers marked for the refund overview's tally, the customers, the
//! lines, the old history removed, the new history, commit.
//! The statements are prepared once per connection.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sqlx::{self, Postgres, Transaction};

use benefits_domain::customer::CustomerRecord;
use benefits_domain::error::Unexpected;

use super::SeaCustomerRepository;
use super::write::{Rows, external_ids, rows};
use crate::db::eligibility_tally::MARK_OUTDATED_POSTGRES;

const CUSTOMER_IDS: &str = "SELECT external_id, id FROM customers WHERE external_id = ANY($1)";
const LINE_IDS: &str = "SELECT external_id, id FROM lines WHERE external_id = ANY($1)";

const UPSERT_CUSTOMERS: &str = "\
INSERT INTO customers (id, external_id, name_enc, birth_date_enc, phone_enc, phone_hash, kind,
                       language, updated_at)
SELECT c.*, $9 FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[], $5::bytea[],
                          $6::bytea[], $7::text[], $8::text[]) AS c
ON CONFLICT (external_id) DO UPDATE SET
    name_enc = EXCLUDED.name_enc, birth_date_enc = EXCLUDED.birth_date_enc,
    phone_enc = EXCLUDED.phone_enc, phone_hash = EXCLUDED.phone_hash,
    kind = EXCLUDED.kind, language = EXCLUDED.language, updated_at = EXCLUDED.updated_at";

const UPSERT_LINES: &str = "\
INSERT INTO lines (id, customer_id, external_id, msisdn_enc, msisdn_hash, device_class, brand,
                   payment, activated_on, status, suspension_reason, suspended_from,
                   suspended_until, terminated_on, terminated_by, updated_at)
SELECT l.*, $16 FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bytea[],
                           $6::text[], $7::text[], $8::text[], $9::date[], $10::text[],
                           $11::text[], $12::date[], $13::date[], $14::date[], $15::text[]) AS l
ON CONFLICT (external_id) DO UPDATE SET
    customer_id = EXCLUDED.customer_id, msisdn_enc = EXCLUDED.msisdn_enc,
    msisdn_hash = EXCLUDED.msisdn_hash, device_class = EXCLUDED.device_class,
    brand = EXCLUDED.brand, payment = EXCLUDED.payment, activated_on = EXCLUDED.activated_on,
    status = EXCLUDED.status, suspension_reason = EXCLUDED.suspension_reason,
    suspended_from = EXCLUDED.suspended_from, suspended_until = EXCLUDED.suspended_until,
    terminated_on = EXCLUDED.terminated_on, terminated_by = EXCLUDED.terminated_by,
    updated_at = EXCLUDED.updated_at";

/// A record carries a line's whole history: what was there goes first.
const REMOVE_HISTORY: &str = "\
WITH events AS (DELETE FROM contract_events WHERE line_id = ANY($1)),
     terms AS (DELETE FROM contract_terms WHERE line_id = ANY($1))
DELETE FROM etf_charges WHERE line_id = ANY($1)";

const INSERT_HISTORY: &str = "\
WITH events AS (
    INSERT INTO contract_events (line_id, position, kind, occurred_on)
    SELECT * FROM unnest($1::text[], $2::int4[], $3::text[], $4::date[])),
 terms AS (
    INSERT INTO contract_terms (line_id, start_on, end_on, device_subsidy, additional_subsidy,
                                monthly_discount)
    SELECT * FROM unnest($5::text[], $6::date[], $7::date[], $8::int8[], $9::int8[], $10::int8[]))
INSERT INTO etf_charges (line_id, common_subsidy, additional_subsidy, discount_return,
                         non_refundable)
SELECT * FROM unnest($11::text[], $12::int8[], $13::int8[], $14::int8[], $15::int8[])";

fn unexpected(error: sqlx::Error) -> Unexpected {
    Unexpected::new(error)
}

/// The row ids already assigned to these external ids.
async fn existing_ids(
    txn: &mut Transaction<'_, Postgres>,
    query: &'static str,
    external_ids: Vec<String>,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let found: Vec<(String, String)> = sqlx::query_as(query)
        .bind(external_ids)
        .fetch_all(&mut **txn)
        .await?;
    Ok(found.into_iter().collect())
}

/// One column of `rows`, as the array a statement binds.
fn column<R, T>(rows: &[R], value: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(value).collect()
}

async fn write(
    txn: &mut Transaction<'_, Postgres>,
    rows: &Rows,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let customers = &rows.customers;
    sqlx::query(MARK_OUTDATED_POSTGRES)
        .bind(column(customers, |c| c.id.clone()))
        .bind(rows.line_ids())
        .execute(&mut **txn)
        .await?;
    sqlx::query(UPSERT_CUSTOMERS)
        .bind(column(customers, |c| c.id.clone()))
        .bind(column(customers, |c| c.external_id.clone()))
        .bind(column(customers, |c| c.name_enc.clone()))
        .bind(column(customers, |c| c.birth_date_enc.clone()))
        .bind(column(customers, |c| c.phone_enc.clone()))
        .bind(column(customers, |c| c.phone_hash.clone()))
        .bind(column(customers, |c| c.kind.clone()))
        .bind(column(customers, |c| c.language.clone()))
        .bind(now)
        .execute(&mut **txn)
        .await?;
    let lines = &rows.lines;
    sqlx::query(UPSERT_LINES)
        .bind(column(lines, |l| l.id.clone()))
        .bind(column(lines, |l| l.customer_id.clone()))
        .bind(column(lines, |l| l.external_id.clone()))
        .bind(column(lines, |l| l.msisdn_enc.clone()))
        .bind(column(lines, |l| l.msisdn_hash.clone()))
        .bind(column(lines, |l| l.device_class.clone()))
        .bind(column(lines, |l| l.brand.clone()))
        .bind(column(lines, |l| l.payment.clone()))
        .bind(column(lines, |l| l.activated_on))
        .bind(column(lines, |l| l.status.clone()))
        .bind(column(lines, |l| l.suspension_reason.clone()))
        .bind(column(lines, |l| l.suspended_from))
        .bind(column(lines, |l| l.suspended_until))
        .bind(column(lines, |l| l.terminated_on))
        .bind(column(lines, |l| l.terminated_by.clone()))
        .bind(now)
        .execute(&mut **txn)
        .await?;
    sqlx::query(REMOVE_HISTORY)
        .bind(rows.line_ids())
        .execute(&mut **txn)
        .await?;
    let (events, terms, charges) = (&rows.events, &rows.terms, &rows.charges);
    sqlx::query(INSERT_HISTORY)
        .bind(column(events, |e| e.line_id.clone()))
        .bind(column(events, |e| e.position))
        .bind(column(events, |e| e.kind.clone()))
        .bind(column::<_, NaiveDate>(events, |e| e.occurred_on))
        .bind(column(terms, |t| t.line_id.clone()))
        .bind(column::<_, NaiveDate>(terms, |t| t.start_on))
        .bind(column::<_, NaiveDate>(terms, |t| t.end_on))
        .bind(column(terms, |t| t.device_subsidy))
        .bind(column(terms, |t| t.additional_subsidy))
        .bind(column(terms, |t| t.monthly_discount))
        .bind(column(charges, |c| c.line_id.clone()))
        .bind(column(charges, |c| c.common_subsidy))
        .bind(column(charges, |c| c.additional_subsidy))
        .bind(column(charges, |c| c.discount_return))
        .bind(column(charges, |c| c.non_refundable))
        .execute(&mut **txn)
        .await?;
    Ok(())
}

pub(super) async fn upsert(
    repository: &SeaCustomerRepository,
    records: &[CustomerRecord],
    now: DateTime<Utc>,
) -> Result<(), Unexpected> {
    let pool = repository.db.get_postgres_connection_pool();
    let mut txn = pool.begin().await.map_err(unexpected)?;
    let (customer_external_ids, line_external_ids) = external_ids(records);
    let customer_ids = existing_ids(&mut txn, CUSTOMER_IDS, customer_external_ids)
        .await
        .map_err(unexpected)?;
    let line_ids = existing_ids(&mut txn, LINE_IDS, line_external_ids)
        .await
        .map_err(unexpected)?;
    let rows = rows(repository, records, &customer_ids, &line_ids, now);
    write(&mut txn, &rows, now).await.map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}
