//! Fuzzes the request path: arbitrary bytes as a `POST /graphql` body, parsed as one
//! GraphQL request and run through the service's schema with its limits (depth,
//! complexity, directives, recursion). Nothing may panic; resolvers without a caller
//! refuse, as they do for an anonymous request.

#![no_main]

use std::sync::OnceLock;

use benefits_api::graphql::BenefitsSchema;
use libfuzzer_sys::fuzz_target;

static SCHEMA: OnceLock<BenefitsSchema> = OnceLock::new();

fuzz_target!(|body: &[u8]| {
    let Ok(request) = serde_json::from_slice::<async_graphql::Request>(body) else {
        return;
    };
    let schema = SCHEMA.get_or_init(|| benefits_api::graphql::build(None));
    let _response = futures_executor::block_on(schema.execute(request));
});
