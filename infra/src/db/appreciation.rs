//! The appreciation program's records over sea-orm. One grant per line and month and
//! one bonus per billing record are primary and unique keys; inserts skip what exists.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseConnection, DbErr, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, TransactionTrait as _,
};

use benefits_domain::benefits::claims::{Claim, ClaimStatus, EarlierFiling, NewClaim};
use benefits_domain::benefits::ports::{
    AppreciationRepository, DataGrant, MinimumAge, NewRoamingBonus, OttSelection, OttService,
    RoamingBonus, RoamingExtension, SelectError,
};
use benefits_domain::customer::{CustomerId, LineId};
use benefits_domain::error::Unexpected;
use benefits_domain::refund::ports::IdempotencyClaim;

use super::entities::{
    campaign_roaming_offers, data_grant_months, data_grants, insurance_claims,
    insurance_enrolments, ott_selections, ott_services, roaming_bonuses, roaming_extensions,
};
use super::events::{self, NewEvent, types};
use super::{claim_filing, unexpected};
use crate::crypto::LookupHasher;
use serde_json::json;

/// Rows per statement.
const ROWS_PER_STATEMENT: usize = 1_000;

/// The appreciation repository over sea-orm.
#[derive(Clone)]
pub struct SeaAppreciationRepository {
    db: DatabaseConnection,
    /// Hashes the input of idempotent claim filings.
    hasher: LookupHasher,
}

impl SeaAppreciationRepository {
    pub fn new(db: DatabaseConnection, hasher: LookupHasher) -> Self {
        Self { db, hasher }
    }
}

/// The most claims one list returns.
const CLAIMS_PER_LIST: u64 = 500;

fn to_claim(row: insurance_claims::Model) -> Result<Claim, Unexpected> {
    Ok(Claim {
        coverage: row.coverage_type.parse().map_err(Unexpected::new)?,
        status: row.status.parse().map_err(Unexpected::new)?,
        id: row.id,
        customer_id: CustomerId(row.customer_id),
        incident_on: row.incident_on,
        loss_amount: row.loss_amount,
        description: row.description,
        approved_amount: row.approved_amount,
        filed_at: row.filed_at,
    })
}

fn to_extension(row: roaming_extensions::Model) -> RoamingExtension {
    RoamingExtension {
        offer_code: row.offer_code,
        original_end: row.original_end,
        extended_until: row.extended_until,
    }
}

fn to_service(row: ott_services::Model) -> OttService {
    OttService {
        id: row.id,
        external_id: row.external_id,
        name: row.name,
        minimum_age: row.minimum_age.and_then(|age| u32::try_from(age).ok()),
    }
}

fn to_bonus(row: roaming_bonuses::Model) -> RoamingBonus {
    RoamingBonus {
        pass_name: row.pass_name,
        data_mb: row.data_mb,
        bonus_mb: row.bonus_mb,
        activated_on: row.activated_on,
    }
}

#[async_trait]
impl AppreciationRepository for SeaAppreciationRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn enrolled(&self, customer: &CustomerId) -> Result<bool, Unexpected> {
        let row = insurance_enrolments::Entity::find_by_id(customer.0.clone())
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(row.is_some())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn enrolments(
        &self,
        customers: &[CustomerId],
    ) -> Result<Vec<(CustomerId, DateTime<Utc>)>, Unexpected> {
        let rows = insurance_enrolments::Entity::find()
            .filter(
                insurance_enrolments::Column::CustomerId
                    .is_in(customers.iter().map(|c| c.0.clone())),
            )
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .map(|row| (CustomerId(row.customer_id), row.consented_at))
            .collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn enrol(
        &self,
        customer: &CustomerId,
        at: DateTime<Utc>,
        terms_version: &str,
    ) -> Result<(), Unexpected> {
        let txn = self.db.begin().await.map_err(unexpected)?;
        let inserted = insurance_enrolments::Entity::insert(insurance_enrolments::ActiveModel {
            customer_id: Set(customer.0.clone()),
            consented_at: Set(at),
            terms_version: Set(terms_version.to_owned()),
        })
        .on_conflict(
            OnConflict::column(insurance_enrolments::Column::CustomerId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;
        if inserted == 1 {
            // Coverage by consent runs as long as the campaign's; the end is not kept here.
            let event = NewEvent::for_customer(
                types::INSURANCE_ENROLLED,
                &customer.0,
                None,
                json!({ "automatic": false, "coverageEnd": null }),
            );
            events::write(&txn, vec![event], at).await?;
        }
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn ott_services(&self) -> Result<Vec<OttService>, Unexpected> {
        let rows = ott_services::Entity::find()
            .order_by_asc(ott_services::Column::ExternalId)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows.into_iter().map(to_service).collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn upsert_ott_service(
        &self,
        external_id: &str,
        name: &str,
        minimum_age: MinimumAge,
    ) -> Result<OttService, Unexpected> {
        let (age, updated) = match minimum_age {
            MinimumAge::Keep => (None, vec![ott_services::Column::Name]),
            MinimumAge::Set(age) => (
                age.map(|age| i32::try_from(age).unwrap_or(i32::MAX)),
                vec![ott_services::Column::Name, ott_services::Column::MinimumAge],
            ),
        };
        ott_services::Entity::insert(ott_services::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            external_id: Set(external_id.to_owned()),
            name: Set(name.to_owned()),
            minimum_age: Set(age),
        })
        .on_conflict(
            OnConflict::column(ott_services::Column::ExternalId)
                .update_columns(updated)
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(unexpected)?;
        let row = ott_services::Entity::find()
            .filter(ott_services::Column::ExternalId.eq(external_id))
            .one(&self.db)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("the OTT service just written is gone"))?;
        Ok(to_service(row))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn ott_selection(&self, line: &LineId) -> Result<Option<OttSelection>, Unexpected> {
        let Some(row) = ott_selections::Entity::find_by_id(line.0.clone())
            .one(&self.db)
            .await
            .map_err(unexpected)?
        else {
            return Ok(None);
        };
        let service = ott_services::Entity::find_by_id(row.service_id.clone())
            .one(&self.db)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("an OTT selection names a missing service"))?;
        Ok(Some(OttSelection {
            service: to_service(service),
            voucher_code: row.voucher_code,
            activated: row.activated_at.is_some(),
        }))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn select_ott(
        &self,
        line: &LineId,
        service_id: &str,
        voucher_code: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<OttSelection>, SelectError> {
        let txn = self.db.begin().await.map_err(unexpected)?;
        let inserted = ott_selections::Entity::insert(ott_selections::ActiveModel {
            line_id: Set(line.0.clone()),
            service_id: Set(service_id.to_owned()),
            voucher_code: Set(voucher_code.to_owned()),
            selected_at: Set(at),
            activated_at: Set(None),
        })
        .on_conflict(
            OnConflict::column(ott_selections::Column::LineId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;
        if inserted == 0 {
            let changed = ott_selections::Entity::update_many()
                .col_expr(ott_selections::Column::ServiceId, Expr::value(service_id))
                .col_expr(ott_selections::Column::SelectedAt, Expr::value(at))
                .filter(ott_selections::Column::LineId.eq(&line.0))
                .filter(ott_selections::Column::ActivatedAt.is_null())
                .exec(&txn)
                .await
                .map_err(unexpected)?;
            if changed.rows_affected == 0 {
                return Err(SelectError::Final);
            }
        }
        let service = ott_services::Entity::find_by_id(service_id.to_owned())
            .one(&txn)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("an OTT selection names a missing service"))?;
        let voucher = ott_selections::Entity::find_by_id(line.0.clone())
            .one(&txn)
            .await
            .map_err(unexpected)?
            .map_or_else(|| voucher_code.to_owned(), |row| row.voucher_code);
        let event = NewEvent::for_line(
            types::OTT_SELECTED,
            &line.0,
            json!({ "serviceExternalId": service.external_id, "voucherCode": voucher }),
        );
        events::write(&txn, vec![event], at).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(self.ott_selection(line).await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn activate_voucher(
        &self,
        line: &LineId,
        at: DateTime<Utc>,
    ) -> Result<Option<OttSelection>, Unexpected> {
        ott_selections::Entity::update_many()
            .col_expr(ott_selections::Column::ActivatedAt, Expr::value(at))
            .filter(ott_selections::Column::LineId.eq(&line.0))
            .filter(ott_selections::Column::ActivatedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        self.ott_selection(line).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn grant_data(
        &self,
        lines: &[LineId],
        month: &str,
        gigabytes: i32,
        at: DateTime<Utc>,
    ) -> Result<u32, Unexpected> {
        let mut granted = 0_u32;
        for chunk in lines.chunks(ROWS_PER_STATEMENT) {
            let txn = self.db.begin().await.map_err(unexpected)?;
            let rows: Vec<_> = chunk
                .iter()
                .map(|line| data_grants::ActiveModel {
                    line_id: Set(line.0.clone()),
                    month: Set(month.to_owned()),
                    gigabytes: Set(gigabytes),
                    granted_at: Set(at),
                })
                .collect();
            // Only the grants this transaction inserted come back: the others exist.
            let new: Vec<(String, String)> = match data_grants::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([data_grants::Column::LineId, data_grants::Column::Month])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_with_returning_keys(&txn)
                .await
            {
                Ok(keys) => keys,
                Err(DbErr::RecordNotInserted) => Vec::new(),
                Err(error) => return Err(unexpected(error)),
            };
            let outbox: Vec<_> = new
                .iter()
                .map(|(line, month)| {
                    NewEvent::for_line(
                        types::DATA_GRANT_REQUESTED,
                        line,
                        json!({ "month": month, "gigabytes": gigabytes }),
                    )
                })
                .collect();
            if !new.is_empty() {
                count_grants(&txn, month, new.len(), gigabytes).await?;
            }
            events::write(&txn, outbox, at).await?;
            txn.commit().await.map_err(unexpected)?;
            granted += u32::try_from(new.len()).unwrap_or(u32::MAX);
        }
        Ok(granted)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn data_grants(&self, line: &LineId) -> Result<Vec<DataGrant>, Unexpected> {
        let rows = data_grants::Entity::find()
            .filter(data_grants::Column::LineId.eq(&line.0))
            .order_by_asc(data_grants::Column::Month)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .map(|row| DataGrant {
                month: row.month,
                gigabytes: row.gigabytes,
            })
            .collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn record_roaming(
        &self,
        bonus: &NewRoamingBonus,
        at: DateTime<Utc>,
    ) -> Result<RoamingBonus, Unexpected> {
        if let Some(external_id) = &bonus.external_id {
            let existing = roaming_bonuses::Entity::find()
                .filter(roaming_bonuses::Column::ExternalId.eq(external_id))
                .one(&self.db)
                .await
                .map_err(unexpected)?;
            if let Some(row) = existing {
                return Ok(to_bonus(row));
            }
        }
        let txn = self.db.begin().await.map_err(unexpected)?;
        let inserted = roaming_bonuses::Entity::insert(roaming_bonuses::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            line_id: Set(bonus.line_id.0.clone()),
            external_id: Set(bonus.external_id.clone()),
            pass_name: Set(bonus.bonus.pass_name.clone()),
            data_mb: Set(bonus.bonus.data_mb),
            bonus_mb: Set(bonus.bonus.bonus_mb),
            activated_on: Set(bonus.bonus.activated_on),
            recorded_at: Set(at),
        })
        .on_conflict(
            OnConflict::column(roaming_bonuses::Column::ExternalId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;
        if inserted == 1 {
            let event = NewEvent::for_line(
                types::ROAMING_BONUS_REQUESTED,
                &bonus.line_id.0,
                json!({ "passName": bonus.bonus.pass_name, "bonusMb": bonus.bonus.bonus_mb }),
            );
            events::write(&txn, vec![event], at).await?;
        }
        txn.commit().await.map_err(unexpected)?;
        if inserted == 1 {
            return Ok(bonus.bonus.clone());
        }
        // A concurrent feed of the same record won the insert: answer with its bonus.
        let external_id = bonus.external_id.clone().unwrap_or_default();
        let row = roaming_bonuses::Entity::find()
            .filter(roaming_bonuses::Column::ExternalId.eq(external_id))
            .one(&self.db)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new("a roaming record vanished"))?;
        Ok(to_bonus(row))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn known_roaming_records(
        &self,
        record_ids: &[String],
    ) -> Result<std::collections::HashSet<String>, Unexpected> {
        let mut known = std::collections::HashSet::new();
        for chunk in record_ids.chunks(1_000) {
            let rows: Vec<Option<String>> = roaming_bonuses::Entity::find()
                .select_only()
                .column(roaming_bonuses::Column::ExternalId)
                .filter(roaming_bonuses::Column::ExternalId.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            known.extend(rows.into_iter().flatten());
        }
        Ok(known)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn extend_roaming_offer(
        &self,
        campaign_id: &str,
        offer_code: &str,
        until: NaiveDate,
    ) -> Result<(), Unexpected> {
        campaign_roaming_offers::Entity::insert(campaign_roaming_offers::ActiveModel {
            campaign_id: Set(campaign_id.to_owned()),
            offer_code: Set(offer_code.to_owned()),
            extended_until: Set(until),
        })
        .on_conflict(
            OnConflict::columns([
                campaign_roaming_offers::Column::CampaignId,
                campaign_roaming_offers::Column::OfferCode,
            ])
            .update_column(campaign_roaming_offers::Column::ExtendedUntil)
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(unexpected)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn roaming_offer_extension(
        &self,
        campaign_id: &str,
        offer_code: &str,
    ) -> Result<Option<NaiveDate>, Unexpected> {
        let row = campaign_roaming_offers::Entity::find_by_id((
            campaign_id.to_owned(),
            offer_code.to_owned(),
        ))
        .one(&self.db)
        .await
        .map_err(unexpected)?;
        Ok(row.map(|row| row.extended_until))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn record_extension(
        &self,
        line: &LineId,
        extension: &RoamingExtension,
        at: DateTime<Utc>,
    ) -> Result<RoamingExtension, Unexpected> {
        let txn = self.db.begin().await.map_err(unexpected)?;
        let inserted = roaming_extensions::Entity::insert(roaming_extensions::ActiveModel {
            line_id: Set(line.0.clone()),
            offer_code: Set(extension.offer_code.clone()),
            original_end: Set(extension.original_end),
            extended_until: Set(extension.extended_until),
            recorded_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([
                roaming_extensions::Column::LineId,
                roaming_extensions::Column::OfferCode,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;
        if inserted == 1 {
            let event = NewEvent::for_line(
                types::ROAMING_EXTENSION_REQUESTED,
                &line.0,
                json!({
                    "offerCode": extension.offer_code,
                    "originalEnd": extension.original_end,
                    "extendedUntil": extension.extended_until,
                }),
            );
            events::write(&txn, vec![event], at).await?;
        }
        let stored =
            roaming_extensions::Entity::find_by_id((line.0.clone(), extension.offer_code.clone()))
                .one(&txn)
                .await
                .map_err(unexpected)?
                .ok_or_else(|| Unexpected::new("the extension just recorded is gone"))?;
        txn.commit().await.map_err(unexpected)?;
        Ok(to_extension(stored))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn roaming_extensions(&self, line: &LineId) -> Result<Vec<RoamingExtension>, Unexpected> {
        let rows = roaming_extensions::Entity::find()
            .filter(roaming_extensions::Column::LineId.eq(&line.0))
            .order_by_asc(roaming_extensions::Column::OfferCode)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows.into_iter().map(to_extension).collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn filed_with(
        &self,
        key: &IdempotencyClaim,
    ) -> Result<Option<EarlierFiling>, Unexpected> {
        claim_filing::filed_with(&self.db, &self.hasher, key).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn file_claim(
        &self,
        claim: &NewClaim,
        key: &IdempotencyClaim,
    ) -> Result<Option<Claim>, Unexpected> {
        let Some(id) = claim_filing::file(&self.db, &self.hasher, claim, key).await? else {
            return Ok(None);
        };
        self.claim(&id, None)
            .await?
            .ok_or_else(|| Unexpected::new("the claim just filed is gone"))
            .map(Some)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn claim(
        &self,
        id: &str,
        owner: Option<&CustomerId>,
    ) -> Result<Option<Claim>, Unexpected> {
        let mut select = insurance_claims::Entity::find_by_id(id.to_owned());
        if let Some(owner) = owner {
            select = select.filter(insurance_claims::Column::CustomerId.eq(&owner.0));
        }
        select
            .one(&self.db)
            .await
            .map_err(unexpected)?
            .map(to_claim)
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn claims(
        &self,
        customer: Option<&CustomerId>,
        status: Option<ClaimStatus>,
    ) -> Result<Vec<Claim>, Unexpected> {
        let mut select = insurance_claims::Entity::find()
            .order_by_desc(insurance_claims::Column::FiledAt)
            .order_by_desc(insurance_claims::Column::Id);
        if let Some(customer) = customer {
            select = select.filter(insurance_claims::Column::CustomerId.eq(&customer.0));
        }
        if let Some(status) = status {
            select = select.filter(insurance_claims::Column::Status.eq(status.as_str()));
        }
        let rows = select
            .limit(CLAIMS_PER_LIST)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter().map(to_claim).collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn move_claim(
        &self,
        id: &str,
        from: ClaimStatus,
        to: ClaimStatus,
        approved_amount: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<bool, Unexpected> {
        let mut update = insurance_claims::Entity::update_many()
            .col_expr(insurance_claims::Column::Status, Expr::value(to.as_str()))
            .col_expr(insurance_claims::Column::UpdatedAt, Expr::value(at));
        if let Some(amount) = approved_amount {
            update = update.col_expr(
                insurance_claims::Column::ApprovedAmount,
                Expr::value(amount),
            );
        }
        let moved = update
            .filter(insurance_claims::Column::Id.eq(id))
            .filter(insurance_claims::Column::Status.eq(from.as_str()))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(moved.rows_affected == 1)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn roaming_bonuses(&self, line: &LineId) -> Result<Vec<RoamingBonus>, Unexpected> {
        let rows = roaming_bonuses::Entity::find()
            .filter(roaming_bonuses::Column::LineId.eq(&line.0))
            .order_by_asc(roaming_bonuses::Column::ActivatedOn)
            .order_by_asc(roaming_bonuses::Column::RecordedAt)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows.into_iter().map(to_bonus).collect())
    }
}

/// Adds `lines` new grants of `gigabytes` each to `month`'s tally, in the transaction
/// that inserted them (concurrent runs add under the row's lock).
async fn count_grants(
    txn: &sea_orm::DatabaseTransaction,
    month: &str,
    lines: usize,
    gigabytes: i32,
) -> Result<(), Unexpected> {
    let lines = i64::try_from(lines).unwrap_or(i64::MAX);
    let gigabytes = lines.saturating_mul(i64::from(gigabytes));
    data_grant_months::Entity::insert(data_grant_months::ActiveModel {
        month: Set(month.to_owned()),
        lines: Set(lines),
        gigabytes: Set(gigabytes),
    })
    .on_conflict(
        OnConflict::column(data_grant_months::Column::Month)
            .value(
                data_grant_months::Column::Lines,
                Expr::col((data_grant_months::Entity, data_grant_months::Column::Lines)).add(lines),
            )
            .value(
                data_grant_months::Column::Gigabytes,
                Expr::col((
                    data_grant_months::Entity,
                    data_grant_months::Column::Gigabytes,
                ))
                .add(gigabytes),
            )
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await
    .map_err(unexpected)?;
    Ok(())
}
