//! Closing payout rounds and recording the bank's answers.
//!
//! Closing inserts the round's closure row first: only the transaction that inserts it
//! freezes the round's applications into payout items and marks them SCHEDULED; any
//! later (or concurrent) close finds the row and reads the same items back.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, TransactionTrait as _,
};

use benefits_domain::campaign::PayoutRound;
use benefits_domain::error::Unexpected;
use benefits_domain::refund::ports::RecordError;
use benefits_domain::refund::{
    ApplicationId, PayoutFile, PayoutItem, RefundApplication, RefundStatus,
};

use super::SeaRefundRepository;
use super::convert::{self, ACCOUNT, HOLDER, ITEMS};
use crate::db::entities::{payout_closures, payout_items, refund_applications};
use crate::db::events::{self, NewEvent, types};
use crate::db::unexpected;
use serde_json::json;

pub(super) async fn close_round(
    repository: &SeaRefundRepository,
    campaign_id: &str,
    round: &PayoutRound,
    at: DateTime<Utc>,
) -> Result<PayoutFile, Unexpected> {
    let txn = repository.db.begin().await.map_err(unexpected)?;
    let closed_now = payout_closures::Entity::insert(payout_closures::ActiveModel {
        campaign_id: Set(campaign_id.to_owned()),
        round_number: Set(round.number),
        closed_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([
            payout_closures::Column::CampaignId,
            payout_closures::Column::RoundNumber,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .map_err(unexpected)?;
    if closed_now == 1 {
        let waiting = refund_applications::Entity::find()
            .filter(refund_applications::Column::RoundNumber.eq(round.number))
            .filter(refund_applications::Column::Status.eq(RefundStatus::Submitted.as_str()))
            .order_by_asc(refund_applications::Column::AppliedAt)
            .order_by_asc(refund_applications::Column::Id)
            .all(&txn)
            .await
            .map_err(unexpected)?;
        let mut items = Vec::with_capacity(waiting.len());
        for row in &waiting {
            let application = convert::application(&repository.cipher, row)?;
            let item_id = uuid::Uuid::new_v4().to_string();
            let account = &application.account;
            items.push(payout_items::ActiveModel {
                id: Set(item_id.clone()),
                campaign_id: Set(campaign_id.to_owned()),
                round_number: Set(round.number),
                application_id: Set(row.id.clone()),
                amount: Set(row.amount),
                bank_code: Set(account.bank_code().to_owned()),
                account_enc: Set(repository.cipher.seal(
                    ITEMS,
                    ACCOUNT,
                    &item_id,
                    account.number().as_bytes(),
                )),
                holder_enc: Set(repository.cipher.seal(
                    ITEMS,
                    HOLDER,
                    &item_id,
                    account.holder().as_bytes(),
                )),
            });
        }
        for chunk in items.chunks(1_000) {
            payout_items::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await
                .map_err(unexpected)?;
        }
        refund_applications::Entity::update_many()
            .col_expr(
                refund_applications::Column::Status,
                Expr::value(RefundStatus::Scheduled.as_str()),
            )
            .col_expr(refund_applications::Column::UpdatedAt, Expr::value(at))
            .filter(refund_applications::Column::RoundNumber.eq(round.number))
            .filter(refund_applications::Column::Status.eq(RefundStatus::Submitted.as_str()))
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        let scheduled: Vec<_> = waiting
            .iter()
            .map(|row| {
                NewEvent::for_customer(
                    types::REFUND_STATUS_CHANGED,
                    &row.customer_id,
                    Some(&row.line_id),
                    json!({
                        "applicationId": row.id,
                        "status": RefundStatus::Scheduled.as_str(),
                        "round": round.number,
                        "amount": row.amount,
                    }),
                )
            })
            .collect();
        events::write(&txn, scheduled, at).await?;
    }
    let rows = payout_items::Entity::find()
        .filter(payout_items::Column::CampaignId.eq(campaign_id))
        .filter(payout_items::Column::RoundNumber.eq(round.number))
        .order_by_asc(payout_items::Column::Id)
        .all(&txn)
        .await
        .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)?;
    let items = rows
        .iter()
        .map(|row| {
            Ok(PayoutItem {
                application_id: ApplicationId(row.application_id.clone()),
                account: convert::item_account(&repository.cipher, row)?,
                amount: row.amount,
            })
        })
        .collect::<Result<_, Unexpected>>()?;
    Ok(PayoutFile {
        round: round.clone(),
        items,
    })
}

pub(super) async fn record_result(
    repository: &SeaRefundRepository,
    id: &ApplicationId,
    paid: bool,
    at: DateTime<Utc>,
) -> Result<RefundApplication, RecordError> {
    let txn = repository.db.begin().await.map_err(unexpected)?;
    let (changed, row) = record_one(&txn, id, paid, at).await?;
    txn.commit().await.map_err(unexpected)?;
    let row = row.ok_or(RecordError::NotFound)?;
    let application = convert::application(&repository.cipher, &row)?;
    if changed || application.status == outcome_of(paid) {
        Ok(application)
    } else {
        Err(RecordError::NotScheduled)
    }
}

/// Records many results in one transaction, each through [`record_one`]: `None` for an
/// application that was not SCHEDULED any more.
pub(super) async fn record_results(
    repository: &SeaRefundRepository,
    results: &[(ApplicationId, bool)],
    at: DateTime<Utc>,
) -> Result<Vec<Option<RefundApplication>>, Unexpected> {
    let txn = repository.db.begin().await.map_err(unexpected)?;
    let mut recorded = Vec::with_capacity(results.len());
    for (id, paid) in results {
        let (changed, row) = record_one(&txn, id, *paid, at).await?;
        recorded.push(match row {
            Some(row) if changed => Some(convert::application(&repository.cipher, &row)?),
            _ => None,
        });
    }
    txn.commit().await.map_err(unexpected)?;
    Ok(recorded)
}

fn outcome_of(paid: bool) -> RefundStatus {
    if paid {
        RefundStatus::Paid
    } else {
        RefundStatus::Failed
    }
}

/// The one write of a payout result, shared by the single and the bulk path: a
/// SCHEDULED application becomes PAID, or FAILED with its round cleared until the
/// account is corrected, with its `refund.status.changed` event. Whether it changed, and
/// the row as it is now.
async fn record_one(
    db: &impl ConnectionTrait,
    id: &ApplicationId,
    paid: bool,
    at: DateTime<Utc>,
) -> Result<(bool, Option<refund_applications::Model>), Unexpected> {
    let mut update = refund_applications::Entity::update_many()
        .col_expr(
            refund_applications::Column::Status,
            Expr::value(outcome_of(paid).as_str()),
        )
        .col_expr(refund_applications::Column::UpdatedAt, Expr::value(at));
    if !paid {
        update = update.col_expr(
            refund_applications::Column::RoundNumber,
            Expr::value(Option::<i32>::None),
        );
    }
    let changed = update
        .filter(refund_applications::Column::Id.eq(&id.0))
        .filter(refund_applications::Column::Status.eq(RefundStatus::Scheduled.as_str()))
        .exec(db)
        .await
        .map_err(unexpected)?;
    if changed.rows_affected == 1 {
        events::write_refund(db, &id.0, at).await?;
    }
    let row = refund_applications::Entity::find_by_id(id.0.clone())
        .one(db)
        .await
        .map_err(unexpected)?;
    Ok((changed.rows_affected == 1, row))
}
