//! Partners, stores and offers over sea-orm; offers and stores are cached for the till.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, TransactionTrait as _,
};
use serde::{Deserialize, Serialize};

use benefits_domain::error::Unexpected;
use benefits_domain::partner::ports::CatalogError;
use benefits_domain::partner::{
    CatalogRepository, Discount, Limits, NewPartner, Offer, Partner, Store,
};

use super::cached::read_through;
use crate::cache::Cache;
use crate::db::entities::{offers, partners, stores};
use crate::db::unexpected;

/// How long a replica may use a catalog entry another replica changed.
const CATALOG_TTL: Duration = Duration::from_mins(1);

/// The catalog over sea-orm.
#[derive(Clone)]
pub struct SeaCatalogRepository {
    db: DatabaseConnection,
    cache: Cache,
}

/// An offer as cached.
#[derive(Clone, Serialize, Deserialize)]
struct CachedOffer {
    id: String,
    partner_id: String,
    external_id: String,
    title: String,
    percent_off: Option<i64>,
    max_discount: Option<i64>,
    amount_off: Option<i64>,
    min_purchase: i64,
    per_day: Option<i64>,
    per_month: Option<i64>,
    per_program: Option<i64>,
}

impl From<offers::Model> for CachedOffer {
    fn from(row: offers::Model) -> Self {
        Self {
            id: row.id,
            partner_id: row.partner_id,
            external_id: row.external_id,
            title: row.title,
            percent_off: row.percent_off,
            max_discount: row.max_discount,
            amount_off: row.amount_off,
            min_purchase: row.min_purchase,
            per_day: row.per_day,
            per_month: row.per_month,
            per_program: row.per_program,
        }
    }
}

impl From<CachedOffer> for Offer {
    fn from(row: CachedOffer) -> Self {
        let discount = match (row.percent_off, row.amount_off) {
            (Some(percent), _) => Discount::Percent {
                percent,
                cap: row.max_discount,
            },
            (None, amount) => Discount::Amount(amount.unwrap_or_default()),
        };
        Self {
            id: row.id,
            partner_id: row.partner_id,
            external_id: row.external_id,
            title: row.title,
            discount,
            min_purchase: row.min_purchase,
            limits: Limits {
                per_day: row.per_day,
                per_month: row.per_month,
                per_program: row.per_program,
            },
        }
    }
}

/// A store as cached.
#[derive(Clone, Serialize, Deserialize)]
struct CachedStore {
    id: String,
    partner_id: String,
    external_id: String,
    name: String,
}

impl From<stores::Model> for Store {
    fn from(row: stores::Model) -> Self {
        Self {
            id: row.id,
            partner_id: row.partner_id,
            external_id: row.external_id,
            name: row.name,
        }
    }
}

fn offer_key(id: &str) -> String {
    format!("offer:{id}")
}

fn store_key(external_id: &str) -> String {
    format!("store:{external_id}")
}

impl SeaCatalogRepository {
    pub fn new(db: DatabaseConnection, cache: Cache) -> Self {
        Self { db, cache }
    }

    async fn load_partners(&self, filter: Option<&str>) -> Result<Vec<Partner>, Unexpected> {
        let mut select = partners::Entity::find().order_by_asc(partners::Column::ExternalId);
        if let Some(id) = filter {
            select = select.filter(partners::Column::Id.eq(id));
        }
        let rows = select.all(&self.db).await.map_err(unexpected)?;
        let mut stores_of: HashMap<String, Vec<Store>> = HashMap::new();
        for store in stores::Entity::find()
            .order_by_asc(stores::Column::ExternalId)
            .all(&self.db)
            .await
            .map_err(unexpected)?
        {
            stores_of
                .entry(store.partner_id.clone())
                .or_default()
                .push(store.into());
        }
        let mut offers_of: HashMap<String, Vec<Offer>> = HashMap::new();
        for offer in offers::Entity::find()
            .filter(offers::Column::Active.eq(true))
            .order_by_asc(offers::Column::ExternalId)
            .all(&self.db)
            .await
            .map_err(unexpected)?
        {
            offers_of
                .entry(offer.partner_id.clone())
                .or_default()
                .push(CachedOffer::from(offer).into());
        }
        rows.into_iter()
            .map(|row| {
                Ok(Partner {
                    stores: stores_of.remove(&row.id).unwrap_or_default(),
                    offers: offers_of.remove(&row.id).unwrap_or_default(),
                    category: row.category.parse().map_err(Unexpected::new)?,
                    id: row.id,
                    external_id: row.external_id,
                    name: row.name,
                })
            })
            .collect()
    }
}

#[async_trait]
impl CatalogRepository for SeaCatalogRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn upsert_partner(
        &self,
        partner: &NewPartner,
        at: chrono::DateTime<Utc>,
    ) -> Result<Partner, CatalogError> {
        let txn = self.db.begin().await.map_err(unexpected)?;
        let existing = partners::Entity::find()
            .filter(partners::Column::ExternalId.eq(&partner.external_id))
            .one(&txn)
            .await
            .map_err(unexpected)?;
        let partner_id = existing.map_or_else(|| uuid::Uuid::new_v4().to_string(), |row| row.id);
        partners::Entity::insert(partners::ActiveModel {
            id: Set(partner_id.clone()),
            external_id: Set(partner.external_id.clone()),
            name: Set(partner.name.clone()),
            category: Set(partner.category.as_str().to_owned()),
            updated_at: Set(at),
        })
        .on_conflict(
            OnConflict::column(partners::Column::ExternalId)
                .update_columns([
                    partners::Column::Name,
                    partners::Column::Category,
                    partners::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(unexpected)?;

        for store in &partner.stores {
            let existing = stores::Entity::find()
                .filter(stores::Column::ExternalId.eq(&store.external_id))
                .one(&txn)
                .await
                .map_err(unexpected)?;
            match existing {
                Some(row) if row.partner_id != partner_id => {
                    return Err(CatalogError::StoreOfAnotherPartner(
                        store.external_id.clone(),
                    ));
                }
                Some(row) => {
                    stores::Entity::update_many()
                        .col_expr(stores::Column::Name, Expr::value(store.name.clone()))
                        .filter(stores::Column::Id.eq(row.id))
                        .exec(&txn)
                        .await
                        .map_err(unexpected)?;
                }
                None => {
                    stores::Entity::insert(stores::ActiveModel {
                        id: Set(uuid::Uuid::new_v4().to_string()),
                        partner_id: Set(partner_id.clone()),
                        external_id: Set(store.external_id.clone()),
                        name: Set(store.name.clone()),
                    })
                    .exec_without_returning(&txn)
                    .await
                    .map_err(unexpected)?;
                }
            }
        }

        let current: HashMap<String, String> = offers::Entity::find()
            .filter(offers::Column::PartnerId.eq(&partner_id))
            .all(&txn)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|row| (row.external_id, row.id))
            .collect();
        offers::Entity::update_many()
            .col_expr(offers::Column::Active, Expr::value(false))
            .filter(offers::Column::PartnerId.eq(&partner_id))
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        for offer in &partner.offers {
            let (percent_off, max_discount, amount_off) = match offer.discount {
                Discount::Percent { percent, cap } => (Some(percent), cap, None),
                Discount::Amount(amount) => (None, None, Some(amount)),
            };
            offers::Entity::insert(offers::ActiveModel {
                id: Set(current
                    .get(&offer.external_id)
                    .cloned()
                    .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())),
                partner_id: Set(partner_id.clone()),
                external_id: Set(offer.external_id.clone()),
                title: Set(offer.title.clone()),
                percent_off: Set(percent_off),
                max_discount: Set(max_discount),
                amount_off: Set(amount_off),
                min_purchase: Set(offer.min_purchase),
                per_day: Set(offer.limits.per_day),
                per_month: Set(offer.limits.per_month),
                per_program: Set(offer.limits.per_program),
                active: Set(true),
            })
            .on_conflict(
                OnConflict::column(offers::Column::Id)
                    .update_columns([
                        offers::Column::Title,
                        offers::Column::PercentOff,
                        offers::Column::MaxDiscount,
                        offers::Column::AmountOff,
                        offers::Column::MinPurchase,
                        offers::Column::PerDay,
                        offers::Column::PerMonth,
                        offers::Column::PerProgram,
                        offers::Column::Active,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(unexpected)?;
        }
        txn.commit().await.map_err(unexpected)?;

        for id in current.values() {
            self.cache.invalidate(&offer_key(id)).await;
        }
        for store in &partner.stores {
            self.cache.invalidate(&store_key(&store.external_id)).await;
        }
        let saved = self.load_partners(Some(&partner_id)).await?;
        saved
            .into_iter()
            .next()
            .ok_or_else(|| Unexpected::new("the partner just written is gone").into())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn partners(&self) -> Result<Vec<Partner>, Unexpected> {
        self.load_partners(None).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn offer(&self, id: &str) -> Result<Option<Offer>, Unexpected> {
        let cached = read_through(&self.cache, &offer_key(id), async {
            let row = offers::Entity::find_by_id(id.to_owned())
                .filter(offers::Column::Active.eq(true))
                .one(&self.db)
                .await
                .map_err(unexpected)?;
            Ok((row.map(CachedOffer::from), CATALOG_TTL))
        })
        .await?;
        Ok(Option::clone(&cached).map(Offer::from))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn store(&self, external_id: &str) -> Result<Option<Store>, Unexpected> {
        let cached: Arc<Option<CachedStore>> =
            read_through(&self.cache, &store_key(external_id), async {
                let row = stores::Entity::find()
                    .filter(stores::Column::ExternalId.eq(external_id))
                    .one(&self.db)
                    .await
                    .map_err(unexpected)?;
                let store = row.map(|row| CachedStore {
                    id: row.id,
                    partner_id: row.partner_id,
                    external_id: row.external_id,
                    name: row.name,
                });
                Ok((store, CATALOG_TTL))
            })
            .await?;
        Ok(Option::clone(&cached).map(|row| Store {
            id: row.id,
            partner_id: row.partner_id,
            external_id: row.external_id,
            name: row.name,
        }))
    }
}
