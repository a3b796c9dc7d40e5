//! Refund applications and payout files.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::campaign::PayoutRound;
use crate::customer::{CustomerId, LineId};
use crate::masking::mask_all_but_last_four;
use crate::named_enum::named_enum;

named_enum!(
    /// Where an application was made: the app or website, the call centre, a store.
    Channel { Web => "WEB", CallCenter => "CALL_CENTER", Store => "STORE" }
);

named_enum!(
    /// SUBMITTED (waiting for its round) → SCHEDULED (round closed, in the bank file) →
    /// PAID, or FAILED (bad account: waits for a correction, then SUBMITTED again).
    RefundStatus { Submitted => "SUBMITTED", Scheduled => "SCHEDULED", Paid => "PAID", Failed => "FAILED" }
);

/// The service's id of an application.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApplicationId(pub String);

/// A bank account for a refund. Its `Debug` form is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct BankAccount {
    bank_code: String,
    number: String,
    holder: String,
}

impl BankAccount {
    /// A three-digit bank code, an account number of 8 to 20 digits (hyphens and spaces
    /// are dropped), and the holder's name.
    pub fn parse(bank_code: &str, number: &str, holder: &str) -> Result<Self, String> {
        let bank_code = bank_code.trim();
        if bank_code.len() != 3 || !bank_code.chars().all(|c| c.is_ascii_digit()) {
            return Err("bankCode must be three digits".to_owned());
        }
        let digits: String = number.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        if !(8..=20).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("accountNumber must be 8 to 20 digits".to_owned());
        }
        let holder = holder.trim();
        if holder.is_empty() || holder.chars().count() > 100 || holder.chars().any(char::is_control)
        {
            return Err("accountHolder must be a name of 1 to 100 characters".to_owned());
        }
        Ok(Self {
            bank_code: bank_code.to_owned(),
            number: digits,
            holder: holder.to_owned(),
        })
    }

    pub fn bank_code(&self) -> &str {
        &self.bank_code
    }

    /// The full number: only for the payout file.
    pub fn number(&self) -> &str {
        &self.number
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Every digit but the last four masked.
    pub fn masked(&self) -> String {
        mask_all_but_last_four(&self.number)
    }
}

impl fmt::Debug for BankAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BankAccount({} {})", self.bank_code, self.masked())
    }
}

/// An application to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub line_id: LineId,
    pub customer_id: CustomerId,
    pub channel: Channel,
    pub amount: i64,
    pub account: BankAccount,
    pub guardian_name: Option<String>,
    pub round: Option<i32>,
    pub applied_at: DateTime<Utc>,
    pub cancelled_on: NaiveDate,
    /// Who submitted it (the customer, or the agent acting for them).
    pub submitted_by: String,
}

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundApplication {
    pub id: ApplicationId,
    pub line_id: LineId,
    pub customer_id: CustomerId,
    pub channel: Channel,
    pub status: RefundStatus,
    pub amount: i64,
    pub account: BankAccount,
    pub guardian_name: Option<String>,
    /// `None` only while a FAILED payout waits for a corrected account.
    pub round: Option<i32>,
    pub applied_at: DateTime<Utc>,
    pub cancelled_on: NaiveDate,
}

/// One transfer in a payout file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutItem {
    pub application_id: ApplicationId,
    pub account: BankAccount,
    pub amount: i64,
}

/// The file for the bank transfer system of one closed round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutFile {
    pub round: PayoutRound,
    pub items: Vec<PayoutItem>,
}

impl PayoutFile {
    pub fn total(&self) -> i64 {
        self.items.iter().map(|item| item.amount).sum()
    }

    /// `application_id,bank_code,account_number,account_holder,amount`, one row per
    /// application. Fields holding a comma, quote or line break are quoted; a text
    /// cell a spreadsheet would take for a formula is defused (see [`csv_field`]).
    pub fn csv(&self) -> String {
        let mut csv =
            String::from("application_id,bank_code,account_number,account_holder,amount\n");
        for item in &self.items {
            let row = [
                item.application_id.0.as_str(),
                item.account.bank_code(),
                item.account.number(),
                item.account.holder(),
            ]
            .map(csv_field)
            .join(",");
            csv.push_str(&row);
            csv.push(',');
            csv.push_str(&item.amount.to_string());
            csv.push('\n');
        }
        csv
    }
}

/// A text cell of the payout file. One starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would run as a formula when the file is opened in a spreadsheet
/// (OWASP "CSV injection"): it gets a leading `'` and is quoted, so it reads as text.
fn csv_field(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", value.replace('"', "\"\""))
    } else if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_drop_separators_and_show_only_their_last_four_digits() {
        let account = BankAccount::parse("004", "123-456-789012", "Kim Minji").unwrap();
        assert_eq!(account.number(), "123456789012");
        assert_eq!(account.masked(), "********9012");
        assert!(!format!("{account:?}").contains("123456"));
    }

    #[test]
    fn malformed_accounts_are_refused() {
        assert!(BankAccount::parse("04", "123456789012", "Kim").is_err());
        assert!(BankAccount::parse("004", "1234", "Kim").is_err());
        assert!(BankAccount::parse("004", "12345678901a", "Kim").is_err());
        assert!(BankAccount::parse("004", "123456789012", " ").is_err());
    }

    #[test]
    fn the_payout_file_quotes_names_with_commas() {
        let file = PayoutFile {
            round: PayoutRound {
                number: 1,
                pay_date: "2026-01-22".parse().unwrap(),
                cancelled_until: None,
                applied_until: "2026-01-18".parse().unwrap(),
            },
            items: vec![PayoutItem {
                application_id: ApplicationId("a-1".into()),
                account: BankAccount::parse("004", "123456789012", "Kim, Minji").unwrap(),
                amount: 138_000,
            }],
        };
        assert_eq!(
            file.csv(),
            "application_id,bank_code,account_number,account_holder,amount\na-1,004,123456789012,\"Kim, Minji\",138000\n"
        );
        assert_eq!(file.total(), 138_000);
    }

    #[test]
    fn a_holder_a_spreadsheet_would_run_as_a_formula_is_written_as_text() {
        for (holder, cell) in [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+Kim", "\"'+Kim\""),
            ("-1+1", "\"'-1+1\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("Kim = Minji", "Kim = Minji"),
        ] {
            assert_eq!(csv_field(holder), cell, "{holder}");
        }
        assert_eq!(csv_field("\tcmd"), "\"'\tcmd\"");
    }
}
