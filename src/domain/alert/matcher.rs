//! Exact evaluation of one rule against one paper, and the obvious rule-by-rule scan.
//!
//! The syntax tree is evaluated here; [`RuleIndex`](super::RuleIndex) evaluates a compiled
//! form of the same tree, and the reasons of a match are written here for both, so the two
//! paths agree by construction where they can and by a property test where they cannot.

use super::normalize::PaperText;
use super::{AlertRule, ChatRef, Expr, Field, Hit, Match, Reason, Term};
use crate::domain::Paper;

impl AlertRule {
    /// Whether this rule matches the paper, and why.
    pub fn matches(&self, paper: &Paper) -> Option<Match> {
        self.matches_text(&PaperText::new(paper))
    }

    pub(super) fn matches_text(&self, text: &PaperText<'_>) -> Option<Match> {
        // One substring search answers "is it in my scope": the scope's own field for
        // author: and org:, anywhere for the rest. The full mask is only needed for reasons.
        let mut occurs = |term: &Term| match term.scope.bits() {
            Field::ALL_BITS if text.contains(&term.pattern) => Field::ALL_BITS,
            Field::ALL_BITS => 0,
            bit if text.contains_in(bit, &term.pattern) => bit,
            _ => 0,
        };
        if !evaluate(&self.expr, text.paper.upvotes, &mut occurs) {
            return None;
        }
        Some(self.explain(text, |_, term| text.mask(&term.pattern)))
    }

    /// The reasons of a rule known to match; `mask` gives the fields each term (numbered in
    /// depth-first order) occurs in.
    fn explain(&self, text: &PaperText<'_>, mask: impl FnMut(usize, &Term) -> u8) -> Match {
        let mut reasons: Vec<Reason> = Vec::new();
        self.for_each_reason(text, mask, |field, text| {
            if !reasons.iter().any(|r| r.field == field && r.text == text) {
                reasons.push(Reason {
                    field,
                    text: text.to_string(),
                });
            }
        });
        Match { reasons }
    }

    /// Calls `found` with each reason of a rule known to match, in the rule's order, repeats
    /// included; `mask` gives the fields each term (numbered in depth-first order) occurs in.
    pub(super) fn for_each_reason(
        &self,
        text: &PaperText<'_>,
        mut mask: impl FnMut(usize, &Term) -> u8,
        mut found: impl FnMut(Field, &str),
    ) {
        visit_reasons(&self.expr, true, text, &mut 0, &mut mask, &mut found);
    }
}

/// Evaluates the rule's tree; `occurs` says in which fields a term occurs.
fn evaluate(expr: &Expr, upvotes: u32, occurs: &mut impl FnMut(&Term) -> u8) -> bool {
    match expr {
        Expr::And(xs) => xs.iter().all(|x| evaluate(x, upvotes, occurs)),
        Expr::Or(xs) => xs.iter().any(|x| evaluate(x, upvotes, occurs)),
        Expr::Not(x) => !evaluate(x, upvotes, occurs),
        Expr::Term(term) => occurs(term) & term.scope.bits() != 0,
        Expr::Upvotes(min) => upvotes >= *min,
    }
}

/// Collects the reasons of the included terms that occur, numbering every term depth-first
/// (the numbering [`RuleIndex`](super::RuleIndex) keeps its pattern ids in).
fn visit_reasons(
    expr: &Expr,
    included: bool,
    text: &PaperText<'_>,
    next_term: &mut usize,
    mask: &mut impl FnMut(usize, &Term) -> u8,
    found: &mut impl FnMut(Field, &str),
) {
    match expr {
        Expr::And(xs) | Expr::Or(xs) => {
            for x in xs {
                visit_reasons(x, included, text, next_term, mask, found);
            }
        }
        Expr::Not(x) => visit_reasons(x, false, text, next_term, mask, found),
        Expr::Term(term) => {
            let n = *next_term;
            *next_term += 1;
            if included {
                let bits = mask(n, term) & term.scope.bits();
                if let Some((field, shown)) = reason(term, bits, text) {
                    found(field, shown);
                }
            }
        }
        Expr::Upvotes(min) => {
            let upvotes = text.paper.upvotes;
            if included && upvotes >= *min {
                found(Field::Upvotes, &upvotes.to_string());
            }
        }
    }
}

/// The reason for a term found in the fields `bits`: the first such field, in
/// [`Field::SEARCHED`] order, and what to show for it.
fn reason<'a>(term: &'a Term, bits: u8, text: &PaperText<'a>) -> Option<(Field, &'a str)> {
    let field = first_field(bits)?;
    Some((field, shown(field, &term.pattern, &term.raw, text)?))
}

/// The first field of `bits` in [`Field::SEARCHED`] order: the one a reason names.
pub(super) fn first_field(bits: u8) -> Option<Field> {
    Field::SEARCHED
        .into_iter()
        .find(|field| bits & field.bit() != 0)
}

/// What a reason shows for a term (`raw` as typed, searched as `pattern`) found in `field`:
/// the paper's own keyword, author name or organisation, else the term as typed.
pub(super) fn shown<'a>(
    field: Field,
    pattern: &str,
    raw: &'a str,
    text: &PaperText<'a>,
) -> Option<&'a str> {
    match field {
        Field::Keyword => text.keyword_with(pattern),
        Field::Author => text.author_with(pattern),
        Field::Org => Some(text.paper.organization.as_deref()?.trim()),
        Field::Title | Field::Abstract | Field::Upvotes => Some(raw),
    }
}

/// Checks every rule against the paper, one after the other.
///
/// Same answers as [`RuleIndex::matches`](super::RuleIndex::matches), in the same order; it
/// is the reference the index is tested against and the baseline it is benchmarked against.
pub fn matches_naive(rules: &[(ChatRef, usize, AlertRule)], paper: &Paper) -> Vec<Hit> {
    let text = PaperText::new(paper);
    let matched = rules
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, rule))| rule.matches_text(&text).map(|m| (i, m)))
        .collect();
    hits(rules, matched)
}

/// One [`Hit`] per owner, owners in order, from `(entry index, match)` pairs in any order.
pub(super) fn hits(
    rules: &[(ChatRef, usize, AlertRule)],
    mut matched: Vec<(usize, Match)>,
) -> Vec<Hit> {
    matched.sort_by(|(a, _), (b, _)| {
        let (owner_a, id_a, _) = &rules[*a];
        let (owner_b, id_b, _) = &rules[*b];
        (owner_a, id_a, a).cmp(&(owner_b, id_b, b))
    });
    group(rules, matched)
}

/// [`hits`] for pairs already ordered by owner, rule id and entry index.
fn group(rules: &[(ChatRef, usize, AlertRule)], matched: Vec<(usize, Match)>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::new();
    for (i, found) in matched {
        let (owner, rule_id, _) = &rules[i];
        let hit = hit_for(&mut out, owner, *rule_id);
        for reason in found.reasons {
            push_reason(&mut hit.reasons, reason.field, &reason.text);
        }
    }
    out
}

/// The hit of `owner` with `rule_id` noted in it: the last one of `out` when it is that
/// owner's (matches come ordered by owner), else a new one.
fn hit_for<'h>(out: &'h mut Vec<Hit>, owner: &ChatRef, rule_id: usize) -> &'h mut Hit {
    if out.last().is_none_or(|hit| hit.owner != *owner) {
        out.push(Hit {
            owner: owner.clone(),
            rule_ids: Vec::with_capacity(1),
            reasons: Vec::with_capacity(2),
        });
    }
    let last = out.len() - 1;
    let hit = &mut out[last];
    if hit.rule_ids.last() != Some(&rule_id) {
        hit.rule_ids.push(rule_id);
    }
    hit
}

/// Appends `field: text` (the [`Reason`] Display form) unless it is already there.
pub(super) fn push_reason(lines: &mut Vec<String>, field: Field, text: &str) {
    let field = field.as_str();
    let same = |line: &String| {
        line.len() == field.len() + 2 + text.len()
            && line.starts_with(field)
            && line.ends_with(text)
            && line[field.len()..].starts_with(": ")
    };
    if !lines.iter().any(same) {
        let mut line = String::with_capacity(field.len() + 2 + text.len());
        line.push_str(field);
        line.push_str(": ");
        line.push_str(text);
        lines.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample;

    fn paper() -> Paper {
        let mut p = sample::paper("2601.00001", 42);
        p.title = "Diffusion-Models for RL-based World Simulation".into();
        p.abstract_text = "We train video diffusion models with reinforcement learning. \
                           Our processes scale to many GPUs."
            .into();
        p.ai_keywords = vec!["world models".into(), "video generation".into()];
        p.authors = vec!["Yann LeCun".into(), "Zoë Müller".into(), "김민준".into()];
        p.organization = Some("Meta AI".into());
        p
    }

    fn hit(rule: &str, paper: &Paper) -> Option<String> {
        let rule = AlertRule::parse(rule).unwrap_or_else(|e| panic!("{rule:?}: {e}"));
        rule.matches(paper).map(|m| m.to_string())
    }

    fn is_hit(rule: &str, paper: &Paper) -> bool {
        hit(rule, paper).is_some()
    }

    #[test]
    fn terms_must_all_match() {
        let p = paper();
        assert!(is_hit("diffusion video", &p));
        assert!(!is_hit("diffusion audio", &p));
    }

    #[test]
    fn word_boundaries() {
        let mut p = paper();
        assert!(is_hit("rl", &p), "RL-based");
        p.title = "Hello world".into();
        p.abstract_text = "A worldly RLHF study".into();
        assert!(!is_hit("rl", &p), "world, RLHF");
        p.abstract_text = "Scaling RL for agents".into();
        assert!(is_hit("rl", &p));
        assert!(is_hit("RL", &p));
        assert!(!is_hit("scal", &p));
    }

    #[test]
    fn hyphens_and_plurals() {
        let p = paper();
        assert!(is_hit("\"diffusion model\"", &p));
        assert!(is_hit("diffusion-model", &p));
        assert!(is_hit("\"Diffusion Models\"", &p));
        assert!(is_hit("process", &p), "processes");
        assert!(is_hit("GPU", &p));
        assert!(is_hit("\"world model\"", &p), "keyword plural");
        let mut p = paper();
        p.title = "Diffusion modeling".into();
        p.abstract_text = "Nothing".into();
        p.ai_keywords.clear();
        assert!(!is_hit("\"diffusion model\"", &p));
    }

    #[test]
    fn phrases_need_adjacent_words_in_one_field() {
        let p = paper();
        assert!(!is_hit("\"video reinforcement\"", &p));
        assert!(
            !is_hit("\"simulation we\"", &p),
            "title end + abstract start"
        );
        assert!(!is_hit("\"lecun zoë\"", &p), "two authors");
    }

    #[test]
    fn unicode() {
        let mut p = paper();
        p.title = "Über große Sprachmodelle: ΜΆΘΗΣΗ και ΛΌΓΟΣ".into();
        p.abstract_text = "확산 모델을 사용한 비디오 생성".into();
        assert!(is_hit("über", &p));
        assert!(is_hit("ÜBER", &p));
        assert!(is_hit("GROSSE OR große", &p));
        assert!(is_hit("μάθηση", &p));
        assert!(is_hit("λόγος", &p), "final sigma");
        assert!(is_hit("확산", &p));
        assert!(is_hit("\"비디오 생성\"", &p));
        assert!(!is_hit("모델", &p), "a particle is part of the word");
        assert!(is_hit("author:müller", &p));
        assert!(is_hit("author:김민준", &p));
        assert!(!is_hit("uber", &p), "no accent folding");
    }

    #[test]
    fn exclusions() {
        let p = paper();
        assert!(is_hit("diffusion -survey", &p));
        assert!(!is_hit("diffusion -video", &p));
        assert!(!is_hit("diffusion -\"reinforcement learning\"", &p));
        assert!(is_hit("diffusion -\"learning reinforcement\"", &p));
        assert!(!is_hit("diffusion -(survey OR gpu)", &p));
        assert!(!is_hit("diffusion -author:lecun", &p));
        assert!(is_hit("diffusion -org:google", &p));
    }

    #[test]
    fn or_and_grouping() {
        let p = paper();
        assert!(is_hit("audio OR video diffusion", &p));
        assert!(!is_hit("audio OR speech diffusion", &p));
        assert!(is_hit("(audio OR video) diffusion", &p));
        assert!(is_hit("audio OR (video diffusion)", &p));
        assert!(!is_hit("audio OR (video speech)", &p));
        // (diffusion OR flow) AND video, not diffusion OR (flow AND video).
        let mut q = paper();
        q.title = "Diffusion".into();
        q.abstract_text = "Images only".into();
        q.ai_keywords.clear();
        assert!(!is_hit("diffusion OR flow video", &q));
    }

    #[test]
    fn upvotes_threshold() {
        let mut p = paper();
        p.upvotes = 49;
        assert!(!is_hit("diffusion upvotes>=50", &p));
        p.upvotes = 50;
        assert_eq!(
            hit("diffusion upvotes>=50", &p).as_deref(),
            Some("title: diffusion; upvotes: 50")
        );
        p.upvotes = 51;
        assert!(is_hit("diffusion upvotes>=50", &p));
        assert!(is_hit("upvotes>=51", &p));
        assert!(!is_hit("upvotes>=52", &p));
        assert!(is_hit("diffusion -upvotes>=52", &p));
    }

    #[test]
    fn author_and_org_fields() {
        let p = paper();
        assert_eq!(
            hit("author:\"Yann LeCun\"", &p).as_deref(),
            Some("author: Yann LeCun")
        );
        assert_eq!(
            hit("author:lecun", &p).as_deref(),
            Some("author: Yann LeCun")
        );
        assert!(!is_hit("author:\"LeCun Yann\"", &p));
        assert!(
            !is_hit("author:diffusion", &p),
            "author: searches only authors"
        );
        assert_eq!(hit("org:meta", &p).as_deref(), Some("org: Meta AI"));
        assert!(!is_hit("org:lecun", &p));
        // Unprefixed terms search authors and the organisation too.
        assert_eq!(hit("lecun", &p).as_deref(), Some("author: Yann LeCun"));
        assert_eq!(hit("\"meta ai\"", &p).as_deref(), Some("org: Meta AI"));
        let mut no_org = paper();
        no_org.organization = None;
        assert!(!is_hit("org:meta", &no_org));
    }

    #[test]
    fn reasons_name_the_first_field_and_skip_exclusions() {
        let p = paper();
        assert_eq!(
            hit("Diffusion-Model generation -survey", &p).as_deref(),
            Some("title: Diffusion-Model; keyword: video generation")
        );
        assert_eq!(
            hit("\"reinforcement learning\"", &p).as_deref(),
            Some("abstract: reinforcement learning")
        );
        assert_eq!(
            hit("-survey OR speech video", &p).as_deref(),
            Some("keyword: video generation")
        );
    }

    #[test]
    fn rules_know_whether_they_wait_for_upvotes() {
        assert!(AlertRule::parse("llm upvotes>=5").unwrap().has_upvotes());
        assert!(AlertRule::parse("llm -(upvotes>=5 OR x)")
            .unwrap()
            .has_upvotes());
        assert!(!AlertRule::parse("llm author:x").unwrap().has_upvotes());
    }

    #[test]
    fn naive_scan_groups_by_owner() {
        let alice = ChatRef::telegram(1);
        let bob = ChatRef::telegram(2);
        let rule = |s: &str| AlertRule::parse(s).unwrap();
        let rules = vec![
            (bob.clone(), 7, rule("video")),
            (alice.clone(), 3, rule("author:lecun")),
            (alice.clone(), 1, rule("diffusion")),
            (alice.clone(), 2, rule("audio")),
            (bob.clone(), 7, rule("video")),
        ];
        let hits = matches_naive(&rules, &paper());
        assert_eq!(
            hits,
            vec![
                Hit {
                    owner: alice,
                    rule_ids: vec![1, 3],
                    reasons: vec!["title: diffusion".into(), "author: Yann LeCun".into()],
                },
                Hit {
                    owner: bob,
                    rule_ids: vec![7],
                    reasons: vec!["keyword: video generation".into()],
                },
            ]
        );
    }
}
