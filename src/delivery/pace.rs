//! Rate limits, kept before sending so the platform never has to refuse us.
//!
//! Telegram allows about 30 messages a second overall, about one a second per chat and 20 a
//! minute per group; Discord has its own numbers. Peer bots that send as fast as they can get
//! 429s, and a client that retries them blindly (teloxide's `Throttle`) can freeze the whole
//! bot. Here every send first *reserves* the earliest instant that satisfies all three limits,
//! then sleeps until it: reservations are made under one short lock, so concurrent jobs never
//! race for a slot, and the global rate holds however many chats are in flight.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::domain::ChatRef;

/// The limits of one platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Messages per second across all chats.
    pub global_per_sec: u32,
    /// Least time between two messages to one chat.
    pub per_chat_interval: Duration,
    /// Most messages to one group or channel in any 60 seconds.
    pub group_per_minute: u32,
}

impl Limits {
    /// Telegram's published guidance.
    pub const TELEGRAM: Limits = Limits {
        global_per_sec: 30,
        per_chat_interval: Duration::from_millis(1000),
        group_per_minute: 20,
    };
}

/// A shared pacer. Cloning is a reference-count bump; all clones share the reservations.
#[derive(Debug, Clone)]
pub struct Pace {
    limits: Limits,
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    /// Time is cut into ticks of `1 / global_per_sec` from here; each tick carries at most one
    /// send. A chat held back into the future takes a future tick and leaves the ticks before
    /// it free for other chats (a single "next free instant" would block everyone behind it).
    epoch: Instant,
    taken: BTreeSet<u64>,
    chats: HashMap<ChatRef, ChatState>,
    /// When sends really went out in the last second. Reservations space sends evenly, but a
    /// busy runtime wakes sleepers late and several then leave together; this window keeps
    /// the count of real sends in any second within the rate even so.
    issued: VecDeque<Instant>,
}

#[derive(Debug, Default)]
struct ChatState {
    next: Option<Instant>,
    /// Reserved send instants of the last minute (groups only).
    recent: VecDeque<Instant>,
}

/// Above this many tracked chats, idle ones are forgotten on the next reservation.
const PRUNE_ABOVE: usize = 4096;
const MINUTE: Duration = Duration::from_secs(60);

impl Pace {
    pub fn new(limits: Limits) -> Pace {
        Pace {
            limits,
            state: Arc::new(Mutex::new(State {
                epoch: Instant::now(),
                taken: BTreeSet::new(),
                chats: HashMap::new(),
                issued: VecDeque::new(),
            })),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Waits until a message may be sent to `chat`, and counts it as sent then. Returns
    /// the reserved instant, to pass to [`Pace::sent`] once the platform has answered.
    pub async fn wait(&self, chat: &ChatRef) -> Instant {
        let at = self.reserve(chat, Instant::now());
        tokio::time::sleep_until(at).await;
        while let Some(later) = self.issue(Instant::now()) {
            tokio::time::sleep_until(later).await;
        }
        at
    }

    /// Counts a send going out at `now`, or says when one may go out instead because the
    /// last second already holds `global_per_sec` of them.
    fn issue(&self, now: Instant) -> Option<Instant> {
        let rate = self.limits.global_per_sec.max(1) as usize;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state
            .issued
            .front()
            .is_some_and(|t| *t + Duration::from_secs(1) <= now)
        {
            state.issued.pop_front();
        }
        if state.issued.len() >= rate {
            return state.issued.front().map(|t| *t + Duration::from_secs(1));
        }
        state.issued.push_back(now);
        None
    }

    /// Counts a message reserved for `reserved` as arrived by now (the platform answered).
    ///
    /// Platforms count arrivals, and a message can leave later than its slot (a busy
    /// runtime, a slow connection): spacing the chat's next message from its reservation
    /// alone could put two messages less than the interval apart at the platform's end.
    pub fn sent(&self, chat: &ChatRef, reserved: Instant) {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some(c) = state.chats.get_mut(chat) else {
            return;
        };
        let after = now + self.limits.per_chat_interval;
        c.next = Some(c.next.map_or(after, |n| n.max(after)));
        if let Some(slot) = c.recent.iter_mut().rev().find(|t| **t == reserved) {
            *slot = now.max(reserved);
        }
    }

    /// Reserves the earliest instant at or after `now` that respects every limit.
    pub fn reserve(&self, chat: &ChatRef, now: Instant) -> Instant {
        let global_gap = Duration::from_secs(1) / self.limits.global_per_sec.max(1);
        // The lock is only poisoned if a reservation panicked; the state is still usable.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.chats.len() > PRUNE_ABOVE {
            state
                .chats
                .retain(|_, c| c.next.is_some_and(|n| n + MINUTE > now));
        }
        let is_group = is_group(chat);
        let per_minute = self.limits.group_per_minute.max(1) as usize;
        let chat_state = state.chats.entry(chat.clone()).or_default();
        let mut at = chat_state.next.map_or(now, |n| n.max(now));
        if is_group {
            while chat_state.recent.front().is_some_and(|t| *t + MINUTE <= at) {
                chat_state.recent.pop_front();
            }
            if chat_state.recent.len() >= per_minute {
                let oldest_in_window = chat_state.recent[chat_state.recent.len() - per_minute];
                at = at.max(oldest_in_window + MINUTE);
            }
        }
        let at = take_tick(&mut state, at, now, global_gap);
        let chat_state = state.chats.entry(chat.clone()).or_default();
        chat_state.next = Some(at + self.limits.per_chat_interval);
        if is_group {
            chat_state.recent.push_back(at);
        }
        at
    }

    /// Holds a chat back after the platform said to wait (a 429 for that chat).
    pub fn hold_chat(&self, chat: &ChatRef, wait: Duration) {
        let until = Instant::now() + wait;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let c = state.chats.entry(chat.clone()).or_default();
        c.next = Some(c.next.map_or(until, |n| n.max(until)));
    }
}

/// Takes the first free global tick at or after `at` and returns its instant.
fn take_tick(state: &mut State, at: Instant, now: Instant, gap: Duration) -> Instant {
    let gap_nanos = gap.as_nanos().max(1);
    let tick_of = |t: Instant| {
        (t.saturating_duration_since(state.epoch).as_nanos()).div_ceil(gap_nanos) as u64
    };
    let past = tick_of(now).saturating_sub(1);
    // Ticks before now can never be taken again.
    state.taken = state.taken.split_off(&past);
    let mut tick = tick_of(at);
    for taken in state.taken.range(tick..) {
        if *taken != tick {
            break;
        }
        tick += 1;
    }
    state.taken.insert(tick);
    let nanos = u64::try_from(gap_nanos)
        .unwrap_or(u64::MAX)
        .saturating_mul(tick);
    state.epoch + Duration::from_nanos(nanos)
}

/// Groups and channels (negative Telegram ids, any Discord channel) get the per-minute limit.
fn is_group(chat: &ChatRef) -> bool {
    !chat.is_private()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(global: u32, chat_ms: u64, group: u32) -> Limits {
        Limits {
            global_per_sec: global,
            per_chat_interval: Duration::from_millis(chat_ms),
            group_per_minute: group,
        }
    }

    #[test]
    fn global_rate_spaces_all_chats() {
        let pace = Pace::new(limits(10, 0, 100));
        let now = Instant::now();
        let times: Vec<_> = (1..=5)
            .map(|i| pace.reserve(&ChatRef::telegram(i), now))
            .collect();
        for w in times.windows(2) {
            assert_eq!(w[1] - w[0], Duration::from_millis(100));
        }
    }

    #[test]
    fn per_chat_interval_holds() {
        let pace = Pace::new(limits(1000, 1000, 100));
        let now = Instant::now();
        let chat = ChatRef::telegram(7);
        let a = pace.reserve(&chat, now);
        let b = pace.reserve(&chat, now);
        let other = pace.reserve(&ChatRef::telegram(8), now);
        assert_eq!(b - a, Duration::from_millis(1000));
        assert!(other < b, "another chat is not held back by chat 7");
    }

    #[test]
    fn groups_get_at_most_n_a_minute() {
        let pace = Pace::new(limits(1000, 0, 3));
        let now = Instant::now();
        let group = ChatRef::telegram(-100);
        let t: Vec<_> = (0..4).map(|_| pace.reserve(&group, now)).collect();
        assert!(
            t[3] - t[0] >= MINUTE,
            "4th message waits for the window: {:?}",
            t[3] - t[0]
        );
        // Private chats have no per-minute window.
        let user = ChatRef::telegram(100);
        let u: Vec<_> = (0..4).map(|_| pace.reserve(&user, now)).collect();
        assert!(u[3] - u[0] < Duration::from_secs(1));
    }

    #[test]
    fn a_late_send_pushes_the_next_one_back() {
        let pace = Pace::new(limits(1000, 1000, 100));
        let chat = ChatRef::telegram(-7);
        let now = Instant::now();
        let first = pace.reserve(&chat, now);
        // The platform answered only now, later than the reservation.
        pace.sent(&chat, first);
        let answered = Instant::now();
        let second = pace.reserve(&chat, now);
        assert!(second >= answered + Duration::from_millis(1000));
    }

    #[test]
    fn no_second_holds_more_real_sends_than_the_rate() {
        let pace = Pace::new(limits(3, 0, 100));
        let now = Instant::now();
        // Sleepers woken late all try to leave at the same instant.
        assert_eq!(pace.issue(now), None);
        assert_eq!(pace.issue(now), None);
        assert_eq!(pace.issue(now), None);
        assert_eq!(pace.issue(now), Some(now + Duration::from_secs(1)));
        assert_eq!(pace.issue(now + Duration::from_secs(1)), None);
    }

    #[test]
    fn hold_chat_delays_only_that_chat() {
        let pace = Pace::new(limits(1000, 0, 100));
        let chat = ChatRef::telegram(1);
        pace.hold_chat(&chat, Duration::from_secs(5));
        let now = Instant::now();
        assert!(pace.reserve(&chat, now) >= now + Duration::from_secs(4));
        assert!(pace.reserve(&ChatRef::telegram(2), now) < now + Duration::from_secs(1));
    }
}
