//! The batched upsert behind `benefits import`: one transaction per batch, personal
//! data sealed before it leaves the process. The rows are built here; SQLite writes
//! them with a few multi-row statements per table, PostgreSQL set-based
//! (`bulk_postgres`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DbBackend, EntityTrait, QueryFilter as _, QuerySelect as _,
    TransactionTrait as _,
};

use benefits_domain::customer::CustomerRecord;
use benefits_domain::error::Unexpected;

use super::SeaCustomerRepository;
use super::convert::sealed;
use crate::db::eligibility_tally;
use crate::db::entities::{contract_events, contract_terms, customers, etf_charges, lines};
use crate::db::unexpected;

/// Rows per statement: well under SQLite's 32,766 bound parameters at 16 columns.
const ROWS_PER_STATEMENT: usize = 1_000;

/// Ids already assigned to these external ids, so an update keeps its row id (and the
/// envelopes bound to it).
async fn existing_ids<E, C>(
    db: &C,
    external_id: E::Column,
    id: E::Column,
    wanted: Vec<String>,
) -> Result<HashMap<String, String>, sea_orm::DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut found = HashMap::new();
    for chunk in wanted.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<(String, String)> = E::find()
            .select_only()
            .column(external_id)
            .column(id)
            .filter(external_id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

fn id_for(existing: &HashMap<String, String>, external_id: &str) -> String {
    existing
        .get(external_id)
        .cloned()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

async fn insert_chunked<E, C>(
    db: &C,
    rows: Vec<E::ActiveModel>,
    on_conflict: Option<OnConflict>,
) -> Result<(), sea_orm::DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        let mut insert = E::insert_many(chunk);
        if let Some(on_conflict) = &on_conflict {
            insert = insert.on_conflict(on_conflict.clone());
        }
        insert.exec_without_returning(db).await?;
    }
    Ok(())
}

/// The rows a batch of records becomes: ids assigned (an update keeps its row ids),
/// personal data sealed, bound to those ids.
#[derive(Default)]
pub(super) struct Rows {
    pub customers: Vec<customers::Model>,
    pub lines: Vec<lines::Model>,
    pub events: Vec<contract_events::Model>,
    pub terms: Vec<contract_terms::Model>,
    pub charges: Vec<etf_charges::Model>,
}

impl Rows {
    pub(super) fn line_ids(&self) -> Vec<String> {
        self.lines.iter().map(|line| line.id.clone()).collect()
    }
}

/// The external ids of a batch: customers', then lines'.
pub(super) fn external_ids(records: &[CustomerRecord]) -> (Vec<String>, Vec<String>) {
    let customers = records
        .iter()
        .map(|r| r.facts().external_id.as_str().to_owned())
        .collect();
    let lines = records
        .iter()
        .flat_map(|r| r.lines().iter().map(|l| l.external_id.as_str().to_owned()))
        .collect();
    (customers, lines)
}

/// Builds the rows of `records`, given the row ids their external ids already have.
pub(super) fn rows(
    repository: &SeaCustomerRepository,
    records: &[CustomerRecord],
    customer_ids: &HashMap<String, String>,
    line_ids: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Rows {
    let cipher = &repository.cipher;
    let mut rows = Rows {
        customers: Vec::with_capacity(records.len()),
        ..Rows::default()
    };
    for record in records {
        let facts = record.facts();
        let customer_id = id_for(customer_ids, facts.external_id.as_str());
        let seal = |column, value: &str| {
            cipher.seal(sealed::CUSTOMERS, column, &customer_id, value.as_bytes())
        };
        rows.customers.push(customers::Model {
            id: customer_id.clone(),
            external_id: facts.external_id.as_str().to_owned(),
            name_enc: seal(sealed::NAME, facts.name.as_str()),
            birth_date_enc: seal(sealed::BIRTH_DATE, &facts.birth_date.to_string()),
            phone_enc: seal(sealed::PHONE, facts.phone.digits()),
            phone_hash: repository.phone_hash(&facts.phone),
            kind: facts.kind.as_str().to_owned(),
            language: facts.language.as_str().to_owned(),
            updated_at: now,
        });
        for line in record.lines() {
            let line_id = id_for(line_ids, line.external_id.as_str());
            rows.lines.push(lines::Model {
                id: line_id.clone(),
                customer_id: customer_id.clone(),
                external_id: line.external_id.as_str().to_owned(),
                msisdn_enc: cipher.seal(
                    sealed::LINES,
                    sealed::MSISDN,
                    &line_id,
                    line.msisdn.digits().as_bytes(),
                ),
                msisdn_hash: repository.phone_hash(&line.msisdn),
                device_class: line.device_class.as_str().to_owned(),
                brand: line.brand.as_str().to_owned(),
                payment: line.payment.as_str().to_owned(),
                activated_on: line.activated_on,
                status: line.status.as_str().to_owned(),
                suspension_reason: line.suspension.map(|s| s.reason.as_str().to_owned()),
                suspended_from: line.suspension.map(|s| s.from),
                suspended_until: line.suspension.and_then(|s| s.until),
                terminated_on: line.termination.map(|t| t.on),
                terminated_by: line.termination.map(|t| t.by.as_str().to_owned()),
                updated_at: now,
            });
            for (position, event) in line.contract_events.iter().enumerate() {
                rows.events.push(contract_events::Model {
                    line_id: line_id.clone(),
                    position: i32::try_from(position).unwrap_or(i32::MAX),
                    kind: event.kind.as_str().to_owned(),
                    occurred_on: event.on,
                });
            }
            if let Some(terms) = line.contract {
                rows.terms.push(contract_terms::Model {
                    line_id: line_id.clone(),
                    start_on: terms.start,
                    end_on: terms.end,
                    device_subsidy: terms.device_subsidy,
                    additional_subsidy: terms.additional_subsidy,
                    monthly_discount: terms.monthly_discount,
                });
            }
            if let Some(charge) = line.etf_charged {
                rows.charges.push(etf_charges::Model {
                    line_id: line_id.clone(),
                    common_subsidy: charge.common_subsidy,
                    additional_subsidy: charge.additional_subsidy,
                    discount_return: charge.discount_return,
                    non_refundable: charge.non_refundable,
                });
            }
        }
    }
    rows
}

/// Writes a batch: on PostgreSQL with one set-based statement per step
/// (`bulk_postgres`), elsewhere with multi-row statements through sea-orm.
pub(super) async fn upsert(
    repository: &SeaCustomerRepository,
    records: &[CustomerRecord],
    now: DateTime<Utc>,
) -> Result<(), Unexpected> {
    if records.is_empty() {
        return Ok(());
    }
    if repository.db.get_database_backend() == DbBackend::Postgres {
        return super::bulk_postgres::upsert(repository, records, now).await;
    }
    let txn = repository.db.begin().await.map_err(unexpected)?;
    let (customer_external_ids, line_external_ids) = external_ids(records);
    let customer_ids = existing_ids::<customers::Entity, _>(
        &txn,
        customers::Column::ExternalId,
        customers::Column::Id,
        customer_external_ids,
    )
    .await
    .map_err(unexpected)?;
    let line_ids = existing_ids::<lines::Entity, _>(
        &txn,
        lines::Column::ExternalId,
        lines::Column::Id,
        line_external_ids,
    )
    .await
    .map_err(unexpected)?;
    let rows = rows(repository, records, &customer_ids, &line_ids, now);
    let all_line_ids = rows.line_ids();

    let write = async {
        eligibility_tally::mark_outdated(
            &txn,
            rows.customers.iter().map(|row| row.id.clone()).collect(),
            &all_line_ids,
        )
        .await?;
        insert_chunked::<customers::Entity, _>(
            &txn,
            rows.customers.into_iter().map(Into::into).collect(),
            Some(
                OnConflict::column(customers::Column::ExternalId)
                    .update_columns([
                        customers::Column::NameEnc,
                        customers::Column::BirthDateEnc,
                        customers::Column::PhoneEnc,
                        customers::Column::PhoneHash,
                        customers::Column::Kind,
                        customers::Column::Language,
                        customers::Column::UpdatedAt,
                    ])
                    .to_owned(),
            ),
        )
        .await?;
        insert_chunked::<lines::Entity, _>(
            &txn,
            rows.lines.into_iter().map(Into::into).collect(),
            Some(
                OnConflict::column(lines::Column::ExternalId)
                    .update_columns([
                        lines::Column::CustomerId,
                        lines::Column::MsisdnEnc,
                        lines::Column::MsisdnHash,
                        lines::Column::DeviceClass,
                        lines::Column::Brand,
                        lines::Column::Payment,
                        lines::Column::ActivatedOn,
                        lines::Column::Status,
                        lines::Column::SuspensionReason,
                        lines::Column::SuspendedFrom,
                        lines::Column::SuspendedUntil,
                        lines::Column::TerminatedOn,
                        lines::Column::TerminatedBy,
                        lines::Column::UpdatedAt,
                    ])
                    .to_owned(),
            ),
        )
        .await?;
        // A record carries a line's whole history: replace what was there.
        for chunk in all_line_ids.chunks(ROWS_PER_STATEMENT) {
            contract_events::Entity::delete_many()
                .filter(contract_events::Column::LineId.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?;
            contract_terms::Entity::delete_many()
                .filter(contract_terms::Column::LineId.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?;
            etf_charges::Entity::delete_many()
                .filter(etf_charges::Column::LineId.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?;
        }
        insert_chunked::<contract_events::Entity, _>(
            &txn,
            rows.events.into_iter().map(Into::into).collect(),
            None,
        )
        .await?;
        insert_chunked::<contract_terms::Entity, _>(
            &txn,
            rows.terms.into_iter().map(Into::into).collect(),
            None,
        )
        .await?;
        insert_chunked::<etf_charges::Entity, _>(
            &txn,
            rows.charges.into_iter().map(Into::into).collect(),
            None,
        )
        .await?;
        Ok::<_, sea_orm::DbErr>(())
    };
    write.await.map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}
