//! A digest as one JSON document, for scripts and for other tools to build on.
//!
//! The shape is a promise to those scripts: fields are added, never renamed.

use serde::Serialize;

use crate::domain::{Digest, SummaryOrigin};

#[derive(Serialize)]
struct Document<'a> {
    date: String,
    language: &'static str,
    top_n: usize,
    papers: Vec<Paper<'a>>,
}

#[derive(Serialize)]
struct Paper<'a> {
    rank: usize,
    id: &'a str,
    title: &'a str,
    url: String,
    arxiv_url: String,
    pdf_url: String,
    upvotes: u32,
    thumbnail: &'a str,
    authors: &'a [String],
    organization: Option<&'a str>,
    summary: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    key_points: &'a [String],
    github: Option<&'a str>,
    project_page: Option<&'a str>,
    ai_keywords: &'a [String],
    summary_origin: &'a SummaryOrigin,
}

/// The digest as pretty-printed JSON (no trailing newline).
pub fn render(digest: &Digest) -> String {
    let document = Document {
        date: digest.date.format("%Y-%m-%d").to_string(),
        language: digest.language.code(),
        top_n: digest.top_n,
        papers: digest
            .entries
            .iter()
            .map(|e| Paper {
                rank: e.rank,
                id: &e.paper.id,
                title: &e.paper.title,
                url: e.paper.page_url(),
                arxiv_url: e.paper.arxiv_url(),
                pdf_url: e.paper.pdf_url(),
                upvotes: e.paper.upvotes,
                thumbnail: &e.paper.thumbnail,
                authors: &e.paper.authors,
                organization: e.paper.organization.as_deref(),
                summary: &e.summary.summary,
                abstract_text: &e.summary.abstract_text,
                key_points: &e.summary.key_points,
                github: e.paper.github_repo.as_deref(),
                project_page: e.paper.project_page.as_deref(),
                ai_keywords: &e.paper.ai_keywords,
                summary_origin: &e.summary.origin,
            })
            .collect(),
    };
    // Strings, numbers and derived structs only: serializing cannot fail.
    serde_json::to_string_pretty(&document).expect("a digest always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample::korean()));
    }

    #[test]
    fn has_every_promised_field() {
        let value: serde_json::Value = serde_json::from_str(&render(&sample::english())).unwrap();
        assert_eq!(value["date"], "2026-01-20");
        assert_eq!(value["language"], "en");
        assert_eq!(value["top_n"], 5);
        let paper = &value["papers"][0];
        for key in [
            "rank",
            "id",
            "title",
            "url",
            "arxiv_url",
            "pdf_url",
            "upvotes",
            "thumbnail",
            "authors",
            "organization",
            "summary",
            "abstract",
            "key_points",
            "github",
            "project_page",
            "ai_keywords",
            "summary_origin",
        ] {
            assert!(paper.get(key).is_some(), "{key}");
        }
        assert_eq!(paper["url"], "https://huggingface.co/papers/2601.11077");
        assert_eq!(value["papers"][1]["github"], serde_json::Value::Null);
        assert_eq!(value["papers"][1]["summary_origin"]["kind"], "fallback");
        assert_eq!(
            value["papers"][1]["title"],
            "Scaling Laws for [Sparse] Mixtures & <Routers>"
        );
    }
}
