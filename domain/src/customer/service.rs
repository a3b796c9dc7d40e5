//! Use cases over customers: a customer's own view, staff lookups, and imports.

use std::sync::Arc;

use super::{Customer, CustomerRecord, CustomerRepository, Line, PhoneNumber};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::Unexpected;

/// `me` failed.
#[derive(Debug, thiserror::Error)]
pub enum MeError {
    /// The token names no customer the service knows.
    #[error("no customer for this token")]
    NotFound,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// A staff lookup by phone number failed.
#[derive(Debug, thiserror::Error)]
pub enum FindByPhoneError {
    #[error("phone {0}")]
    InvalidPhone(String),
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// What happened to one record of an import batch.
#[derive(Debug)]
pub enum RecordOutcome {
    Imported,
    Failed(Unexpected),
}

/// Customer use cases.
#[derive(Clone)]
pub struct CustomerService {
    customers: Arc<dyn CustomerRepository>,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl CustomerService {
    pub fn new(
        customers: Arc<dyn CustomerRepository>,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            customers,
            audit,
            clock,
        }
    }

    /// The calling customer.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn me(&self, caller: &Caller) -> Result<Customer, MeError> {
        let external_id = caller
            .principal
            .customer_external_id()
            .ok_or(MeError::NotFound)?;
        self.customers
            .by_external_id(external_id)
            .await?
            .ok_or(MeError::NotFound)
    }

    /// A staff member finds a customer by mobile number; the read is audited whether
    /// or not a customer is found, and before anything is shown.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn find_by_phone(
        &self,
        caller: &Caller,
        raw_phone: &str,
    ) -> Result<Option<Customer>, FindByPhoneError> {
        let phone = PhoneNumber::parse(raw_phone).map_err(FindByPhoneError::InvalidPhone)?;
        let found = self.customers.by_phone(&phone).await?;
        let mut entry = AuditEntry::by(caller, self.clock.now(), "customer.find_by_phone")
            .detail(format!("phone {}", phone.masked()));
        if let Some(customer) = &found {
            entry = entry.about(&customer.id);
        }
        self.audit.append(entry).await?;
        Ok(found)
    }

    /// The lines of a customer the caller has already been allowed to see.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn lines(&self, customer: &Customer) -> Result<Vec<Line>, Unexpected> {
        self.customers.lines_of(&customer.id).await
    }

    /// Writes a batch of records, each all or nothing: the batch in one transaction,
    /// and when that fails, each record alone so only the bad ones are refused.
    ///
    /// The records must not share a customer or line external id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import(&self, records: &[CustomerRecord]) -> Vec<RecordOutcome> {
        if records.is_empty()
            || self
                .customers
                .upsert(records, self.clock.now())
                .await
                .is_ok()
        {
            return records.iter().map(|_| RecordOutcome::Imported).collect();
        }
        let mut outcomes = Vec::with_capacity(records.len());
        for record in records {
            let outcome = match self
                .customers
                .upsert(std::slice::from_ref(record), self.clock.now())
                .await
            {
                Ok(()) => RecordOutcome::Imported,
                Err(error) => RecordOutcome::Failed(error.0),
            };
            outcomes.push(outcome);
        }
        outcomes
    }
}
