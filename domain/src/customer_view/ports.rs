//! Where customer views come from.

use std::sync::Arc;

use async_trait::async_trait;

use super::CustomerView;
use crate::error::Unexpected;

/// Customer views by the customer's external id (a customer token's subject).
///
/// An implementation may cache, but never serves a view older than a write that
/// finished before the call began.
#[async_trait]
pub trait CustomerViewSource: Send + Sync {
    /// The view of the customer with this external id; `None` when unknown.
    async fn view(&self, external_id: &str) -> Result<Option<Arc<CustomerView>>, Unexpected>;
}
