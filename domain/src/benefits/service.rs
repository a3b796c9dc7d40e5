//! Appreciation use cases: insurance cover and enrolment, the OTT choice, the monthly
//! data grant and roaming bonuses.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};

use super::claims::{Claim, ClaimStatus, CoverageType, EarlierFiling, NewClaim, approvable};
use super::ports::{
    AppreciationRepository, DataGrant, MinimumAge, NewRoamingBonus, OttSelection, OttService,
    RoamingBonus, RoamingExtension, SelectError,
};
use super::{BenefitKind, BenefitReason, InsuranceStatus, insurance, line_benefit, ott_choice};
use crate::audit::{AuditEntry, AuditLog};
use crate::auth::Caller;
use crate::campaign::CampaignRepository;
use crate::clock::Clock;
use crate::customer::{Brand, Customer, CustomerId, CustomerRepository, Line, LineId, LinesPage};
use crate::error::Unexpected;
use crate::partner::ports::CodeGenerator;
use crate::refund::ports::IdempotencyClaim;

/// A service of the OTT catalog, and whether a customer may choose it (or why not).
pub type OttChoice = (OttService, Result<(), BenefitReason>);

/// The insurer's terms the consent refers to.
pub const INSURANCE_TERMS_VERSION: &str = "2026-02";
/// The highest minimum age a service may have.
const MAX_MINIMUM_AGE: u32 = 120;
/// Customers read per batch by the monthly grant.
const GRANT_BATCH: u64 = 1_000;

/// An appreciation operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum BenefitError {
    #[error("{0}")]
    BadInput(String),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("outside the benefit's period")]
    WindowClosed,
    #[error("not eligible")]
    NotEligible(BenefitReason),
    #[error("the voucher is activated: the choice is final")]
    Final,
    #[error("over the insurer's limit: at most {0} KRW")]
    LimitReached(i64),
    #[error("the idempotency key was used with another input")]
    IdempotencyConflict,
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// An insurance claim as the customer files it.
#[derive(Debug, Clone, Copy)]
pub struct ClaimFiling<'a> {
    pub coverage: CoverageType,
    /// `YYYY-MM-DD`.
    pub incident_on: &'a str,
    /// KRW.
    pub loss_amount: i64,
    pub description: &'a str,
    pub idempotency_key: &'a str,
}

/// A customer on the insurer's list.
#[derive(Debug, Clone)]
pub struct CoveredCustomer {
    pub customer: Customer,
    pub automatic: bool,
    /// When they consented, if they enrolled.
    pub consented_at: Option<DateTime<Utc>>,
}

/// What a monthly grant run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GrantRun {
    pub granted: u32,
    pub skipped: u32,
}

/// One record of billing's roaming usage feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoamingFeedRecord {
    /// Billing's record id: the idempotency key.
    pub record_id: String,
    pub line_external_id: String,
    pub pass_name: String,
    pub data_mb: i64,
    /// `YYYY-MM-DD`.
    pub activated_on: String,
}

/// What a roaming feed run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoamingFeedTally {
    pub recorded: u64,
    pub already_recorded: u64,
    pub refused: u64,
}

fn roaming_date(activated_on: &str) -> Result<NaiveDate, BenefitError> {
    NaiveDate::parse_from_str(activated_on, "%Y-%m-%d")
        .map_err(|_| BenefitError::BadInput("activatedOn must be a date like 2026-02-10".into()))
}

fn check_pass(pass_name: &str, data_mb: i64) -> Result<(), BenefitError> {
    if data_mb <= 0 || pass_name.trim().is_empty() || pass_name.len() > 100 {
        return Err(BenefitError::BadInput(
            "a pass needs a name and a positive dataMb".into(),
        ));
    }
    Ok(())
}

/// The bonus of a roaming pass on `line`, by the campaign's rules.
fn roaming_bonus(
    line: &Line,
    rules: &crate::campaign::model::AppreciationRules,
    pass_name: &str,
    data_mb: i64,
    activated_on: NaiveDate,
    external_id: Option<String>,
) -> Result<NewRoamingBonus, BenefitError> {
    line_benefit(BenefitKind::RoamingBonus, &line.facts, rules)
        .map_err(BenefitError::NotEligible)?;
    if !rules.roaming_window.contains(activated_on) {
        return Err(BenefitError::WindowClosed);
    }
    let bonus_mb =
        i64::try_from(i128::from(data_mb) * i128::from(rules.roaming_bonus_percent) / 100)
            .unwrap_or(0);
    Ok(NewRoamingBonus {
        line_id: line.id.clone(),
        external_id,
        bonus: RoamingBonus {
            pass_name: pass_name.trim().to_owned(),
            data_mb,
            bonus_mb,
            activated_on,
        },
    })
}

/// Appreciation use cases.
#[derive(Clone)]
pub struct AppreciationService {
    records: Arc<dyn AppreciationRepository>,
    customers: Arc<dyn CustomerRepository>,
    /// Where the insurer's list reads customers and consents: a read replica when one
    /// is configured.
    reports: (Arc<dyn CustomerRepository>, Arc<dyn AppreciationRepository>),
    campaigns: Arc<dyn CampaignRepository>,
    codes: Arc<dyn CodeGenerator>,
    audit: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl AppreciationService {
    pub fn new(
        records: Arc<dyn AppreciationRepository>,
        customers: Arc<dyn CustomerRepository>,
        campaigns: Arc<dyn CampaignRepository>,
        codes: Arc<dyn CodeGenerator>,
        audit: Arc<dyn AuditLog>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            reports: (customers.clone(), records.clone()),
            records,
            customers,
            campaigns,
            codes,
            audit,
            clock,
        }
    }

    /// Reads the insurer's list from these repositories.
    #[must_use]
    pub fn reporting_from(
        self,
        customers: Arc<dyn CustomerRepository>,
        records: Arc<dyn AppreciationRepository>,
    ) -> Self {
        Self {
            reports: (customers, records),
            ..self
        }
    }

    /// A customer's insurance cover.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insurance(
        &self,
        customer: &Customer,
        lines: &[Line],
    ) -> Result<InsuranceStatus, Unexpected> {
        let campaign = self.campaigns.active().await?;
        let enrolled = self.records.enrolled(&customer.id).await?;
        let facts: Vec<_> = lines.iter().map(|line| line.facts.clone()).collect();
        Ok(insurance(
            &customer.facts,
            &facts,
            &campaign.appreciation,
            enrolled,
        ))
    }

    /// The calling customer enrols in the insurance with consent to its terms.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn enrol(
        &self,
        caller: &Caller,
        consent: bool,
    ) -> Result<InsuranceStatus, BenefitError> {
        if !consent {
            return Err(BenefitError::BadInput(
                "enrolling needs consent to the insurer's terms".into(),
            ));
        }
        let customer = self.caller_customer(caller).await?;
        let lines = self.customers.lines_of(&customer.id).await?;
        let status = self.insurance(&customer, &lines).await?;
        if !status.eligible {
            return Err(BenefitError::NotEligible(
                status
                    .reason
                    .unwrap_or(BenefitReason::NotInServiceOnBaseDate),
            ));
        }
        if status.covered {
            return Ok(status);
        }
        self.records
            .enrol(&customer.id, self.clock.now(), INSURANCE_TERMS_VERSION)
            .await?;
        Ok(self.insurance(&customer, &lines).await?)
    }

    async fn caller_customer(&self, caller: &Caller) -> Result<Customer, BenefitError> {
        let external_id = caller
            .principal
            .customer_external_id()
            .ok_or(BenefitError::NotFound("customer"))?;
        self.customers
            .by_external_id(external_id)
            .await?
            .ok_or(BenefitError::NotFound("customer"))
    }

    /// One page of the insurer's list: of the next `limit` customers after `after`, those
    /// covered, automatically or by consent. Returns them and the cursor of the next
    /// page (`None` at the end). Reading names and birth dates is audited.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn covered_customers(
        &self,
        caller: &Caller,
        after: Option<&CustomerId>,
        limit: u64,
    ) -> Result<(Vec<CoveredCustomer>, Option<CustomerId>), Unexpected> {
        let (report_customers, report_records) = &self.reports;
        let customers = report_customers.customers_page(after, limit).await?;
        let Some(last) = customers.last().map(|c| c.id.clone()) else {
            return Ok((Vec::new(), None));
        };
        let lines = report_customers
            .lines_page_without_history(after, limit)
            .await?
            .lines;
        let ids: Vec<CustomerId> = customers.iter().map(|c| c.id.clone()).collect();
        let consents: HashMap<CustomerId, DateTime<Utc>> =
            report_records.enrolments(&ids).await?.into_iter().collect();
        let campaign = self.campaigns.active().await?;
        let mut covered = Vec::new();
        for customer in customers {
            let facts: Vec<_> = lines
                .iter()
                .filter(|l| l.customer_id == customer.id)
                .map(|l| l.facts.clone())
                .collect();
            let consented_at = consents.get(&customer.id).copied();
            let status = insurance(
                &customer.facts,
                &facts,
                &campaign.appreciation,
                consented_at.is_some(),
            );
            if status.covered {
                covered.push(CoveredCustomer {
                    customer,
                    automatic: status.automatic,
                    consented_at,
                });
            }
        }
        let entry =
            AuditEntry::by(caller, self.clock.now(), "insurance.export_covered").detail(format!(
                "{} covered customers with names and birth dates",
                covered.len()
            ));
        self.audit.append(entry).await?;
        let next = (u64::try_from(ids.len()).unwrap_or(0) == limit).then_some(last);
        Ok((covered, next))
    }

    /// The OTT catalog.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ott_services(&self) -> Result<Vec<OttService>, Unexpected> {
        self.records.ott_services().await
    }

    /// Adds or renames an OTT service, setting or keeping its minimum age.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn upsert_ott_service(
        &self,
        caller: &Caller,
        external_id: &str,
        name: &str,
        minimum_age: MinimumAge,
    ) -> Result<OttService, BenefitError> {
        for (field, value) in [("externalId", external_id), ("name", name)] {
            if value.trim().is_empty() || value.len() > 100 {
                return Err(BenefitError::BadInput(format!(
                    "{field} must be 1 to 100 characters"
                )));
            }
        }
        if let MinimumAge::Set(Some(age)) = minimum_age
            && age > MAX_MINIMUM_AGE
        {
            return Err(BenefitError::BadInput(format!(
                "minimumAge must be 0 to {MAX_MINIMUM_AGE}"
            )));
        }
        let service = self
            .records
            .upsert_ott_service(external_id.trim(), name.trim(), minimum_age)
            .await?;
        let age = service
            .minimum_age
            .map_or_else(|| "none".to_owned(), |age| age.to_string());
        let entry = AuditEntry::by(caller, self.clock.now(), "ott.upsert_service")
            .detail(format!("service {external_id}, minimum age {age}"));
        self.audit.append(entry).await?;
        Ok(service)
    }

    /// The catalog as the customer of `line` sees it today: each service and whether
    /// they may choose it, or the first rule that stops them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ott_choices(&self, line: &Line) -> Result<Vec<OttChoice>, Unexpected> {
        let campaign = self.campaigns.active().await?;
        let customer = self
            .customers
            .by_id(&line.customer_id)
            .await?
            .ok_or_else(|| Unexpected::new("a line's customer is missing"))?;
        let today = self.clock.today();
        Ok(self
            .records
            .ott_services()
            .await?
            .into_iter()
            .map(|service| {
                let choice = ott_choice(
                    &line.facts,
                    &customer.facts,
                    &service,
                    &campaign.appreciation,
                    today,
                );
                (service, choice)
            })
            .collect())
    }

    /// A line's OTT choice.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ott_selection(&self, line: &LineId) -> Result<Option<OttSelection>, Unexpected> {
        self.records.ott_selection(line).await
    }

    /// The calling customer chooses an OTT service for one of their lines.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn select_ott(
        &self,
        caller: &Caller,
        line_id: &LineId,
        service_id: &str,
    ) -> Result<OttSelection, BenefitError> {
        let customer = self.caller_customer(caller).await?;
        let line = self
            .customers
            .line(line_id, Some(&customer.id))
            .await?
            .ok_or(BenefitError::NotFound("line"))?;
        let campaign = self.campaigns.active().await?;
        if !campaign
            .appreciation
            .ott_selection_window
            .contains(self.clock.today())
        {
            return Err(BenefitError::WindowClosed);
        }
        line_benefit(
            BenefitKind::OttSubscription,
            &line.facts,
            &campaign.appreciation,
        )
        .map_err(BenefitError::NotEligible)?;
        let services = self.records.ott_services().await?;
        let service = services
            .iter()
            .find(|service| service.id == service_id)
            .ok_or(BenefitError::NotFound("OTT service"))?;
        ott_choice(
            &line.facts,
            &customer.facts,
            service,
            &campaign.appreciation,
            self.clock.today(),
        )
        .map_err(BenefitError::NotEligible)?;
        let voucher = self.codes.voucher_code();
        match self
            .records
            .select_ott(&line.id, service_id, &voucher, self.clock.now())
            .await
        {
            Ok(Some(selection)) => Ok(selection),
            Ok(None) => Err(BenefitError::NotFound("OTT service")),
            Err(SelectError::Final) => Err(BenefitError::Final),
            Err(SelectError::Unexpected(cause)) => Err(cause.into()),
        }
    }

    /// Activates a line's voucher (the OTT partner or an admin): the choice is final.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn activate_voucher(
        &self,
        caller: &Caller,
        line_id: &LineId,
    ) -> Result<OttSelection, BenefitError> {
        let selection = self
            .records
            .activate_voucher(line_id, self.clock.now())
            .await?
            .ok_or(BenefitError::NotFound("OTT selection"))?;
        let entry = AuditEntry::by(caller, self.clock.now(), "ott.activate_voucher")
            .detail(format!("line {}", line_id.0));
        self.audit.append(entry).await?;
        Ok(selection)
    }

    /// Grants the month's data to every program line whose exclusions do not apply now;
    /// a rerun (or a run on another replica) grants nothing twice.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn run_monthly_grant(
        &self,
        caller: &Caller,
        month: &str,
    ) -> Result<GrantRun, BenefitError> {
        let first_day = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .ok()
            .filter(|day| format!("{:04}-{:02}", day.year(), day.month()) == month)
            .ok_or_else(|| BenefitError::BadInput("month must look like 2026-02".into()))?;
        let campaign = self.campaigns.active().await?;
        let rules = &campaign.appreciation;
        if !rules.monthly_data_months.contains(first_day) {
            return Err(BenefitError::WindowClosed);
        }
        let mut run = GrantRun::default();
        let mut after: Option<CustomerId> = None;
        loop {
            let LinesPage {
                lines,
                last_customer,
            } = self
                .customers
                .lines_page_without_history(after.as_ref(), GRANT_BATCH)
                .await?;
            let Some(last) = last_customer else { break };
            after = Some(last);
            let mut due = Vec::new();
            for line in &lines {
                let in_program = line.facts.brand == Brand::Operator
                    && line.facts.in_service_at_end_of(rules.base_date);
                if !in_program {
                    continue;
                }
                match line_benefit(BenefitKind::MonthlyData, &line.facts, rules) {
                    Ok(()) => due.push(line.id.clone()),
                    Err(_) => run.skipped += 1,
                }
            }
            run.granted += self
                .records
                .grant_data(&due, month, rules.monthly_data_gigabytes, self.clock.now())
                .await?;
        }
        let entry = AuditEntry::by(caller, self.clock.now(), "data.monthly_grant").detail(format!(
            "{month}: {} granted, {} skipped",
            run.granted, run.skipped
        ));
        self.audit.append(entry).await?;
        Ok(run)
    }

    /// A line's data grants.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn data_grants(&self, line: &LineId) -> Result<Vec<DataGrant>, Unexpected> {
        self.records.data_grants(line).await
    }

    /// Records a roaming pass fed from billing and its bonus.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_roaming_pass(
        &self,
        caller: &Caller,
        line_id: &LineId,
        pass_name: &str,
        data_mb: i64,
        activated_on: &str,
        external_id: Option<String>,
    ) -> Result<RoamingBonus, BenefitError> {
        let activated_on = roaming_date(activated_on)?;
        check_pass(pass_name, data_mb)?;
        let line = self
            .customers
            .line(line_id, None)
            .await?
            .ok_or(BenefitError::NotFound("line"))?;
        let campaign = self.campaigns.active().await?;
        let bonus = roaming_bonus(
            &line,
            &campaign.appreciation,
            pass_name,
            data_mb,
            activated_on,
            external_id,
        )?;
        let recorded = self
            .records
            .record_roaming(&bonus, self.clock.now())
            .await?;
        let entry = AuditEntry::by(caller, self.clock.now(), "roaming.record_pass")
            .about(&line.customer_id)
            .detail(format!(
                "line {}: {} MB bonus",
                line.id.0, recorded.bonus_mb
            ));
        self.audit.append(entry).await?;
        Ok(recorded)
    }

    /// Records a batch of billing's roaming feed: each record by the same rules and
    /// through the same write as [`Self::record_roaming_pass`], its billing record id
    /// the idempotency key. Lines and already recorded ids are read for the whole batch
    /// at once. Per record: `Ok(true)` recorded now, `Ok(false)` recorded before (a
    /// no-op), or why it was refused. Not audited per record: see
    /// [`Self::audit_roaming_feed`].
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_roaming_feed(
        &self,
        records: &[RoamingFeedRecord],
    ) -> Result<Vec<Result<bool, BenefitError>>, Unexpected> {
        let ids: Vec<String> = records.iter().map(|r| r.record_id.clone()).collect();
        let mut known = self.records.known_roaming_records(&ids).await?;
        let mut external_ids: Vec<String> =
            records.iter().map(|r| r.line_external_id.clone()).collect();
        external_ids.sort();
        external_ids.dedup();
        let lines: HashMap<String, Line> = self
            .customers
            .lines_by_external_ids(&external_ids)
            .await?
            .into_iter()
            .map(|line| (line.facts.external_id.as_str().to_owned(), line))
            .collect();
        let campaign = self.campaigns.active().await?;
        let mut outcomes = Vec::with_capacity(records.len());
        for record in records {
            if known.contains(&record.record_id) {
                outcomes.push(Ok(false));
                continue;
            }
            let outcome = async {
                if record.record_id.trim().is_empty() || record.record_id.len() > 128 {
                    return Err(BenefitError::BadInput(
                        "recordId must be 1 to 128 characters".into(),
                    ));
                }
                let activated_on = roaming_date(&record.activated_on)?;
                check_pass(&record.pass_name, record.data_mb)?;
                let line = lines
                    .get(&record.line_external_id)
                    .ok_or(BenefitError::NotFound("line"))?;
                let bonus = roaming_bonus(
                    line,
                    &campaign.appreciation,
                    &record.pass_name,
                    record.data_mb,
                    activated_on,
                    Some(record.record_id.clone()),
                )?;
                self.records
                    .record_roaming(&bonus, self.clock.now())
                    .await?;
                Ok(true)
            }
            .await;
            if matches!(outcome, Ok(true)) {
                // A record repeated later in the batch is a no-op too.
                known.insert(record.record_id.clone());
            }
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// Audits a roaming feed run: who, the file's hash, and its counts.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_roaming_feed(
        &self,
        caller: &Caller,
        file_sha256: &str,
        tally: &RoamingFeedTally,
    ) -> Result<(), Unexpected> {
        let entry =
            AuditEntry::by(caller, self.clock.now(), "roaming.record_feed").detail(format!(
                "file sha256 {file_sha256}: {} recorded, {} already recorded, {} refused",
                tally.recorded, tally.already_recorded, tally.refused
            ));
        self.audit.append(entry).await
    }

    /// The calling customer files an insurance claim. The same idempotency key with
    /// the same input returns the claim first filed; with another input it is
    /// `IdempotencyConflict`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn file_claim(
        &self,
        caller: &Caller,
        filing: &ClaimFiling<'_>,
    ) -> Result<Claim, BenefitError> {
        let incident_on =
            NaiveDate::parse_from_str(filing.incident_on, "%Y-%m-%d").map_err(|_| {
                BenefitError::BadInput("incidentDate must be a date like 2026-03-02".into())
            })?;
        let description = filing.description.trim();
        if filing.loss_amount <= 0 || description.is_empty() || description.chars().count() > 2_000
        {
            return Err(BenefitError::BadInput(
                "a claim needs a positive lossAmount and a description of up to 2,000 characters"
                    .into(),
            ));
        }
        let key = filing.idempotency_key.trim();
        if key.is_empty() || key.len() > 128 {
            return Err(BenefitError::BadInput(
                "idempotencyKey must be 1 to 128 characters".into(),
            ));
        }
        let key = IdempotencyClaim {
            scope: format!(
                "{}:{}:fileInsuranceClaim",
                caller.principal.role, caller.principal.subject
            ),
            key: key.to_owned(),
            fingerprint: format!(
                "{}|{incident_on}|{}|{description}",
                filing.coverage.as_str(),
                filing.loss_amount
            ),
        };
        if let Some(earlier) = self.earlier_filing(&key).await? {
            return Ok(earlier);
        }
        let customer = self.caller_customer(caller).await?;
        let lines = self.customers.lines_of(&customer.id).await?;
        let status = self.insurance(&customer, &lines).await?;
        if !status.covered {
            return Err(BenefitError::NotEligible(
                status.reason.unwrap_or(BenefitReason::NotEnrolled),
            ));
        }
        let campaign = self.campaigns.active().await?;
        if !campaign
            .appreciation
            .insurance_coverage
            .contains(incident_on)
            || incident_on > self.clock.today()
        {
            return Err(BenefitError::WindowClosed);
        }
        let claim = NewClaim {
            customer_id: customer.id,
            coverage: filing.coverage,
            incident_on,
            loss_amount: filing.loss_amount,
            description: description.to_owned(),
            filed_at: self.clock.now(),
        };
        match self.records.file_claim(&claim, &key).await? {
            Some(filed) => Ok(filed),
            // A concurrent retry took the key first: its claim, if the input matches.
            None => self
                .earlier_filing(&key)
                .await?
                .ok_or(BenefitError::IdempotencyConflict),
        }
    }

    /// The claim an earlier filing with this key made, if any.
    async fn earlier_filing(&self, key: &IdempotencyClaim) -> Result<Option<Claim>, BenefitError> {
        match self.records.filed_with(key).await? {
            None => Ok(None),
            Some(EarlierFiling::Different) => Err(BenefitError::IdempotencyConflict),
            Some(EarlierFiling::Same(id)) => Ok(self.records.claim(&id, None).await?),
        }
    }

    /// A customer's claims, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claims_of(&self, customer: &CustomerId) -> Result<Vec<Claim>, Unexpected> {
        self.records.claims(Some(customer), None).await
    }

    /// The claims in one status: the insurer's queue.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claims_in(&self, status: ClaimStatus) -> Result<Vec<Claim>, Unexpected> {
        self.records.claims(None, Some(status)).await
    }

    /// Moves a claim on in the insurer's workflow; an approval is capped by the limits
    /// per claim and per year (the whole approvable amount when none is given).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn move_claim(
        &self,
        caller: &Caller,
        id: &str,
        to: ClaimStatus,
        approved_amount: Option<i64>,
    ) -> Result<Claim, BenefitError> {
        let claim = self
            .records
            .claim(id, None)
            .await?
            .ok_or(BenefitError::NotFound("claim"))?;
        if !claim.status.may_become(to) {
            return Err(BenefitError::BadInput(format!(
                "a {} claim cannot become {}",
                claim.status.as_str(),
                to.as_str()
            )));
        }
        let approved = if to == ClaimStatus::Approved {
            let campaign = self.campaigns.active().await?;
            let rules = &campaign.appreciation;
            let year = claim.incident_on.year();
            let already: i64 = self
                .records
                .claims(Some(&claim.customer_id), None)
                .await?
                .iter()
                .filter(|other| {
                    other.id != claim.id
                        && other.status.counts_against_limit()
                        && other.incident_on.year() == year
                })
                .filter_map(|other| other.approved_amount)
                .sum();
            let cap = approvable(
                claim.loss_amount,
                rules.insurance_claim_limit,
                rules.insurance_yearly_limit,
                already,
            );
            let amount = approved_amount.unwrap_or(cap);
            if amount <= 0 || amount > cap {
                return Err(BenefitError::LimitReached(cap));
            }
            Some(amount)
        } else {
            None
        };
        if !self
            .records
            .move_claim(id, claim.status, to, approved, self.clock.now())
            .await?
        {
            return Err(BenefitError::BadInput(
                "the claim was moved meanwhile; reload it".into(),
            ));
        }
        let entry = AuditEntry::by(caller, self.clock.now(), "insurance.move_claim")
            .about(&claim.customer_id)
            .detail(format!(
                "claim {id}: {} -> {}",
                claim.status.as_str(),
                to.as_str()
            ));
        self.audit.append(entry).await?;
        self.records
            .claim(id, None)
            .await?
            .ok_or(BenefitError::NotFound("claim"))
    }

    /// Lists an existing roaming offer as extended by the campaign until `until`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn extend_roaming_offer(
        &self,
        caller: &Caller,
        offer_code: &str,
        until: &str,
    ) -> Result<NaiveDate, BenefitError> {
        let until = NaiveDate::parse_from_str(until, "%Y-%m-%d")
            .map_err(|_| BenefitError::BadInput("until must be a date like 2026-08-31".into()))?;
        let offer_code = offer_code.trim();
        if offer_code.is_empty() || offer_code.len() > 64 {
            return Err(BenefitError::BadInput(
                "offerCode must be 1 to 64 characters".into(),
            ));
        }
        let campaign = self.campaigns.active().await?;
        self.records
            .extend_roaming_offer(&campaign.id, offer_code, until)
            .await?;
        let entry = AuditEntry::by(caller, self.clock.now(), "roaming.extend_offer")
            .detail(format!("{offer_code} until {until}"));
        self.audit.append(entry).await?;
        Ok(until)
    }

    /// Billing reports a roaming offer a line holds: when the campaign extends that
    /// offer and the line may have roaming benefits, the extension is recorded once and
    /// pushed to billing. `None` when the offer is not extended or already ends later.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_roaming_offer(
        &self,
        line_id: &LineId,
        offer_code: &str,
        ends_on: &str,
    ) -> Result<Option<RoamingExtension>, BenefitError> {
        let ends_on = NaiveDate::parse_from_str(ends_on, "%Y-%m-%d")
            .map_err(|_| BenefitError::BadInput("endsOn must be a date like 2026-03-31".into()))?;
        let line = self
            .customers
            .line(line_id, None)
            .await?
            .ok_or(BenefitError::NotFound("line"))?;
        let campaign = self.campaigns.active().await?;
        line_benefit(
            BenefitKind::RoamingBonus,
            &line.facts,
            &campaign.appreciation,
        )
        .map_err(BenefitError::NotEligible)?;
        let Some(until) = self
            .records
            .roaming_offer_extension(&campaign.id, offer_code.trim())
            .await?
        else {
            return Ok(None);
        };
        if ends_on >= until {
            return Ok(None);
        }
        let extension = RoamingExtension {
            offer_code: offer_code.trim().to_owned(),
            original_end: ends_on,
            extended_until: until,
        };
        Ok(Some(
            self.records
                .record_extension(&line.id, &extension, self.clock.now())
                .await?,
        ))
    }

    /// A line's extended roaming offers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn roaming_extensions(
        &self,
        line: &LineId,
    ) -> Result<Vec<RoamingExtension>, Unexpected> {
        self.records.roaming_extensions(line).await
    }

    /// A line's roaming bonuses.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn roaming_bonuses(&self, line: &LineId) -> Result<Vec<RoamingBonus>, Unexpected> {
        self.records.roaming_bonuses(line).await
    }
}
