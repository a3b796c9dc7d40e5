//! Seeds the default campaign of program.md as data: the breach-response program of
//! 2025/2026. Inserted only when absent, so admins' later edits survive.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::{ChronoDate, ChronoDateTimeUtc};

#[derive(DeriveMigrationName)]
pub struct Migration;

const CAMPAIGN_ID: &str = "00000000-0000-4000-8000-000000002026";

fn day(text: &str) -> ChronoDate {
    text.parse().expect("seed dates are valid")
}

fn instant(text: &str) -> ChronoDateTimeUtc {
    text.parse().expect("seed instants are valid")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let settings: [(&str, Expr); 32] = [
            ("id", CAMPAIGN_ID.into()),
            ("code", "BREACH-2026".into()),
            (
                "name",
                "Breach response: fee waiver and customer appreciation".into(),
            ),
            ("active", true.into()),
            ("minor_age", 19.into()),
            ("baseline_date", day("2025-08-31").into()),
            ("contract_change_cutoff", day("2025-09-01").into()),
            ("cancellation_from", day("2025-09-01").into()),
            ("cancellation_until", day("2026-01-13").into()),
            ("suspension_exception_ended_from", day("2025-12-31").into()),
            ("suspension_exception_grace_days", 14.into()),
            ("eligibility_check_opens", day("2025-12-30").into()),
            // 2026-01-14 09:00 and 2026-01-31 22:00 in Seoul (UTC+9).
            (
                "applications_open_at",
                instant("2026-01-14T00:00:00Z").into(),
            ),
            (
                "applications_close_at",
                instant("2026-01-31T13:00:00Z").into(),
            ),
            ("max_reminders", 3.into()),
            ("base_date", day("2026-01-13").into()),
            ("monthly_data_gigabytes", 100.into()),
            ("monthly_data_first_month", day("2026-02-01").into()),
            ("monthly_data_last_month", day("2026-07-01").into()),
            ("roaming_from", day("2026-02-01").into()),
            ("roaming_until", day("2026-08-31").into()),
            ("roaming_bonus_percent", 50.into()),
            ("ott_selection_from", day("2026-02-01").into()),
            ("ott_selection_until", day("2026-03-31").into()),
            ("ott_months", 6.into()),
            ("discount_from", day("2026-02-01").into()),
            ("discount_until", day("2026-07-31").into()),
            ("discount_code_ttl_seconds", 300_i64.into()),
            ("insurance_from", day("2026-02-01").into()),
            ("insurance_until", day("2028-01-31").into()),
            ("insurance_automatic_age", 65.into()),
            ("updated_at", instant("2025-12-30T00:00:00Z").into()),
        ];
        let (columns, values): (Vec<_>, Vec<_>) = settings
            .into_iter()
            .map(|(column, value)| (Alias::new(column), value))
            .unzip();
        let campaign = Query::insert()
            .into_table(Alias::new("campaigns"))
            .columns(columns)
            .values_panic(values)
            .on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned())
            .to_owned();
        manager.execute(campaign).await?;

        let rounds = [
            (1, "2026-01-22", Some("2025-12-31"), "2026-01-18"),
            (2, "2026-02-05", Some("2025-12-31"), "2026-01-31"),
            (3, "2026-02-19", None, "2026-01-31"),
        ];
        let mut insert_rounds = Query::insert()
            .into_table(Alias::new("payout_rounds"))
            .columns(
                [
                    "campaign_id",
                    "number",
                    "pay_date",
                    "cancelled_until",
                    "applied_until",
                ]
                .map(Alias::new),
            )
            .on_conflict(
                OnConflict::columns(["campaign_id", "number"].map(Alias::new))
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned();
        for (number, paid_on, cancelled_until, applied_until) in rounds {
            insert_rounds.values_panic([
                CAMPAIGN_ID.into(),
                number.into(),
                day(paid_on).into(),
                cancelled_until.map(day).into(),
                day(applied_until).into(),
            ]);
        }
        manager.execute(insert_rounds).await?;

        // Share of the selective-plan discount received so far that is returned on
        // cancellation, by months elapsed in the contract.
        let rates = [(0, 100), (7, 60), (13, 35), (19, 15)];
        let mut insert_rates = Query::insert()
            .into_table(Alias::new("discount_return_rates"))
            .columns(["campaign_id", "from_month", "percent"].map(Alias::new))
            .on_conflict(
                OnConflict::columns(["campaign_id", "from_month"].map(Alias::new))
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned();
        for (from_month, percent) in rates {
            insert_rates.values_panic([CAMPAIGN_ID.into(), from_month.into(), percent.into()]);
        }
        manager.execute(insert_rates).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete()
            .from_table(Alias::new("campaigns"))
            .and_where(Expr::col(Alias::new("id")).eq(CAMPAIGN_ID))
            .to_owned();
        manager.execute(delete).await
    }
}
