//! Telegram's HTML parse mode as the Bot API applies it, so that a message the real server
//! would refuse ("can't parse entities", "message is too long") is refused here too.
//!
//! Deliberately as lenient as Telegram and no more: an `&` that starts no known entity stays a
//! literal `&`, a bare `>` is text; an unknown tag, a misnested end tag or an unclosed tag is an
//! error. Lengths are counted after parsing, in UTF-16 code units.

/// The tags the Bot API accepts in HTML mode.
const ALLOWED: &[&str] = &[
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

/// Parses `html`; returns its visible text, or the Bot API's error description.
pub fn parse(html: &str) -> Result<String, String> {
    let mut out = String::with_capacity(html.len());
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(c) = html[i..].chars().next() {
        match c {
            '<' => {
                let rest = &html[i + 1..];
                let Some(end) = rest.find('>') else {
                    return Err(format!(
                        "Bad Request: can't parse entities: Unclosed start tag at byte offset {i}"
                    ));
                };
                let inner = &rest[..end];
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match stack.pop() {
                        Some(open) if open == name => {}
                        Some(open) => {
                            return Err(format!(
                                "Bad Request: can't parse entities: Unmatched end tag at byte \
                                 offset {i}, expected \"</{open}>\", found \"</{name}>\""
                            ))
                        }
                        None => {
                            return Err(format!(
                                "Bad Request: can't parse entities: Unexpected end tag at byte \
                                 offset {i}"
                            ))
                        }
                    }
                } else {
                    let name = inner
                        .split(|c: char| c.is_whitespace() || c == '/')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if !ALLOWED.contains(&name.as_str()) {
                        return Err(format!(
                            "Bad Request: can't parse entities: Unsupported start tag \"{name}\" \
                             at byte offset {i}"
                        ));
                    }
                    stack.push(name);
                }
                i += 1 + end + 1;
            }
            '&' => {
                let (decoded, len) = entity(&html[i..]).unwrap_or(('&', 1));
                out.push(decoded);
                i += len;
            }
            c => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \
             \"{open}\""
        ));
    }
    Ok(out)
}

/// Decodes one entity at the start of `s` (which starts with `&`): the four named ones and
/// numeric ones. Returns the character and the entity's byte length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.find(';')?;
    let body = &s[1..end];
    let c = match body {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let num = body.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// Telegram's length of a text: UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}
