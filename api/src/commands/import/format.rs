//! The import format of contract.md: one JSON object per line, converted field by field
//! into a validated [`CustomerRecord`]. Errors name the field by its JSON path and never
//! repeat its value (it may be personal data).

use std::str::FromStr;

use chrono::NaiveDate;
use serde::Deserialize;

use benefits_domain::customer::{
    ContractEvent, ContractTerms, CustomerFacts, CustomerRecord, EtfCharge, ExternalId,
    InvalidRecord, Language, LineFacts, PersonName, PhoneNumber, Suspension, Termination,
};

/// One customer as billing exports it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerEntry {
    external_id: String,
    name: String,
    birth_date: String,
    phone: String,
    #[serde(rename = "type")]
    kind: String,
    /// "ko" (the default) or "en": the language of every text for this customer.
    language: Option<String>,
    #[serde(default)]
    lines: Vec<LineEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LineEntry {
    external_id: String,
    msisdn: String,
    device_class: String,
    brand: String,
    payment: String,
    activated_on: String,
    status: String,
    terminated_on: Option<String>,
    terminated_by: Option<String>,
    suspension: Option<SuspensionEntry>,
    #[serde(default)]
    contract_events: Vec<EventEntry>,
    contract: Option<ContractEntry>,
    etf_charged: Option<EtfEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SuspensionEntry {
    reason: String,
    from: String,
    until: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EventEntry {
    kind: String,
    on: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContractEntry {
    start: String,
    end: String,
    device_subsidy: i64,
    additional_subsidy: i64,
    monthly_discount: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EtfEntry {
    common_subsidy: i64,
    additional_subsidy: i64,
    discount_return: i64,
    non_refundable: i64,
}

fn field<T>(path: &str, parsed: Result<T, String>) -> Result<T, InvalidRecord> {
    parsed.map_err(|reason| InvalidRecord::new(path, reason))
}

fn date(path: &str, text: &str) -> Result<NaiveDate, InvalidRecord> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| InvalidRecord::new(path, "must be a date like 2026-01-13"))
}

fn named<T: FromStr<Err = String>>(path: &str, text: &str) -> Result<T, InvalidRecord> {
    field(path, text.parse())
}

impl CustomerEntry {
    /// Checks every field and converts the entry into a record.
    pub fn into_record(self) -> Result<CustomerRecord, InvalidRecord> {
        let facts = CustomerFacts {
            external_id: field("externalId", ExternalId::parse(&self.external_id))?,
            name: field("name", PersonName::parse(&self.name))?,
            birth_date: date("birthDate", &self.birth_date)?,
            phone: field("phone", PhoneNumber::parse(&self.phone))?,
            kind: named("type", &self.kind)?,
            language: match self.language.as_deref() {
                None => Language::default(),
                Some(code) => code
                    .parse()
                    .map_err(|_| InvalidRecord::new("language", "must be \"ko\" or \"en\""))?,
            },
        };
        let lines = self
            .lines
            .into_iter()
            .enumerate()
            .map(|(index, line)| line.into_facts(&format!("lines[{index}]")))
            .collect::<Result<Vec<_>, _>>()?;
        CustomerRecord::new(facts, lines)
    }
}

impl LineEntry {
    fn into_facts(self, at: &str) -> Result<LineFacts, InvalidRecord> {
        let path = |name: &str| format!("{at}.{name}");
        let termination = match (self.terminated_on, self.terminated_by) {
            (Some(on), Some(by)) => Some(Termination {
                on: date(&path("terminatedOn"), &on)?,
                by: named(&path("terminatedBy"), &by)?,
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(InvalidRecord::new(
                    path("terminatedBy"),
                    "is required with terminatedOn",
                ));
            }
            (None, Some(_)) => {
                return Err(InvalidRecord::new(
                    path("terminatedOn"),
                    "is required with terminatedBy",
                ));
            }
        };
        let suspension = self
            .suspension
            .map(|s| {
                Ok::<_, InvalidRecord>(Suspension {
                    reason: named(&path("suspension.reason"), &s.reason)?,
                    from: date(&path("suspension.from"), &s.from)?,
                    until: s
                        .until
                        .map(|until| date(&path("suspension.until"), &until))
                        .transpose()?,
                })
            })
            .transpose()?;
        let contract_events = self
            .contract_events
            .into_iter()
            .enumerate()
            .map(|(index, event)| {
                Ok(ContractEvent {
                    kind: named(&path(&format!("contractEvents[{index}].kind")), &event.kind)?,
                    on: date(&path(&format!("contractEvents[{index}].on")), &event.on)?,
                })
            })
            .collect::<Result<_, InvalidRecord>>()?;
        let contract = self
            .contract
            .map(|c| {
                Ok::<_, InvalidRecord>(ContractTerms {
                    start: date(&path("contract.start"), &c.start)?,
                    end: date(&path("contract.end"), &c.end)?,
                    device_subsidy: c.device_subsidy,
                    additional_subsidy: c.additional_subsidy,
                    monthly_discount: c.monthly_discount,
                })
            })
            .transpose()?;
        Ok(LineFacts {
            external_id: field(&path("externalId"), ExternalId::parse(&self.external_id))?,
            msisdn: field(&path("msisdn"), PhoneNumber::parse(&self.msisdn))?,
            device_class: named(&path("deviceClass"), &self.device_class)?,
            brand: named(&path("brand"), &self.brand)?,
            payment: named(&path("payment"), &self.payment)?,
            activated_on: date(&path("activatedOn"), &self.activated_on)?,
            status: named(&path("status"), &self.status)?,
            suspension,
            termination,
            contract_events,
            contract,
            etf_charged: self.etf_charged.map(|e| EtfCharge {
                common_subsidy: e.common_subsidy,
                additional_subsidy: e.additional_subsidy,
                discount_return: e.discount_return,
                non_refundable: e.non_refundable,
            }),
        })
    }
}

/// Parses one line of the file into a record.
pub fn parse_line(text: &str) -> Result<CustomerRecord, InvalidRecord> {
    let entry: CustomerEntry = serde_json::from_str(text).map_err(|error| {
        // serde's messages name fields and types, not values, for these shapes; the
        // column helps find the spot in a long line.
        InvalidRecord::new(format!("column {}", error.column()), json_reason(&error))
    })?;
    entry.into_record()
}

fn json_reason(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof => "is not valid JSON".to_owned(),
        Category::Data => {
            // Keep serde's description of the shape problem but cut the position suffix.
            let text = error.to_string();
            text.split(" at line ").next().unwrap_or(&text).to_owned()
        }
        Category::Io => "could not be read".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"externalId":"C-1001","name":"Kim Minji","birthDate":"1961-01-13","phone":"010-1234-5678","type":"INDIVIDUAL","lines":[{"externalId":"L-1001-1","msisdn":"010-1234-5678","deviceClass":"PHONE","brand":"OPERATOR","payment":"POSTPAID","activatedOn":"2022-03-02","status":"TERMINATED","terminatedOn":"2025-10-02","terminatedBy":"CUSTOMER","suspension":{"reason":"MILITARY_SERVICE","from":"2024-05-01","until":"2026-01-10"},"contractEvents":[{"kind":"RENEWAL","on":"2024-03-02"}],"contract":{"start":"2024-03-02","end":"2026-03-01","deviceSubsidy":500000,"additionalSubsidy":75000,"monthlyDiscount":0},"etfCharged":{"commonSubsidy":120000,"additionalSubsidy":18000,"discountReturn":0,"nonRefundable":250000}}]}"#;

    #[test]
    fn the_contract_example_parses() {
        let record = parse_line(EXAMPLE).unwrap();
        assert_eq!(record.facts().external_id.as_str(), "C-1001");
        assert_eq!(record.lines().len(), 1);
        assert_eq!(
            record.lines()[0].etf_charged.unwrap().common_subsidy,
            120_000
        );
    }

    #[test]
    fn a_bad_field_is_named_by_its_path_without_its_value() {
        let bad = EXAMPLE.replace(r#""deviceClass":"PHONE""#, r#""deviceClass":"TOASTER""#);
        let error = parse_line(&bad).unwrap_err();
        assert_eq!(error.field, "lines[0].deviceClass");

        let bad = EXAMPLE.replace("010-1234-5678\",\"type", "12345\",\"type");
        let error = parse_line(&bad).unwrap_err();
        assert_eq!(error.field, "phone");
        assert!(!error.to_string().contains("12345"));
    }

    #[test]
    fn a_termination_needs_both_its_date_and_who_ended_it() {
        let bad = EXAMPLE.replace(r#","terminatedBy":"CUSTOMER""#, "");
        assert_eq!(parse_line(&bad).unwrap_err().field, "lines[0].terminatedBy");
    }

    #[test]
    fn a_customer_reads_korean_unless_english_is_chosen() {
        assert_eq!(
            parse_line(EXAMPLE).unwrap().facts().language,
            Language::Korean
        );
        let english = EXAMPLE.replacen("\"type\"", "\"language\":\"en\",\"type\"", 1);
        assert_eq!(
            parse_line(&english).unwrap().facts().language,
            Language::English
        );
        let other = EXAMPLE.replacen("\"type\"", "\"language\":\"ja\",\"type\"", 1);
        assert_eq!(parse_line(&other).unwrap_err().field, "language");
    }

    #[test]
    fn broken_json_and_unknown_fields_are_refused() {
        assert!(parse_line("{not json").is_err());
        let extra = EXAMPLE.replacen("{\"externalId\"", "{\"surprise\":1,\"externalId\"", 1);
        assert!(parse_line(&extra).is_err());
    }
}
