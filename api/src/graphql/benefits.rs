//! The appreciation program: `Line.benefits`, `Customer.insurance`, the OTT catalog and
//! choice, the monthly data grant and roaming bonuses.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use benefits_domain::auth::Role;
use benefits_domain::benefits::ports::MinimumAge;
use benefits_domain::benefits::service::{BenefitError, GrantRun as DomainGrantRun};
use benefits_domain::benefits::{self as domain, InsuranceStatus, ports};
use benefits_domain::customer::LineId;

use super::context::parts;
use super::cost;
use super::guard::RoleGuard;
use super::{ApiError, ErrorCode};

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident from $domain:ty { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => Self::$variant),+ }
            }
        }
    };
}

mirror!(
    /// The benefits a line may have.
    BenefitKind from domain::BenefitKind { MonthlyData, RoamingBonus, OttSubscription, PartnerDiscount }
);
mirror!(
    /// Why a line or customer does not have a benefit, in the contract's order.
    BenefitReason from domain::BenefitReason {
        NotInServiceOnBaseDate,
        BudgetPhone,
        IotLine,
        LineTerminated,
        PrepaidLine,
        SecondDevice,
        Suspended,
        BelowMinimumAge,
        CorporateCustomer,
        NotEnrolled,
    }
);

/// Whether a line has one benefit.
#[derive(SimpleObject)]
pub struct Benefit {
    pub kind: BenefitKind,
    pub eligible: bool,
    /// Null when eligible.
    pub reason: Option<BenefitReason>,
}

impl Benefit {
    pub fn new(kind: domain::BenefitKind, outcome: Result<(), domain::BenefitReason>) -> Self {
        Self {
            kind: kind.into(),
            eligible: outcome.is_ok(),
            reason: outcome.err().map(BenefitReason::from),
        }
    }
}

/// A customer's safety insurance.
#[derive(SimpleObject)]
pub struct Insurance {
    pub eligible: bool,
    pub covered: bool,
    /// Covered without applying (65 or over on the base date).
    pub automatic: bool,
    /// `YYYY-MM-DD`, when covered.
    pub coverage_end: Option<String>,
    pub reason: Option<BenefitReason>,
}

impl Insurance {
    pub fn new(status: InsuranceStatus, coverage_end: chrono::NaiveDate) -> Self {
        Self {
            eligible: status.eligible,
            covered: status.covered,
            automatic: status.automatic,
            coverage_end: status.covered.then(|| coverage_end.to_string()),
            reason: status.reason.map(BenefitReason::from),
        }
    }
}

/// An OTT service of the catalog.
#[derive(SimpleObject)]
pub struct OttService {
    pub id: ID,
    pub external_id: String,
    pub name: String,
    /// Customers younger than this on the day they choose cannot choose it; null: no
    /// minimum.
    pub minimum_age: Option<i32>,
}

impl From<ports::OttService> for OttService {
    fn from(service: ports::OttService) -> Self {
        Self {
            id: ID(service.id),
            external_id: service.external_id,
            name: service.name,
            minimum_age: service
                .minimum_age
                .map(|age| i32::try_from(age).unwrap_or(i32::MAX)),
        }
    }
}

/// One service of the catalog as a line's customer may choose it today.
#[derive(SimpleObject)]
pub struct OttChoice {
    pub service: OttService,
    /// The customer may choose it for this line (the selection period aside).
    pub selectable: bool,
    /// Why not: the line's OTT rule, or `BELOW_MINIMUM_AGE`. Null when selectable.
    pub reason: Option<BenefitReason>,
}

impl OttChoice {
    pub fn new(service: ports::OttService, outcome: Result<(), domain::BenefitReason>) -> Self {
        Self {
            service: service.into(),
            selectable: outcome.is_ok(),
            reason: outcome.err().map(BenefitReason::from),
        }
    }
}

/// A line's OTT choice.
#[derive(SimpleObject)]
pub struct OttSelection {
    pub service: OttService,
    pub voucher_code: String,
    /// Once activated, the choice is final.
    pub activated: bool,
}

impl From<ports::OttSelection> for OttSelection {
    fn from(selection: ports::OttSelection) -> Self {
        Self {
            service: selection.service.into(),
            voucher_code: selection.voucher_code,
            activated: selection.activated,
        }
    }
}

/// A month of data granted.
#[derive(SimpleObject)]
pub struct DataGrant {
    /// `YYYY-MM`.
    pub month: String,
    pub gigabytes: i32,
}

impl From<ports::DataGrant> for DataGrant {
    fn from(grant: ports::DataGrant) -> Self {
        Self {
            month: grant.month,
            gigabytes: grant.gigabytes,
        }
    }
}

/// A roaming pass and its bonus.
#[derive(SimpleObject)]
pub struct RoamingBonus {
    pub pass_name: String,
    pub data_mb: i64,
    pub bonus_mb: i64,
    /// `YYYY-MM-DD`.
    pub activated_on: String,
}

impl From<ports::RoamingBonus> for RoamingBonus {
    fn from(bonus: ports::RoamingBonus) -> Self {
        Self {
            pass_name: bonus.pass_name,
            data_mb: bonus.data_mb,
            bonus_mb: bonus.bonus_mb,
            activated_on: bonus.activated_on.to_string(),
        }
    }
}

/// An existing roaming offer extended by the campaign.
#[derive(SimpleObject)]
pub struct RoamingExtension {
    pub offer_code: String,
    /// `YYYY-MM-DD`: when the offer would have ended.
    pub original_end: String,
    /// `YYYY-MM-DD`: when it ends now.
    pub extended_until: String,
}

impl From<ports::RoamingExtension> for RoamingExtension {
    fn from(extension: ports::RoamingExtension) -> Self {
        Self {
            offer_code: extension.offer_code,
            original_end: extension.original_end.to_string(),
            extended_until: extension.extended_until.to_string(),
        }
    }
}

/// What a monthly grant run did.
#[derive(SimpleObject)]
pub struct GrantRun {
    /// Lines granted by this run.
    pub granted: i32,
    /// Program lines not granted because an exclusion applies now.
    pub skipped: i32,
}

impl From<DomainGrantRun> for GrantRun {
    fn from(run: DomainGrantRun) -> Self {
        Self {
            granted: i32::try_from(run.granted).unwrap_or(i32::MAX),
            skipped: i32::try_from(run.skipped).unwrap_or(i32::MAX),
        }
    }
}

/// A roaming pass activation fed from billing.
#[derive(InputObject)]
pub struct RoamingPassInput {
    pub line_id: ID,
    pub pass_name: String,
    pub data_mb: i64,
    /// `YYYY-MM-DD`.
    pub activated_on: String,
    /// Billing's record id: a record sent again is counted once.
    pub external_id: Option<String>,
}

/// The API error of a refused appreciation operation.
pub(super) fn benefit_error(error: BenefitError) -> ApiError {
    match error {
        BenefitError::BadInput(message) => ApiError::bad_input(message),
        BenefitError::NotFound(what) => ApiError::not_found(what),
        BenefitError::WindowClosed => {
            ApiError::new(ErrorCode::WindowClosed, "outside the benefit's period")
        }
        BenefitError::NotEligible(reason) => {
            ApiError::new(ErrorCode::NotEligible, "not eligible for this benefit")
                .with_reason(reason.as_str())
        }
        BenefitError::LimitReached(cap) => ApiError::new(
            ErrorCode::LimitReached,
            format!("over the insurer's limits: at most {cap} KRW"),
        ),
        BenefitError::Final => ApiError::new(
            ErrorCode::AlreadyApplied,
            "the voucher is activated: the choice is final",
        ),
        BenefitError::IdempotencyConflict => ApiError::new(
            ErrorCode::IdempotencyConflict,
            "this idempotency key was used with a different input",
        ),
        BenefitError::Unexpected(cause) => ApiError::internal(cause),
    }
}

/// A customer on the insurer's list (personal data: admins only, every read audited).
#[derive(SimpleObject)]
pub struct CoveredCustomer {
    pub customer_external_id: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Covered without applying (65 or over on the base date).
    pub automatic: bool,
    /// RFC 3339, when the customer consented to the insurer's terms.
    pub consented_at: Option<String>,
}

/// One page of the insurer's list.
#[derive(SimpleObject)]
pub struct CoveredCustomerPage {
    pub items: Vec<CoveredCustomer>,
    /// Pass as `after` for the next page; null on the last.
    pub next_cursor: Option<ID>,
}

/// Customers scanned per page of the insurer's list, at most.
const MAX_SCAN: i32 = 1_000;

/// Appreciation queries.
#[derive(Default)]
pub struct AppreciationQuery;

#[Object]
impl AppreciationQuery {
    /// The OTT services to choose from.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Customer, Role::PartnerStore, Role::Agent, Role::Admin])",
        complexity = "cost::list(cost::SHORT_LIST, child_complexity)"
    )]
    async fn ott_services(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OttService>> {
        let (app, _) = parts(ctx)?;
        let services = app
            .appreciation
            .ott_services()
            .await
            .map_err(ApiError::internal)?;
        Ok(services.into_iter().map(OttService::from).collect())
    }

    /// The insurer's list of covered customers: scans `first` customers after `after`
    /// (at most 1,000) and returns those covered, automatically or by consent.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::first(first, child_complexity)"
    )]
    async fn insurance_enrolment_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 500)] first: i32,
        after: Option<ID>,
    ) -> async_graphql::Result<CoveredCustomerPage> {
        if !(1..=MAX_SCAN).contains(&first) {
            return Err(ApiError::bad_input(format!("first must be 1 to {MAX_SCAN}")).into());
        }
        let (app, caller) = parts(ctx)?;
        let after = after.map(|id| benefits_domain::customer::CustomerId(id.0));
        let (covered, next) = app
            .appreciation
            .covered_customers(caller, after.as_ref(), u64::try_from(first).unwrap_or(500))
            .await
            .map_err(ApiError::internal)?;
        Ok(CoveredCustomerPage {
            items: covered
                .into_iter()
                .map(|covered| CoveredCustomer {
                    customer_external_id: covered.customer.facts.external_id.as_str().to_owned(),
                    name: covered.customer.facts.name.as_str().to_owned(),
                    birth_date: covered.customer.facts.birth_date.to_string(),
                    automatic: covered.automatic,
                    consented_at: covered.consented_at.map(|at| at.to_rfc3339()),
                })
                .collect(),
            next_cursor: next.map(|id| ID(id.0)),
        })
    }
}

/// Appreciation mutations.
#[derive(Default)]
pub struct AppreciationMutation;

#[Object]
impl AppreciationMutation {
    /// Enrols the calling customer in the safety insurance; `consent` must be true.
    #[graphql(guard = "RoleGuard::new(&[Role::Customer])")]
    async fn enroll_insurance(
        &self,
        ctx: &Context<'_>,
        consent: bool,
    ) -> async_graphql::Result<Insurance> {
        let (app, caller) = parts(ctx)?;
        let status = app
            .appreciation
            .enrol(caller, consent)
            .await
            .map_err(benefit_error)?;
        let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
        Ok(Insurance::new(
            status,
            campaign.appreciation.insurance_coverage.last,
        ))
    }

    /// Adds or renames an OTT service of the catalog. `minimumAge` sets its minimum age
    /// (null: none); left out, an existing service keeps its own.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn upsert_ott_service(
        &self,
        ctx: &Context<'_>,
        external_id: String,
        name: String,
        minimum_age: MaybeUndefined<i32>,
    ) -> async_graphql::Result<OttService> {
        let (app, caller) = parts(ctx)?;
        let minimum_age = match minimum_age {
            MaybeUndefined::Undefined => MinimumAge::Keep,
            MaybeUndefined::Null => MinimumAge::Set(None),
            MaybeUndefined::Value(age) => MinimumAge::Set(Some(
                u32::try_from(age)
                    .map_err(|_| ApiError::bad_input("minimumAge must be 0 to 120"))?,
            )),
        };
        let service = app
            .appreciation
            .upsert_ott_service(caller, &external_id, &name, minimum_age)
            .await
            .map_err(benefit_error)?;
        Ok(service.into())
    }

    /// Chooses an OTT service for one of the caller's lines; changeable until the
    /// voucher is activated.
    #[graphql(guard = "RoleGuard::new(&[Role::Customer])")]
    async fn select_ott(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
        service_id: ID,
    ) -> async_graphql::Result<OttSelection> {
        let (app, caller) = parts(ctx)?;
        let selection = app
            .appreciation
            .select_ott(caller, &LineId(line_id.0), &service_id.0)
            .await
            .map_err(benefit_error)?;
        Ok(selection.into())
    }

    /// Activates a line's OTT voucher (for the OTT partner or an admin): the choice is final.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn activate_ott_voucher(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
    ) -> async_graphql::Result<OttSelection> {
        let (app, caller) = parts(ctx)?;
        let selection = app
            .appreciation
            .activate_voucher(caller, &LineId(line_id.0))
            .await
            .map_err(benefit_error)?;
        Ok(selection.into())
    }

    /// Grants a month's data (`"2026-02"`); running it again grants nothing twice.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn run_monthly_data_grant(
        &self,
        ctx: &Context<'_>,
        month: String,
    ) -> async_graphql::Result<GrantRun> {
        let (app, caller) = parts(ctx)?;
        let run = app
            .appreciation
            .run_monthly_grant(caller, &month)
            .await
            .map_err(benefit_error)?;
        Ok(run.into())
    }

    /// Lists an existing roaming offer as extended by the campaign until `until`
    /// (`YYYY-MM-DD`); returns `until`.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn extend_roaming_offer(
        &self,
        ctx: &Context<'_>,
        offer_code: String,
        until: String,
    ) -> async_graphql::Result<String> {
        let (app, caller) = parts(ctx)?;
        let until = app
            .appreciation
            .extend_roaming_offer(caller, &offer_code, &until)
            .await
            .map_err(benefit_error)?;
        Ok(until.to_string())
    }

    /// Billing reports a roaming offer a line holds (`endsOn` `YYYY-MM-DD`); when the
    /// campaign extends it, the extension is recorded once and pushed to billing. Null
    /// when the offer is not extended.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn record_roaming_offer(
        &self,
        ctx: &Context<'_>,
        line_id: ID,
        offer_code: String,
        ends_on: String,
    ) -> async_graphql::Result<Option<RoamingExtension>> {
        let (app, _) = parts(ctx)?;
        let extension = app
            .appreciation
            .record_roaming_offer(&LineId(line_id.0), &offer_code, &ends_on)
            .await
            .map_err(benefit_error)?;
        Ok(extension.map(RoamingExtension::from))
    }

    /// Records a roaming pass fed from billing and its bonus.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn record_roaming_pass(
        &self,
        ctx: &Context<'_>,
        input: RoamingPassInput,
    ) -> async_graphql::Result<RoamingBonus> {
        let (app, caller) = parts(ctx)?;
        let bonus = app
            .appreciation
            .record_roaming_pass(
                caller,
                &LineId(input.line_id.0),
                &input.pass_name,
                input.data_mb,
                &input.activated_on,
                input.external_id,
            )
            .await
            .map_err(benefit_error)?;
        Ok(bonus.into())
    }
}
