//! The fixed words a digest shows around the papers, per language.
//!
//! Every renderer takes its headings from here so that a Korean digest says `📌 요약` in
//! Markdown, Telegram and Discord alike, and so that the abstract's heading can only claim a
//! translation when a model really wrote one (see [`abstract_heading`]).

use crate::domain::{Language, SummaryOrigin};

/// The visible strings of a digest in one language.
///
/// Templates hold `{n}`, `{date}` or `{model}` where a value goes; the methods fill them so
/// callers cannot forget one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The digest's name, after the date: `2026-01-20 Daily Papers`.
    pub daily_papers: &'static str,
    /// `Top {n}`.
    pub top: &'static str,
    pub summary: &'static str,
    /// The abstract as published.
    pub abstract_original: &'static str,
    /// The abstract as translated by a model.
    pub abstract_translated: &'static str,
    pub key_points: &'static str,
    pub upvotes: &'static str,
    pub authors: &'static str,
    pub organization: &'static str,
    pub links: &'static str,
    pub paper_page: &'static str,
    pub arxiv: &'static str,
    pub pdf: &'static str,
    pub code: &'static str,
    pub project_page: &'static str,
    /// Appended to a shortened author list: `A, B et al.`.
    pub et_al: &'static str,
    /// Why a summary is extractive although a model was asked for.
    pub fallback_note: &'static str,
    /// `No papers on {date} (weekend?)`.
    pub no_papers: &'static str,
    /// Who wrote the summary, for footers.
    pub by_extractive: &'static str,
    /// `summary by {model}`.
    pub by_model: &'static str,
}

static ENGLISH: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Summary",
    abstract_original: "📝 Abstract",
    abstract_translated: "📝 Abstract (translated)",
    key_points: "🔑 Key points",
    upvotes: "Upvotes",
    authors: "Authors",
    organization: "Organization",
    links: "Links",
    paper_page: "Paper page",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Code",
    project_page: "Project page",
    et_al: "et al.",
    fallback_note: "(model unavailable: extractive summary)",
    no_papers: "No papers on {date} (weekend?)",
    by_extractive: "extractive summary",
    by_model: "summary by {model}",
};

static KOREAN: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 요약",
    abstract_original: "📝 초록",
    abstract_translated: "📝 초록 (번역)",
    key_points: "🔑 핵심 포인트",
    upvotes: "추천",
    authors: "저자",
    organization: "기관",
    links: "링크",
    paper_page: "논문 페이지",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "코드",
    project_page: "프로젝트 페이지",
    et_al: "외",
    fallback_note: "(모델 사용 불가: 추출 요약)",
    no_papers: "{date}에는 논문이 없습니다 (주말?)",
    by_extractive: "추출 요약",
    by_model: "{model} 요약",
};

/// The labels for `language`; languages without their own labels yet read English ones.
pub fn labels(language: Language) -> &'static Labels {
    match language.code() {
        "ko" => &KOREAN,
        _ => &ENGLISH,
    }
}

/// The heading over an abstract, which must not claim a translation that did not happen.
///
/// Only a model translates: an extractive summary (by choice or as a fallback) shows the
/// abstract as published, and an English digest never translates.
pub fn abstract_heading(language: Language, origin: &SummaryOrigin) -> &'static str {
    let labels = labels(language);
    match origin {
        SummaryOrigin::Llm { .. } if language != Language::ENGLISH => labels.abstract_translated,
        _ => labels.abstract_original,
    }
}

impl Labels {
    /// `Top 5`.
    pub fn top(&self, n: usize) -> String {
        self.top.replace("{n}", &n.to_string())
    }

    /// `No papers on 2026-01-24 (weekend?)`.
    pub fn no_papers(&self, date: impl std::fmt::Display) -> String {
        self.no_papers.replace("{date}", &date.to_string())
    }

    /// Who wrote a summary, in a few words.
    pub fn origin(&self, origin: &SummaryOrigin) -> String {
        match origin {
            SummaryOrigin::Extractive => self.by_extractive.to_string(),
            SummaryOrigin::Llm { model } => self.by_model.replace("{model}", model),
            SummaryOrigin::Fallback { .. } => self
                .fallback_note
                .trim_matches(|c| c == '(' || c == ')')
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn llm() -> SummaryOrigin {
        SummaryOrigin::Llm {
            model: "m".to_string(),
        }
    }

    fn fallback() -> SummaryOrigin {
        SummaryOrigin::Fallback {
            reason: "timeout".to_string(),
        }
    }

    #[test]
    fn korean_headings_match_the_reference_digest() {
        let ko = labels(Language::KOREAN);
        assert_eq!(ko.summary, "📌 요약");
        assert_eq!(ko.key_points, "🔑 핵심 포인트");
        assert_eq!(abstract_heading(Language::KOREAN, &llm()), "📝 초록 (번역)");
    }

    #[test]
    fn abstract_heading_claims_translation_only_for_a_model_in_another_language() {
        assert_eq!(abstract_heading(Language::KOREAN, &fallback()), "📝 초록");
        assert_eq!(
            abstract_heading(Language::KOREAN, &SummaryOrigin::Extractive),
            "📝 초록"
        );
        assert_eq!(abstract_heading(Language::ENGLISH, &llm()), "📝 Abstract");
        assert_eq!(
            abstract_heading(Language::ENGLISH, &fallback()),
            "📝 Abstract"
        );
        let ja = Language::parse("ja").unwrap();
        assert_eq!(abstract_heading(ja, &llm()), "📝 Abstract (translated)");
        assert_eq!(abstract_heading(ja, &fallback()), "📝 Abstract");
    }

    #[test]
    fn every_language_has_labels() {
        for language in Language::all() {
            let l = labels(language);
            assert!(!l.summary.is_empty() && !l.fallback_note.is_empty());
        }
        assert_eq!(labels(Language::parse("fr").unwrap()), &ENGLISH);
    }

    #[test]
    fn templates_are_filled() {
        let en = labels(Language::ENGLISH);
        assert_eq!(en.top(5), "Top 5");
        assert_eq!(
            en.no_papers("2026-01-24"),
            "No papers on 2026-01-24 (weekend?)"
        );
        assert_eq!(en.origin(&llm()), "summary by m");
        assert_eq!(
            en.origin(&fallback()),
            "model unavailable: extractive summary"
        );
        let ko = labels(Language::KOREAN);
        assert_eq!(
            ko.no_papers("2026-01-24"),
            "2026-01-24에는 논문이 없습니다 (주말?)"
        );
    }
}
