//! Korea Standard Time: every business date of the program is a KST calendar date.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

const KST_OFFSET_SECONDS: i32 = 9 * 3600;

/// The fixed UTC+9 offset of Asia/Seoul (Korea has no daylight saving time).
pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(KST_OFFSET_SECONDS).expect("UTC+9 is a valid offset")
}

/// The KST calendar date of an instant.
pub fn date_of(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&offset()).date_naive()
}

/// The UTC instant of a KST wall-clock time.
pub fn instant_of(local: NaiveDateTime) -> DateTime<Utc> {
    offset()
        .from_local_datetime(&local)
        .single()
        .expect("a fixed offset maps every local time to one instant")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_before_midnight_utc_is_already_the_next_day_in_seoul() {
        let instant = "2026-01-13T15:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            date_of(instant),
            NaiveDate::from_ymd_opt(2026, 1, 14).unwrap()
        );
    }

    #[test]
    fn nine_in_the_morning_in_seoul_is_midnight_utc() {
        let local = NaiveDate::from_ymd_opt(2026, 1, 14)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(instant_of(local).to_rfc3339(), "2026-01-14T00:00:00+00:00");
    }
}
