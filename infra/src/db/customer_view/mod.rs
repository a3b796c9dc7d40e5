//! Customer views over sea-orm, served from a [`StampedCache`]: an in-process hit is
//! no I/O at all; a miss is rebuilt from the primary in two waves of concurrent
//! set-based reads (the customer and their lines; then the lines' history, refund
//! applications and late grants), never one query per line. The write adapters
//! invalidate views through [`CustomerViewCache`] after their commits, before they
//! return, on every replica.

mod invalidation;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_trait::async_trait;

use benefits_domain::customer::CustomerRepository as _;
use benefits_domain::customer_view::{CustomerView, CustomerViewSource};
use benefits_domain::error::Unexpected;

use super::{SeaCustomerRepository, SeaRefundRepository};
pub use invalidation::CustomerViewCache;

/// Customer views, cached.
#[derive(Clone)]
pub struct SeaCustomerViews {
    cache: CustomerViewCache,
    customers: SeaCustomerRepository,
    refunds: SeaRefundRepository,
}

impl SeaCustomerViews {
    /// Views read through `customers` and `refunds` (both on the primary, so a view
    /// never lags a write) and kept in `cache`.
    pub fn new(
        cache: CustomerViewCache,
        customers: SeaCustomerRepository,
        refunds: SeaRefundRepository,
    ) -> Self {
        Self {
            cache,
            customers,
            refunds,
        }
    }

    async fn load(&self, external_id: &str) -> Result<Option<CustomerView>, Unexpected> {
        let (customer, line_rows) = tokio::try_join!(
            self.customers.by_external_id(external_id),
            self.customers.line_rows_of(external_id),
        )?;
        let Some(customer) = customer else {
            return Ok(None);
        };
        let line_ids: Vec<String> = line_rows.iter().map(|row| row.id.clone()).collect();
        let (lines, applications, late) = tokio::try_join!(
            self.customers.with_history(line_rows),
            self.refunds.applications_of_lines(&line_ids),
            self.refunds.late_applications_of_lines(&line_ids),
        )?;
        self.cache.learn(&customer);
        Ok(Some(CustomerView::new(customer, lines, applications, late)))
    }
}

#[async_trait]
impl CustomerViewSource for SeaCustomerViews {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn view(&self, external_id: &str) -> Result<Option<Arc<CustomerView>>, Unexpected> {
        if let Some(view) = self.cache.views.get(external_id) {
            self.cache.served.from_cache.fetch_add(1, Ordering::Relaxed);
            return Ok(Some(view));
        }
        self.cache
            .served
            .from_database
            .fetch_add(1, Ordering::Relaxed);
        // Taken before reading: a write that commits while this reads bumps it, and
        // the value read is then never served.
        let stamp = self.cache.views.stamp(external_id);
        let Some(view) = self.load(external_id).await? else {
            return Ok(None);
        };
        let view = Arc::new(view);
        self.cache.views.insert(external_id, stamp, view.clone());
        Ok(Some(view))
    }
}
