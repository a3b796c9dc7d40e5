//! The GraphQL schema: one module per area, merged into one `Query` (and later
//! `Mutation`). Resolvers convert between GraphQL and domain types and call services;
//! roles are checked by guards, ownership by the repositories' queries.

mod audit;
mod benefits;
mod campaign;
mod claims;
mod context;
mod cost;
mod customer;
mod dashboard;
mod error;
mod fee_waiver;
mod guard;
mod notification;
mod partner;
mod rate_limit;
mod refund;
mod texts;

use async_graphql::{EmptySubscription, MergedObject, Schema, ValidationMode};

use crate::app::App;

pub use context::RequestContext;
pub use error::{ApiError, ErrorCode};
pub use rate_limit::WINDOW as RATE_WINDOW;

/// The root query: every area's queries.
#[derive(MergedObject, Default)]
pub struct Query(
    customer::CustomerQuery,
    refund::RefundQuery,
    partner::PartnerQuery,
    benefits::AppreciationQuery,
    claims::ClaimQuery,
    partner::PartnerReports,
    audit::AuditQuery,
    campaign::CampaignQuery,
    dashboard::DashboardQuery,
    texts::TextQuery,
);

/// The root mutation: every area's mutations.
#[derive(MergedObject, Default)]
pub struct Mutation(
    refund::RefundMutation,
    partner::PartnerMutation,
    benefits::AppreciationMutation,
    claims::ClaimMutation,
    campaign::CampaignMutation,
    texts::TextMutation,
);

/// The service's schema type.
pub type BenefitsSchema = Schema<Query, Mutation, EmptySubscription>;

/// Limits that bound the work one request can ask for.
const MAX_DEPTH: usize = 10;
const MAX_RECURSIVE_DEPTH: usize = 16;
const MAX_DIRECTIVES: usize = 20;

/// Builds the schema; with an [`App`] it can execute, without it only print the SDL.
pub fn build(app: Option<App>) -> BenefitsSchema {
    build_validating(app, ValidationMode::Strict)
}

/// The schema for documents that passed every validation rule before: it runs only the
/// checks that depend on the request (complexity with its variables, depth, fragment
/// cycles), and the executor's own checks.
pub fn build_prevalidated(app: App) -> BenefitsSchema {
    build_validating(Some(app), ValidationMode::Fast)
}

fn build_validating(app: Option<App>, mode: ValidationMode) -> BenefitsSchema {
    let dev_mode = app.as_ref().is_some_and(|app| app.config.dev_mode);
    let mut builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .validation_mode(mode)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(cost::MAX_COST)
        .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
        .limit_directives(MAX_DIRECTIVES);
    if !dev_mode {
        builder = builder.disable_introspection().disable_suggestions();
    }
    if let Some(app) = app {
        builder = builder.data(app);
    }
    builder.finish()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build(None).sdl()
}
