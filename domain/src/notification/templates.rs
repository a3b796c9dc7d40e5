//! Every text a customer reads is a template of the campaign, per notification kind,
//! language and channel (the SMS and the in-app inbox), sent under the campaign's
//! sender name. Customers were just phished: a template may point to the official app
//! and nothing else, so one with a link, a phone number, an e-mail address or a
//! placeholder that could carry personal data is refused, and an SMS must fit one short
//! message and carry its reference.
//!
//! One short SMS is 90 bytes in the Korean carriers' encoding (EUC-KR, extended as
//! CP949 to every Hangul syllable): 1 byte per ASCII character, 2 per Hangul syllable
//! or other character. Characters that encoding cannot carry (emoji, most symbols) are
//! refused rather than turning the message into a long one (LMS), which costs more,
//! shows a subject line and is exactly what phishing texts look like.

use super::{NotificationKind, SmsReference, reference};
use crate::customer::Language;
use crate::named_enum::named_enum;

named_enum!(
    /// Where a text is read.
    TextChannel { Sms => "SMS", Inbox => "INBOX" }
);

/// The one placeholder a template may hold: the SMS's reference.
pub const REFERENCE: &str = "{reference}";
/// Bytes of one short SMS (EUC-KR/CP949).
pub const SMS_BYTES: usize = 90;
/// The most characters of an inbox text.
pub const INBOX_CHARACTERS: usize = 500;
/// The most characters of a sender name.
pub const SENDER_CHARACTERS: usize = 10;

/// One template of the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub kind: NotificationKind,
    pub language: Language,
    pub channel: TextChannel,
    pub body: String,
}

/// The campaign's texts: its sender name and every template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Texts {
    /// Printed in brackets at the start of every SMS: `KT` gives `[KT] `.
    pub sender_name: String,
    pub templates: Vec<Template>,
}

/// A text for a customer, rendered in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub language: Language,
    pub sms: String,
    pub inbox: String,
}

impl Texts {
    /// The body of one template; a missing English one falls back to Korean.
    pub fn body(
        &self,
        kind: NotificationKind,
        language: Language,
        channel: TextChannel,
    ) -> Option<(Language, &str)> {
        let find = |language| {
            self.templates
                .iter()
                .find(|t| t.kind == kind && t.language == language && t.channel == channel)
                .map(|t| (language, t.body.as_str()))
        };
        find(language).or_else(|| find(Language::Korean))
    }

    /// The SMS and the inbox text of `kind` for a customer reading `language`, with
    /// `reference` in place of its placeholder; `None` when the campaign lacks them.
    pub fn render(
        &self,
        kind: NotificationKind,
        language: Language,
        reference: &SmsReference,
    ) -> Option<Rendered> {
        let (sms_language, sms) = self.body(kind, language, TextChannel::Sms)?;
        let (_, inbox) = self.body(kind, sms_language, TextChannel::Inbox)?;
        Some(Rendered {
            language: sms_language,
            sms: sms_text(&self.sender_name, sms, &reference.to_string()),
            inbox: inbox.replace(REFERENCE, &reference.to_string()),
        })
    }
}

/// An SMS as sent: `[SENDER] ` and the body with the reference.
pub fn sms_text(sender_name: &str, body: &str, reference: &str) -> String {
    format!("[{sender_name}] {}", body.replace(REFERENCE, reference))
}

/// The bytes of `text` in EUC-KR/CP949.
pub fn sms_bytes(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Why a template or sender name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateRefusal {
    Empty,
    Link,
    PhoneNumber,
    EmailAddress,
    /// A placeholder other than `{reference}` (it could carry personal data), or a
    /// stray brace.
    Placeholder,
    /// An SMS must print its reference, once.
    MissingReference,
    /// Longer than one short SMS (bytes as sent), or the inbox's limit.
    TooLong,
    /// A character a Korean SMS cannot carry.
    UnsupportedCharacter,
}

impl TemplateRefusal {
    /// The reason code `extensions.reason` carries.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "TEMPLATE_EMPTY",
            Self::Link => "TEMPLATE_HAS_LINK",
            Self::PhoneNumber => "TEMPLATE_HAS_PHONE_NUMBER",
            Self::EmailAddress => "TEMPLATE_HAS_EMAIL_ADDRESS",
            Self::Placeholder => "TEMPLATE_HAS_PERSONAL_PLACEHOLDER",
            Self::MissingReference => "TEMPLATE_NEEDS_REFERENCE",
            Self::TooLong => "TEMPLATE_TOO_LONG",
            Self::UnsupportedCharacter => "TEMPLATE_UNSUPPORTED_CHARACTER",
        }
    }

    /// The explanation for the admin.
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "the text is empty",
            Self::Link => "texts carry no links: they point to the official app only",
            Self::PhoneNumber => "texts carry no phone numbers (no run of three or more digits)",
            Self::EmailAddress => "texts carry no e-mail addresses",
            Self::Placeholder => {
                "the only placeholder is {reference}: no other could be filled without personal data"
            }
            Self::MissingReference => "an SMS prints its {reference} exactly once",
            Self::TooLong => {
                "an SMS fits one short message (90 bytes with the sender name and reference); an inbox text 500 characters"
            }
            Self::UnsupportedCharacter => {
                "a character that a Korean SMS cannot carry (use Hangul, ASCII and common punctuation)"
            }
        }
    }
}

/// Punctuation beyond ASCII that Korean SMS carry (all in KS X 1001).
const PUNCTUATION: &str = "·…‘’“”※「」『』〈〉《》【】○●◎■□▶→←";

/// Maps full-width forms (`ｈｔｔｐ`, `０１０`) to ASCII, so they are checked as what they
/// look like.
fn narrowed(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3002}' => '.',
            _ => c,
        })
        .collect()
}

/// Whether `text` holds a link: a scheme, `www`, or a domain (`kt.com`, `bit.ly`).
fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("://") || lower.contains("www") || lower.contains("http") {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    chars.iter().enumerate().any(|(at, &c)| {
        c == '.'
            && at > 0
            && chars[at - 1].is_ascii_alphanumeric()
            && chars[at + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
                >= 2
    })
}

/// Whether `text` holds a run of three or more digits (separators allowed inside):
/// a phone number, a short service number, or anything that could be mistaken for one.
fn has_phone_number(text: &str) -> bool {
    let mut digits = 0;
    let mut pending_separator = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            pending_separator = false;
            if digits >= 3 {
                return true;
            }
        } else if matches!(c, '-' | '.' | ' ' | '(' | ')') && digits > 0 && !pending_separator {
            pending_separator = true;
        } else {
            digits = 0;
            pending_separator = false;
        }
    }
    false
}

/// Whether every brace of `text` belongs to a `{reference}`, and how many there are.
fn references(text: &str) -> Option<usize> {
    let without = text.replace(REFERENCE, "");
    (!without.contains(['{', '}'])).then(|| text.matches(REFERENCE).count())
}

fn check_text(text: &str) -> Result<(), TemplateRefusal> {
    if text.trim().is_empty() {
        return Err(TemplateRefusal::Empty);
    }
    let narrow = narrowed(&text.replace(REFERENCE, ""));
    if has_link(&narrow) {
        return Err(TemplateRefusal::Link);
    }
    if narrow.contains('@') {
        return Err(TemplateRefusal::EmailAddress);
    }
    if has_phone_number(&narrow) {
        return Err(TemplateRefusal::PhoneNumber);
    }
    let carried = |c: char| {
        c.is_ascii_graphic()
            || c == ' '
            || ('가'..='힣').contains(&c)
            || ('\u{FF01}'..='\u{FF5E}').contains(&c)
            || PUNCTUATION.contains(c)
    };
    if !text.chars().all(carried) {
        return Err(TemplateRefusal::UnsupportedCharacter);
    }
    Ok(())
}

/// Whether `body` may be stored as a template of `channel` under `sender_name`.
///
/// # Errors
/// The first [`TemplateRefusal`] that applies.
pub fn check_template(
    sender_name: &str,
    channel: TextChannel,
    body: &str,
) -> Result<(), TemplateRefusal> {
    check_text(body)?;
    let placeholders = references(body).ok_or(TemplateRefusal::Placeholder)?;
    match channel {
        TextChannel::Sms => {
            if placeholders != 1 {
                return Err(TemplateRefusal::MissingReference);
            }
            let longest = "W".repeat(reference::PRINTED_LENGTH);
            if sms_bytes(&sms_text(sender_name, body, &longest)) > SMS_BYTES {
                return Err(TemplateRefusal::TooLong);
            }
        }
        TextChannel::Inbox => {
            if body.chars().count() > INBOX_CHARACTERS {
                return Err(TemplateRefusal::TooLong);
            }
        }
    }
    Ok(())
}

/// Whether `name` may be the campaign's sender name.
///
/// # Errors
/// The first [`TemplateRefusal`] that applies.
pub fn check_sender_name(name: &str) -> Result<(), TemplateRefusal> {
    check_text(name)?;
    if name.contains(['{', '}', '[', ']']) {
        return Err(TemplateRefusal::Placeholder);
    }
    if name.chars().count() > SENDER_CHARACTERS {
        return Err(TemplateRefusal::TooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(body: &str) -> Result<(), TemplateRefusal> {
        check_template("KT", TextChannel::Sms, body)
    }

    #[test]
    fn links_in_any_disguise_are_refused() {
        for body in [
            "환불은 https://kt-refund.example 에서 확인코드 {reference}",
            "환불 신청 www 확인코드 {reference}",
            "환불 신청 kt.com 확인코드 {reference}",
            "환불 신청 bit.ly/abc 확인코드 {reference}",
            "환불 신청 ｋｔ．ｃｏｍ 확인코드 {reference}",
            "환불 신청 hxxp 아님 HTTP 확인코드 {reference}",
        ] {
            assert_eq!(sms(body), Err(TemplateRefusal::Link), "{body}");
        }
        assert_eq!(
            sms("공식 앱에서 확인하십시오. 확인코드 {reference}"),
            Ok(())
        );
        assert_eq!(
            sms("Check the app. Ref {reference}"),
            Ok(()),
            "a sentence's full stop"
        );
    }

    #[test]
    fn phone_numbers_and_addresses_are_refused() {
        for body in [
            "문의 1588-0010 확인코드 {reference}",
            "문의 114 확인코드 {reference}",
            "문의 010 1234 5678 확인코드 {reference}",
            "문의 ０２-１２３ 확인코드 {reference}",
        ] {
            assert_eq!(sms(body), Err(TemplateRefusal::PhoneNumber), "{body}");
        }
        assert_eq!(
            sms("help@kt 확인코드 {reference}"),
            Err(TemplateRefusal::EmailAddress)
        );
        assert_eq!(
            sms("1월 31일까지 신청하십시오. 확인코드 {reference}"),
            Ok(())
        );
    }

    #[test]
    fn the_only_placeholder_is_the_reference_and_an_sms_prints_it_once() {
        assert_eq!(
            sms("{name} 고객님 확인코드 {reference}"),
            Err(TemplateRefusal::Placeholder)
        );
        assert_eq!(sms("고객님 {account"), Err(TemplateRefusal::Placeholder));
        assert_eq!(
            sms("공식 앱에서 확인하십시오."),
            Err(TemplateRefusal::MissingReference)
        );
        assert_eq!(
            sms("{reference} {reference}"),
            Err(TemplateRefusal::MissingReference)
        );
        assert_eq!(
            check_template("KT", TextChannel::Inbox, "공식 앱에서 확인하십시오."),
            Ok(())
        );
    }

    #[test]
    fn an_sms_fits_ninety_bytes_with_the_sender_name_and_its_reference() {
        // "[KT] " is 5 bytes, the reference 9, each Hangul syllable 2.
        let fits = format!("{}. {REFERENCE}", "가".repeat(37));
        assert_eq!(sms_bytes(&sms_text("KT", &fits, "K7Q2-M9XD")), 90);
        assert_eq!(sms(&fits), Ok(()));
        let over = format!("{}. {REFERENCE}", "가".repeat(38));
        assert_eq!(sms(&over), Err(TemplateRefusal::TooLong));
        assert_eq!(
            check_template("KTKTKTKTKT", TextChannel::Sms, &fits),
            Err(TemplateRefusal::TooLong),
            "a longer sender name leaves less room"
        );
    }

    #[test]
    fn characters_a_korean_sms_cannot_carry_are_refused() {
        assert_eq!(
            sms("환불 대상입니다 🎉 확인코드 {reference}"),
            Err(TemplateRefusal::UnsupportedCharacter)
        );
        assert_eq!(sms("환불 대상입니다 · 확인코드 {reference}"), Ok(()));
    }

    #[test]
    fn the_sender_name_is_short_and_plain() {
        assert_eq!(check_sender_name("KT"), Ok(()));
        assert_eq!(check_sender_name("KT 고객센터"), Ok(()));
        assert_eq!(check_sender_name("kt.com"), Err(TemplateRefusal::Link));
        assert_eq!(check_sender_name("[KT]"), Err(TemplateRefusal::Placeholder));
        assert_eq!(
            check_sender_name("가나다라마바사아자차카"),
            Err(TemplateRefusal::TooLong)
        );
    }

    #[test]
    fn an_english_customer_reads_english_and_a_missing_english_text_falls_back_to_korean() {
        let template = |language, channel, body: &str| Template {
            kind: NotificationKind::RefundPaid,
            language,
            channel,
            body: body.to_owned(),
        };
        let mut texts = Texts {
            sender_name: "KT".into(),
            templates: vec![
                template(
                    Language::Korean,
                    TextChannel::Sms,
                    "지급했습니다. 확인코드 {reference}",
                ),
                template(Language::Korean, TextChannel::Inbox, "지급했습니다."),
                template(Language::English, TextChannel::Sms, "Paid. Ref {reference}"),
                template(Language::English, TextChannel::Inbox, "Paid."),
            ],
        };
        let reference = SmsReference::parse("K7Q2M9XD").unwrap();
        let english = texts
            .render(NotificationKind::RefundPaid, Language::English, &reference)
            .unwrap();
        assert_eq!(english.sms, "[KT] Paid. Ref K7Q2-M9XD");
        assert_eq!(english.inbox, "Paid.");
        texts.templates.retain(|t| t.language == Language::Korean);
        let fallback = texts
            .render(NotificationKind::RefundPaid, Language::English, &reference)
            .unwrap();
        assert_eq!(fallback.language, Language::Korean);
        assert_eq!(fallback.sms, "[KT] 지급했습니다. 확인코드 K7Q2-M9XD");
    }
}
