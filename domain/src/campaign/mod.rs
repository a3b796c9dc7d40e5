//! The campaign: every date, window, amount and table of a program, held as data.

pub mod model;
pub mod ports;

pub use model::{
    AppreciationRules, Campaign, DiscountReturnRate, FeeWaiverRules, PayoutRound, PeriodOfDays,
};
pub use ports::CampaignRepository;
