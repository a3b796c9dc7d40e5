//! The till's transactions: a redemption consumes its code and counts its usage under
//! every limit with conditional updates, so concurrent redemptions can never exceed a
//! limit or use a code twice; a cancellation gives the usage back. On PostgreSQL a
//! redemption is one call of a server-side function (one round trip); on SQLite the
//! same steps run as one transaction.

use crate::db::events::{self, types};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait as _, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait as _, QueryFilter as _, SqlErr, Statement,
    TransactionTrait as _,
};

use benefits_domain::customer::LineId;
use benefits_domain::error::Unexpected;
use benefits_domain::partner::ports::{CancelError, RedeemCommand, RedeemError};
use benefits_domain::partner::{Redemption, RedemptionStatus, Usage};

use super::discounts::{SeaDiscountRepository, periods, usage_key};
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

/// Adds one use in each period, refusing when a limited period is full; the counts
/// after it.
async fn count_use(
    txn: &DatabaseTransaction,
    command: &RedeemCommand,
) -> Result<Usage, RedeemError> {
    let line_id = &command.code_state.line_id.0;
    let limits = command.offer.limits;
    let periods = periods(command.today);
    for (period, limit) in
        periods
            .iter()
            .zip([limits.per_day, limits.per_month, limits.per_program])
    {
        offer_usage::Entity::insert(offer_usage::ActiveModel {
            line_id: Set(line_id.clone()),
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
            .filter(offer_usage::Column::LineId.eq(line_id))
            .filter(offer_usage::Column::OfferId.eq(&command.offer.id))
            .filter(offer_usage::Column::Period.eq(period));
        if let Some(limit) = limit {
            update = update.filter(offer_usage::Column::Used.lt(limit));
        }
        if update.exec(txn).await.map_err(unexpected)?.rows_affected == 0 {
            return Err(RedeemError::LimitReached);
        }
    }
    let rows = offer_usage::Entity::find()
        .filter(offer_usage::Column::LineId.eq(line_id))
        .filter(offer_usage::Column::OfferId.eq(&command.offer.id))
        .filter(offer_usage::Column::Period.is_in(periods.clone()))
        .all(txn)
        .await
        .map_err(unexpected)?;
    let used = |period: &str| {
        rows.iter()
            .find(|row| row.period == period)
            .map_or(0, |row| row.used)
    };
    let [day, month, program] = &periods;
    Ok(Usage {
        day: used(day),
        month: used(month),
        program: used(program),
    })
}

/// What a redemption writes, once its id and hashes are known.
struct Redeeming<'a> {
    command: &'a RedeemCommand,
    id: String,
    code_hash: Vec<u8>,
    fingerprint: Vec<u8>,
}

/// The redemption in one round trip: `benefits_redeem` (migration
/// `m20261203_000500`) locks, checks and writes everything in one call.
async fn redeem_in_one_call(
    db: &DatabaseConnection,
    redeeming: &Redeeming<'_>,
) -> Result<Usage, RedeemError> {
    let command = redeeming.command;
    let [day, month, program] = periods(command.today);
    let limits = command.offer.limits;
    let statement = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT outcome, day_used, month_used, program_used FROM benefits_redeem(\
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        [
            redeeming.code_hash.clone().into(),
            command.now.into(),
            command.today.into(),
            command.offer.id.clone().into(),
            day.into(),
            month.into(),
            program.into(),
            limits.per_day.into(),
            limits.per_month.into(),
            limits.per_program.into(),
            redeeming.id.clone().into(),
            command.store.id.clone().into(),
            command.purchase_amount.into(),
            command.discount_amount.into(),
            command.idempotency_key.clone().into(),
            redeeming.fingerprint.clone().into(),
        ],
    );
    let row = match db.query_one_raw(statement).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err(Unexpected::new("benefits_redeem returned no row").into()),
        Err(error) if is_unique_violation(&error) => return Err(RedeemError::KeyTaken),
        Err(error) => return Err(unexpected(error).into()),
    };
    let outcome: String = row.try_get("", "outcome").map_err(unexpected)?;
    let count = |column: &str| -> Result<i64, RedeemError> {
        row.try_get::<Option<i64>>("", column)
            .map(Option::unwrap_or_default)
            .map_err(|error| unexpected(error).into())
    };
    match outcome.as_str() {
        "REDEEMED" => Ok(Usage {
            day: count("day_used")?,
            month: count("month_used")?,
            program: count("program_used")?,
        }),
        "CODE_USED" => Err(RedeemError::CodeUsed),
        "CODE_EXPIRED" => Err(RedeemError::CodeExpired),
        "LIMIT_REACHED" => Err(RedeemError::LimitReached),
        other => Err(Unexpected::new(format!("benefits_redeem answered {other}")).into()),
    }
}

/// The redemption as one transaction of several statements (SQLite, whose single
/// connection serialises them anyway).
async fn redeem_in_transaction(
    db: &DatabaseConnection,
    redeeming: &Redeeming<'_>,
) -> Result<Usage, RedeemError> {
    let command = redeeming.command;
    let hash = &redeeming.code_hash;
    let txn = db.begin().await.map_err(unexpected)?;
    let consumed = discount_codes::Entity::update_many()
        .col_expr(discount_codes::Column::UsedAt, Expr::value(command.now))
        .filter(discount_codes::Column::CodeHash.eq(hash.clone()))
        .filter(discount_codes::Column::UsedAt.is_null())
        .filter(discount_codes::Column::ExpiresAt.gt(command.now))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if consumed.rows_affected == 0 {
        let code = discount_codes::Entity::find_by_id(hash.clone())
            .one(&txn)
            .await
            .map_err(unexpected)?;
        return Err(match code {
            Some(code) if code.used_at.is_none() => RedeemError::CodeExpired,
            _ => RedeemError::CodeUsed,
        });
    }
    let usage = count_use(&txn, command).await?;
    let row = redemptions::ActiveModel {
        id: Set(redeeming.id.clone()),
        code_hash: Set(hash.clone()),
        store_id: Set(command.store.id.clone()),
        line_id: Set(command.code_state.line_id.0.clone()),
        offer_id: Set(command.offer.id.clone()),
        purchase_amount: Set(command.purchase_amount),
        discount_amount: Set(command.discount_amount),
        status: Set(RedemptionStatus::Redeemed.as_str().to_owned()),
        redeemed_at: Set(command.now),
        redeemed_on: Set(command.today),
        cancelled_at: Set(None),
        idempotency_key: Set(command.idempotency_key.clone()),
        fingerprint: Set(redeeming.fingerprint.clone()),
    };
    match redemptions::Entity::insert(row)
        .exec_without_returning(&txn)
        .await
    {
        Err(error) if is_unique_violation(&error) => return Err(RedeemError::KeyTaken),
        Err(error) => return Err(unexpected(error).into()),
        Ok(_) => {}
    }
    events::write_discount(&txn, types::DISCOUNT_REDEEMED, &redeeming.id, command.now).await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(usage)
}

pub(super) async fn redeem(
    repository: &SeaDiscountRepository,
    command: &RedeemCommand,
) -> Result<Redemption, RedeemError> {
    let redeeming = Redeeming {
        command,
        id: uuid::Uuid::new_v4().to_string(),
        code_hash: repository.code_hash(&command.code),
        fingerprint: repository.fingerprint(&command.fingerprint),
    };
    let usage = match repository.db.get_database_backend() {
        DbBackend::Postgres => redeem_in_one_call(&repository.db, &redeeming).await?,
        _ => redeem_in_transaction(&repository.db, &redeeming).await?,
    };
    repository
        .after_redemption(&redeeming.code_hash, command, usage)
        .await;
    Ok(Redemption {
        id: redeeming.id,
        store_id: command.store.id.clone(),
        line_id: command.code_state.line_id.clone(),
        offer_id: command.offer.id.clone(),
        purchase_amount: command.purchase_amount,
        discount_amount: command.discount_amount,
        status: RedemptionStatus::Redeemed,
        redeemed_at: command.now,
        redeemed_on: command.today,
    })
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
        events::write_discount(&txn, types::DISCOUNT_CANCELLED, id, at).await?;
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
