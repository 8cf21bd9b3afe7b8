//! Property tests of the renderers (acceptance item 4): whatever the papers hold (markup,
//! `&`, `<`, emoji, right-to-left text, combining marks, 100,000-character abstracts), no
//! renderer panics, every Telegram text and caption is valid HTML within its limit, and every
//! Discord payload is within every embed limit.
//!
//! The validators (`telegram::check`, `discord::check`) share no code with the renderers, so
//! these properties can fail.

use chrono::NaiveDate;
use proptest::prelude::*;

use paperboy::domain::{Digest, Entry, Language, Paper, Summary, SummaryOrigin};
use paperboy::render::{self, discord, telegram, text, Format};

/// Fragments chosen to break naive renderers, mixed with arbitrary Unicode.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,10}",
        3 => Just(" ".to_string()),
        2 => Just(". ".to_string()),
        1 => any::<char>().prop_map(String::from),
        1 => ".{0,12}",
        1 => prop::sample::select(vec![
            "<b>", "</b>", "</i>", "<i><b>", "&", "&amp;", "&lt;", "&#128512;", "&nbsp;", "&#",
            "<", ">", "\"", "'", "<script>alert(1)</script>", "<a href=\"x\">", "</blockquote>",
            "<pre><code>", "😀", "👨\u{200d}👩\u{200d}👧", "🇰🇷", "مرحبا بالعالم", "שלום",
            "\u{202e}", "\u{200f}", "e\u{301}", "\u{301}\u{302}\u{303}", "한국어 문장입니다. ",
            "日本語の文。", "! ", "? ", "\n", "\n\n", "\r\n", "\t", "\u{0}", "\u{7f}", "\u{feff}",
            "e.g. ", "et al. ", "Fig. 3 ", "3.5% ", "@everyone", "@here", "<@123>", "*", "**",
            "_", "`", "```", "||", "~~", "[x](https://y)", "\\", "# ", "> ", "- ", "…",
        ])
        .prop_map(String::from),
    ]
}

fn text_of(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max_pieces).prop_map(|v| v.concat())
}

/// A text of about `min..max` characters: a random seed repeated.
fn long_text(min: usize, max: usize) -> impl Strategy<Value = String> {
    (text_of(30), min..=max).prop_map(|(seed, len)| {
        let seed = if seed.is_empty() {
            "x. ".to_string()
        } else {
            seed
        };
        seed.chars().cycle().take(len).collect()
    })
}

fn maybe_url() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some("https://github.com/org/repo".to_string())),
        1 => text_of(4).prop_map(|t| Some(format!("https://example.com/{t}?a=1&b=\"2\""))),
        1 => text_of(4).prop_map(Some),
    ]
}

fn origin() -> impl Strategy<Value = SummaryOrigin> {
    prop_oneof![
        Just(SummaryOrigin::Extractive),
        text_of(6).prop_map(|model| SummaryOrigin::Llm { model }),
        text_of(6).prop_map(|reason| SummaryOrigin::Fallback { reason }),
    ]
}

fn language() -> impl Strategy<Value = Language> {
    prop::sample::select(Language::all().collect::<Vec<_>>())
}

prop_compose! {
    fn entry(abstract_text: BoxedStrategy<String>, summary: BoxedStrategy<String>)(
        id in prop_oneof![4 => "2[0-9]{3}\\.[0-9]{5}", 1 => text_of(4)],
        title in prop_oneof![4 => text_of(20), 1 => long_text(200, 3000)],
        abstract_text in abstract_text,
        summary in summary,
        key_points in prop::collection::vec(prop_oneof![4 => text_of(20), 1 => long_text(300, 5000)], 0..12),
        authors in prop::collection::vec(prop_oneof![4 => text_of(4), 1 => long_text(50, 2000)], 0..60),
        upvotes in any::<u32>(),
        thumbnail in prop_oneof![
            4 => "2[0-9]{3}\\.[0-9]{5}".prop_map(|id| Paper::default_thumbnail(&id)),
            1 => text_of(3),
        ],
        organization in prop_oneof![2 => Just(None), 1 => text_of(6).prop_map(Some), 1 => long_text(100, 3000).prop_map(Some)],
        github_repo in maybe_url(),
        github_stars in any::<Option<u32>>(),
        project_page in maybe_url(),
        origin in origin(),
    ) -> Entry {
        Entry {
            rank: 0,
            paper: Paper {
                id,
                title,
                abstract_text: abstract_text.clone(),
                authors,
                upvotes,
                thumbnail,
                published_at: None,
                submitted_on: None,
                ai_summary: None,
                ai_keywords: Vec::new(),
                github_repo,
                github_stars,
                project_page,
                organization,
                num_comments: 0,
            },
            summary: Summary {
                summary,
                abstract_text,
                key_points,
                origin,
            },
        }
    }
}

fn digest(
    abstract_text: BoxedStrategy<String>,
    summary: BoxedStrategy<String>,
) -> impl Strategy<Value = Digest> {
    (
        prop::collection::vec(entry(abstract_text, summary), 0..=10),
        language(),
        0usize..=12,
        0i64..20_000,
    )
        .prop_map(|(mut entries, language, top_n, day)| {
            for (i, e) in entries.iter_mut().enumerate() {
                e.rank = i + 1;
            }
            let date = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date")
                + chrono::Days::new(day as u64);
            Digest {
                date,
                language,
                top_n,
                entries,
            }
        })
}

fn ordinary_digest() -> impl Strategy<Value = Digest> {
    digest(text_of(200).boxed(), text_of(60).boxed())
}

fn huge_digest() -> impl Strategy<Value = Digest> {
    digest(
        long_text(50_000, 100_000).boxed(),
        prop_oneof![text_of(60), long_text(1_000, 20_000)].boxed(),
    )
}

/// Everything the acceptance criteria promise about one digest's chat payloads.
fn assert_payloads_valid(digest: &Digest) -> Result<(), TestCaseError> {
    let n = digest.entries.len();

    let calls = telegram::messages(digest);
    prop_assert!(
        calls.len() <= 2 * n + 1,
        "{} calls for {n} papers",
        calls.len()
    );
    prop_assert!(!calls.is_empty());
    for call in &calls {
        match call {
            telegram::Call::SendMessage { text, .. } => {
                let checked = telegram::check(text, telegram::TEXT_LIMIT);
                prop_assert_eq!(checked, Ok(()), "text: {}", text);
                prop_assert!(telegram::visible_len(text) > 0, "empty text");
            }
            telegram::Call::SendPhoto { caption, photo, .. } => {
                let checked = telegram::check(caption, telegram::CAPTION_LIMIT);
                prop_assert_eq!(checked, Ok(()), "caption: {}", caption);
                prop_assert!(!photo.trim().is_empty());
            }
            telegram::Call::SendMediaGroup { media } => {
                prop_assert!((2..=10).contains(&media.len()));
                for m in media {
                    let checked = telegram::check(&m.caption, telegram::CAPTION_LIMIT);
                    prop_assert_eq!(checked, Ok(()), "caption: {}", &m.caption);
                }
            }
        }
    }

    let messages = discord::messages(digest);
    prop_assert!(!messages.is_empty());
    prop_assert!(messages[0].content.is_some());
    prop_assert_eq!(messages.iter().map(|m| m.embeds.len()).sum::<usize>(), n);
    for message in &messages {
        prop_assert_eq!(discord::check(message), Ok(()), "{:#?}", message);
        prop_assert!(message.allowed_mentions.parse.is_empty());
    }

    // The other formats only have to survive and stay well-formed.
    let json: serde_json::Value = serde_json::from_str(&render::render(digest, Format::Json))
        .map_err(|e| TestCaseError::fail(format!("json: {e}")))?;
    prop_assert_eq!(json["papers"].as_array().map(Vec::len), Some(n));
    let markdown = render::render(digest, Format::Markdown);
    let top = render::labels::labels(digest.language).top(digest.top_n);
    let first_line = format!("# {} Daily Papers ({top})", digest.date);
    prop_assert!(markdown.starts_with(&first_line), "{}", markdown);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn payloads_are_valid_for_any_papers(digest in ordinary_digest()) {
        assert_payloads_valid(&digest)?;
    }

    #[test]
    fn an_alert_line_never_breaks_the_caption(
        entry in entry(text_of(100).boxed(), text_of(60).boxed()),
        language in language(),
        line in prop_oneof![text_of(20), long_text(500, 5000)],
    ) {
        let calls = telegram::paper_with_line(&entry, language, &line);
        prop_assert_eq!(calls.len(), 2);
        for call in &calls {
            let (html, limit) = match call {
                telegram::Call::SendMessage { text, .. } => (text, telegram::TEXT_LIMIT),
                telegram::Call::SendPhoto { caption, .. } => (caption, telegram::CAPTION_LIMIT),
                telegram::Call::SendMediaGroup { .. } => return Err(TestCaseError::fail("media group")),
            };
            prop_assert_eq!(telegram::check(html, limit), Ok(()), "{}", html);
        }
        prop_assert_eq!(discord::check(&discord::Message {
            content: None,
            embeds: vec![discord::paper_embed(&entry, language)],
            allowed_mentions: discord::AllowedMentions::default(),
        }), Ok(()));
    }

    #[test]
    fn shorten_fits_any_budget_and_keeps_a_prefix(
        input in prop_oneof![text_of(80), long_text(1_000, 5_000)],
        max in 0usize..3_000,
    ) {
        for weight in [text::utf16 as fn(char) -> usize, text::code_point] {
            let out = text::shorten(&input, max, weight);
            prop_assert!(text::measure(&out, weight) <= max);
            let kept = out.trim_end_matches('…').trim();
            prop_assert!(input.trim_start().starts_with(kept), "{:?} is not a prefix", kept);
        }
    }

    #[test]
    fn check_accepts_escaped_text_and_counts_it(raw in text_of(60)) {
        let escaped = raw.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let html = format!("<b>{escaped}</b>");
        let len = raw.encode_utf16().count();
        prop_assert_eq!(telegram::visible_len(&html), len);
        prop_assert_eq!(telegram::check(&html, len), Ok(()));
        if len > 0 {
            let over = telegram::check(&html, len - 1);
            prop_assert!(
                matches!(over, Err(telegram::HtmlProblem::TooLong { .. })),
                "not rejected as too long: {over:?}"
            );
        }
        // A lone `&` in front of a space is never an entity.
        let broken = format!("<b>{escaped} & </b>");
        prop_assert!(telegram::check(&broken, usize::MAX).is_err());
    }
}

proptest! {
    // Each case renders up to ten 100,000-character abstracts in every format.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn payloads_are_valid_for_huge_papers(digest in huge_digest()) {
        assert_payloads_valid(&digest)?;
    }
}
