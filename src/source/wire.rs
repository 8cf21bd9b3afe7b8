//! The Daily Papers JSON as the API sends it, and its conversion into [`Paper`].
//!
//! These types are private so that nothing outside `source/` depends on the wire format. The
//! API adds fields, drops optional ones and sometimes sends `null`, so every field outside the
//! small set a paper cannot do without is read leniently: a missing, null or wrongly typed
//! value becomes "absent" instead of an error, and one broken item is skipped without
//! sinking the rest of the day.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use tracing::warn;

use crate::domain::Paper;

/// How much of a broken body an error quotes: enough to recognise an HTML page or a JSON
/// error object, short enough for one log line.
const EXCERPT_CHARS: usize = 120;

/// A Daily Papers body that is not a JSON array of papers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the body is empty")]
    Empty,
    #[error("the body is not json ({reason} at line {line} column {column}), it starts with {excerpt:?}")]
    NotJson {
        reason: String,
        line: usize,
        column: usize,
        excerpt: String,
    },
    #[error("the body is truncated: it ends after {len} bytes in the middle of the json, it starts with {excerpt:?}")]
    Truncated { len: usize, excerpt: String },
    #[error("expected a json array of papers, got {found}: {excerpt:?}")]
    NotArray {
        found: &'static str,
        excerpt: String,
    },
}

/// A day's papers, in API order, from the body of `GET /api/daily_papers`.
///
/// Items that lack an id or a title (or are not objects at all) are skipped with a warning;
/// the rest of the day still counts. Only a body that is not a JSON array fails as a whole.
pub fn parse_day(body: &[u8]) -> Result<Vec<Paper>, ParseError> {
    parse_page(body).map(|page| page.papers)
}

/// One page of the list: its papers and how many items the server sent, which decides
/// whether there is a next page even when some items were skipped.
pub(crate) struct Page {
    pub papers: Vec<Paper>,
    pub items: usize,
}

pub(crate) fn parse_page(body: &[u8]) -> Result<Page, ParseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let excerpt = excerpt(body);
        match e.classify() {
            serde_json::error::Category::Eof => ParseError::Truncated {
                len: body.len(),
                excerpt,
            },
            _ => ParseError::NotJson {
                reason: short_reason(&e),
                line: e.line(),
                column: e.column(),
                excerpt,
            },
        }
    })?;
    let items = match value {
        Value::Array(items) => items,
        other => {
            return Err(ParseError::NotArray {
                found: kind(&other),
                excerpt: excerpt(body),
            })
        }
    };
    let count = items.len();
    let papers = items
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| match convert(item) {
            Ok(paper) => Some(paper),
            Err(reason) => {
                warn!(index, %reason, "skipping a daily papers item");
                None
            }
        })
        .collect();
    Ok(Page {
        papers,
        items: count,
    })
}

/// serde_json's message without its " at line L column C" tail, which the error repeats in
/// its own fields.
fn short_reason(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(at) => full[..at].to_string(),
        None => full,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The start of a body, as text on one line, for error messages; for an HTML page (a proxy's
/// error page), its title, which says more than its doctype.
pub(crate) fn excerpt(body: &[u8]) -> String {
    if let Some(title) = html_title(body) {
        return format!("html page: {title}");
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_CHARS * 4)]);
    shorten(&text)
}

fn html_title(body: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&body[..body.len().min(8192)]);
    if !head.trim_start().starts_with('<') {
        return None;
    }
    let lower = head.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = shorten(&head[open_end..close]);
    (!title.is_empty()).then_some(title)
}

/// `text` on one line, whitespace collapsed, cut to `EXCERPT_CHARS` characters.
fn shorten(text: &str) -> String {
    let mut out = String::new();
    for (n, word) in text.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    match out.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => {
            out.truncate(cut);
            out.push('…');
            out
        }
        None => out,
    }
}

/// One element of the list.
#[derive(Deserialize)]
struct Item {
    paper: WirePaper,
    #[serde(default)]
    title: Lenient<String>,
    #[serde(default)]
    summary: Lenient<String>,
    #[serde(default, rename = "publishedAt")]
    published_at: Lenient<DateTime<Utc>>,
    #[serde(default)]
    thumbnail: Lenient<String>,
    #[serde(default, rename = "numComments")]
    num_comments: Lenient<u32>,
    #[serde(default)]
    organization: Lenient<Organization>,
}

/// The `paper` object inside an item.
#[derive(Deserialize)]
struct WirePaper {
    id: String,
    #[serde(default)]
    title: Lenient<String>,
    #[serde(default)]
    summary: Lenient<String>,
    #[serde(default)]
    authors: Lenient<Vec<Lenient<Author>>>,
    #[serde(default, rename = "publishedAt")]
    published_at: Lenient<DateTime<Utc>>,
    #[serde(default, rename = "submittedOnDailyAt")]
    submitted_on_daily_at: Lenient<Day>,
    #[serde(default)]
    upvotes: Lenient<u32>,
    #[serde(default)]
    ai_summary: Lenient<String>,
    #[serde(default)]
    ai_keywords: Lenient<Vec<Lenient<String>>>,
    #[serde(default, rename = "githubRepo")]
    github_repo: Lenient<String>,
    #[serde(default, rename = "githubStars")]
    github_stars: Lenient<u32>,
    #[serde(default, rename = "projectPage")]
    project_page: Lenient<String>,
    #[serde(default)]
    organization: Lenient<Organization>,
}

#[derive(Deserialize)]
struct Author {
    name: String,
}

#[derive(Deserialize)]
struct Organization {
    #[serde(default)]
    name: Lenient<String>,
    #[serde(default)]
    fullname: Lenient<String>,
}

/// `submittedOnDailyAt`: a timestamp (`2026-06-12T00:00:00.000Z`) whose UTC day is the one
/// that counts; a bare date is accepted too.
struct Day(NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if let Ok(at) = DateTime::parse_from_rfc3339(&text) {
            return Ok(Day(at.with_timezone(&Utc).date_naive()));
        }
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Day)
            .map_err(serde::de::Error::custom)
    }
}

/// A value that is absent when the API leaves it out, sends `null` or sends something of the
/// wrong shape: optional fields must never cost us the paper.
struct Lenient<T>(Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(Lenient(T::deserialize(value).ok()))
    }
}

impl<T> Lenient<T> {
    fn get(self) -> Option<T> {
        self.0
    }
}

/// The paper in an item, or why the item cannot be one.
fn convert(item: Value) -> Result<Paper, String> {
    let item = Item::deserialize(item).map_err(|e| e.to_string())?;
    let p = item.paper;
    let id = p.id.trim().to_string();
    if !is_plausible_id(&id) {
        return Err(format!("unusable paper id {id:?}"));
    }
    let title = p
        .title
        .get()
        .or(item.title.get())
        .map(|t| collapse_whitespace(&t))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("paper {id} has no title"))?;
    let abstract_text = p
        .summary
        .get()
        .or(item.summary.get())
        .map(|s| normalize_abstract(&s))
        .unwrap_or_default();
    let authors = p
        .authors
        .get()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| a.get())
        .map(|a| collapse_whitespace(&a.name))
        .filter(|name| !name.is_empty())
        .collect();
    let thumbnail = item
        .thumbnail
        .get()
        .map(|t| t.trim().to_string())
        .filter(|t| is_http_url(t))
        .unwrap_or_else(|| Paper::default_thumbnail(&id));
    let organization = item
        .organization
        .get()
        .and_then(organization_name)
        .or_else(|| p.organization.get().and_then(organization_name));
    Ok(Paper {
        title,
        abstract_text,
        authors,
        upvotes: p.upvotes.get().unwrap_or(0),
        thumbnail,
        published_at: p.published_at.get().or(item.published_at.get()),
        submitted_on: p.submitted_on_daily_at.get().map(|d| d.0),
        ai_summary: p
            .ai_summary
            .get()
            .map(|s| collapse_whitespace(&s))
            .filter(|s| !s.is_empty()),
        ai_keywords: p
            .ai_keywords
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|k| k.get())
            .map(|k| collapse_whitespace(&k))
            .filter(|k| !k.is_empty())
            .collect(),
        github_repo: p.github_repo.get().and_then(|r| github_url(&r)),
        github_stars: p.github_stars.get(),
        project_page: p
            .project_page
            .get()
            .map(|u| u.trim().to_string())
            .filter(|u| is_http_url(u)),
        organization,
        num_comments: item.num_comments.get().unwrap_or(0),
        id,
    })
}

/// Ids end up in URLs and file names, so only arXiv-like ones pass (`2601.11077`, and the
/// old `hep-th/9901001` form).
fn is_plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with(['/', '.'])
        && !id.contains("..")
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
}

fn organization_name(org: Organization) -> Option<String> {
    [org.fullname.get(), org.name.get()]
        .into_iter()
        .flatten()
        .map(|n| collapse_whitespace(&n))
        .find(|n| !n.is_empty())
}

/// Renderers turn these into links, so anything but http(s) (a `javascript:` URL, a
/// relative path) is dropped.
fn is_http_url(text: &str) -> bool {
    match url::Url::parse(text) {
        Ok(url) => matches!(url.scheme(), "http" | "https") && url.host().is_some(),
        Err(_) => false,
    }
}

/// `githubRepo` as a full URL: the API sends full URLs, but `owner/repo` and
/// `github.com/owner/repo` have been seen in the wild.
fn github_url(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    if raw.is_empty() {
        return None;
    }
    if is_http_url(raw) {
        return Some(raw.to_string());
    }
    let candidate = if raw.starts_with("github.com/") || raw.starts_with("www.github.com/") {
        format!("https://{raw}")
    } else if raw.split('/').count() == 2 && !raw.contains(char::is_whitespace) {
        format!("https://github.com/{raw}")
    } else {
        return None;
    };
    is_http_url(&candidate).then_some(candidate)
}

/// Every run of whitespace (newlines included) as one space, trimmed.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The abstract with each paragraph on one line and paragraphs separated by a blank line.
///
/// arXiv abstracts are hard-wrapped and mark a new paragraph either with a blank line or with
/// a line that starts indented (`"...prototypes.\n  Our contributions..."`, as HF passes it
/// on); a plain line break is only wrapping.
fn normalize_abstract(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let starts_indented = line.starts_with([' ', '\t']);
        let words = line.split_whitespace();
        let is_blank = line.trim().is_empty();
        if (is_blank || starts_indented) && !current.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
        }
        for word in words {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal(id: &str) -> Value {
        json!({
            "paper": {
                "id": id,
                "title": format!("Paper {id}"),
                "summary": "An abstract.",
                "authors": [{"_id": "a", "name": "Ada Lovelace", "hidden": false}],
                "publishedAt": "2026-01-19T00:00:00.000Z",
                "upvotes": 7,
                "discussionId": "d"
            },
            "title": format!("Paper {id}"),
            "summary": "An abstract.",
            "publishedAt": "2026-01-18T20:00:00.000Z",
            "thumbnail": format!("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png"),
            "numComments": 2,
            "isAuthorParticipating": false,
            "submittedBy": {"name": "someone"}
        })
    }

    fn parse(items: Value) -> Vec<Paper> {
        parse_day(items.to_string().as_bytes()).expect("a json array parses")
    }

    #[test]
    fn minimal_item_has_defaults_for_everything_optional() {
        let papers = parse(json!([minimal("2601.00001")]));
        assert_eq!(papers.len(), 1);
        let p = &papers[0];
        assert_eq!(p.id, "2601.00001");
        assert_eq!(p.title, "Paper 2601.00001");
        assert_eq!(p.abstract_text, "An abstract.");
        assert_eq!(p.authors, ["Ada Lovelace"]);
        assert_eq!(p.upvotes, 7);
        assert_eq!(p.num_comments, 2);
        assert_eq!(
            p.published_at.map(|t| t.to_rfc3339()),
            Some("2026-01-19T00:00:00+00:00".to_string())
        );
        assert_eq!(p.submitted_on, None);
        assert_eq!(p.ai_summary, None);
        assert!(p.ai_keywords.is_empty());
        assert_eq!(p.github_repo, None);
        assert_eq!(p.github_stars, None);
        assert_eq!(p.project_page, None);
        assert_eq!(p.organization, None);
    }

    #[test]
    fn nulls_are_accepted_everywhere_optional() {
        let mut item = minimal("2601.00002");
        for key in [
            "ai_summary",
            "ai_keywords",
            "githubRepo",
            "githubStars",
            "projectPage",
            "organization",
            "submittedOnDailyAt",
            "upvotes",
            "authors",
            "summary",
            "publishedAt",
        ] {
            item["paper"][key] = Value::Null;
        }
        for key in [
            "thumbnail",
            "numComments",
            "organization",
            "summary",
            "publishedAt",
        ] {
            item[key] = Value::Null;
        }
        let papers = parse(json!([item]));
        assert_eq!(papers.len(), 1);
        let p = &papers[0];
        assert_eq!(p.upvotes, 0);
        assert_eq!(p.abstract_text, "");
        assert!(p.authors.is_empty());
        assert_eq!(p.thumbnail, Paper::default_thumbnail("2601.00002"));
        assert_eq!(p.published_at, None);
    }

    #[test]
    fn missing_optional_fields_and_wrong_types_are_absent() {
        let mut item = minimal("2601.00003");
        let obj = item.as_object_mut().unwrap();
        obj.remove("thumbnail");
        obj.remove("numComments");
        item["paper"]["upvotes"] = json!("many");
        item["paper"]["githubStars"] = json!(-3);
        item["paper"]["ai_keywords"] = json!(["ok", 3, null, "  fine  "]);
        item["paper"]["authors"] = json!([{"name": "A"}, {"_id": "no name"}, "B", {"name": " "}]);
        let p = &parse(json!([item]))[0];
        assert_eq!(p.upvotes, 0);
        assert_eq!(p.github_stars, None);
        assert_eq!(p.ai_keywords, ["ok", "fine"]);
        assert_eq!(p.authors, ["A"]);
        assert_eq!(p.num_comments, 0);
        assert_eq!(p.thumbnail, Paper::default_thumbnail("2601.00003"));
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let mut item = minimal("2601.00004");
        item["brandNew"] = json!({"nested": [1, 2, 3]});
        item["paper"]["somethingElse"] = json!(true);
        assert_eq!(parse(json!([item])).len(), 1);
    }

    #[test]
    fn an_item_without_paper_id_is_skipped_not_fatal() {
        let mut broken = minimal("2601.00005");
        broken["paper"].as_object_mut().unwrap().remove("id");
        let no_paper = json!({"title": "orphan"});
        let mut bad_id = minimal("x");
        bad_id["paper"]["id"] = json!("../../etc/passwd");
        let mut no_title = minimal("2601.00009");
        no_title["paper"]["title"] = json!("   ");
        no_title["title"] = Value::Null;
        let papers = parse(json!([
            minimal("2601.00006"),
            broken,
            42,
            no_paper,
            bad_id,
            no_title,
            minimal("2601.00007")
        ]));
        let ids: Vec<_> = papers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["2601.00006", "2601.00007"]);
    }

    #[test]
    fn falls_back_to_top_level_copies() {
        let mut item = minimal("2601.00008");
        item["paper"]["title"] = Value::Null;
        item["paper"].as_object_mut().unwrap().remove("summary");
        item["title"] = json!("Top level title");
        item["summary"] = json!("Top level abstract.");
        item.as_object_mut().unwrap().remove("organization");
        item["paper"]["organization"] = json!({"name": "acme"});
        let p = &parse(json!([item]))[0];
        assert_eq!(p.title, "Top level title");
        assert_eq!(p.abstract_text, "Top level abstract.");
        assert_eq!(p.organization.as_deref(), Some("acme"));
    }

    #[test]
    fn conversion_rules() {
        let mut item = minimal("2601.00010");
        item["paper"]["title"] = json!("  A title\n  split over\tlines ");
        item["paper"]["summary"] =
            json!("First para\nwrapped here.\n  Second para, indented.\n\n\nThird   para.\n");
        item["paper"]["submittedOnDailyAt"] = json!("2026-01-20T00:00:00.000Z");
        item["paper"]["githubRepo"] = json!("owner/repo");
        item["paper"]["projectPage"] = json!("javascript:alert(1)");
        item["organization"] = json!({"name": "short", "fullname": "Long Name"});
        item["thumbnail"] = json!("/relative.png");
        let p = &parse(json!([item]))[0];
        assert_eq!(p.title, "A title split over lines");
        assert_eq!(
            p.abstract_text,
            "First para wrapped here.\n\nSecond para, indented.\n\nThird para."
        );
        assert_eq!(p.submitted_on, NaiveDate::from_ymd_opt(2026, 1, 20));
        assert_eq!(
            p.github_repo.as_deref(),
            Some("https://github.com/owner/repo")
        );
        assert_eq!(p.project_page, None);
        assert_eq!(p.organization.as_deref(), Some("Long Name"));
        assert_eq!(p.thumbnail, Paper::default_thumbnail("2601.00010"));
    }

    #[test]
    fn github_urls() {
        assert_eq!(
            github_url("https://github.com/a/b/").as_deref(),
            Some("https://github.com/a/b")
        );
        assert_eq!(
            github_url("github.com/a/b").as_deref(),
            Some("https://github.com/a/b")
        );
        assert_eq!(github_url(""), None);
        assert_eq!(github_url("not a repo"), None);
        assert_eq!(github_url("ftp://github.com/a/b"), None);
    }

    #[test]
    fn broken_bodies_say_what_is_wrong() {
        assert_eq!(parse_day(b"  \n"), Err(ParseError::Empty));
        let html = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>";
        match parse_day(html) {
            Err(ParseError::NotJson { excerpt, .. }) => {
                assert_eq!(excerpt, "html page: 502 Bad Gateway")
            }
            other => panic!("{other:?}"),
        }
        match parse_day(b"{}") {
            Err(
                e @ ParseError::NotArray {
                    found: "an object", ..
                },
            ) => {
                assert_eq!(
                    e.to_string(),
                    "expected a json array of papers, got an object: \"{}\""
                )
            }
            other => panic!("{other:?}"),
        }
        let full = json!([minimal("2601.00011")]).to_string();
        match parse_day(&full.as_bytes()[..full.len() / 2]) {
            Err(e @ ParseError::Truncated { .. }) => {
                assert!(e.to_string().contains("truncated"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_day(b"[1] trailing"),
            Err(ParseError::NotJson { .. })
        ));
        assert_eq!(parse_day(b"[]"), Ok(Vec::new()));
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        let long = "x ".repeat(1000) + "\u{1F600}";
        let e = excerpt(long.as_bytes());
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert!(!e.contains('\n'));
        assert_eq!(
            excerpt(b"<html><body>no title</body></html>"),
            "<html><body>no title</body></html>"
        );
        assert_eq!(
            excerpt(b"<p>a</p><TITLE>\n  Bad\n Gateway </TITLE>"),
            "html page: Bad Gateway"
        );
        assert_eq!(excerpt(b"<title></title>x"), "<title></title>x");
        assert_eq!(
            excerpt(b"{\"error\": \"<title>x</title>\"}"),
            "{\"error\": \"<title>x</title>\"}"
        );
        // A multi-byte character cut by the byte window must not panic.
        let emoji = "\u{1F600}".repeat(200);
        let _ = excerpt(emoji.as_bytes());
    }
}
