//! Partner discounts: the catalog, one-time codes, verification and redemption at the
//! till, and cancellation.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use benefits_domain::auth::Role;
use benefits_domain::customer::LineId;
use benefits_domain::partner::ports::CancelError;
use benefits_domain::partner::service::{IssueError, TillError, UpsertPartnerError};
use benefits_domain::partner::{self as domain, Discount, Limits, NewOffer, NewPartner, NewStore};

use super::context::parts;
use super::cost;
use super::customer::bounded;
use super::guard::RoleGuard;
use super::rate_limit::{RateLimit, count_unknown_code, refuse_guessing_store};
use super::{ApiError, ErrorCode};

/// The kinds of partner store.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PartnerCategory {
    Coffee,
    Cinema,
    Bakery,
    IceCream,
}

impl From<PartnerCategory> for domain::PartnerCategory {
    fn from(category: PartnerCategory) -> Self {
        match category {
            PartnerCategory::Coffee => Self::Coffee,
            PartnerCategory::Cinema => Self::Cinema,
            PartnerCategory::Bakery => Self::Bakery,
            PartnerCategory::IceCream => Self::IceCream,
        }
    }
}

impl From<domain::PartnerCategory> for PartnerCategory {
    fn from(category: domain::PartnerCategory) -> Self {
        match category {
            domain::PartnerCategory::Coffee => Self::Coffee,
            domain::PartnerCategory::Cinema => Self::Cinema,
            domain::PartnerCategory::Bakery => Self::Bakery,
            domain::PartnerCategory::IceCream => Self::IceCream,
        }
    }
}

/// A redemption stands, or was cancelled by its store.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionStatus {
    Redeemed,
    Cancelled,
}

/// A partner with its stores and current offers.
#[derive(SimpleObject)]
pub struct Partner {
    pub id: ID,
    pub external_id: String,
    pub name: String,
    pub category: PartnerCategory,
    #[graphql(complexity = "cost::list(cost::SHORT_LIST, child_complexity)")]
    pub stores: Vec<Store>,
    #[graphql(complexity = "cost::list(cost::SHORT_LIST, child_complexity)")]
    pub offers: Vec<Offer>,
}

/// A partner's store.
#[derive(SimpleObject)]
pub struct Store {
    pub id: ID,
    pub external_id: String,
    pub name: String,
}

/// A partner's offer. Amounts in KRW.
#[derive(SimpleObject)]
pub struct Offer {
    pub id: ID,
    pub external_id: String,
    pub title: String,
    pub percent_off: Option<i64>,
    pub max_discount: Option<i64>,
    pub amount_off: Option<i64>,
    pub min_purchase: i64,
    pub per_day: Option<i64>,
    pub per_month: Option<i64>,
    pub per_program: Option<i64>,
}

impl From<domain::Offer> for Offer {
    fn from(offer: domain::Offer) -> Self {
        let (percent_off, max_discount, amount_off) = match offer.discount {
            Discount::Percent { percent, cap } => (Some(percent), cap, None),
            Discount::Amount(amount) => (None, None, Some(amount)),
        };
        Self {
            id: ID(offer.id),
            external_id: offer.external_id,
            title: offer.title,
            percent_off,
            max_discount,
            amount_off,
            min_purchase: offer.min_purchase,
            per_day: offer.limits.per_day,
            per_month: offer.limits.per_month,
            per_program: offer.limits.per_program,
        }
    }
}

impl From<domain::Partner> for Partner {
    fn from(partner: domain::Partner) -> Self {
        Self {
            id: ID(partner.id),
            external_id: partner.external_id,
            name: partner.name,
            category: partner.category.into(),
            stores: partner
                .stores
                .into_iter()
                .map(|store| Store {
                    id: ID(store.id),
                    external_id: store.external_id,
                    name: store.name,
                })
                .collect(),
            offers: partner.offers.into_iter().map(Offer::from).collect(),
        }
    }
}

/// A one-time code as the app shows it.
#[derive(SimpleObject)]
pub struct DiscountCode {
    /// Sixteen digits, printable as a barcode.
    pub code: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// What redeeming would give. A refusal is a quote too: `eligible` false, `reason` the
/// code `redeemDiscount` would give, `discountAmount` 0.
#[derive(SimpleObject)]
pub struct DiscountQuote {
    pub eligible: bool,
    pub reason: Option<String>,
    pub discount_amount: i64,
}

/// A redemption at a store.
#[derive(SimpleObject)]
pub struct Redemption {
    pub id: ID,
    /// KRW.
    pub discount_amount: i64,
    /// KRW.
    pub purchase_amount: i64,
    pub status: RedemptionStatus,
    /// RFC 3339, UTC.
    pub redeemed_at: String,
}

impl From<domain::Redemption> for Redemption {
    fn from(redemption: domain::Redemption) -> Self {
        Self {
            id: ID(redemption.id),
            discount_amount: redemption.discount_amount,
            purchase_amount: redemption.purchase_amount,
            status: match redemption.status {
                domain::RedemptionStatus::Redeemed => RedemptionStatus::Redeemed,
                domain::RedemptionStatus::Cancelled => RedemptionStatus::Cancelled,
            },
            redeemed_at: redemption.redeemed_at.to_rfc3339(),
        }
    }
}

/// A store of `upsertPartner`.
#[derive(InputObject)]
pub struct StoreInput {
    pub external_id: String,
    pub name: String,
}

/// An offer of `upsertPartner`: `percentOff` (with an optional `maxDiscount`) or
/// `amountOff`, a minimum purchase, and optional usage limits per line.
#[derive(InputObject)]
pub struct OfferInput {
    pub external_id: String,
    pub title: String,
    pub percent_off: Option<i64>,
    pub max_discount: Option<i64>,
    pub amount_off: Option<i64>,
    pub min_purchase: i64,
    pub per_day: Option<i64>,
    pub per_month: Option<i64>,
    pub per_program: Option<i64>,
}

/// `upsertPartner`'s input: the partner with all its stores and current offers.
#[derive(InputObject)]
pub struct PartnerInput {
    pub external_id: String,
    pub name: String,
    pub category: PartnerCategory,
    pub stores: Vec<StoreInput>,
    pub offers: Vec<OfferInput>,
}

/// A page of a store's redemptions, newest first.
#[derive(SimpleObject)]
pub struct RedemptionPage {
    pub items: Vec<Redemption>,
    /// Pass as `after` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// One partner's standing redemptions on a day.
#[derive(SimpleObject)]
pub struct PartnerSettlement {
    pub partner: Partner,
    pub count: i64,
    /// KRW of discounts granted.
    pub total_discount: i64,
}

/// The most redemptions one page holds.
const MAX_PAGE: i32 = 100;

/// `redeemDiscount`'s input.
#[derive(InputObject)]
pub struct RedeemDiscountInput {
    pub code: String,
    pub offer_id: ID,
    pub purchase_amount: i64,
    pub idempotency_key: String,
}

fn to_new_partner(input: PartnerInput) -> Result<NewPartner, ApiError> {
    let offers = input
        .offers
        .into_iter()
        .map(|offer| {
            let discount = match (offer.percent_off, offer.amount_off) {
                (Some(percent), None) => Discount::Percent {
                    percent,
                    cap: offer.max_discount,
                },
                (None, Some(amount)) if offer.max_discount.is_none() => Discount::Amount(amount),
                _ => {
                    return Err(ApiError::bad_input(
                        "an offer has percentOff (with an optional maxDiscount) or amountOff",
                    ));
                }
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
        .collect::<Result<_, _>>()?;
    Ok(NewPartner {
        external_id: input.external_id,
        name: input.name,
        category: input.category.into(),
        stores: input
            .stores
            .into_iter()
            .map(|store| NewStore {
                external_id: store.external_id,
                name: store.name,
            })
            .collect(),
        offers,
    })
}

fn till_error(error: TillError) -> ApiError {
    match error {
        TillError::BadInput(message) => ApiError::bad_input(message),
        TillError::NotFound(what) => ApiError::not_found(what),
        TillError::Refused(refusal) => {
            let code = match refusal {
                domain::QuoteRefusal::CodeInvalid => ErrorCode::CodeInvalid,
                domain::QuoteRefusal::CodeExpired => ErrorCode::CodeExpired,
                domain::QuoteRefusal::CodeUsed => ErrorCode::CodeUsed,
                domain::QuoteRefusal::LimitReached => ErrorCode::LimitReached,
                domain::QuoteRefusal::BelowMinimum => ErrorCode::BelowMinimum,
                domain::QuoteRefusal::NotEligible => ErrorCode::NotEligible,
            };
            ApiError::new(
                code,
                format!("the code cannot be used: {}", refusal.as_str()),
            )
            .with_reason(refusal.as_str())
        }
        TillError::IdempotencyConflict => ApiError::new(
            ErrorCode::IdempotencyConflict,
            "this idempotency key was used with a different input",
        ),
        TillError::Unexpected(cause) => ApiError::internal(cause),
    }
}

/// Partner queries.
#[derive(Default)]
pub struct PartnerQuery;

#[Object]
impl PartnerQuery {
    /// The partners with their stores and current offers (the first `first`, at most 500).
    #[graphql(
        guard = "RoleGuard::new(&[Role::Customer, Role::PartnerStore, Role::Agent, Role::Admin])",
        complexity = "cost::first(first, child_complexity)"
    )]
    async fn partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 100)] first: i32,
    ) -> async_graphql::Result<Vec<Partner>> {
        let limit = bounded(first)?;
        let (app, _) = parts(ctx)?;
        let partners = app.discounts.partners().await.map_err(ApiError::internal)?;
        Ok(partners
            .into_iter()
            .take(limit)
            .map(Partner::from)
            .collect())
    }

    /// What redeeming `code` for `offerId` on a purchase would give, changing nothing.
    #[graphql(
        guard = "RoleGuard::new(&[Role::PartnerStore]).and(RateLimit::per_minute(\"verifyDiscount\", 600))"
    )]
    async fn verify_discount(
        &self,
        ctx: &Context<'_>,
        code: String,
        offer_id: ID,
        purchase_amount: i64,
    ) -> async_graphql::Result<DiscountQuote> {
        let (app, caller) = parts(ctx)?;
        refuse_guessing_store(app, &caller.principal.subject)?;
        let quote = app
            .discounts
            .verify(caller, &code, &offer_id.0, purchase_amount)
            .await
            .map_err(till_error)?;
        if quote.refusal == Some(domain::QuoteRefusal::CodeInvalid) {
            count_unknown_code(app, &caller.principal.subject);
        }
        Ok(DiscountQuote {
            eligible: quote.refusal.is_none(),
            reason: quote.refusal.map(|refusal| refusal.as_str().to_owned()),
            discount_amount: quote.discount_amount,
        })
    }
}

#[Object]
impl PartnerReports {
    /// The calling store's own redemptions, newest first (`first` at most 100).
    #[graphql(
        guard = "RoleGuard::new(&[Role::PartnerStore])",
        complexity = "cost::first(first, child_complexity)"
    )]
    async fn store_redemptions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: i32,
        after: Option<ID>,
    ) -> async_graphql::Result<RedemptionPage> {
        if !(1..=MAX_PAGE).contains(&first) {
            return Err(ApiError::bad_input(format!("first must be 1 to {MAX_PAGE}")).into());
        }
        let (app, caller) = parts(ctx)?;
        let limit = u64::try_from(first).unwrap_or(20);
        let items = app
            .discounts
            .store_redemptions(caller, after.as_ref().map(|id| id.0.as_str()), limit)
            .await
            .map_err(till_error)?;
        let next_cursor = (items.len() as u64 == limit)
            .then(|| items.last().map(|r| r.id.clone()))
            .flatten();
        Ok(RedemptionPage {
            items: items.into_iter().map(Redemption::from).collect(),
            next_cursor,
        })
    }

    /// Per partner, the count and sum of discounts standing on a KST day (`YYYY-MM-DD`).
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::list(cost::SHORT_LIST, child_complexity)"
    )]
    async fn partner_settlement(
        &self,
        ctx: &Context<'_>,
        day: String,
    ) -> async_graphql::Result<Vec<PartnerSettlement>> {
        let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|_| ApiError::bad_input("day must be a date like 2026-02-10"))?;
        let (app, _) = parts(ctx)?;
        let lines = app
            .discounts
            .settlement(day)
            .await
            .map_err(ApiError::internal)?;
        Ok(lines
            .into_iter()
            .map(|(partner, count, total)| PartnerSettlement {
                partner: partner.into(),
                count,
                total_discount: total,
            })
            .collect())
    }
}

/// Reports for stores and admins.
#[derive(Default)]
pub struct PartnerReports;

/// Partner mutations.
#[derive(Default)]
pub struct PartnerMutation;

#[Object]
impl PartnerMutation {
    /// Adds or changes a partner with its stores and offers; offers it no longer lists
    /// are withdrawn.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn upsert_partner(
        &self,
        ctx: &Context<'_>,
        input: PartnerInput,
    ) -> async_graphql::Result<Partner> {
        let (app, caller) = parts(ctx)?;
        let partner = to_new_partner(input)?;
        let saved = app
            .discounts
            .upsert_partner(caller, partner)
            .await
            .map_err(|error| match error {
                UpsertPartnerError::BadInput(message) => ApiError::bad_input(message),
                UpsertPartnerError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        Ok(saved.into())
    }

    /// A one-time code for one of the caller's lines, valid for a few minutes.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Customer]).and(RateLimit::per_minute(\"issueDiscountCode\", 30))"
    )]
    async fn issue_discount_code(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
    ) -> async_graphql::Result<DiscountCode> {
        let (app, caller) = parts(ctx)?;
        let issued = app
            .discounts
            .issue_code(caller, &LineId(line_id.0))
            .await
            .map_err(|error| match error {
                IssueError::NotFound => ApiError::not_found("line"),
                IssueError::WindowClosed => ApiError::new(
                    ErrorCode::WindowClosed,
                    "outside the partner-discount period",
                ),
                IssueError::NotEligible(reason) => ApiError::new(
                    ErrorCode::NotEligible,
                    "the line may not use partner discounts",
                )
                .with_reason(reason.as_str()),
                IssueError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        Ok(DiscountCode {
            code: issued.code,
            expires_at: issued.expires_at.to_rfc3339(),
        })
    }

    /// Redeems a code at the calling store; a retry with the same idempotency key and
    /// input returns the first redemption.
    #[graphql(
        guard = "RoleGuard::new(&[Role::PartnerStore]).and(RateLimit::per_minute(\"redeemDiscount\", 300))"
    )]
    async fn redeem_discount(
        &self,
        ctx: &Context<'_>,
        input: RedeemDiscountInput,
    ) -> async_graphql::Result<Redemption> {
        let (app, caller) = parts(ctx)?;
        refuse_guessing_store(app, &caller.principal.subject)?;
        let redemption = app
            .discounts
            .redeem(
                caller,
                &input.code,
                &input.offer_id.0,
                input.purchase_amount,
                &input.idempotency_key,
            )
            .await
            .map_err(till_error)?;
        Ok(redemption.into())
    }

    /// Cancels the calling store's own redemption of today, giving the usage back.
    #[graphql(guard = "RoleGuard::new(&[Role::PartnerStore])")]
    async fn cancel_redemption(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Redemption> {
        let (app, caller) = parts(ctx)?;
        let cancelled = app
            .discounts
            .cancel(caller, &id.0)
            .await
            .map_err(|error| match error {
                CancelError::NotFound => ApiError::not_found("redemption"),
                CancelError::NotSameDay => {
                    ApiError::bad_input("only a redemption of today can be cancelled")
                }
                CancelError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        Ok(cancelled.into())
    }
}
