//! The `benefits` service: command line, configuration, wiring of adapters into the
//! domain's services, and the HTTP + GraphQL surface.

pub mod app;
pub mod background;
pub mod cli;
pub mod commands;
pub mod config;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod request_id;
pub mod telemetry;
