//! Matching a paper against every rule at once.
//!
//! Checking 100,000 rules one by one means 100,000 searches per paper. Instead the index
//! puts every distinct term of every rule into one Aho-Corasick automaton, scans a paper's
//! normalised text once, and so learns in which fields each term occurs. From that it keeps
//! only the rules whose required terms were all seen (candidates), and evaluates exactly
//! those. Rules that require no term (say `upvotes>=100`, or `a OR -b`) are always candidates.
//! The index is immutable: when rules change, build a new one (100,000 rules take well under a
//! second).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::matcher::hits;
use super::normalize::PaperText;
use super::{matches_naive, AlertRule, ChatRef, Expr, Hit, Match, Term};
use crate::domain::Paper;

/// At most this many required clauses are tracked per rule (one bit each). Rules have at most
/// [`MAX_TERMS`](super::MAX_TERMS) terms, so this never drops one; if it did, the rule would
/// only become a candidate more often, never be missed.
const MAX_CLAUSES: usize = 32;

/// Every rule of every person, ready to match papers against. Cheap to share between
/// threads (`&self` everywhere); rebuild it when rules change.
pub struct RuleIndex {
    entries: Vec<(ChatRef, usize, AlertRule)>,
    /// `None` only when the automaton could not be built (too large); matching then falls
    /// back to [`matches_naive`], slower but the same answers.
    automaton: Option<AhoCorasick>,
    pattern_count: usize,
    /// For each rule, the pattern id of each of its terms, in depth-first order.
    term_patterns: Vec<Box<[u32]>>,
    /// For each rule, the bits of all its required clauses; 0 for rules that require nothing.
    required: Vec<u32>,
    /// For each pattern, the `(rule, clause bit)` pairs it satisfies: `postings[starts[p]..
    /// starts[p + 1]]`.
    starts: Vec<u32>,
    postings: Vec<(u32, u32)>,
    /// Rules that require no term.
    always: Vec<u32>,
}

impl RuleIndex {
    /// Indexes `(owner, rule id, rule)` entries. Rule ids are the caller's (the number a person
    /// sees in `/alert list`); they need not be unique across owners.
    pub fn build(rules: impl IntoIterator<Item = (ChatRef, usize, AlertRule)>) -> RuleIndex {
        let entries: Vec<_> = rules.into_iter().collect();
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut term_patterns = Vec::with_capacity(entries.len());
        for (_, _, rule) in &entries {
            let mut mine = Vec::new();
            for_each_term(&rule.expr, &mut |pattern| {
                let next = patterns.len() as u32;
                let id = *ids.entry(pattern).or_insert(next);
                if id == next {
                    patterns.push(pattern);
                }
                mine.push(id);
            });
            term_patterns.push(mine.into_boxed_slice());
        }

        let mut required = Vec::with_capacity(entries.len());
        let mut always = Vec::new();
        let mut per_pattern: Vec<Vec<(u32, u32)>> = vec![Vec::new(); patterns.len()];
        for (r, ((_, _, rule), mine)) in entries.iter().zip(&term_patterns).enumerate() {
            let mut clauses = clauses(&rule.expr, &mut 0, mine);
            clauses.truncate(MAX_CLAUSES);
            let mut all = 0u32;
            for (c, clause) in clauses.iter().enumerate() {
                let bit = 1u32 << c;
                all |= bit;
                for &p in clause {
                    per_pattern[p as usize].push((r as u32, bit));
                }
            }
            if all == 0 {
                always.push(r as u32);
            }
            required.push(all);
        }
        let mut starts = Vec::with_capacity(patterns.len() + 1);
        let mut postings = Vec::with_capacity(per_pattern.iter().map(Vec::len).sum());
        starts.push(0);
        for list in per_pattern {
            postings.extend(list);
            starts.push(postings.len() as u32);
        }

        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns);
        let automaton = match automaton {
            Ok(automaton) => Some(automaton),
            Err(error) => {
                tracing::warn!(%error, patterns = patterns.len(), "alert automaton not built, matching rule by rule");
                None
            }
        };
        let pattern_count = patterns.len();
        RuleIndex {
            entries,
            automaton,
            pattern_count,
            term_patterns,
            required,
            starts,
            postings,
            always,
        }
    }

    /// The indexed entries, in the order given to [`RuleIndex::build`].
    pub fn rules(&self) -> &[(ChatRef, usize, AlertRule)] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Who should hear about this paper and why: one [`Hit`] per owner with at least one
    /// matching rule, owners in order. Same answers as [`matches_naive`].
    pub fn matches(&self, paper: &Paper) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else {
            return matches_naive(&self.entries, paper);
        };
        let text = PaperText::new(paper);

        // Pass 1: in which fields does each pattern occur?
        let mut masks = vec![0u8; self.pattern_count];
        let mut seen = Vec::new();
        let Ok(found) = automaton.try_find_overlapping_iter(text.as_str()) else {
            // Only unsupported configurations fail, and this one (standard semantics,
            // unanchored) is supported; stay correct regardless.
            return matches_naive(&self.entries, paper);
        };
        for m in found {
            let p = m.pattern().as_usize();
            if masks[p] == 0 {
                seen.push(p);
            }
            masks[p] |= text.field_bit_at(m.start());
        }

        // Pass 2: which rules had every required clause satisfied?
        let mut satisfied = vec![0u32; self.entries.len()];
        let mut touched = Vec::new();
        for p in seen {
            let (from, to) = (self.starts[p] as usize, self.starts[p + 1] as usize);
            for &(rule, bit) in &self.postings[from..to] {
                let s = &mut satisfied[rule as usize];
                if *s == 0 {
                    touched.push(rule);
                }
                *s |= bit;
            }
        }
        let candidates = touched
            .into_iter()
            .filter(|&r| satisfied[r as usize] == self.required[r as usize])
            .chain(self.always.iter().copied());

        // Pass 3: exact evaluation of the candidates only.
        let mut matched: Vec<(usize, Match)> = Vec::new();
        for r in candidates {
            let r = r as usize;
            let (_, _, rule) = &self.entries[r];
            let patterns = &self.term_patterns[r];
            let mask = |n: usize, _: &Term| patterns.get(n).map_or(0, |&p| masks[p as usize]);
            if rule.evaluate_with(paper.upvotes, mask) {
                matched.push((r, rule.explain(&text, mask)));
            }
        }
        hits(&self.entries, matched)
    }
}

impl std::fmt::Debug for RuleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleIndex")
            .field("rules", &self.entries.len())
            .field("patterns", &self.pattern_count)
            .field("always", &self.always.len())
            .finish()
    }
}

/// Calls `f` with each term's pattern, in depth-first order (the order terms are numbered).
fn for_each_term<'e>(expr: &'e Expr, f: &mut impl FnMut(&'e str)) {
    match expr {
        Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| for_each_term(x, f)),
        Expr::Not(x) => for_each_term(x, f),
        Expr::Term(term) => f(&term.pattern),
        Expr::Upvotes(_) => {}
    }
}

/// What must be in a paper for the rule to possibly match: clauses of pattern ids, each
/// needing at least one of its patterns to occur. `next_term` numbers terms depth-first;
/// `patterns` maps those numbers to pattern ids.
///
/// A term requires itself; `And` requires what each part requires; `Or` requires one of its
/// alternatives' requirements (their smallest clauses merged into one), and nothing if some
/// alternative requires nothing; an exclusion or `upvotes>=` requires nothing.
fn clauses(expr: &Expr, next_term: &mut usize, patterns: &[u32]) -> Vec<Vec<u32>> {
    match expr {
        Expr::Term(_) => {
            let n = *next_term;
            *next_term += 1;
            patterns.get(n).map(|&p| vec![vec![p]]).unwrap_or_default()
        }
        Expr::Upvotes(_) => Vec::new(),
        Expr::Not(x) => {
            // Its terms still take their numbers.
            clauses(x, next_term, patterns);
            Vec::new()
        }
        Expr::And(xs) => {
            let mut all = Vec::new();
            for x in xs {
                all.extend(clauses(x, next_term, patterns));
            }
            all
        }
        Expr::Or(xs) => {
            let alternatives: Vec<_> = xs.iter().map(|x| clauses(x, next_term, patterns)).collect();
            let mut merged = Vec::new();
            for alternative in alternatives {
                match alternative.into_iter().min_by_key(Vec::len) {
                    Some(clause) => merged.extend(clause),
                    None => return Vec::new(),
                }
            }
            merged.sort_unstable();
            merged.dedup();
            vec![merged]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample;
    use proptest::prelude::*;

    fn rule(s: &str) -> AlertRule {
        AlertRule::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn paper(title: &str, abstract_text: &str, upvotes: u32) -> Paper {
        let mut p = sample::paper("2601.00002", upvotes);
        p.title = title.into();
        p.abstract_text = abstract_text.into();
        p.authors = vec!["Yann LeCun".into(), "Ada Lovelace".into()];
        p.organization = Some("Meta AI".into());
        p.ai_keywords = vec!["world models".into()];
        p
    }

    #[test]
    fn one_hit_per_owner_naming_all_their_rules() {
        let alice = ChatRef::telegram(1);
        let bob = ChatRef::DiscordUser { user_id: 9 };
        let carol = ChatRef::telegram(3);
        let entries = vec![
            (alice.clone(), 1, rule("diffusion")),
            (alice.clone(), 2, rule("author:lecun upvotes>=10")),
            (alice.clone(), 3, rule("audio")),
            (bob.clone(), 1, rule("upvotes>=5")),
            (bob.clone(), 2, rule("-audio OR speech")),
            (carol.clone(), 1, rule("diffusion -video")),
        ];
        let index = RuleIndex::build(entries.clone());
        let p = paper("Video Diffusion Models", "We generate videos.", 12);
        let hits = index.matches(&p);
        assert_eq!(hits, matches_naive(&entries, &p));
        assert_eq!(
            hits,
            vec![
                Hit {
                    owner: alice,
                    rule_ids: vec![1, 2],
                    reasons: vec![
                        "title: diffusion".into(),
                        "author: Yann LeCun".into(),
                        "upvotes: 12".into()
                    ],
                },
                Hit {
                    owner: bob,
                    rule_ids: vec![1, 2],
                    reasons: vec!["upvotes: 12".into()],
                },
            ]
        );
        assert_eq!(index.len(), 6);
    }

    #[test]
    fn rules_without_text_terms_still_match() {
        let owner = ChatRef::telegram(1);
        let index = RuleIndex::build([
            (owner.clone(), 1, rule("upvotes>=100")),
            (owner.clone(), 2, rule("author:\"Ada Lovelace\" upvotes>=3")),
        ]);
        let hits = index.matches(&paper("Anything", "at all", 3));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].rule_ids, vec![2]);
        assert_eq!(
            index.matches(&paper("Anything", "at all", 100))[0].rule_ids,
            vec![1, 2]
        );
        assert!(RuleIndex::build([]).matches(&paper("a", "b", 1)).is_empty());
    }

    #[test]
    fn field_scopes_hold_in_the_index() {
        let owner = ChatRef::telegram(1);
        let index = RuleIndex::build([
            (owner.clone(), 1, rule("author:meta")),
            (owner.clone(), 2, rule("org:lecun")),
            (owner.clone(), 3, rule("org:meta author:ada")),
        ]);
        let hits = index.matches(&paper("t", "a", 0));
        assert_eq!(hits[0].rule_ids, vec![3]);
        assert_eq!(
            hits[0].reasons,
            vec!["org: Meta AI", "author: Ada Lovelace"]
        );
    }

    #[test]
    fn clauses_require_what_must_be_present() {
        let ids: Vec<u32> = (0..10).collect();
        let c = |s: &str| clauses(&rule(s).expr, &mut 0, &ids);
        assert_eq!(c("a b"), vec![vec![0], vec![1]]);
        assert_eq!(c("a OR b c"), vec![vec![0, 1], vec![2]]);
        assert_eq!(c("-a b"), vec![vec![1]]);
        assert_eq!(c("a OR -b"), Vec::<Vec<u32>>::new());
        assert_eq!(c("upvotes>=3"), Vec::<Vec<u32>>::new());
        assert_eq!(c("(a b) OR (c d e)"), vec![vec![0, 2]]);
    }

    // Small vocabularies so that random rules and papers actually meet.
    const WORDS: &[&str] = &[
        "diffusion",
        "model",
        "models",
        "video",
        "rl",
        "world",
        "RL-based",
        "agent",
        "agents",
        "process",
        "processes",
        "über",
        "Über",
        "확산",
        "λόγος",
        "ΛΌΓΟΣ",
        "graph",
        "lecun",
        "ada",
        "meta",
        "ai",
        "flow",
        "study",
        "studies",
    ];

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(WORDS).prop_map(str::to_string)
    }

    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => word(),
            2 => prop::collection::vec(word(), 2..4).prop_map(|w| format!("\"{}\"", w.join(" "))),
            1 => word().prop_map(|w| format!("-{w}")),
            1 => prop::collection::vec(word(), 1..3).prop_map(|w| format!("-\"{}\"", w.join(" "))),
            1 => prop::sample::select(&["author:lecun", "author:\"Yann LeCun\"", "author:ada", "author:meta"][..]).prop_map(str::to_string),
            1 => prop::sample::select(&["org:meta", "org:\"meta ai\"", "org:google"][..]).prop_map(str::to_string),
            1 => (0u32..8).prop_map(|n| format!("upvotes>={n}")),
        ]
    }

    fn rule_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                5 => leaf(),
                1 => (leaf(), leaf()).prop_map(|(a, b)| format!("{a} OR {b}")),
                1 => (leaf(), leaf(), leaf()).prop_map(|(a, b, c)| format!("({a} {b}) OR {c}")),
                1 => (leaf(), leaf()).prop_map(|(a, b)| format!("-({a} OR {b})")),
            ],
            1..4,
        )
        .prop_map(|items| items.join(" "))
    }

    fn text_of(words: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                6 => word(),
                1 => Just("-".to_string()),
                1 => Just(", ".to_string()),
                1 => Just("\n".to_string()),
            ],
            0..words,
        )
        .prop_map(|w| w.join(" "))
    }

    fn random_paper() -> impl Strategy<Value = Paper> {
        (
            text_of(6),
            text_of(30),
            prop::collection::vec(text_of(3), 0..3),
            prop::collection::vec(
                prop::sample::select(&["Yann LeCun", "Ada Lovelace", "Meta Ada", "Zoë Flow"][..]),
                0..3,
            ),
            prop::option::of(prop::sample::select(
                &["Meta AI", "Google", "ΛΌΓΟΣ Lab"][..],
            )),
            0u32..8,
        )
            .prop_map(|(title, abstract_text, keywords, authors, org, upvotes)| {
                let mut p = sample::paper("2601.00003", upvotes);
                p.title = title;
                p.abstract_text = abstract_text;
                p.ai_keywords = keywords;
                p.authors = authors.into_iter().map(str::to_string).collect();
                p.organization = org.map(str::to_string);
                p
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn index_agrees_with_the_naive_scan(
            texts in prop::collection::vec((0i64..5, 1usize..4, rule_text()), 0..40),
            papers in prop::collection::vec(random_paper(), 1..4),
        ) {
            let entries: Vec<_> = texts
                .iter()
                .filter_map(|(owner, id, text)| {
                    AlertRule::parse(text).ok().map(|r| (ChatRef::telegram(*owner), *id, r))
                })
                .collect();
            let index = RuleIndex::build(entries.clone());
            for paper in &papers {
                let naive = matches_naive(&entries, paper);
                let fast = index.matches(paper);
                prop_assert_eq!(&fast, &naive, "{:?}", paper);
                // Each matching rule alone matches too, and a non-matching one does not.
                for (owner, id, rule) in &entries {
                    let hit = naive.iter().find(|h| h.owner == *owner);
                    if rule.matches(paper).is_some() {
                        prop_assert!(hit.is_some_and(|h| h.rule_ids.contains(id)));
                    }
                }
            }
        }
    }

    #[test]
    fn random_rules_do_match_sometimes() {
        // Guards the property test above against vacuity: its generators must produce
        // matches and non-matches.
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let (mut matched, mut missed) = (0, 0);
        for _ in 0..300 {
            let text = rule_text().new_tree(&mut runner).unwrap().current();
            let paper = random_paper().new_tree(&mut runner).unwrap().current();
            if let Ok(rule) = AlertRule::parse(&text) {
                match rule.matches(&paper) {
                    Some(_) => matched += 1,
                    None => missed += 1,
                }
            }
        }
        assert!(
            matched > 20 && missed > 20,
            "matched {matched}, missed {missed}"
        );
    }
}
