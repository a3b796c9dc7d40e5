//! Admins editing the active campaign: its periods and its payout rounds' dates. Every
//! edit is audited.

use std::sync::Arc;

use super::rules::{check_period, check_round};
use super::{Campaign, CampaignPeriod, CampaignRepository, PayoutRound, PeriodOfDays};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::Unexpected;
use crate::refund::RefundRepository;

/// Why an edit of the campaign was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    BadInput(&'static str),
    #[error("no such payout round")]
    NotFound,
    #[error("the payout round is closed")]
    RoundClosed,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// The campaign use cases.
#[derive(Clone)]
pub struct CampaignService {
    campaigns: Arc<dyn CampaignRepository>,
    refunds: Arc<dyn RefundRepository>,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl CampaignService {
    pub fn new(
        campaigns: Arc<dyn CampaignRepository>,
        refunds: Arc<dyn RefundRepository>,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            campaigns,
            refunds,
            audit,
            clock,
        }
    }

    /// The active campaign and the numbers of its closed payout rounds.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn active(&self) -> Result<(Campaign, Vec<i32>), Unexpected> {
        let campaign = self.campaigns.active().await?;
        let closed = self.refunds.closed_rounds(&campaign.id).await?;
        Ok((campaign, closed.into_iter().collect()))
    }

    /// Sets one period of the active campaign.
    ///
    /// # Errors
    /// `BadInput` for an empty period (or monthly data not on first days of months).
    pub async fn set_period(
        &self,
        caller: &Caller,
        kind: CampaignPeriod,
        period: PeriodOfDays,
    ) -> Result<(), EditError> {
        check_period(kind, period).map_err(EditError::BadInput)?;
        let campaign = self.campaigns.active().await?;
        let before = campaign.period(kind);
        self.campaigns
            .update_period(&campaign.id, kind, period)
            .await?;
        let entry =
            AuditEntry::by(caller, self.clock.now(), "campaign.set_period").detail(format!(
                "{} of {}: {} to {} (was {} to {})",
                kind.as_str(),
                campaign.code,
                period.first,
                period.last,
                before.first,
                before.last
            ));
        self.audit.append(entry).await?;
        Ok(())
    }

    /// Sets the dates of a payout round that is not closed yet.
    ///
    /// # Errors
    /// `NotFound` for an unknown round, `RoundClosed` once its payout file exists,
    /// `BadInput` when it would pay before its applications are in.
    pub async fn set_round(&self, caller: &Caller, round: PayoutRound) -> Result<(), EditError> {
        check_round(&round).map_err(EditError::BadInput)?;
        let (campaign, closed) = self.active().await?;
        if closed.contains(&round.number) {
            return Err(EditError::RoundClosed);
        }
        if !self.campaigns.update_round(&campaign.id, &round).await? {
            return Err(EditError::NotFound);
        }
        let cancelled = round
            .cancelled_until
            .map_or_else(|| "any".to_owned(), |day| day.to_string());
        let entry = AuditEntry::by(caller, self.clock.now(), "campaign.set_round").detail(format!(
            "round {} of {}: pays {}, cancelled until {cancelled}, applied until {}",
            round.number, campaign.code, round.pay_date, round.applied_until
        ));
        self.audit.append(entry).await?;
        Ok(())
    }
}
