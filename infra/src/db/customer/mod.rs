//! Customers and lines over sea-orm, with personal data sealed on the way in and
//! opened on the way out.

mod bulk_postgres;
mod convert;
mod write;

use std::collections::HashMap;

use async_trait::async_trait;
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, QueryTrait as _,
};

use benefits_domain::customer::{
    Customer, CustomerId, CustomerRecord, CustomerRepository, Language, Line, LineId, LinesPage,
    PhoneNumber, UpsertError,
};
use benefits_domain::error::Unexpected;

use super::customer_view::CustomerViewCache;
use super::entities::{contract_events, contract_terms, customers, etf_charges, lines};
use super::unexpected;
use crate::crypto::{FieldCipher, LookupHasher};

/// Lookup-hash domain of phone numbers (customers' contact numbers and line MSISDNs).
const PHONE_HASH_DOMAIN: &str = "phone";

/// The customer repository over sea-orm.
#[derive(Clone)]
pub struct SeaCustomerRepository {
    db: DatabaseConnection,
    cipher: FieldCipher,
    hasher: LookupHasher,
    views: Option<CustomerViewCache>,
}

impl SeaCustomerRepository {
    pub fn new(db: DatabaseConnection, cipher: FieldCipher, hasher: LookupHasher) -> Self {
        Self {
            db,
            cipher,
            hasher,
            views: None,
        }
    }

    /// Invalidates the customer views an import changes, after its commit.
    #[must_use]
    pub fn invalidating(mut self, views: CustomerViewCache) -> Self {
        self.views = Some(views);
        self
    }

    /// The external ids of the customers who own the records' lines now.
    async fn owners_of_lines(&self, records: &[CustomerRecord]) -> Result<Vec<String>, Unexpected> {
        let line_ids: Vec<String> = records
            .iter()
            .flat_map(|record| record.lines().iter())
            .map(|line| line.external_id.as_str().to_owned())
            .collect();
        let mut owners = Vec::new();
        for chunk in line_ids.chunks(1_000) {
            let owning = lines::Entity::find()
                .select_only()
                .column(lines::Column::CustomerId)
                .filter(lines::Column::ExternalId.is_in(chunk.iter().cloned()))
                .into_query();
            let found: Vec<String> = customers::Entity::find()
                .select_only()
                .column(customers::Column::ExternalId)
                .filter(customers::Column::Id.in_subquery(owning))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            owners.extend(found);
        }
        Ok(owners)
    }

    /// The line rows of the customer with this external id, by external id.
    pub(crate) async fn line_rows_of(
        &self,
        customer_external_id: &str,
    ) -> Result<Vec<lines::Model>, Unexpected> {
        let customer = customers::Entity::find()
            .select_only()
            .column(customers::Column::Id)
            .filter(customers::Column::ExternalId.eq(customer_external_id))
            .into_query();
        lines::Entity::find()
            .filter(lines::Column::CustomerId.in_subquery(customer))
            .order_by_asc(lines::Column::ExternalId)
            .all(&self.db)
            .await
            .map_err(unexpected)
    }

    fn phone_hash(&self, phone: &PhoneNumber) -> Vec<u8> {
        self.hasher.hash(PHONE_HASH_DOMAIN, phone.digits())
    }

    async fn customer_by_id(&self, id: &str) -> Result<Option<Customer>, Unexpected> {
        let row = customers::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        row.map(|row| convert::customer(&self.cipher, &row))
            .transpose()
    }
}

#[async_trait]
impl CustomerRepository for SeaCustomerRepository {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn by_external_id(&self, external_id: &str) -> Result<Option<Customer>, Unexpected> {
        let row = customers::Entity::find()
            .filter(customers::Column::ExternalId.eq(external_id))
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        row.map(|row| convert::customer(&self.cipher, &row))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn by_phone(&self, phone: &PhoneNumber) -> Result<Option<Customer>, Unexpected> {
        let hash = self.phone_hash(phone);
        let by_contact = customers::Entity::find()
            .filter(customers::Column::PhoneHash.eq(hash.clone()))
            .order_by_asc(customers::Column::ExternalId)
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        if let Some(row) = by_contact {
            return convert::customer(&self.cipher, &row).map(Some);
        }
        let line = lines::Entity::find()
            .filter(lines::Column::MsisdnHash.eq(hash))
            .order_by_asc(lines::Column::TerminatedOn)
            .one(&self.db)
            .await
            .map_err(unexpected)?;
        match line {
            Some(line) => self.customer_by_id(&line.customer_id).await,
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn by_id(&self, id: &CustomerId) -> Result<Option<Customer>, Unexpected> {
        self.customer_by_id(&id.0).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn line(
        &self,
        id: &LineId,
        owner: Option<&CustomerId>,
    ) -> Result<Option<Line>, Unexpected> {
        let mut select = lines::Entity::find_by_id(id.0.clone());
        if let Some(owner) = owner {
            select = select.filter(lines::Column::CustomerId.eq(&owner.0));
        }
        let rows = select.all(&self.db).await.map_err(unexpected)?;
        Ok(self.with_history(rows).await?.pop())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn lines_by_external_ids(
        &self,
        external_ids: &[String],
    ) -> Result<Vec<Line>, Unexpected> {
        let mut found = Vec::with_capacity(external_ids.len());
        for chunk in external_ids.chunks(1_000) {
            let rows = lines::Entity::find()
                .filter(lines::Column::ExternalId.is_in(chunk.iter().cloned()))
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            found.extend(self.with_history(rows).await?);
        }
        Ok(found)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn lines_page(
        &self,
        after: Option<&CustomerId>,
        customers: u64,
    ) -> Result<LinesPage, Unexpected> {
        let (rows, last_customer) = self.page_rows(after, customers).await?;
        Ok(LinesPage {
            lines: self.with_history(rows).await?,
            last_customer,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn lines_page_without_history(
        &self,
        after: Option<&CustomerId>,
        customers: u64,
    ) -> Result<LinesPage, Unexpected> {
        let (rows, last_customer) = self.page_rows(after, customers).await?;
        let lines = rows
            .iter()
            .map(|row| convert::line(&self.cipher, row, Vec::new(), None, None))
            .collect::<Result<_, _>>()?;
        Ok(LinesPage {
            lines,
            last_customer,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn customers_page(
        &self,
        after: Option<&CustomerId>,
        limit: u64,
    ) -> Result<Vec<Customer>, Unexpected> {
        let mut select = customers::Entity::find()
            .order_by_asc(customers::Column::Id)
            .limit(limit);
        if let Some(after) = after {
            select = select.filter(customers::Column::Id.gt(&after.0));
        }
        let rows = select.all(&self.db).await.map_err(unexpected)?;
        rows.iter()
            .map(|row| convert::customer(&self.cipher, row))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn languages(
        &self,
        customers: &[CustomerId],
    ) -> Result<HashMap<CustomerId, Language>, Unexpected> {
        let mut found = HashMap::new();
        for chunk in customers.chunks(1_000) {
            let rows: Vec<(String, String)> = customers::Entity::find()
                .select_only()
                .column(customers::Column::Id)
                .column(customers::Column::Language)
                .filter(customers::Column::Id.is_in(chunk.iter().map(|c| c.0.clone())))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(unexpected)?;
            for (id, language) in rows {
                let language = language.parse().map_err(|error: String| {
                    Unexpected::new(format!("stored language: {error}"))
                })?;
                found.insert(CustomerId(id), language);
            }
        }
        Ok(found)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn lines_of(&self, customer: &CustomerId) -> Result<Vec<Line>, Unexpected> {
        let rows = lines::Entity::find()
            .filter(lines::Column::CustomerId.eq(&customer.0))
            .order_by_asc(lines::Column::ExternalId)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        self.with_history(rows).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn upsert(
        &self,
        records: &[CustomerRecord],
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), UpsertError> {
        let Some(views) = &self.views else {
            return write::upsert(self, records, at).await.map_err(UpsertError);
        };
        // A line can move to another customer: its previous owner's view changes too.
        let mut changed = self.owners_of_lines(records).await.map_err(UpsertError)?;
        write::upsert(self, records, at)
            .await
            .map_err(UpsertError)?;
        changed.extend(
            records
                .iter()
                .map(|record| record.facts().external_id.as_str().to_owned()),
        );
        changed.sort_unstable();
        changed.dedup();
        views.external_ids_changed(changed).await;
        Ok(())
    }
}

impl SeaCustomerRepository {
    /// The line rows of the next `customers` customers after `after`, and the last of
    /// those customers (`None` once every customer was read).
    async fn page_rows(
        &self,
        after: Option<&CustomerId>,
        customers: u64,
    ) -> Result<(Vec<lines::Model>, Option<CustomerId>), Unexpected> {
        let mut page = customers::Entity::find()
            .select_only()
            .column(customers::Column::Id)
            .order_by_asc(customers::Column::Id)
            .limit(customers);
        if let Some(after) = after {
            page = page.filter(customers::Column::Id.gt(&after.0));
        }
        let ids: Vec<String> = page.into_tuple().all(&self.db).await.map_err(unexpected)?;
        let Some(last) = ids.last() else {
            return Ok((Vec::new(), None));
        };
        let mut select = lines::Entity::find()
            .filter(lines::Column::CustomerId.lte(last))
            .order_by_asc(lines::Column::CustomerId)
            .order_by_asc(lines::Column::ExternalId);
        if let Some(after) = after {
            select = select.filter(lines::Column::CustomerId.gt(&after.0));
        }
        let rows = select.all(&self.db).await.map_err(unexpected)?;
        Ok((rows, Some(CustomerId(last.clone()))))
    }

    /// Loads the contract events, terms and fees of `rows` and opens them into lines.
    pub(crate) async fn with_history(
        &self,
        rows: Vec<lines::Model>,
    ) -> Result<Vec<Line>, Unexpected> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = rows.iter().map(|row| row.id.clone()).collect();
        let mut events: HashMap<String, Vec<contract_events::Model>> = HashMap::new();
        for event in contract_events::Entity::find()
            .filter(contract_events::Column::LineId.is_in(ids.clone()))
            .order_by_asc(contract_events::Column::Position)
            .all(&self.db)
            .await
            .map_err(unexpected)?
        {
            events.entry(event.line_id.clone()).or_default().push(event);
        }
        let mut terms: HashMap<String, contract_terms::Model> = contract_terms::Entity::find()
            .filter(contract_terms::Column::LineId.is_in(ids.clone()))
            .all(&self.db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|row| (row.line_id.clone(), row))
            .collect();
        let mut charges: HashMap<String, etf_charges::Model> = etf_charges::Entity::find()
            .filter(etf_charges::Column::LineId.is_in(ids))
            .all(&self.db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|row| (row.line_id.clone(), row))
            .collect();
        rows.into_iter()
            .map(|row| {
                convert::line(
                    &self.cipher,
                    &row,
                    events.remove(&row.id).unwrap_or_default(),
                    terms.remove(&row.id),
                    charges.remove(&row.id),
                )
            })
            .collect()
    }
}
