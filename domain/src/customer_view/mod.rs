//! A customer's view: what `me` and the agent's customer page show, read as one
//! already-assembled value (the customer, their lines, and each line's refund
//! application and late-application grant) so that it can be served from a cache.

pub mod model;
pub mod ports;
pub mod service;

pub use model::CustomerView;
pub use ports::CustomerViewSource;
pub use service::CustomerViewService;
