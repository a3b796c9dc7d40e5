//! Rows to domain types: opening the sealed columns and parsing the stored names.

use std::str::FromStr;

use benefits_domain::customer::{
    ContractEvent, ContractTerms, Customer, CustomerFacts, CustomerId, EtfCharge, ExternalId, Line,
    LineFacts, LineId, PersonName, PhoneNumber, Suspension, Termination,
};
use benefits_domain::error::Unexpected;

use crate::crypto::FieldCipher;
use crate::db::entities::{contract_events, contract_terms, customers, etf_charges, lines};

/// Table and column names that bind each envelope (the associated data).
pub(super) mod sealed {
    pub const CUSTOMERS: &str = "customers";
    pub const LINES: &str = "lines";
    pub const NAME: &str = "name";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const PHONE: &str = "phone";
    pub const MSISDN: &str = "msisdn";
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> Unexpected {
    Unexpected::new(format!("stored {what} is not valid: {detail}"))
}

fn parse<T: FromStr<Err = String>>(what: &str, text: &str) -> Result<T, Unexpected> {
    text.parse().map_err(|error: String| corrupt(what, error))
}

pub(super) fn customer(
    cipher: &FieldCipher,
    row: &customers::Model,
) -> Result<Customer, Unexpected> {
    let open = |column: &str, envelope: &[u8]| {
        cipher
            .open_text(sealed::CUSTOMERS, column, &row.id, envelope)
            .map_err(Unexpected::new)
    };
    let name =
        PersonName::parse(&open(sealed::NAME, &row.name_enc)?).map_err(|e| corrupt("name", e))?;
    let birth_date = open(sealed::BIRTH_DATE, &row.birth_date_enc)?
        .parse()
        .map_err(|e| corrupt("birth date", e))?;
    let phone = PhoneNumber::parse(&open(sealed::PHONE, &row.phone_enc)?)
        .map_err(|e| corrupt("phone", e))?;
    Ok(Customer {
        id: CustomerId(row.id.clone()),
        facts: CustomerFacts {
            external_id: ExternalId::parse(&row.external_id)
                .map_err(|e| corrupt("external id", e))?,
            name,
            birth_date,
            phone,
            kind: parse("customer type", &row.kind)?,
            language: parse("language", &row.language)?,
        },
    })
}

pub(super) fn line(
    cipher: &FieldCipher,
    row: &lines::Model,
    events: Vec<contract_events::Model>,
    terms: Option<contract_terms::Model>,
    charge: Option<etf_charges::Model>,
) -> Result<Line, Unexpected> {
    let msisdn = cipher
        .open_text(sealed::LINES, sealed::MSISDN, &row.id, &row.msisdn_enc)
        .map_err(Unexpected::new)?;
    let suspension = match (row.suspension_reason.as_deref(), row.suspended_from) {
        (Some(reason), Some(from)) => Some(Suspension {
            reason: parse("suspension reason", reason)?,
            from,
            until: row.suspended_until,
        }),
        _ => None,
    };
    let termination = match (row.terminated_on, row.terminated_by.as_deref()) {
        (Some(on), Some(by)) => Some(Termination {
            on,
            by: parse("terminated by", by)?,
        }),
        _ => None,
    };
    let contract_events = events
        .into_iter()
        .map(|event| {
            Ok(ContractEvent {
                kind: parse("contract event", &event.kind)?,
                on: event.occurred_on,
            })
        })
        .collect::<Result<_, Unexpected>>()?;
    Ok(Line {
        id: LineId(row.id.clone()),
        customer_id: CustomerId(row.customer_id.clone()),
        facts: LineFacts {
            external_id: ExternalId::parse(&row.external_id)
                .map_err(|e| corrupt("external id", e))?,
            msisdn: PhoneNumber::parse(&msisdn).map_err(|e| corrupt("msisdn", e))?,
            device_class: parse("device class", &row.device_class)?,
            brand: parse("brand", &row.brand)?,
            payment: parse("payment", &row.payment)?,
            activated_on: row.activated_on,
            status: parse("status", &row.status)?,
            suspension,
            termination,
            contract_events,
            contract: terms.map(|terms| ContractTerms {
                start: terms.start_on,
                end: terms.end_on,
                device_subsidy: terms.device_subsidy,
                additional_subsidy: terms.additional_subsidy,
                monthly_discount: terms.monthly_discount,
            }),
            etf_charged: charge.map(|charge| EtfCharge {
                common_subsidy: charge.common_subsidy,
                additional_subsidy: charge.additional_subsidy,
                discount_return: charge.discount_return,
                non_refundable: charge.non_refundable,
            }),
        },
    })
}
