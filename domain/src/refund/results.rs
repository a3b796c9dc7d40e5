//! The bank's payout results as a file, and the per-row judgement of a results run.
//!
//! The format is CSV with the header `application_id,result,amount,reason`: the
//! application id of the payout file (its `application_id` column), `PAID` or `FAILED`,
//! the amount of the payout file's row in KRW, and the bank's reason (required for
//! `FAILED`, at most [`MAX_REASON_CHARS`] characters). Fields may be quoted as in the
//! payout file. A file is parsed whole before anything is checked: one bad row and the
//! file is refused, nothing recorded.

use std::collections::HashMap;
use std::fmt;

use super::{ApplicationId, RefundApplication, RefundStatus};

/// The header a results file starts with.
pub const HEADER: &str = "application_id,result,amount,reason";
/// The longest reason kept.
pub const MAX_REASON_CHARS: usize = 200;
/// The longest application id accepted.
const MAX_ID_CHARS: usize = 64;

/// One row of a results file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub application_id: ApplicationId,
    pub paid: bool,
    /// KRW.
    pub amount: i64,
    pub reason: String,
}

/// Why a results file does not parse: the line and what is wrong. Never repeats a
/// field's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: u64,
    pub message: String,
}

fn parse_error(line: u64, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Splits CSV text into records of fields (RFC 4180: `"` quotes, `""` inside quotes is
/// a quote; a line break ends a record outside quotes). Returns each record with the
/// line it starts on.
fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, ParseError> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut after_quote = false;
    let mut line = 1_u64;
    let mut start = 1_u64;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    after_quote = true;
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !after_quote => {
                quoted = true;
                any = true;
            }
            '"' => return Err(parse_error(line, "a quote inside an unquoted field")),
            ',' => {
                fields.push(std::mem::take(&mut field));
                after_quote = false;
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if any || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    out.push((start, std::mem::take(&mut fields)));
                }
                after_quote = false;
                any = false;
                line += 1;
                start = line;
            }
            _ if after_quote => {
                return Err(parse_error(line, "text after a closing quote"));
            }
            _ => {
                field.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(parse_error(start, "a quoted field is not closed"));
    }
    if any || !field.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

/// Parses a whole results file. Blank lines are skipped; a file without rows parses to
/// no rows.
pub fn parse(text: &str) -> Result<Vec<ResultRow>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = records(text)?.into_iter();
    let Some((line, header)) = records.next() else {
        return Err(parse_error(1, format!("the header must be `{HEADER}`")));
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if header.join(",") != HEADER {
        return Err(parse_error(line, format!("the header must be `{HEADER}`")));
    }
    records
        .map(|(line, fields)| {
            let [id, result, amount, reason]: [String; 4] = fields
                .try_into()
                .map_err(|_| parse_error(line, "a row has 4 fields"))?;
            let id = id.trim();
            if id.is_empty()
                || id.chars().count() > MAX_ID_CHARS
                || id.chars().any(char::is_control)
            {
                return Err(parse_error(
                    line,
                    format!("application_id must be 1 to {MAX_ID_CHARS} characters"),
                ));
            }
            let paid = match result.trim() {
                "PAID" => true,
                "FAILED" => false,
                _ => return Err(parse_error(line, "result must be PAID or FAILED")),
            };
            let amount: i64 = amount
                .trim()
                .parse()
                .ok()
                .filter(|amount| *amount >= 0)
                .ok_or_else(|| parse_error(line, "amount must be a whole number of KRW"))?;
            let reason = reason.trim();
            if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(char::is_control) {
                return Err(parse_error(
                    line,
                    format!("reason must be at most {MAX_REASON_CHARS} characters on one line"),
                ));
            }
            if !paid && reason.is_empty() {
                return Err(parse_error(line, "a FAILED row needs a reason"));
            }
            Ok(ResultRow {
                line,
                application_id: ApplicationId(id.to_owned()),
                paid,
                amount,
                reason: reason.to_owned(),
            })
        })
        .collect()
}

/// Why a row was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRefusal {
    /// No application has this id.
    UnknownId,
    /// The id is on more than one row of the file.
    DuplicateId,
    /// The application's round is not closed: it is in no payout file yet.
    RoundNotClosed,
    /// The application already has the other result.
    OtherResultRecorded,
    /// The amount is not the application's.
    AmountMismatch,
    /// The application changed while the run was recording it.
    ChangedMeanwhile,
}

impl RowRefusal {
    /// The stable code of the refusal.
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownId => "UNKNOWN_ID",
            Self::DuplicateId => "DUPLICATE_ID",
            Self::RoundNotClosed => "ROUND_NOT_CLOSED",
            Self::OtherResultRecorded => "OTHER_RESULT_RECORDED",
            Self::AmountMismatch => "AMOUNT_MISMATCH",
            Self::ChangedMeanwhile => "CHANGED_MEANWHILE",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::UnknownId => "no application has this id",
            Self::DuplicateId => "the id is on more than one row of the file",
            Self::RoundNotClosed => "the application's payout round is not closed",
            Self::OtherResultRecorded => "the other result is already recorded",
            Self::AmountMismatch => "the amount is not the payout file's",
            Self::ChangedMeanwhile => "the application changed during the run",
        }
    }
}

impl fmt::Display for RowRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

/// What a run did with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    Recorded,
    /// The same result was recorded before: nothing changed.
    AlreadyRecorded,
    Refused(RowRefusal),
}

/// What to do with a row, given the applications found by id: record it, nothing
/// (already recorded), or refuse it. Rows whose id is on several rows are all refused.
pub fn judge<S: std::hash::BuildHasher>(
    rows: &[ResultRow],
    found: &HashMap<ApplicationId, RefundApplication, S>,
) -> Vec<RowOutcome> {
    let mut seen: HashMap<&ApplicationId, u32> = HashMap::new();
    for row in rows {
        *seen.entry(&row.application_id).or_default() += 1;
    }
    rows.iter()
        .map(|row| {
            if seen[&row.application_id] > 1 {
                return RowOutcome::Refused(RowRefusal::DuplicateId);
            }
            let Some(application) = found.get(&row.application_id) else {
                return RowOutcome::Refused(RowRefusal::UnknownId);
            };
            if application.amount != row.amount {
                return RowOutcome::Refused(RowRefusal::AmountMismatch);
            }
            match (application.status, row.paid) {
                (RefundStatus::Scheduled, _) => RowOutcome::Recorded,
                (RefundStatus::Paid, true) | (RefundStatus::Failed, false) => {
                    RowOutcome::AlreadyRecorded
                }
                (RefundStatus::Paid, false) | (RefundStatus::Failed, true) => {
                    RowOutcome::Refused(RowRefusal::OtherResultRecorded)
                }
                (RefundStatus::Submitted, _) => RowOutcome::Refused(RowRefusal::RoundNotClosed),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_parses_with_quoted_reasons() {
        let rows = parse(
            "application_id,result,amount,reason\r\na-1,PAID,1000,\r\n\r\na-2,FAILED,2000,\"closed, by holder\"\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].paid);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].reason, "closed, by holder");
    }

    #[test]
    fn bad_files_name_the_line() {
        assert_eq!(parse("id,result\n").unwrap_err().line, 1);
        assert_eq!(parse("").unwrap_err().line, 1);
        let header = "application_id,result,amount,reason\n";
        for (body, line) in [
            ("a-1,PAID,1000\n", 2),
            ("a-1,PAID,1000,,\n", 2),
            ("a-1,PAID,1000,\na-2,MAYBE,1,\n", 3),
            ("a-1,PAID,-1,\n", 2),
            ("a-1,FAILED,10,\n", 2),
            (",PAID,10,\n", 2),
            ("a-1,PAID,10,\"open\n", 2),
            ("a-1,PAID,10,x\"y\n", 2),
        ] {
            let error = parse(&format!("{header}{body}")).unwrap_err();
            assert_eq!(error.line, line, "{body}");
        }
    }
}
