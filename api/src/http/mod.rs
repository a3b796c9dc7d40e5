//! The HTTP surface: `POST /graphql`, `GET /healthz`, `GET /readyz`, and GraphiQL at
//! `GET /graphql` in development mode only.

mod graphql;
mod health;
mod server;

pub use server::{router, serve};
