//! Admins editing the active campaign: its periods and its payout rounds' dates. Every
//! edit is audited.

use std::sync::Arc;

use super::rules::{check_period, check_round};
use super::{Campaign, CampaignDay, CampaignPeriod, CampaignRepository, PayoutRound, PeriodOfDays};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::Unexpected;
use crate::kst;
use crate::notification::templates::{self, Template, TemplateRefusal};
use crate::refund::RefundRepository;
use crate::refund::rules::assign_round;

/// Why an edit of the campaign was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{}", .0.message())]
    Template(TemplateRefusal),
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn active(&self) -> Result<(Campaign, Vec<i32>), Unexpected> {
        let campaign = self.campaigns.active().await?;
        let closed = self.refunds.closed_rounds(&campaign.id).await?;
        Ok((campaign, closed.into_iter().collect()))
    }

    /// Sets one period of the active campaign.
    ///
    /// # Errors
    /// `BadInput` for an empty period (or monthly data not on first days of months).
    #[tracing::instrument(level = "debug", skip_all)]
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

    /// Sets one single day of the active campaign (such as the appreciation program's
    /// base date).
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_day(
        &self,
        caller: &Caller,
        kind: CampaignDay,
        day: chrono::NaiveDate,
    ) -> Result<(), EditError> {
        let campaign = self.campaigns.active().await?;
        let before = campaign.day(kind);
        self.campaigns.update_day(&campaign.id, kind, day).await?;
        let entry = AuditEntry::by(caller, self.clock.now(), "campaign.set_day").detail(format!(
            "{} of {}: {day} (was {before})",
            kind.as_str(),
            campaign.code
        ));
        self.audit.append(entry).await?;
        Ok(())
    }

    /// Sets the roaming bonus, 1 to 1,000 percent of each pass's data.
    ///
    /// # Errors
    /// `BadInput` outside that range.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_roaming_bonus_percent(
        &self,
        caller: &Caller,
        percent: i32,
    ) -> Result<(), EditError> {
        if !(1..=1_000).contains(&percent) {
            return Err(EditError::BadInput(
                "the roaming bonus is 1 to 1,000 percent",
            ));
        }
        let campaign = self.campaigns.active().await?;
        let before = campaign.appreciation.roaming_bonus_percent;
        self.campaigns
            .update_roaming_bonus_percent(&campaign.id, percent)
            .await?;
        let entry =
            AuditEntry::by(caller, self.clock.now(), "campaign.set_roaming_bonus").detail(format!(
                "{} roaming bonus: {percent} % (was {before} %)",
                campaign.code
            ));
        self.audit.append(entry).await?;
        Ok(())
    }

    /// Sets the dates of a payout round that is not closed yet.
    ///
    /// # Errors
    /// `NotFound` for an unknown round, `RoundClosed` once its payout file exists,
    /// `BadInput` when it would pay before its applications are in.
    #[tracing::instrument(level = "debug", skip_all)]
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

    /// Adds a payout round after the campaign's others, numbered next, and puts the
    /// applications waiting without a round (late ones that met none) into it when they
    /// meet its cut-offs. Returns the round's number and how many joined it.
    ///
    /// # Errors
    /// `BadInput` when the round would pay before its applications are in, on or before
    /// today, or before the campaign's last round.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_round(
        &self,
        caller: &Caller,
        pay_date: chrono::NaiveDate,
        cancelled_until: Option<chrono::NaiveDate>,
        applied_until: chrono::NaiveDate,
    ) -> Result<(i32, u32), EditError> {
        let campaign = self.campaigns.active().await?;
        let last = campaign
            .payout_rounds
            .iter()
            .map(|r| (r.number, r.pay_date))
            .max();
        let round = PayoutRound {
            number: last.map_or(1, |(number, _)| number + 1),
            pay_date,
            cancelled_until,
            applied_until,
        };
        check_round(&round).map_err(EditError::BadInput)?;
        if pay_date <= self.clock.today() {
            return Err(EditError::BadInput("a new round pays after today"));
        }
        if last.is_some_and(|(_, last_pays)| pay_date < last_pays) {
            return Err(EditError::BadInput(
                "a new round pays on or after the campaign's last round",
            ));
        }
        if !self.campaigns.add_round(&campaign.id, &round).await? {
            return Err(EditError::BadInput(
                "another admin added a round meanwhile; reload",
            ));
        }
        let rounds = [round.clone()];
        let mut joined = 0;
        for waiting in self.refunds.waiting_without_round().await? {
            let applied_on = kst::date_of(waiting.applied_at);
            let meets = assign_round(
                &rounds,
                &std::collections::BTreeSet::new(),
                waiting.cancelled_on,
                applied_on,
            )
            .is_some();
            if meets && self.refunds.join_round(&waiting.id, round.number).await? {
                joined += 1;
            }
        }
        let cancelled = round
            .cancelled_until
            .map_or_else(|| "any".to_owned(), |day| day.to_string());
        let entry = AuditEntry::by(caller, self.clock.now(), "campaign.add_round").detail(format!(
            "round {} of {}: pays {}, cancelled until {cancelled}, applied until {}; {joined} waiting applications joined",
            round.number, campaign.code, round.pay_date, round.applied_until
        ));
        self.audit.append(entry).await?;
        Ok((round.number, joined))
    }

    /// Replaces one customer-facing text after checking it (no link, no phone number,
    /// no placeholder but `{reference}`, one short SMS).
    ///
    /// # Errors
    /// `Template` with the first rule the text breaks.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_template(&self, caller: &Caller, template: Template) -> Result<(), EditError> {
        let campaign = self.campaigns.active().await?;
        let body = template.body.trim().to_owned();
        templates::check_template(&campaign.texts.sender_name, template.channel, &body)
            .map_err(EditError::Template)?;
        let template = Template { body, ..template };
        self.campaigns
            .update_template(&campaign.id, &template)
            .await?;
        let entry =
            AuditEntry::by(caller, self.clock.now(), "campaign.set_template").detail(format!(
                "{} {} {} of {}",
                template.kind.as_str(),
                template.language.as_str(),
                template.channel.as_str(),
                campaign.code
            ));
        self.audit.append(entry).await?;
        Ok(())
    }

    /// Sets the sender name every SMS starts with, if every SMS template still fits.
    ///
    /// # Errors
    /// `Template` when the name breaks a rule or makes an SMS template too long.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_sender_name(&self, caller: &Caller, name: &str) -> Result<(), EditError> {
        let name = name.trim();
        templates::check_sender_name(name).map_err(EditError::Template)?;
        let campaign = self.campaigns.active().await?;
        for template in &campaign.texts.templates {
            templates::check_template(name, template.channel, &template.body)
                .map_err(EditError::Template)?;
        }
        self.campaigns
            .update_sender_name(&campaign.id, name)
            .await?;
        let entry =
            AuditEntry::by(caller, self.clock.now(), "campaign.set_sender_name").detail(format!(
                "{}: [{name}] (was [{}])",
                campaign.code, campaign.texts.sender_name
            ));
        self.audit.append(entry).await?;
        Ok(())
    }
}
