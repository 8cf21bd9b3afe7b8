//! The alert poller: every `alerts.poll_cron`, today's and yesterday's lists (UTC) are
//! matched against every person's rules, and each person hears once, privately, about each
//! paper that matches.
//!
//! Everything goes through the delivery engine (pacing, retries, error mapping) and its
//! ledger: a `(person, paper)` pair is sent first and recorded after, flushed, so an alert
//! survives restarts and is never repeated (a crash between the two repeats at most that
//! one alert). The rule index is rebuilt only when someone's rules change. A person the
//! platform says cannot be reached (they blocked the bot) has their alerts paused, never
//! deleted: `/alert resume` brings them back.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, Utc};
use tokio::sync::watch;

use crate::archive::{self, Archive};
use crate::command::{alert_texts, fill};
use crate::delivery::engine::{Engine, NotSent};
use crate::delivery::{Courier, Outbound};
use crate::domain::alert::{AlertRule, RuleIndex};
use crate::domain::{ChatRef, Entry, Language, Paper, Platform};
use crate::render;
use crate::source;
use crate::store::{self, LedgerItem};
use crate::summarize::Backend;

/// How many days `/alert test` looks back over, today (UTC) included.
pub const TEST_DAYS: u64 = 7;

/// How many matching papers `/alert test` lists; the rest are counted.
const TEST_SHOWN: usize = 10;

/// A poll could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the alert rules or the ledger")]
    Store(#[from] store::Error),
    #[error("cannot fetch the day lists for alerts")]
    Archive(#[from] archive::Error),
}

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Papers looked at (today's and yesterday's, without repeats).
    pub papers: usize,
    /// People with active rules.
    pub people: usize,
    /// Alerts sent and recorded.
    pub sent: usize,
    /// Alerts that failed for now; the next poll tries again.
    pub failed: usize,
    /// People paused because they cannot be reached.
    pub paused: usize,
    /// Alerts held back because the person never opened a private chat with the bot (on
    /// Telegram a bot cannot write first); sent once they do.
    pub waiting: usize,
}

/// What the poller keeps between polls: the rule index, and what it was built from.
#[derive(Debug)]
pub struct Poller {
    /// Used when the person has no private subscription and no recorded alert language.
    default_language: Language,
    index: Option<(u64, Arc<RuleIndex>)>,
    builds: usize,
}

impl Poller {
    pub fn new(default_language: Language) -> Poller {
        Poller {
            default_language,
            index: None,
            builds: 0,
        }
    }

    /// How many times the index was built: once, then once per change of rules.
    pub fn index_builds(&self) -> usize {
        self.builds
    }

    /// The index of the active rules, rebuilt when they differ from the last build's.
    fn index<C>(&mut self, engine: &Engine<C>) -> Result<(Arc<RuleIndex>, usize), Error> {
        let active = engine.store.active_alert_rules()?;
        let mut hasher = DefaultHasher::new();
        for (owner, rules) in &active {
            owner.to_string().hash(&mut hasher);
            for rule in rules {
                rule.text.hash(&mut hasher);
            }
        }
        let fingerprint = hasher.finish();
        let people = active.len();
        if let Some((known, index)) = &self.index {
            if *known == fingerprint {
                return Ok((index.clone(), people));
            }
        }
        let mut entries = Vec::new();
        for (owner, rules) in active {
            for (i, rule) in rules.iter().enumerate() {
                match AlertRule::parse_with_max(&rule.text, usize::MAX) {
                    // Ids are 1-based, as `/alert list` shows them.
                    Ok(parsed) => entries.push((owner.clone(), i + 1, parsed)),
                    Err(e) => {
                        tracing::warn!(owner = %owner.redacted(), rule = i + 1, error = %e, "skipping a stored alert rule that no longer parses")
                    }
                }
            }
        }
        let index = Arc::new(RuleIndex::build(entries));
        self.builds += 1;
        tracing::debug!(rules = index.len(), people, "alert rule index built");
        self.index = Some((fingerprint, index.clone()));
        Ok((index, people))
    }
}

/// One poll at `now`: match today's and yesterday's papers (UTC), send what is new.
///
/// A store failure ends the poll (sending without recording would risk repeats); a list that
/// cannot be fetched is skipped when the other one can.
pub async fn poll_once<C: Courier>(
    now: DateTime<Utc>,
    engine: &Engine<C>,
    archive: &Archive,
    backend: &Backend,
    poller: &mut Poller,
) -> Result<Report, Error> {
    let (index, people) = poller.index(engine)?;
    let mut report = Report {
        people,
        ..Report::default()
    };
    if index.is_empty() {
        return Ok(report);
    }
    let papers = recent_papers(archive, now).await?;
    report.papers = papers.len();
    let mut unreachable: HashSet<ChatRef> = HashSet::new();
    let mut summaries: HashMap<(String, Language), crate::domain::Summary> = HashMap::new();
    for paper in &papers {
        for hit in index.matches(paper) {
            if engine.stopping.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(report);
            }
            let owner = hit.owner.clone();
            let item = LedgerItem::Alert {
                paper_id: paper.id.clone(),
            };
            if unreachable.contains(&owner) || engine.store.is_recorded(&owner, &item)? {
                continue;
            }
            if !can_message(&engine.store, &owner)? {
                report.waiting += 1;
                continue;
            }
            // The person's own choice, else what their alert commands were answered in.
            let language = crate::command::alert::alert_language(
                &engine.store,
                &owner,
                None,
                poller.default_language,
            )?;
            let summary = match summaries.get(&(paper.id.clone(), language)) {
                Some(summary) => summary.clone(),
                None => {
                    let summary = backend.summarize(paper, language).await;
                    summaries.insert((paper.id.clone(), language), summary.clone());
                    summary
                }
            };
            let entry = Entry {
                rank: 0,
                paper: paper.clone(),
                summary,
            };
            let line = why_line(&index, &hit.owner, &hit.rule_ids, paper);
            match send_alert(engine, &owner, &entry, language, &line).await? {
                Ok(()) => {
                    engine.store.record(&owner, &item).await?;
                    report.sent += 1;
                    tracing::info!(owner = %owner.redacted(), paper = %paper.id, rules = ?hit.rule_ids, "alert sent");
                }
                Err(NotSent::Later(reason)) => {
                    report.failed += 1;
                    tracing::warn!(owner = %owner.redacted(), paper = %paper.id, %reason, "alert not sent; the next poll tries again");
                }
                Err(NotSent::Unreachable(reason)) => {
                    engine.store.set_alerts_paused(&owner, true)?;
                    unreachable.insert(owner.clone());
                    report.paused += 1;
                    tracing::warn!(owner = %owner.redacted(), %reason, "person unreachable; alerts paused, rules kept");
                }
            }
        }
    }
    Ok(report)
}

/// Polls on `schedule` (UTC) until `stop` says so.
pub async fn run<C: Courier>(
    engine: Arc<Engine<C>>,
    archive: Archive,
    backend: Backend,
    schedule: cron::Schedule,
    default_language: Language,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let mut poller = Poller::new(default_language);
    loop {
        let now = Utc::now();
        let Some(next) = schedule.after(&now).next() else {
            tracing::warn!(cron = %schedule.source(), "the alert schedule has no next time; alerts stop");
            let _ = stop.wait_for(|s| *s).await;
            return Ok(());
        };
        let wait = (next - now).to_std().unwrap_or(Duration::ZERO);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return Ok(());
        }
        match poll_once(Utc::now(), &engine, &archive, &backend, &mut poller).await {
            Ok(report) if report.sent + report.failed + report.paused > 0 => tracing::info!(
                people = report.people,
                papers = report.papers,
                sent = report.sent,
                failed = report.failed,
                paused = report.paused,
                "alert poll"
            ),
            Ok(_) => {}
            Err(err) => tracing::warn!(
                error = format!("{:#}", anyhow::Error::from(err)),
                "alert poll failed; the next one tries again"
            ),
        }
        // A stop signal that came while polling (or a dropped sender) ends the loop.
        if *stop.borrow() || stop.has_changed().is_err() {
            return Ok(());
        }
    }
}

/// What `/alert test RULE` answers, in `language`: the papers of the last [`TEST_DAYS`] UTC
/// days the rule matches, newest day first, with why.
pub async fn test_rule(
    archive: &Archive,
    rule: &AlertRule,
    language: Language,
    now: DateTime<Utc>,
) -> String {
    let t = alert_texts(language);
    let today = source::today_utc(now);
    let mut found = Vec::new();
    let mut missing = 0;
    for back in 0..TEST_DAYS {
        let Some(date) = today.checked_sub_days(Days::new(back)) else {
            continue;
        };
        match archive.day(date, now).await {
            Ok(papers) => {
                for paper in papers {
                    if let Some(why) = rule.matches(&paper) {
                        found.push((date, paper.title.clone(), why.to_string()));
                    }
                }
            }
            Err(e) => {
                tracing::warn!(%date, error = %e, "/alert test: a day could not be fetched");
                missing += 1;
            }
        }
    }
    let (rule, days) = (rule.to_string(), TEST_DAYS.to_string());
    let mut s = match found.len() {
        0 => fill(t.test_none, &[("rule", &rule), ("days", &days)]),
        n => {
            let count = n.to_string();
            let head = fill(
                t.test_found,
                &[("rule", &rule), ("count", &count), ("days", &days)],
            );
            format!("{head}\n")
        }
    };
    for (date, title, why) in found.iter().take(TEST_SHOWN) {
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(" ({why})")
        };
        s.push_str(&format!("\n{date} {}{why}", render::text::one_line(title)));
    }
    if found.len() > TEST_SHOWN {
        let more = (found.len() - TEST_SHOWN).to_string();
        s.push('\n');
        s.push_str(&fill(t.test_more, &[("count", &more)]));
    }
    if missing > 0 {
        s.push_str(&fill(t.test_missing, &[("count", &missing.to_string())]));
    }
    s.push_str(t.test_not_saved);
    s
}

/// Whether the bot may write to `owner` first. A Telegram person must have written to the
/// bot privately (or subscribed their private chat, before alerts existed); sending anyway
/// would be refused and pause their alerts for good. Discord lets a bot open a DM.
pub fn can_message(store: &store::Store, owner: &ChatRef) -> Result<bool, store::Error> {
    if owner.platform() != Platform::Telegram {
        return Ok(true);
    }
    Ok(store.alerts_started(owner)? || store.subscription(owner)?.is_some())
}

/// Today's and yesterday's papers (UTC), each once (today's copy wins).
async fn recent_papers(archive: &Archive, now: DateTime<Utc>) -> Result<Vec<Paper>, Error> {
    let today = source::today_utc(now);
    let days: Vec<NaiveDate> = [Some(today), today.checked_sub_days(Days::new(1))]
        .into_iter()
        .flatten()
        .collect();
    let mut papers = Vec::new();
    let mut seen = HashSet::new();
    let mut first_error = None;
    let mut fetched = 0;
    for date in days {
        match archive.day(date, now).await {
            Ok(list) => {
                fetched += 1;
                for paper in list {
                    if seen.insert(paper.id.clone()) {
                        papers.push(paper);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(%date, error = %e, "alerts: a day list could not be fetched");
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if fetched == 0 => Err(e.into()),
        _ => Ok(papers),
    }
}

/// `🔔 diffusion model: title: diffusion model · rlhf: keyword: RLHF`: each matching rule,
/// with what it found.
fn why_line(index: &RuleIndex, owner: &ChatRef, rule_ids: &[usize], paper: &Paper) -> String {
    let parts: Vec<String> = index
        .rules()
        .iter()
        .filter(|(o, id, _)| o == owner && rule_ids.contains(id))
        .map(|(_, _, rule)| match rule.matches(paper) {
            Some(m) if !m.reasons.is_empty() => format!("{rule}: {m}"),
            _ => rule.to_string(),
        })
        .collect();
    format!("🔔 {}", parts.join(" · "))
}

/// The paper's card with the reason: a photo and a message on Telegram, an embed on Discord.
async fn send_alert<C: Courier>(
    engine: &Engine<C>,
    owner: &ChatRef,
    entry: &Entry,
    language: Language,
    line: &str,
) -> Result<Result<(), NotSent>, store::Error> {
    let messages: Vec<Outbound> = match owner.platform() {
        Platform::Discord | Platform::DiscordWebhook => {
            let content = render::text::shorten(
                line,
                render::discord::CONTENT_LIMIT,
                render::text::code_point,
            )
            .into_owned();
            vec![Outbound::Discord(render::discord::Message {
                content: Some(content),
                embeds: vec![render::discord::paper_embed(entry, language)],
                allowed_mentions: render::discord::AllowedMentions { parse: Vec::new() },
            })]
        }
        Platform::Telegram => render::telegram::paper_with_line(entry, language, line)
            .into_iter()
            .map(Outbound::Telegram)
            .collect(),
    };
    for message in &messages {
        if let Err(not_sent) = engine.send_now_detailed(owner, message).await? {
            return Ok(Err(not_sent));
        }
    }
    Ok(Ok(()))
}
