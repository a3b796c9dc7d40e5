//! Partner discounts over sea-orm, with the hot reads of the till (codes, offers,
//! stores, usage) served from the two-tier cache and invalidated by every write.

mod cached;
mod catalog;
mod discounts;
mod tally;
mod till;

pub use catalog::SeaCatalogRepository;
pub use discounts::SeaDiscountRepository;
pub(super) use tally::standing_redemptions;
