//! Splitting prose into sentences, for the summarizer and for renderers that must cut long
//! text at a sentence boundary.

/// The sentences of `text`, trimmed, in order, as slices of it.
///
/// A first cut: splits after `.`, `!` or `?` followed by whitespace and an upper-case letter
/// or digit. The extractive summarizer's work replaces it with one that knows abbreviations.
pub fn split(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in 0..chars.len() {
        let (i, c) = chars[w];
        if matches!(c, '.' | '!' | '?') {
            let next_ws = chars.get(w + 1).is_some_and(|(_, n)| n.is_whitespace());
            if next_ws {
                let end = i + c.len_utf8();
                let s = text[start..end].trim();
                if !s.is_empty() {
                    out.push(s);
                }
                start = end;
            }
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}
