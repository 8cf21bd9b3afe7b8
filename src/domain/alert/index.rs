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

use super::matcher::{first_field, push_reason, shown};
use super::normalize::PaperText;
use super::{matches_naive, AlertRule, ChatRef, Expr, Field, Hit};
use crate::domain::Paper;

/// At most this many required clauses are tracked per rule (one bit each). Rules have at most
/// [`MAX_TERMS`](super::MAX_TERMS) terms, so this never drops one; if it did, the rule would
/// only become a candidate more often, never be missed.
const MAX_CLAUSES: usize = 32;

/// Every rule of every person, ready to match papers against. Cheap to share between
/// threads (`&self` everywhere); rebuild it when rules change.
///
/// With many rules the exact step is bound by memory, not arithmetic: each candidate is a
/// different rule, far from the last one. So everything it needs is compiled into one small
/// record per rule plus one contiguous run of steps, instead of chasing a syntax tree, an
/// owner and a rule id through the heap.
pub struct RuleIndex {
    /// Sorted by owner, then rule id, so that one owner's matches are adjacent.
    entries: Vec<(ChatRef, usize, AlertRule)>,
    /// `None` only when the automaton could not be built (too large); matching then falls
    /// back to [`matches_naive`], slower but the same answers.
    automaton: Option<AhoCorasick>,
    /// The distinct terms' searchable forms, by pattern id.
    patterns: Vec<Box<str>>,
    /// One record per entry, in the same order.
    compiled: Vec<Compiled>,
    /// The distinct owners, in order.
    owners: Vec<ChatRef>,
    /// Every rule's steps: its postfix evaluation, then what a match shows.
    steps: Vec<Step>,
    /// The terms as typed, which `Step::Show` ranges point into.
    raws: String,
    /// For each pattern, the `(rule, clause bit)` pairs it satisfies: `postings[starts[p]..
    /// starts[p + 1]]`.
    starts: Vec<u32>,
    postings: Vec<(u32, u32)>,
    /// Rules that require no term.
    always: Vec<u32>,
}

/// What the exact step needs of one rule.
#[derive(Debug, Clone, Copy)]
struct Compiled {
    rule_id: usize,
    /// The bits of all its required clauses; 0 when it requires nothing.
    required: u32,
    /// Index into `RuleIndex::owners`.
    owner: u32,
    /// `steps[first..first + evaluate]` evaluates the rule; the next `show` steps are its
    /// possible reasons.
    first: u32,
    evaluate: u32,
    show: u32,
}

/// One step of a compiled rule. Evaluation runs on a stack of booleans; `Show` steps list
/// the included terms and thresholds in the order [`AlertRule`]'s reasons visit them.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Push whether the pattern occurs in one of the fields `bits`.
    Term {
        pattern: u32,
        bits: u8,
    },
    /// Push whether the paper has at least this many upvotes.
    Upvotes(u32),
    Not,
    /// Replace the top `n` values by their conjunction (`And`) or disjunction (`Or`).
    And(u32),
    Or(u32),
    /// An included term: its pattern, its fields, its text as typed (a byte range of
    /// `RuleIndex::raws`).
    Show {
        pattern: u32,
        bits: u8,
        raw: (u32, u32),
    },
    /// An included `upvotes>=`.
    ShowUpvotes(u32),
}

impl RuleIndex {
    /// Indexes `(owner, rule id, rule)` entries. Rule ids are the caller's (the number a person
    /// sees in `/alert list`); they need not be unique across owners.
    pub fn build(rules: impl IntoIterator<Item = (ChatRef, usize, AlertRule)>) -> RuleIndex {
        let mut entries: Vec<_> = rules.into_iter().collect();
        // Stable, so equal (owner, id) pairs keep their order, as in `matches_naive`.
        entries.sort_by(|(a, i, _), (b, j, _)| (a, i).cmp(&(b, j)));

        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut term_ids = Vec::new();
        let mut owners: Vec<ChatRef> = Vec::new();
        let mut compiled = Vec::with_capacity(entries.len());
        let mut steps = Vec::new();
        let mut raws = String::new();
        let mut always = Vec::new();
        let mut per_pattern: Vec<Vec<(u32, u32)>> = Vec::new();
        for (r, (owner, rule_id, rule)) in entries.iter().enumerate() {
            term_ids.clear();
            for_each_term(&rule.expr, &mut |pattern| {
                let next = patterns.len() as u32;
                let id = *ids.entry(pattern).or_insert(next);
                if id == next {
                    patterns.push(pattern);
                    per_pattern.push(Vec::new());
                }
                term_ids.push(id);
            });
            if owners.last() != Some(owner) {
                owners.push(owner.clone());
            }

            let mut clauses = clauses(&rule.expr, &mut 0, &term_ids);
            clauses.truncate(MAX_CLAUSES);
            let mut required = 0u32;
            for (c, clause) in clauses.iter().enumerate() {
                let bit = 1u32 << c;
                required |= bit;
                for &p in clause {
                    per_pattern[p as usize].push((r as u32, bit));
                }
            }
            if required == 0 {
                always.push(r as u32);
            }

            let first = steps.len();
            compile(&rule.expr, &mut 0, &term_ids, &mut steps);
            let evaluate = steps.len() - first;
            plan(&rule.expr, true, &mut 0, &term_ids, &mut raws, &mut steps);
            compiled.push(Compiled {
                rule_id: *rule_id,
                required,
                owner: owners.len().saturating_sub(1) as u32,
                first: first as u32,
                evaluate: evaluate as u32,
                show: (steps.len() - first - evaluate) as u32,
            });
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
                tracing::warn!(
                    %error,
                    patterns = patterns.len(),
                    "alert automaton not built, matching rule by rule"
                );
                None
            }
        };
        let patterns = patterns.into_iter().map(Box::from).collect();
        RuleIndex {
            entries,
            automaton,
            patterns,
            compiled,
            owners,
            steps,
            raws,
            starts,
            postings,
            always,
        }
    }

    /// The indexed entries, sorted by owner and then rule id.
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
        let mut masks = vec![0u8; self.patterns.len()];
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
        let mut satisfied = vec![0u32; self.compiled.len()];
        let mut candidates = Vec::new();
        for p in seen {
            let (from, to) = (self.starts[p] as usize, self.starts[p + 1] as usize);
            for &(rule, bit) in &self.postings[from..to] {
                let s = &mut satisfied[rule as usize];
                if *s == 0 {
                    candidates.push(rule);
                }
                *s |= bit;
            }
        }
        candidates.retain(|&r| satisfied[r as usize] == self.compiled[r as usize].required);
        candidates.extend_from_slice(&self.always);
        // Entry order is owner order: sorting here groups each owner's matches.
        candidates.sort_unstable();

        // Pass 3: exact evaluation of the candidates only, writing the hits as they come.
        // Many rules share a term, so where a term sits among the keywords or authors is
        // looked up once.
        let mut located: HashMap<(u32, Field), Option<&str>> = HashMap::new();
        let mut stack = Vec::with_capacity(MAX_CLAUSES);
        // Evaluating first, in a tight loop, lets the processor fetch several candidates'
        // steps from memory at once; the hits are written afterwards.
        candidates.retain(|&r| {
            let rule = &self.compiled[r as usize];
            let first = rule.first as usize;
            let steps = &self.steps[first..first + rule.evaluate as usize];
            run(steps, &masks, paper.upvotes, &mut stack)
        });
        let mut hits: Vec<Hit> = Vec::new();
        let mut last_owner = None;
        for r in candidates {
            let rule = &self.compiled[r as usize];
            let middle = (rule.first + rule.evaluate) as usize;
            let end = middle + rule.show as usize;
            if last_owner != Some(rule.owner) {
                last_owner = Some(rule.owner);
                hits.push(Hit {
                    owner: self.owners[rule.owner as usize].clone(),
                    rule_ids: Vec::with_capacity(1),
                    reasons: Vec::with_capacity(2),
                });
            }
            // Pushed above for this owner, if not earlier.
            let Some(hit) = hits.last_mut() else { continue };
            if hit.rule_ids.last() != Some(&rule.rule_id) {
                hit.rule_ids.push(rule.rule_id);
            }
            for step in &self.steps[middle..end] {
                match *step {
                    Step::Show { pattern, bits, raw } => {
                        let mask = masks.get(pattern as usize).copied().unwrap_or(0);
                        let Some(field) = first_field(mask & bits) else {
                            continue;
                        };
                        let raw = self.raws.get(raw.0 as usize..raw.1 as usize).unwrap_or("");
                        let found = match field {
                            Field::Keyword | Field::Author => {
                                *located.entry((pattern, field)).or_insert_with(|| {
                                    let pattern = self.patterns.get(pattern as usize);
                                    shown(field, pattern.map_or("", |p| p), raw, &text)
                                })
                            }
                            _ => shown(field, "", raw, &text),
                        };
                        if let Some(found) = found {
                            push_reason(&mut hit.reasons, field, found);
                        }
                    }
                    Step::ShowUpvotes(min) if paper.upvotes >= min => {
                        push_reason(&mut hit.reasons, Field::Upvotes, &paper.upvotes.to_string());
                    }
                    _ => {}
                }
            }
        }
        hits
    }
}

/// Evaluates a compiled rule. Each step pops what its operands pushed, so the stack holds
/// one value at the end.
fn run(steps: &[Step], masks: &[u8], upvotes: u32, stack: &mut Vec<bool>) -> bool {
    stack.clear();
    for step in steps {
        match *step {
            Step::Term { pattern, bits } => {
                stack.push(masks.get(pattern as usize).is_some_and(|m| m & bits != 0));
            }
            Step::Upvotes(min) => stack.push(upvotes >= min),
            Step::Not => {
                if let Some(top) = stack.last_mut() {
                    *top = !*top;
                }
            }
            Step::And(n) | Step::Or(n) => {
                let at = stack.len().saturating_sub(n as usize);
                let operands = &stack[at..];
                let value = match step {
                    Step::And(_) => operands.iter().all(|&v| v),
                    _ => operands.iter().any(|&v| v),
                };
                stack.truncate(at);
                stack.push(value);
            }
            Step::Show { .. } | Step::ShowUpvotes(_) => {}
        }
    }
    stack.pop().unwrap_or(false)
}

/// Appends what a match of `expr` may show, in the order [`AlertRule`]'s reasons visit it:
/// included terms and thresholds.
fn plan(
    expr: &Expr,
    included: bool,
    next_term: &mut usize,
    patterns: &[u32],
    raws: &mut String,
    out: &mut Vec<Step>,
) {
    match expr {
        Expr::Term(term) => {
            let n = *next_term;
            *next_term += 1;
            if included {
                let start = raws.len() as u32;
                raws.push_str(&term.raw);
                out.push(Step::Show {
                    pattern: patterns.get(n).copied().unwrap_or(u32::MAX),
                    bits: term.scope.bits(),
                    raw: (start, raws.len() as u32),
                });
            }
        }
        Expr::Upvotes(min) => {
            if included {
                out.push(Step::ShowUpvotes(*min));
            }
        }
        Expr::Not(x) => plan(x, false, next_term, patterns, raws, out),
        Expr::And(xs) | Expr::Or(xs) => {
            for x in xs {
                plan(x, included, next_term, patterns, raws, out);
            }
        }
    }
}

/// Appends the postfix form of `expr`; `patterns` maps term numbers to pattern ids.
fn compile(expr: &Expr, next_term: &mut usize, patterns: &[u32], steps: &mut Vec<Step>) {
    match expr {
        Expr::Term(term) => {
            let n = *next_term;
            *next_term += 1;
            steps.push(Step::Term {
                // Every term has an id: `patterns` was filled from the same walk.
                pattern: patterns.get(n).copied().unwrap_or(u32::MAX),
                bits: term.scope.bits(),
            });
        }
        Expr::Upvotes(min) => steps.push(Step::Upvotes(*min)),
        Expr::Not(x) => {
            compile(x, next_term, patterns, steps);
            steps.push(Step::Not);
        }
        Expr::And(xs) | Expr::Or(xs) => {
            for x in xs {
                compile(x, next_term, patterns, steps);
            }
            let n = xs.len() as u32;
            steps.push(match expr {
                Expr::And(_) => Step::And(n),
                _ => Step::Or(n),
            });
        }
    }
}

impl std::fmt::Debug for RuleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleIndex")
            .field("rules", &self.entries.len())
            .field("patterns", &self.patterns.len())
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
