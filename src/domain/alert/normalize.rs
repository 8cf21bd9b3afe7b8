//! The one normalisation shared by rule terms and paper text, so the two always agree.
//!
//! A term matches when its words appear, in order and on word boundaries, among a paper's
//! words. Both sides become a run of words separated by single spaces, with a space on each
//! end (` diffusion model `), so a plain substring search of a term's form in a field's form
//! is a match on word boundaries: `rl` cannot match inside `world`. Words are Unicode words
//! (UAX #29), lower-cased; hyphens, underscores and punctuation separate words; a few simple
//! English plurals (`models`, `processes`, `studies`) fold to their singular. Whatever this
//! gets wrong, it gets wrong identically for rules and papers.

use unicode_segmentation::UnicodeSegmentation;

use super::Field;
use crate::domain::Paper;

/// Endings of singular words that end in `s` (`class`, `various`, `analysis`, `axis`,
/// `arthritis`).
const SINGULAR_ENDINGS: &[&str] = &["ss", "ous", "sis", "xis", "itis"];

/// Other singular words ending in one `s` that would otherwise lose it and collide with
/// another word (`news` with `new`) or miss their own plural (`bias` with `biases`). Latin
/// `-us` words are listed rather than the ending, because `GPUs` and `menus` are plurals.
const SINGULAR_S: &[&str] = &[
    "alias",
    "atlas",
    "bias",
    "bonus",
    "bus",
    "cactus",
    "calculus",
    "campus",
    "canvas",
    "census",
    "chorus",
    "consensus",
    "corpus",
    "focus",
    "fungus",
    "genus",
    "hiatus",
    "impetus",
    "iris",
    "lens",
    "locus",
    "mantis",
    "minus",
    "modulus",
    "news",
    "nexus",
    "nucleus",
    "octopus",
    "pelvis",
    "plus",
    "radius",
    "status",
    "stimulus",
    "syllabus",
    "tennis",
    "thus",
    "torus",
    "versus",
    "virus",
    "whereas",
];

/// Maps typographic variants to the plain character a user would type: curly quotes (which
/// phones insert) to straight ones, the many dashes to a hyphen.
pub(crate) fn plain_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => c,
    }
}

/// Appends the normalised words of `text` to `out`, each followed by one space.
///
/// Returns how many words were appended.
fn push_words(text: &str, out: &mut String) -> usize {
    let prepared: String = text
        .chars()
        .map(|c| if c == '_' { ' ' } else { plain_char(c) })
        .collect();
    let lower = prepared.to_lowercase();
    let mut count = 0;
    for word in lower.unicode_words() {
        // UAX #29 keeps `a:b` and `a·b` together (Swedish and Catalan use them inside
        // words); in titles and abstracts they separate words.
        for part in word.split([':', '\u{B7}', '\u{387}']) {
            let part = part.trim_matches(|c| c == '.' || c == '\'');
            if part.chars().any(char::is_alphanumeric) {
                push_folded(part, out);
                out.push(' ');
                count += 1;
            }
        }
    }
    count
}

/// Appends one lower-case word, with the Greek final sigma and simple plurals folded.
fn push_folded(word: &str, out: &mut String) {
    let word = match word.strip_suffix("'s") {
        Some(stem) if !stem.is_empty() => stem,
        _ => word,
    };
    let start = out.len();
    out.extend(word.chars().map(|c| if c == 'ς' { 'σ' } else { c }));
    let folded = &out[start..];
    if !folded.chars().all(char::is_alphabetic) {
        return;
    }
    let chars = folded.chars().count();
    // All suffixes below are ASCII, so byte arithmetic on them stays on char boundaries.
    if chars >= 5 && folded.ends_with("ies") {
        out.truncate(out.len() - 3);
        out.push('y');
        return;
    }
    let mut end = out.len();
    let mut stem_chars = chars;
    if chars >= 4
        && folded.ends_with('s')
        && !SINGULAR_ENDINGS.iter().any(|s| folded.ends_with(s))
        && !SINGULAR_S.contains(&folded)
    {
        end -= 1;
        stem_chars -= 1;
    }
    // `processes` -> `processe` -> `process`; `box`/`boxes`, `match`/`matches`. Applied to
    // singulars too (`case` and `cases` both become `cas`) so that both forms agree.
    let stem = &out[start..end];
    if stem_chars >= 4 {
        if let Some(before) = stem.strip_suffix('e') {
            if ["s", "x", "z", "ch", "sh"]
                .iter()
                .any(|s| before.ends_with(s))
            {
                end -= 1;
            }
        }
    }
    out.truncate(end);
}

/// A term's searchable form, ` w1 w2 `, or `None` when it has no letters or digits.
pub(crate) fn pattern(term: &str) -> Option<String> {
    let mut out = String::from(" ");
    match push_words(term, &mut out) {
        0 => None,
        _ => Some(out),
    }
}

/// Every searchable field of one paper, normalised once.
///
/// The text is the fields' forms separated by newlines: `\n title \n kw1 \n kw2 \n abstract
/// \n author1 \n author2 \n org \n`. No pattern contains a newline, so a match never spans
/// two fields, two keywords or two authors.
pub(crate) struct PaperText<'p> {
    pub(crate) paper: &'p Paper,
    text: String,
    /// Byte range of each field, in [`Field::SEARCHED`] order.
    regions: [(usize, usize); 5],
    /// Byte range of each keyword, in the paper's order (empty keywords have empty ranges).
    keywords: Vec<(usize, usize)>,
    /// Byte range of each author, in the paper's order.
    authors: Vec<(usize, usize)>,
}

impl<'p> PaperText<'p> {
    pub(crate) fn new(paper: &'p Paper) -> PaperText<'p> {
        let mut text = String::with_capacity(
            paper.title.len() + paper.abstract_text.len() + 32 * (paper.authors.len() + 8),
        );
        text.push('\n');
        let mut regions = [(0, 0); 5];
        let mut keywords = Vec::with_capacity(paper.ai_keywords.len());
        let mut authors = Vec::with_capacity(paper.authors.len());
        for (slot, field) in Field::SEARCHED.iter().enumerate() {
            let start = text.len();
            match field {
                Field::Title => {
                    push_segment(&paper.title, &mut text);
                }
                Field::Keyword => {
                    for keyword in &paper.ai_keywords {
                        keywords.push(push_segment(keyword, &mut text));
                    }
                }
                Field::Abstract => {
                    push_segment(&paper.abstract_text, &mut text);
                }
                Field::Author => {
                    for author in &paper.authors {
                        authors.push(push_segment(author, &mut text));
                    }
                }
                Field::Org => {
                    if let Some(org) = &paper.organization {
                        push_segment(org, &mut text);
                    }
                }
                Field::Upvotes => {}
            };
            regions[slot] = (start, text.len());
        }
        PaperText {
            paper,
            text,
            regions,
            keywords,
            authors,
        }
    }

    /// The whole normalised text, for the automaton.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The field bit of the field a match starting at byte `at` lies in.
    pub(crate) fn field_bit_at(&self, at: usize) -> u8 {
        self.regions
            .iter()
            .zip(Field::SEARCHED)
            .find(|((start, end), _)| (*start..*end).contains(&at))
            .map_or(0, |(_, field)| field.bit())
    }

    /// True when `pattern` occurs anywhere.
    pub(crate) fn contains(&self, pattern: &str) -> bool {
        self.text.contains(pattern)
    }

    /// True when `pattern` occurs in the field with bit `bit`.
    pub(crate) fn contains_in(&self, bit: u8, pattern: &str) -> bool {
        self.regions
            .iter()
            .zip(Field::SEARCHED)
            .filter(|(_, field)| field.bit() == bit)
            .any(|((start, end), _)| self.text[*start..*end].contains(pattern))
    }

    /// The bits of every field `pattern` occurs in.
    pub(crate) fn mask(&self, pattern: &str) -> u8 {
        self.regions
            .iter()
            .zip(Field::SEARCHED)
            .filter(|((start, end), _)| self.text[*start..*end].contains(pattern))
            .fold(0, |mask, (_, field)| mask | field.bit())
    }

    /// The first keyword, as the paper spells it, that contains `pattern`.
    pub(crate) fn keyword_with(&self, pattern: &str) -> Option<&'p str> {
        let at = self.segment_with(&self.keywords, pattern)?;
        self.paper.ai_keywords.get(at).map(|k| k.trim())
    }

    /// The first author, as the paper spells the name, that contains `pattern`.
    pub(crate) fn author_with(&self, pattern: &str) -> Option<&'p str> {
        let at = self.segment_with(&self.authors, pattern)?;
        self.paper.authors.get(at).map(|a| a.trim())
    }

    fn segment_with(&self, segments: &[(usize, usize)], pattern: &str) -> Option<usize> {
        segments
            .iter()
            .position(|(start, end)| self.text[*start..*end].contains(pattern))
    }
}

/// Appends one field's form and its newline; returns the form's byte range.
fn push_segment(field: &str, text: &mut String) -> (usize, usize) {
    let start = text.len();
    text.push(' ');
    if push_words(field, text) == 0 {
        text.truncate(start);
    }
    let end = text.len();
    text.push('\n');
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        pattern(s).unwrap_or_default()
    }

    #[test]
    fn words_are_lowercase_and_spaced() {
        assert_eq!(
            norm("Diffusion-Models for RL_based  agents!"),
            " diffusion model for rl based agent "
        );
        assert_eq!(norm("“GPT‑4o” — a model’s view"), " gpt 4o a model view ");
        assert_eq!(pattern("... -- !!"), None);
    }

    #[test]
    fn simple_plurals_fold_to_the_singular_form() {
        for (a, b) in [
            ("model", "models"),
            ("process", "processes"),
            ("box", "boxes"),
            ("patch", "patches"),
            ("image", "images"),
            ("study", "studies"),
            ("bias", "biases"),
            ("class", "classes"),
            ("case", "cases"),
            ("LLM", "LLMs"),
            ("focus", "focuses"),
            ("gas", "gases"),
            ("GPU", "GPUs"),
            ("API", "APIs"),
            ("virus", "viruses"),
            ("axis", "axis"),
        ] {
            assert_eq!(norm(a), norm(b), "{a} / {b}");
        }
        for (a, b) in [
            ("model", "modeling"),
            ("new", "news"),
            ("analysis", "analyse"),
            ("various", "vario"),
        ] {
            assert_ne!(norm(a), norm(b), "{a} / {b}");
        }
    }

    #[test]
    fn unicode_case_and_scripts() {
        assert_eq!(norm("Über"), norm("über"));
        assert_eq!(norm("ΛΌΓΟΣ"), norm("λόγος"));
        assert_eq!(norm("확산 모델"), " 확산 모델 ");
        // Han characters are words of their own, so phrases match inside unspaced text.
        assert_eq!(norm("扩散模型"), " 扩 散 模 型 ");
    }

    #[test]
    fn paper_fields_are_separate_regions() {
        let mut paper = crate::domain::paper::sample::paper("1", 3);
        paper.title = "Diffusion".into();
        paper.abstract_text = "Models".into();
        paper.ai_keywords = vec!["video generation".into(), "  ".into(), "flow".into()];
        paper.authors = vec!["Yann LeCun".into(), "Ada Lovelace".into()];
        paper.organization = Some("Meta AI".into());
        let text = PaperText::new(&paper);
        assert!(!text.contains(" diffusion model "), "{:?}", text.as_str());
        assert!(!text.contains(" lecun ada "));
        assert_eq!(text.mask(" diffusion "), Field::Title.bit());
        assert_eq!(text.mask(" meta "), Field::Org.bit());
        assert_eq!(text.keyword_with(" flow "), Some("flow"));
        assert_eq!(text.author_with(" lovelace "), Some("Ada Lovelace"));
        assert!(text.contains_in(Field::Author.bit(), " yann lecun "));
        assert!(!text.contains_in(Field::Org.bit(), " yann lecun "));
        let at = text.as_str().find(" model ").unwrap();
        assert_eq!(text.field_bit_at(at), Field::Abstract.bit());
    }
}
