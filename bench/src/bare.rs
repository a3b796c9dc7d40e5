//! The reference the floor is held against: a bare axum + async-graphql server on the
//! same machine with the same load generator, answering `{ __typename }` with no token
//! check, no limits and no middleware. `benefits-bench --serve-bare ADDR` runs it; the
//! bench starts it as a process of its own, as it starts the service.

use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::State;
use axum::routing::post;

/// A schema with one field: the least a GraphQL server can be.
struct Query;

#[Object]
impl Query {
    async fn hello(&self) -> &'static str {
        "hello"
    }
}

type BareSchema = Schema<Query, EmptyMutation, EmptySubscription>;

async fn graphql(State(schema): State<BareSchema>, request: GraphQLRequest) -> GraphQLResponse {
    schema.execute(request.into_inner()).await.into()
}

/// Serves the bare schema at `POST /graphql` on `address` until killed.
pub async fn serve(address: &str) -> anyhow::Result<()> {
    let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
    let router = Router::new()
        .route("/graphql", post(graphql))
        .route("/readyz", axum::routing::get(|| async { "ok" }))
        .with_state(schema);
    let listener = tokio::net::TcpListener::bind(address).await?;
    axum::serve(listener, router).await?;
    Ok(())
}
