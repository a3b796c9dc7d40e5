//! The requests of each scenario, as request sources for the load generator.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rand::Rng as _;
use serde_json::json;

use benefits_domain::auth::Role;

use crate::fixture::{Callers, Till};
use crate::load::{Request, Source};

fn request(till_or_caller: &reqwest::header::HeaderValue, body: &serde_json::Value) -> Request {
    Request {
        authorization: till_or_caller.clone(),
        body: reqwest::Body::from(body.to_string()),
    }
}

/// `{ __typename }` from every till in turn: the floor (routing, token check, GraphQL).
pub fn typename(tills: &Arc<Vec<Till>>) -> Source {
    let (tills, next) = (tills.clone(), AtomicUsize::new(0));
    let body = json!({ "query": "{ __typename }" });
    Arc::new(move || {
        let till = &tills[next.fetch_add(1, Ordering::Relaxed) % tills.len()];
        Some(request(&till.bearer, &body))
    })
}

const VERIFY: &str = "query($c: String!, $o: ID!) { verifyDiscount(code: $c, offerId: $o, purchaseAmount: 5000) { eligible reason discountAmount } }";

/// Every till verifying the codes in turn (the same codes again and again: cached).
pub fn verify(tills: &Arc<Vec<Till>>, codes: &Arc<Vec<String>>) -> Source {
    let (tills, codes, next) = (tills.clone(), codes.clone(), AtomicUsize::new(0));
    Arc::new(move || {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let till = &tills[n % tills.len()];
        let code = &codes[n % codes.len()];
        Some(request(
            &till.bearer,
            &json!({ "query": VERIFY, "variables": { "c": code, "o": till.offer } }),
        ))
    })
}

const REDEEM: &str = "mutation($c: String!, $o: ID!, $k: String!) { redeemDiscount(input: { code: $c, offerId: $o, purchaseAmount: 5000, idempotencyKey: $k }) { status discountAmount } }";

/// Each code redeemed once, at the tills in turn; dry when the codes run out.
pub fn redeem(tills: &Arc<Vec<Till>>, codes: Vec<String>) -> Source {
    let (tills, next) = (tills.clone(), AtomicUsize::new(0));
    Arc::new(move || {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let code = codes.get(n)?;
        let till = &tills[n % tills.len()];
        Some(request(
            &till.bearer,
            &json!({ "query": REDEEM, "variables": { "c": code, "o": till.offer, "k": format!("bench-{code}") } }),
        ))
    })
}

/// Random customers of `customers` asking for their lines with fee waiver and benefits:
/// the sources of a warm-up asking for each token once (dry when done), and of the
/// requests measured, over the same `tokens` tokens.
pub fn me(callers: &Callers, customers: usize, tokens: usize) -> (Source, Source) {
    let mut random = rand::thread_rng();
    let bearers: Arc<Vec<_>> = Arc::new(
        (0..tokens)
            .map(|_| {
                let customer = random.gen_range(0..customers);
                callers.bearer(Role::Customer, &format!("C-{customer}"))
            })
            .collect(),
    );
    let body = json!({ "query": ME });
    let warm_up = {
        let (bearers, body, next) = (bearers.clone(), body.clone(), AtomicUsize::new(0));
        Arc::new(move || {
            let bearer = bearers.get(next.fetch_add(1, Ordering::Relaxed))?;
            Some(request(bearer, &body))
        }) as Source
    };
    let next = AtomicUsize::new(0);
    let requests = Arc::new(move || {
        let bearer = &bearers[next.fetch_add(1, Ordering::Relaxed) % bearers.len()];
        Some(request(bearer, &body))
    });
    (warm_up, requests)
}

const ME: &str = "{ me { lines { feeWaiver { eligible reason } benefits { kind eligible } } } }";

/// A customer's first request after a cold cache: every customer once, from the highest
/// number down (the fixtures issue codes from customer 0 upwards, so these customers
/// were not touched before); dry when they run out.
pub fn me_first(callers: &Callers, customers: usize) -> Source {
    let bearers: Vec<_> = (0..customers)
        .rev()
        .map(|customer| callers.bearer(Role::Customer, &format!("C-{customer}")))
        .collect();
    let next = AtomicUsize::new(0);
    let body = json!({ "query": ME });
    Arc::new(move || {
        let bearer = bearers.get(next.fetch_add(1, Ordering::Relaxed))?;
        Some(request(bearer, &body))
    })
}

const REFUND_OVERVIEW: &str = "{ refundOverview { linesByReason { reason count } applications { round status count amount } } }";

/// An admin asking for the refund overview, again and again.
pub fn refund_overview(callers: &Callers) -> Source {
    let bearer = callers.bearer(Role::Admin, "bench-reports");
    let body = json!({ "query": REFUND_OVERVIEW });
    Arc::new(move || Some(request(&bearer, &body)))
}

const DASHBOARD: &str = "{ redemptionsByDay(from: \"2026-03-01\", until: \"2026-03-31\") { day category count totalDiscount } dataGrantsByMonth { month lines gigabytes } }";

/// An admin asking for the dashboard, again and again.
pub fn dashboard(callers: &Callers) -> Source {
    let bearer = callers.bearer(Role::Admin, "bench-reports");
    let body = json!({ "query": DASHBOARD });
    Arc::new(move || Some(request(&bearer, &body)))
}
