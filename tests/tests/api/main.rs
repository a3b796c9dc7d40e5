//! The black-box integration suite: the real server over HTTP with its own database
//! (SQLite by default; PostgreSQL and Redis when `BENEFITS_TEST_DATABASE_URL` and
//! `BENEFITS_TEST_REDIS_URL` are set).

mod customers;
mod health;
mod helpers;
mod import;
mod personal_data;
mod schema;
mod tokens;
