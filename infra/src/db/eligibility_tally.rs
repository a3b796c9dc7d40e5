//! The refund overview's kept tally of lines by fee-waiver reason over sea-orm, the same
//! SQL on PostgreSQL and SQLite (tables in `m20261204_000500_eligibility_tally`).
//!
//! The import marks outdated, in its own transaction, every customer whose lines it
//! writes and every previous owner of a line it moves ([`mark_outdated`], and
//! [`MARK_OUTDATED_POSTGRES`] on the set-based path). Recording a batch takes the tally
//! row's lock first (an `UPDATE` of it: a row lock on PostgreSQL, the write lock on
//! SQLite), so recordings and restarts never interleave; a customer is recorded only if
//! its mark is still the one read, so a reason decided from lines an import has since
//! changed is never kept.

use std::collections::HashMap;

use async_trait::async_trait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Set, TransactionTrait as _,
};

use benefits_domain::customer::CustomerId;
use benefits_domain::error::Unexpected;
use benefits_domain::fee_waiver::FeeWaiverReason;
use benefits_domain::refund::{EligibilityTally, LineReason, OutdatedCustomers};

use super::SeaCustomerRepository;
use super::entities::{
    fee_waiver_outdated, fee_waiver_reason_counts, fee_waiver_reasons, fee_waiver_tally, lines,
};
use super::unexpected;

/// The one row of `fee_waiver_tally`.
const TALLY_ROW: i32 = 1;
/// `fee_waiver_reason_counts`' key for the eligible lines.
const ELIGIBLE: &str = "";
/// Customers (or lines) per statement: well under SQLite's limit of bound values.
const PER_STATEMENT: usize = 500;

/// Marks outdated, on PostgreSQL, the customers `$1` and the present owners of the
/// lines `$2`, before the import's statements change them.
pub(crate) const MARK_OUTDATED_POSTGRES: &str = "\
INSERT INTO fee_waiver_outdated (customer_id, mark)
SELECT id, 0 FROM (SELECT unnest($1::text[]) AS id
                   UNION SELECT customer_id FROM lines WHERE id = ANY($2)) AS touched
ON CONFLICT (customer_id) DO UPDATE SET mark = fee_waiver_outdated.mark + 1";

/// Every customer outdated: the tally starts over.
const ALL_OUTDATED: &str = "\
INSERT INTO fee_waiver_outdated (customer_id, mark) SELECT id, 0 FROM customers WHERE true
ON CONFLICT (customer_id) DO UPDATE SET mark = fee_waiver_outdated.mark + 1";

/// Marks outdated the customers `customer_ids` and the present owners of `line_ids`,
/// in the caller's transaction, before it changes them.
pub(crate) async fn mark_outdated<C: ConnectionTrait>(
    db: &C,
    customer_ids: Vec<String>,
    line_ids: &[String],
) -> Result<(), sea_orm::DbErr> {
    let mut touched = customer_ids;
    for chunk in line_ids.chunks(PER_STATEMENT) {
        let owners: Vec<String> = lines::Entity::find()
            .select_only()
            .column(lines::Column::CustomerId)
            .filter(lines::Column::Id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        touched.extend(owners);
    }
    touched.sort_unstable();
    touched.dedup();
    for chunk in touched.chunks(PER_STATEMENT) {
        fee_waiver_outdated::Entity::insert_many(chunk.iter().map(|customer_id| {
            fee_waiver_outdated::ActiveModel {
                customer_id: Set(customer_id.clone()),
                mark: Set(0),
            }
        }))
        .on_conflict(
            OnConflict::column(fee_waiver_outdated::Column::CustomerId)
                .value(
                    fee_waiver_outdated::Column::Mark,
                    Expr::col((
                        fee_waiver_outdated::Entity,
                        fee_waiver_outdated::Column::Mark,
                    ))
                    .add(1),
                )
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The eligibility tally over sea-orm, on the primary (counting writes).
#[derive(Clone)]
pub struct SeaEligibilityTally {
    db: DatabaseConnection,
    customers: SeaCustomerRepository,
}

impl SeaEligibilityTally {
    /// Reads lines through `customers` (which opens them), on the same database.
    pub fn new(db: DatabaseConnection, customers: SeaCustomerRepository) -> Self {
        Self { db, customers }
    }

    /// Takes the tally row's lock for `txn`, if it is still kept under `rules`.
    async fn lock_under<C: ConnectionTrait>(txn: &C, rules: &str) -> Result<bool, sea_orm::DbErr> {
        let locked = fee_waiver_tally::Entity::update_many()
            .col_expr(
                fee_waiver_tally::Column::Rules,
                Expr::col(fee_waiver_tally::Column::Rules),
            )
            .filter(fee_waiver_tally::Column::Id.eq(TALLY_ROW))
            .filter(fee_waiver_tally::Column::Rules.eq(rules))
            .exec(txn)
            .await?;
        Ok(locked.rows_affected == 1)
    }

    /// Starts the tally over under `rules` unless it is kept under them already.
    async fn start_over_unless_under(&self, rules: &str) -> Result<(), sea_orm::DbErr> {
        let kept = fee_waiver_tally::Entity::find_by_id(TALLY_ROW)
            .one(&self.db)
            .await?;
        if kept.is_some_and(|kept| kept.rules == rules) {
            return Ok(());
        }
        let txn = self.db.begin().await?;
        let switched = fee_waiver_tally::Entity::update_many()
            .col_expr(fee_waiver_tally::Column::Rules, Expr::value(rules))
            .filter(fee_waiver_tally::Column::Id.eq(TALLY_ROW))
            .filter(fee_waiver_tally::Column::Rules.ne(rules))
            .exec(&txn)
            .await?;
        if switched.rows_affected == 1 {
            fee_waiver_reasons::Entity::delete_many().exec(&txn).await?;
            fee_waiver_reason_counts::Entity::delete_many()
                .exec(&txn)
                .await?;
            txn.execute_unprepared(ALL_OUTDATED).await?;
        }
        txn.commit().await
    }

    /// Removes the marks of `customers` still as read; the customers whose mark it was.
    async fn settle<C: ConnectionTrait>(
        txn: &C,
        customers: &[(CustomerId, i64)],
    ) -> Result<Vec<String>, sea_orm::DbErr> {
        let mut settled = Vec::with_capacity(customers.len());
        for chunk in customers.chunks(PER_STATEMENT) {
            let still_as_read = chunk
                .iter()
                .fold(Condition::any(), |any, (customer, mark)| {
                    any.add(
                        fee_waiver_outdated::Column::CustomerId
                            .eq(&customer.0)
                            .and(fee_waiver_outdated::Column::Mark.eq(*mark)),
                    )
                });
            // The list finds the rows by the key's index; the condition checks the marks.
            let listed = chunk.iter().map(|(customer, _)| customer.0.clone());
            let removed = fee_waiver_outdated::Entity::delete_many()
                .filter(fee_waiver_outdated::Column::CustomerId.is_in(listed))
                .filter(still_as_read)
                .exec_with_returning(txn)
                .await?;
            settled.extend(removed.into_iter().map(|row| row.customer_id));
        }
        Ok(settled)
    }

    /// Removes the reasons kept where `column` is one of `ids` (the settled customers,
    /// or their lines: a line that moved to them was kept under its previous owner),
    /// and counts them out.
    async fn remove_reasons<C: ConnectionTrait>(
        txn: &C,
        column: fee_waiver_reasons::Column,
        ids: &[String],
        counts: &mut HashMap<String, i64>,
    ) -> Result<(), sea_orm::DbErr> {
        let removed: Vec<(Option<String>, i64)> = fee_waiver_reasons::Entity::find()
            .select_only()
            .column(fee_waiver_reasons::Column::Reason)
            .column_as(Expr::cust("COUNT(*)"), "lines")
            .filter(column.is_in(ids.iter().cloned()))
            .group_by(fee_waiver_reasons::Column::Reason)
            .into_tuple()
            .all(txn)
            .await?;
        for (reason, lines) in removed {
            *counts.entry(reason.unwrap_or_default()).or_default() -= lines;
        }
        fee_waiver_reasons::Entity::delete_many()
            .filter(column.is_in(ids.iter().cloned()))
            .exec(txn)
            .await?;
        Ok(())
    }
}

fn reason_key(reason: Option<FeeWaiverReason>) -> String {
    reason.map_or(ELIGIBLE, FeeWaiverReason::as_str).to_owned()
}

#[async_trait]
impl EligibilityTally for SeaEligibilityTally {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn keep_under(&self, rules: &str) -> Result<(), Unexpected> {
        self.start_over_unless_under(rules)
            .await
            .map_err(unexpected)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn outdated(
        &self,
        after: Option<&CustomerId>,
        limit: u64,
    ) -> Result<OutdatedCustomers, Unexpected> {
        let mut page = fee_waiver_outdated::Entity::find()
            .order_by_asc(fee_waiver_outdated::Column::CustomerId)
            .limit(limit);
        if let Some(after) = after {
            page = page.filter(fee_waiver_outdated::Column::CustomerId.gt(&after.0));
        }
        let customers: Vec<(CustomerId, i64)> = page
            .all(&self.db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|row| (CustomerId(row.customer_id), row.mark))
            .collect();
        // A page is as many customers as a page of `lines_page`: one statement each.
        let rows = lines::Entity::find()
            .filter(
                lines::Column::CustomerId
                    .is_in(customers.iter().map(|(customer, _)| customer.0.clone())),
            )
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        let lines = self.customers.with_history(rows).await?;
        Ok(OutdatedCustomers { customers, lines })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn record(
        &self,
        rules: &str,
        outdated: &OutdatedCustomers,
        reasons: &[LineReason],
    ) -> Result<(), Unexpected> {
        let record = async {
            let txn = self.db.begin().await?;
            if !Self::lock_under(&txn, rules).await? {
                return txn.rollback().await;
            }
            let mut settled = Self::settle(&txn, &outdated.customers).await?;
            settled.sort_unstable();
            let is_settled = |customer: &CustomerId| settled.binary_search(&customer.0).is_ok();
            let decided: Vec<&LineReason> = reasons
                .iter()
                .filter(|reason| is_settled(&reason.customer))
                .collect();
            let mut counts: HashMap<String, i64> = HashMap::new();
            let settled_lines: Vec<String> =
                decided.iter().map(|reason| reason.line.0.clone()).collect();
            for customers in settled.chunks(PER_STATEMENT) {
                let customer = fee_waiver_reasons::Column::CustomerId;
                Self::remove_reasons(&txn, customer, customers, &mut counts).await?;
            }
            for lines in settled_lines.chunks(PER_STATEMENT) {
                let line = fee_waiver_reasons::Column::LineId;
                Self::remove_reasons(&txn, line, lines, &mut counts).await?;
            }
            for chunk in decided.chunks(PER_STATEMENT) {
                fee_waiver_reasons::Entity::insert_many(chunk.iter().map(|decided| {
                    fee_waiver_reasons::ActiveModel {
                        line_id: Set(decided.line.0.clone()),
                        customer_id: Set(decided.customer.0.clone()),
                        reason: Set(decided.reason.map(|reason| reason.as_str().to_owned())),
                    }
                }))
                .exec_without_returning(&txn)
                .await?;
            }
            for decided in &decided {
                *counts.entry(reason_key(decided.reason)).or_default() += 1;
            }
            counts.retain(|_, change| *change != 0);
            if !counts.is_empty() {
                fee_waiver_reason_counts::Entity::insert_many(counts.into_iter().map(
                    |(reason, change)| fee_waiver_reason_counts::ActiveModel {
                        reason: Set(reason),
                        lines: Set(change),
                    },
                ))
                .on_conflict(
                    OnConflict::column(fee_waiver_reason_counts::Column::Reason)
                        .value(
                            fee_waiver_reason_counts::Column::Lines,
                            Expr::col((
                                fee_waiver_reason_counts::Entity,
                                fee_waiver_reason_counts::Column::Lines,
                            ))
                            .add(Expr::cust("excluded.lines")),
                        )
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            }
            txn.commit().await
        };
        record.await.map_err(unexpected)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn counts(&self) -> Result<Vec<(Option<FeeWaiverReason>, u64)>, Unexpected> {
        let rows = fee_waiver_reason_counts::Entity::find()
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter()
            .map(|row| {
                let reason = if row.reason == ELIGIBLE {
                    None
                } else {
                    Some(row.reason.parse().map_err(Unexpected::new)?)
                };
                Ok((reason, u64::try_from(row.lines).unwrap_or_default()))
            })
            .collect()
    }
}
