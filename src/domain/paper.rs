//! One paper of a Daily Papers list, as paperboy uses it.
//!
//! The HF API has many more fields, most of them optional; `source/` converts its private
//! JSON types into this one so that nothing else depends on the wire format.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A paper as listed on a day of Hugging Face Daily Papers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    /// The bare arXiv id, e.g. `2601.11077`.
    pub id: String,
    pub title: String,
    /// The full abstract (HF calls it `summary`).
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Author names, in the paper's order.
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub upvotes: u32,
    /// Thumbnail URL: the API's `thumbnail`, or the CDN pattern when it is missing.
    pub thumbnail: String,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// The UTC day the paper was added to Daily Papers.
    #[serde(default)]
    pub submitted_on: Option<NaiveDate>,
    /// HF's own one-sentence summary; absent on fresh papers.
    #[serde(default)]
    pub ai_summary: Option<String>,
    #[serde(default)]
    pub ai_keywords: Vec<String>,
    /// Full URL of the code repository.
    #[serde(default)]
    pub github_repo: Option<String>,
    #[serde(default)]
    pub github_stars: Option<u32>,
    #[serde(default)]
    pub project_page: Option<String>,
    /// The organisation's display name (`fullname`, else `name`).
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub num_comments: u32,
}

impl Paper {
    /// `https://huggingface.co/papers/{id}`.
    pub fn page_url(&self) -> String {
        format!("https://huggingface.co/papers/{}", self.id)
    }

    /// `https://arxiv.org/abs/{id}`.
    pub fn arxiv_url(&self) -> String {
        format!("https://arxiv.org/abs/{}", self.id)
    }

    /// `https://arxiv.org/pdf/{id}`.
    pub fn pdf_url(&self) -> String {
        format!("https://arxiv.org/pdf/{}", self.id)
    }

    /// The CDN thumbnail for an id, used when the API gives none.
    pub fn default_thumbnail(id: &str) -> String {
        format!("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png")
    }
}

#[cfg(test)]
pub(crate) mod sample {
    //! A small paper for unit tests across the crate.
    use super::Paper;

    pub fn paper(id: &str, upvotes: u32) -> Paper {
        Paper {
            id: id.to_string(),
            title: format!("Paper {id}"),
            abstract_text: "We study things. We find results. They matter.".to_string(),
            authors: vec!["Ada Lovelace".to_string()],
            upvotes,
            thumbnail: Paper::default_thumbnail(id),
            published_at: None,
            submitted_on: None,
            ai_summary: None,
            ai_keywords: Vec::new(),
            github_repo: None,
            github_stars: None,
            project_page: None,
            organization: None,
            num_comments: 0,
        }
    }
}
