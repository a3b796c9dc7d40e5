//! Structured logs: JSON lines by default, filtered by `RUST_LOG` (default `info`).
//! Personal data is never logged: domain types print masked, and request bodies and
//! variables are not logged at all.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (tests) are no-ops.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _already_installed = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
