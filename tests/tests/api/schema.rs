//! The committed `schema.graphql` is what the service serves.

#[test]
fn the_committed_schema_matches_the_exported_sdl() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == benefits_api::graphql::sdl(),
        "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql` and commit it"
    );
}
