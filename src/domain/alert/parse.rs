//! Reading a rule from what a person typed, and writing it back in canonical form.
//!
//! People type rules on phones, so the parser forgives typography (curly quotes, dashes) and
//! case in field names, and otherwise says exactly what is wrong and where, as a character
//! offset from 0: `unexpected ")" at 14`.

use std::fmt;

use super::normalize::{pattern, plain_char};
use super::{Expr, Scope, Term};

/// The longest rule accepted when the caller does not configure one, in characters.
pub const DEFAULT_MAX_CHARS: usize = 300;

/// The most terms (including `upvotes>=N`) a rule may have: enough for any real interest,
/// few enough that evaluating a rule stays cheap.
pub const MAX_TERMS: usize = 20;

/// Parentheses deeper than this are refused, which also bounds the parser's recursion.
const MAX_DEPTH: usize = 8;

/// A rule that cannot be parsed: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Character offset (from 0) of the offending part of the rule.
    pub position: usize,
    pub kind: RuleErrorKind,
}

/// What is wrong with a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleErrorKind {
    Empty,
    TooLong {
        chars: usize,
        max: usize,
    },
    TooManyTerms {
        max: usize,
    },
    /// A token that cannot stand where it is: `)`, `OR` or `-`.
    Unexpected {
        token: String,
    },
    UnclosedQuote,
    UnclosedParen,
    EmptyQuotes,
    EmptyParens,
    /// A term made only of punctuation.
    NoWords {
        text: String,
    },
    OrNeedsTerms,
    DashNeedsTerm,
    FieldNeedsValue {
        field: &'static str,
    },
    /// `word:...` where word is not a known field (likely a typo for `author:`).
    UnknownField {
        name: String,
    },
    UpvotesNeedsNumber,
    TooDeep {
        max: usize,
    },
    /// Everything is excluded, so the rule would match nearly every paper.
    NothingIncluded,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.position;
        match &self.kind {
            RuleErrorKind::Empty => write!(f, "empty rule"),
            RuleErrorKind::TooLong { chars, max } => {
                write!(f, "rule is too long: {chars} characters, at most {max}")
            }
            RuleErrorKind::TooManyTerms { max } => {
                write!(f, "too many terms at {at}: at most {max}")
            }
            RuleErrorKind::Unexpected { token } => write!(f, "unexpected \"{token}\" at {at}"),
            RuleErrorKind::UnclosedQuote => write!(f, "unclosed quote at {at}"),
            RuleErrorKind::UnclosedParen => write!(f, "unclosed \"(\" at {at}"),
            RuleErrorKind::EmptyQuotes => write!(f, "empty quotes at {at}"),
            RuleErrorKind::EmptyParens => write!(f, "empty parentheses at {at}"),
            RuleErrorKind::NoWords { text } => {
                write!(f, "\"{text}\" has no letters or digits at {at}")
            }
            RuleErrorKind::OrNeedsTerms => write!(f, "\"OR\" needs a term on each side at {at}"),
            RuleErrorKind::DashNeedsTerm => {
                write!(f, "\"-\" needs a term right after it at {at}")
            }
            RuleErrorKind::FieldNeedsValue { field } => {
                let example = match *field {
                    "org" => "org:\"Google DeepMind\"",
                    _ => "author:\"Yann LeCun\"",
                };
                write!(f, "\"{field}:\" needs a name at {at}, e.g. {example}")
            }
            RuleErrorKind::UnknownField { name } => write!(
                f,
                "unknown field \"{name}:\" at {at}: use author:, org: or upvotes>=N, \
                 or put the text in quotes"
            ),
            RuleErrorKind::UpvotesNeedsNumber => {
                write!(f, "\"upvotes\" needs a number at {at}, e.g. upvotes>=50")
            }
            RuleErrorKind::TooDeep { max } => {
                write!(f, "too many nested parentheses at {at}: at most {max}")
            }
            RuleErrorKind::NothingIncluded => {
                write!(f, "a rule needs at least one term that is not excluded")
            }
        }
    }
}

impl std::error::Error for RuleError {}

fn error(position: usize, kind: RuleErrorKind) -> RuleError {
    RuleError { position, kind }
}

pub(super) fn parse(text: &str, max_chars: usize) -> Result<Expr, RuleError> {
    let chars: Vec<char> = text.chars().map(plain_char).collect();
    if chars.len() > max_chars {
        return Err(error(
            max_chars,
            RuleErrorKind::TooLong {
                chars: chars.len(),
                max: max_chars,
            },
        ));
    }
    if chars.iter().all(|c| c.is_whitespace()) {
        return Err(error(0, RuleErrorKind::Empty));
    }
    let tokens = lex(&chars)?;
    let mut parser = Parser { tokens, at: 0 };
    let items = parser.sequence(0, None)?;
    if items.is_empty() {
        return Err(error(0, RuleErrorKind::Empty));
    }
    let expr = all_of(items);
    if !includes_something(&expr) {
        return Err(error(0, RuleErrorKind::NothingIncluded));
    }
    Ok(expr)
}

/// True when some term is not under an exclusion.
fn includes_something(expr: &Expr) -> bool {
    match expr {
        Expr::And(xs) | Expr::Or(xs) => xs.iter().any(includes_something),
        Expr::Not(_) => false,
        Expr::Term(_) | Expr::Upvotes(_) => true,
    }
}

#[derive(Debug)]
enum Token {
    Open,
    Close,
    Or,
    Not,
    Leaf(Expr),
}

impl Token {
    fn text(&self) -> &'static str {
        match self {
            Token::Open => "(",
            Token::Close => ")",
            Token::Or => "OR",
            Token::Not => "-",
            Token::Leaf(_) => "term",
        }
    }
}

/// Where a bare word ends.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '(' | ')')
}

fn lex(chars: &[char]) -> Result<Vec<(Token, usize)>, RuleError> {
    let mut tokens = Vec::new();
    let mut leaves = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let token = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                Token::Open
            }
            ')' => {
                i += 1;
                Token::Close
            }
            '-' => {
                if chars.get(i + 1).is_none_or(|c| c.is_whitespace()) {
                    return Err(error(i, RuleErrorKind::DashNeedsTerm));
                }
                i += 1;
                Token::Not
            }
            '"' => {
                let (raw, next) = quoted(chars, i)?;
                i = next;
                Token::Leaf(term(Scope::Any, &raw, start)?)
            }
            _ => {
                let end = (i..chars.len())
                    .find(|&j| ends_word(chars[j]))
                    .unwrap_or(chars.len());
                let word: String = chars[i..end].iter().collect();
                i = end;
                if word == "OR" {
                    Token::Or
                } else if is_upvotes(&word) {
                    Token::Leaf(upvotes(&word, start)?)
                } else if let Some((prefix, value)) = word.split_once(':') {
                    let scope = if prefix.eq_ignore_ascii_case("author") {
                        Scope::Author
                    } else if prefix.eq_ignore_ascii_case("org") {
                        Scope::Org
                    } else if !prefix.is_empty() && prefix.chars().all(char::is_alphabetic) {
                        return Err(error(
                            start,
                            RuleErrorKind::UnknownField {
                                name: prefix.to_string(),
                            },
                        ));
                    } else {
                        Scope::Any
                    };
                    if scope == Scope::Any {
                        Token::Leaf(term(scope, &word, start)?)
                    } else if !value.is_empty() {
                        Token::Leaf(term(scope, value, start)?)
                    } else if chars.get(end) == Some(&'"') {
                        let (raw, next) = quoted(chars, end)?;
                        i = next;
                        Token::Leaf(term(scope, &raw, start)?)
                    } else {
                        let field = if scope == Scope::Author {
                            "author"
                        } else {
                            "org"
                        };
                        return Err(error(start, RuleErrorKind::FieldNeedsValue { field }));
                    }
                } else {
                    Token::Leaf(term(Scope::Any, &word, start)?)
                }
            }
        };
        if matches!(token, Token::Leaf(_)) {
            leaves += 1;
            if leaves > MAX_TERMS {
                return Err(error(start, RuleErrorKind::TooManyTerms { max: MAX_TERMS }));
            }
        }
        tokens.push((token, start));
    }
    Ok(tokens)
}

/// The text inside the quote that opens at `open`, and the index after the closing quote.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), RuleError> {
    let close = (open + 1..chars.len())
        .find(|&j| chars[j] == '"')
        .ok_or_else(|| error(open, RuleErrorKind::UnclosedQuote))?;
    let inner: String = chars[open + 1..close].iter().collect();
    if inner.trim().is_empty() {
        return Err(error(open, RuleErrorKind::EmptyQuotes));
    }
    Ok((inner, close + 1))
}

fn term(scope: Scope, raw: &str, at: usize) -> Result<Expr, RuleError> {
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match pattern(&raw) {
        Some(pattern) => Ok(Expr::Term(Term {
            scope,
            raw,
            pattern,
        })),
        None => Err(error(at, RuleErrorKind::NoWords { text: raw })),
    }
}

/// `upvotes` followed by a comparison or a colon: meant as the upvotes field, right or wrong.
fn is_upvotes(word: &str) -> bool {
    word.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("upvotes"))
        && matches!(word[7..].chars().next(), Some('>' | '<' | '=' | ':'))
}

fn upvotes(word: &str, at: usize) -> Result<Expr, RuleError> {
    // `is_upvotes` checked that the first 7 bytes are ASCII.
    let number = word[7..]
        .strip_prefix(">=")
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    number
        .and_then(|n| n.parse().ok())
        .map(Expr::Upvotes)
        .ok_or_else(|| error(at, RuleErrorKind::UpvotesNeedsNumber))
}

/// Recursive descent over the tokens: a sequence of OR-groups, each of unary items.
struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&(Token, usize)> {
        self.tokens.get(self.at)
    }

    /// Items up to the end, or up to the `)` matching the `(` at `open`.
    fn sequence(&mut self, depth: usize, open: Option<usize>) -> Result<Vec<Expr>, RuleError> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => {
                    return match open {
                        Some(at) => Err(error(at, RuleErrorKind::UnclosedParen)),
                        None => Ok(items),
                    }
                }
                Some((Token::Close, at)) => {
                    if open.is_none() {
                        return Err(unexpected(&Token::Close, *at));
                    }
                    self.at += 1;
                    return Ok(items);
                }
                Some((Token::Or, at)) => return Err(error(*at, RuleErrorKind::OrNeedsTerms)),
                Some(_) => items.push(self.alternatives(depth)?),
            }
        }
    }

    fn alternatives(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let mut alternatives = vec![self.unary(depth)?];
        while let Some((Token::Or, at)) = self.peek() {
            let at = *at;
            self.at += 1;
            if matches!(self.peek(), None | Some((Token::Close | Token::Or, _))) {
                return Err(error(at, RuleErrorKind::OrNeedsTerms));
            }
            alternatives.push(self.unary(depth)?);
        }
        Ok(any_of(alternatives))
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, RuleError> {
        if let Some((Token::Not, at)) = self.peek() {
            let at = *at;
            self.at += 1;
            return match self.peek() {
                Some((Token::Leaf(_) | Token::Open, _)) => {
                    Ok(Expr::Not(Box::new(self.atom(depth)?)))
                }
                Some((token, at)) => Err(unexpected(token, *at)),
                None => Err(error(at, RuleErrorKind::DashNeedsTerm)),
            };
        }
        self.atom(depth)
    }

    fn atom(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let Some((token, at)) = self.tokens.get_mut(self.at) else {
            // Callers peek first; an end here would be an OR or dash without a term.
            return Err(error(0, RuleErrorKind::Empty));
        };
        let at = *at;
        self.at += 1;
        match token {
            Token::Leaf(expr) => Ok(std::mem::replace(expr, Expr::And(Vec::new()))),
            Token::Open => {
                if depth >= MAX_DEPTH {
                    return Err(error(at, RuleErrorKind::TooDeep { max: MAX_DEPTH }));
                }
                let items = self.sequence(depth + 1, Some(at))?;
                if items.is_empty() {
                    return Err(error(at, RuleErrorKind::EmptyParens));
                }
                Ok(all_of(items))
            }
            Token::Or => Err(error(at, RuleErrorKind::OrNeedsTerms)),
            token => Err(unexpected(token, at)),
        }
    }
}

fn unexpected(token: &Token, at: usize) -> RuleError {
    error(
        at,
        RuleErrorKind::Unexpected {
            token: token.text().to_string(),
        },
    )
}

/// `And` of the items, flattened, or the item itself when there is one.
fn all_of(items: Vec<Expr>) -> Expr {
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Expr::And(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    match flat.len() {
        1 => flat.pop().unwrap_or(Expr::And(Vec::new())),
        _ => Expr::And(flat),
    }
}

/// `Or` of the items, flattened, or the item itself when there is one.
fn any_of(items: Vec<Expr>) -> Expr {
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Expr::Or(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    match flat.len() {
        1 => flat.pop().unwrap_or(Expr::Or(Vec::new())),
        _ => Expr::Or(flat),
    }
}

/// Writes the canonical form: single spaces, ` OR `, parentheses only where needed, quotes
/// only where a term would otherwise read differently.
pub(super) fn write_expr(f: &mut fmt::Formatter<'_>, expr: &Expr) -> fmt::Result {
    match expr {
        Expr::And(xs) => {
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                // OR binds tighter than the space, so only a nested And needs parentheses,
                // and the parser never nests one directly.
                write_grouped(f, x, matches!(x, Expr::And(_)))?;
            }
            Ok(())
        }
        Expr::Or(xs) => {
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    f.write_str(" OR ")?;
                }
                write_grouped(f, x, matches!(x, Expr::And(_) | Expr::Or(_)))?;
            }
            Ok(())
        }
        Expr::Not(x) => {
            f.write_str("-")?;
            write_grouped(f, x, matches!(**x, Expr::And(_) | Expr::Or(_)))
        }
        Expr::Term(term) => {
            match term.scope {
                Scope::Any => {}
                Scope::Author => f.write_str("author:")?,
                Scope::Org => f.write_str("org:")?,
            }
            if is_bare(&term.raw) {
                f.write_str(&term.raw)
            } else {
                write!(f, "\"{}\"", term.raw)
            }
        }
        Expr::Upvotes(n) => write!(f, "upvotes>={n}"),
    }
}

fn write_grouped(f: &mut fmt::Formatter<'_>, expr: &Expr, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        f.write_str("(")?;
        write_expr(f, expr)?;
        f.write_str(")")
    } else {
        write_expr(f, expr)
    }
}

/// True when a term reads back as itself without quotes: a plain word, not `OR`, not
/// starting with `-`, with no character that means something to the parser.
fn is_bare(raw: &str) -> bool {
    !raw.is_empty()
        && raw != "OR"
        && !raw.starts_with('-')
        && raw.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '-' | '\'' | '.' | '_' | '+' | '#' | '&' | '/')
        })
}

#[cfg(test)]
mod tests {
    use super::super::AlertRule;
    use super::*;
    use proptest::prelude::*;

    fn canonical(text: &str) -> String {
        match AlertRule::parse(text) {
            Ok(rule) => rule.to_string(),
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn fails(text: &str) -> String {
        match AlertRule::parse(text) {
            Ok(rule) => panic!("{text:?} parsed as {rule}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn every_syntax_form_has_a_canonical_form() {
        for (input, expected) in [
            ("diffusion", "diffusion"),
            ("  diffusion    model ", "diffusion model"),
            ("\"diffusion   model\"", "\"diffusion model\""),
            ("\"RL\"", "RL"),
            ("diffusion OR flow video", "diffusion OR flow video"),
            ("(diffusion OR flow) video", "diffusion OR flow video"),
            ("video (diffusion OR flow)", "video diffusion OR flow"),
            ("a OR (b c)", "a OR (b c)"),
            ("(a OR b) OR c", "a OR b OR c"),
            ("((a))", "a"),
            ("(a b) c", "a b c"),
            ("llm -survey", "llm -survey"),
            ("llm -\"large language\"", "llm -\"large language\""),
            ("llm -(survey OR review)", "llm -(survey OR review)"),
            ("-a OR b", "-a OR b"),
            ("Author:LeCun", "author:LeCun"),
            ("author:\"Yann LeCun\"", "author:\"Yann LeCun\""),
            ("ORG:nvidia", "org:nvidia"),
            ("org:\"Google DeepMind\"", "org:\"Google DeepMind\""),
            ("upvotes>=50", "upvotes>=50"),
            ("UPVOTES>=007 llm", "upvotes>=7 llm"),
            ("RL-based", "RL-based"),
            ("\"OR\" or", "\"OR\" or"),
            ("3:1", "\"3:1\""),
            ("“world model” –survey", "\"world model\" -survey"),
            ("a>b", "\"a>b\""),
            ("\"upvotes>=5\"", "\"upvotes>=5\""),
        ] {
            assert_eq!(canonical(input), expected, "{input:?}");
            assert_eq!(canonical(expected), expected, "{expected:?}");
        }
    }

    #[test]
    fn or_binds_tighter_than_and() {
        let rule = AlertRule::parse("diffusion OR flow video").unwrap();
        let Expr::And(items) = &rule.expr else {
            panic!("{:?}", rule.expr)
        };
        assert!(matches!(&items[0], Expr::Or(alts) if alts.len() == 2));
        assert!(matches!(&items[1], Expr::Term(t) if t.raw == "video"));
    }

    #[test]
    fn every_error_says_what_and_where() {
        for (input, message) in [
            ("", "empty rule"),
            ("   ", "empty rule"),
            ("(a OR b) c d) e", "unexpected \")\" at 12"),
            ("diffusion model)", "unexpected \")\" at 15"),
            ("ab \"cd", "unclosed quote at 3"),
            ("author:\"Yann", "unclosed quote at 7"),
            ("a (b OR c", "unclosed \"(\" at 2"),
            ("a \"  \"", "empty quotes at 2"),
            ("a ()", "empty parentheses at 2"),
            ("a \"...\"", "\"...\" has no letters or digits at 2"),
            ("OR a", "\"OR\" needs a term on each side at 0"),
            ("a OR", "\"OR\" needs a term on each side at 2"),
            ("a OR OR b", "\"OR\" needs a term on each side at 2"),
            ("(a OR) b", "\"OR\" needs a term on each side at 3"),
            ("a - b", "\"-\" needs a term right after it at 2"),
            ("a -", "\"-\" needs a term right after it at 2"),
            ("a --b", "unexpected \"-\" at 3"),
            ("a -OR b", "unexpected \"OR\" at 3"),
            (
                "author: x",
                "\"author:\" needs a name at 0, e.g. author:\"Yann LeCun\"",
            ),
            (
                "x org:",
                "\"org:\" needs a name at 2, e.g. org:\"Google DeepMind\"",
            ),
            ("auther:lecun", "unknown field \"auther:\" at 0"),
            (
                "upvotes>50",
                "\"upvotes\" needs a number at 0, e.g. upvotes>=50",
            ),
            (
                "llm upvotes>=",
                "\"upvotes\" needs a number at 4, e.g. upvotes>=50",
            ),
            ("llm upvotes>=x", "\"upvotes\" needs a number at 4"),
            ("upvotes:5", "\"upvotes\" needs a number at 0"),
            ("upvotes>=99999999999", "\"upvotes\" needs a number at 0"),
            (
                "-diffusion",
                "a rule needs at least one term that is not excluded",
            ),
            (
                "-a -\"b c\"",
                "a rule needs at least one term that is not excluded",
            ),
            (
                "-a OR -b",
                "a rule needs at least one term that is not excluded",
            ),
            (
                "((((((((((a))))))))))",
                "too many nested parentheses at 8: at most 8",
            ),
        ] {
            let got = fails(input);
            assert!(
                got.starts_with(message),
                "{input:?}: {got:?} is not {message:?}"
            );
        }
    }

    #[test]
    fn errors_carry_position_and_kind() {
        let err = AlertRule::parse("(a OR b) c d) e").unwrap_err();
        assert_eq!(err.position, 12);
        assert_eq!(
            err.kind,
            RuleErrorKind::Unexpected {
                token: ")".to_string()
            }
        );
        // Offsets count characters, not bytes.
        let err = AlertRule::parse("확산 모델 \"x").unwrap_err();
        assert_eq!((err.position, err.kind), (6, RuleErrorKind::UnclosedQuote));
    }

    #[test]
    fn limits_on_length_and_terms() {
        let long = "a".repeat(301);
        assert_eq!(
            fails(&long),
            "rule is too long: 301 characters, at most 300"
        );
        assert!(AlertRule::parse(&"a".repeat(300)).is_ok());
        assert!(AlertRule::parse_with_max("abcdef", 5).is_err());
        assert!(AlertRule::parse_with_max("abcde", 5).is_ok());

        let twenty = (0..20)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(AlertRule::parse(&twenty).is_ok());
        let err = AlertRule::parse(&format!("{twenty} upvotes>=5")).unwrap_err();
        assert_eq!(err.kind, RuleErrorKind::TooManyTerms { max: MAX_TERMS });
        assert_eq!(err.position, twenty.chars().count() + 1);
    }

    #[test]
    fn serde_uses_the_canonical_form() {
        let rule = AlertRule::parse("(diffusion OR flow)  video  -survey").unwrap();
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, "\"diffusion OR flow video -survey\"");
        let back: AlertRule = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rule);
        assert!(serde_json::from_str::<AlertRule>("\"-x\"").is_err());
    }

    /// Pieces that make plausible (and plausibly broken) rules.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-zA-Z]{1,8}",
            1 => "[a-z]{1,5}-[a-z]{1,5}",
            1 => "\"[a-z ]{0,12}\"",
            1 => Just("OR".to_string()),
            1 => Just("(".to_string()),
            1 => Just(")".to_string()),
            1 => "-[a-z]{1,6}",
            1 => "-\"[a-z ]{1,10}\"",
            1 => "author:[A-Za-z]{1,8}",
            1 => "author:\"[A-Za-z ]{1,12}\"",
            1 => "org:[a-z]{1,8}",
            1 => "upvotes>=[0-9]{1,4}",
            1 => "[a-z]{0,3}[:>\"'.,!?()-][a-z]{0,3}",
            1 => "[가-힣]{1,4}|[α-ω]{1,5}|Über|über",
        ]
    }

    fn rule_text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..12).prop_map(|p| p.join(" "))
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = AlertRule::parse(&text);
            let _ = AlertRule::parse_with_max(&text, usize::MAX);
        }

        #[test]
        fn parse_never_panics_on_rule_like_text(text in "[a-zA-Z:\"()<>=0-9 \\-_.’“”–]{0,60}") {
            let _ = AlertRule::parse(&text);
        }

        #[test]
        fn display_then_parse_round_trips(text in rule_text()) {
            if let Ok(rule) = AlertRule::parse(&text) {
                let shown = rule.to_string();
                let again = AlertRule::parse_with_max(&shown, usize::MAX);
                prop_assert_eq!(again.as_ref(), Ok(&rule), "{:?} -> {:?}", text, shown);
                prop_assert_eq!(again.map(|r| r.to_string()), Ok(shown));
            }
        }

        #[test]
        fn errors_point_inside_the_rule(text in rule_text()) {
            if let Err(e) = AlertRule::parse(&text) {
                prop_assert!(e.position <= text.chars().count(), "{:?}: {}", text, e);
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
