//! Personal keyword alerts: the rule language and the matcher (issue "keyword alerts").
//!
//! A person keeps a few rules such as `"diffusion model" video -survey` or
//! `author:"Yann LeCun" upvotes>=50`; every paper of the day is checked against everyone's
//! rules, and each person whose rules match hears about it once, with the reasons. This
//! module is the pure part: [`AlertRule`] (the typed rule, parsed from text and printed back in
//! a canonical form), [`AlertRule::matches`] for one rule, and [`RuleIndex`] for all rules at
//! once, which stays fast with hundreds of thousands of rules. [`matches_naive`] is the
//! obvious rule-by-rule scan; it gives the same answers and exists to prove that.
//!
//! The language: terms separated by spaces must all match; `"quoted phrases"`; `a OR b` (OR
//! binds tighter than the spaces: `diffusion OR flow video` is `(diffusion OR flow) video`);
//! parentheses; `-term` or `-"phrase"` excludes; `author:Name`, `author:"Full Name"`,
//! `org:name`, `org:"Full Name"`; `upvotes>=N`. Matching is case-insensitive, on word
//! boundaries, and tolerant of hyphens and simple plurals: `models`, `processes` and
//! `studies` fold to their singular, for rules and papers alike (normalize.rs).

mod index;
mod matcher;
mod normalize;
mod parse;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ChatRef;

pub use index::RuleIndex;
pub use matcher::matches_naive;
pub use parse::{RuleError, RuleErrorKind, DEFAULT_MAX_CHARS, MAX_TERMS};

/// One person's alert rule, parsed and validated.
///
/// Its [`Display`](fmt::Display) form is canonical (`diffusion OR flow video`,
/// `author:"Yann LeCun"`), parses back to an equal rule, and is what the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AlertRule {
    expr: Expr,
}

/// The rule's syntax tree. `And` and `Or` never directly contain their own kind and have at
/// least two children: the parser flattens them, which keeps the canonical form unique.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Term(Term),
    /// The paper has at least this many upvotes.
    Upvotes(u32),
}

/// Words to look for, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    scope: Scope,
    /// As the user typed it, without quotes and with runs of spaces made one: shown back in
    /// rule lists and in reasons.
    raw: String,
    /// The searchable form, ` w1 w2 `, from the normalisation shared with paper text.
    pattern: String,
}

/// Which fields a term searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Title, keywords, abstract, authors and organisation.
    Any,
    Author,
    Org,
}

impl Scope {
    /// The field bits a match must fall in.
    fn bits(self) -> u8 {
        match self {
            Scope::Any => Field::ALL_BITS,
            Scope::Author => Field::Author.bit(),
            Scope::Org => Field::Org.bit(),
        }
    }
}

/// Where in a paper a rule found what it looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Keyword,
    Abstract,
    Author,
    Org,
    Upvotes,
}

impl Field {
    /// The searched fields, in the order a reason names the first one a term occurs in.
    const SEARCHED: [Field; 5] = [
        Field::Title,
        Field::Keyword,
        Field::Abstract,
        Field::Author,
        Field::Org,
    ];
    const ALL_BITS: u8 = 0b1_1111;

    /// One bit per searched field, so the fields a term occurs in fit in a byte.
    fn bit(self) -> u8 {
        match self {
            Field::Title => 1,
            Field::Keyword => 2,
            Field::Abstract => 4,
            Field::Author => 8,
            Field::Org => 16,
            Field::Upvotes => 0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Keyword => "keyword",
            Field::Abstract => "abstract",
            Field::Author => "author",
            Field::Org => "org",
            Field::Upvotes => "upvotes",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a rule found: `title: diffusion model`, `author: Yann LeCun`, `upvotes: 57`.
///
/// For the title and abstract the text is the term as the user wrote it; for a keyword, an
/// author or the organisation it is the paper's own spelling, which reads better.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reason {
    pub field: Field,
    pub text: String,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.text)
    }
}

/// Why a rule matched a paper, so the alert can say so.
///
/// The reasons are the included terms found (excluded ones are absent by definition), in the
/// rule's order, without repeats. A rule that matched only through an exclusion inside `OR`
/// has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub reasons: Vec<Reason>,
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, reason) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{reason}")?;
        }
        Ok(())
    }
}

/// Everything one person should hear about one paper: one message, however many of their
/// rules matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub owner: ChatRef,
    /// The matching rules' ids, ascending, without repeats.
    pub rule_ids: Vec<usize>,
    /// The reasons of all those rules (see [`Reason`]'s Display), in rule order, without
    /// repeats.
    pub reasons: Vec<String>,
}

impl AlertRule {
    /// Parses a rule of at most [`DEFAULT_MAX_CHARS`] characters.
    pub fn parse(text: &str) -> Result<AlertRule, RuleError> {
        AlertRule::parse_with_max(text, DEFAULT_MAX_CHARS)
    }

    /// Parses a rule of at most `max_chars` characters (the configured limit).
    pub fn parse_with_max(text: &str, max_chars: usize) -> Result<AlertRule, RuleError> {
        parse::parse(text, max_chars).map(|expr| AlertRule { expr })
    }

    /// True when the rule looks at upvotes, so a paper it did not match may match later as
    /// its count grows.
    pub fn has_upvotes(&self) -> bool {
        fn walk(expr: &Expr) -> bool {
            match expr {
                Expr::And(xs) | Expr::Or(xs) => xs.iter().any(walk),
                Expr::Not(x) => walk(x),
                Expr::Term(_) => false,
                Expr::Upvotes(_) => true,
            }
        }
        walk(&self.expr)
    }
}

impl fmt::Display for AlertRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        parse::write_expr(f, &self.expr)
    }
}

impl FromStr for AlertRule {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AlertRule::parse(s)
    }
}

/// Stored rules were validated when they were added; a later, smaller configured limit must
/// not make them unreadable, so reading them back checks everything but the length.
impl TryFrom<String> for AlertRule {
    type Error = RuleError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AlertRule::parse_with_max(&value, usize::MAX)
    }
}

impl From<AlertRule> for String {
    fn from(value: AlertRule) -> Self {
        value.to_string()
    }
}
