//! Pure rules of partner discounts: the discount of a purchase, limits, code states.

use chrono::{DateTime, Utc};

use super::{CodeView, Discount, Limits, Offer, QuoteRefusal, Usage};

/// The discount of `purchase` under `offer`, or `BelowMinimum`.
pub fn discount_for(offer: &Offer, purchase: i64) -> Result<i64, QuoteRefusal> {
    if purchase < offer.min_purchase || purchase <= 0 {
        return Err(QuoteRefusal::BelowMinimum);
    }
    let discount = match offer.discount {
        Discount::Percent { percent, cap } => {
            let raw =
                i64::try_from(i128::from(purchase) * i128::from(percent) / 100).unwrap_or(i64::MAX);
            cap.map_or(raw, |cap| raw.min(cap))
        }
        Discount::Amount(amount) => amount,
    };
    Ok(discount.clamp(0, purchase))
}

/// Whether one more use stays within every limit.
pub fn within_limits(limits: &Limits, usage: &Usage) -> bool {
    let fits = |limit: Option<i64>, used: i64| limit.is_none_or(|limit| used < limit);
    fits(limits.per_day, usage.day)
        && fits(limits.per_month, usage.month)
        && fits(limits.per_program, usage.program)
}

/// Why a known code cannot be used at `now`, if it cannot.
pub fn code_refusal(code: &CodeView, now: DateTime<Utc>) -> Option<QuoteRefusal> {
    if code.used {
        Some(QuoteRefusal::CodeUsed)
    } else if code.expires_at <= now {
        Some(QuoteRefusal::CodeExpired)
    } else {
        None
    }
}

/// Checks an offer as an admin declares it.
pub fn check_offer(discount: &Discount, min_purchase: i64, limits: &Limits) -> Result<(), String> {
    match *discount {
        Discount::Percent { percent, cap } => {
            if !(1..=100).contains(&percent) {
                return Err("percentOff must be 1 to 100".into());
            }
            if cap.is_some_and(|cap| cap <= 0) {
                return Err("maxDiscount must be positive".into());
            }
        }
        Discount::Amount(amount) if amount <= 0 => return Err("amountOff must be positive".into()),
        Discount::Amount(_) => {}
    }
    if min_purchase < 0 {
        return Err("minPurchase must not be negative".into());
    }
    for limit in [limits.per_day, limits.per_month, limits.per_program]
        .into_iter()
        .flatten()
    {
        if limit < 1 {
            return Err("usage limits must be at least 1".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(discount: Discount, min_purchase: i64) -> Offer {
        Offer {
            id: "o".into(),
            partner_id: "p".into(),
            external_id: "O-1".into(),
            title: "t".into(),
            discount,
            min_purchase,
            limits: Limits::default(),
        }
    }

    #[test]
    fn a_percent_discount_rounds_down_and_stops_at_its_cap() {
        let twenty = offer(
            Discount::Percent {
                percent: 20,
                cap: Some(3_000),
            },
            0,
        );
        assert_eq!(discount_for(&twenty, 4_999), Ok(999));
        assert_eq!(discount_for(&twenty, 50_000), Ok(3_000));
    }

    #[test]
    fn a_fixed_discount_never_exceeds_the_purchase() {
        let thousand = offer(Discount::Amount(1_000), 0);
        assert_eq!(discount_for(&thousand, 5_000), Ok(1_000));
        assert_eq!(discount_for(&thousand, 700), Ok(700));
    }

    #[test]
    fn a_purchase_below_the_minimum_is_refused() {
        let min = offer(Discount::Amount(1_000), 5_000);
        assert_eq!(discount_for(&min, 4_999), Err(QuoteRefusal::BelowMinimum));
        assert_eq!(discount_for(&min, 5_000), Ok(1_000));
    }

    #[test]
    fn each_limit_allows_uses_below_it() {
        let limits = Limits {
            per_day: Some(1),
            per_month: Some(4),
            per_program: Some(10),
        };
        assert!(within_limits(
            &limits,
            &Usage {
                day: 0,
                month: 3,
                program: 9
            }
        ));
        assert!(!within_limits(
            &limits,
            &Usage {
                day: 1,
                month: 0,
                program: 0
            }
        ));
        assert!(!within_limits(
            &limits,
            &Usage {
                day: 0,
                month: 4,
                program: 0
            }
        ));
        assert!(!within_limits(
            &limits,
            &Usage {
                day: 0,
                month: 0,
                program: 10
            }
        ));
        assert!(within_limits(
            &Limits::default(),
            &Usage {
                day: 99,
                month: 99,
                program: 99
            }
        ));
    }

    #[test]
    fn offers_need_a_sane_discount_and_limits() {
        assert!(
            check_offer(
                &Discount::Percent {
                    percent: 0,
                    cap: None
                },
                0,
                &Limits::default()
            )
            .is_err()
        );
        assert!(
            check_offer(
                &Discount::Percent {
                    percent: 101,
                    cap: None
                },
                0,
                &Limits::default()
            )
            .is_err()
        );
        assert!(check_offer(&Discount::Amount(0), 0, &Limits::default()).is_err());
        assert!(check_offer(&Discount::Amount(500), -1, &Limits::default()).is_err());
        let zero_limit = Limits {
            per_day: Some(0),
            ..Limits::default()
        };
        assert!(check_offer(&Discount::Amount(500), 0, &zero_limit).is_err());
        assert!(
            check_offer(
                &Discount::Percent {
                    percent: 10,
                    cap: Some(2_000)
                },
                5_000,
                &Limits::default()
            )
            .is_ok()
        );
    }
}
