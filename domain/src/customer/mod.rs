//! Customers and their lines, as imported from the operator's billing/CRM system.

pub mod model;
pub mod phone;
pub mod ports;
pub mod record;
pub mod service;
pub mod values;

pub use model::{
    Brand, ContractEvent, ContractEventKind, ContractTerms, Customer, CustomerFacts, CustomerId,
    CustomerType, DeviceClass, EtfCharge, Language, Line, LineFacts, LineId, LineStatus, Payment,
    Suspension, SuspensionReason, TerminatedBy, Termination,
};
pub use phone::PhoneNumber;
pub use ports::{CustomerRepository, LinesPage, UpsertError};
pub use record::{CustomerRecord, InvalidRecord};
pub use service::CustomerService;
pub use values::{ExternalId, PersonName};
