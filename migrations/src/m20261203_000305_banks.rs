//! Korean banks as data: the financial institution codes of the interbank network
//! (금융결제원), each bank's Korean and English name and the lengths its account numbers
//! may have. Refund accounts are checked against it, the console lists it, and payout
//! reports name banks from it. The lengths are the ranges the banks' account formats
//! take (old and new formats included), so a number that cannot be an account of that
//! bank is refused while any real one passes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Banks {
    Table,
    Code,
    NameKo,
    NameEn,
    MinDigits,
    MaxDigits,
    Position,
}

/// Code, Korean name, English name, fewest and most digits of an account number: the
/// banks, the post office and cooperatives, then the securities firms (CMA accounts).
const BANKS: [(&str, &str, &str, i32, i32); 44] = [
    ("002", "KDB산업은행", "KDB Bank", 11, 14),
    ("003", "IBK기업은행", "IBK Industrial Bank of Korea", 10, 14),
    ("004", "KB국민은행", "KB Kookmin Bank", 12, 14),
    ("007", "수협은행", "Suhyup Bank", 11, 14),
    ("011", "NH농협은행", "NH NongHyup Bank", 11, 14),
    ("012", "지역농·축협", "NH local cooperatives", 13, 14),
    ("020", "우리은행", "Woori Bank", 11, 13),
    ("023", "SC제일은행", "SC First Bank", 11, 12),
    ("027", "한국씨티은행", "Citibank Korea", 10, 13),
    ("031", "iM뱅크", "iM Bank", 11, 14),
    ("032", "부산은행", "Busan Bank", 12, 13),
    ("034", "광주은행", "Kwangju Bank", 12, 13),
    ("035", "제주은행", "Jeju Bank", 10, 12),
    ("037", "전북은행", "Jeonbuk Bank", 12, 13),
    ("039", "경남은행", "Kyongnam Bank", 12, 13),
    (
        "045",
        "새마을금고",
        "MG Community Credit Cooperatives",
        13,
        14,
    ),
    ("048", "신협", "Credit Union (Shinhyup)", 12, 13),
    ("050", "저축은행", "Savings banks", 12, 14),
    ("064", "산림조합", "Forestry cooperatives", 12, 13),
    ("071", "우체국", "Korea Post", 14, 14),
    ("081", "하나은행", "Hana Bank", 11, 14),
    ("088", "신한은행", "Shinhan Bank", 11, 12),
    ("089", "케이뱅크", "K bank", 12, 12),
    ("090", "카카오뱅크", "KakaoBank", 13, 13),
    ("092", "토스뱅크", "Toss Bank", 12, 12),
    ("209", "유안타증권", "Yuanta Securities", 10, 14),
    ("218", "KB증권", "KB Securities", 10, 14),
    ("238", "미래에셋증권", "Mirae Asset Securities", 10, 14),
    ("240", "삼성증권", "Samsung Securities", 10, 14),
    (
        "243",
        "한국투자증권",
        "Korea Investment & Securities",
        10,
        14,
    ),
    ("247", "NH투자증권", "NH Investment & Securities", 10, 14),
    ("261", "교보증권", "Kyobo Securities", 10, 14),
    ("262", "iM증권", "iM Securities", 10, 14),
    ("263", "현대차증권", "Hyundai Motor Securities", 10, 14),
    ("264", "키움증권", "Kiwoom Securities", 10, 14),
    ("265", "LS증권", "LS Securities", 10, 14),
    ("266", "SK증권", "SK Securities", 10, 14),
    ("267", "대신증권", "Daishin Securities", 10, 14),
    (
        "269",
        "한화투자증권",
        "Hanwha Investment & Securities",
        10,
        14,
    ),
    ("270", "하나증권", "Hana Securities", 10, 14),
    ("278", "신한투자증권", "Shinhan Securities", 10, 14),
    ("279", "DB금융투자", "DB Financial Investment", 10, 14),
    (
        "280",
        "유진투자증권",
        "Eugene Investment & Securities",
        10,
        14,
    ),
    ("287", "메리츠증권", "Meritz Securities", 10, 14),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Banks::Table)
                    .col(string_len(Banks::Code, 3).primary_key())
                    .col(string_len(Banks::NameKo, 40))
                    .col(string_len(Banks::NameEn, 60))
                    .col(integer(Banks::MinDigits))
                    .col(integer(Banks::MaxDigits))
                    .col(integer(Banks::Position))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(Banks::Table)
            .columns([
                Banks::Code,
                Banks::NameKo,
                Banks::NameEn,
                Banks::MinDigits,
                Banks::MaxDigits,
                Banks::Position,
            ])
            .on_conflict(OnConflict::column(Banks::Code).do_nothing().to_owned())
            .to_owned();
        for (position, (code, korean, english, min, max)) in BANKS.into_iter().enumerate() {
            insert.values_panic([
                code.into(),
                korean.into(),
                english.into(),
                min.into(),
                max.into(),
                <i32 as TryFrom<usize>>::try_from(position)
                    .unwrap_or(i32::MAX)
                    .into(),
            ]);
        }
        manager.execute(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Banks::Table).to_owned())
            .await
    }
}
