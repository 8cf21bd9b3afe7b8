//! Who is due when: each chat's local delivery time, DST-correct.
//!
//! The rule: at its local delivery time, a chat receives the digest of the most recent UTC
//! day before today (UTC, at that moment) that has papers and that it has not received yet.
//! Everything here is a pure function of the clock and the subscription, so tests move the
//! clock by hand instead of waiting for it.
//!
//! Why "before today": the HF list of a day keeps growing until the day is over (and the site
//! still shows the previous day until about 02:00 UTC), so the day just finished is the first
//! one worth sending. Why "not received": `Subscription::last_delivered` moves forward only,
//! so a chat never gets a day twice, and a repeated local hour on a DST change cannot resend.

use chrono::{
    DateTime, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::domain::{DeliveryTime, Subscription};

/// The instant of `time` in `tz` on the local date `date`.
///
/// On a spring-forward day a local time that does not exist moves forward by the gap (02:30
/// becomes 03:30 on a one-hour change); on a fall-back day an ambiguous time is its first
/// occurrence. Either way each local date has exactly one slot.
pub fn slot_on(date: NaiveDate, time: DeliveryTime, tz: Tz) -> DateTime<Utc> {
    let naive = NaiveDateTime::new(date, time.time());
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // A gap: read the local time with the offset in force just before it, which moves
            // it forward by the gap's length. Real gaps are at most a few hours.
            let before = (1..=26)
                .filter_map(|h| {
                    tz.from_local_datetime(&(naive - Duration::hours(h)))
                        .earliest()
                })
                .next();
            match before {
                Some(b) => Utc.from_utc_datetime(&(naive - b.offset().fix())),
                // No zone has a day-long gap; read the local time as UTC rather than panic.
                None => Utc.from_utc_datetime(&naive),
            }
        }
    }
}

/// The latest slot at or before `now`.
pub fn last_slot(now: DateTime<Utc>, time: DeliveryTime, tz: Tz) -> DateTime<Utc> {
    let local_today = now.with_timezone(&tz).date_naive();
    let today_slot = slot_on(local_today, time, tz);
    if today_slot <= now {
        today_slot
    } else {
        let yesterday = local_today
            .checked_sub_days(Days::new(1))
            .unwrap_or(local_today);
        slot_on(yesterday, time, tz)
    }
}

/// The first slot strictly after `now`: when the next digest comes.
pub fn next_slot(now: DateTime<Utc>, time: DeliveryTime, tz: Tz) -> DateTime<Utc> {
    let local_today = now.with_timezone(&tz).date_naive();
    let today_slot = slot_on(local_today, time, tz);
    if today_slot > now {
        today_slot
    } else {
        let tomorrow = local_today
            .checked_add_days(Days::new(1))
            .unwrap_or(local_today);
        slot_on(tomorrow, time, tz)
    }
}

/// The days whose lists decide what a chat due at `slot` receives, newest first: the UTC days
/// before the slot's UTC day, at most `lookback` of them.
pub fn candidate_days(slot: DateTime<Utc>, lookback: u32) -> Vec<NaiveDate> {
    let today = slot.date_naive();
    (1..=u64::from(lookback))
        .filter_map(|back| today.checked_sub_days(Days::new(back)))
        .collect()
}

/// Whether a subscription has a delivery slot to act on at `now`, and which one.
///
/// `None` for inactive chats and for slots before the chat subscribed (a new subscriber
/// starts with the next slot, not with a backlog). The caller then picks the newest day among
/// [`candidate_days`] that has papers and is after `last_delivered`.
pub fn due_slot(now: DateTime<Utc>, subscription: &Subscription) -> Option<DateTime<Utc>> {
    if !subscription.is_active {
        return None;
    }
    let slot = last_slot(now, subscription.time, subscription.timezone);
    (slot >= subscription.created_at).then_some(slot)
}

/// The day to deliver, given which candidate days have papers: the newest one with papers,
/// if it is newer than what the chat last received.
pub fn day_to_deliver(
    candidates_with_papers: impl IntoIterator<Item = NaiveDate>,
    last_delivered: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let newest = candidates_with_papers.into_iter().max()?;
    match last_delivered {
        Some(last) if last >= newest => None,
        _ => Some(newest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChatRef, Language};
    use chrono_tz::{America::New_York, Asia::Seoul, Europe::Berlin, UTC};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn time(s: &str) -> DeliveryTime {
        DeliveryTime::parse(s).unwrap()
    }
    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn slot_in_three_zones() {
        assert_eq!(
            slot_on(date("2026-01-20"), time("09:00"), Seoul),
            t("2026-01-20T00:00:00Z")
        );
        assert_eq!(
            slot_on(date("2026-01-20"), time("09:00"), Berlin),
            t("2026-01-20T08:00:00Z")
        );
        assert_eq!(
            slot_on(date("2026-01-20"), time("09:00"), New_York),
            t("2026-01-20T14:00:00Z")
        );
    }

    #[test]
    fn spring_forward_gap_moves_later() {
        // Berlin, 2026-03-29: 02:00 -> 03:00 local.
        assert_eq!(
            slot_on(date("2026-03-29"), time("02:30"), Berlin),
            t("2026-03-29T01:30:00Z")
        );
        // A time outside the gap is unaffected, and in summer time.
        assert_eq!(
            slot_on(date("2026-03-29"), time("09:00"), Berlin),
            t("2026-03-29T07:00:00Z")
        );
    }

    #[test]
    fn fall_back_repeat_uses_first_occurrence() {
        // New York, 2026-11-01: 02:00 -> 01:00 local, so 01:30 happens twice.
        assert_eq!(
            slot_on(date("2026-11-01"), time("01:30"), New_York),
            t("2026-11-01T05:30:00Z")
        );
    }

    #[test]
    fn last_and_next_slot() {
        let now = t("2026-01-20T07:59:00Z");
        assert_eq!(
            last_slot(now, time("09:00"), Berlin),
            t("2026-01-19T08:00:00Z")
        );
        assert_eq!(
            next_slot(now, time("09:00"), Berlin),
            t("2026-01-20T08:00:00Z")
        );
        let now = t("2026-01-20T08:00:00Z");
        assert_eq!(last_slot(now, time("09:00"), Berlin), now);
        assert_eq!(
            next_slot(now, time("09:00"), Berlin),
            t("2026-01-21T08:00:00Z")
        );
    }

    #[test]
    fn candidates_are_days_before_the_slot_utc_day() {
        let days = candidate_days(t("2026-01-20T00:00:00Z"), 3);
        assert_eq!(
            days,
            [date("2026-01-19"), date("2026-01-18"), date("2026-01-17")]
        );
    }

    fn sub(created: &str, tz: Tz) -> Subscription {
        Subscription {
            chat: ChatRef::telegram(1),
            time: time("09:00"),
            timezone: tz,
            top_n: 5,
            language: Language::ENGLISH,
            is_active: true,
            consecutive_failures: 0,
            inactive_reason: None,
            created_at: t(created),
            last_delivered: None,
        }
    }

    #[test]
    fn new_subscriber_waits_for_next_slot() {
        let s = sub("2026-01-20T10:00:00Z", UTC);
        assert_eq!(due_slot(t("2026-01-20T10:05:00Z"), &s), None);
        assert_eq!(
            due_slot(t("2026-01-21T09:00:00Z"), &s),
            Some(t("2026-01-21T09:00:00Z"))
        );
    }

    #[test]
    fn inactive_is_never_due() {
        let mut s = sub("2026-01-01T00:00:00Z", UTC);
        s.is_active = false;
        assert_eq!(due_slot(t("2026-01-21T09:00:00Z"), &s), None);
    }

    #[test]
    fn day_to_deliver_never_repeats() {
        let d = [date("2026-01-19"), date("2026-01-16")];
        assert_eq!(day_to_deliver(d, None), Some(date("2026-01-19")));
        assert_eq!(
            day_to_deliver(d, Some(date("2026-01-16"))),
            Some(date("2026-01-19"))
        );
        assert_eq!(day_to_deliver(d, Some(date("2026-01-19"))), None);
        assert_eq!(day_to_deliver([], None), None);
    }

    #[test]
    fn weekend_sends_friday_once() {
        // Saturday 09:00 UTC: Friday has papers -> Friday. Sunday and Monday: nothing new.
        let fri = date("2026-01-16");
        assert_eq!(day_to_deliver([fri], None), Some(fri));
        assert_eq!(day_to_deliver([fri], Some(fri)), None);
    }
}
