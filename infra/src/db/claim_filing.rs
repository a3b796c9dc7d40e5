//! Filing an insurance claim once per idempotency key: the key (with a keyed hash of
//! the claim's input, never the input itself) and the claim are inserted in one
//! transaction, so a retry finds the first claim and a concurrent one the taken key.

use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait as _, SqlErr, TransactionTrait as _,
};

use benefits_domain::benefits::claims::{ClaimStatus, EarlierFiling, NewClaim};
use benefits_domain::error::Unexpected;
use benefits_domain::refund::ports::IdempotencyClaim;

use super::entities::{idempotency_keys, insurance_claims};
use super::unexpected;
use crate::crypto::LookupHasher;

/// Lookup-hash domain of idempotency fingerprints (as for refund applications).
const FINGERPRINT_DOMAIN: &str = "idempotency";

fn fingerprint(hasher: &LookupHasher, key: &IdempotencyClaim) -> Vec<u8> {
    hasher.hash(FINGERPRINT_DOMAIN, &key.fingerprint)
}

/// What the earlier use of `key` filed, if it was used.
pub(super) async fn filed_with(
    db: &DatabaseConnection,
    hasher: &LookupHasher,
    key: &IdempotencyClaim,
) -> Result<Option<EarlierFiling>, Unexpected> {
    let row = idempotency_keys::Entity::find_by_id((key.scope.clone(), key.key.clone()))
        .one(db)
        .await
        .map_err(unexpected)?;
    Ok(row.map(|row| {
        if row.fingerprint == fingerprint(hasher, key) {
            EarlierFiling::Same(row.result_id)
        } else {
            EarlierFiling::Different
        }
    }))
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Inserts the key and the claim together; the new claim's id, or `None` when the key
/// is taken.
pub(super) async fn file(
    db: &DatabaseConnection,
    hasher: &LookupHasher,
    claim: &NewClaim,
    key: &IdempotencyClaim,
) -> Result<Option<String>, Unexpected> {
    let id = uuid::Uuid::new_v4().to_string();
    let txn = db.begin().await.map_err(unexpected)?;
    let claimed = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
        scope: Set(key.scope.clone()),
        key: Set(key.key.clone()),
        fingerprint: Set(fingerprint(hasher, key)),
        result_id: Set(id.clone()),
        created_at: Set(claim.filed_at),
    })
    .exec_without_returning(&txn)
    .await;
    match claimed {
        Err(error) if is_unique_violation(&error) => return Ok(None),
        Err(error) => return Err(unexpected(error)),
        Ok(_) => {}
    }
    insurance_claims::Entity::insert(insurance_claims::ActiveModel {
        id: Set(id.clone()),
        customer_id: Set(claim.customer_id.0.clone()),
        coverage_type: Set(claim.coverage.as_str().to_owned()),
        incident_on: Set(claim.incident_on),
        loss_amount: Set(claim.loss_amount),
        description: Set(claim.description.clone()),
        status: Set(ClaimStatus::Received.as_str().to_owned()),
        approved_amount: Set(None),
        filed_at: Set(claim.filed_at),
        updated_at: Set(claim.filed_at),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)?;
    Ok(Some(id))
}
