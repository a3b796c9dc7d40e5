//! Customers and lines as the program sees them.

use chrono::{Datelike, NaiveDate};

use super::{ExternalId, PersonName, PhoneNumber};
use crate::named_enum::named_enum;

named_enum!(
    /// Individuals and companies; companies apply for refunds in a store only.
    CustomerType { Individual => "INDIVIDUAL", Corporate => "CORPORATE" }
);
named_enum!(
    /// The language of every text the service writes for a customer: Korean unless they
    /// chose English.
    Language { Korean => "ko", English => "en" }
);

// `named_enum!` takes no variant attributes, so `#[default]` cannot be derived.
#[allow(clippy::derivable_impls)]
impl Default for Language {
    fn default() -> Self {
        Self::Korean
    }
}

named_enum!(
    /// What the line is used in.
    DeviceClass { Phone => "PHONE", SecondDevice => "SECOND_DEVICE", Iot => "IOT" }
);
named_enum!(
    /// The operator's own contracts, or budget phones resold by a virtual operator.
    Brand { Operator => "OPERATOR", Mvno => "MVNO" }
);
named_enum!(
    /// How the line is paid for.
    Payment { Postpaid => "POSTPAID", Prepaid => "PREPAID" }
);
named_enum!(
    /// The line's status in billing.
    LineStatus { Active => "ACTIVE", Suspended => "SUSPENDED", Terminated => "TERMINATED" }
);
named_enum!(
    /// Why a line is suspended.
    SuspensionReason {
        MilitaryService => "MILITARY_SERVICE",
        OverseasStay => "OVERSEAS_STAY",
        NonPayment => "NON_PAYMENT",
        CustomerRequest => "CUSTOMER_REQUEST",
    }
);
named_enum!(
    /// Who ended a terminated line; a port-out counts as the customer's cancellation.
    TerminatedBy { Customer => "CUSTOMER", Operator => "OPERATOR" }
);
named_enum!(
    /// Dated events of a line's contract history.
    ContractEventKind {
        NewSubscription => "NEW_SUBSCRIPTION",
        DeviceChange => "DEVICE_CHANGE",
        Renewal => "RENEWAL",
    }
);

/// The service's own id of a customer (opaque, unguessable).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomerId(pub String);

/// The service's own id of a line (opaque, unguessable).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LineId(pub String);

/// What billing tells about a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFacts {
    pub external_id: ExternalId,
    pub name: PersonName,
    pub birth_date: NaiveDate,
    pub phone: PhoneNumber,
    pub kind: CustomerType,
    pub language: Language,
}

impl CustomerFacts {
    /// Full years of age on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        let mut age = day.year() - self.birth_date.year();
        if (day.month(), day.day()) < (self.birth_date.month(), self.birth_date.day()) {
            age -= 1;
        }
        u32::try_from(age).unwrap_or(0)
    }
}

/// A customer known to the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub facts: CustomerFacts,
}

/// A suspension, ongoing while `until` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension {
    pub reason: SuspensionReason,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// When and by whom a line was ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termination {
    pub on: NaiveDate,
    pub by: TerminatedBy,
}

/// A dated event of the contract history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractEvent {
    pub kind: ContractEventKind,
    pub on: NaiveDate,
}

/// The terms of a line under contract. Amounts in KRW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractTerms {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub device_subsidy: i64,
    pub additional_subsidy: i64,
    pub monthly_discount: i64,
}

/// The early-termination fee charged on a terminated line, by component. Amounts in KRW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtfCharge {
    pub common_subsidy: i64,
    pub additional_subsidy: i64,
    pub discount_return: i64,
    /// Device instalments, settlements, monthly fees, penalties: never refunded.
    pub non_refundable: i64,
}

/// What billing tells about a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub external_id: ExternalId,
    pub msisdn: PhoneNumber,
    pub device_class: DeviceClass,
    pub brand: Brand,
    pub payment: Payment,
    pub activated_on: NaiveDate,
    pub status: LineStatus,
    pub suspension: Option<Suspension>,
    pub termination: Option<Termination>,
    pub contract_events: Vec<ContractEvent>,
    pub contract: Option<ContractTerms>,
    pub etf_charged: Option<EtfCharge>,
}

impl LineFacts {
    /// Whether the line was in service at the end of `day` (a line terminated on a day
    /// is not in service at the end of that day).
    pub fn in_service_at_end_of(&self, day: NaiveDate) -> bool {
        self.activated_on <= day && self.termination.is_none_or(|t| t.on > day)
    }
}

/// A line known to the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: LineId,
    pub customer_id: CustomerId,
    pub facts: LineFacts,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn enum_names_round_trip_and_unknown_names_are_refused() {
        for class in DeviceClass::ALL {
            assert_eq!(class.as_str().parse::<DeviceClass>().unwrap(), *class);
        }
        assert!("WATCH".parse::<DeviceClass>().is_err());
    }

    #[test]
    fn age_counts_a_birthday_only_once_it_has_come() {
        let facts = CustomerFacts {
            external_id: ExternalId::parse("C-1").unwrap(),
            name: PersonName::parse("Kim").unwrap(),
            birth_date: day("1961-01-13"),
            phone: PhoneNumber::parse("010-1234-5678").unwrap(),
            kind: CustomerType::Individual,
            language: Language::Korean,
        };
        assert_eq!(facts.age_on(day("2026-01-13")), 65);
        assert_eq!(facts.age_on(day("2026-01-12")), 64);
    }

    #[test]
    fn a_line_terminated_on_a_day_is_not_in_service_at_its_end() {
        let mut line = LineFacts {
            external_id: ExternalId::parse("L-1").unwrap(),
            msisdn: PhoneNumber::parse("010-1234-5678").unwrap(),
            device_class: DeviceClass::Phone,
            brand: Brand::Operator,
            payment: Payment::Postpaid,
            activated_on: day("2020-01-01"),
            status: LineStatus::Terminated,
            suspension: None,
            termination: Some(Termination {
                on: day("2025-08-31"),
                by: TerminatedBy::Customer,
            }),
            contract_events: vec![],
            contract: None,
            etf_charged: None,
        };
        assert!(!line.in_service_at_end_of(day("2025-08-31")));
        assert!(line.in_service_at_end_of(day("2025-08-30")));
        line.termination = None;
        assert!(line.in_service_at_end_of(day("2025-08-31")));
        assert!(!line.in_service_at_end_of(day("2019-12-31")));
    }
}
