//! The whole `today` pipeline on a 100-paper day: parse the API response, select the top 5,
//! summarize them (extractive), render all four formats. Target: under 20 ms on one core.
//!
//! The day is the recorded 30-paper response (`../shared/fixtures/hf/`) repeated with new
//! ids and upvotes up to 100 papers, so abstracts and fields are real.
//!
//! Run: `cargo bench --bench pipeline`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::Value;

use paperboy::domain::{selection, Language};
use paperboy::render::{self, Format};
use paperboy::summarize::{extractive, Backend};
use paperboy::{pipeline, source};

fn hundred_paper_day() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/hf/daily_papers_2026-06-12.json"
    );
    let body = std::fs::read(path).expect("the recorded day is in ../shared/fixtures/hf");
    let items: Vec<Value> =
        serde_json::from_slice(&body).expect("the recorded day is a JSON array");
    let day: Vec<Value> = (0..100)
        .map(|i| {
            let mut item = items[i % items.len()].clone();
            item["paper"]["id"] = Value::String(format!("2606.{:05}", 90000 + i));
            item["paper"]["upvotes"] = Value::from((i * 37 % 101) as u64);
            item
        })
        .collect();
    serde_json::to_vec(&day).expect("values serialize")
}

fn pipeline(c: &mut Criterion) {
    let body = hundred_paper_day();
    let formats = [
        Format::Markdown,
        Format::Telegram,
        Format::Discord,
        Format::Json,
    ];

    c.bench_function(
        "pipeline: parse + top 5 + summarize + 4 formats (100 papers)",
        |b| {
            b.iter(|| {
                let papers = source::parse_day(black_box(&body)).expect("valid day");
                let date = pipeline::day_of(&papers).unwrap_or_default();
                let digest = futures::executor::block_on(pipeline::build_digest(
                    date,
                    &papers,
                    5,
                    Language::ENGLISH,
                    &Backend::Extractive,
                ));
                let total: usize = formats
                    .iter()
                    .map(|f| render::render(&digest, *f).len())
                    .sum();
                black_box(total)
            })
        },
    );

    let papers = source::parse_day(&body).expect("valid day");
    c.bench_function("parse 100 papers", |b| {
        b.iter(|| source::parse_day(black_box(&body)))
    });
    c.bench_function("select top 5 of 100", |b| {
        b.iter(|| selection::top(black_box(&papers), 5))
    });
    c.bench_function("summarize 100 abstracts (extractive)", |b| {
        b.iter(|| papers.iter().map(extractive::summarize).count())
    });
    let digest = futures::executor::block_on(pipeline::build_digest(
        pipeline::day_of(&papers).unwrap_or_default(),
        &papers,
        5,
        Language::ENGLISH,
        &Backend::Extractive,
    ));
    for format in formats {
        c.bench_function(&format!("render top 5 as {format}"), |b| {
            b.iter(|| render::render(black_box(&digest), format))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = pipeline
}
criterion_main!(benches);
