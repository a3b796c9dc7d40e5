//! The job ledger over sea-orm: a claim is one conditional upsert, so the database
//! decides which of several replicas firing at once runs the job.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};

use benefits_domain::error::Unexpected;
use benefits_domain::scheduling::{JobClaim, JobLedger, JobSlot};

use super::entities::job_runs::{self, Column, Entity};
use super::unexpected;

/// The job ledger over sea-orm.
#[derive(Clone)]
pub struct SeaJobLedger {
    db: DatabaseConnection,
}

/// How many finished runs [`SeaJobLedger::latest_finished`] reads back to find each
/// job's latest: a few a day per job, so this covers weeks.
const RECENT_RUNS: u64 = 500;

/// A job's latest finished run, for `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedRun {
    pub job: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// What the run said it did (`audit-verify` starts it with `intact` or `broken`).
    pub outcome: String,
}

impl SeaJobLedger {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Each job's latest finished run.
    pub async fn latest_finished(&self) -> Result<Vec<FinishedRun>, Unexpected> {
        let rows = Entity::find()
            .filter(Column::FinishedAt.is_not_null())
            .order_by_desc(Column::FinishedAt)
            .limit(RECENT_RUNS)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        let mut latest: Vec<FinishedRun> = Vec::new();
        for row in rows {
            if latest.iter().any(|run| run.job == row.job) {
                continue;
            }
            if let Some(finished_at) = row.finished_at {
                latest.push(FinishedRun {
                    job: row.job,
                    started_at: row.started_at,
                    finished_at,
                    outcome: row.outcome.unwrap_or_default(),
                });
            }
        }
        Ok(latest)
    }
}

#[async_trait]
impl JobLedger for SeaJobLedger {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn claim(
        &self,
        slot: &JobSlot,
        holder: &str,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<JobClaim, Unexpected> {
        let row = job_runs::ActiveModel {
            job: Set(slot.job.clone()),
            slot: Set(slot.slot.clone()),
            holder: Set(holder.to_owned()),
            started_at: Set(now),
            finished_at: Set(None),
            outcome: Set(None),
        };
        // Taken over only when its holder neither finished nor started recently.
        let abandoned = Expr::col((Entity, Column::FinishedAt))
            .is_null()
            .and(Expr::col((Entity, Column::StartedAt)).lt(stale_before));
        let take_over = OnConflict::columns([Column::Job, Column::Slot])
            .update_columns([Column::Holder, Column::StartedAt])
            .action_and_where(abandoned)
            .to_owned();
        let written = Entity::insert(row)
            .on_conflict(take_over)
            .exec_without_returning(&self.db)
            .await
            .map_err(unexpected)?;
        if written == 1 {
            return Ok(JobClaim::Claimed);
        }
        let current = Entity::find_by_id((slot.job.clone(), slot.slot.clone()))
            .one(&self.db)
            .await
            .map_err(unexpected)?
            .ok_or_else(|| Unexpected::new(format!("job run {slot:?} vanished")))?;
        Ok(JobClaim::Taken {
            holder: current.holder,
            finished_at: current.finished_at,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn release(&self, slot: &JobSlot, holder: &str) -> Result<(), Unexpected> {
        Entity::delete_many()
            .filter(Column::Job.eq(slot.job.as_str()))
            .filter(Column::Slot.eq(slot.slot.as_str()))
            .filter(Column::Holder.eq(holder))
            .filter(Column::FinishedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn finish(
        &self,
        slot: &JobSlot,
        holder: &str,
        now: DateTime<Utc>,
        outcome: &str,
    ) -> Result<(), Unexpected> {
        Entity::update_many()
            .col_expr(Column::FinishedAt, Expr::value(now))
            .col_expr(Column::Outcome, Expr::value(outcome))
            .filter(Column::Job.eq(slot.job.as_str()))
            .filter(Column::Slot.eq(slot.slot.as_str()))
            .filter(Column::Holder.eq(holder))
            .exec(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(())
    }
}
