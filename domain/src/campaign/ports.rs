//! Where campaigns are kept.

use async_trait::async_trait;

use super::Campaign;
use crate::error::Unexpected;

/// Reads campaigns.
#[async_trait]
pub trait CampaignRepository: Send + Sync {
    /// The campaign the service runs now.
    ///
    /// # Errors
    /// `Unexpected` when the store fails or holds no active campaign (the migrations
    /// seed one, so that is a broken installation).
    async fn active(&self) -> Result<Campaign, Unexpected>;
}
