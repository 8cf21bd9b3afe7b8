//! Sentence boundaries in prose: the summarizer picks whole sentences out of abstracts, and
//! the renderers cut long text where a reader expects a pause rather than in mid-word.
//!
//! Abstracts are full of periods that end nothing: "e.g.", "et al.", "Fig. 3", "3.5%",
//! "GPT-4.5", "arXiv:2601.11077", "J. Smith". Rather than a trained model or a regex, a
//! candidate boundary is judged by a few local checks that look at a handful of characters on
//! either side of it, so splitting is one linear pass that allocates nothing but its result.
//!
//! The rules, in short: `.` ends a sentence when whitespace follows (after any closing quotes
//! or brackets) and the next word starts with a capital, a digit, an opening quote or bracket,
//! or a letter of a script without case, unless the word before it is a known abbreviation,
//! an initial or a dotted abbreviation (`e.g`, `U.S`); `!` and `?` end one when whitespace
//! and anything but a lower-case letter follow; `。！？` end one with no space needed; a blank
//! line always ends one; an ellipsis never does.

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::GraphemeCursor;

/// Words after which a period never ends a sentence, lower case, sorted for binary search.
const ABBREVIATIONS: &[&str] = &[
    "al", "alg", "app", "approx", "appx", "ca", "cf", "ch", "chap", "dr", "eq", "eqn", "eqns",
    "eqs", "esp", "fig", "figs", "incl", "jr", "lem", "mr", "mrs", "ms", "prof", "ref", "refs",
    "resp", "sec", "secs", "sect", "sr", "st", "tab", "tabs", "thm", "viz", "vol", "vs", "wrt",
];

/// Words that are abbreviations only before a number ("No. 5", "pp. 12"), since "no." also
/// ends sentences. Lower case, sorted.
const ABBREVIATIONS_BEFORE_NUMBER: &[&str] = &["no", "nos", "p", "pp"];

/// The longest word, in chars, that is checked against the abbreviation lists; anything
/// longer is not an abbreviation, and the cap keeps the look-back bounded.
const MAX_ABBREVIATION_CHARS: usize = 16;

/// Characters that may close a sentence after its final punctuation: `(as "x".)`.
const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', ')', ']', '}', '»', '」', '』', '）', '】', '〕', '》', '〉',
];

/// Characters that may open a sentence before its first word.
const OPENERS: &[char] = &[
    '"', '\'', '“', '‘', '(', '[', '{', '«', '「', '『', '（', '【', '《', '¿', '¡',
];

/// The sentences of `text`, trimmed, in order, as slices of it.
///
/// Whitespace between sentences is dropped and nothing else is: concatenating the result
/// gives back every non-whitespace character of `text`, in order.
pub fn split(text: &str) -> Vec<&str> {
    spans(text).map(|span| &text[span]).collect()
}

/// `text` cut to at most `max_chars` chars (Unicode scalar values, "…" included), borrowed
/// when it already fits.
///
/// The cut is made at the last sentence boundary that fits, without an ellipsis since whole
/// sentences read as finished; when that would keep less than half of the allowance, at the
/// last word boundary with "…"; when a single word is longer than half the allowance (a URL,
/// text without spaces), at the last grapheme boundary with "…".
pub fn truncate(text: &str, max_chars: usize) -> Cow<'_, str> {
    let Some((limit, _)) = text.char_indices().nth(max_chars) else {
        return Cow::Borrowed(text);
    };
    if max_chars == 0 {
        return Cow::Borrowed("");
    }
    // `text` has more than `max_chars` chars, so every smaller char count has a byte index.
    let byte_at = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(i, _)| i)
    };
    let half = byte_at(max_chars / 2);

    let last_fitting_sentence = spans(text)
        .map(|span| span.end)
        .take_while(|&end| end <= limit)
        .last();
    if let Some(end) = last_fitting_sentence.filter(|&end| end >= half) {
        return Cow::Borrowed(&text[..end]);
    }

    // One char of the allowance goes to the ellipsis.
    let content_limit = byte_at(max_chars - 1);
    let head = &text[..content_limit];
    let word_end = if text[content_limit..].starts_with(char::is_whitespace) {
        Some(content_limit)
    } else {
        head.rfind(char::is_whitespace)
    };
    let by_word = word_end
        .map(|end| trim_dangling(&head[..end]))
        // `kept` is a prefix of `text`, so comparing byte lengths compares char counts.
        .filter(|kept| !kept.is_empty() && kept.len() >= byte_at((max_chars - 1) / 2));
    let kept = match by_word {
        Some(kept) => kept,
        None => {
            let mut cursor = GraphemeCursor::new(content_limit, text.len(), true);
            // The cursor is given the whole text as its one chunk, so it never asks for more.
            let end = match cursor.is_boundary(text, 0) {
                Ok(true) | Err(_) => content_limit,
                Ok(false) => match cursor.prev_boundary(text, 0) {
                    Ok(Some(end)) if end > 0 => end,
                    _ => content_limit,
                },
            };
            &text[..end]
        }
    };
    Cow::Owned(format!("{kept}…"))
}

/// `text` without trailing whitespace and the punctuation that reads badly before "…".
fn trim_dangling(text: &str) -> &str {
    let trimmed = text
        .trim_end()
        .trim_end_matches([',', ';', ':', '-', '–', '—', '(', '[', '{', '/', '&'])
        .trim_end();
    if trimmed.is_empty() {
        text.trim_end()
    } else {
        trimmed
    }
}

/// The byte ranges of the trimmed, non-empty sentences of `text`.
fn spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut scanner = Scanner {
        text,
        pos: 0,
        start: 0,
        done: false,
    };
    std::iter::from_fn(move || scanner.segment()).filter_map(move |raw| {
        let segment = &text[raw.clone()];
        let lead = segment.len() - segment.trim_start().len();
        let trimmed = segment.trim();
        (!trimmed.is_empty()).then(|| raw.start + lead..raw.start + lead + trimmed.len())
    })
}

/// A single left-to-right pass over the text, yielding untrimmed segments that together
/// cover it.
struct Scanner<'a> {
    text: &'a str,
    /// Where scanning resumes.
    pos: usize,
    /// Where the current segment began.
    start: usize,
    done: bool,
}

/// What a handler decided about a candidate boundary.
struct Step {
    /// Where scanning resumes.
    resume: usize,
    /// The end of the current segment and the start of the next, when this is a boundary.
    boundary: Option<(usize, usize)>,
}

impl Step {
    fn go_on(resume: usize) -> Step {
        Step {
            resume,
            boundary: None,
        }
    }

    fn split_at(at: usize) -> Step {
        Step {
            resume: at,
            boundary: Some((at, at)),
        }
    }
}

impl Scanner<'_> {
    fn segment(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Most bytes are ASCII letters and spaces that decide nothing, so they are skipped
        // without decoding; only a line break can start a paragraph break.
        while let Some(&byte) = bytes.get(self.pos) {
            let here = self.pos;
            let step = match byte {
                b'.' => self.period(here),
                b'!' | b'?' => self.exclamation(here),
                b'\n' | b'\r' => self.line_break(here),
                _ if byte.is_ascii() => Step::go_on(here + 1),
                // `pos` only ever moves by whole chars, so it is on a char boundary.
                _ => match text[here..].chars().next() {
                    Some('‽' | '؟' | '।') => self.exclamation(here),
                    Some('。' | '！' | '？' | '．') => self.ideographic(here),
                    Some('\u{2029}') => self.line_break(here),
                    Some(c) => Step::go_on(here + c.len_utf8()),
                    None => break,
                },
            };
            self.pos = step.resume;
            if let Some((end, next_start)) = step.boundary {
                let segment = self.start..end;
                self.start = next_start;
                return Some(segment);
            }
        }
        if self.done {
            return None;
        }
        self.done = true;
        Some(self.start..text.len())
    }

    /// `.` at `here`: the one hard case.
    fn period(&self, here: usize) -> Step {
        let text = self.text;
        let run_end = here + text[here..].bytes().take_while(|&b| b == b'.').count();
        if run_end - here > 1 {
            // "..." trails off inside a sentence as often as it ends one.
            return Step::go_on(run_end);
        }
        let close_end = skip_closers(text, run_end);
        let Some(next) = next_word_start(text, close_end) else {
            return Step::go_on(run_end);
        };
        let starts_sentence = next.is_uppercase()
            || next.is_numeric()
            || OPENERS.contains(&next)
            || is_caseless_letter(next);
        if !starts_sentence {
            return Step::go_on(run_end);
        }
        match word_before(text, here) {
            Some("") if follows_spaced_dot(text, here) => Step::go_on(run_end),
            Some(word) if is_abbreviation(word, next) => Step::go_on(run_end),
            _ => Step::split_at(close_end),
        }
    }

    /// `!`, `?` and their kin at `here`: a boundary unless a lower-case word follows
    /// ("Yahoo! is"), or no whitespace does ("?!x").
    fn exclamation(&self, here: usize) -> Step {
        let text = self.text;
        let run_end = here
            + text[here..]
                .chars()
                .take_while(|c| matches!(c, '!' | '?' | '‽' | '؟' | '।'))
                .map(char::len_utf8)
                .sum::<usize>();
        let close_end = skip_closers(text, run_end);
        match next_word_start(text, close_end) {
            Some(next) if !next.is_lowercase() => Step::split_at(close_end),
            _ => Step::go_on(run_end),
        }
    }

    /// Ideographic full stops at `here`: CJK text puts no space after them.
    fn ideographic(&self, here: usize) -> Step {
        let text = self.text;
        let run_end = here
            + text[here..]
                .chars()
                .take_while(|c| matches!(c, '。' | '！' | '？' | '．' | '!' | '?'))
                .map(char::len_utf8)
                .sum::<usize>();
        Step::split_at(skip_closers(text, run_end))
    }

    /// A line break at `here`: a blank line ends the paragraph and so the sentence, whatever
    /// punctuation came before it (headings, lists).
    fn line_break(&self, here: usize) -> Step {
        let text = self.text;
        let mut run_end = here;
        let (mut line_feeds, mut returns, mut paragraph) = (0, 0, false);
        for (i, c) in text[here..].char_indices() {
            if !c.is_whitespace() {
                break;
            }
            match c {
                '\n' => line_feeds += 1,
                '\r' => returns += 1,
                '\u{2029}' => paragraph = true,
                _ => {}
            }
            run_end = here + i + c.len_utf8();
        }
        if paragraph || line_feeds >= 2 || returns >= 2 {
            Step {
                resume: run_end,
                boundary: Some((here, run_end)),
            }
        } else {
            Step::go_on(run_end)
        }
    }
}

fn skip_closers(text: &str, from: usize) -> usize {
    from + text[from..]
        .chars()
        .take_while(|c| CLOSERS.contains(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

/// The first char after the whitespace at `from`, or `None` when no whitespace is there
/// (the punctuation is inside a token) or only whitespace is left.
fn next_word_start(text: &str, from: usize) -> Option<char> {
    let rest = &text[from..];
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    rest.trim_start().chars().next()
}

/// A letter of a script without case (CJK, Hangul, Arabic, Devanagari...), which may start
/// a sentence although it is not a capital.
fn is_caseless_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase()
}

/// The word (letters, digits and dots) that ends just before the `.` at `here`, or `None`
/// when it is longer than any abbreviation.
fn word_before(text: &str, here: usize) -> Option<&str> {
    let mut start = here;
    for (n, (i, c)) in text[..here].char_indices().rev().enumerate() {
        if !(c.is_alphanumeric() || c == '.') {
            break;
        }
        if n == MAX_ABBREVIATION_CHARS {
            return None;
        }
        start = i;
    }
    Some(&text[start..here])
}

/// True for the last dot of a spaced ellipsis (". . .").
fn follows_spaced_dot(text: &str, here: usize) -> bool {
    let mut spaces = 0;
    for c in text[..here].chars().rev() {
        match c {
            ' ' if spaces < 2 => spaces += 1,
            '.' => return spaces > 0,
            _ => return false,
        }
    }
    false
}

/// True when a period after `word` abbreviates it rather than ending the sentence; `next` is
/// the first char of the following word.
fn is_abbreviation(word: &str, next: char) -> bool {
    let mut chars = word.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return false;
    };
    if second.is_none() && first.is_uppercase() {
        // An initial: "J. Smith".
        return true;
    }
    if word.contains('.') {
        // "e.g", "i.e", "U.S", "w.r.t": single letters joined by dots.
        return word.split('.').all(|part| {
            let mut letters = part.chars();
            matches!((letters.next(), letters.next()), (Some(c), None) if c.is_alphabetic())
        });
    }
    let mut lower = [0u8; MAX_ABBREVIATION_CHARS];
    if !word.is_ascii() || word.len() > lower.len() {
        return false;
    }
    for (dst, src) in lower.iter_mut().zip(word.bytes()) {
        *dst = src.to_ascii_lowercase();
    }
    let lower = &lower[..word.len()];
    let listed = |list: &[&str]| list.binary_search_by(|a| a.as_bytes().cmp(lower)).is_ok();
    listed(ABBREVIATIONS) || (next.is_numeric() && listed(ABBREVIATIONS_BEFORE_NUMBER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn assert_split(text: &str, expected: &[&str]) {
        assert_eq!(split(text), expected, "splitting {text:?}");
    }

    #[track_caller]
    fn assert_whole(text: &str) {
        assert_split(text, &[text]);
    }

    #[test]
    fn abbreviation_lists_are_sorted_for_binary_search() {
        for list in [ABBREVIATIONS, ABBREVIATIONS_BEFORE_NUMBER] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list
                .iter()
                .all(|a| a.chars().count() <= MAX_ABBREVIATION_CHARS));
        }
    }

    #[test]
    fn splits_on_a_period_before_a_capital_digit_or_opener() {
        assert_split(
            "We study it. We find more.",
            &["We study it.", "We find more."],
        );
        assert_split("It works. 3 runs agree.", &["It works.", "3 runs agree."]);
        assert_split(
            "It works. \"Quoted\" next. (Aside.) [1] too.",
            &["It works.", "\"Quoted\" next.", "(Aside.)", "[1] too."],
        );
        assert_split("It works. “Curly” next.", &["It works.", "“Curly” next."]);
    }

    #[test]
    fn keeps_closing_quotes_and_brackets_with_their_sentence() {
        assert_split(
            "We call it \"mind reading.\" It works.",
            &["We call it \"mind reading.\"", "It works."],
        );
        assert_split("(See below.) Then more.", &["(See below.)", "Then more."]);
    }

    #[test]
    fn does_not_split_before_a_lower_case_word() {
        assert_whole("The model, trained on approx. five tasks and the data. and more.");
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        for text in [
            "Tasks, e.g. Summarization, are hard.",
            "Tasks, e.g., summarization, are hard.",
            "One task, i.e. Summarization, is hard.",
            "One task, i.e., summarization, is hard.",
            "As Smith et al. Showed, it works.",
            "As Smith et al. (2024) showed, it works.",
            "As shown in Fig. 3 and Figs. 4-5, it works.",
            "Minimizing Eq. 2 and Eqn. 3 works.",
            "See Sec. 4 and Tab. 2 for details.",
            "GPT-4 vs. Llama is a close call.",
            "It costs approx. 5 GPU hours.",
            "It costs approx. Five GPU hours.",
            "Compare with prior work (cf. Table 1).",
            "Compare with prior work, cf. Smith.",
            "Work by J. Smith and A. B. Jones shows this.",
            "Work by J.R.R. Tolkien shows this.",
            "Stocks in the U.S. Market rose.",
            "Results w.r.t. Baselines improve.",
            "See No. 5 and pp. 12-14.",
            "See Dr. Smith and Prof. Jones.",
        ] {
            assert_whole(text);
        }
    }

    #[test]
    fn numbered_abbreviations_only_before_numbers() {
        assert_split(
            "The answer is no. Then we stop.",
            &["The answer is no.", "Then we stop."],
        );
        assert_whole("See No. 5 for details.");
    }

    #[test]
    fn decimals_versions_urls_and_dotted_names_do_not_split() {
        for text in [
            "Accuracy rises by 3.5% to 0.87 overall.",
            "We release v1.2.3 of the tool.",
            "Compared with GPT-4.5 and Llama 3.1 it wins.",
            "Code is at github.com/x/y and https://github.com/x/y.git today.",
            "See arXiv:2601.11077 for the details.",
            "The file config.toml holds it.",
            "Scores of .87 and 1.5x speedups are reported.",
        ] {
            assert_whole(text);
        }
    }

    #[test]
    fn splits_after_numbers_versions_and_urls_that_end_a_sentence() {
        assert_split(
            "We use Llama 3.1. The results hold.",
            &["We use Llama 3.1.", "The results hold."],
        );
        assert_split(
            "Accuracy reaches 34.8%. High scores follow.",
            &["Accuracy reaches 34.8%.", "High scores follow."],
        );
        assert_split(
            "Code: https://github.com/x/y. We thank all.",
            &["Code: https://github.com/x/y.", "We thank all."],
        );
        assert_split(
            "The gain is large (Table 2). Next we ablate.",
            &["The gain is large (Table 2).", "Next we ablate."],
        );
    }

    #[test]
    fn ellipses_do_not_split() {
        for text in [
            "We tried... and it failed.",
            "We tried... It failed.",
            "We tried . . . It failed.",
            "We tried… It failed.",
            "We tried \u{2026}and failed.",
        ] {
            assert_whole(text);
        }
    }

    #[test]
    fn exclamation_and_question_marks_split() {
        assert_split(
            "Are agents safe? We discover they are not! Really?! Yes.",
            &[
                "Are agents safe?",
                "We discover they are not!",
                "Really?!",
                "Yes.",
            ],
        );
        assert_split("Is it \"safe?\" No.", &["Is it \"safe?\"", "No."]);
        assert_whole("Yahoo! is a company and why? is a word.");
        assert_whole("Use the ?! operator? no.");
    }

    #[test]
    fn blank_lines_split_even_without_punctuation() {
        assert_split(
            "A heading\n\nThe first paragraph\r\n\r\nThe second one\n  \n  third",
            &[
                "A heading",
                "The first paragraph",
                "The second one",
                "third",
            ],
        );
        // A single line break is wrapping, not a boundary.
        assert_whole("A line that\nwraps onto the next.");
        assert_split(
            "It ends here.\n  In this paper we go on.",
            &["It ends here.", "In this paper we go on."],
        );
    }

    #[test]
    fn cjk_full_stops_need_no_space() {
        assert_split(
            "这是第一句。这是第二句！这是第三句？最后",
            &["这是第一句。", "这是第二句！", "这是第三句？", "最后"],
        );
        assert_split(
            "「これは文です。」次の文です。",
            &["「これは文です。」", "次の文です。"],
        );
        assert_split("끝났다. 다음 문장이다.", &["끝났다.", "다음 문장이다."]);
        assert_split("यह वाक्य है। यह दूसरा है।", &["यह वाक्य है।", "यह दूसरा है।"]);
    }

    #[test]
    fn empty_and_blank_texts_have_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n\t\n  ").is_empty());
        assert_split("  One.  ", &["One."]);
        assert_split(".", &["."]);
        assert_split("?!", &["?!"]);
    }

    #[test]
    fn truncate_borrows_what_fits() {
        let text = "Exactly twenty chars";
        assert_eq!(text.chars().count(), 20);
        assert!(matches!(truncate(text, 20), Cow::Borrowed(t) if t == text));
        assert!(matches!(truncate(text, 100), Cow::Borrowed(t) if t == text));
        assert!(matches!(truncate("", 0), Cow::Borrowed("")));
        assert_eq!(truncate(text, 0), "");
    }

    #[test]
    fn truncate_prefers_a_sentence_boundary() {
        let text = "The first sentence is here. The second one is much longer than that.";
        assert!(matches!(
            truncate(text, 40),
            Cow::Borrowed("The first sentence is here.")
        ));
        // Exactly the first sentence's length still fits it.
        assert_eq!(truncate(text, 27), "The first sentence is here.");
    }

    #[test]
    fn truncate_falls_back_to_a_word_boundary() {
        let text = "Short. Then a sentence that goes on and on without any end in sight";
        // The sentence boundary would keep less than half of 40 chars.
        let cut = truncate(text, 40);
        assert_eq!(cut, "Short. Then a sentence that goes on and…");
        assert!(cut.chars().count() <= 40);
        // Dangling punctuation goes before the ellipsis.
        assert_eq!(truncate("alpha beta, gamma delta", 13), "alpha beta…");
        // A word ending exactly at the limit is kept whole.
        assert_eq!(truncate("alpha beta gamma", 11), "alpha beta…");
    }

    #[test]
    fn truncate_cuts_text_without_spaces_anywhere() {
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        let url = format!("see https://example.com/{}", "a".repeat(100));
        let cut = truncate(&url, 30);
        assert_eq!(cut.chars().count(), 30);
        assert!(cut.starts_with("see https://example.com/aaa"));
        assert_eq!(truncate("abcdef", 1), "…");
    }

    #[test]
    fn truncate_counts_chars_not_bytes() {
        let text = "가나다라마바사아자차카타파하";
        let cut = truncate(text, 5);
        assert_eq!(cut, "가나다라…");
        assert_eq!(
            truncate("日本語の文章です。次の文章です。", 10),
            "日本語の文章です。"
        );
        assert!(matches!(truncate("가나다", 3), Cow::Borrowed("가나다")));
    }

    #[test]
    fn truncate_keeps_grapheme_clusters_whole() {
        // A family emoji is one grapheme of five chars; cutting inside it drops it whole.
        let text = "ab👨\u{200d}👩\u{200d}👧cd";
        assert_eq!(truncate(text, 5), "ab…");
        // A combining accent stays with its letter.
        assert_eq!(truncate("cafe\u{301}s", 5), "caf…");
    }

    /// Text made of the pieces the rules care about, in random order.
    fn tricky_text(max_pieces: usize) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(". ".to_string()),
            Just(".".to_string()),
            Just("...".to_string()),
            Just("e.g. ".to_string()),
            Just("et al. ".to_string()),
            Just("Fig. 3".to_string()),
            Just("3.5%".to_string()),
            Just("? ".to_string()),
            Just("! ".to_string()),
            Just("。".to_string()),
            Just("\n\n".to_string()),
            Just("\r\n".to_string()),
            Just("…".to_string()),
            Just("\"".to_string()),
            Just(")".to_string()),
            Just("👨\u{200d}👩\u{200d}👧".to_string()),
            Just("e\u{301}".to_string()),
            "[A-Za-z0-9 ]{0,12}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..max_pieces).prop_map(|pieces| pieces.concat())
    }

    fn check_split(text: &str) -> Result<(), TestCaseError> {
        let sentences = split(text);
        let base = text.as_ptr() as usize;
        let mut previous_end = 0;
        for s in &sentences {
            let start = s.as_ptr() as usize - base;
            prop_assert!(start >= previous_end, "overlapping or out of order");
            prop_assert!(start + s.len() <= text.len());
            prop_assert_eq!(&text[start..start + s.len()], *s);
            prop_assert!(!s.is_empty() && s.trim() == *s);
            previous_end = start + s.len();
        }
        let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        prop_assert_eq!(visible(&sentences.concat()), visible(text));
        Ok(())
    }

    fn check_truncate(text: &str, max_chars: usize) -> Result<(), TestCaseError> {
        let cut = truncate(text, max_chars);
        prop_assert!(cut.chars().count() <= max_chars);
        if text.chars().count() <= max_chars {
            prop_assert!(matches!(cut, Cow::Borrowed(t) if t == text));
        } else {
            let body = cut.strip_suffix('…').unwrap_or(&cut);
            prop_assert!(text.starts_with(body));
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn split_covers_arbitrary_unicode(text in any::<String>()) {
            check_split(&text)?;
        }

        #[test]
        fn split_covers_tricky_text(text in tricky_text(60)) {
            check_split(&text)?;
        }

        #[test]
        fn truncate_fits_and_keeps_a_prefix(text in tricky_text(40), max_chars in 0usize..80) {
            check_truncate(&text, max_chars)?;
        }

        #[test]
        fn truncate_handles_arbitrary_unicode(text in any::<String>(), max_chars in 0usize..40) {
            check_truncate(&text, max_chars)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        #[test]
        fn split_and_truncate_handle_huge_text(text in tricky_text(20_000)) {
            check_split(&text)?;
            check_truncate(&text, 4096)?;
        }
    }
}
