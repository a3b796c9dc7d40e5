//! Counting standing redemptions: how many, and the discount they gave, grouped by
//! whatever the caller selected first. The partner settlement and the dashboard both
//! count this way, so a redemption counts (or, cancelled, does not) the same in both.

use sea_orm::sea_query::{Expr, JoinType};
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QuerySelect as _, Select};

use benefits_domain::partner::RedemptionStatus;

use crate::db::entities::{redemptions, stores};

/// `select`, whose grouping columns are already chosen, with the count and the total
/// discount of the standing redemptions appended, and their stores joined in.
pub(in crate::db) fn standing_redemptions(
    select: Select<redemptions::Entity>,
) -> Select<redemptions::Entity> {
    select
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(discount_amount), 0) AS BIGINT)"),
            "total",
        )
        .join(
            JoinType::InnerJoin,
            redemptions::Entity::belongs_to(stores::Entity)
                .from(redemptions::Column::StoreId)
                .to(stores::Column::Id)
                .into(),
        )
        .filter(redemptions::Column::Status.eq(RedemptionStatus::Redeemed.as_str()))
}
