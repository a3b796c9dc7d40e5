//! Partner-store discounts: the catalog (partners, stores, offers), one-time codes,
//! verification at the till and redemption with usage limits.

pub mod model;
pub mod ports;
pub mod rules;
pub mod service;

pub use model::{
    CodeView, Discount, DiscountQuote, IssuedCode, Limits, NewOffer, NewPartner, NewStore, Offer,
    Partner, PartnerCategory, QuoteRefusal, Redemption, RedemptionStatus, Store, Usage,
};
pub use ports::{CatalogRepository, DiscountRepository};
pub use service::DiscountService;
