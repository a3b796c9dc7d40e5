//! The bank list over sea-orm, kept in process for a minute: every application reads
//! it and it changes only with a migration.

use std::time::Duration;

use async_trait::async_trait;
use sea_orm::{DatabaseConnection, EntityTrait as _, QueryOrder as _};

use benefits_domain::error::Unexpected;
use benefits_domain::refund::{Bank, BankDirectory};

use super::entities::banks;
use super::unexpected;

/// How long a process keeps the list it read.
const BANKS_TTL: Duration = Duration::from_mins(1);

/// The bank directory over sea-orm.
#[derive(Clone)]
pub struct SeaBankDirectory {
    db: DatabaseConnection,
    list: moka::future::Cache<(), Vec<Bank>>,
}

impl SeaBankDirectory {
    pub fn new(db: DatabaseConnection) -> Self {
        let list = moka::future::Cache::builder()
            .max_capacity(1)
            .time_to_live(BANKS_TTL)
            .build();
        Self { db, list }
    }

    async fn load(&self) -> Result<Vec<Bank>, Unexpected> {
        let rows = banks::Entity::find()
            .order_by_asc(banks::Column::Position)
            .all(&self.db)
            .await
            .map_err(unexpected)?;
        Ok(rows
            .into_iter()
            .map(|row| Bank {
                code: row.code,
                korean_name: row.name_ko,
                english_name: row.name_en,
                min_digits: usize::try_from(row.min_digits).unwrap_or(0),
                max_digits: usize::try_from(row.max_digits).unwrap_or(0),
            })
            .collect())
    }
}

#[async_trait]
impl BankDirectory for SeaBankDirectory {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn banks(&self) -> Result<Vec<Bank>, Unexpected> {
        self.list
            .try_get_with((), self.load())
            .await
            .map_err(|error| Unexpected::new(error.to_string()))
    }
}
