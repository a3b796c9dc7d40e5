//! Refund applications over sea-orm. One application per line and one use per
//! idempotency key are unique constraints; status changes are conditional updates.

mod convert;
mod payout;

use std::collections::{BTreeSet, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseConnection, DbErr, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, SqlErr, TransactionTrait as _,
};

use benefits_domain::campaign::PayoutRound;
use benefits_domain::customer::{CustomerId, LineId};
use benefits_domain::error::Unexpected;
use benefits_domain::refund::ports::{
    ApplicationFilter, ApplicationTally, IdempotencyClaim, RecordError, Replay,
};
use benefits_domain::refund::{
    ApplicationId, BankAccount, LateApplication, NewApplication, PayoutFile, RefundApplication,
    RefundRepository, RefundStatus, SubmitError,
};

use super::customer_view::CustomerViewCache;
use super::entities::{
    idempotency_keys, late_applications, payout_closures, payout_items, refund_applications,
};
use super::unexpected;
use crate::crypto::{FieldCipher, LookupHasher};
use convert::{ACCOUNT, APPLICATIONS, EVIDENCE, GUARDIAN, HOLDER, LATE};

/// Lookup-hash domain of idempotency fingerprints.
const FINGERPRINT_DOMAIN: &str = "idempotency";
/// Rows per `IN (...)` list.
const IDS_PER_QUERY: usize = 1_000;

/// The refund repository over sea-orm.
#[derive(Clone)]
pub struct SeaRefundRepository {
    db: DatabaseConnection,
    cipher: FieldCipher,
    hasher: LookupHasher,
    views: Option<CustomerViewCache>,
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

impl SeaRefundRepository {
    pub fn new(db: DatabaseConnection, cipher: FieldCipher, hasher: LookupHasher) -> Self {
        Self {
            db,
            cipher,
            hasher,
            views: None,
        }
    }

    /// Invalidates the customer views each write changes, after its commit.
    #[must_use]
    pub fn invalidating(mut self, views: CustomerViewCache) -> Self {
        self.views = Some(views);
        self
    }

    async fn customers_changed<'a>(&self, customers: impl IntoIterator<Item = &'a CustomerId>) {
        if let Some(views) = &self.views {
            views.customers_changed(customers).await;
        }
    }

    async fn everything_changed(&self) {
        if let Some(views) = &self.views {
            views.everything_changed().await;
        }
    }

    /// The applications of these lines.
    pub(crate) async fn applications_of_lines(
        &self,
        lines: &[String],
    ) -> Result<Vec<RefundApplication>, Unexpected> {
        let mut found = Vec::new();
        for chunk in lines.chunks(IDS_PER_QUERY) {
            let rows = refund_applications::Entity::find()
                .filter(refund_applications::Column::LineId.is_in(chunk.iter().cloned()))
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            for row in &rows {
                found.push(convert::application(&self.cipher, row)?);
            }
        }
        Ok(found)
    }

    /// The late-application grants of these lines.
    pub(crate) async fn late_applications_of_lines(
        &self,
        lines: &[String],
    ) -> Result<Vec<LateApplication>, Unexpected> {
        let mut found = Vec::new();
        for chunk in lines.chunks(IDS_PER_QUERY) {
            let rows = late_applications::Entity::find()
                .filter(late_applications::Column::LineId.is_in(chunk.iter().cloned()))
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            for row in &rows {
                found.push(convert::late_application(&self.cipher, row)?);
            }
        }
        Ok(found)
    }

    fn fingerprint(&self, claim: &IdempotencyClaim) -> Vec<u8> {
        self.hasher.hash(FINGERPRINT_DOMAIN, &claim.fingerprint)
    }

    async fn find_row(&self, id: &str) -> Result<Option<refund_applications::Model>, Unexpected> {
        refund_applications::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await
            .map_err(unexpected)
    }

    async fn find_by_id(&self, id: &str) -> Result<Option<RefundApplication>, Unexpected> {
        self.find_row(id)
            .await?
            .map(|row| convert::application(&self.cipher, &row))
            .transpose()
    }

    /// Seals `account` into the `refund_applications` columns of row `id`.
    fn seal_account(&self, id: &str, account: &BankAccount) -> (Vec<u8>, Vec<u8>) {
        (
            self.cipher
                .seal(APPLICATIONS, ACCOUNT, id, account.number().as_bytes()),
            self.cipher
                .seal(APPLICATIONS, HOLDER, id, account.holder().as_bytes()),
        )
    }
}

#[async_trait]
impl RefundRepository for SeaRefundRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn find(
        &self,
        id: &ApplicationId,
        owner: Option<&CustomerId>,
    ) -> Result<Option<RefundApplication>, Unexpected> {
        let mut select = refund_applications::Entity::find_by_id(id.0.clone());
        if let Some(owner) = owner {
            select = select.filter(refund_applications::Column::CustomerId.eq(&owner.0));
        }
        let row = select.one(&self.db).await.map_err(unexpected)?;
        row.map(|row| convert::application(&self.cipher, &row))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn for_line(&self, line: &LineId) -> Result<Option<RefundApplication>, Unexpected> {
        let row = refund_applications::Entity::find()
            .filter(refund_applications::Column::LineId.eq(&line.0))
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        row.map(|row| convert::application(&self.cipher, &row))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn lines_with_applications(
        &self,
        lines: &[LineId],
    ) -> Result<HashSet<LineId>, Unexpected> {
        let mut found = HashSet::new();
        for chunk in lines.chunks(IDS_PER_QUERY) {
            let rows: Vec<String> = refund_applications::Entity::find()
                .select_only()
                .column(refund_applications::Column::LineId)
                .filter(
                    refund_applications::Column::LineId.is_in(chunk.iter().map(|l| l.0.clone())),
                )
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            found.extend(rows.into_iter().map(LineId));
        }
        Ok(found)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn replay(&self, claim: &IdempotencyClaim) -> Result<Option<Replay>, Unexpected> {
        let row = idempotency_keys::Entity::find_by_id((claim.scope.clone(), claim.key.clone()))
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(row.map(|row| {
            if row.fingerprint == self.fingerprint(claim) {
                Replay::Same(ApplicationId(row.result_id))
            } else {
                Replay::Different
            }
        }))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn submit(
        &self,
        application: NewApplication,
        claim: &IdempotencyClaim,
    ) -> Result<RefundApplication, SubmitError> {
        let id = uuid::Uuid::new_v4().to_string();
        let (account_enc, holder_enc) = self.seal_account(&id, &application.account);
        let guardian_enc = application.guardian_name.as_deref().map(|name| {
            self.cipher
                .seal(APPLICATIONS, GUARDIAN, &id, name.as_bytes())
        });
        let txn = self.db.begin().await.map_err(unexpected)?;
        let claimed = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
            scope: Set(claim.scope.clone()),
            key: Set(claim.key.clone()),
            fingerprint: Set(self.fingerprint(claim)),
            result_id: Set(id.clone()),
            created_at: Set(application.applied_at),
        })
        .exec_without_returning(&txn)
        .await;
        match claimed {
            Err(error) if is_unique_violation(&error) => return Err(SubmitError::KeyTaken),
            Err(error) => return Err(unexpected(error).into()),
            Ok(_) => {}
        }
        let inserted = refund_applications::Entity::insert(refund_applications::ActiveModel {
            id: Set(id.clone()),
            line_id: Set(application.line_id.0.clone()),
            customer_id: Set(application.customer_id.0.clone()),
            channel: Set(application.channel.as_str().to_owned()),
            status: Set(RefundStatus::Submitted.as_str().to_owned()),
            amount: Set(application.amount),
            bank_code: Set(application.account.bank_code().to_owned()),
            account_enc: Set(account_enc),
            holder_enc: Set(holder_enc),
            guardian_enc: Set(guardian_enc),
            round_number: Set(application.round),
            applied_at: Set(application.applied_at),
            cancelled_on: Set(application.cancelled_on),
            submitted_by: Set(application.submitted_by.clone()),
            updated_at: Set(application.applied_at),
        })
        .exec_without_returning(&txn)
        .await;
        match inserted {
            Err(error) if is_unique_violation(&error) => return Err(SubmitError::AlreadyApplied),
            Err(error) => return Err(unexpected(error).into()),
            Ok(_) => {}
        }
        crate::db::events::write_refund(&txn, &id, application.applied_at).await?;
        txn.commit().await.map_err(unexpected)?;
        self.customers_changed([&application.customer_id]).await;
        Ok(RefundApplication {
            id: ApplicationId(id),
            line_id: application.line_id,
            customer_id: application.customer_id,
            channel: application.channel,
            status: RefundStatus::Submitted,
            amount: application.amount,
            account: application.account,
            guardian_name: application.guardian_name,
            round: application.round,
            applied_at: application.applied_at,
            cancelled_on: application.cancelled_on,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn correct_account(
        &self,
        id: &ApplicationId,
        account: &BankAccount,
        next_round: Option<i32>,
        at: DateTime<Utc>,
    ) -> Result<Option<RefundApplication>, Unexpected> {
        let (account_enc, holder_enc) = self.seal_account(&id.0, account);
        let update = || {
            refund_applications::Entity::update_many()
                .col_expr(
                    refund_applications::Column::BankCode,
                    Expr::value(account.bank_code()),
                )
                .col_expr(
                    refund_applications::Column::AccountEnc,
                    Expr::value(account_enc.clone()),
                )
                .col_expr(
                    refund_applications::Column::HolderEnc,
                    Expr::value(holder_enc.clone()),
                )
                .col_expr(refund_applications::Column::UpdatedAt, Expr::value(at))
                .filter(refund_applications::Column::Id.eq(&id.0))
        };
        // Waiting for its round: only the account changes.
        let waiting = update()
            .filter(refund_applications::Column::Status.eq(RefundStatus::Submitted.as_str()))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        if waiting.rows_affected == 0 {
            // A failed payout: it joins the next round, or keeps waiting when none is left.
            let status = if next_round.is_some() {
                RefundStatus::Submitted
            } else {
                RefundStatus::Failed
            };
            let failed = update()
                .col_expr(
                    refund_applications::Column::Status,
                    Expr::value(status.as_str()),
                )
                .col_expr(
                    refund_applications::Column::RoundNumber,
                    Expr::value(next_round),
                )
                .filter(refund_applications::Column::Status.eq(RefundStatus::Failed.as_str()))
                .exec(&self.db)
                .await
                .map_err(unexpected)?;
            if failed.rows_affected == 0 {
                return Ok(None);
            }
        }
        let corrected = self.find_by_id(&id.0).await;
        match &corrected {
            Ok(Some(application)) => self.customers_changed([&application.customer_id]).await,
            _ => self.everything_changed().await,
        }
        corrected
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn list(
        &self,
        filter: ApplicationFilter,
        limit: u64,
    ) -> Result<Vec<RefundApplication>, Unexpected> {
        let mut select = refund_applications::Entity::find();
        if let Some(round) = filter.round {
            select = select.filter(refund_applications::Column::RoundNumber.eq(round));
        }
        if let Some(status) = filter.status {
            select = select.filter(refund_applications::Column::Status.eq(status.as_str()));
        }
        if filter.without_round {
            select = select.filter(refund_applications::Column::RoundNumber.is_null());
        }
        let rows = select
            .order_by_desc(refund_applications::Column::AppliedAt)
            .order_by_asc(refund_applications::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.iter()
            .map(|row| convert::application(&self.cipher, row))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn tally(&self) -> Result<Vec<ApplicationTally>, Unexpected> {
        let rows: Vec<(Option<i32>, String, i64, i64)> = refund_applications::Entity::find()
            .select_only()
            .column(refund_applications::Column::RoundNumber)
            .column(refund_applications::Column::Status)
            .column_as(Expr::cust("COUNT(*)"), "count")
            .column_as(
                Expr::cust("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"),
                "amount",
            )
            .group_by(refund_applications::Column::RoundNumber)
            .group_by(refund_applications::Column::Status)
            .order_by_asc(refund_applications::Column::RoundNumber)
            .order_by_asc(refund_applications::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.into_iter()
            .map(|(round, status, count, amount)| {
                Ok(ApplicationTally {
                    round,
                    status: status.parse().map_err(Unexpected::new)?,
                    count: u64::try_from(count).unwrap_or_default(),
                    amount,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn last_round(&self, id: &ApplicationId) -> Result<Option<i32>, Unexpected> {
        let rounds: Vec<i32> = payout_items::Entity::find()
            .select_only()
            .column(payout_items::Column::RoundNumber)
            .filter(payout_items::Column::ApplicationId.eq(&id.0))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rounds.into_iter().max())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn closed_rounds(&self, campaign_id: &str) -> Result<BTreeSet<i32>, Unexpected> {
        let rounds: Vec<i32> = payout_closures::Entity::find()
            .select_only()
            .column(payout_closures::Column::RoundNumber)
            .filter(payout_closures::Column::CampaignId.eq(campaign_id))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rounds.into_iter().collect())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn close_round(
        &self,
        campaign_id: &str,
        round: &PayoutRound,
        at: DateTime<Utc>,
    ) -> Result<PayoutFile, Unexpected> {
        let file = payout::close_round(self, campaign_id, round, at).await;
        // Every application of the round changed status (or might have, on an error
        // after the commit).
        self.everything_changed().await;
        file
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn record_result(
        &self,
        id: &ApplicationId,
        paid: bool,
        at: DateTime<Utc>,
    ) -> Result<RefundApplication, RecordError> {
        let recorded = payout::record_result(self, id, paid, at).await;
        match &recorded {
            Ok(application) => self.customers_changed([&application.customer_id]).await,
            Err(RecordError::NotFound | RecordError::NotScheduled) => {}
            Err(_) => self.everything_changed().await,
        }
        recorded
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn find_many(&self, ids: &[ApplicationId]) -> Result<Vec<RefundApplication>, Unexpected> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let rows = refund_applications::Entity::find()
                .filter(refund_applications::Column::Id.is_in(chunk.iter().map(|id| id.0.clone())))
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            for row in &rows {
                found.push(convert::application(&self.cipher, row)?);
            }
        }
        Ok(found)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn record_results(
        &self,
        results: &[(ApplicationId, bool)],
        at: DateTime<Utc>,
    ) -> Result<Vec<Option<RefundApplication>>, Unexpected> {
        let recorded = payout::record_results(self, results, at).await;
        match &recorded {
            Ok(applications) => {
                self.customers_changed(applications.iter().flatten().map(|a| &a.customer_id))
                    .await;
            }
            Err(_) => self.everything_changed().await,
        }
        recorded
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn late_application(&self, line: &LineId) -> Result<Option<LateApplication>, Unexpected> {
        let row = late_applications::Entity::find_by_id(line.0.clone())
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        row.map(|row| convert::late_application(&self.cipher, &row))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn grant_late(&self, grant: &LateApplication) -> Result<(), Unexpected> {
        use late_applications::Column;
        let row = late_applications::ActiveModel {
            line_id: Set(grant.line_id.0.clone()),
            reason: Set(grant.reason.as_str().to_owned()),
            reason_ended_on: Set(grant.reason_ended_on),
            apply_until: Set(grant.apply_until),
            evidence_enc: Set(self.cipher.seal(
                LATE,
                EVIDENCE,
                &grant.line_id.0,
                grant.evidence_note.as_bytes(),
            )),
            granted_by: Set(grant.granted_by.clone()),
            granted_at: Set(grant.granted_at),
        };
        late_applications::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(Column::LineId)
                    .update_columns([
                        Column::Reason,
                        Column::ReasonEndedOn,
                        Column::ApplyUntil,
                        Column::EvidenceEnc,
                        Column::GrantedBy,
                        Column::GrantedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(unexpected)?;
        if let Some(views) = &self.views {
            views
                .lines_changed(std::slice::from_ref(&grant.line_id))
                .await;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn waiting_without_round(&self) -> Result<Vec<RefundApplication>, Unexpected> {
        let rows = refund_applications::Entity::find()
            .filter(refund_applications::Column::Status.eq(RefundStatus::Submitted.as_str()))
            .filter(refund_applications::Column::RoundNumber.is_null())
            .order_by_asc(refund_applications::Column::AppliedAt)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        rows.iter()
            .map(|row| convert::application(&self.cipher, row))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn join_round(&self, id: &ApplicationId, round: i32) -> Result<bool, Unexpected> {
        let joined = refund_applications::Entity::update_many()
            .col_expr(refund_applications::Column::RoundNumber, Expr::value(round))
            .filter(refund_applications::Column::Id.eq(&id.0))
            .filter(refund_applications::Column::Status.eq(RefundStatus::Submitted.as_str()))
            .filter(refund_applications::Column::RoundNumber.is_null())
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        if joined.rows_affected > 0 {
            match self.find_row(&id.0).await {
                Ok(Some(row)) => self.customers_changed([&CustomerId(row.customer_id)]).await,
                _ => self.everything_changed().await,
            }
        }
        Ok(joined.rows_affected > 0)
    }
}
