//! The till's transactions: a redemption consumes its code and counts its usage under
//! every limit with conditional updates, so concurrent redemptions can never exceed a
//! limit or use a code twice; a cancellation gives the usage back.

use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseTransaction, DbErr, EntityTrait as _,
    QueryFilter as _, SqlErr, TransactionTrait as _,
};

use benefits_domain::customer::LineId;
use benefits_domain::error::Unexpected;
use benefits_domain::partner::ports::{CancelError, RedeemCommand, RedeemError};
use benefits_domain::partner::{Redemption, RedemptionStatus};

use super::discounts::{SeaDiscountRepository, code_key, periods, usage_key};
use crate::db::entities::{discount_codes, offer_usage, redemptions};
use crate::db::unexpected;

pub(super) fn redemption(row: redemptions::Model) -> Result<Redemption, Unexpected> {
    Ok(Redemption {
        status: row.status.parse().map_err(Unexpected::new)?,
        id: row.id,
        store_id: row.store_id,
        line_id: LineId(row.line_id),
        offer_id: row.offer_id,
        purchase_amount: row.purchase_amount,
        discount_amount: row.discount_amount,
        redeemed_at: row.redeemed_at,
        redeemed_on: row.redeemed_on,
    })
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Adds one use in each period, refusing when a limited period is full.
async fn count_use(txn: &DatabaseTransaction, command: &RedeemCommand) -> Result<(), RedeemError> {
    let limits = command.offer.limits;
    let periods = periods(command.today);
    for (period, limit) in
        periods
            .iter()
            .zip([limits.per_day, limits.per_month, limits.per_program])
    {
        offer_usage::Entity::insert(offer_usage::ActiveModel {
            line_id: Set(command.line_id.0.clone()),
            offer_id: Set(command.offer.id.clone()),
            period: Set(period.clone()),
            used: Set(0),
        })
        .on_conflict(
            OnConflict::columns([
                offer_usage::Column::LineId,
                offer_usage::Column::OfferId,
                offer_usage::Column::Period,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .map_err(unexpected)?;
        let mut update = offer_usage::Entity::update_many()
            .col_expr(
                offer_usage::Column::Used,
                Expr::col(offer_usage::Column::Used).add(1),
            )
            .filter(offer_usage::Column::LineId.eq(&command.line_id.0))
            .filter(offer_usage::Column::OfferId.eq(&command.offer.id))
            .filter(offer_usage::Column::Period.eq(period));
        if let Some(limit) = limit {
            update = update.filter(offer_usage::Column::Used.lt(limit));
        }
        if update.exec(txn).await.map_err(unexpected)?.rows_affected == 0 {
            return Err(RedeemError::LimitReached);
        }
    }
    Ok(())
}

pub(super) async fn redeem(
    repository: &SeaDiscountRepository,
    command: &RedeemCommand,
) -> Result<Redemption, RedeemError> {
    let hash = repository.code_hash(&command.code);
    let txn = repository.db.begin().await.map_err(unexpected)?;
    let consumed = discount_codes::Entity::update_many()
        .col_expr(discount_codes::Column::UsedAt, Expr::value(command.now))
        .filter(discount_codes::Column::CodeHash.eq(hash.clone()))
        .filter(discount_codes::Column::UsedAt.is_null())
        .filter(discount_codes::Column::ExpiresAt.gt(command.now))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if consumed.rows_affected == 0 {
        let code = discount_codes::Entity::find_by_id(hash)
            .one(&txn)
            .await
            .map_err(unexpected)?;
        return Err(match code {
            Some(code) if code.used_at.is_none() => RedeemError::CodeExpired,
            _ => RedeemError::CodeUsed,
        });
    }
    count_use(&txn, command).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let row = redemptions::ActiveModel {
        id: Set(id.clone()),
        code_hash: Set(hash.clone()),
        store_id: Set(command.store.id.clone()),
        line_id: Set(command.line_id.0.clone()),
        offer_id: Set(command.offer.id.clone()),
        purchase_amount: Set(command.purchase_amount),
        discount_amount: Set(command.discount_amount),
        status: Set(RedemptionStatus::Redeemed.as_str().to_owned()),
        redeemed_at: Set(command.now),
        redeemed_on: Set(command.today),
        cancelled_at: Set(None),
        idempotency_key: Set(command.idempotency_key.clone()),
        fingerprint: Set(repository.fingerprint(&command.fingerprint)),
    };
    let model = redemptions::Model {
        id,
        code_hash: hash.clone(),
        store_id: command.store.id.clone(),
        line_id: command.line_id.0.clone(),
        offer_id: command.offer.id.clone(),
        purchase_amount: command.purchase_amount,
        discount_amount: command.discount_amount,
        status: RedemptionStatus::Redeemed.as_str().to_owned(),
        redeemed_at: command.now,
        redeemed_on: command.today,
        cancelled_at: None,
        idempotency_key: command.idempotency_key.clone(),
        fingerprint: Vec::new(),
    };
    match redemptions::Entity::insert(row)
        .exec_without_returning(&txn)
        .await
    {
        Err(error) if is_unique_violation(&error) => return Err(RedeemError::KeyTaken),
        Err(error) => return Err(unexpected(error).into()),
        Ok(_) => {}
    }
    txn.commit().await.map_err(unexpected)?;
    repository.cache.invalidate(&code_key(&hash)).await;
    repository
        .cache
        .invalidate(&usage_key(
            &command.line_id.0,
            &command.offer.id,
            command.today,
        ))
        .await;
    Ok(redemption(model)?)
}

pub(super) async fn cancel(
    repository: &SeaDiscountRepository,
    id: &str,
    store_id: &str,
    today: chrono::NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Redemption, CancelError> {
    let txn = repository.db.begin().await.map_err(unexpected)?;
    let row = redemptions::Entity::find_by_id(id.to_owned())
        .filter(redemptions::Column::StoreId.eq(store_id))
        .one(&txn)
        .await
        .map_err(unexpected)?
        .ok_or(CancelError::NotFound)?;
    if row.status == RedemptionStatus::Cancelled.as_str() {
        return Ok(redemption(row)?);
    }
    if row.redeemed_on != today {
        return Err(CancelError::NotSameDay);
    }
    let cancelled = redemptions::Entity::update_many()
        .col_expr(
            redemptions::Column::Status,
            Expr::value(RedemptionStatus::Cancelled.as_str()),
        )
        .col_expr(redemptions::Column::CancelledAt, Expr::value(at))
        .filter(redemptions::Column::Id.eq(id))
        .filter(redemptions::Column::Status.eq(RedemptionStatus::Redeemed.as_str()))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if cancelled.rows_affected == 1 {
        offer_usage::Entity::update_many()
            .col_expr(
                offer_usage::Column::Used,
                Expr::col(offer_usage::Column::Used).sub(1),
            )
            .filter(offer_usage::Column::LineId.eq(&row.line_id))
            .filter(offer_usage::Column::OfferId.eq(&row.offer_id))
            .filter(offer_usage::Column::Period.is_in(periods(row.redeemed_on)))
            .filter(offer_usage::Column::Used.gt(0))
            .exec(&txn)
            .await
            .map_err(unexpected)?;
    }
    let updated = redemptions::Entity::find_by_id(id.to_owned())
        .one(&txn)
        .await
        .map_err(unexpected)?
        .ok_or(CancelError::NotFound)?;
    txn.commit().await.map_err(unexpected)?;
    repository
        .cache
        .invalidate(&usage_key(&row.line_id, &row.offer_id, row.redeemed_on))
        .await;
    Ok(redemption(updated)?)
}
