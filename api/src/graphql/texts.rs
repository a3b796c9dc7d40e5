//! The campaign's customer-facing texts as admins read and edit them: every template
//! per notification kind, language and channel, and the SMS sender name. A text with a
//! link, a phone number or a placeholder that could carry personal data is refused.

use async_graphql::{Context, Enum, Object, SimpleObject};

use benefits_domain::auth::Role;
use benefits_domain::campaign::EditError;
use benefits_domain::notification::templates::{self, Template, TextChannel as DomainChannel};

use super::ApiError;
use super::context::parts;
use super::guard::RoleGuard;
use super::notification::{Language, NotificationKind};

/// Where a text is read.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum TextChannel {
    /// The text message (one short SMS: 90 bytes in EUC-KR, sender name and reference included).
    Sms,
    /// The in-app inbox (`Notification.text`).
    Inbox,
}

impl From<TextChannel> for DomainChannel {
    fn from(channel: TextChannel) -> Self {
        match channel {
            TextChannel::Sms => Self::Sms,
            TextChannel::Inbox => Self::Inbox,
        }
    }
}

impl From<DomainChannel> for TextChannel {
    fn from(channel: DomainChannel) -> Self {
        match channel {
            DomainChannel::Sms => Self::Sms,
            DomainChannel::Inbox => Self::Inbox,
        }
    }
}

/// A sample reference for previews.
const SAMPLE_REFERENCE: &str = "K7Q2-M9XD";

/// One customer-facing text of the campaign.
#[derive(SimpleObject)]
pub struct NotificationTemplate {
    pub kind: NotificationKind,
    pub language: Language,
    pub channel: TextChannel,
    /// The template; `{reference}` stands for the SMS's reference.
    pub body: String,
    /// As a customer reads it (with a sample reference; an SMS with its sender name).
    pub preview: String,
    /// An SMS's bytes as sent (EUC-KR), at most 90; null for an inbox text.
    pub sms_bytes: Option<i32>,
}

fn template(sender_name: &str, template: &Template) -> NotificationTemplate {
    let preview = match template.channel {
        DomainChannel::Sms => templates::sms_text(sender_name, &template.body, SAMPLE_REFERENCE),
        DomainChannel::Inbox => template
            .body
            .replace(templates::REFERENCE, SAMPLE_REFERENCE),
    };
    NotificationTemplate {
        kind: template.kind.into(),
        language: template.language.into(),
        channel: template.channel.into(),
        body: template.body.clone(),
        sms_bytes: (template.channel == DomainChannel::Sms)
            .then(|| i32::try_from(templates::sms_bytes(&preview)).unwrap_or(i32::MAX)),
        preview,
    }
}

/// The campaign's texts.
#[derive(SimpleObject)]
pub struct CampaignTexts {
    /// Printed in brackets at the start of every SMS (`KT` gives `[KT]`).
    pub sms_sender_name: String,
    pub templates: Vec<NotificationTemplate>,
}

fn text_error(error: EditError) -> ApiError {
    match error {
        EditError::Template(refusal) => {
            ApiError::bad_input(refusal.message()).with_reason(refusal.code())
        }
        EditError::BadInput(message) => ApiError::bad_input(message),
        EditError::NotFound | EditError::RoundClosed => ApiError::bad_input(error.to_string()),
        EditError::Unexpected(cause) => ApiError::internal(cause),
    }
}

async fn texts(ctx: &Context<'_>) -> async_graphql::Result<CampaignTexts> {
    let (app, _) = parts(ctx)?;
    let campaign = app.campaigns.active().await.map_err(ApiError::internal)?;
    let sender = &campaign.texts.sender_name;
    let mut templates: Vec<_> = campaign.texts.templates.iter().collect();
    templates.sort_by_key(|t| (t.kind as u8, t.language as u8, t.channel as u8));
    Ok(CampaignTexts {
        sms_sender_name: sender.clone(),
        templates: templates.into_iter().map(|t| template(sender, t)).collect(),
    })
}

/// Text queries.
#[derive(Default)]
pub struct TextQuery;

#[Object]
impl TextQuery {
    /// Every customer-facing text of the active campaign, with previews.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn campaign_texts(&self, ctx: &Context<'_>) -> async_graphql::Result<CampaignTexts> {
        texts(ctx).await
    }
}

/// Text mutations.
#[derive(Default)]
pub struct TextMutation;

#[Object]
impl TextMutation {
    /// Replaces one text. Refused (`BAD_USER_INPUT` with a reason such as
    /// `TEMPLATE_HAS_LINK`) when it holds a link, a phone number, an e-mail address, a
    /// placeholder but `{reference}`, or does not fit one SMS.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn update_notification_template(
        &self,
        ctx: &Context<'_>,
        kind: NotificationKind,
        language: Language,
        channel: TextChannel,
        body: String,
    ) -> async_graphql::Result<CampaignTexts> {
        let (app, caller) = parts(ctx)?;
        let template = Template {
            kind: kind.into(),
            language: language.into(),
            channel: channel.into(),
            body,
        };
        app.campaign
            .set_template(caller, template)
            .await
            .map_err(text_error)?;
        texts(ctx).await
    }

    /// Sets the sender name every SMS starts with (in brackets); refused when it would
    /// make an SMS too long.
    #[graphql(guard = "RoleGuard::new(&[Role::Admin])")]
    async fn update_sms_sender_name(
        &self,
        ctx: &Context<'_>,
        name: String,
    ) -> async_graphql::Result<CampaignTexts> {
        let (app, caller) = parts(ctx)?;
        app.campaign
            .set_sender_name(caller, &name)
            .await
            .map_err(text_error)?;
        texts(ctx).await
    }
}
