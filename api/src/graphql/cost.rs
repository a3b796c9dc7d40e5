//! What one request may cost, counted before it runs: every field costs one (a value in
//! the answer), and a list costs its length times what each item costs, the length
//! being its `first` argument or the most it can hold. So 160 aliases of a 1,000-row
//! list cost over 320,000 and are refused at validation, before a row is read, while
//! each operation the apps and the console send stays inside [`MAX_COST`] (the largest,
//! the console's partner list at `first: 500`, costs about 30,500). Resolvers refuse a
//! `first` above their own maximum as `BAD_USER_INPUT`; the cost counts what was asked.

/// The most one request may cost: the values it may ask for, so the rows it may touch
/// times their columns.
pub const MAX_COST: usize = 50_000;

/// A customer's in-app inbox (the newest 200).
pub const NOTIFICATIONS: usize = 200;
/// A list of insurance claims (the newest 500).
pub const CLAIMS: usize = 500;
/// One entry per benefit kind.
pub const BENEFIT_KINDS: usize = 4;
/// Redemptions per day and category over at most 366 days and four categories.
pub const REDEMPTION_DAYS: usize = 366 * 4;
/// The campaign's kinds of periods of days.
pub const PERIODS: usize = 6;
/// The outcomes of the fee waiver: eligible, or one of its nine reasons.
pub const OUTCOMES: usize = 10;
/// Months of a campaign's monthly data (a line's grants, months granted).
pub const MONTHS: usize = 12;
/// Lists without a hard maximum whose real length is short, counted at a typical
/// length: a partner's stores and offers, a line's roaming bonuses and extensions, the
/// OTT catalog, payout rounds and the tallies per round, partners settled on a day.
pub const SHORT_LIST: usize = 5;

/// Rows of a payout results report: a file of at most
/// [`crate::graphql::refund::MAX_RESULTS_BYTES`] holds at most about this many.
pub const RESULT_ROWS: usize = 1_500;

/// A list of at most `length` items costing `item` each.
pub fn list(length: usize, item: usize) -> usize {
    length.saturating_mul(item).saturating_add(1)
}

/// A list of `first` items (as asked) costing `item` each.
pub fn first(first: i32, item: usize) -> usize {
    list(usize::try_from(first).unwrap_or(0), item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_costs_its_length_times_its_items() {
        assert_eq!(list(4, 3), 13);
        assert_eq!(first(1_000, 2), 2_001);
        assert_eq!(
            first(-5, 2),
            1,
            "a negative first is refused by its resolver"
        );
        assert_eq!(first(i32::MAX, usize::MAX), usize::MAX, "never overflows");
    }
}
