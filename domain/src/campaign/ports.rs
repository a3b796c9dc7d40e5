//! Where campaigns are kept.

use async_trait::async_trait;

use chrono::NaiveDate;

use super::{Campaign, CampaignDay, CampaignPeriod, PayoutRound, PeriodOfDays};
use crate::error::Unexpected;
use crate::notification::Template;

/// Reads and edits campaigns.
#[async_trait]
pub trait CampaignRepository: Send + Sync {
    /// The campaign the service runs now.
    ///
    /// # Errors
    /// `Unexpected` when the store fails or holds no active campaign (the migrations
    /// seed one, so that is a broken installation).
    async fn active(&self) -> Result<Campaign, Unexpected>;

    /// Sets one period of a campaign; the next read of the active campaign sees it.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn update_period(
        &self,
        campaign_id: &str,
        kind: CampaignPeriod,
        period: PeriodOfDays,
    ) -> Result<(), Unexpected>;

    /// Sets the dates of the round numbered `round.number`; `false` when the campaign
    /// has no such round.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn update_round(
        &self,
        campaign_id: &str,
        round: &PayoutRound,
    ) -> Result<bool, Unexpected>;

    /// Adds a payout round after the campaign's others; `false` when a round with its
    /// number exists already.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn add_round(&self, campaign_id: &str, round: &PayoutRound) -> Result<bool, Unexpected>;

    /// Sets one single day of a campaign.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn update_day(
        &self,
        campaign_id: &str,
        kind: CampaignDay,
        day: NaiveDate,
    ) -> Result<(), Unexpected>;

    /// Sets the roaming bonus (percent of each pass's data).
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn update_roaming_bonus_percent(
        &self,
        campaign_id: &str,
        percent: i32,
    ) -> Result<(), Unexpected>;

    /// Replaces one template of a campaign (by kind, language and channel).
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn update_template(
        &self,
        campaign_id: &str,
        template: &Template,
    ) -> Result<(), Unexpected>;

    /// Sets the campaign's sender name.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn update_sender_name(&self, campaign_id: &str, name: &str) -> Result<(), Unexpected>;
}
