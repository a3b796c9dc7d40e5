//! Partner-discount use cases: the catalog, issuing codes, verifying and redeeming at
//! the till, and cancelling.

use std::sync::Arc;

use super::ports::{
    CancelError, CatalogError, CodeGenerator, RedeemCommand, RedeemError, RedemptionReplay,
};
use super::rules::{check_offer, code_refusal, discount_for, within_limits};
use super::{
    CatalogRepository, CodeView, DiscountQuote, DiscountRepository, IssuedCode, NewPartner, Offer,
    Partner, QuoteRefusal, Redemption, Store,
};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::benefits::{BenefitKind, BenefitReason, line_benefit};
use crate::campaign::CampaignRepository;
use crate::clock::Clock;
use crate::customer::{CustomerRepository, LineId};
use crate::error::Unexpected;

/// `issueDiscountCode` was refused.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("no such line")]
    NotFound,
    #[error("outside the discount period")]
    WindowClosed,
    #[error("the line may not use partner discounts")]
    NotEligible(BenefitReason),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// `verifyDiscount` or `redeemDiscount` could not be answered with a quote.
#[derive(Debug, thiserror::Error)]
pub enum TillError {
    #[error("{0}")]
    BadInput(String),
    #[error("the token names no store, or the offer is not this store's partner's")]
    NotFound(&'static str),
    #[error("the code cannot be used")]
    Refused(QuoteRefusal),
    #[error("the idempotency key was used with another input")]
    IdempotencyConflict,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// `upsertPartner` was refused.
#[derive(Debug, thiserror::Error)]
pub enum UpsertPartnerError {
    #[error("{0}")]
    BadInput(String),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// The store, offer and code of a request at the till, once checked.
struct TillRequest {
    store: Store,
    offer: Offer,
    code: CodeView,
    discount: i64,
}

/// Partner-discount use cases.
#[derive(Clone)]
pub struct DiscountService {
    catalog: Arc<dyn CatalogRepository>,
    discounts: Arc<dyn DiscountRepository>,
    customers: Arc<dyn CustomerRepository>,
    campaigns: Arc<dyn CampaignRepository>,
    codes: Arc<dyn CodeGenerator>,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl DiscountService {
    pub fn new(
        catalog: Arc<dyn CatalogRepository>,
        discounts: Arc<dyn DiscountRepository>,
        customers: Arc<dyn CustomerRepository>,
        campaigns: Arc<dyn CampaignRepository>,
        codes: Arc<dyn CodeGenerator>,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            catalog,
            discounts,
            customers,
            campaigns,
            codes,
            audit,
            clock,
        }
    }

    /// The store a partner-store token names, if the catalog has it.
    async fn calling_store(&self, caller: &Caller) -> Result<Option<Store>, Unexpected> {
        match caller.principal.store_external_id() {
            Some(store) => self.catalog.store(store).await,
            None => Ok(None),
        }
    }

    /// Every partner with its stores and current offers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn partners(&self) -> Result<Vec<Partner>, Unexpected> {
        self.catalog.partners().await
    }

    /// Adds or changes a partner with its stores and offers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn upsert_partner(
        &self,
        caller: &Caller,
        partner: NewPartner,
    ) -> Result<Partner, UpsertPartnerError> {
        let named = |what: &str, value: &str| {
            if value.trim().is_empty() || value.len() > 100 {
                Err(UpsertPartnerError::BadInput(format!(
                    "{what} must be 1 to 100 characters"
                )))
            } else {
                Ok(())
            }
        };
        named("externalId", &partner.external_id)?;
        named("name", &partner.name)?;
        for store in &partner.stores {
            named("store externalId", &store.external_id)?;
            named("store name", &store.name)?;
        }
        for offer in &partner.offers {
            named("offer externalId", &offer.external_id)?;
            named("offer title", &offer.title)?;
            check_offer(&offer.discount, offer.min_purchase, &offer.limits)
                .map_err(UpsertPartnerError::BadInput)?;
        }
        let saved = self
            .catalog
            .upsert_partner(&partner, self.clock.now())
            .await
            .map_err(|error| match error {
                CatalogError::StoreOfAnotherPartner(store) => UpsertPartnerError::BadInput(
                    format!("store {store} belongs to another partner"),
                ),
                CatalogError::Unexpected(cause) => UpsertPartnerError::Unexpected(cause),
            })?;
        let entry = AuditEntry::by(caller, self.clock.now(), "partner.upsert").detail(format!(
            "partner {} with {} stores and {} offers",
            saved.external_id,
            saved.stores.len(),
            saved.offers.len()
        ));
        self.audit.append(entry).await?;
        Ok(saved)
    }

    /// Issues a one-time code for one of the calling customer's lines. Other codes of
    /// the line stay valid (a phone and a watch may each show one).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn issue_code(
        &self,
        caller: &Caller,
        line_id: &LineId,
    ) -> Result<IssuedCode, IssueError> {
        let external_id = caller
            .principal
            .customer_external_id()
            .ok_or(IssueError::NotFound)?;
        let customer = self
            .customers
            .by_external_id(external_id)
            .await?
            .ok_or(IssueError::NotFound)?;
        let line = self
            .customers
            .line(line_id, Some(&customer.id))
            .await?
            .ok_or(IssueError::NotFound)?;
        let campaign = self.campaigns.active().await?;
        let now = self.clock.now();
        if !campaign
            .appreciation
            .discount_window
            .contains(crate::kst::date_of(now))
        {
            return Err(IssueError::WindowClosed);
        }
        line_benefit(
            BenefitKind::PartnerDiscount,
            &line.facts,
            &campaign.appreciation,
        )
        .map_err(IssueError::NotEligible)?;
        let expires_at =
            now + chrono::Duration::seconds(campaign.appreciation.discount_code_ttl_seconds.max(1));
        let code = self.codes.discount_code();
        self.discounts
            .save_code(&code, &line.id, &customer.id, now, expires_at)
            .await?;
        Ok(IssuedCode { code, expires_at })
    }

    /// Checks a request at the till without changing anything.
    async fn check(
        &self,
        caller: &Caller,
        code: &str,
        offer_id: &str,
        purchase: i64,
    ) -> Result<TillRequest, TillError> {
        let store = self
            .calling_store(caller)
            .await?
            .ok_or(TillError::NotFound("store"))?;
        let offer = self
            .catalog
            .offer(offer_id)
            .await?
            .filter(|offer| offer.partner_id == store.partner_id)
            .ok_or(TillError::NotFound("offer"))?;
        if purchase < 0 {
            return Err(TillError::BadInput(
                "purchaseAmount must not be negative".into(),
            ));
        }
        let code_view = self
            .discounts
            .code(code.trim())
            .await?
            .ok_or(TillError::Refused(QuoteRefusal::CodeInvalid))?;
        let now = self.clock.now();
        if let Some(refusal) = code_refusal(&code_view, now) {
            return Err(TillError::Refused(refusal));
        }
        let campaign = self.campaigns.active().await?;
        if !campaign
            .appreciation
            .discount_window
            .contains(crate::kst::date_of(now))
        {
            return Err(TillError::Refused(QuoteRefusal::NotEligible));
        }
        let discount = discount_for(&offer, purchase).map_err(TillError::Refused)?;
        let usage = self
            .discounts
            .usage(&code_view.line_id, &offer.id, crate::kst::date_of(now))
            .await?;
        if !within_limits(&offer.limits, &usage) {
            return Err(TillError::Refused(QuoteRefusal::LimitReached));
        }
        Ok(TillRequest {
            store,
            offer,
            code: code_view,
            discount,
        })
    }

    /// What redeeming would give, read only: a refusal is a quote, not an error.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn verify(
        &self,
        caller: &Caller,
        code: &str,
        offer_id: &str,
        purchase: i64,
    ) -> Result<DiscountQuote, TillError> {
        match self.check(caller, code, offer_id, purchase).await {
            Ok(request) => Ok(DiscountQuote {
                refusal: None,
                discount_amount: request.discount,
            }),
            Err(TillError::Refused(refusal)) => Ok(DiscountQuote {
                refusal: Some(refusal),
                discount_amount: 0,
            }),
            Err(other) => Err(other),
        }
    }

    /// Redeems a code at the calling store. The same idempotency key with the same input
    /// returns the first redemption.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn redeem(
        &self,
        caller: &Caller,
        code: &str,
        offer_id: &str,
        purchase: i64,
        idempotency_key: &str,
    ) -> Result<Redemption, TillError> {
        let key = idempotency_key.trim();
        if key.is_empty() || key.len() > 128 {
            return Err(TillError::BadInput(
                "idempotencyKey must be 1 to 128 characters".into(),
            ));
        }
        let store = self
            .calling_store(caller)
            .await?
            .ok_or(TillError::NotFound("store"))?;
        let fingerprint = format!("{}|{offer_id}|{purchase}", code.trim());
        // No lookup of the key up front: a new key is the usual case, and the store's
        // transaction refuses a key used before. A retry of a redemption that went
        // through finds its own code used (or its limit spent): then the first
        // redemption is the answer.
        let request = match self.check(caller, code, offer_id, purchase).await {
            Ok(request) => request,
            Err(TillError::Unexpected(cause)) => return Err(TillError::Unexpected(cause)),
            Err(refused) => {
                return match self.replayed(&store.id, key, &fingerprint).await? {
                    Some(first) => Ok(first),
                    None => Err(refused),
                };
            }
        };
        let now = self.clock.now();
        let command = RedeemCommand {
            code: code.trim().to_owned(),
            store: request.store,
            offer: request.offer,
            code_state: request.code,
            purchase_amount: purchase,
            discount_amount: request.discount,
            now,
            today: crate::kst::date_of(now),
            idempotency_key: key.to_owned(),
            fingerprint: fingerprint.clone(),
        };
        match self.discounts.redeem(&command).await {
            Ok(redemption) => Ok(redemption),
            // A retry racing its first attempt finds the code used or the key taken:
            // the first attempt's redemption is the answer.
            Err(RedeemError::CodeUsed) => self
                .replayed(&store.id, key, &fingerprint)
                .await?
                .ok_or(TillError::Refused(QuoteRefusal::CodeUsed)),
            Err(RedeemError::KeyTaken) => self
                .replayed(&store.id, key, &fingerprint)
                .await?
                .ok_or(TillError::IdempotencyConflict),
            Err(RedeemError::CodeExpired) => Err(TillError::Refused(QuoteRefusal::CodeExpired)),
            Err(RedeemError::LimitReached) => Err(TillError::Refused(QuoteRefusal::LimitReached)),
            Err(RedeemError::Unexpected(cause)) => Err(cause.into()),
        }
    }

    async fn replayed(
        &self,
        store_id: &str,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<Redemption>, TillError> {
        match self.discounts.replay(store_id, key, fingerprint).await? {
            None => Ok(None),
            Some(RedemptionReplay::Same(redemption)) => Ok(Some(redemption)),
            Some(RedemptionReplay::Different) => Err(TillError::IdempotencyConflict),
        }
    }

    /// The calling store's redemptions, newest first, after the redemption `after`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn store_redemptions(
        &self,
        caller: &Caller,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Vec<Redemption>, TillError> {
        let store = self
            .calling_store(caller)
            .await?
            .ok_or(TillError::NotFound("store"))?;
        Ok(self
            .discounts
            .redemptions_of_store(&store.id, after, limit)
            .await?)
    }

    /// Per partner, the count and sum of the discounts standing on a KST day.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn settlement(
        &self,
        day: chrono::NaiveDate,
    ) -> Result<Vec<(Partner, i64, i64)>, Unexpected> {
        let partners = self.catalog.partners().await?;
        let lines = self.discounts.settlement(day).await?;
        Ok(partners
            .into_iter()
            .map(|partner| {
                let (count, total) = lines
                    .iter()
                    .find(|(id, _, _)| *id == partner.id)
                    .map_or((0, 0), |(_, count, total)| (*count, *total));
                (partner, count, total)
            })
            .collect())
    }

    /// Cancels the calling store's own redemption of today, restoring the usage.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn cancel(
        &self,
        caller: &Caller,
        redemption_id: &str,
    ) -> Result<Redemption, CancelError> {
        let store = self
            .calling_store(caller)
            .await?
            .ok_or(CancelError::NotFound)?;
        let today = self.clock.today();
        self.discounts
            .cancel(redemption_id, &store.id, today, self.clock.now())
            .await
    }
}
