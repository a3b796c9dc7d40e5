//! Insurance claims: a covered customer files one; admins move it through the
//! insurer's workflow within the limits per claim and per year.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use benefits_domain::auth::Role;
use benefits_domain::benefits::ClaimFiling;
use benefits_domain::benefits::claims::{self as domain, ClaimStatus as DomainStatus};

use super::ApiError;
use super::benefits::benefit_error;
use super::context::parts;
use super::cost;
use super::guard::RoleGuard;

/// What the insurance covers.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CoverageType {
    PhishingOrHacking,
    OnlineShoppingFraud,
    SecondHandTradeScam,
}

/// Where a claim is in the insurer's workflow.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    Received,
    UnderReview,
    Approved,
    Rejected,
    Paid,
}

impl From<CoverageType> for domain::CoverageType {
    fn from(coverage: CoverageType) -> Self {
        match coverage {
            CoverageType::PhishingOrHacking => Self::PhishingOrHacking,
            CoverageType::OnlineShoppingFraud => Self::OnlineShoppingFraud,
            CoverageType::SecondHandTradeScam => Self::SecondHandTradeScam,
        }
    }
}

impl From<domain::CoverageType> for CoverageType {
    fn from(coverage: domain::CoverageType) -> Self {
        match coverage {
            domain::CoverageType::PhishingOrHacking => Self::PhishingOrHacking,
            domain::CoverageType::OnlineShoppingFraud => Self::OnlineShoppingFraud,
            domain::CoverageType::SecondHandTradeScam => Self::SecondHandTradeScam,
        }
    }
}

impl From<ClaimStatus> for DomainStatus {
    fn from(status: ClaimStatus) -> Self {
        match status {
            ClaimStatus::Received => Self::Received,
            ClaimStatus::UnderReview => Self::UnderReview,
            ClaimStatus::Approved => Self::Approved,
            ClaimStatus::Rejected => Self::Rejected,
            ClaimStatus::Paid => Self::Paid,
        }
    }
}

impl From<DomainStatus> for ClaimStatus {
    fn from(status: DomainStatus) -> Self {
        match status {
            DomainStatus::Received => Self::Received,
            DomainStatus::UnderReview => Self::UnderReview,
            DomainStatus::Approved => Self::Approved,
            DomainStatus::Rejected => Self::Rejected,
            DomainStatus::Paid => Self::Paid,
        }
    }
}

/// An insurance claim.
#[derive(SimpleObject)]
pub struct InsuranceClaim {
    pub id: ID,
    pub coverage_type: CoverageType,
    /// `YYYY-MM-DD`.
    pub incident_date: String,
    /// KRW.
    pub loss_amount: i64,
    pub description: String,
    pub status: ClaimStatus,
    /// KRW, once approved.
    pub approved_amount: Option<i64>,
}

impl From<domain::Claim> for InsuranceClaim {
    fn from(claim: domain::Claim) -> Self {
        Self {
            id: ID(claim.id),
            coverage_type: claim.coverage.into(),
            incident_date: claim.incident_on.to_string(),
            loss_amount: claim.loss_amount,
            description: claim.description,
            status: claim.status.into(),
            approved_amount: claim.approved_amount,
        }
    }
}

/// `fileInsuranceClaim`'s input.
#[derive(InputObject)]
pub struct InsuranceClaimInput {
    pub coverage_type: CoverageType,
    /// `YYYY-MM-DD`, within the coverage period.
    pub incident_date: String,
    /// KRW.
    pub loss_amount: i64,
    pub description: String,
    /// Chosen by the app for this claim and sent again on a retry: the claim is filed
    /// once; the same key with another input is `IDEMPOTENCY_CONFLICT`.
    pub idempotency_key: String,
}

/// Claim queries.
#[derive(Default)]
pub struct ClaimQuery;

#[Object]
impl ClaimQuery {
    /// The insurer's queue: the claims in one status (at most 500, newest first).
    #[graphql(
        guard = "RoleGuard::new(&[Role::Admin])",
        complexity = "cost::list(cost::CLAIMS, child_complexity)"
    )]
    async fn insurance_claims(
        &self,
        ctx: &Context<'_>,
        status: ClaimStatus,
    ) -> async_graphql::Result<Vec<InsuranceClaim>> {
        let (app, _) = parts(ctx)?;
        let claims = app
            .appreciation
            .claims_in(status.into())
            .await
            .map_err(ApiError::internal)?;
        Ok(claims.into_iter().map(InsuranceClaim::from).collect())
    }
}

/// Claim mutations.
#[derive(Default)]
pub struct ClaimMutation;

#[Object]
impl ClaimMutation {
    /// The calling customer, covered by the insurance, files a claim. Repeating the
    /// idempotency key with the same input returns the claim first filed.
    #[graphql(guard = "RoleGuard::new(&[Role::Customer])")]
    async fn file_insurance_claim(
        &self,
        ctx: &Context<'_>,
        input: InsuranceClaimInput,
    ) -> async_graphql::Result<InsuranceClaim> {
        let (app, caller) = parts(ctx)?;
        let claim = app
            .appreciation
            .file_claim(
                caller,
                &ClaimFiling {
                    coverage: input.coverage_type.into(),
                    incident_on: &input.incident_date,
                    loss_amount: input.loss_amount,
                    description: &input.description,
                    idempotency_key: &input.idempotency_key,
                },
            )
            .await
            .map_err(benefit_error)?;
        Ok(claim.into())
    }

    /// Moves a claim on: RECEIVED → UNDER_REVIEW → APPROVED or REJECTED, APPROVED → PAID.
    /// An approval pays the loss up to the limits unless `approvedAmount` says less.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn move_insurance_claim(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: ClaimStatus,
        approved_amount: Option<i64>,
    ) -> async_graphql::Result<InsuranceClaim> {
        let (app, caller) = parts(ctx)?;
        let claim = app
            .appreciation
            .move_claim(caller, &id.0, status.into(), approved_amount)
            .await
            .map_err(benefit_error)?;
        Ok(claim.into())
    }
}
