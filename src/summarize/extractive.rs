//! The offline summarizer: the default, and the fallback whenever a model cannot answer, so
//! it must work on every paper, instantly, without a network and the same way every time.
//!
//! It only ever quotes: the summary is HF's own `ai_summary` when the paper has one, else the
//! abstract's most representative sentence; the key points are the abstract's most
//! informative sentences, in the abstract's order. Sentences are scored in a TF-IDF space
//! built from the abstract alone (each sentence a document): representativeness is a
//! sentence's cosine similarity to the centroid of the others, informativeness mixes that
//! with the density of distinctive terms, boosted by HF's `ai_keywords` and by the verbs
//! abstracts use to state a contribution or a result.
//!
//! Terms are hashed (FNV-1a, lower-cased, plural `s` dropped) and every table is a `Vec`
//! indexed by sorted term, so no hash-map order can leak into a score, and scores are
//! compared after rounding so that float noise never breaks a tie differently: ties go to
//! the earlier sentence.

use std::borrow::Cow;

use crate::domain::{sentence, Paper, Summary, SummaryOrigin};

/// The summary's length budget, in chars.
const SUMMARY_CHARS: usize = 300;

/// Each key point's length budget, in chars: about three lines on a phone.
const KEY_POINT_CHARS: usize = 220;

/// Sentences shorter than this (in bytes, roughly chars) are usually fragments ("1)", a
/// heading) and make poor summaries or points.
const SHORT_SENTENCE: usize = 40;

/// `ai_keywords` beyond this many are ignored: HF sends about a dozen, and the cap bounds the
/// work on a hostile response.
const MAX_KEYWORDS: usize = 64;

/// The factor on the summary's own sentence as a key point, when other sentences can take
/// its place: the reader has just read it, but a sentence far better than the rest still wins.
const REPEAT_PENALTY: f64 = 0.6;

/// Words that carry no topic, lower case, sorted for binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "among", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "either", "etc", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my", "neither", "no",
    "nor", "not", "of", "off", "often", "on", "once", "one", "only", "or", "other", "our", "ours",
    "out", "over", "own", "per", "same", "she", "should", "since", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
    "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "use", "used", "using",
    "very", "via", "was", "we", "were", "what", "when", "where", "whether", "which", "while",
    "who", "whom", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
];

/// The longest stop word, in bytes; longer words skip the lookup.
const MAX_STOP_WORD: usize = 8;

/// Word prefixes with which abstracts state a contribution or a finding ("we propose", "we
/// find", "outperforms"), lower case.
const CUE_PREFIXES: &[&str] = &[
    "achiev",
    "demonstrat",
    "find",
    "found",
    "improv",
    "introduc",
    "outperform",
    "present",
    "propos",
    "reveal",
    "show",
];

/// A deterministic summary of `paper`, quoted from its abstract (or HF's own summary).
pub fn summarize(paper: &Paper) -> Summary {
    let sentences = sentence::split(&paper.abstract_text);
    let scores = Scores::of(&sentences, &paper.ai_keywords);
    let ai_summary = paper
        .ai_summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let representative = scores.representative();
    let summary = match (ai_summary, representative) {
        (Some(ai), _) => ai,
        (None, Some(i)) => sentences[i],
        (None, None) => paper.title.trim(),
    };
    // Only a summary quoted from the abstract can be repeated by a key point.
    let quoted = if ai_summary.is_none() {
        representative
    } else {
        None
    };
    Summary {
        summary: clip(summary, SUMMARY_CHARS),
        abstract_text: paper.abstract_text.clone(),
        key_points: scores
            .key_points(quoted)
            .into_iter()
            .map(|i| clip(sentences[i], KEY_POINT_CHARS))
            .collect(),
        origin: SummaryOrigin::Extractive,
    }
}

/// How many key points a paper with `sentences` sentences gets: all of a short abstract,
/// three of a usual one, four of a long one.
fn key_point_count(sentences: usize) -> usize {
    match sentences {
        0..=3 => sentences,
        4..=7 => 3,
        _ => 4,
    }
}

/// `text` on one line (abstracts are often hard-wrapped) and within `max_chars`.
fn clip(text: &str, max_chars: usize) -> String {
    let flat = one_line(text);
    sentence::truncate(&flat, max_chars).into_owned()
}

/// `text` with every run of whitespace replaced by one space.
fn one_line(text: &str) -> Cow<'_, str> {
    let mut previous_space = false;
    let is_flat = text.chars().all(|c| {
        let ok = c == ' ' && !previous_space || !c.is_whitespace();
        previous_space = c == ' ';
        ok
    });
    if is_flat {
        return Cow::Borrowed(text);
    }
    let mut flat = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
        }
        flat.push_str(word);
    }
    Cow::Owned(flat)
}

/// Per-sentence scores of one abstract.
struct Scores {
    /// How well each sentence stands for the whole: cosine similarity to the others' centroid.
    centrality: Vec<f64>,
    /// How many distinctive terms each sentence packs, per square root of its length.
    density: Vec<f64>,
    /// Σ over keywords of (share of the keyword's terms in the sentence)².
    keywords: Vec<f64>,
    /// Whether each sentence states a contribution or a finding.
    has_cue: Vec<bool>,
    /// Penalties for sentences that make poor quotes: links, fragments.
    quality: Vec<f64>,
}

impl Scores {
    fn of(sentences: &[&str], keywords: &[String]) -> Scores {
        let n = sentences.len();
        let mut has_cue = Vec::with_capacity(n);
        let mut quality = Vec::with_capacity(n);
        // Every sentence's term hashes, back to back; sentence `i` owns `ends[i-1]..ends[i]`.
        let mut hashes = Vec::new();
        let mut ends = Vec::with_capacity(n);
        for s in sentences {
            let mut cue = false;
            for word in words(s) {
                cue = cue || is_cue(word);
                hashes.extend(term(word));
            }
            ends.push(hashes.len());
            has_cue.push(cue);
            quality.push(quality_of(s));
        }

        let mut vocabulary = hashes.clone();
        vocabulary.sort_unstable();
        vocabulary.dedup();
        let id_of = |hash: u64| vocabulary.binary_search(&hash).ok();

        // Each sentence as sorted (term, count) pairs, back to back, delimited like `hashes`.
        let mut terms: Vec<(usize, u32)> = Vec::with_capacity(hashes.len());
        let mut term_ends = Vec::with_capacity(n);
        let mut scratch: Vec<usize> = Vec::new();
        let mut document_frequency = vec![0u32; vocabulary.len()];
        let mut start = 0;
        for &end in &ends {
            scratch.clear();
            // Every hash is in the vocabulary, which was built from them.
            scratch.extend(hashes[start..end].iter().filter_map(|&h| id_of(h)));
            scratch.sort_unstable();
            let first = terms.len();
            for &id in &scratch {
                match terms[first..].last_mut() {
                    Some((last, count)) if *last == id => *count += 1,
                    _ => {
                        terms.push((id, 1));
                        document_frequency[id] += 1;
                    }
                }
            }
            term_ends.push(terms.len());
            start = end;
        }

        let idf: Vec<f64> = document_frequency
            .iter()
            .map(|&df| ((1.0 + n as f64) / (1.0 + f64::from(df))).ln() + 1.0)
            .collect();
        let weight = |(id, count): (usize, u32)| (1.0 + f64::from(count).ln()) * idf[id];
        let sentence_terms = |i: usize| {
            let from = if i == 0 { 0 } else { term_ends[i - 1] };
            &terms[from..term_ends[i]]
        };

        let mut centroid = vec![0.0f64; vocabulary.len()];
        for &(id, count) in &terms {
            centroid[id] += weight((id, count));
        }
        let centroid_norm2: f64 = centroid.iter().map(|w| w * w).sum();

        let mut centrality = Vec::with_capacity(n);
        let mut density = Vec::with_capacity(n);
        for i in 0..n {
            let own = sentence_terms(i);
            let (mut norm2, mut dot, mut mass) = (0.0, 0.0, 0.0);
            for &t in own {
                let w = weight(t);
                norm2 += w * w;
                dot += w * centroid[t.0];
                mass += idf[t.0];
            }
            // The centroid of the other sentences is the whole centroid minus this one.
            let others_dot = dot - norm2;
            let others_norm2 = (centroid_norm2 - 2.0 * dot + norm2).max(0.0);
            let cosine = if norm2 > 0.0 && others_norm2 > 0.0 {
                others_dot / (norm2.sqrt() * others_norm2.sqrt())
            } else {
                0.0
            };
            centrality.push(cosine.max(0.0));
            density.push(if own.is_empty() {
                0.0
            } else {
                mass / (own.len() as f64).sqrt()
            });
        }

        let keyword_terms: Vec<Vec<Option<usize>>> = keywords
            .iter()
            .take(MAX_KEYWORDS)
            .map(|k| words(k).filter_map(term).map(id_of).collect::<Vec<_>>())
            .filter(|ids| !ids.is_empty())
            .collect();
        let keywords = (0..n)
            .map(|i| {
                let own = sentence_terms(i);
                keyword_terms
                    .iter()
                    .map(|ids| {
                        let present = ids
                            .iter()
                            .flatten()
                            .filter(|&&id| own.binary_search_by_key(&id, |t| t.0).is_ok())
                            .count();
                        let share = present as f64 / ids.len() as f64;
                        share * share
                    })
                    .sum()
            })
            .collect();

        Scores {
            centrality,
            density,
            keywords,
            has_cue,
            quality,
        }
    }

    /// The sentence that best stands for the abstract, if it has any.
    fn representative(&self) -> Option<usize> {
        let scores: Vec<f64> = self
            .centrality
            .iter()
            .zip(&self.quality)
            .map(|(c, q)| c * q)
            .collect();
        ranked(&scores).into_iter().next()
    }

    /// The key points' sentences, in the abstract's order; `quoted` is the sentence already
    /// used as the summary, passed over when others can take its place.
    fn key_points(&self, quoted: Option<usize>) -> Vec<usize> {
        let n = self.centrality.len();
        let count = key_point_count(n);
        let max = |v: &[f64]| v.iter().copied().fold(0.0f64, f64::max);
        let (max_centrality, max_density) = (max(&self.centrality), max(&self.density));
        let share = |x: f64, max: f64| if max > 0.0 { x / max } else { 0.0 };
        let scores: Vec<f64> = (0..n)
            .map(|i| {
                let base = 0.6 * share(self.centrality[i], max_centrality)
                    + 0.4 * share(self.density[i], max_density);
                let keyword_boost = 1.0 + 0.25 * self.keywords[i].min(4.0);
                let cue_boost = if self.has_cue[i] { 1.15 } else { 1.0 };
                let repeat = if quoted == Some(i) && n > count {
                    REPEAT_PENALTY
                } else {
                    1.0
                };
                // A small floor keeps sentences without any term rankable.
                (base + 0.01) * keyword_boost * cue_boost * self.quality[i] * repeat
            })
            .collect();
        let mut chosen: Vec<usize> = ranked(&scores).into_iter().take(count).collect();
        chosen.sort_unstable();
        chosen
    }
}

/// Indices of `scores`, best first, equal scores (after rounding away float noise) in
/// their original order.
fn ranked(scores: &[f64]) -> Vec<usize> {
    // `as` saturates and maps NaN to 0, so every score gets a key.
    let key = |x: f64| (x * 1e9).round() as i64;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(key(scores[i])), i));
    order
}

/// How good a quote a sentence makes, as a factor: links and fragments rank lower.
fn quality_of(sentence: &str) -> f64 {
    let link = sentence.contains("://") || sentence.contains("github.com");
    let short = sentence.len() < SHORT_SENTENCE;
    match (link, short) {
        (true, _) => 0.4,
        (false, true) => 0.5,
        (false, false) => 1.0,
    }
}

/// The words of `text`: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn is_cue(word: &str) -> bool {
    let bytes = word.as_bytes();
    let Some(first) = bytes.first().map(u8::to_ascii_lowercase) else {
        return false;
    };
    CUE_PREFIXES.iter().any(|cue| {
        cue.as_bytes().first() == Some(&first)
            && bytes
                .get(..cue.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(cue.as_bytes()))
    })
}

/// A word's term: the hash of its lower-cased form without a plural `s`, or `None` for
/// stop words, single letters and bare numbers, which say nothing about the topic.
fn term(word: &str) -> Option<u64> {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !word.is_ascii() {
        return Some(fnv1a(word.chars().flat_map(char::to_lowercase).flat_map(
            |c| {
                let mut buf = [0u8; 4];
                let len = c.encode_utf8(&mut buf).len();
                buf.into_iter().take(len)
            },
        )));
    }
    let bytes = word.as_bytes();
    if bytes.len() < 2 || is_stop_word(bytes) {
        return None;
    }
    let plural = bytes.len() > 3
        && bytes[bytes.len() - 1].eq_ignore_ascii_case(&b's')
        && !matches!(
            bytes[bytes.len() - 2].to_ascii_lowercase(),
            b's' | b'u' | b'i'
        );
    let stem = if plural {
        &bytes[..bytes.len() - 1]
    } else {
        bytes
    };
    Some(fnv1a(stem.iter().map(u8::to_ascii_lowercase)))
}

fn is_stop_word(word: &[u8]) -> bool {
    word.len() <= MAX_STOP_WORD && STOP_KEYS.binary_search(&stop_key(word)).is_ok()
}

/// [`STOP_WORDS`] as numbers, so the lookup done for every word of every abstract compares
/// integers instead of strings.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = stop_key(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// A word of at most [`MAX_STOP_WORD`] ASCII bytes as a number that sorts like the word:
/// its lower-cased bytes, big-endian, zero-padded.
const fn stop_key(word: &[u8]) -> u64 {
    let mut key = 0;
    let mut i = 0;
    while i < MAX_STOP_WORD {
        key <<= 8;
        if i < word.len() {
            key |= word[i].to_ascii_lowercase() as u64;
        }
        i += 1;
    }
    key
}

/// 64-bit FNV-1a: stable across runs and platforms, unlike std's randomly seeded hasher.
fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample;
    use proptest::prelude::*;

    const ABSTRACT: &str = "Large language models are increasingly used as agents. \
        Yet their reliability over long sessions is poorly understood. \
        We introduce SODA, a benchmark that measures agent safety over conversation depth. \
        Evaluating 7 models from 4 families, safety improves by 9-52% as depth grows. \
        Representation analysis confirms that hidden states shift toward a safety-aligned region. \
        We recommend warming up agents with regular tasks before deployment. \
        Our code is available at https://github.com/example/soda.";

    fn paper(abstract_text: &str) -> Paper {
        Paper {
            abstract_text: abstract_text.to_string(),
            ..sample::paper("2606.07867", 1)
        }
    }

    /// True when `point` is `sentence` (whitespace flattened) or a truncated prefix of it.
    fn quotes(point: &str, sentence: &str) -> bool {
        let sentence = one_line(sentence);
        match point.strip_suffix('…') {
            Some(prefix) => sentence.starts_with(prefix) && prefix.len() < sentence.len(),
            None => point == sentence,
        }
    }

    /// The positions in `sentences` of each key point, failing when one is not a quote.
    #[track_caller]
    fn positions(points: &[String], sentences: &[&str]) -> Vec<usize> {
        points
            .iter()
            .map(|p| {
                sentences
                    .iter()
                    .position(|s| quotes(p, s))
                    .unwrap_or_else(|| panic!("{p:?} is not a sentence of the abstract"))
            })
            .collect()
    }

    #[test]
    fn a_normal_abstract_gives_three_or_four_points_in_order() {
        let summary = summarize(&paper(ABSTRACT));
        let sentences = sentence::split(ABSTRACT);
        assert_eq!(sentences.len(), 7);
        assert_eq!(summary.key_points.len(), 3);
        let at = positions(&summary.key_points, &sentences);
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        assert_eq!(summary.abstract_text, ABSTRACT);
        assert_eq!(summary.origin, SummaryOrigin::Extractive);
        // The link is a poor point when better sentences exist.
        assert!(!at.contains(&6), "{at:?}");
    }

    #[test]
    fn a_long_abstract_gives_four_points() {
        let long = format!("{ABSTRACT} Safety benchmarks confirm the finding. Utility is preserved in every setting we tried.");
        let summary = summarize(&paper(&long));
        assert_eq!(summary.key_points.len(), 4);
        let at = positions(&summary.key_points, &sentence::split(&long));
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    }

    #[test]
    fn without_ai_summary_the_summary_is_the_most_central_sentence() {
        let summary = summarize(&paper(ABSTRACT));
        assert_eq!(
            summary.summary,
            "We introduce SODA, a benchmark that measures agent safety over conversation depth."
        );
    }

    /// Scores for `n` sentences, all alike but for the centrality given for some.
    fn uniform_scores(n: usize, centrality: &[(usize, f64)]) -> Scores {
        let mut scores = Scores {
            centrality: vec![0.5; n],
            density: vec![1.0; n],
            keywords: vec![0.0; n],
            has_cue: vec![false; n],
            quality: vec![1.0; n],
        };
        for &(i, c) in centrality {
            scores.centrality[i] = c;
        }
        scores
    }

    #[test]
    fn the_summary_sentence_yields_its_place_when_others_are_as_good() {
        let scores = uniform_scores(5, &[]);
        assert_eq!(scores.key_points(None), [0, 1, 2]);
        assert_eq!(scores.key_points(Some(1)), [0, 2, 3]);
        // Only mildly: a sentence far better than the rest stays.
        let scores = uniform_scores(5, &[(0, 0.1), (1, 1.0), (2, 0.1), (3, 0.1), (4, 0.1)]);
        assert_eq!(scores.key_points(Some(1)), [0, 1, 2]);
        // And not when every sentence is needed anyway.
        let scores = uniform_scores(3, &[]);
        assert_eq!(scores.key_points(Some(1)), [0, 1, 2]);
    }

    #[test]
    fn ties_go_to_the_earlier_sentence() {
        let scores = uniform_scores(6, &[(4, 0.9), (5, 0.9)]);
        assert_eq!(scores.representative(), Some(4));
        assert_eq!(scores.key_points(None), [0, 4, 5]);
        assert_eq!(ranked(&[0.3, 0.3 + 1e-12, 0.7, 0.3]), [2, 0, 1, 3]);
        assert_eq!(ranked(&[f64::NAN, 0.0, 0.1]), [2, 0, 1]);
    }

    #[test]
    fn ai_summary_is_used_when_present_and_ignored_when_blank() {
        let mut p = paper(ABSTRACT);
        p.ai_summary = Some("  Agents get safer after warming up.  ".to_string());
        assert_eq!(summarize(&p).summary, "Agents get safer after warming up.");

        for blank in ["", "   \n\t"] {
            p.ai_summary = Some(blank.to_string());
            let summary = summarize(&p);
            assert!(sentence::split(ABSTRACT).contains(&summary.summary.as_str()));
        }
    }

    #[test]
    fn ai_keywords_pull_their_sentence_into_the_key_points() {
        let without = summarize(&paper(ABSTRACT));
        let hidden = "Representation analysis confirms that hidden states shift toward a safety-aligned region.";
        assert!(!without.key_points.iter().any(|k| k == hidden));
        let mut p = paper(ABSTRACT);
        p.ai_keywords = vec![
            "representation analysis".to_string(),
            "hidden states".to_string(),
            "safety-aligned region".to_string(),
        ];
        let with = summarize(&p);
        assert!(
            with.key_points.iter().any(|k| k == hidden),
            "{:?}",
            with.key_points
        );
    }

    #[test]
    fn long_sentences_are_trimmed_at_a_word_boundary() {
        let long_sentence = format!(
            "We propose {} as a method.",
            "a very long clause, ".repeat(30)
        );
        let text =
            format!("{long_sentence} It works. It also scales well. And it is cheap to run.");
        let summary = summarize(&paper(&text));
        for point in &summary.key_points {
            assert!(point.chars().count() <= KEY_POINT_CHARS, "{point}");
        }
        assert!(summary.summary.chars().count() <= SUMMARY_CHARS);
        let trimmed = summary
            .key_points
            .iter()
            .find(|p| p.starts_with("We propose"))
            .expect("the long sentence is a key point");
        assert!(
            trimmed.ends_with('…') && !trimmed.ends_with(",…"),
            "{trimmed}"
        );
        assert!(trimmed.chars().count() > KEY_POINT_CHARS / 2, "{trimmed}");
    }

    #[test]
    fn hard_wrapped_abstracts_give_one_line_points() {
        let text =
            "We study\n  wrapped lines.\nThey come from arXiv\tsources.\n\nAnd we flatten them.";
        let summary = summarize(&paper(text));
        assert_eq!(
            summary.key_points,
            [
                "We study wrapped lines.",
                "They come from arXiv sources.",
                "And we flatten them."
            ]
        );
        assert_eq!(summary.abstract_text, text);
    }

    #[test]
    fn empty_abstract_falls_back_to_ai_summary_then_title() {
        for empty in ["", "  \n\n  "] {
            let mut p = paper(empty);
            let summary = summarize(&p);
            assert!(summary.key_points.is_empty());
            assert_eq!(summary.summary, "Paper 2606.07867");
            assert_eq!(summary.abstract_text, empty);

            p.ai_summary = Some("HF says so.".to_string());
            assert_eq!(summarize(&p).summary, "HF says so.");
        }
    }

    #[test]
    fn one_sentence_abstract_is_the_point_and_the_summary() {
        let text = "We show that one sentence is enough.";
        let summary = summarize(&paper(text));
        assert_eq!(summary.key_points, [text]);
        assert_eq!(summary.summary, text);

        let mut p = paper(text);
        p.ai_summary = Some("Short.".to_string());
        let summary = summarize(&p);
        assert_eq!(summary.summary, "Short.");
        assert_eq!(summary.key_points, [text]);
    }

    #[test]
    fn two_sentence_abstract_gives_both_in_order() {
        let text = "Agents forget corrections. TRACE compiles them into runtime checks.";
        let summary = summarize(&paper(text));
        assert_eq!(
            summary.key_points,
            [
                "Agents forget corrections.",
                "TRACE compiles them into runtime checks."
            ]
        );
        // Two sentences are equally similar to each other: the earlier one wins.
        assert_eq!(summary.summary, "Agents forget corrections.");
    }

    #[test]
    fn stop_words_and_numbers_are_not_terms() {
        assert_eq!(term("The"), None);
        assert_eq!(term("between"), None);
        assert_eq!(term("2026"), None);
        assert_eq!(term("a"), None);
        assert_eq!(term("Models"), term("model"));
        assert_eq!(term("LLMs"), term("llm"));
        assert_ne!(term("class"), term("clas"));
        assert_eq!(term("Ärzte"), term("ärzte"));
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= MAX_STOP_WORD));
        assert!(STOP_KEYS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w.as_bytes())));
        assert!(is_stop_word(b"BETWEEN") && !is_stop_word(b"betweenness") && !is_stop_word(b"th"));
    }

    #[test]
    fn same_input_same_output() {
        let mut p = paper(ABSTRACT);
        p.ai_keywords = vec!["agent safety".to_string(), "SODA".to_string()];
        let first = summarize(&p);
        for _ in 0..5 {
            assert_eq!(summarize(&p.clone()), first);
        }
        // Identical sentences tie exactly: the earlier ones win, whatever the order of keys.
        let repeated = "Same words here again. Same words here again. Same words here again. Same words here again. Same words here again.";
        let summary = summarize(&paper(repeated));
        assert_eq!(summary.key_points.len(), 3);
    }

    /// The papers of a recorded API response, read with `serde_json::Value` so that this
    /// test does not depend on the HF client's own types.
    fn recorded(file: &str) -> Vec<Paper> {
        let path = format!(
            "{}/../shared/fixtures/hf/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let json = std::fs::read_to_string(&path).expect("the recorded day is readable");
        let items: serde_json::Value =
            serde_json::from_str(&json).expect("the recorded day is JSON");
        let items = items.as_array().expect("the recorded day is an array");
        items
            .iter()
            .map(|item| {
                let p = &item["paper"];
                let text = |key: &str| p[key].as_str().map(str::to_string);
                Paper {
                    id: text("id").expect("every paper has an id"),
                    title: text("title").expect("every paper has a title"),
                    abstract_text: text("summary").expect("every paper has an abstract"),
                    ai_summary: text("ai_summary"),
                    ai_keywords: p["ai_keywords"]
                        .as_array()
                        .map(|k| {
                            k.iter()
                                .filter_map(|k| k.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    ..sample::paper("", 0)
                }
            })
            .collect()
    }

    /// 3-4 points, each a sentence of the abstract or a cut prefix of one, in order, within
    /// the length budget; the abstract unchanged.
    #[track_caller]
    fn assert_quoted_points(paper: &Paper, summary: &Summary) {
        let sentences = sentence::split(&paper.abstract_text);
        let points = &summary.key_points;
        assert!((3..=4).contains(&points.len()), "{}: {points:?}", paper.id);
        let at = positions(points, &sentences);
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{}: {at:?}", paper.id);
        assert!(points.iter().all(|k| k.chars().count() <= KEY_POINT_CHARS));
        assert_eq!(summary.abstract_text, paper.abstract_text);
    }

    #[test]
    fn every_recorded_paper_gets_three_or_four_quoted_points() {
        let papers = recorded("daily_papers_2026-06-12.json");
        assert_eq!(papers.len(), 30);
        for mut paper in papers {
            let ai_summary = paper.ai_summary.clone().expect("this day has ai summaries");
            let summary = summarize(&paper);
            assert_quoted_points(&paper, &summary);
            assert_eq!(summary.summary, clip(&ai_summary, SUMMARY_CHARS));

            // Without HF's summary, one of the abstract's own sentences stands in.
            paper.ai_summary = None;
            let summary = summarize(&paper);
            assert_quoted_points(&paper, &summary);
            let sentences = sentence::split(&paper.abstract_text);
            assert!(
                sentences.iter().any(|s| quotes(&summary.summary, s)),
                "{}: {}",
                paper.id,
                summary.summary
            );
        }
    }

    #[test]
    fn recorded_papers_without_ai_fields_are_summarized_from_the_abstract() {
        let papers = [
            recorded("daily_papers_2026-07-31_partial.json"),
            recorded("daily_papers_latest_limit3.json"),
        ]
        .concat();
        assert_eq!(papers.len(), 8);
        for paper in papers {
            assert!(paper.ai_summary.is_none() && paper.ai_keywords.is_empty());
            let summary = summarize(&paper);
            assert_quoted_points(&paper, &summary);
            let sentences = sentence::split(&paper.abstract_text);
            assert!(sentences.iter().any(|s| quotes(&summary.summary, s)));
        }
    }

    fn arbitrary_paper() -> impl Strategy<Value = Paper> {
        (
            any::<String>(),
            any::<String>(),
            proptest::option::of(any::<String>()),
            prop::collection::vec(any::<String>(), 0..20),
        )
            .prop_map(|(title, abstract_text, ai_summary, ai_keywords)| Paper {
                title,
                abstract_text,
                ai_summary,
                ai_keywords,
                ..sample::paper("x", 0)
            })
    }

    fn check_summary(paper: &Paper) -> Result<(), TestCaseError> {
        let summary = summarize(paper);
        let sentences = sentence::split(&paper.abstract_text);
        prop_assert_eq!(summary.key_points.len(), key_point_count(sentences.len()));
        prop_assert!(summary.key_points.len() <= 4);
        prop_assert!(summary.summary.chars().count() <= SUMMARY_CHARS);
        for point in &summary.key_points {
            prop_assert!(point.chars().count() <= KEY_POINT_CHARS);
        }
        prop_assert_eq!(&summary.abstract_text, &paper.abstract_text);
        prop_assert_eq!(summarize(paper), summary);
        Ok(())
    }

    proptest! {
        #[test]
        fn summarize_never_panics_on_arbitrary_papers(paper in arbitrary_paper()) {
            check_summary(&paper)?;
        }

        #[test]
        fn summarize_never_panics_on_prose(
            words in prop::collection::vec(prop_oneof![
                "[A-Z][a-z]{0,8}",
                "[a-z]{1,10}",
                Just(". ".to_string()),
                Just(", ".to_string()),
                Just(" ".to_string()),
                Just("e.g. ".to_string()),
                Just("3.5%".to_string()),
                Just("。".to_string()),
                Just("\n\n".to_string()),
            ], 0..300),
            keywords in prop::collection::vec("[a-z ]{0,20}", 0..10),
        ) {
            let mut paper = paper(&words.concat());
            paper.ai_keywords = keywords;
            check_summary(&paper)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        #[test]
        fn summarize_handles_huge_abstracts(
            sentences in prop::collection::vec("[A-Z][a-z ]{0,80}[.!?] ", 500..2000),
            noise in prop::collection::vec(any::<char>(), 0..20_000),
        ) {
            let mut text = sentences.concat();
            text.extend(noise);
            check_summary(&paper(&text))?;
        }
    }
}
