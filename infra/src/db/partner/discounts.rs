//! Codes, usage counters and redemptions over sea-orm. Codes are stored as keyed
//! hashes; what the till reads (a code's state, a line's usage) is cached and
//! invalidated by every redemption and cancellation.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, Condition, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _,
};
use serde::{Deserialize, Serialize};

use benefits_domain::customer::{CustomerId, LineId};
use benefits_domain::error::Unexpected;
use benefits_domain::partner::ports::{CancelError, RedeemCommand, RedeemError, RedemptionReplay};
use benefits_domain::partner::{CodeView, DiscountRepository, Redemption, Usage};

use super::cached::read_through;
use super::{standing_redemptions, till};
use crate::cache::{Cache, Codec as _, Json, SharedUpdate};
use crate::crypto::LookupHasher;
use crate::db::entities::{discount_codes, offer_usage, redemptions, stores};
use crate::db::unexpected;

/// Lookup-hash domains.
const CODE_DOMAIN: &str = "discount-code";
const FINGERPRINT_DOMAIN: &str = "redemption";
/// How long an unknown code is remembered as unknown (guessing storms stay off the
/// database; a real code is never unknown, since issuing it clears this).
const UNKNOWN_CODE_TTL: Duration = Duration::from_secs(5);
/// How long a code's state is cached: longer than a code lives (its expiry is judged
/// against the service's clock; redemptions invalidate the entry).
const KNOWN_CODE_TTL: Duration = Duration::from_mins(10);
/// How long a line's usage may be served from the cache (writes invalidate it).
const USAGE_TTL: Duration = Duration::from_mins(1);

/// The discount repository over sea-orm. The daily settlement is a report, read from
/// `reads` (a read replica when one is configured); everything else uses the primary.
#[derive(Clone)]
pub struct SeaDiscountRepository {
    pub(super) db: DatabaseConnection,
    reads: DatabaseConnection,
    pub(super) cache: Cache,
    hasher: LookupHasher,
}

/// A code's state as cached.
#[derive(Clone, Serialize, Deserialize)]
struct CachedCode {
    line_id: String,
    customer_id: String,
    expires_at: DateTime<Utc>,
    used: bool,
}

/// The periods a usage counter counts: the KST day, the month, the whole program.
pub(super) fn periods(day: NaiveDate) -> [String; 3] {
    [
        format!("D{day}"),
        format!("M{}", day.format("%Y-%m")),
        "P".to_owned(),
    ]
}

pub(super) fn usage_key(line: &str, offer: &str, day: NaiveDate) -> String {
    format!("usage:{line}:{offer}:{day}")
}

pub(super) fn code_key(hash: &[u8]) -> String {
    format!("code:{}", URL_SAFE_NO_PAD.encode(hash))
}

impl SeaDiscountRepository {
    pub fn new(db: DatabaseConnection, cache: Cache, hasher: LookupHasher) -> Self {
        Self {
            reads: db.clone(),
            db,
            cache,
            hasher,
        }
    }

    /// Reads the settlement report from `reads`.
    #[must_use]
    pub fn reading_from(self, reads: DatabaseConnection) -> Self {
        Self { reads, ..self }
    }

    pub(super) fn code_hash(&self, code: &str) -> Vec<u8> {
        self.hasher.hash(CODE_DOMAIN, code)
    }

    pub(super) fn fingerprint(&self, fingerprint: &str) -> Vec<u8> {
        self.hasher.hash(FINGERPRINT_DOMAIN, fingerprint)
    }

    /// After a redemption commits: this replica sees the code used and the line's new
    /// usage at once; Redis and the other replicas follow in the background, off the
    /// till's response path. A code only ever becomes used, so Redis is given its new
    /// state; usage moves both ways (cancellations), so Redis forgets it.
    pub(super) async fn after_redemption(
        &self,
        hash: &[u8],
        command: &RedeemCommand,
        usage: Usage,
    ) {
        let state = &command.code_state;
        let code = Some(CachedCode {
            line_id: state.line_id.0.clone(),
            customer_id: state.customer_id.0.clone(),
            expires_at: state.expires_at,
            used: true,
        });
        let shared = match Json.encode(&code) {
            Ok(bytes) => SharedUpdate::Set(bytes, KNOWN_CODE_TTL),
            Err(_) => SharedUpdate::Delete,
        };
        self.cache
            .write_behind(&code_key(hash), Some(code), shared)
            .await;
        self.cache
            .write_behind(
                &usage_key(&state.line_id.0, &command.offer.id, command.today),
                Some((usage.day, usage.month, usage.program)),
                SharedUpdate::Delete,
            )
            .await;
    }
}

#[async_trait]
impl DiscountRepository for SeaDiscountRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn save_code(
        &self,
        code: &str,
        line: &LineId,
        customer: &CustomerId,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let hash = self.code_hash(code);
        discount_codes::Entity::insert(discount_codes::ActiveModel {
            code_hash: Set(hash.clone()),
            line_id: Set(line.0.clone()),
            customer_id: Set(customer.0.clone()),
            issued_at: Set(issued_at),
            expires_at: Set(expires_at),
            used_at: Set(None),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(unexpected)?;
        self.cache.invalidate(&code_key(&hash)).await;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn code(&self, code: &str) -> Result<Option<CodeView>, Unexpected> {
        let hash = self.code_hash(code);
        let cached = read_through(&self.cache, &code_key(&hash), async {
            let row = discount_codes::Entity::find_by_id(hash.clone())
                .one(&self.db)
                .await
                .map_err(unexpected)?;
            let cached = row.map(|row| CachedCode {
                line_id: row.line_id,
                customer_id: row.customer_id,
                expires_at: row.expires_at,
                used: row.used_at.is_some(),
            });
            let ttl = if cached.is_some() {
                KNOWN_CODE_TTL
            } else {
                UNKNOWN_CODE_TTL
            };
            Ok((cached, ttl))
        })
        .await?;
        Ok(Option::clone(&cached).map(into_view))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn usage(
        &self,
        line: &LineId,
        offer: &str,
        today: NaiveDate,
    ) -> Result<Usage, Unexpected> {
        let [day, month, program] = periods(today);
        let counts: Arc<(i64, i64, i64)> =
            read_through(&self.cache, &usage_key(&line.0, offer, today), async {
                let rows = offer_usage::Entity::find()
                    .filter(offer_usage::Column::LineId.eq(&line.0))
                    .filter(offer_usage::Column::OfferId.eq(offer))
                    .filter(offer_usage::Column::Period.is_in([
                        day.clone(),
                        month.clone(),
                        program.clone(),
                    ]))
                    .all(&self.db)
                    .await
                    .map_err(unexpected)?;
                let used = |period: &str| {
                    rows.iter()
                        .find(|row| row.period == period)
                        .map_or(0, |row| row.used)
                };
                Ok(((used(&day), used(&month), used(&program)), USAGE_TTL))
            })
            .await?;
        let (day, month, program) = *counts;
        Ok(Usage {
            day,
            month,
            program,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn replay(
        &self,
        store_id: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<RedemptionReplay>, Unexpected> {
        let row = redemptions::Entity::find()
            .filter(redemptions::Column::IdempotencyKey.eq(key))
            .filter(redemptions::Column::StoreId.eq(store_id))
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        row.map(|row| {
            if row.fingerprint == self.fingerprint(fingerprint) {
                till::redemption(row).map(RedemptionReplay::Same)
            } else {
                Ok(RedemptionReplay::Different)
            }
        })
        .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn redeem(&self, command: &RedeemCommand) -> Result<Redemption, RedeemError> {
        till::redeem(self, command).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn cancel(
        &self,
        id: &str,
        store_id: &str,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<Redemption, CancelError> {
        till::cancel(self, id, store_id, today, at).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn redemptions_of_store(
        &self,
        store_id: &str,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Vec<Redemption>, Unexpected> {
        let mut select = redemptions::Entity::find()
            .filter(redemptions::Column::StoreId.eq(store_id))
            .order_by_desc(redemptions::Column::RedeemedAt)
            .order_by_desc(redemptions::Column::Id)
            .limit(limit);
        if let Some(after) = after {
            let cursor = redemptions::Entity::find_by_id(after.to_owned())
                .filter(redemptions::Column::StoreId.eq(store_id))
                .one(&self.db)
                .await
                .map_err(unexpected)?
                .ok_or_else(|| Unexpected::new("unknown cursor"))?;
            select = select.filter(
                Condition::any()
                    .add(redemptions::Column::RedeemedAt.lt(cursor.redeemed_at))
                    .add(
                        Condition::all()
                            .add(redemptions::Column::RedeemedAt.eq(cursor.redeemed_at))
                            .add(redemptions::Column::Id.lt(cursor.id)),
                    ),
            );
        }
        let rows = select.all(&self.db).await.map_err(unexpected)?;
        rows.into_iter().map(till::redemption).collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn settlement(&self, day: NaiveDate) -> Result<Vec<(String, i64, i64)>, Unexpected> {
        standing_redemptions(
            redemptions::Entity::find()
                .select_only()
                .column(stores::Column::PartnerId),
        )
        .filter(redemptions::Column::RedeemedOn.eq(day))
        .group_by(stores::Column::PartnerId)
        .into_tuple()
        .all(&self.reads)
        .await
        .map_err(unexpected)
    }
}

fn into_view(code: CachedCode) -> CodeView {
    CodeView {
        line_id: LineId(code.line_id),
        customer_id: CustomerId(code.customer_id),
        expires_at: code.expires_at,
        used: code.used,
    }
}
