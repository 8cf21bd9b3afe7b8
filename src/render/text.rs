//! Plain text shaped for a platform before any markup is added: cleaned of control
//! characters and shortened to a budget at the gentlest boundary available.
//!
//! Shortening happens on the raw text, before escaping, so a cut can never land inside an
//! HTML tag or entity, and it walks characters, so it can never split a surrogate pair. The
//! budget is measured with the platform's own unit (UTF-16 code units for Telegram, code
//! points for Discord) through a per-character weight, so escaping that doubles a character
//! can be accounted for as well.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use crate::domain::sentence;

/// What a shortened text ends with; the paper's link carries the rest.
pub const ELLIPSIS: char = '…';

/// Telegram's unit: UTF-16 code units.
pub fn utf16(c: char) -> usize {
    c.len_utf16()
}

/// Discord's unit: Unicode code points.
pub fn code_point(_: char) -> usize {
    1
}

/// The length of `text` in the unit given by `weight`.
pub fn measure(text: &str, weight: impl Fn(char) -> usize) -> usize {
    text.chars().map(weight).sum()
}

/// Whether `text` measures at most `max`, without walking past the point where it cannot.
fn fits(text: &str, max: usize, weight: impl Fn(char) -> usize) -> bool {
    let mut used = 0usize;
    for c in text.chars() {
        used += weight(c);
        if used > max {
            return false;
        }
    }
    true
}

/// `text` cut to measure at most `max`, ending with `…` when it was cut (and then trimmed).
///
/// The cut prefers, in order: the end of a sentence (when that keeps at least half the
/// budget, so one long second sentence does not throw away most of the room), the end of a
/// word (same rule), then the last whole grapheme, then the last whole character.
pub fn shorten(text: &str, max: usize, weight: impl Fn(char) -> usize + Copy) -> Cow<'_, str> {
    if fits(text, max, weight) {
        return Cow::Borrowed(text);
    }
    let text = text.trim();
    let ellipsis = weight(ELLIPSIS);
    if max < ellipsis {
        return Cow::Borrowed("");
    }
    let budget = max - ellipsis;

    if let Some(kept) = at_sentence(text, budget, weight) {
        return Cow::Owned(format!("{kept} {ELLIPSIS}"));
    }
    let kept = at_word(text, budget, weight);
    Cow::Owned(format!("{kept}{ELLIPSIS}"))
}

/// The longest run of whole sentences that, followed by a space, fits `budget`.
fn at_sentence(text: &str, budget: usize, weight: impl Fn(char) -> usize + Copy) -> Option<&str> {
    let room = budget.checked_sub(weight(' '))?;
    let mut best = None;
    let (mut upto, mut used) = (0usize, 0usize);
    for s in sentence::split(text) {
        // `split` returns slices of its input; anything else ends the search rather than
        // guessing where the sentence was.
        let start = (s.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
        let end = start + s.len();
        if end < upto || text.get(start..end) != Some(s) {
            break;
        }
        used += measure(&text[upto..end], weight);
        upto = end;
        if used > room {
            break;
        }
        best = Some(end);
    }
    let kept = text[..best?].trim();
    (measure(kept, weight) * 2 >= room && !kept.is_empty()).then_some(kept)
}

/// The longest prefix that fits `budget`, ending at a word when that keeps half of it.
fn at_word(text: &str, budget: usize, weight: impl Fn(char) -> usize + Copy) -> &str {
    let (mut used, mut fit_end) = (0usize, 0usize);
    let mut word_end: Option<(usize, usize)> = None;
    for (i, g) in text.grapheme_indices(true) {
        let w = measure(g, weight);
        if used + w > budget {
            break;
        }
        if g.chars().all(char::is_whitespace) {
            word_end = Some((i, used));
        }
        used += w;
        fit_end = i + g.len();
    }
    if fit_end == 0 {
        // The first grapheme alone is over budget (a letter with thousands of combining
        // marks): cut inside it, at a character, rather than return nothing.
        for (i, c) in text.char_indices() {
            if used + weight(c) > budget {
                break;
            }
            used += weight(c);
            fit_end = i + c.len_utf8();
        }
    }
    let cut = match word_end {
        Some((i, before)) if before * 2 >= budget => i,
        _ => fit_end,
    };
    text[..cut].trim_end()
}

/// `text` without control characters: line breaks normalised to `\n`, tabs to spaces, at
/// most one blank line in a row, trimmed.
pub fn clean(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim();
    let is_clean =
        !trimmed.contains("\n\n\n") && trimmed.chars().all(|c| c == '\n' || !c.is_control());
    if is_clean {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut newlines = 0;
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                '\n'
            }
            '\t' => ' ',
            c if c == '\n' || !c.is_control() => c,
            _ => continue,
        };
        if c == '\n' {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else {
            newlines = 0;
        }
        out.push(c);
    }
    Cow::Owned(out.trim().to_string())
}

/// `text` on one line: control characters dropped, every whitespace run one space.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `A, B, C`, or `A, B et al.` for longer lists, each name on one line and at most
/// `name_max` characters.
pub fn authors(authors: &[String], et_al: &str, name_max: usize) -> String {
    let names: Vec<String> = authors
        .iter()
        .map(|a| one_line(a))
        .filter(|a| !a.is_empty())
        .map(|a| shorten(&a, name_max, code_point).into_owned())
        .collect();
    if names.len() <= 3 {
        names.join(", ")
    } else {
        format!("{} {et_al}", names[..2].join(", "))
    }
}

/// An `http(s)` URL in its normalised form, or `None` for anything a platform would refuse
/// as a link.
pub fn web_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// A URL as a Markdown link destination: parentheses and spaces, which would end it early,
/// percent-encoded.
pub fn link_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_untouched() {
        assert!(matches!(
            shorten("Hello.", 6, utf16),
            Cow::Borrowed("Hello.")
        ));
    }

    #[test]
    fn cuts_at_a_sentence_boundary() {
        let text =
            "We propose a method. It works well on many benchmarks. More detail follows here.";
        let out = shorten(text, 60, code_point);
        assert_eq!(
            out,
            "We propose a method. It works well on many benchmarks. …"
        );
        assert!(measure(&out, code_point) <= 60);
    }

    #[test]
    fn falls_back_to_a_word_when_the_sentence_is_too_long() {
        let text = "An extremely long first sentence without any stop that goes on and on forever";
        let out = shorten(text, 30, code_point);
        assert_eq!(out, "An extremely long first…");
    }

    #[test]
    fn prefers_words_over_a_tiny_first_sentence() {
        let text = "Short. Then a very long sentence that carries most of the content of the text";
        let out = shorten(text, 40, code_point);
        assert!(out.starts_with("Short. Then a very"), "{out}");
        assert!(out.ends_with('…'));
    }

    #[test]
    fn counts_utf16_and_keeps_surrogate_pairs_whole() {
        let text = "😀".repeat(10);
        let out = shorten(&text, 7, utf16);
        assert_eq!(out, "😀😀😀…");
        assert!(measure(&out, utf16) <= 7);
    }

    #[test]
    fn keeps_grapheme_clusters_whole_when_possible() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let text = format!("{family}{family}{family}");
        // Each family is 8 units; 15 leaves room for one and the ellipsis, not two.
        let out = shorten(&text, 15, utf16);
        assert_eq!(out, format!("{family}…"));
    }

    #[test]
    fn a_huge_grapheme_is_cut_at_a_character() {
        let text = format!("e{}", "\u{301}".repeat(100));
        let out = shorten(&text, 10, code_point);
        assert_eq!(measure(&out, code_point), 10);
    }

    #[test]
    fn tiny_budgets() {
        assert_eq!(shorten("abc", 0, utf16), "");
        assert_eq!(shorten("abc", 1, utf16), "…");
        assert_eq!(shorten("abc", 2, utf16), "a…");
    }

    #[test]
    fn weights_account_for_escaping() {
        let double_amp = |c: char| if c == '&' { 5 } else { 1 };
        let out = shorten("a & b & c & d", 10, double_amp);
        assert!(measure(&out, double_amp) <= 10, "{out}");
    }

    #[test]
    fn huge_text_is_fast_enough_and_fits() {
        let text = "This is a sentence. ".repeat(10_000);
        let out = shorten(&text, 1000, utf16);
        assert!(measure(&out, utf16) <= 1000);
        assert!(out.ends_with(". …"));
    }

    #[test]
    fn clean_drops_controls_and_extra_blank_lines() {
        assert_eq!(clean("  a\r\nb\rc\td\u{0}e\n\n\n\nf  "), "a\nb\nc de\n\nf");
        assert!(matches!(clean("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(one_line(" a \n\t b\u{7}c "), "a b c");
    }

    #[test]
    fn authors_are_shortened() {
        let names = |n: usize| (0..n).map(|i| format!("N{i}")).collect::<Vec<_>>();
        assert_eq!(authors(&names(0), "et al.", 40), "");
        assert_eq!(authors(&names(3), "et al.", 40), "N0, N1, N2");
        assert_eq!(authors(&names(4), "et al.", 40), "N0, N1 et al.");
    }

    #[test]
    fn only_web_urls_are_links() {
        assert_eq!(
            web_url("https://github.com/a/b").as_deref(),
            Some("https://github.com/a/b")
        );
        assert_eq!(web_url("javascript:alert(1)"), None);
        assert_eq!(web_url("not a url"), None);
    }
}
