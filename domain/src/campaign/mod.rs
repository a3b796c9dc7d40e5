//! The campaign: every date, window, amount and table of a program, held as data, and
//! the admins' edits of it.

pub mod model;
pub mod ports;
pub mod rules;
pub mod service;

pub use model::{
    AppreciationRules, Campaign, CampaignDay, CampaignPeriod, DiscountReturnRate, FeeWaiverRules,
    PayoutRound, PeriodOfDays,
};
pub use ports::CampaignRepository;
pub use service::{CampaignService, EditError};
