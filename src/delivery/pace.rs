//! Rate limits, kept before sending so the platform never has to refuse us.
//!
//! Telegram allows about 30 messages a second overall, about one a second per chat and 20 a
//! minute per group; Discord has its own numbers. Peer bots that send as fast as they can get
//! 429s, and a client that retries them blindly (teloxide's `Throttle`) can freeze the whole
//! bot. Here every send first *reserves* the earliest instant that satisfies all three limits,
//! then sleeps until it: reservations are made under one short lock, so concurrent jobs never
//! race for a slot, and the global rate holds however many chats are in flight.
//!
//! # Why the limits hold at the platform's end, not only at ours
//!
//! The platform counts a message when it *arrives*, and we only know that this happens
//! somewhere between the moment we send it and the moment its answer comes back. So a send
//! holds a [`Ticket`] until it is answered, and a message counts against the global limit
//! from the moment it leaves until one second after its answer (and against its chat and
//! group from then on too). A new message leaves only while fewer than `global_per_sec`
//! messages count: then no one-second window of arrivals can hold more than
//! `global_per_sec`, however late the runtime wakes a sender or slow the network is. (Take
//! the messages of any such window and the last of them to leave: when it left, every other
//! one had left before it and been answered less than a second earlier or not at all, so
//! it was counted.)

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::domain::{ChatRef, Platform};

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

    /// Discord's: 50 requests a second per bot, 5 messages per 5 seconds per channel (the
    /// interval keeps to that; the per-minute cap then never binds).
    pub const DISCORD: Limits = Limits {
        global_per_sec: 50,
        per_chat_interval: Duration::from_millis(1000),
        group_per_minute: 60,
    };
}

/// A shared pacer. Cloning is a reference-count bump; all clones share the reservations.
///
/// Each platform has its own limits and its own count: Telegram's 30 a second say nothing
/// about Discord's 50. Discord webhooks share the Discord lane.
#[derive(Debug, Clone)]
pub struct Pace {
    telegram: Lane,
    discord: Lane,
}

/// The limits of one platform and the reservations made under them.
#[derive(Debug, Clone)]
struct Lane {
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
    /// Messages sent and not yet answered. Reservations space sends evenly, but a busy
    /// runtime wakes sleepers late and a slow answer hides when a message really arrived;
    /// these two keep the global count honest even so (see the module docs).
    in_flight: usize,
    /// When the messages of the last second were answered, oldest first.
    answered: VecDeque<Instant>,
}

#[derive(Debug, Default)]
struct ChatState {
    /// The earliest instant the next reservation for this chat may take.
    next: Option<Instant>,
    /// Reserved send instants of the last minute (groups only); an answered message's is
    /// moved to its answer.
    recent: VecDeque<Instant>,
    /// A message to this chat is on its way.
    in_flight: bool,
    /// The last answered message's answer plus the interval: two senders for one chat (a
    /// digest and a command reply) may hold reservations made before that answer came.
    free_from: Option<Instant>,
}

/// Above this many tracked chats, idle ones are forgotten on the next reservation.
const PRUNE_ABOVE: usize = 4096;
const MINUTE: Duration = Duration::from_secs(60);

impl Pace {
    /// The same limits on every platform.
    pub fn new(limits: Limits) -> Pace {
        Pace::per_platform(limits, limits)
    }

    pub fn per_platform(telegram: Limits, discord: Limits) -> Pace {
        Pace {
            telegram: Lane::new(telegram),
            discord: Lane::new(discord),
        }
    }

    fn lane(&self, chat: &ChatRef) -> &Lane {
        match chat.platform() {
            Platform::Telegram => &self.telegram,
            Platform::Discord | Platform::DiscordWebhook => &self.discord,
        }
    }

    /// Waits until a message may be sent to `chat`. The message counts against the limits
    /// until the returned ticket is dropped (or [`Ticket::answered`]) and for the intervals
    /// after that, so hold it for exactly as long as the platform takes to answer.
    pub async fn wait(&self, chat: &ChatRef) -> Ticket {
        let lane = self.lane(chat);
        let reserved = lane.reserve(chat, Instant::now());
        tokio::time::sleep_until(reserved).await;
        while let Some(later) = lane.leave(chat, Instant::now()) {
            tokio::time::sleep_until(later).await;
        }
        Ticket {
            lane: lane.clone(),
            chat: chat.clone(),
            reserved,
        }
    }

    /// Reserves the earliest instant at or after `now` that respects every limit of the
    /// chat's platform.
    pub fn reserve(&self, chat: &ChatRef, now: Instant) -> Instant {
        self.lane(chat).reserve(chat, now)
    }

    /// Holds a chat back after the platform said to wait (a 429 for that chat).
    pub fn hold_chat(&self, chat: &ChatRef, wait: Duration) {
        self.lane(chat).hold_chat(chat, wait);
    }

    #[cfg(test)]
    fn leave(&self, chat: &ChatRef, now: Instant) -> Option<Instant> {
        self.lane(chat).leave(chat, now)
    }

    #[cfg(test)]
    fn answered(&self, chat: &ChatRef, reserved: Instant, now: Instant) {
        self.lane(chat).answered(chat, reserved, now);
    }
}

impl Lane {
    fn new(limits: Limits) -> Lane {
        Lane {
            limits,
            state: Arc::new(Mutex::new(State {
                epoch: Instant::now(),
                taken: BTreeSet::new(),
                chats: HashMap::new(),
                in_flight: 0,
                answered: VecDeque::new(),
            })),
        }
    }

    /// Lets a message to `chat` leave at `now` (it is then in flight), or says when to ask
    /// again: another message to the chat is on its way or was answered less than the
    /// interval ago, or `global_per_sec` messages are in flight or were answered less than a
    /// second ago.
    fn leave(&self, chat: &ChatRef, now: Instant) -> Option<Instant> {
        let rate = self.limits.global_per_sec.max(1) as usize;
        let interval = self.limits.per_chat_interval;
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut *guard;
        let c = state.chats.entry(chat.clone()).or_default();
        if c.in_flight {
            // Its answer comes at `now` at the earliest, and the interval runs from there.
            return Some(now + interval.max(Duration::from_millis(1)));
        }
        if let Some(free) = c.free_from.filter(|f| *f > now) {
            return Some(free);
        }
        while state
            .answered
            .front()
            .is_some_and(|t| *t + Duration::from_secs(1) <= now)
        {
            state.answered.pop_front();
        }
        if state.in_flight + state.answered.len() >= rate {
            // A message in flight frees its place a second after its answer at the
            // earliest, so with none answered yet there is nothing to wait for sooner.
            return Some(
                state
                    .answered
                    .front()
                    .map_or(now + Duration::from_secs(1), |t| {
                        *t + Duration::from_secs(1)
                    }),
            );
        }
        state.in_flight += 1;
        if let Some(c) = state.chats.get_mut(chat) {
            c.in_flight = true;
        }
        None
    }

    /// Counts the message reserved for `reserved` to `chat` as answered now: the chat's next
    /// message waits the interval from now, and the global and group windows count it until
    /// a second (a minute) from now.
    fn answered(&self, chat: &ChatRef, reserved: Instant, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.in_flight = state.in_flight.saturating_sub(1);
        // Kept in order, so expired answers leave from the front.
        let now = state.answered.back().map_or(now, |last| now.max(*last));
        state.answered.push_back(now);
        let Some(c) = state.chats.get_mut(chat) else {
            return;
        };
        let after = now + self.limits.per_chat_interval;
        c.next = Some(c.next.map_or(after, |n| n.max(after)));
        c.in_flight = false;
        c.free_from = Some(after);
        if let Some(slot) = c.recent.iter_mut().rev().find(|t| **t == reserved) {
            *slot = now.max(reserved);
        }
    }

    /// Reserves the earliest instant at or after `now` that respects every limit.
    fn reserve(&self, chat: &ChatRef, now: Instant) -> Instant {
        let global_gap = Duration::from_secs(1) / self.limits.global_per_sec.max(1);
        // The lock is only poisoned if a reservation panicked; the state is still usable.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.chats.len() > PRUNE_ABOVE {
            state
                .chats
                .retain(|_, c| c.in_flight || c.next.is_some_and(|n| n + MINUTE > now));
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

    fn hold_chat(&self, chat: &ChatRef, wait: Duration) {
        let until = Instant::now() + wait;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let c = state.chats.entry(chat.clone()).or_default();
        c.next = Some(c.next.map_or(until, |n| n.max(until)));
    }
}

/// A message on its way: it counts as in flight until this is answered or dropped.
///
/// Dropping counts too, so a send that fails, times out or is cancelled (a shutdown in the
/// middle of a call) still frees its place, after the same intervals as an answered one:
/// the platform may well have received it.
#[derive(Debug)]
#[must_use = "the message counts as in flight until the ticket is answered or dropped"]
pub struct Ticket {
    lane: Lane,
    chat: ChatRef,
    reserved: Instant,
}

impl Ticket {
    /// The platform answered (whatever it said).
    pub fn answered(self) {
        // Drop does the counting.
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.lane
            .answered(&self.chat, self.reserved, Instant::now());
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
    fn a_late_answer_pushes_the_next_message_back() {
        let pace = Pace::new(limits(1000, 1000, 100));
        let chat = ChatRef::telegram(-7);
        let now = Instant::now();
        let first = pace.reserve(&chat, now);
        // The platform answered 3 s after the reservation.
        let answer = first + Duration::from_secs(3);
        pace.answered(&chat, first, answer);
        let second = pace.reserve(&chat, now);
        assert_eq!(second, answer + Duration::from_millis(1000));
    }

    #[test]
    fn a_message_counts_until_a_second_after_its_answer() {
        let pace = Pace::new(limits(3, 0, 100));
        let now = Instant::now();
        // Sleepers woken late all try to leave at the same instant.
        let to = |i| ChatRef::telegram(i);
        assert_eq!(pace.leave(&to(1), now), None);
        assert_eq!(pace.leave(&to(2), now), None);
        assert_eq!(pace.leave(&to(3), now), None);
        // Three in flight, none answered: no place frees within a second.
        assert_eq!(pace.leave(&to(4), now), Some(now + Duration::from_secs(1)));
        // A slow answer, 5 s later: the place stays taken for a second after it, not after
        // the send, since the platform may have counted the message only just now.
        let answer = now + Duration::from_secs(5);
        pace.answered(&to(1), now, answer);
        assert_eq!(
            pace.leave(&to(5), now + Duration::from_millis(5500)),
            Some(answer + Duration::from_secs(1))
        );
        assert_eq!(pace.leave(&to(5), answer + Duration::from_secs(1)), None);
        assert_eq!(
            pace.leave(&to(6), answer + Duration::from_secs(1)),
            Some(answer + Duration::from_secs(2))
        );
    }

    #[tokio::test]
    async fn a_dropped_ticket_frees_its_place() {
        let pace = Pace::new(limits(1, 0, 100));
        let chat = ChatRef::telegram(1);
        let ticket = pace.wait(&chat).await;
        let other = ChatRef::telegram(2);
        assert!(
            pace.leave(&other, Instant::now()).is_some(),
            "the one place is taken"
        );
        drop(ticket);
        // Freed a second after the drop, as if the platform had answered then.
        let later = Instant::now() + Duration::from_secs(1);
        assert_eq!(pace.leave(&other, later), None);
    }

    #[test]
    fn two_senders_for_one_chat_go_one_after_the_other() {
        // A digest and a command reply reserved their slots before either was answered.
        let pace = Pace::new(limits(1000, 1000, 100));
        let chat = ChatRef::telegram(9);
        let now = Instant::now();
        let first = pace.reserve(&chat, now);
        assert_eq!(pace.leave(&chat, first), None);
        // The second may not leave while the first is on its way...
        let waiting = first + Duration::from_millis(1500);
        assert!(pace.leave(&chat, waiting).is_some());
        // ...nor before the interval has passed since the first one's answer.
        let answer = first + Duration::from_secs(2);
        pace.answered(&chat, first, answer);
        let free = answer + Duration::from_secs(1);
        assert_eq!(pace.leave(&chat, answer), Some(free));
        assert_eq!(pace.leave(&chat, free), None);
    }

    #[test]
    fn each_platform_has_its_own_limits() {
        let pace = Pace::per_platform(limits(1, 0, 100), limits(1000, 0, 100));
        let now = Instant::now();
        let telegram: Vec<_> = (1..=3)
            .map(|i| pace.reserve(&ChatRef::telegram(i), now))
            .collect();
        assert_eq!(telegram[2] - telegram[0], Duration::from_secs(2));
        // Discord channels and webhooks are not queued behind Telegram's one a second.
        let discord = [
            ChatRef::Discord { channel_id: 1 },
            ChatRef::Discord { channel_id: 2 },
            ChatRef::DiscordWebhook {
                url: "https://discord.com/api/webhooks/1/x".into(),
            },
        ]
        .map(|chat| pace.reserve(&chat, now));
        assert!(discord[2] - now < Duration::from_millis(5), "{discord:?}");
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
