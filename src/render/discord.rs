//! A digest as Discord create-message payloads: one embed per paper.

use serde::{Deserialize, Serialize};

/// `allowed_mentions`; paperboy always sends `{"parse":[]}` so no title can ping anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AllowedMentions {
    pub parse: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedImage {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedFooter {
    pub text: String,
}

/// A Discord embed; empty optional parts are left out of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Embed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<EmbedImage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<EmbedImage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<EmbedFooter>,
}

/// One create-message payload (channel message or webhook execution).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default)]
    pub embeds: Vec<Embed>,
    pub allowed_mentions: AllowedMentions,
}

use crate::domain::{Digest, Entry, Language};
use crate::render::labels::{self, Labels};
use crate::render::text::{self, code_point};

/// Discord's limits, in Unicode code points (what Discord counts).
pub const CONTENT_LIMIT: usize = 2000;
pub const EMBEDS_MAX: usize = 10;
pub const TITLE_LIMIT: usize = 256;
pub const DESCRIPTION_LIMIT: usize = 4096;
pub const FIELDS_MAX: usize = 25;
pub const FIELD_NAME_LIMIT: usize = 256;
pub const FIELD_VALUE_LIMIT: usize = 1024;
pub const FOOTER_LIMIT: usize = 2048;
/// Titles, descriptions, field names and values and footers of all embeds of one message.
pub const TOTAL_LIMIT: usize = 6000;

/// Hugging Face yellow, so paperboy's embeds are recognisable in a busy channel.
const COLOR: u32 = 0xFF_D2_1E;
/// Caps chosen so that one embed always stays well under [`TOTAL_LIMIT`] on its own.
const SUMMARY_MAX: usize = 1500;
const AUTHORS_MAX: usize = 256;
const AUTHOR_NAME_MAX: usize = 40;
const ORGANIZATION_MAX: usize = 256;
const KEY_POINT_MAX: usize = 300;
const FOOTER_MAX: usize = 200;

/// Why a payload would be refused by Discord (or would break paperboy's own rule that no
/// message may ping anyone).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitProblem {
    #[error("{part} has {len} characters, over the limit of {limit}")]
    TooLong {
        part: String,
        len: usize,
        limit: usize,
    },
    #[error("{part} has {count} items, over the limit of {limit}")]
    TooMany {
        part: String,
        count: usize,
        limit: usize,
    },
    #[error("{part} is present but blank")]
    Blank { part: String },
    #[error("the message has neither content nor embeds")]
    Empty,
    #[error("allowed_mentions would parse {parse:?}; paperboy never pings")]
    MentionsAllowed { parse: Vec<String> },
    #[error("{part} is not an http(s) URL: {url:?}")]
    BadUrl { part: String, url: String },
}

/// The payloads that deliver `digest`: a header line, then one embed per paper, as many
/// papers to a message as Discord's limits allow.
pub fn messages(digest: &Digest) -> Vec<Message> {
    let labels = labels::labels(digest.language);
    let mut header = format!(
        "📰 **{} {}** · {}",
        digest.date,
        labels.daily_papers,
        labels.top(digest.top_n)
    );
    if digest.is_empty() {
        header.push('\n');
        header.push_str(&labels.no_papers(digest.date));
    }
    let mut messages = Vec::new();
    let mut current = message(Some(header));
    let mut total = 0;
    for entry in &digest.entries {
        let embed = paper_embed(entry, digest.language);
        let size = embed_len(&embed);
        if !current.embeds.is_empty()
            && (current.embeds.len() == EMBEDS_MAX || total + size > TOTAL_LIMIT)
        {
            messages.push(std::mem::replace(&mut current, message(None)));
            total = 0;
        }
        total += size;
        current.embeds.push(embed);
    }
    messages.push(current);
    messages
}

fn message(content: Option<String>) -> Message {
    Message {
        content,
        embeds: Vec::new(),
        allowed_mentions: AllowedMentions::default(),
    }
}

/// One paper as an embed: linked title, summary, thumbnail, then upvotes, authors,
/// organisation, key points and links as fields. Never over [`TOTAL_LIMIT`] on its own.
pub fn paper_embed(entry: &Entry, language: Language) -> Embed {
    let labels = labels::labels(language);
    let paper = &entry.paper;
    let summary = &entry.summary;

    let mut title = text::one_line(&paper.title);
    if title.is_empty() {
        title = text::one_line(&paper.id);
    }
    if entry.rank > 0 {
        title = format!("{}. {title}", entry.rank);
    }
    let title = (!title.is_empty()).then(|| text::shorten(&title, TITLE_LIMIT, code_point).into());

    let mut description = escape(&text::shorten(
        &text::clean(&summary.summary),
        SUMMARY_MAX,
        escaped_weight,
    ));
    if summary.origin.is_fallback() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&format!("*{}*", labels.fallback_note));
    }

    let mut fields = vec![EmbedField {
        name: format!("👍 {}", labels.upvotes),
        value: paper.upvotes.to_string(),
        inline: true,
    }];
    let authors = text::authors(&paper.authors, labels.et_al, AUTHOR_NAME_MAX);
    if !authors.is_empty() {
        fields.push(EmbedField {
            name: format!("✍️ {}", labels.authors),
            value: escape(&text::shorten(&authors, AUTHORS_MAX, escaped_weight)),
            inline: true,
        });
    }
    let organization = paper.organization.as_deref().map(text::one_line);
    if let Some(org) = organization.filter(|o| !o.is_empty()) {
        fields.push(EmbedField {
            name: format!("🏛 {}", labels.organization),
            value: escape(&text::shorten(&org, ORGANIZATION_MAX, escaped_weight)),
            inline: true,
        });
    }
    if let Some(points) = key_points(&summary.key_points) {
        fields.push(EmbedField {
            name: labels.key_points.to_string(),
            value: points,
            inline: false,
        });
    }
    if let Some(links) = links(entry, labels) {
        fields.push(EmbedField {
            name: format!("🔗 {}", labels.links),
            value: links,
            inline: false,
        });
    }

    let footer = format!(
        "arXiv {} · {}",
        text::one_line(&paper.id),
        labels.origin(&summary.origin)
    );
    Embed {
        title,
        url: text::web_url(&paper.page_url()),
        description: (!description.is_empty()).then_some(description),
        color: Some(COLOR),
        image: text::web_url(&paper.thumbnail).map(|url| EmbedImage { url }),
        thumbnail: None,
        fields,
        footer: Some(EmbedFooter {
            text: text::shorten(&footer, FOOTER_MAX, code_point).into_owned(),
        }),
    }
}

/// Bulleted key points, as many whole points as fit one field.
fn key_points(points: &[String]) -> Option<String> {
    let mut value = String::new();
    let mut len = 0;
    for point in points
        .iter()
        .map(|p| text::one_line(p))
        .filter(|p| !p.is_empty())
    {
        let line = format!(
            "• {}",
            escape(&text::shorten(&point, KEY_POINT_MAX, escaped_weight))
        );
        let line_len = text::measure(&line, code_point) + usize::from(len > 0);
        if len + line_len > FIELD_VALUE_LIMIT {
            break;
        }
        if len > 0 {
            value.push('\n');
        }
        value.push_str(&line);
        len += line_len;
    }
    (!value.is_empty()).then_some(value)
}

/// `[Paper page](..) · [arXiv](..) · ..`: every link that fits one field.
fn links(entry: &Entry, labels: &Labels) -> Option<String> {
    let paper = &entry.paper;
    let code = paper.github_repo.as_deref().and_then(text::web_url);
    let project = paper.project_page.as_deref().and_then(text::web_url);
    let candidates = [
        (labels.paper_page, text::web_url(&paper.page_url())),
        (labels.arxiv, text::web_url(&paper.arxiv_url())),
        (labels.pdf, text::web_url(&paper.pdf_url())),
        (labels.code, code),
        (labels.project_page, project),
    ];
    let mut value = String::new();
    let mut len = 0;
    for (label, url) in candidates {
        let Some(url) = url else { continue };
        let mut link = format!("[{label}]({})", text::link_destination(&url));
        if label == labels.code {
            if let Some(stars) = paper.github_stars {
                link.push_str(&format!(" ⭐ {stars}"));
            }
        }
        let sep = if len > 0 { " · " } else { "" };
        let link_len = text::measure(sep, code_point) + text::measure(&link, code_point);
        if len + link_len > FIELD_VALUE_LIMIT {
            continue;
        }
        value.push_str(sep);
        value.push_str(&link);
        len += link_len;
    }
    (!value.is_empty()).then_some(value)
}

/// Characters Discord's Markdown would act on; a backslash makes them literal.
fn is_markdown_active(c: char) -> bool {
    matches!(
        c,
        '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<' | '>' | '#'
    )
}

/// Length after [`escape`], so text is shortened before escaping (never splitting `\*`).
fn escaped_weight(c: char) -> usize {
    if is_markdown_active(c) {
        2
    } else {
        1
    }
}

/// Paper text shown literally, whatever Markdown (or `<@id>` mention syntax) it contains.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_markdown_active(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The embed text Discord counts towards [`TOTAL_LIMIT`].
fn embed_len(embed: &Embed) -> usize {
    let count = |s: &str| text::measure(s, code_point);
    embed.title.as_deref().map_or(0, count)
        + embed.description.as_deref().map_or(0, count)
        + embed.footer.as_ref().map_or(0, |f| count(&f.text))
        + embed
            .fields
            .iter()
            .map(|f| count(&f.name) + count(&f.value))
            .sum::<usize>()
}

/// Checks one payload against every limit Discord enforces, counting code points as Discord
/// does; independent of the renderer so tests of the renderer can fail.
pub fn check(message: &Message) -> Result<(), LimitProblem> {
    fn len(s: &str) -> usize {
        s.chars().count()
    }
    fn at_most(part: String, s: &str, limit: usize) -> Result<usize, LimitProblem> {
        let n = len(s);
        if n > limit {
            return Err(LimitProblem::TooLong {
                part,
                len: n,
                limit,
            });
        }
        if s.trim().is_empty() {
            return Err(LimitProblem::Blank { part });
        }
        Ok(n)
    }
    fn web(part: String, url: &str) -> Result<(), LimitProblem> {
        let ok = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if ok {
            Ok(())
        } else {
            Err(LimitProblem::BadUrl {
                part,
                url: url.to_string(),
            })
        }
    }

    if !message.allowed_mentions.parse.is_empty() {
        return Err(LimitProblem::MentionsAllowed {
            parse: message.allowed_mentions.parse.clone(),
        });
    }
    let has_content = match &message.content {
        Some(content) => {
            at_most("content".to_string(), content, CONTENT_LIMIT)?;
            true
        }
        None => false,
    };
    if !has_content && message.embeds.is_empty() {
        return Err(LimitProblem::Empty);
    }
    if message.embeds.len() > EMBEDS_MAX {
        return Err(LimitProblem::TooMany {
            part: "embeds".to_string(),
            count: message.embeds.len(),
            limit: EMBEDS_MAX,
        });
    }
    let mut total = 0;
    for (i, embed) in message.embeds.iter().enumerate() {
        let part = |what: &str| format!("embed {i} {what}");
        if let Some(title) = &embed.title {
            total += at_most(part("title"), title, TITLE_LIMIT)?;
        }
        if let Some(description) = &embed.description {
            total += at_most(part("description"), description, DESCRIPTION_LIMIT)?;
        }
        if embed.fields.len() > FIELDS_MAX {
            return Err(LimitProblem::TooMany {
                part: part("fields"),
                count: embed.fields.len(),
                limit: FIELDS_MAX,
            });
        }
        for (j, field) in embed.fields.iter().enumerate() {
            total += at_most(
                part(&format!("field {j} name")),
                &field.name,
                FIELD_NAME_LIMIT,
            )?;
            total += at_most(
                part(&format!("field {j} value")),
                &field.value,
                FIELD_VALUE_LIMIT,
            )?;
        }
        if let Some(footer) = &embed.footer {
            total += at_most(part("footer"), &footer.text, FOOTER_LIMIT)?;
        }
        if let Some(url) = &embed.url {
            web(part("url"), url)?;
        }
        for (what, image) in [("image", &embed.image), ("thumbnail", &embed.thumbnail)] {
            if let Some(image) = image {
                web(part(what), &image.url)?;
            }
        }
    }
    if total > TOTAL_LIMIT {
        return Err(LimitProblem::TooLong {
            part: "all embeds".to_string(),
            len: total,
            limit: TOTAL_LIMIT,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper as bare_paper;
    use crate::render::{render, sample, Format};

    fn assert_valid(messages: &[Message]) {
        for message in messages {
            assert_eq!(check(message), Ok(()), "{message:#?}");
        }
    }

    #[test]
    fn english_snapshot() {
        let digest = sample::english();
        assert_valid(&messages(&digest));
        insta::assert_snapshot!(render(&digest, Format::Discord));
    }

    #[test]
    fn korean_snapshot() {
        let digest = sample::korean();
        assert_valid(&messages(&digest));
        insta::assert_snapshot!(render(&digest, Format::Discord));
    }

    #[test]
    fn one_embed_per_paper_with_a_header() {
        let out = messages(&sample::english());
        assert_eq!(out.len(), 1);
        let message = &out[0];
        assert_eq!(
            message.content.as_deref(),
            Some("📰 **2026-01-20 Daily Papers** · Top 5")
        );
        assert_eq!(message.embeds.len(), 2);
        let first = &message.embeds[0];
        assert_eq!(
            first.title.as_deref(),
            Some("1. ShowUI-π: Flow-based Generative Models as GUI Dexterous Hands")
        );
        assert_eq!(
            first.url.as_deref(),
            Some("https://huggingface.co/papers/2601.11077")
        );
        assert!(first
            .image
            .as_ref()
            .unwrap()
            .url
            .ends_with("2601.11077.png"));
        let names: Vec<_> = first.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "👍 Upvotes",
                "✍️ Authors",
                "🏛 Organization",
                "🔑 Key points",
                "🔗 Links"
            ]
        );
        let second = &message.embeds[1];
        assert!(second
            .description
            .as_deref()
            .unwrap()
            .ends_with("*(model unavailable: extractive summary)*"));
    }

    #[test]
    fn nobody_is_pinged() {
        let mut paper = bare_paper("2601.00001", 1);
        paper.title = "@everyone look <@123456789> @here".to_string();
        paper.ai_summary = Some("@everyone".to_string());
        let out = messages(&sample::of(vec![paper]));
        assert_valid(&out);
        let json = serde_json::to_string(&out[0]).unwrap();
        assert!(
            json.contains(r#""allowed_mentions":{"parse":[]}"#),
            "{json}"
        );
        assert!(
            json.contains(r"\\<@123456789\\>"),
            "mention syntax is escaped: {json}"
        );
    }

    #[test]
    fn huge_papers_split_across_messages_within_every_limit() {
        let papers: Vec<_> = (0..23)
            .map(|i| {
                let mut p = bare_paper(&format!("2601.{i:05}"), 1);
                p.title = "T".repeat(1000);
                p.ai_summary = Some("A sentence with *stars* and _under_ scores. ".repeat(200));
                p.authors = (0..50).map(|a| format!("Author {a}")).collect();
                p.organization = Some("O".repeat(2000));
                p
            })
            .collect();
        let mut digest = sample::of(papers);
        for entry in &mut digest.entries {
            entry.summary.key_points = vec!["k ".repeat(2000); 10];
        }
        let out = messages(&digest);
        assert_valid(&out);
        assert!(out.len() > 3);
        assert_eq!(out.iter().map(|m| m.embeds.len()).sum::<usize>(), 23);
        assert!(out[0].content.is_some() && out[1..].iter().all(|m| m.content.is_none()));
        let description = out[0].embeds[0].description.as_deref().unwrap();
        assert!(description.ends_with("scores. …"), "{description}");
    }

    #[test]
    fn ten_small_embeds_at_most() {
        let papers = (0..25)
            .map(|i| bare_paper(&format!("2601.{i:05}"), 1))
            .collect();
        let out = messages(&sample::of(papers));
        assert_eq!(
            out.iter().map(|m| m.embeds.len()).collect::<Vec<_>>(),
            [10, 10, 5]
        );
        assert_valid(&out);
    }

    #[test]
    fn an_empty_day_is_one_message_without_embeds() {
        let out = messages(&sample::of(Vec::new()));
        assert_eq!(out.len(), 1);
        assert!(out[0].embeds.is_empty());
        assert!(out[0]
            .content
            .as_deref()
            .unwrap()
            .contains("No papers on 2026-01-20"));
        assert_valid(&out);
    }

    fn ok_message() -> Message {
        messages(&sample::english()).remove(0)
    }

    #[test]
    fn check_rejects_every_broken_limit() {
        let mut m = ok_message();
        m.content = Some("x".repeat(2001));
        assert!(matches!(
            check(&m),
            Err(LimitProblem::TooLong { len: 2001, .. })
        ));

        let mut m = ok_message();
        m.embeds = vec![m.embeds[1].clone(); 11];
        assert!(matches!(
            check(&m),
            Err(LimitProblem::TooMany { count: 11, .. })
        ));

        let mut m = ok_message();
        m.embeds[0].title = Some("é".repeat(257));
        assert!(matches!(
            check(&m),
            Err(LimitProblem::TooLong { len: 257, .. })
        ));

        let mut m = ok_message();
        m.embeds[0].description = Some("d".repeat(4097));
        assert!(matches!(check(&m), Err(LimitProblem::TooLong { .. })));

        let mut m = ok_message();
        m.embeds[0].fields[0].value = "v".repeat(1025);
        assert!(matches!(check(&m), Err(LimitProblem::TooLong { .. })));

        let mut m = ok_message();
        m.embeds[0].fields[0].name = "n".repeat(257);
        assert!(matches!(check(&m), Err(LimitProblem::TooLong { .. })));

        let mut m = ok_message();
        m.embeds[0].fields = vec![m.embeds[0].fields[0].clone(); 26];
        assert!(matches!(
            check(&m),
            Err(LimitProblem::TooMany { count: 26, .. })
        ));

        let mut m = ok_message();
        m.embeds[0].fields[1].value = " ".to_string();
        assert!(matches!(check(&m), Err(LimitProblem::Blank { .. })));

        let mut m = ok_message();
        m.embeds[0].footer = Some(EmbedFooter {
            text: "f".repeat(2049),
        });
        assert!(matches!(check(&m), Err(LimitProblem::TooLong { .. })));

        let mut m = ok_message();
        m.allowed_mentions.parse = vec!["everyone".to_string()];
        assert!(matches!(
            check(&m),
            Err(LimitProblem::MentionsAllowed { .. })
        ));

        let mut m = ok_message();
        m.embeds[0].url = Some("javascript:alert(1)".to_string());
        assert!(matches!(check(&m), Err(LimitProblem::BadUrl { .. })));

        let m = message(None);
        assert_eq!(check(&m), Err(LimitProblem::Empty));
    }

    #[test]
    fn check_counts_all_embeds_of_a_message_together() {
        let mut m = ok_message();
        let mut big = m.embeds[0].clone();
        big.description = Some("d".repeat(4000));
        m.embeds = vec![big.clone(), big];
        assert!(matches!(
            check(&m),
            Err(LimitProblem::TooLong { ref part, .. }) if part == "all embeds"
        ));
        // Code points, not bytes or UTF-16 units: 4000 emoji are 4000 characters.
        let mut m = ok_message();
        m.embeds.truncate(1);
        m.embeds[0].description = Some("😀".repeat(4000));
        assert_eq!(check(&m), Ok(()));
    }
}
