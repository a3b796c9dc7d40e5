//! The data the scenarios need, made through the public API as its users would: the
//! partners with thousands of stores (one token each, as POS terminals have), and
//! discount codes issued by customers for their lines.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, bail};
use futures_util::{StreamExt as _, stream};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde_json::{Value, json};

use benefits_domain::auth::Role;
use benefits_infra::tokens::TokenService;

/// Stores per partner, and partners (two per category).
const STORES_PER_PARTNER: usize = 500;
const CATEGORIES: [&str; 4] = ["COFFEE", "CINEMA", "BAKERY", "ICE_CREAM"];
const PARTNERS_PER_CATEGORY: usize = 2;
/// Setup requests in flight at once.
const SETUP_CONCURRENCY: usize = 32;

/// Mints the bearer headers of the scenarios' callers.
pub struct Callers {
    pub tokens: TokenService,
}

impl Callers {
    pub fn bearer(&self, role: Role, subject: &str) -> HeaderValue {
        let token = self
            .tokens
            .issue(role, subject, Duration::from_hours(24))
            .expect("the bench holds the signing key");
        HeaderValue::from_str(&format!("Bearer {token}")).expect("a token is a header value")
    }
}

/// Posts one GraphQL request during setup; its `data`, or an error naming the errors.
pub async fn graphql(
    client: &reqwest::Client,
    url: &str,
    bearer: &HeaderValue,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let body: Value = client
        .post(format!("{url}/graphql"))
        .header(AUTHORIZATION, bearer)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await?;
    if let Some(errors) = body.get("errors") {
        bail!("GraphQL errors: {errors}");
    }
    Ok(body["data"].clone())
}

/// A store's terminal: its bearer header and the offer of its partner.
#[derive(Clone)]
pub struct Till {
    pub bearer: HeaderValue,
    pub offer: String,
}

/// Adds the partners, their stores and one offer each; a till per store.
pub async fn partners(
    client: &reqwest::Client,
    url: &str,
    callers: &Callers,
) -> anyhow::Result<Vec<Till>> {
    let admin = callers.bearer(Role::Admin, "bench-admin");
    let mut tills = Vec::new();
    for (category_index, category) in CATEGORIES.iter().enumerate() {
        for copy in 0..PARTNERS_PER_CATEGORY {
            let partner = category_index * PARTNERS_PER_CATEGORY + copy;
            let stores: Vec<Value> = (0..STORES_PER_PARTNER)
                .map(|store| json!({ "externalId": format!("S-{partner}-{store}"), "name": format!("Store {store}") }))
                .collect();
            let input = json!({
                "externalId": format!("P-{partner}"),
                "name": format!("Partner {partner}"),
                "category": category,
                "stores": stores,
                "offers": [{ "externalId": format!("O-{partner}"), "title": "1,000 off", "amountOff": 1000, "minPurchase": 0 }],
            });
            let data = graphql(
                client,
                url,
                &admin,
                "mutation($input: PartnerInput!) { upsertPartner(input: $input) { offers { id } } }",
                json!({ "input": input }),
            )
            .await?;
            let offer = data["upsertPartner"]["offers"][0]["id"]
                .as_str()
                .context("the partner has its offer")?
                .to_owned();
            for store in 0..STORES_PER_PARTNER {
                tills.push(Till {
                    bearer: callers.bearer(Role::PartnerStore, &format!("S-{partner}-{store}")),
                    offer: offer.clone(),
                });
            }
        }
    }
    Ok(tills)
}

/// Hands out customers in order, so that no line gets two codes.
pub struct CustomerCursor {
    next: AtomicUsize,
    customers: usize,
}

impl CustomerCursor {
    pub fn new(customers: usize) -> Arc<Self> {
        Arc::new(Self {
            next: AtomicUsize::new(0),
            customers,
        })
    }
}

/// Discount codes of at least `wanted` lines (each customer's lines that may have one),
/// taking customers from `cursor`.
pub async fn codes(
    client: &reqwest::Client,
    url: &str,
    callers: &Callers,
    cursor: &CustomerCursor,
    wanted: usize,
) -> anyhow::Result<Vec<String>> {
    let mut codes = Vec::with_capacity(wanted);
    while codes.len() < wanted {
        let start = cursor
            .next
            .fetch_add(SETUP_CONCURRENCY * 8, Ordering::Relaxed);
        if start >= cursor.customers {
            if codes.is_empty() {
                bail!("the customers ran out before the first code");
            }
            eprintln!(
                "the customers ran out after {} of {wanted} codes: the phase ends early",
                codes.len()
            );
            break;
        }
        let end = (start + SETUP_CONCURRENCY * 8).min(cursor.customers);
        let batches: Vec<anyhow::Result<Vec<String>>> = stream::iter(start..end)
            .map(|customer| customer_codes(client, url, callers, customer))
            .buffer_unordered(SETUP_CONCURRENCY)
            .collect()
            .await;
        for batch in batches {
            codes.extend(batch?);
        }
    }
    Ok(codes)
}

async fn customer_codes(
    client: &reqwest::Client,
    url: &str,
    callers: &Callers,
    customer: usize,
) -> anyhow::Result<Vec<String>> {
    let bearer = callers.bearer(Role::Customer, &format!("C-{customer}"));
    let data = graphql(client, url, &bearer, "{ me { lines { id } } }", json!({})).await?;
    let mut codes = Vec::new();
    for line in data["me"]["lines"].as_array().into_iter().flatten() {
        let issued = graphql(
            client,
            url,
            &bearer,
            "mutation($line: ID!) { issueDiscountCode(lineId: $line) { code } }",
            json!({ "line": line["id"] }),
        )
        .await;
        // Lines without the discount benefit (terminated, IoT, ...) are refused a code.
        if let Ok(data) = issued
            && let Some(code) = data["issueDiscountCode"]["code"].as_str()
        {
            codes.push(code.to_owned());
        }
    }
    Ok(codes)
}
