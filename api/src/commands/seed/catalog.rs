//! The demo's partners, stores and offers (`api/demo/partners.json`), declared through
//! the admins' use case as a `demo-seed` admin.

use serde::Deserialize;

use benefits_domain::auth::{Caller, Principal, Role};
use benefits_domain::partner::{Discount, Limits, NewOffer, NewPartner, NewStore};

use crate::app::App;

const PARTNERS: &str = include_str!("../../../demo/partners.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PartnerEntry {
    external_id: String,
    name: String,
    category: String,
    stores: Vec<StoreEntry>,
    offers: Vec<OfferEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoreEntry {
    external_id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OfferEntry {
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

/// The admin the demo acts as.
pub(super) fn seed_admin() -> Caller {
    Caller {
        principal: Principal {
            role: Role::Admin,
            subject: "demo-seed".to_owned(),
        },
        source_address: None,
    }
}

fn partner(entry: PartnerEntry) -> anyhow::Result<NewPartner> {
    Ok(NewPartner {
        external_id: entry.external_id,
        name: entry.name,
        category: entry
            .category
            .parse()
            .map_err(|error: String| anyhow::anyhow!(error))?,
        stores: entry
            .stores
            .into_iter()
            .map(|store| NewStore {
                external_id: store.external_id,
                name: store.name,
            })
            .collect(),
        offers: entry
            .offers
            .into_iter()
            .map(|offer| {
                let discount = match (offer.percent_off, offer.amount_off) {
                    (Some(percent), None) => Discount::Percent {
                        percent,
                        cap: offer.max_discount,
                    },
                    (None, Some(amount)) => Discount::Amount(amount),
                    _ => anyhow::bail!("offer {} needs percentOff or amountOff", offer.external_id),
                };
                Ok(NewOffer {
                    external_id: offer.external_id,
                    title: offer.title,
                    discount,
                    min_purchase: offer.min_purchase,
                    limits: Limits {
                        per_day: offer.per_day,
                        per_month: offer.per_month,
                        per_program: offer.per_program,
                    },
                })
            })
            .collect::<anyhow::Result<_>>()?,
    })
}

/// Declares every demo partner; how many.
pub(super) async fn load(app: &App) -> anyhow::Result<usize> {
    let entries: Vec<PartnerEntry> = serde_json::from_str(PARTNERS)?;
    let count = entries.len();
    for entry in entries {
        app.discounts
            .upsert_partner(&seed_admin(), partner(entry)?)
            .await?;
    }
    Ok(count)
}
