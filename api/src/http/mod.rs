//! The HTTP surface: `POST /graphql`, `GET /healthz`, `GET /readyz`, the web console at
//! `/admin` and its sign-in, and GraphiQL at `GET /graphql` in development mode only.

mod access;
mod client_address;
mod console;
mod documents;
mod graphql;
mod graphql_http;
mod health;
mod server;
mod sign_in;

pub use client_address::IpNet;
pub use server::{router, serve};
