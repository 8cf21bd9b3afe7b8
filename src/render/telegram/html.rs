//! A strict validator of Telegram's HTML parse mode, written apart from the renderer.
//!
//! Telegram refuses a whole message over one stray `&` or a tag it does not know ("can't
//! parse entities"), and counts its limits after entity parsing in UTF-16 code units. This
//! module is a small tokenizer with its own reading of those rules, sharing no code with the
//! renderer, so that tests checking every payload with it can actually catch a renderer bug.
//! It is stricter than Telegram where Telegram is lenient (attribute values must be
//! double-quoted, tags lower-case, a bare `>` in text is refused).

/// Why a text is not HTML that Telegram will accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlProblem {
    #[error("unknown or disallowed tag <{tag}> at byte {at}")]
    UnknownTag { tag: String, at: usize },
    #[error("malformed tag at byte {at}")]
    MalformedTag { at: usize },
    #[error("attribute {attribute:?} not allowed on <{tag}> at byte {at}")]
    BadAttribute {
        tag: String,
        attribute: String,
        at: usize,
    },
    #[error("<{tag}> at byte {at} lacks its {attribute:?} attribute")]
    MissingAttribute {
        tag: String,
        attribute: &'static str,
        at: usize,
    },
    #[error("</{found}> at byte {at} while <{expected}> is open")]
    Misnested {
        expected: String,
        found: String,
        at: usize,
    },
    #[error("</{tag}> at byte {at} closes nothing")]
    UnexpectedClose { tag: String, at: usize },
    #[error("<{tag}> is never closed")]
    Unclosed { tag: String },
    #[error("<{tag}> at byte {at} inside <{parent}>, which does not allow it")]
    NotAllowedInside {
        tag: String,
        parent: String,
        at: usize,
    },
    #[error("unescaped {ch:?} at byte {at}")]
    Unescaped { ch: char, at: usize },
    #[error("bad entity {entity:?} at byte {at}")]
    BadEntity { entity: String, at: usize },
    #[error("{len} characters after entity parsing, over the limit of {limit}")]
    TooLong { len: usize, limit: usize },
}

/// Checks that `html` is Telegram HTML whose visible text is at most `limit` UTF-16 code
/// units (4096 for a message, 1024 for a caption).
pub fn check(html: &str, limit: usize) -> Result<(), HtmlProblem> {
    let len = scan(html, true)?;
    if len > limit {
        return Err(HtmlProblem::TooLong { len, limit });
    }
    Ok(())
}

/// The length Telegram counts for `html`: its text after entity parsing, in UTF-16 code
/// units. Malformed markup is counted as text, as a best effort.
pub fn visible_len(html: &str) -> usize {
    // In lenient mode the scan never returns an error.
    scan(html, false).unwrap_or(0)
}

/// Walks `html` once, returning its visible length; in strict mode stops at the first
/// problem, otherwise reads anything malformed as plain text.
fn scan(html: &str, strict: bool) -> Result<usize, HtmlProblem> {
    let mut visible = 0usize;
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    let mut at = 0usize;
    while let Some(c) = rest.chars().next() {
        let step = match c {
            '<' => match tag(html, at, &mut stack) {
                Ok(len) => len,
                Err(problem) if strict => return Err(problem),
                Err(_) => {
                    visible += 1;
                    1
                }
            },
            '&' => match entity(rest, at) {
                Ok((decoded, len)) => {
                    visible += decoded.len_utf16();
                    len
                }
                Err(problem) if strict => return Err(problem),
                Err(_) => {
                    visible += 1;
                    1
                }
            },
            '>' if strict => return Err(HtmlProblem::Unescaped { ch: '>', at }),
            c => {
                visible += c.len_utf16();
                c.len_utf8()
            }
        };
        at += step;
        rest = &html[at..];
    }
    if strict {
        if let Some(open) = stack.last() {
            return Err(HtmlProblem::Unclosed {
                tag: open.to_string(),
            });
        }
    }
    Ok(visible)
}

/// Tags Telegram's HTML mode knows.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
];

/// Reads the tag starting at byte `at` (a `<`), updates the stack and returns its length.
fn tag<'a>(html: &'a str, at: usize, stack: &mut Vec<&'a str>) -> Result<usize, HtmlProblem> {
    let malformed = HtmlProblem::MalformedTag { at };
    let after = &html[at + 1..];
    let end = after.find('>').ok_or(malformed.clone())?;
    let inner = &after[..end];
    let len = end + 2;

    if let Some(name) = inner.strip_prefix('/') {
        if !is_name(name) {
            return Err(malformed);
        }
        return match stack.last() {
            Some(open) if *open == name => {
                stack.pop();
                Ok(len)
            }
            Some(open) => Err(HtmlProblem::Misnested {
                expected: open.to_string(),
                found: name.to_string(),
                at,
            }),
            None => Err(HtmlProblem::UnexpectedClose {
                tag: name.to_string(),
                at,
            }),
        };
    }

    let name_len = inner
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if name.is_empty() {
        return Err(malformed);
    }
    if !TAGS.contains(&name) {
        return Err(HtmlProblem::UnknownTag {
            tag: name.to_string(),
            at,
        });
    }
    let attributes = attributes(&inner[name_len..], at)?;
    let bad = |attribute: &str| HtmlProblem::BadAttribute {
        tag: name.to_string(),
        attribute: attribute.to_string(),
        at,
    };
    let missing = |attribute| HtmlProblem::MissingAttribute {
        tag: name.to_string(),
        attribute,
        at,
    };
    let mut has_class = false;
    let required: Option<&'static str> = match name {
        "a" => Some("href"),
        "span" => Some("class"),
        "tg-emoji" => Some("emoji-id"),
        _ => None,
    };
    for (key, value) in &attributes {
        let ok = match (name, *key, value.as_deref()) {
            ("a", "href", Some(v)) => !v.trim().is_empty(),
            ("span", "class", Some("tg-spoiler")) => true,
            ("tg-emoji", "emoji-id", Some(v)) => {
                !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
            }
            ("blockquote", "expandable", None) => true,
            ("code", "class", Some(v)) => {
                has_class = true;
                v.strip_prefix("language-").is_some_and(|l| !l.is_empty())
            }
            _ => false,
        };
        if !ok {
            return Err(bad(key));
        }
    }
    if attributes.len() > 1 {
        return Err(bad(attributes[1].0));
    }
    if let Some(required) = required {
        if !attributes.iter().any(|(k, _)| *k == required) {
            return Err(missing(required));
        }
    }

    if let Some(&parent) = stack.last() {
        let not_allowed = || HtmlProblem::NotAllowedInside {
            tag: name.to_string(),
            parent: parent.to_string(),
            at,
        };
        match parent {
            "code" => return Err(not_allowed()),
            "pre" if name != "code" => return Err(not_allowed()),
            _ => {}
        }
        // A `code` with a language only makes sense directly in a `pre`.
        if has_class && parent != "pre" {
            return Err(bad("class"));
        }
        let ancestor_named = |n: &str| stack.contains(&n);
        if (name == "blockquote" && ancestor_named("blockquote"))
            || (name == "a" && ancestor_named("a"))
            || (name == "pre" && ancestor_named("pre"))
        {
            return Err(not_allowed());
        }
    } else if has_class {
        return Err(bad("class"));
    }
    stack.push(name);
    Ok(len)
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `key` or `key="value"` pairs, separated by whitespace; values must be double-quoted and
/// hold only valid entities and no `<`.
fn attributes(mut s: &str, at: usize) -> Result<Vec<(&str, Option<String>)>, HtmlProblem> {
    let malformed = HtmlProblem::MalformedTag { at };
    let mut out = Vec::new();
    loop {
        let trimmed = s.trim_start_matches([' ', '\n', '\t']);
        if trimmed.is_empty() {
            return Ok(out);
        }
        if trimmed.len() == s.len() {
            // Attributes must be separated from the name and from each other.
            return Err(malformed);
        }
        s = trimmed;
        let key_len = s
            .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
            .unwrap_or(s.len());
        if key_len == 0 {
            return Err(malformed);
        }
        let key = &s[..key_len];
        s = &s[key_len..];
        let Some(quoted) = s.strip_prefix("=\"") else {
            out.push((key, None));
            continue;
        };
        let close = quoted.find('"').ok_or(malformed.clone())?;
        let raw = &quoted[..close];
        let mut value = String::with_capacity(raw.len());
        let mut i = 0;
        while let Some(c) = raw[i..].chars().next() {
            match c {
                '<' => return Err(HtmlProblem::Unescaped { ch: '<', at }),
                '&' => {
                    let (decoded, len) = entity(&raw[i..], at)?;
                    value.push(decoded);
                    i += len;
                }
                c => {
                    value.push(c);
                    i += c.len_utf8();
                }
            }
        }
        out.push((key, Some(value)));
        s = &quoted[close + 1..];
    }
}

/// Decodes the entity at the start of `s` (an `&`): the character and the entity's length.
fn entity(s: &str, at: usize) -> Result<(char, usize), HtmlProblem> {
    let end = s
        .char_indices()
        .take(12)
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i);
    let bad = || HtmlProblem::BadEntity {
        entity: s.chars().take(12).collect(),
        at,
    };
    let end = end.ok_or_else(bad)?;
    let name = &s[1..end];
    let decoded = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => name.strip_prefix('#').and_then(|num| {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()
                }
                None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                    num.parse().ok()
                }
                _ => None,
            }?;
            char::from_u32(code).filter(|c| *c != '\0')
        }),
    };
    decoded.map(|c| (c, end + 1)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_telegram_accepts() {
        for html in [
            "plain text",
            "<b>bold <i>both</i></b> &lt;tag&gt; &amp; &quot; &#128512; &#x1F600;",
            "<a href=\"https://example.com/?a=1&amp;b=2\">link</a>",
            "<blockquote expandable>long</blockquote><blockquote>other</blockquote>",
            "<pre><code class=\"language-rust\">fn main() {}</code></pre>",
            "<span class=\"tg-spoiler\">x</span><tg-spoiler>y</tg-spoiler>",
            "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
            "<s>a</s><strike>b</strike><del>c</del><u>d</u><ins>e</ins><em>f</em><strong>g</strong>",
            "",
        ] {
            assert_eq!(check(html, 4096), Ok(()), "{html}");
        }
    }

    #[test]
    fn rejects_misnesting() {
        assert!(matches!(
            check("<b><i></b></i>", 4096),
            Err(HtmlProblem::Misnested { .. })
        ));
        assert!(matches!(
            check("<b>open", 4096),
            Err(HtmlProblem::Unclosed { .. })
        ));
        assert!(matches!(
            check("close</b>", 4096),
            Err(HtmlProblem::UnexpectedClose { .. })
        ));
    }

    #[test]
    fn rejects_unknown_tags_and_attributes() {
        assert!(matches!(
            check("<div>x</div>", 4096),
            Err(HtmlProblem::UnknownTag { .. })
        ));
        assert!(matches!(
            check("<script>alert(1)</script>", 4096),
            Err(HtmlProblem::UnknownTag { .. })
        ));
        assert!(matches!(
            check("a<br/>b", 4096),
            Err(HtmlProblem::UnknownTag { .. })
        ));
        assert!(matches!(
            check("<b class=\"x\">y</b>", 4096),
            Err(HtmlProblem::BadAttribute { .. })
        ));
        assert!(matches!(
            check("<a>no href</a>", 4096),
            Err(HtmlProblem::MissingAttribute { .. })
        ));
        assert!(matches!(
            check("<a href='single'>x</a>", 4096),
            Err(HtmlProblem::BadAttribute { .. } | HtmlProblem::MalformedTag { .. })
        ));
        assert!(matches!(
            check("<span class=\"other\">x</span>", 4096),
            Err(HtmlProblem::BadAttribute { .. })
        ));
        assert!(matches!(
            check("<a href=\"x\" href=\"y\">x</a>", 4096),
            Err(HtmlProblem::BadAttribute { .. })
        ));
        assert!(matches!(
            check("<B>x</B>", 4096),
            Err(HtmlProblem::MalformedTag { .. })
        ));
    }

    #[test]
    fn rejects_markup_where_it_cannot_nest() {
        for html in [
            "<code><b>x</b></code>",
            "<pre><b>x</b></pre>",
            "<blockquote><blockquote>x</blockquote></blockquote>",
            "<blockquote expandable><b><blockquote>x</blockquote></b></blockquote>",
            "<a href=\"u\"><a href=\"v\">x</a></a>",
            "<b><code class=\"language-x\">y</code></b>",
        ] {
            assert!(
                matches!(
                    check(html, 4096),
                    Err(HtmlProblem::NotAllowedInside { .. } | HtmlProblem::BadAttribute { .. })
                ),
                "{html}"
            );
        }
    }

    #[test]
    fn rejects_bare_characters_and_bad_entities() {
        assert!(matches!(
            check("fish & chips", 4096),
            Err(HtmlProblem::BadEntity { .. })
        ));
        assert!(matches!(
            check("a &nbsp; b", 4096),
            Err(HtmlProblem::BadEntity { .. })
        ));
        assert!(matches!(
            check("&#xD800;", 4096),
            Err(HtmlProblem::BadEntity { .. })
        ));
        assert!(matches!(
            check("&#;", 4096),
            Err(HtmlProblem::BadEntity { .. })
        ));
        assert!(matches!(
            check("1 < 2", 4096),
            Err(HtmlProblem::MalformedTag { .. } | HtmlProblem::UnknownTag { .. })
        ));
        assert!(matches!(
            check("2 > 1", 4096),
            Err(HtmlProblem::Unescaped { ch: '>', .. })
        ));
        assert!(matches!(
            check("<a href=\"a&b\">x</a>", 4096),
            Err(HtmlProblem::BadEntity { .. })
        ));
        assert!(matches!(
            check("<a href=\"a<b\">x</a>", 4096),
            Err(HtmlProblem::Unescaped { .. })
        ));
    }

    #[test]
    fn counts_after_entity_parsing_in_utf16() {
        assert_eq!(visible_len("<b>a&amp;b</b>"), 3);
        assert_eq!(visible_len("<a href=\"https://long.example/\">x</a>"), 1);
        assert_eq!(visible_len("😀"), 2);
        assert_eq!(visible_len("&#128512;"), 2);
        assert_eq!(visible_len("한국어"), 3);
        assert_eq!(check(&"a".repeat(1024), 1024), Ok(()));
        assert_eq!(
            check(&format!("<b>{}</b>", "a".repeat(1025)), 1024),
            Err(HtmlProblem::TooLong {
                len: 1025,
                limit: 1024
            })
        );
        assert!(matches!(
            check(&"😀".repeat(513), 1024),
            Err(HtmlProblem::TooLong { len: 1026, .. })
        ));
    }

    #[test]
    fn visible_len_is_lenient() {
        assert_eq!(visible_len("a & b < c"), 9);
    }
}
