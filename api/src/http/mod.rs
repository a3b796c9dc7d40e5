//! The HTTP surface: `POST /graphql`, `GET /healthz`, `GET /readyz`, the web console at
//! `/admin`, and GraphiQL at `GET /graphql` in development mode only.

mod console;
mod documents;
mod graphql;
mod health;
mod server;

pub use server::{router, serve};
