//! The cache of customer views and how writes invalidate it. Views are keyed by the
//! customer's external id (a customer token's subject); writes that know only the
//! service's customer or line ids resolve them to external ids (from a map of ids,
//! which never change once assigned, then the database). When that fails after a
//! commit, every view is forgotten rather than one risked stale.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QuerySelect as _,
};

use benefits_domain::customer::{Customer, CustomerId, LineId};
use benefits_domain::customer_view::CustomerView;
use benefits_domain::error::Unexpected;

use crate::cache::{RedisTier, StampedCache};
use crate::db::entities::{customers, lines};
use crate::db::unexpected;

/// The Redis channel the replicas' view invalidations travel on.
const CHANNEL: &str = "customer-views";
/// More customers than this in one write: every view is forgotten instead of naming
/// each (a payout results file).
const MOST_NAMED: usize = 1_000;
/// Ids per `IN (...)` list.
const IDS_PER_QUERY: usize = 1_000;

/// How views were served, for `/metrics`.
#[derive(Debug, Default)]
pub(super) struct Served {
    pub(super) from_cache: AtomicU64,
    pub(super) from_database: AtomicU64,
}

/// The shared cache of customer views; cheap to clone.
#[derive(Clone)]
pub struct CustomerViewCache {
    pub(super) views: StampedCache<CustomerView>,
    pub(super) served: Arc<Served>,
    /// Customer id → external id, learned as views are loaded.
    external_ids: moka::sync::Cache<String, String>,
    db: DatabaseConnection,
}

impl CustomerViewCache {
    /// Holds up to `capacity` views for at most `ttl`; `remote` carries invalidations
    /// between replicas; `db` (the primary) resolves ids to external ids.
    pub fn new(
        remote: Option<RedisTier>,
        capacity: u64,
        ttl: Duration,
        db: DatabaseConnection,
    ) -> Self {
        Self {
            views: StampedCache::new(remote, CHANNEL, capacity, ttl),
            served: Arc::default(),
            external_ids: moka::sync::Cache::builder()
                .max_capacity(capacity.saturating_mul(2))
                .build(),
            db,
        }
    }

    /// Views served so far: from the cache, and read from the database.
    pub fn served(&self) -> (u64, u64) {
        (
            self.served.from_cache.load(Ordering::Relaxed),
            self.served.from_database.load(Ordering::Relaxed),
        )
    }

    pub(super) fn learn(&self, customer: &Customer) {
        self.external_ids.insert(
            customer.id.0.clone(),
            customer.facts.external_id.as_str().to_owned(),
        );
    }

    /// After a commit that changed these customers (by external id).
    pub(crate) async fn external_ids_changed(&self, external_ids: Vec<String>) {
        if external_ids.len() > MOST_NAMED {
            self.views.invalidate_all().await;
        } else {
            self.views.invalidate(&external_ids).await;
        }
    }

    /// After a commit that changed these customers (by the service's id).
    pub(crate) async fn customers_changed<'a>(
        &self,
        customers: impl IntoIterator<Item = &'a CustomerId>,
    ) {
        let mut ids: Vec<String> = customers.into_iter().map(|id| id.0.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MOST_NAMED {
            return self.views.invalidate_all().await;
        }
        let mut known = Vec::with_capacity(ids.len());
        let mut unknown = Vec::new();
        for id in ids {
            match self.external_ids.get(&id) {
                Some(external_id) => known.push(external_id),
                None => unknown.push(id),
            }
        }
        match self.resolve(unknown).await {
            Ok(resolved) => {
                known.extend(resolved);
                self.views.invalidate(&known).await;
            }
            Err(error) => {
                tracing::warn!(%error, "changed customers not resolved; forgetting every view");
                self.views.invalidate_all().await;
            }
        }
    }

    /// After a commit that changed these lines.
    pub(crate) async fn lines_changed(&self, changed: &[LineId]) {
        let owners = async {
            let mut owners = Vec::new();
            for chunk in changed.chunks(IDS_PER_QUERY) {
                let found: Vec<String> = lines::Entity::find()
                    .select_only()
                    .column(lines::Column::CustomerId)
                    .filter(lines::Column::Id.is_in(chunk.iter().map(|line| line.0.clone())))
                    .into_tuple()
                    .all(&self.db)
                    .await
                    .map_err(unexpected)?;
                owners.extend(found.into_iter().map(CustomerId));
            }
            Ok::<_, Unexpected>(owners)
        };
        match owners.await {
            Ok(owners) => self.customers_changed(&owners).await,
            Err(error) => {
                tracing::warn!(%error, "changed lines not resolved; forgetting every view");
                self.views.invalidate_all().await;
            }
        }
    }

    /// After a commit that changed more customers than are worth naming.
    pub(crate) async fn everything_changed(&self) {
        self.views.invalidate_all().await;
    }

    async fn resolve(&self, ids: Vec<String>) -> Result<Vec<String>, Unexpected> {
        let mut external_ids = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let rows: Vec<(String, String)> = customers::Entity::find()
                .select_only()
                .column(customers::Column::Id)
                .column(customers::Column::ExternalId)
                .filter(customers::Column::Id.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            for (id, external_id) in rows {
                self.external_ids.insert(id, external_id.clone());
                external_ids.push(external_id);
            }
        }
        Ok(external_ids)
    }
}
