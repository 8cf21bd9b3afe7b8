//! A digest as the Telegram Bot API calls that deliver it (HTML parse mode).

use serde::{Deserialize, Serialize};

/// Telegram's parse mode; paperboy only ever sends HTML (MarkdownV2 escaping is the most
/// common cause of dropped messages in peer bots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ParseMode {
    #[default]
    #[serde(rename = "HTML")]
    Html,
}

/// `link_preview_options` of `sendMessage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LinkPreviewOptions {
    pub is_disabled: bool,
}

/// One photo of a `sendMediaGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputMediaPhoto {
    /// Always `"photo"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// An URL (or, once known, a Telegram `file_id`).
    pub media: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_mode: Option<ParseMode>,
}

/// One Bot API call, serialized exactly as the Bot API takes it (minus `chat_id`, which the
/// delivery engine adds per chat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method")]
pub enum Call {
    #[serde(rename = "sendMessage")]
    SendMessage {
        /// Valid Telegram HTML, at most 4096 characters after entity parsing.
        text: String,
        parse_mode: ParseMode,
        #[serde(default)]
        link_preview_options: LinkPreviewOptions,
    },
    #[serde(rename = "sendPhoto")]
    SendPhoto {
        /// The photo's URL (or a Telegram `file_id`).
        photo: String,
        /// Valid Telegram HTML, at most 1024 characters after entity parsing.
        caption: String,
        parse_mode: ParseMode,
    },
    #[serde(rename = "sendMediaGroup")]
    SendMediaGroup { media: Vec<InputMediaPhoto> },
}

mod html;

pub use html::{check, visible_len, HtmlProblem};

use crate::domain::{Digest, Entry, Language};
use crate::render::labels::{self, Labels};
use crate::render::text::{self, utf16};

/// Telegram's limit on a message's text, after entity parsing, in UTF-16 code units.
pub const TEXT_LIMIT: usize = 4096;
/// Telegram's limit on a photo's caption, after entity parsing, in UTF-16 code units.
pub const CAPTION_LIMIT: usize = 1024;

/// Longest title shown in full; titles this long are already rare.
const TITLE_MAX: usize = 300;
/// A title in the header's index: one line on a phone, give or take.
const INDEX_TITLE_MAX: usize = 90;
const ORGANIZATION_MAX: usize = 80;
const AUTHORS_MAX: usize = 160;
const AUTHOR_NAME_MAX: usize = 40;
/// An alert's extra line at the top of a caption.
const EXTRA_LINE_MAX: usize = 200;
const KEY_POINTS_MAX: usize = 8;
const KEY_POINT_MAX: usize = 400;
/// Room kept for key points, so a long abstract cannot push them out.
const KEY_POINTS_BUDGET: usize = 1600;

/// The calls that deliver `digest`: a header message, then each paper as a photo with its
/// summary and a message with its abstract, key points and links (at most 2·N+1 calls).
///
/// An empty digest is one message saying there were no papers.
pub fn messages(digest: &Digest) -> Vec<Call> {
    let mut calls = Vec::with_capacity(1 + 2 * digest.entries.len());
    calls.push(header(digest));
    for entry in &digest.entries {
        calls.extend(paper(entry, digest.language));
    }
    calls
}

/// One paper as a photo (rank, linked title, upvotes, authors, organisation, summary) and a
/// message (abstract, key points, links): exactly two calls.
pub fn paper(entry: &Entry, language: Language) -> Vec<Call> {
    paper_with_line(entry, language, "")
}

/// [`paper`] with `line` (plain text, e.g. why an alert fired) in italics at the top of the
/// caption; the caption still fits, the summary gives way.
pub fn paper_with_line(entry: &Entry, language: Language, line: &str) -> Vec<Call> {
    let caption = caption(entry, language, line);
    let photo = entry.paper.thumbnail.trim();
    let first = if photo.is_empty() {
        message(caption.out)
    } else {
        Call::SendPhoto {
            photo: photo.to_string(),
            caption: caption.out,
            parse_mode: ParseMode::Html,
        }
    };
    vec![first, message(details(entry, language).out)]
}

/// A `sendMessage` without link previews: the photo is the preview.
fn message(text: String) -> Call {
    Call::SendMessage {
        text,
        parse_mode: ParseMode::Html,
        link_preview_options: LinkPreviewOptions { is_disabled: true },
    }
}

/// `📰 2026-01-20 Daily Papers · Top 5`, then a numbered index of the titles.
fn header(digest: &Digest) -> Call {
    let labels = labels::labels(digest.language);
    let mut html = Html::default();
    html.text("📰 ");
    html.raw("<b>");
    html.text(&format!("{} {}", digest.date, labels.daily_papers));
    html.raw("</b>");
    html.text(" · ");
    html.text(&labels.top(digest.top_n));
    if digest.is_empty() {
        html.text("\n");
        html.text(&labels.no_papers(digest.date));
        return message(html.out);
    }
    html.text("\n");
    for entry in &digest.entries {
        let mut line = Html::default();
        line.text("\n");
        let title = text::one_line(&entry.paper.title);
        let title = text::shorten(&title, INDEX_TITLE_MAX, utf16);
        line.text(&format!(
            "{}. {title} · 👍 {}",
            entry.rank, entry.paper.upvotes
        ));
        // Room for a final `…` line when the index must stop early.
        if html.len + line.len + 2 > TEXT_LIMIT {
            html.text("\n…");
            break;
        }
        html.push(line);
    }
    message(html.out)
}

/// The photo's caption: what a reader scrolling past should see.
fn caption(entry: &Entry, language: Language, line: &str) -> Html {
    let labels = labels::labels(language);
    let paper = &entry.paper;
    let mut html = Html::default();

    let line = text::one_line(line);
    if !line.is_empty() {
        html.raw("<i>");
        html.text(&text::shorten(&line, EXTRA_LINE_MAX, utf16));
        html.raw("</i>");
        html.text("\n");
    }

    html.raw("<b>");
    if entry.rank > 0 {
        html.text(&format!("{}. ", entry.rank));
    }
    let title = text::one_line(&paper.title);
    let title = text::shorten(&title, TITLE_MAX, utf16);
    match text::web_url(&paper.page_url()) {
        Some(url) => html.link(&url, &title),
        None => html.text(&title),
    }
    html.raw("</b>");
    html.text("\n");

    html.text(&format!("👍 {}", paper.upvotes));
    let organization = paper.organization.as_deref().map(text::one_line);
    if let Some(org) = organization.filter(|o| !o.is_empty()) {
        html.text(&format!(
            " · 🏛 {}",
            text::shorten(&org, ORGANIZATION_MAX, utf16)
        ));
    }
    let authors = text::authors(&paper.authors, labels.et_al, AUTHOR_NAME_MAX);
    if !authors.is_empty() {
        html.text(&format!(
            "\n✍️ {}",
            text::shorten(&authors, AUTHORS_MAX, utf16)
        ));
    }

    let summary = text::clean(&entry.summary.summary);
    let note = entry
        .summary
        .origin
        .is_fallback()
        .then_some(labels.fallback_note);
    if !summary.is_empty() {
        html.text("\n\n");
        html.raw("<b>");
        html.text(labels.summary);
        html.raw("</b>");
        html.text("\n");
        let reserved = note.map_or(0, |n| 1 + text::measure(n, utf16));
        let room = CAPTION_LIMIT.saturating_sub(html.len + reserved);
        html.text(&text::shorten(&summary, room, utf16));
    }
    if let Some(note) = note {
        html.text("\n");
        html.raw("<i>");
        html.text(note);
        html.raw("</i>");
    }
    html
}

/// The message under the photo: the abstract folded away, key points, links.
fn details(entry: &Entry, language: Language) -> Html {
    let labels = labels::labels(language);
    let summary = &entry.summary;

    let mut points = Html::default();
    let mut point_lines = summary
        .key_points
        .iter()
        .map(|p| text::one_line(p))
        .filter(|p| !p.is_empty())
        .take(KEY_POINTS_MAX)
        .peekable();
    if point_lines.peek().is_some() {
        points.raw("<b>");
        points.text(labels.key_points);
        points.raw("</b>");
        for point in point_lines {
            let mut line = Html::default();
            line.text(&format!(
                "\n• {}",
                text::shorten(&point, KEY_POINT_MAX, utf16)
            ));
            if points.len + line.len > KEY_POINTS_BUDGET {
                break;
            }
            points.push(line);
        }
    }

    let links = links(entry, labels);

    let mut html = Html::default();
    let abstract_text = text::clean(&summary.abstract_text);
    if !abstract_text.is_empty() {
        html.raw("<b>");
        html.text(labels::abstract_heading(language, &summary.origin));
        html.raw("</b>");
        html.text("\n");
        html.raw("<blockquote expandable>");
        // The two blank-line separators after the quote and before the links.
        let room = TEXT_LIMIT.saturating_sub(html.len + points.len + links.len + 4);
        html.text(&text::shorten(&abstract_text, room, utf16));
        html.raw("</blockquote>");
    }
    for part in [points, links] {
        if part.len > 0 {
            if html.len > 0 {
                html.text("\n\n");
            }
            html.push(part);
        }
    }
    html
}

/// `🔗 Paper page · arXiv · PDF · Code ⭐ 12 · Project page`, each a link.
fn links(entry: &Entry, labels: &Labels) -> Html {
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
    let mut html = Html::default();
    for (label, url) in candidates {
        let Some(url) = url else { continue };
        html.text(if html.len == 0 { "🔗 " } else { " · " });
        html.link(&url, label);
        if label == labels.code {
            if let Some(stars) = paper.github_stars {
                html.text(&format!(" ⭐ {stars}"));
            }
        }
    }
    html
}

/// Telegram HTML under construction, with its visible length kept alongside.
///
/// Text goes in through [`Html::text`], which escapes it; markup only through the fixed
/// strings of this module. So the length is exact without parsing anything back.
#[derive(Debug, Default)]
struct Html {
    out: String,
    /// UTF-16 code units of the text after entity parsing.
    len: usize,
}

impl Html {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '&' => self.out.push_str("&amp;"),
                c => self.out.push(c),
            }
            self.len += c.len_utf16();
        }
    }

    /// One tag from this module's own constants; never anything from a paper, and never
    /// visible text, which would escape the count.
    fn raw(&mut self, markup: &'static str) {
        debug_assert!(
            markup.starts_with('<') && markup.ends_with('>') && markup.matches('<').count() == 1,
            "raw markup must be exactly one tag: {markup:?}"
        );
        self.out.push_str(markup);
    }

    fn link(&mut self, url: &str, label: &str) {
        self.out.push_str("<a href=\"");
        for c in url.chars() {
            match c {
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '&' => self.out.push_str("&amp;"),
                '"' => self.out.push_str("&quot;"),
                c => self.out.push(c),
            }
        }
        self.out.push_str("\">");
        self.text(label);
        self.out.push_str("</a>");
    }

    fn push(&mut self, other: Html) {
        self.out.push_str(&other.out);
        self.len += other.len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper as bare_paper;
    use crate::render::{render, sample, Format};

    /// Every text and caption of `calls`, each checked against its limit.
    fn assert_valid(calls: &[Call]) {
        for call in calls {
            match call {
                Call::SendMessage { text, .. } => {
                    assert_eq!(check(text, TEXT_LIMIT), Ok(()), "{text}");
                    assert!(visible_len(text) > 0);
                }
                Call::SendPhoto { caption, photo, .. } => {
                    assert_eq!(check(caption, CAPTION_LIMIT), Ok(()), "{caption}");
                    assert!(!photo.is_empty());
                }
                Call::SendMediaGroup { .. } => panic!("paperboy sends no media groups"),
            }
        }
    }

    fn texts(calls: &[Call]) -> Vec<&str> {
        calls
            .iter()
            .map(|c| match c {
                Call::SendMessage { text, .. } => text.as_str(),
                Call::SendPhoto { caption, .. } => caption.as_str(),
                Call::SendMediaGroup { .. } => "",
            })
            .collect()
    }

    #[test]
    fn english_snapshot() {
        let digest = sample::english();
        assert_valid(&messages(&digest));
        insta::assert_snapshot!(render(&digest, Format::Telegram));
    }

    #[test]
    fn korean_snapshot() {
        let digest = sample::korean();
        assert_valid(&messages(&digest));
        insta::assert_snapshot!(render(&digest, Format::Telegram));
    }

    #[test]
    fn readable_layout_for_the_snapshot_reviewer() {
        let calls = messages(&sample::korean());
        insta::assert_snapshot!(texts(&calls).join("\n\n==========\n\n"));
    }

    #[test]
    fn layout_is_header_then_photo_and_details_per_paper() {
        let calls = messages(&sample::english());
        assert_eq!(calls.len(), 5);
        assert!(matches!(calls[0], Call::SendMessage { .. }));
        assert!(
            matches!(&calls[1], Call::SendPhoto { photo, .. } if photo.ends_with("2601.11077.png"))
        );
        assert!(matches!(
            &calls[2],
            Call::SendMessage { link_preview_options: LinkPreviewOptions { is_disabled: true }, text, .. }
                if text.contains("<blockquote expandable>")
        ));
        let t = texts(&calls);
        assert!(t[0].contains("2026-01-20 Daily Papers") && t[0].contains("Top 5"));
        assert!(t[1].contains("<a href=\"https://huggingface.co/papers/2601.11077\">"));
        assert!(t[1].contains("Siyuan Hu, Kevin Qinghong Lin et al."));
        assert!(t[1].contains("🏛 Show Lab"));
        assert!(t[2].contains("⭐ 321"));
        // The fallback is said where the summary is.
        assert!(t[3].contains("(model unavailable: extractive summary)"));
        assert!(!t[1].contains("model unavailable"));
    }

    #[test]
    fn korean_headings_tell_the_truth() {
        let t = messages(&sample::korean());
        let t = texts(&t);
        assert!(t[1].contains("📌 요약"));
        assert!(t[2].contains("📝 초록 (번역)") && t[2].contains("🔑 핵심 포인트"));
        assert!(t[4].contains("<b>📝 초록</b>"), "{}", t[4]);
        assert!(t[3].contains("(모델 사용 불가: 추출 요약)"));
    }

    #[test]
    fn at_most_two_calls_per_paper_plus_one() {
        for n in [0, 1, 3, 10] {
            let papers = (0..n)
                .map(|i| bare_paper(&format!("2601.{i:05}"), i))
                .collect();
            let digest = sample::of(papers);
            let calls = messages(&digest);
            assert!(calls.len() <= 2 * n as usize + 1, "{n}: {}", calls.len());
            assert_valid(&calls);
        }
    }

    #[test]
    fn an_empty_day_is_one_message() {
        let calls = messages(&sample::of(Vec::new()));
        assert_eq!(calls.len(), 1);
        assert!(texts(&calls)[0].contains("No papers on 2026-01-20 (weekend?)"));
        assert_valid(&calls);
    }

    #[test]
    fn markup_in_papers_is_escaped() {
        let mut paper = bare_paper("2601.00001", 5);
        paper.title = "<script>alert(1)</script> &amp; <b>bold</b>".to_string();
        paper.authors = vec!["A <i>".to_string()];
        paper.organization = Some("\"Quotes\" & Co".to_string());
        paper.github_repo = Some("https://github.com/a/b?x=\"1\"&y=<2>".to_string());
        let calls = messages(&sample::of(vec![paper]));
        assert_valid(&calls);
        let t = texts(&calls);
        assert!(
            t[1].contains(
                "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &lt;b&gt;bold&lt;/b&gt;"
            ),
            "{}",
            t[1]
        );
        assert!(!t.iter().any(|t| t.contains("<script>")));
        assert!(
            t[2].contains("href=\"https://github.com/a/b?x=%221%22&amp;y=%3C2%3E\""),
            "{}",
            t[2]
        );
    }

    #[test]
    fn long_abstracts_are_cut_at_a_sentence() {
        let mut paper = bare_paper("2601.00002", 5);
        paper.abstract_text = (0..600)
            .map(|i| format!("Sentence number {i} says something."))
            .collect::<Vec<_>>()
            .join(" ");
        let calls = paper_with_line(&sample::of(vec![paper]).entries[0], Language::ENGLISH, "");
        assert_valid(&calls);
        let details = texts(&calls)[1];
        assert!(
            details.contains("says something. …</blockquote>"),
            "{details}"
        );
        assert!(visible_len(details) > TEXT_LIMIT - 200, "the room is used");
    }

    #[test]
    fn long_summaries_fit_the_caption_in_utf16() {
        let mut paper = bare_paper("2601.00003", 5);
        paper.ai_summary = Some("Emoji 😀 take two units each. ".repeat(100));
        paper.title = "😀".repeat(400);
        let digest = sample::of(vec![paper]);
        let calls = messages(&digest);
        assert_valid(&calls);
        let caption = texts(&calls)[1];
        assert!(visible_len(caption) <= CAPTION_LIMIT);
        assert!(caption.contains(" …"), "{caption}");
    }

    #[test]
    fn alerts_add_a_line_and_still_fit() {
        let mut paper = bare_paper("2601.00004", 5);
        paper.ai_summary = Some("word ".repeat(400));
        let entry = &sample::of(vec![paper]).entries[0];
        let calls = paper_with_line(
            entry,
            Language::ENGLISH,
            &"Matched <rule> & more ".repeat(30),
        );
        assert_eq!(calls.len(), 2);
        assert_valid(&calls);
        assert!(texts(&calls)[0].starts_with("<i>Matched &lt;rule&gt; &amp; more"));
    }

    #[test]
    fn a_paper_without_thumbnail_is_a_message() {
        let mut paper = bare_paper("2601.00005", 5);
        paper.thumbnail = " ".to_string();
        let calls = paper_with_line(&sample::of(vec![paper]).entries[0], Language::ENGLISH, "");
        assert!(matches!(calls[0], Call::SendMessage { .. }));
        assert_valid(&calls);
    }

    #[test]
    fn the_header_index_stops_before_the_limit() {
        let papers = (0..200)
            .map(|i| {
                let mut p = bare_paper(&format!("2601.{i:05}"), 1);
                p.title = "A rather long title that goes on and on about models ".repeat(3);
                p
            })
            .collect();
        let calls = messages(&sample::of(papers));
        let header = texts(&calls)[0];
        assert_eq!(check(header, TEXT_LIMIT), Ok(()));
        assert!(header.ends_with('…'));
    }
}
