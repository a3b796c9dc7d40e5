//! A customer with their lines as one import record, checked as a whole.

use std::collections::HashSet;
use std::fmt;

use super::{CustomerFacts, LineFacts, LineStatus};

/// Why an import record was refused: the field (a JSON path such as
/// `lines[0].terminatedOn`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRecord {
    pub field: String,
    pub reason: String,
}

impl InvalidRecord {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InvalidRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for InvalidRecord {}

/// A customer and their lines, consistent with each other: written all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    facts: CustomerFacts,
    lines: Vec<LineFacts>,
}

impl CustomerRecord {
    /// Checks what the field types alone cannot: line ids unique within the record,
    /// status consistent with termination and suspension, sane dates and amounts.
    pub fn new(facts: CustomerFacts, lines: Vec<LineFacts>) -> Result<Self, InvalidRecord> {
        let mut seen = HashSet::new();
        for (index, line) in lines.iter().enumerate() {
            let at = |field: &str| format!("lines[{index}].{field}");
            if !seen.insert(line.external_id.clone()) {
                return Err(InvalidRecord::new(
                    at("externalId"),
                    "appears twice in this customer",
                ));
            }
            check_line(line).map_err(|(field, reason)| InvalidRecord::new(at(field), reason))?;
        }
        Ok(Self { facts, lines })
    }

    pub fn facts(&self) -> &CustomerFacts {
        &self.facts
    }

    pub fn lines(&self) -> &[LineFacts] {
        &self.lines
    }
}

fn check_line(line: &LineFacts) -> Result<(), (&'static str, String)> {
    match (line.status, line.termination) {
        (LineStatus::Terminated, None) => {
            return Err((
                "terminatedOn",
                "is required for a TERMINATED line, with terminatedBy".into(),
            ));
        }
        (LineStatus::Active | LineStatus::Suspended, Some(_)) => {
            return Err((
                "terminatedOn",
                "is only allowed for a TERMINATED line".into(),
            ));
        }
        (_, Some(termination)) if termination.on < line.activated_on => {
            return Err(("terminatedOn", "is before activatedOn".into()));
        }
        _ => {}
    }
    if line.status == LineStatus::Suspended && line.suspension.is_none() {
        return Err(("suspension", "is required for a SUSPENDED line".into()));
    }
    if line
        .suspension
        .is_some_and(|s| s.until.is_some_and(|until| until < s.from))
    {
        return Err(("suspension.until", "is before suspension.from".into()));
    }
    if let Some(contract) = line.contract {
        if contract.end <= contract.start {
            return Err(("contract.end", "must be after contract.start".into()));
        }
        for (field, amount) in [
            ("contract.deviceSubsidy", contract.device_subsidy),
            ("contract.additionalSubsidy", contract.additional_subsidy),
            ("contract.monthlyDiscount", contract.monthly_discount),
        ] {
            if amount < 0 {
                return Err((field, "must not be negative".into()));
            }
        }
    }
    if let Some(etf) = line.etf_charged {
        for (field, amount) in [
            ("etfCharged.commonSubsidy", etf.common_subsidy),
            ("etfCharged.additionalSubsidy", etf.additional_subsidy),
            ("etfCharged.discountReturn", etf.discount_return),
            ("etfCharged.nonRefundable", etf.non_refundable),
        ] {
            if amount < 0 {
                return Err((field, "must not be negative".into()));
            }
        }
    }
    Ok(())
}
