//! Errors shared by the ports: the catch-all for failures a caller cannot act on.

/// Any error from an adapter, kept whole for the log.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A port failed for a reason the caller cannot act on (database down, bug).
///
/// Its cause is logged with a correlation id and never shown to a client.
#[derive(Debug, thiserror::Error)]
#[error("an adapter failed")]
pub struct Unexpected(#[source] pub BoxError);

impl Unexpected {
    /// Wraps any error.
    pub fn new(error: impl Into<BoxError>) -> Self {
        Self(error.into())
    }
}
