//! Use cases over customer views: a customer's own, and a customer a staff member has
//! already been allowed to see.

use std::sync::Arc;

use super::{CustomerView, CustomerViewSource};
use crate::auth::Caller;
use crate::customer::Customer;
use crate::customer::service::MeError;
use crate::error::Unexpected;

/// Customer views.
#[derive(Clone)]
pub struct CustomerViewService {
    views: Arc<dyn CustomerViewSource>,
}

impl CustomerViewService {
    pub fn new(views: Arc<dyn CustomerViewSource>) -> Self {
        Self { views }
    }

    /// The calling customer's view.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn me(&self, caller: &Caller) -> Result<Arc<CustomerView>, MeError> {
        let external_id = caller
            .principal
            .customer_external_id()
            .ok_or(MeError::NotFound)?;
        self.views.view(external_id).await?.ok_or(MeError::NotFound)
    }

    /// The view of a customer found by a staff lookup (audited there).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn of(&self, customer: &Customer) -> Result<Arc<CustomerView>, Unexpected> {
        self.views
            .view(customer.facts.external_id.as_str())
            .await?
            .ok_or_else(|| Unexpected::new("a customer just found has no view"))
    }
}
