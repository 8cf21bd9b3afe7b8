//! A digest as text for each output. Pure functions; every platform limit is enforced here.
//!
//! Each output has its own module: [`markdown`] (the file format of the original digests),
//! [`telegram`] (Bot API calls in HTML parse mode), [`discord`] (create-message payloads with
//! embeds) and [`json`]. They share [`labels`] (the visible words, per language) and [`text`]
//! (cleaning and shortening to a platform's budget). [`render`] is what the CLI prints.

pub mod discord;
pub mod json;
pub mod labels;
pub mod markdown;
pub mod telegram;
pub mod text;

use std::fmt;
use std::str::FromStr;

use crate::domain::Digest;

/// An output format of `paperboy today --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Telegram,
    Discord,
    Json,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [Format; 4] = [
        Format::Markdown,
        Format::Telegram,
        Format::Discord,
        Format::Json,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Telegram => "telegram",
            Format::Discord => "discord",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {input:?}: expected markdown, telegram, discord or json")]
pub struct UnknownFormat {
    pub input: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a format name, case-insensitively; `md` is accepted for Markdown.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Format::Markdown),
            "telegram" => Ok(Format::Telegram),
            "discord" => Ok(Format::Discord),
            "json" => Ok(Format::Json),
            _ => Err(UnknownFormat {
                input: s.to_string(),
            }),
        }
    }
}

/// The text the CLI prints for `digest` in `format`, ending with a newline. Telegram and
/// Discord come as JSON Lines, one Bot API call or create-message payload a line.
pub fn render(digest: &Digest, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(digest),
        Format::Json => json::render(digest) + "\n",
        Format::Telegram => json_lines(&telegram::messages(digest)),
        Format::Discord => json_lines(&discord::messages(digest)),
    }
}

fn json_lines<T: serde::Serialize>(items: &[T]) -> String {
    let mut out = String::new();
    for item in items {
        // The payload types hold only strings, numbers, booleans and vectors of them.
        out.push_str(&serde_json::to_string(item).expect("a payload always serializes"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
pub(crate) mod sample {
    //! Two hand-built papers, in English and in Korean: one summarized by a model, one by the
    //! extractive fallback, so that every label and note shows up in snapshots.

    use chrono::NaiveDate;

    use crate::domain::{Digest, Entry, Language, Paper, Summary, SummaryOrigin};

    pub fn paper_one() -> Paper {
        Paper {
            id: "2601.11077".to_string(),
            title: "ShowUI-π: Flow-based Generative Models as GUI Dexterous Hands".to_string(),
            abstract_text: "Building agents that operate graphical interfaces requires precise, \
                continuous control. We present ShowUI-π, a flow-based policy that drags, draws \
                and scrolls like a human hand. On ScreenDrag it improves success by 12.5 points \
                over discrete baselines, e.g. GPT-4o and Claude. Code and data are public."
                .to_string(),
            authors: [
                "Siyuan Hu",
                "Kevin Qinghong Lin",
                "Mike Zheng Shou",
                "Ada Lovelace",
            ]
            .map(String::from)
            .to_vec(),
            upvotes: 128,
            thumbnail: Paper::default_thumbnail("2601.11077"),
            published_at: None,
            submitted_on: None,
            ai_summary: Some(
                "A flow-based policy gives GUI agents continuous, human-like mouse control."
                    .to_string(),
            ),
            ai_keywords: vec!["GUI agents".to_string(), "flow matching".to_string()],
            github_repo: Some("https://github.com/showlab/ShowUI-Pi".to_string()),
            github_stars: Some(321),
            project_page: Some("https://showlab.github.io/showui-pi".to_string()),
            organization: Some("Show Lab".to_string()),
            num_comments: 3,
        }
    }

    pub fn paper_two() -> Paper {
        Paper {
            id: "2601.10000".to_string(),
            title: "Scaling Laws for [Sparse] Mixtures & <Routers>".to_string(),
            abstract_text: "Sparse mixtures of experts route each token to a few experts. \
                We fit scaling laws for the router's size. Larger routers help up to 1.5B \
                parameters, then saturate."
                .to_string(),
            authors: ["Grace Hopper", "Alan Turing"].map(String::from).to_vec(),
            upvotes: 42,
            thumbnail: Paper::default_thumbnail("2601.10000"),
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

    fn llm() -> SummaryOrigin {
        SummaryOrigin::Llm {
            model: "gpt-4o-mini".to_string(),
        }
    }

    fn fallback() -> SummaryOrigin {
        SummaryOrigin::Fallback {
            reason: "the model timed out".to_string(),
        }
    }

    pub fn english() -> Digest {
        let one = paper_one();
        let two = paper_two();
        Digest {
            date: NaiveDate::from_ymd_opt(2026, 1, 20).expect("a valid date"),
            language: Language::ENGLISH,
            top_n: 5,
            entries: vec![
                Entry {
                    rank: 1,
                    summary: Summary {
                        summary: "ShowUI-π lets GUI agents drag and draw with continuous, \
                            human-like control."
                            .to_string(),
                        abstract_text: one.abstract_text.clone(),
                        key_points: vec![
                            "A flow-based policy outputs continuous cursor trajectories."
                                .to_string(),
                            "ScreenDrag success improves by 12.5 points.".to_string(),
                            "Code and data are public.".to_string(),
                        ],
                        origin: llm(),
                    },
                    paper: one,
                },
                Entry {
                    rank: 2,
                    summary: Summary {
                        summary: "Sparse mixtures of experts route each token to a few experts."
                            .to_string(),
                        abstract_text: two.abstract_text.clone(),
                        key_points: vec![
                            "We fit scaling laws for the router's size.".to_string(),
                            "Larger routers help up to 1.5B parameters, then saturate.".to_string(),
                        ],
                        origin: fallback(),
                    },
                    paper: two,
                },
            ],
        }
    }

    pub fn korean() -> Digest {
        let mut digest = english();
        digest.language = Language::KOREAN;
        let first = &mut digest.entries[0].summary;
        first.summary =
            "ShowUI-π는 GUI 에이전트가 사람처럼 연속적으로 드래그하고 그릴 수 있게 합니다."
                .to_string();
        first.abstract_text = "그래픽 인터페이스를 조작하는 에이전트에는 정밀하고 연속적인 \
            제어가 필요합니다. 우리는 사람의 손처럼 드래그하고 그리고 스크롤하는 흐름 기반 정책 \
            ShowUI-π를 제시합니다. ScreenDrag에서 이산 기준선보다 성공률이 12.5포인트 \
            향상됩니다. 코드와 데이터는 공개되어 있습니다."
            .to_string();
        first.key_points = vec![
            "흐름 기반 정책이 연속적인 커서 궤적을 출력합니다.".to_string(),
            "ScreenDrag 성공률이 12.5포인트 향상됩니다.".to_string(),
            "코드와 데이터가 공개되어 있습니다.".to_string(),
        ];
        digest
    }

    /// A digest of the given papers, each with an extractive summary taken verbatim.
    pub fn of(papers: Vec<Paper>) -> Digest {
        Digest {
            date: NaiveDate::from_ymd_opt(2026, 1, 20).expect("a valid date"),
            language: Language::ENGLISH,
            top_n: papers.len(),
            entries: papers
                .into_iter()
                .enumerate()
                .map(|(i, paper)| Entry {
                    rank: i + 1,
                    summary: Summary {
                        summary: paper.ai_summary.clone().unwrap_or_default(),
                        abstract_text: paper.abstract_text.clone(),
                        key_points: vec![paper.title.clone()],
                        origin: SummaryOrigin::Extractive,
                    },
                    paper,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        assert_eq!("MD".parse::<Format>(), Ok(Format::Markdown));
        let err = "html".parse::<Format>().unwrap_err().to_string();
        assert!(
            err.contains("\"html\"") && err.contains("markdown"),
            "{err}"
        );
    }

    #[test]
    fn every_format_ends_with_one_newline() {
        let digest = sample::english();
        for format in Format::ALL {
            let out = render(&digest, format);
            assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "{format}");
        }
    }

    #[test]
    fn chat_formats_are_json_lines() {
        let digest = sample::korean();
        let telegram = render(&digest, Format::Telegram);
        assert_eq!(telegram.lines().count(), 5);
        for line in telegram.lines() {
            let call: telegram::Call = serde_json::from_str(line).unwrap();
            assert_eq!(serde_json::to_string(&call).unwrap(), line);
        }
        for line in render(&digest, Format::Discord).lines() {
            let message: discord::Message = serde_json::from_str(line).unwrap();
            assert_eq!(discord::check(&message), Ok(()));
            assert!(
                line.contains(r#""allowed_mentions":{"parse":[]}"#),
                "{line}"
            );
        }
    }
}
