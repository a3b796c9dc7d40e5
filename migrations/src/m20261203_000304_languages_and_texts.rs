//! Korean first: each customer's language (`ko` unless the import says `en`), the
//! campaign's sender name (`KT`, printed as `[KT]` at the start of every SMS) and its
//! customer-facing texts as data, per notification kind, language and channel (SMS and
//! inbox). The default texts are short and polite (합니다체), fit one 90-byte SMS with
//! the sender name and the reference, and point to the official app only.
//!
//! Notifications keep the inbox text and language they were sent with; those sent
//! before get the Korean (or, for an English reader, English) inbox text of their kind.
//! The default campaign's name becomes Korean too, unless an admin renamed it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const CAMPAIGN_ID: &str = "00000000-0000-4000-8000-000000002026";

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Language,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    Name,
    SenderName,
}

#[derive(DeriveIden)]
enum NotificationTemplates {
    Table,
    CampaignId,
    Kind,
    Language,
    Channel,
    Body,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    CustomerId,
    Kind,
    Language,
    Text,
}

/// Kind, language, SMS, inbox.
const TEXTS: [(&str, &str, &str, &str); 10] = [
    (
        "ELIGIBILITY_NOTICE",
        "ko",
        "위약금 환불 대상입니다. 링크 없이 공식 앱에서 확인하십시오. 확인코드 {reference}",
        "고객님의 회선은 위약금 환불 대상입니다. 공식 앱의 위약금 환불 메뉴에서 신청하실 수 있습니다. KT는 문자로 링크를 보내지 않습니다.",
    ),
    (
        "REFUND_REMINDER",
        "ko",
        "위약금 환불 신청이 곧 마감됩니다. 공식 앱에서 신청하십시오. 확인코드 {reference}",
        "위약금 환불을 아직 신청하지 않으셨습니다. 신청 기간이 끝나기 전에 공식 앱에서 신청하십시오. KT는 문자로 링크를 보내지 않습니다.",
    ),
    (
        "REFUND_SCHEDULED",
        "ko",
        "위약금 환불금 지급이 예정되었습니다. 공식 앱에서 확인하십시오. 확인코드 {reference}",
        "위약금 환불금 지급이 예정되었습니다. 지급일은 공식 앱의 신청 내역에서 확인하실 수 있습니다.",
    ),
    (
        "REFUND_PAID",
        "ko",
        "위약금 환불금을 지급했습니다. 공식 앱에서 확인하십시오. 확인코드 {reference}",
        "위약금 환불금을 신청하신 계좌로 지급했습니다. 이용해 주셔서 감사합니다.",
    ),
    (
        "REFUND_FAILED",
        "ko",
        "환불금 입금에 실패했습니다. 공식 앱에서 계좌를 고쳐 주십시오. 확인코드 {reference}",
        "신청하신 계좌로 환불금을 입금하지 못했습니다. 공식 앱이나 가까운 매장에서 계좌를 고쳐 주시면 다음 지급 회차에 지급합니다.",
    ),
    (
        "ELIGIBILITY_NOTICE",
        "en",
        "Your fee may be refunded. Check the official app; we send no links. Ref {reference}",
        "Your line's early-termination fee can be refunded. You can apply under Fee refund in the official app. KT never sends links by text.",
    ),
    (
        "REFUND_REMINDER",
        "en",
        "Refund applications close soon. Apply in the official app. Ref {reference}",
        "You have not applied for your fee refund yet. Please apply in the official app before applications close. KT never sends links by text.",
    ),
    (
        "REFUND_SCHEDULED",
        "en",
        "Your fee refund is scheduled. Details in the official app. Ref {reference}",
        "Your fee refund is scheduled for payment. The payment date is shown with your application in the official app.",
    ),
    (
        "REFUND_PAID",
        "en",
        "Your fee refund has been paid. Details in the official app. Ref {reference}",
        "Your fee refund has been paid to the account you gave. Thank you.",
    ),
    (
        "REFUND_FAILED",
        "en",
        "Refund payment failed. Please fix the account in the official app. Ref {reference}",
        "We could not pay your refund to the account you gave. Please correct it in the official app or at a store; it will be paid in the next payout round.",
    ),
];

async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: ColumnDef,
) -> Result<(), DbErr> {
    let mut column = column;
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            Customers::Table,
            string_len(Customers::Language, 2).default("ko").to_owned(),
        )
        .await?;
        add_column(
            manager,
            Campaigns::Table,
            string_len(Campaigns::SenderName, 20)
                .default("KT")
                .to_owned(),
        )
        .await?;
        manager
            .execute(
                Query::update()
                    .table(Campaigns::Table)
                    .value(
                        Campaigns::Name,
                        "개인정보 유출 사고 대응: 위약금 면제와 고객 감사 프로그램",
                    )
                    .and_where(Expr::col(Campaigns::Id).eq(CAMPAIGN_ID))
                    .and_where(
                        Expr::col(Campaigns::Name)
                            .eq("Breach response: fee waiver and customer appreciation"),
                    )
                    .to_owned(),
            )
            .await?;
        add_column(
            manager,
            Notifications::Table,
            string_len_null(Notifications::Language, 2),
        )
        .await?;
        add_column(
            manager,
            Notifications::Table,
            text_null(Notifications::Text),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationTemplates::Table)
                    .col(string_len(NotificationTemplates::CampaignId, 36))
                    .col(string_len(NotificationTemplates::Kind, 32))
                    .col(string_len(NotificationTemplates::Language, 2))
                    .col(string_len(NotificationTemplates::Channel, 8))
                    .col(text(NotificationTemplates::Body))
                    .primary_key(
                        Index::create()
                            .col(NotificationTemplates::CampaignId)
                            .col(NotificationTemplates::Kind)
                            .col(NotificationTemplates::Language)
                            .col(NotificationTemplates::Channel),
                    )
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(NotificationTemplates::Table)
            .columns([
                NotificationTemplates::CampaignId,
                NotificationTemplates::Kind,
                NotificationTemplates::Language,
                NotificationTemplates::Channel,
                NotificationTemplates::Body,
            ])
            .on_conflict(
                OnConflict::columns([
                    NotificationTemplates::CampaignId,
                    NotificationTemplates::Kind,
                    NotificationTemplates::Language,
                    NotificationTemplates::Channel,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        for (kind, language, sms, inbox) in TEXTS {
            for (channel, body) in [("SMS", sms), ("INBOX", inbox)] {
                insert.values_panic([
                    CAMPAIGN_ID.into(),
                    kind.into(),
                    language.into(),
                    channel.into(),
                    body.into(),
                ]);
            }
        }
        manager.execute(insert).await?;

        // Earlier notifications: their customer's language, and that language's inbox
        // text of their kind.
        let language = Query::select()
            .column((Customers::Table, Customers::Language))
            .from(Customers::Table)
            .and_where(
                Expr::col((Customers::Table, Customers::Id))
                    .equals((Notifications::Table, Notifications::CustomerId)),
            )
            .to_owned();
        manager
            .execute(
                Query::update()
                    .table(Notifications::Table)
                    .value(
                        Notifications::Language,
                        SimpleExpr::SubQuery(None, Box::new(language.into_sub_query_statement())),
                    )
                    .and_where(Expr::col(Notifications::Language).is_null())
                    .to_owned(),
            )
            .await?;
        let inbox = Query::select()
            .column((NotificationTemplates::Table, NotificationTemplates::Body))
            .from(NotificationTemplates::Table)
            .and_where(
                Expr::col((
                    NotificationTemplates::Table,
                    NotificationTemplates::CampaignId,
                ))
                .eq(CAMPAIGN_ID),
            )
            .and_where(
                Expr::col((NotificationTemplates::Table, NotificationTemplates::Kind))
                    .equals((Notifications::Table, Notifications::Kind)),
            )
            .and_where(
                Expr::col((
                    NotificationTemplates::Table,
                    NotificationTemplates::Language,
                ))
                .equals((Notifications::Table, Notifications::Language)),
            )
            .and_where(
                Expr::col((NotificationTemplates::Table, NotificationTemplates::Channel))
                    .eq("INBOX"),
            )
            .to_owned();
        manager
            .execute(
                Query::update()
                    .table(Notifications::Table)
                    .value(
                        Notifications::Text,
                        SimpleExpr::SubQuery(None, Box::new(inbox.into_sub_query_statement())),
                    )
                    .and_where(Expr::col(Notifications::Text).is_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NotificationTemplates::Table).to_owned())
            .await?;
        for (table, column) in [
            (
                Notifications::Table.into_iden(),
                Notifications::Text.into_iden(),
            ),
            (
                Notifications::Table.into_iden(),
                Notifications::Language.into_iden(),
            ),
            (
                Campaigns::Table.into_iden(),
                Campaigns::SenderName.into_iden(),
            ),
            (
                Customers::Table.into_iden(),
                Customers::Language.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
