//! Sealing and opening the personal data of applications and payout items.

use benefits_domain::customer::{CustomerId, LineId};
use benefits_domain::error::Unexpected;
use benefits_domain::refund::{ApplicationId, BankAccount, LateApplication, RefundApplication};

use crate::crypto::FieldCipher;
use crate::db::entities::{late_applications, payout_items, refund_applications};

pub(super) const APPLICATIONS: &str = "refund_applications";
pub(super) const ITEMS: &str = "payout_items";
pub(super) const ACCOUNT: &str = "account";
pub(super) const HOLDER: &str = "holder";
pub(super) const GUARDIAN: &str = "guardian";
pub(super) const LATE: &str = "late_applications";
pub(super) const EVIDENCE: &str = "evidence";

fn corrupt(detail: impl std::fmt::Display) -> Unexpected {
    Unexpected::new(format!("stored refund data is not valid: {detail}"))
}

/// Opens an account sealed in `table` for row `id`.
pub(super) fn open_account(
    cipher: &FieldCipher,
    table: &str,
    id: &str,
    bank_code: &str,
    account_enc: &[u8],
    holder_enc: &[u8],
) -> Result<BankAccount, Unexpected> {
    let number = cipher
        .open_text(table, ACCOUNT, id, account_enc)
        .map_err(Unexpected::new)?;
    let holder = cipher
        .open_text(table, HOLDER, id, holder_enc)
        .map_err(Unexpected::new)?;
    BankAccount::parse(bank_code, &number, &holder).map_err(corrupt)
}

pub(super) fn application(
    cipher: &FieldCipher,
    row: &refund_applications::Model,
) -> Result<RefundApplication, Unexpected> {
    let account = open_account(
        cipher,
        APPLICATIONS,
        &row.id,
        &row.bank_code,
        &row.account_enc,
        &row.holder_enc,
    )?;
    let guardian_name = row
        .guardian_enc
        .as_deref()
        .map(|sealed| {
            cipher
                .open_text(APPLICATIONS, GUARDIAN, &row.id, sealed)
                .map_err(Unexpected::new)
        })
        .transpose()?;
    Ok(RefundApplication {
        id: ApplicationId(row.id.clone()),
        line_id: LineId(row.line_id.clone()),
        customer_id: CustomerId(row.customer_id.clone()),
        channel: row.channel.parse().map_err(corrupt)?,
        status: row.status.parse().map_err(corrupt)?,
        amount: row.amount,
        account,
        guardian_name,
        round: row.round_number,
        applied_at: row.applied_at,
        cancelled_on: row.cancelled_on,
    })
}

pub(super) fn item_account(
    cipher: &FieldCipher,
    row: &payout_items::Model,
) -> Result<BankAccount, Unexpected> {
    open_account(
        cipher,
        ITEMS,
        &row.id,
        &row.bank_code,
        &row.account_enc,
        &row.holder_enc,
    )
}

pub(super) fn late_application(
    cipher: &FieldCipher,
    row: &late_applications::Model,
) -> Result<LateApplication, Unexpected> {
    Ok(LateApplication {
        line_id: LineId(row.line_id.clone()),
        reason: row.reason.parse().map_err(corrupt)?,
        reason_ended_on: row.reason_ended_on,
        apply_until: row.apply_until,
        evidence_note: cipher
            .open_text(LATE, EVIDENCE, &row.line_id, &row.evidence_enc)
            .map_err(Unexpected::new)?,
        granted_by: row.granted_by.clone(),
        granted_at: row.granted_at,
    })
}
