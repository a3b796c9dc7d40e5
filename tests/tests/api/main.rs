//! The black-box integration suite: the real server over HTTP with its own database
//! (SQLite by default; PostgreSQL and Redis when `BENEFITS_TEST_DATABASE_URL` and
//! `BENEFITS_TEST_REDIS_URL` are set).

// Test helpers panic on what a test did not expect; that is how a test fails.
#![allow(clippy::unwrap_used)]

mod authorization;
mod banks;
mod benefits;
mod campaign;
mod certificates;
mod console;
mod customer_views;
mod customers;
mod demo;
mod events;
mod fee_waiver;
mod graphql_http;
mod health;
mod helpers;
mod identity_provider;
mod import;
mod late_applications;
mod logs;
mod migrations;
mod observability;
mod ott;
mod outage;
mod partners;
mod payout_results;
mod payout_rounds;
mod personal_data;
mod postgres_outage;
mod processes;
mod provider_tokens;
mod read_replica;
mod redis_cluster;
mod redis_server;
mod refund_overview;
mod refunds;
mod relay;
mod replicas;
mod roaming_feed;
mod schema;
mod sms_references;
mod surface;
mod texts;
mod tls;
mod tokens;
