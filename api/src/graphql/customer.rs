//! `me`, `customerByPhone`, and the `Customer` and `Line` types.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};

use benefits_domain::auth::Role;
use benefits_domain::benefits::line_benefits;
use benefits_domain::customer::{self as domain, service::FindByPhoneError, service::MeError};
use benefits_domain::customer_view::CustomerView;
use benefits_domain::notification::service::CheckError;
use benefits_domain::refund::service::assess_line;

use super::ApiError;
use super::benefits::{
    Benefit, DataGrant, Insurance, OttChoice, OttSelection, RoamingBonus, RoamingExtension,
};
use super::claims::InsuranceClaim;
use super::context::parts;
use super::cost;
use super::fee_waiver::FeeWaiver;
use super::guard::RoleGuard;
use super::notification::{Language, Notification, SmsCheck};
use super::rate_limit::RateLimit;
use super::refund::{LateApplication, RefundApplication};

/// The most items one list field returns.
pub(super) const MAX_LIST: i32 = 500;

/// Checks a list field's `first` argument (1 to [`MAX_LIST`]).
pub(super) fn bounded(first: i32) -> Result<usize, ApiError> {
    if (1..=MAX_LIST).contains(&first) {
        Ok(usize::try_from(first).unwrap_or(0))
    } else {
        Err(ApiError::bad_input(format!(
            "first must be 1 to {MAX_LIST}"
        )))
    }
}

/// Queries about customers.
#[derive(Default)]
pub struct CustomerQuery;

#[Object]
impl CustomerQuery {
    /// The calling customer.
    #[graphql(guard = "RoleGuard::new(&[Role::Customer])")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Customer> {
        let (app, caller) = parts(ctx)?;
        let view = app.views.me(caller).await.map_err(|error| match error {
            MeError::NotFound => ApiError::not_found("customer"),
            MeError::Unexpected(cause) => ApiError::internal(cause),
        })?;
        Ok(Customer(view))
    }

    /// A customer by mobile number (with or without hyphens, or in +82 form); null when
    /// unknown. Every lookup is audited.
    #[graphql(
        guard = "RoleGuard::new(&[Role::Agent, Role::Admin]).and(RateLimit::per_minute(\"customerByPhone\", 120))"
    )]
    async fn customer_by_phone(
        &self,
        ctx: &Context<'_>,
        phone: String,
    ) -> async_graphql::Result<Option<Customer>> {
        let (app, caller) = parts(ctx)?;
        let found =
            app.customers
                .find_by_phone(caller, &phone)
                .await
                .map_err(|error| match error {
                    FindByPhoneError::InvalidPhone(reason) => {
                        ApiError::bad_input(format!("phone {reason}"))
                    }
                    FindByPhoneError::Unexpected(cause) => ApiError::internal(cause),
                })?;
        match found {
            Some(customer) => Ok(Some(Customer(
                app.views.of(&customer).await.map_err(ApiError::internal)?,
            ))),
            None => Ok(None),
        }
    }
}

/// A customer of the operator, with everything `me` shows of them.
pub struct Customer(Arc<CustomerView>);

impl std::ops::Deref for Customer {
    type Target = domain::Customer;

    fn deref(&self) -> &domain::Customer {
        &self.0.customer
    }
}

#[Object]
impl Customer {
    async fn id(&self) -> ID {
        ID(self.id.0.clone())
    }

    async fn external_id(&self) -> &str {
        self.facts.external_id.as_str()
    }

    /// The full name for the customer themself; masked for staff.
    async fn name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let (_, caller) = parts(ctx)?;
        Ok(if caller.principal.role == Role::Customer {
            self.facts.name.as_str().to_owned()
        } else {
            self.facts.name.masked()
        })
    }

    /// The contact number, masked (`010-****-5678`).
    async fn phone_masked(&self) -> String {
        self.facts.phone.masked()
    }

    #[graphql(name = "type")]
    async fn kind(&self) -> CustomerType {
        self.facts.kind.into()
    }

    /// The language of every text the service writes for the customer.
    async fn language(&self) -> Language {
        self.facts.language.into()
    }

    /// The customer's lines (the first `first`, at most 500, by external id).
    #[graphql(complexity = "cost::first(first, child_complexity)")]
    async fn lines(
        &self,
        #[graphql(default = 100)] first: i32,
    ) -> async_graphql::Result<Vec<Line>> {
        let limit = bounded(first)?;
        Ok((0..self.0.lines.len().min(limit))
            .map(|index| Line {
                view: self.0.clone(),
                index,
            })
            .collect())
    }

    /// The safety insurance (per customer, not per line).
    async fn insurance(&self, ctx: &Context<'_>) -> async_graphql::Result<Insurance> {
        let (app, _) = parts(ctx)?;
        let status = app
            .appreciation
            .insurance(self, &self.0.lines)
            .await
            .map_err(ApiError::internal)?;
        let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
        Ok(Insurance::new(
            status,
            campaign.appreciation.insurance_coverage.last,
        ))
    }

    /// The customer's insurance claims, newest first.
    #[graphql(complexity = "cost::list(cost::CLAIMS, child_complexity)")]
    async fn insurance_claims(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<InsuranceClaim>> {
        let (app, _) = parts(ctx)?;
        let claims = app
            .appreciation
            .claims_of(&self.id)
            .await
            .map_err(ApiError::internal)?;
        Ok(claims.into_iter().map(InsuranceClaim::from).collect())
    }

    /// The in-app inbox, newest first.
    #[graphql(complexity = "cost::list(cost::NOTIFICATIONS, child_complexity)")]
    async fn notifications(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Notification>> {
        let (app, _) = parts(ctx)?;
        let inbox = app
            .notifications
            .inbox(self)
            .await
            .map_err(ApiError::internal)?;
        Ok(inbox.into_iter().map(Notification::from).collect())
    }

    /// "Is this text really from us?": whether this customer was sent an SMS with this
    /// reference (any case, with or without the hyphen), its text, when and about which
    /// line. A reference never sent to them answers `sent: false`. 30 checks a minute;
    /// a staff member's check is audited.
    #[graphql(guard = "RateLimit::per_minute(\"smsByReference\", 30)")]
    async fn sms_by_reference(
        &self,
        ctx: &Context<'_>,
        reference: String,
    ) -> async_graphql::Result<SmsCheck> {
        let (app, caller) = parts(ctx)?;
        let check = app
            .notifications
            .check_reference(caller, self, &reference)
            .await
            .map_err(|error| match error {
                CheckError::BadInput => ApiError::bad_input(error.to_string()),
                CheckError::Unexpected(cause) => ApiError::internal(cause),
            })?;
        Ok(SmsCheck::new(check, &self.0.lines))
    }
}

/// A mobile subscription, with its customer's view (some rules look at the other
/// lines).
pub struct Line {
    view: Arc<CustomerView>,
    index: usize,
}

impl std::ops::Deref for Line {
    type Target = domain::Line;

    fn deref(&self) -> &domain::Line {
        &self.view.lines[self.index]
    }
}

#[Object]
impl Line {
    async fn id(&self) -> ID {
        ID(self.id.0.clone())
    }

    /// One entry per benefit kind, with the first failing rule.
    #[graphql(complexity = "cost::list(cost::BENEFIT_KINDS, child_complexity)")]
    async fn benefits(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Benefit>> {
        let (app, _) = parts(ctx)?;
        let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
        Ok(line_benefits(&self.facts, &campaign.appreciation)
            .into_iter()
            .map(|(kind, outcome)| Benefit::new(kind, outcome))
            .collect())
    }

    /// The OTT catalog as this line's customer may choose from it today: which services
    /// they may choose, and why not the others (the minimum ages).
    async fn ott_choices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OttChoice>> {
        let (app, _) = parts(ctx)?;
        let choices = app
            .appreciation
            .ott_choices(self)
            .await
            .map_err(ApiError::internal)?;
        Ok(choices
            .into_iter()
            .map(|(service, outcome)| OttChoice::new(service, outcome))
            .collect())
    }

    /// The line's OTT choice, if made.
    async fn ott_selection(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<OttSelection>> {
        let (app, _) = parts(ctx)?;
        let selection = app
            .appreciation
            .ott_selection(&self.id)
            .await
            .map_err(ApiError::internal)?;
        Ok(selection.map(OttSelection::from))
    }

    /// The monthly data granted to the line.
    #[graphql(complexity = "cost::list(cost::MONTHS, child_complexity)")]
    async fn data_grants(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DataGrant>> {
        let (app, _) = parts(ctx)?;
        let grants = app
            .appreciation
            .data_grants(&self.id)
            .await
            .map_err(ApiError::internal)?;
        Ok(grants.into_iter().map(DataGrant::from).collect())
    }

    /// The line's roaming passes and their bonuses.
    #[graphql(complexity = "cost::list(cost::SHORT_LIST, child_complexity)")]
    async fn roaming_bonuses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoamingBonus>> {
        let (app, _) = parts(ctx)?;
        let bonuses = app
            .appreciation
            .roaming_bonuses(&self.id)
            .await
            .map_err(ApiError::internal)?;
        Ok(bonuses.into_iter().map(RoamingBonus::from).collect())
    }

    /// The line's existing roaming offers extended by the campaign.
    #[graphql(complexity = "cost::list(cost::SHORT_LIST, child_complexity)")]
    async fn roaming_extensions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<RoamingExtension>> {
        let (app, _) = parts(ctx)?;
        let extensions = app
            .appreciation
            .roaming_extensions(&self.id)
            .await
            .map_err(ApiError::internal)?;
        Ok(extensions.into_iter().map(RoamingExtension::from).collect())
    }

    /// Whether the early-termination fee is waived, and why not.
    async fn fee_waiver(&self, ctx: &Context<'_>) -> async_graphql::Result<FeeWaiver> {
        let (app, _) = parts(ctx)?;
        let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
        let assessment = assess_line(self, &self.view.lines, &campaign, app.clock.today());
        let application = self.view.application(&self.id).cloned();
        let late = self
            .view
            .late_application(&self.id)
            .map(|grant| LateApplication::new(grant, &campaign.fee_waiver));
        Ok(FeeWaiver::new(
            &assessment,
            application.map(RefundApplication),
            late,
        ))
    }

    async fn external_id(&self) -> &str {
        self.facts.external_id.as_str()
    }

    /// The line's number, masked (`010-****-5678`).
    async fn msisdn(&self) -> String {
        self.facts.msisdn.masked()
    }

    async fn status(&self) -> LineStatus {
        self.facts.status.into()
    }

    async fn device_class(&self) -> DeviceClass {
        self.facts.device_class.into()
    }

    async fn brand(&self) -> Brand {
        self.facts.brand.into()
    }

    async fn payment(&self) -> Payment {
        self.facts.payment.into()
    }

    /// `YYYY-MM-DD`.
    async fn activated_on(&self) -> String {
        self.facts.activated_on.to_string()
    }

    /// `YYYY-MM-DD`, for a terminated line.
    async fn terminated_on(&self) -> Option<String> {
        self.facts.termination.map(|t| t.on.to_string())
    }
}

/// Maps a domain enum onto its GraphQL twin, variant by variant.
macro_rules! mirror_enum {
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

mirror_enum!(
    /// Where a line stands in billing.
    LineStatus from domain::LineStatus { Active, Suspended, Terminated }
);
mirror_enum!(
    /// What a line is used in.
    DeviceClass from domain::DeviceClass { Phone, SecondDevice, Iot }
);
mirror_enum!(
    /// The operator's own contract, or a virtual operator's budget phone.
    Brand from domain::Brand { Operator, Mvno }
);
mirror_enum!(
    /// How a line is paid for.
    Payment from domain::Payment { Postpaid, Prepaid }
);
mirror_enum!(
    /// Individuals, or companies.
    CustomerType from domain::CustomerType { Individual, Corporate }
);
