//! The default campaign's payout rounds as the operator paid them: round 2 takes
//! cancellations up to 2025-12-31 applied up to 2026-01-31 (the first seed said
//! cancellations up to 2026-01-13 applied up to 2026-01-25, which no source states).
//!
//! Only a round 2 that still holds those old defaults and is not closed is corrected: an
//! admin's edit, or a round whose payout file exists, is left alone. When it is corrected
//! and round 3 still holds its defaults and is open too, the applications those two rounds
//! hold (SUBMITTED, never in a payout file) move to the round the corrected table gives
//! them: round 3's December cancellations to round 2, round 2's January ones to round 3.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::ChronoDate;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CAMPAIGN_ID: &str = "00000000-0000-4000-8000-000000002026";

#[derive(DeriveIden)]
enum PayoutRounds {
    Table,
    CampaignId,
    Number,
    PayDate,
    CancelledUntil,
    AppliedUntil,
}

#[derive(DeriveIden)]
enum PayoutClosures {
    Table,
    CampaignId,
    RoundNumber,
}

#[derive(DeriveIden)]
enum PayoutItems {
    Table,
    ApplicationId,
}

#[derive(DeriveIden)]
enum RefundApplications {
    Table,
    Id,
    Status,
    RoundNumber,
    CancelledOn,
}

fn day(text: &str) -> ChronoDate {
    text.parse().expect("migration dates are valid")
}

/// Round `number` of the default campaign has no payout file.
fn open(number: i32) -> SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(PayoutClosures::Table)
            .and_where(Expr::col(PayoutClosures::CampaignId).eq(CAMPAIGN_ID))
            .and_where(Expr::col(PayoutClosures::RoundNumber).eq(number))
            .to_owned(),
    )
    .not()
}

/// Round `number` of the default campaign holds exactly these dates.
fn holds(
    number: i32,
    pay_date: &str,
    cancelled_until: Option<&str>,
    applied_until: &str,
) -> SimpleExpr {
    let cancelled = match cancelled_until {
        Some(until) => Expr::col(PayoutRounds::CancelledUntil).eq(day(until)),
        None => Expr::col(PayoutRounds::CancelledUntil).is_null(),
    };
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(PayoutRounds::Table)
            .and_where(Expr::col(PayoutRounds::CampaignId).eq(CAMPAIGN_ID))
            .and_where(Expr::col(PayoutRounds::Number).eq(number))
            .and_where(Expr::col(PayoutRounds::PayDate).eq(day(pay_date)))
            .and_where(cancelled)
            .and_where(Expr::col(PayoutRounds::AppliedUntil).eq(day(applied_until)))
            .to_owned(),
    )
}

/// Moves the waiting applications of round `from` that `belongs` selects to round `to`.
async fn move_applications(
    manager: &SchemaManager<'_>,
    from: i32,
    to: i32,
    belongs: SimpleExpr,
) -> Result<(), DbErr> {
    let never_paid = Expr::col(RefundApplications::Id).not_in_subquery(
        Query::select()
            .column(PayoutItems::ApplicationId)
            .from(PayoutItems::Table)
            .to_owned(),
    );
    let update = Query::update()
        .table(RefundApplications::Table)
        .value(RefundApplications::RoundNumber, to)
        .and_where(Expr::col(RefundApplications::Status).eq("SUBMITTED"))
        .and_where(Expr::col(RefundApplications::RoundNumber).eq(from))
        .and_where(belongs)
        .and_where(never_paid)
        .and_where(open(2))
        .and_where(open(3))
        .and_where(holds(3, "2026-02-19", None, "2026-01-31"))
        .to_owned();
    manager.execute(update).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let correct = Query::update()
            .table(PayoutRounds::Table)
            .value(PayoutRounds::CancelledUntil, day("2025-12-31"))
            .value(PayoutRounds::AppliedUntil, day("2026-01-31"))
            .and_where(Expr::col(PayoutRounds::CampaignId).eq(CAMPAIGN_ID))
            .and_where(Expr::col(PayoutRounds::Number).eq(2))
            .and_where(Expr::col(PayoutRounds::PayDate).eq(day("2026-02-05")))
            .and_where(Expr::col(PayoutRounds::CancelledUntil).eq(day("2026-01-13")))
            .and_where(Expr::col(PayoutRounds::AppliedUntil).eq(day("2026-01-25")))
            .and_where(open(2))
            .to_owned();
        let corrected = manager
            .get_connection()
            .execute(&correct)
            .await?
            .rows_affected()
            > 0;
        if !corrected {
            return Ok(());
        }
        let december = Expr::col(RefundApplications::CancelledOn).lte(day("2025-12-31"));
        let january = Expr::col(RefundApplications::CancelledOn).gt(day("2025-12-31"));
        move_applications(manager, 3, 2, december).await?;
        move_applications(manager, 2, 3, january).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The old dates were wrong; going back would not make them right.
        Ok(())
    }
}
