//! `paperboy today` end to end: the real binary, a saved response or a loopback HF API.

use chrono::{Days, Utc};
use serde_json::Value;

use crate::support::cli::{output, paperboy, stderr, stdout};
use crate::support::{fixtures, hf};
use paperboy::render;

const RECORDED_DAY: &str = "daily_papers_2026-06-12.json";

fn recorded_path() -> String {
    fixtures::shared_hf(RECORDED_DAY).display().to_string()
}

#[tokio::test]
async fn json_of_the_recorded_day_lists_the_top_five_by_upvotes() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args(["today", "--input", &recorded_path(), "--format", "json"]);
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));

    // The expected top 5, computed from the fixture independently of the code under test.
    let items = hf::recorded_items(RECORDED_DAY);
    let mut expected: Vec<(String, u64)> = items
        .iter()
        .map(|i| {
            (
                i["paper"]["id"].as_str().unwrap().to_string(),
                i["paper"]["upvotes"].as_u64().unwrap(),
            )
        })
        .collect();
    expected.sort_by_key(|e| std::cmp::Reverse(e.1));
    expected.truncate(5);

    let digest: Value = serde_json::from_str(&stdout(&out)).expect("stdout is one JSON object");
    assert_eq!(digest["date"], "2026-06-12");
    let papers = digest["papers"].as_array().unwrap();
    let got: Vec<(String, u64)> = papers
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["upvotes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    for (rank, p) in papers.iter().enumerate() {
        assert_eq!(p["rank"], rank + 1);
        assert!(
            !p["summary"].as_str().unwrap().is_empty(),
            "summary of {}",
            p["id"]
        );
        assert!(
            p["abstract"].as_str().unwrap().len() > 200,
            "abstract of {}",
            p["id"]
        );
        let points = p["key_points"].as_array().unwrap();
        assert!(
            (3..=4).contains(&points.len()),
            "{} key points for {}",
            points.len(),
            p["id"]
        );
        assert!(p["thumbnail"].as_str().unwrap().starts_with("https://"));
        assert!(p["url"]
            .as_str()
            .unwrap()
            .ends_with(p["id"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn markdown_has_the_reference_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args(["today", "--input", &recorded_path(), "--top", "3"]);
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.starts_with("# 2026-06-12 Daily Papers (Top 3)\n"),
        "{md}"
    );
    assert!(md.contains("## 1. [EvoArena"), "{md}");
    assert!(md.contains("](https://huggingface.co/papers/2606.13681)"));
    assert!(md.contains("**Upvotes**: 118"));
    assert!(md.contains("![Thumbnail](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.13681.png)"));
    assert_eq!(md.matches("\n## ").count(), 3);
    for heading in ["📌 Summary", "📝 Abstract", "🔑 Key points"] {
        assert_eq!(md.matches(heading).count(), 3, "{heading}");
    }
}

#[tokio::test]
async fn korean_labels_without_an_llm() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args(["today", "--input", &recorded_path(), "--lang", "ko"]);
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("📌 요약"), "{md}");
    assert!(md.contains("🔑 핵심 포인트"));
    // Without a model the abstract is the original, and the heading does not claim otherwise.
    assert!(!md.contains("초록 (번역)"));
    assert!(md.contains("📝 초록"));
}

#[tokio::test]
async fn telegram_and_discord_lines_are_valid_payloads() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["telegram", "discord"] {
        let mut cmd = paperboy(dir.path());
        cmd.args(["today", "--input", &recorded_path(), "--format", format]);
        let out = output(cmd).await;
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert!(!lines.is_empty());
        for line in &lines {
            if format == "telegram" {
                let call: render::telegram::Call = serde_json::from_str(line).unwrap();
                match call {
                    render::telegram::Call::SendMessage { text, .. } => {
                        render::telegram::check(&text, 4096).unwrap()
                    }
                    render::telegram::Call::SendPhoto { caption, .. } => {
                        render::telegram::check(&caption, 1024).unwrap()
                    }
                    render::telegram::Call::SendMediaGroup { media } => {
                        assert!((2..=10).contains(&media.len()))
                    }
                }
            } else {
                let message: render::discord::Message = serde_json::from_str(line).unwrap();
                render::discord::check(&message).unwrap();
                let raw: Value = serde_json::from_str(line).unwrap();
                assert_eq!(raw["allowed_mentions"]["parse"], serde_json::json!([]));
            }
        }
        if format == "telegram" {
            assert!(lines.len() <= 2 * 5 + 1, "{} calls", lines.len());
        }
    }
}

#[tokio::test]
async fn latest_day_walks_back_over_an_empty_weekend_and_says_so() {
    let server = hf::start().await;
    let today = Utc::now().date_naive();
    let back = |n| today.checked_sub_days(Days::new(n)).unwrap();
    hf::serve_empty_days(&server, &[today, back(1)]).await;
    hf::serve_day(&server, back(2), &hf::items(7)).await;

    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args(["today", "--format", "json", "--top", "2"])
        .env("PAPERBOY_SOURCE__HF_BASE_URL", server.uri());
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let digest: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(digest["date"], back(2).to_string());
    assert_eq!(digest["papers"].as_array().unwrap().len(), 2);
    assert!(
        stderr(&out).contains(&format!("showing {}", back(2))),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn an_empty_day_is_not_an_error() {
    let server = hf::start().await;
    let day = hf::date("2026-01-17");
    hf::serve_empty_days(&server, &[day]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args(["today", "--date", "2026-01-17"])
        .env("PAPERBOY_SOURCE__HF_BASE_URL", server.uri());
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("no papers on 2026-01-17 (weekend?)"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn broken_input_unreachable_api_and_bad_arguments_fail_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, b"[{\"paper\": {\"id\": \"1\"").unwrap();
    let html = dir.path().join("page.html");
    std::fs::write(&html, b"<html><body>502 Bad Gateway</body></html>").unwrap();

    type Case<'a> = (Vec<String>, Vec<(&'a str, String)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![
                "today".into(),
                "--input".into(),
                broken.display().to_string(),
            ],
            vec![],
            "broken.json",
        ),
        (
            vec!["today".into(), "--input".into(), html.display().to_string()],
            vec![],
            "page.html",
        ),
        (
            vec![
                "today".into(),
                "--input".into(),
                "/nonexistent/day.json".into(),
            ],
            vec![],
            "cannot read",
        ),
        (
            vec!["today".into(), "--date".into(), "2999-01-01".into()],
            vec![],
            "in the future",
        ),
        (
            vec!["today".into(), "--date".into(), "2026-01-20".into()],
            vec![
                ("PAPERBOY_SOURCE__HF_BASE_URL", "http://127.0.0.1:9".into()),
                ("PAPERBOY_SOURCE__MAX_ATTEMPTS", "1".into()),
            ],
            "cannot fetch the papers of 2026-01-20",
        ),
        (
            vec!["today".into()],
            vec![("PAPERBOY_DIGEST__TOP_N", "0".into())],
            "digest.top_n",
        ),
        (
            vec!["today".into()],
            vec![("PAPERBOY_DIGEST__TOPN", "5".into())],
            "PAPERBOY_DIGEST__TOPN",
        ),
    ];
    for (args, env, needle) in cases {
        let mut cmd = paperboy(dir.path());
        cmd.args(&args).envs(env);
        let out = output(cmd).await;
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = stderr(&out);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    // clap's own errors for bad arguments.
    for args in [
        ["today", "--top", "11"],
        ["today", "--lang", "xx"],
        ["today", "--format", "pdf"],
    ] {
        let mut cmd = paperboy(dir.path());
        cmd.args(args);
        let out = output(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[tokio::test]
async fn save_images_downloads_thumbnails_and_references_them() {
    let server = hf::start().await;
    let day = hf::date("2026-01-20");
    let mut items = hf::items(3);
    for (i, item) in items.iter_mut().enumerate() {
        item["thumbnail"] = Value::String(format!("{}/thumbs/{i}.png", server.uri()));
    }
    hf::serve_day(&server, day, &items).await;
    let png = b"\x89PNG\r\n\x1a\nfake image".to_vec();
    for i in 0..3 {
        hf::serve_thumbnail(&server, &format!("/thumbs/{i}.png"), png.clone()).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args(["today", "--date", "2026-01-20", "--save-images", "images"])
        .env("PAPERBOY_SOURCE__HF_BASE_URL", server.uri());
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    let saved: Vec<_> = std::fs::read_dir(dir.path().join("images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(saved.len(), 3, "{saved:?}");
    for name in &saved {
        assert!(name.ends_with("_img.png"), "{name}");
        // Markdown link targets cannot hold spaces: the renderer percent-encodes them.
        let target = name.replace(' ', "%20");
        assert!(
            md.contains(&format!("](images/{target})")),
            "{name} not referenced:\n{md}"
        );
        assert_eq!(
            std::fs::read(dir.path().join("images").join(name)).unwrap(),
            png
        );
    }
}

#[tokio::test]
async fn korean_digest_through_an_llm_has_the_reference_layout() {
    // Issue 6, acceptance 3: the recorded 30-paper day, --lang ko, against a loopback
    // OpenAI-compatible fake.
    let llm = crate::support::openai::FakeOpenAi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = paperboy(dir.path());
    cmd.args([
        "today",
        "--input",
        &recorded_path(),
        "--lang",
        "ko",
        "--format",
        "markdown",
    ])
    .env("PAPERBOY_LLM__BASE_URL", &llm.base_url)
    .env("PAPERBOY_LLM_API_KEY", "sk-test");
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.starts_with("# 2026-06-12 Daily Papers (Top 5)\n"),
        "{md}"
    );
    assert!(md.contains("## 1. [EvoArena"), "{md}");
    assert!(md.contains("**Upvotes**: 118"));
    for heading in ["📌 요약", "📝 초록 (번역)", "🔑 핵심 포인트"] {
        assert_eq!(md.matches(heading).count(), 5, "{heading}:\n{md}");
    }
    assert_eq!(llm.calls(), 5, "one call per paper");
    // The content is Korean, not the English original.
    let hangul = md
        .chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
        .count();
    assert!(hangul > 500, "only {hangul} Hangul syllables:\n{md}");
    assert!(
        !md.contains("(model unavailable"),
        "no fallback expected:\n{md}"
    );
}
