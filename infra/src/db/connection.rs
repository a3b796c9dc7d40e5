//! Connecting to the database and migrating it.

use std::time::Duration;

use benefits_migrations::{Migrator, MigratorTrait as _};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait as _,
};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    /// The backend of a `postgres://` or `sqlite:` URL.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else {
            None
        }
    }
}

/// Opens a connection pool. SQLite files are created when missing and run in WAL mode
/// with foreign keys enforced; both backends fail fast when the database is down.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(3))
        // No ping before every use: it doubled the round trips of every query. A
        // connection that broke (a database restart) fails its next query, which the
        // caller sees as INTERNAL, and the pool replaces it.
        .test_before_acquire(false)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await
}

/// How the connection pool is used, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    /// Connections open now.
    pub open: u32,
    /// Open connections no request holds.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// The pool's use at this instant.
pub fn pool_usage(db: &DatabaseConnection) -> PoolUsage {
    if db.get_database_backend() == DbBackend::Postgres {
        let pool = db.get_postgres_connection_pool();
        PoolUsage {
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        }
    } else {
        let pool = db.get_sqlite_connection_pool();
        PoolUsage {
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        }
    }
}

/// The PostgreSQL advisory lock that serialises migrations across processes.
const MIGRATION_LOCK: i64 = 0x6265_6e65_6669_7473; // "benefits"

/// Applies every pending migration (idempotent). On PostgreSQL it holds an advisory
/// lock meanwhile, so replicas starting together never race: the others wait, then
/// find nothing left to apply.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    // Session-level locks belong to a connection: hold one for the whole migration.
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    let migrated = Migrator::up(&txn, None).await;
    match migrated {
        Ok(()) => txn.commit().await,
        Err(error) => {
            txn.rollback().await?;
            Err(error)
        }
    }
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    let probe = match db.get_database_backend() {
        DbBackend::Postgres | DbBackend::Sqlite | DbBackend::MySql => "SELECT 1",
        _ => return false,
    };
    db.execute_unprepared(probe).await.is_ok()
}
