//! Snapshots of one recorded day (`daily_papers_2026-06-12.json`) in every output, through
//! the real parse, selection and extractive summarizer. A change to any of them shows up
//! here as a diff to review (`cargo insta review`, or INSTA_UPDATE=always once accepted).

use paperboy::domain::{Digest, Language};
use paperboy::render::{self, Format};
use paperboy::summarize::Backend;
use paperboy::{pipeline, source};

use crate::support::hf;

async fn recorded_digest(language: Language) -> Digest {
    let papers = source::parse_day(&hf::recorded("daily_papers_2026-06-12.json")).unwrap();
    let date = pipeline::day_of(&papers).unwrap();
    pipeline::build_digest(date, &papers, 5, language, &Backend::Extractive).await
}

#[tokio::test]
async fn markdown() {
    let digest = recorded_digest(Language::ENGLISH).await;
    insta::assert_snapshot!(render::render(&digest, Format::Markdown));
}

#[tokio::test]
async fn markdown_korean_labels() {
    let digest = recorded_digest(Language::KOREAN).await;
    insta::assert_snapshot!(render::render(&digest, Format::Markdown));
}

#[tokio::test]
async fn telegram() {
    let digest = recorded_digest(Language::ENGLISH).await;
    insta::assert_snapshot!(render::render(&digest, Format::Telegram));
}

#[tokio::test]
async fn discord() {
    let digest = recorded_digest(Language::ENGLISH).await;
    insta::assert_snapshot!(render::render(&digest, Format::Discord));
}

#[tokio::test]
async fn json() {
    let digest = recorded_digest(Language::ENGLISH).await;
    insta::assert_snapshot!(render::render(&digest, Format::Json));
}
