//! Korean banks as data: a refund account's bank is one of the financial institution
//! codes the service knows, and its number has a length that bank's accounts can have.

use async_trait::async_trait;

use super::BankAccount;
use crate::error::Unexpected;

/// A financial institution refunds can be paid to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    /// The three-digit financial institution code (`004`).
    pub code: String,
    /// `KB국민은행`.
    pub korean_name: String,
    /// `KB Kookmin Bank`.
    pub english_name: String,
    /// Digits of its account numbers, fewest and most.
    pub min_digits: usize,
    pub max_digits: usize,
}

/// Why an account does not fit the bank list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankRefusal {
    UnknownBank,
    AccountLength,
}

impl BankRefusal {
    /// The reason code `extensions.reason` carries.
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownBank => "UNKNOWN_BANK",
            Self::AccountLength => "ACCOUNT_NUMBER_LENGTH",
        }
    }

    /// The explanation a client shows.
    pub fn message(self) -> &'static str {
        match self {
            Self::UnknownBank => "bankCode is not a financial institution code the service pays to",
            Self::AccountLength => "accountNumber has a length this bank's accounts never have",
        }
    }
}

/// The bank of `account`, when the list has it and the number's length fits it.
///
/// # Errors
/// [`BankRefusal::UnknownBank`] for a code not in `banks`,
/// [`BankRefusal::AccountLength`] for a number too short or too long for that bank.
pub fn bank_of<'a>(banks: &'a [Bank], account: &BankAccount) -> Result<&'a Bank, BankRefusal> {
    let bank = banks
        .iter()
        .find(|bank| bank.code == account.bank_code())
        .ok_or(BankRefusal::UnknownBank)?;
    let digits = account.number().len();
    if (bank.min_digits..=bank.max_digits).contains(&digits) {
        Ok(bank)
    } else {
        Err(BankRefusal::AccountLength)
    }
}

/// The list of banks.
#[async_trait]
pub trait BankDirectory: Send + Sync {
    /// Every bank, in the order the console lists them.
    ///
    /// # Errors
    /// `Unexpected` when the store fails.
    async fn banks(&self) -> Result<Vec<Bank>, Unexpected>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn banks() -> Vec<Bank> {
        let bank = |code: &str, name: &str, min, max| Bank {
            code: code.to_owned(),
            korean_name: name.to_owned(),
            english_name: name.to_owned(),
            min_digits: min,
            max_digits: max,
        };
        vec![
            bank("004", "KB국민은행", 12, 14),
            bank("090", "카카오뱅크", 13, 13),
        ]
    }

    fn account(code: &str, number: &str) -> BankAccount {
        BankAccount::parse(code, number, "홍길동").unwrap()
    }

    #[test]
    fn an_account_of_a_known_bank_with_a_length_it_has_passes() {
        let banks = banks();
        assert_eq!(
            bank_of(&banks, &account("004", "123456-04-123456")).map(|b| b.korean_name.as_str()),
            Ok("KB국민은행")
        );
        assert!(bank_of(&banks, &account("090", "3333-01-1234567")).is_ok());
    }

    #[test]
    fn an_unknown_code_or_an_impossible_length_is_refused() {
        let banks = banks();
        assert_eq!(
            bank_of(&banks, &account("999", "123456789012")),
            Err(BankRefusal::UnknownBank)
        );
        assert_eq!(
            bank_of(&banks, &account("090", "333301123456")),
            Err(BankRefusal::AccountLength),
            "카카오뱅크 accounts have 13 digits"
        );
        assert_eq!(
            bank_of(&banks, &account("004", "12345678901")),
            Err(BankRefusal::AccountLength)
        );
    }
}
