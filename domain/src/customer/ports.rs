//! Where customers and lines are kept.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use std::collections::HashMap;

use super::{Customer, CustomerId, CustomerRecord, Language, Line, LineId, PhoneNumber};
use crate::error::Unexpected;

/// One page of a walk over every customer's lines.
#[derive(Debug, Clone, Default)]
pub struct LinesPage {
    pub lines: Vec<Line>,
    pub last_customer: Option<CustomerId>,
}

/// A batch could not be written; nothing of it was.
#[derive(Debug, thiserror::Error)]
#[error("the batch was not written")]
pub struct UpsertError(#[source] pub Unexpected);

/// Customers and their lines. Personal data is encrypted by the adapter; callers see
/// plain values.
#[async_trait]
pub trait CustomerRepository: Send + Sync {
    /// The customer with this external id.
    async fn by_external_id(&self, external_id: &str) -> Result<Option<Customer>, Unexpected>;

    /// The customer with this id.
    async fn by_id(&self, id: &CustomerId) -> Result<Option<Customer>, Unexpected>;

    /// A line; with `owner`, only when it belongs to that customer (another customer's
    /// line is as absent as one that does not exist).
    async fn line(
        &self,
        id: &LineId,
        owner: Option<&CustomerId>,
    ) -> Result<Option<Line>, Unexpected>;

    /// The lines with these external ids (unknown ones are left out).
    async fn lines_by_external_ids(&self, external_ids: &[String])
    -> Result<Vec<Line>, Unexpected>;

    /// The lines of the next `customers` customers after `after` in id order, grouped
    /// by customer: the batches of jobs that walk every line. `last_customer` is where
    /// the next page starts; `None` once every customer was read.
    async fn lines_page(
        &self,
        after: Option<&CustomerId>,
        customers: u64,
    ) -> Result<LinesPage, Unexpected>;

    /// Like [`CustomerRepository::lines_page`] but without contract events, terms or
    /// fees (left empty): for jobs that look only at a line's status, brand, device and
    /// payment, such as the monthly data grant.
    async fn lines_page_without_history(
        &self,
        after: Option<&CustomerId>,
        customers: u64,
    ) -> Result<LinesPage, Unexpected>;

    /// The next `limit` customers after `after`, in id order.
    async fn customers_page(
        &self,
        after: Option<&CustomerId>,
        limit: u64,
    ) -> Result<Vec<Customer>, Unexpected>;

    /// The customer with this mobile number, or owning a line with it.
    async fn by_phone(&self, phone: &PhoneNumber) -> Result<Option<Customer>, Unexpected>;

    /// The language each of these customers reads (absent: unknown customer).
    async fn languages(
        &self,
        customers: &[CustomerId],
    ) -> Result<HashMap<CustomerId, Language>, Unexpected>;

    /// The lines of one customer, with their contract history, terms and fees.
    async fn lines_of(&self, customer: &CustomerId) -> Result<Vec<Line>, Unexpected>;

    /// Inserts or updates customers and lines by external id.
    ///
    /// # Errors
    /// The whole batch is written in one transaction or not at all. The records must
    /// not share a customer or line external id.
    async fn upsert(
        &self,
        records: &[CustomerRecord],
        at: DateTime<Utc>,
    ) -> Result<(), UpsertError>;
}
