//! sea-orm entities: the tables as the adapters read and write them. They never leave
//! this crate's `db` module; repositories convert them to and from domain types.

pub mod audit_chain_head;
pub mod audit_log;
pub mod banks;
pub mod campaign_roaming_offers;
pub mod campaigns;
pub mod contract_events;
pub mod contract_terms;
pub mod customers;
pub mod data_grant_months;
pub mod data_grants;
pub mod discount_codes;
pub mod discount_return_rates;
pub mod etf_charges;
pub mod event_outbox;
pub mod idempotency_keys;
pub mod insurance_claims;
pub mod insurance_enrolments;
pub mod job_runs;
pub mod late_applications;
pub mod lines;
pub mod notification_templates;
pub mod notifications;
pub mod offer_usage;
pub mod offers;
pub mod ott_selections;
pub mod ott_services;
pub mod partners;
pub mod payout_closures;
pub mod payout_items;
pub mod payout_rounds;
pub mod redemptions;
pub mod refund_applications;
pub mod roaming_bonuses;
pub mod roaming_extensions;
pub mod stores;
