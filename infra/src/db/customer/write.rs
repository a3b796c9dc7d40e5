//! The batched upsert behind `benefits import`: one transaction per batch, a few
//! multi-row statements per table, personal data sealed before it leaves the process.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait, QueryFilter as _,
    QuerySelect as _, TransactionTrait as _,
};

use benefits_domain::customer::CustomerRecord;
use benefits_domain::error::Unexpected;

use super::SeaCustomerRepository;
use super::convert::sealed;
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

pub(super) async fn upsert(
    repository: &SeaCustomerRepository,
    records: &[CustomerRecord],
    now: DateTime<Utc>,
) -> Result<(), Unexpected> {
    if records.is_empty() {
        return Ok(());
    }
    let cipher = &repository.cipher;
    let txn = repository.db.begin().await.map_err(unexpected)?;

    let customer_ids = existing_ids::<customers::Entity, _>(
        &txn,
        customers::Column::ExternalId,
        customers::Column::Id,
        records
            .iter()
            .map(|r| r.facts().external_id.as_str().to_owned())
            .collect(),
    )
    .await
    .map_err(unexpected)?;
    let line_ids = existing_ids::<lines::Entity, _>(
        &txn,
        lines::Column::ExternalId,
        lines::Column::Id,
        records
            .iter()
            .flat_map(|r| r.lines().iter().map(|l| l.external_id.as_str().to_owned()))
            .collect(),
    )
    .await
    .map_err(unexpected)?;

    let mut customer_rows = Vec::with_capacity(records.len());
    let mut line_rows = Vec::new();
    let mut event_rows = Vec::new();
    let mut terms_rows = Vec::new();
    let mut charge_rows = Vec::new();
    let mut all_line_ids = Vec::new();
    for record in records {
        let facts = record.facts();
        let customer_id = id_for(&customer_ids, facts.external_id.as_str());
        let seal = |column, value: &str| {
            cipher.seal(sealed::CUSTOMERS, column, &customer_id, value.as_bytes())
        };
        customer_rows.push(customers::ActiveModel {
            id: Set(customer_id.clone()),
            external_id: Set(facts.external_id.as_str().to_owned()),
            name_enc: Set(seal(sealed::NAME, facts.name.as_str())),
            birth_date_enc: Set(seal(sealed::BIRTH_DATE, &facts.birth_date.to_string())),
            phone_enc: Set(seal(sealed::PHONE, facts.phone.digits())),
            phone_hash: Set(repository.phone_hash(&facts.phone)),
            kind: Set(facts.kind.as_str().to_owned()),
            language: Set(facts.language.as_str().to_owned()),
            updated_at: Set(now),
        });
        for line in record.lines() {
            let line_id = id_for(&line_ids, line.external_id.as_str());
            line_rows.push(lines::ActiveModel {
                id: Set(line_id.clone()),
                customer_id: Set(customer_id.clone()),
                external_id: Set(line.external_id.as_str().to_owned()),
                msisdn_enc: Set(cipher.seal(
                    sealed::LINES,
                    sealed::MSISDN,
                    &line_id,
                    line.msisdn.digits().as_bytes(),
                )),
                msisdn_hash: Set(repository.phone_hash(&line.msisdn)),
                device_class: Set(line.device_class.as_str().to_owned()),
                brand: Set(line.brand.as_str().to_owned()),
                payment: Set(line.payment.as_str().to_owned()),
                activated_on: Set(line.activated_on),
                status: Set(line.status.as_str().to_owned()),
                suspension_reason: Set(line.suspension.map(|s| s.reason.as_str().to_owned())),
                suspended_from: Set(line.suspension.map(|s| s.from)),
                suspended_until: Set(line.suspension.and_then(|s| s.until)),
                terminated_on: Set(line.termination.map(|t| t.on)),
                terminated_by: Set(line.termination.map(|t| t.by.as_str().to_owned())),
                updated_at: Set(now),
            });
            for (position, event) in line.contract_events.iter().enumerate() {
                event_rows.push(contract_events::ActiveModel {
                    line_id: Set(line_id.clone()),
                    position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                    kind: Set(event.kind.as_str().to_owned()),
                    occurred_on: Set(event.on),
                });
            }
            if let Some(terms) = line.contract {
                terms_rows.push(contract_terms::ActiveModel {
                    line_id: Set(line_id.clone()),
                    start_on: Set(terms.start),
                    end_on: Set(terms.end),
                    device_subsidy: Set(terms.device_subsidy),
                    additional_subsidy: Set(terms.additional_subsidy),
                    monthly_discount: Set(terms.monthly_discount),
                });
            }
            if let Some(charge) = line.etf_charged {
                charge_rows.push(etf_charges::ActiveModel {
                    line_id: Set(line_id.clone()),
                    common_subsidy: Set(charge.common_subsidy),
                    additional_subsidy: Set(charge.additional_subsidy),
                    discount_return: Set(charge.discount_return),
                    non_refundable: Set(charge.non_refundable),
                });
            }
            all_line_ids.push(line_id);
        }
    }

    let write = async {
        insert_chunked::<customers::Entity, _>(
            &txn,
            customer_rows,
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
            line_rows,
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
        insert_chunked::<contract_events::Entity, _>(&txn, event_rows, None).await?;
        insert_chunked::<contract_terms::Entity, _>(&txn, terms_rows, None).await?;
        insert_chunked::<etf_charges::Entity, _>(&txn, charge_rows, None).await?;
        Ok::<_, sea_orm::DbErr>(())
    };
    write.await.map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}
