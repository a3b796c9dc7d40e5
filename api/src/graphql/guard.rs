//! Role guards: `#[graphql(guard = "RoleGuard::new(&[Role::Agent, Role::Admin])")]`.

use async_graphql::{Context, Guard};

use benefits_domain::auth::Role;

use super::{ApiError, RequestContext};

/// Lets a field run only for callers in one of `roles`.
pub struct RoleGuard {
    roles: &'static [Role],
}

impl RoleGuard {
    pub fn new(roles: &'static [Role]) -> Self {
        Self { roles }
    }
}

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let request = ctx
            .data_opt::<RequestContext>()
            .ok_or_else(ApiError::unauthenticated)?;
        if self.roles.contains(&request.caller.principal.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden().into())
        }
    }
}
