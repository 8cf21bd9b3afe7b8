//! Nothing a model writes reaches a reader before it passes here: the answer must be the JSON
//! object we asked for (also when a server ignored the schema and wrapped it in prose or a
//! code fence), of sensible lengths, and in the language requested.

use serde::Deserialize;

use crate::domain::{Language, Paper, Summary, SummaryOrigin};
use crate::summarize::script::{self, Mismatch};

/// Longest summary accepted, in characters (the prompt asks for at most 400).
pub const MAX_SUMMARY_CHARS: usize = 600;
/// Longest key point accepted, in characters (the prompt asks for at most 200).
pub const MAX_KEY_POINT_CHARS: usize = 300;
/// How many key points an answer may have.
pub const KEY_POINTS: std::ops::RangeInclusive<usize> = 3..=5;
/// Longest abstract accepted, relative to the source's length in characters.
const MAX_ABSTRACT_RATIO: f64 = 3.0;
/// Below this many characters a source abstract is too short for a length ratio to mean much.
const MIN_SOURCE_FOR_RATIO: usize = 200;
/// A model wrapping prose around its JSON rarely writes more than a few braces first; this
/// bounds the work spent looking for the object in a long, broken answer.
const MAX_OBJECT_STARTS: usize = 64;

/// The object the model was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Answer {
    pub summary: String,
    #[serde(
        rename = "abstract",
        alias = "abstract_text",
        alias = "translated_abstract"
    )]
    pub abstract_text: String,
    #[serde(alias = "keyPoints", alias = "key points")]
    pub key_points: Vec<String>,
}

/// Why an answer was refused. The text goes into a fallback's reason and into the retry
/// prompt, so it says what was wrong in terms a model can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
    #[error("no JSON object with summary, abstract and key_points found")]
    NoJson,
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{count} key points, expected 3 to 5")]
    KeyPointCount { count: usize },
    #[error("{field} has {chars} characters, at most {max} allowed")]
    TooLong {
        field: &'static str,
        chars: usize,
        max: usize,
    },
    #[error("the abstract has {chars} characters against {source_chars} in the source, expected {min:.2}x to {max:.1}x")]
    AbstractLength {
        chars: usize,
        source_chars: usize,
        min: f64,
        max: f64,
    },
    #[error("{field}: {mismatch}")]
    WrongLanguage {
        field: &'static str,
        #[source]
        mismatch: Mismatch,
    },
}

impl Rejection {
    /// True when the model answered in another language than the one asked for.
    pub fn is_wrong_language(&self) -> bool {
        matches!(self, Rejection::WrongLanguage { .. })
    }
}

/// Finds the answer object in a model's text: the whole text, a fenced code block, or the
/// first `{...}` inside prose that has the three fields.
pub fn parse(text: &str) -> Result<Answer, Rejection> {
    let text = text.trim();
    if let Ok(answer) = serde_json::from_str::<Answer>(text) {
        return Ok(answer);
    }
    for block in fenced_blocks(text) {
        if let Ok(answer) = serde_json::from_str::<Answer>(block.trim()) {
            return Ok(answer);
        }
    }
    text.match_indices('{')
        .take(MAX_OBJECT_STARTS)
        .find_map(|(i, _)| {
            serde_json::Deserializer::from_str(&text[i..])
                .into_iter::<Answer>()
                .next()
                .and_then(Result::ok)
        })
        .ok_or(Rejection::NoJson)
}

/// The contents of ```` ``` ```` blocks, without the info string (```` ```json ````).
fn fenced_blocks(text: &str) -> impl Iterator<Item = &str> {
    text.split("```").skip(1).step_by(2).map(|block| {
        match block.split_once('\n') {
            // An info string is one word on the fence line; JSON never starts that way.
            Some((info, rest)) if !info.trim_start().starts_with('{') => rest,
            _ => block,
        }
    })
}

/// Checks `answer` for `paper` in `language` and turns it into a summary by `model`.
pub fn validate(
    answer: Answer,
    paper: &Paper,
    language: Language,
    model: &str,
) -> Result<Summary, Rejection> {
    let summary = answer.summary.trim().to_string();
    let abstract_text = answer.abstract_text.trim().to_string();
    let key_points: Vec<String> = answer.key_points.iter().map(|p| clean_point(p)).collect();

    if summary.is_empty() {
        return Err(Rejection::Empty { field: "summary" });
    }
    if abstract_text.is_empty() {
        return Err(Rejection::Empty { field: "abstract" });
    }
    if !KEY_POINTS.contains(&key_points.len()) {
        return Err(Rejection::KeyPointCount {
            count: key_points.len(),
        });
    }
    if key_points.iter().any(String::is_empty) {
        return Err(Rejection::Empty {
            field: "a key point",
        });
    }
    let too_long = |field, text: &str, max| {
        let chars = text.chars().count();
        (chars > max).then_some(Rejection::TooLong { field, chars, max })
    };
    if let Some(r) = too_long("the summary", &summary, MAX_SUMMARY_CHARS) {
        return Err(r);
    }
    if let Some(r) = key_points
        .iter()
        .find_map(|p| too_long("a key point", p, MAX_KEY_POINT_CHARS))
    {
        return Err(r);
    }
    check_abstract_length(&abstract_text, &paper.abstract_text, language)?;

    let joined_points = key_points.join("\n");
    for (field, text) in [
        ("summary", summary.as_str()),
        ("abstract", abstract_text.as_str()),
        ("key_points", joined_points.as_str()),
    ] {
        script::check_field(text, language)
            .map_err(|mismatch| Rejection::WrongLanguage { field, mismatch })?;
    }
    let whole = format!("{summary}\n{abstract_text}\n{joined_points}");
    script::check(&whole, language).map_err(|mismatch| Rejection::WrongLanguage {
        field: "the answer",
        mismatch,
    })?;

    Ok(Summary {
        summary,
        abstract_text,
        key_points,
        origin: SummaryOrigin::Llm {
            model: model.to_string(),
        },
    })
}

/// Models like to number or bullet their points although the schema holds a list.
fn clean_point(point: &str) -> String {
    let p = point.trim();
    let p = p.trim_start_matches(['-', '*', '•', '·']);
    let digits = p.len() - p.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut rest = p[digits..].chars();
    let is_number = (1..=2).contains(&digits)
        && matches!(rest.next(), Some('.' | ')'))
        && rest.next().is_some_and(char::is_whitespace);
    // The marker is ASCII: one byte after the digits.
    let p = if is_number { &p[digits + 1..] } else { p };
    p.trim().to_string()
}

/// A translation shorter than a fraction of the source left something out; one much longer
/// added something. CJK scripts say in one character what English says in three or four.
fn check_abstract_length(text: &str, source: &str, language: Language) -> Result<(), Rejection> {
    let source_chars = source.chars().count();
    if source_chars < MIN_SOURCE_FOR_RATIO {
        return Ok(());
    }
    let min = match language.code() {
        "zh" => 0.15,
        "ja" | "ko" => 0.2,
        _ => 0.3,
    };
    let chars = text.chars().count();
    let ratio = chars as f64 / source_chars as f64;
    if ratio < min || ratio > MAX_ABSTRACT_RATIO {
        return Err(Rejection::AbstractLength {
            chars,
            source_chars,
            min,
            max: MAX_ABSTRACT_RATIO,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper;

    const KO_ABSTRACT: &str = "대형 언어 모델(LLM)은 zero-shot 주석 작업과 LLM-as-a-judge \
        작업에 점점 더 많이 사용되지만, 그 신뢰성은 모델 내부의 사전 지식이 사용자 지시와 어떻게 \
        상호작용하는지에 달려 있다. 우리는 이 상호작용의 세 가지 차원을 조사한다.";

    fn ko_answer() -> Answer {
        Answer {
            summary: "LLM은 프롬프트로 zero-shot 오류를 거의 고치지 못한다.".into(),
            abstract_text: KO_ABSTRACT.into(),
            key_points: vec![
                "1. zero-shot 오류의 3분의 2는 수정되지 않는다".into(),
                "- DSF는 성능과 양의 상관관계를 보인다".into(),
                "3.5배 많은 암기 지표는 상관관계를 보이지 않는다".into(),
            ],
        }
    }

    fn source() -> Paper {
        let mut p = paper("2606.00467", 1);
        p.abstract_text = "Large Language Models (LLMs) are increasingly used for zero-shot \
            annotation and LLM-as-a-judge tasks, yet their reliability hinges on how \
            model-internalized priors interact with user-provided instructions. We investigate \
            three dimensions of this interaction."
            .into();
        p
    }

    fn json(a: &Answer) -> String {
        serde_json::json!({
            "summary": a.summary, "abstract": a.abstract_text, "key_points": a.key_points
        })
        .to_string()
    }

    #[test]
    fn parses_plain_fenced_and_prose_wrapped_json() {
        let a = ko_answer();
        let plain = json(&a);
        assert_eq!(parse(&plain).unwrap(), a);
        let fenced = format!("```json\n{plain}\n```");
        assert_eq!(parse(&fenced).unwrap(), a);
        let bare_fence = format!("Here you go:\n```\n{plain}\n```\nEnjoy.");
        assert_eq!(parse(&bare_fence).unwrap(), a);
        let prose = format!("Sure! Here is the summary {{as requested}}: {plain} Hope it helps.");
        assert_eq!(parse(&prose).unwrap(), a);
    }

    #[test]
    fn refuses_text_without_the_object() {
        for text in [
            "",
            "I cannot help with that.",
            "{\"summary\": \"x\"}",
            "{\"summary\": \"x\", \"abstract\": \"y\", \"key_points\": [",
            "{{{{",
        ] {
            assert_eq!(parse(text), Err(Rejection::NoJson), "{text:?}");
        }
    }

    #[test]
    fn accepts_a_good_korean_answer_and_cleans_points() {
        let s = validate(ko_answer(), &source(), Language::KOREAN, "m").unwrap();
        assert_eq!(s.origin, SummaryOrigin::Llm { model: "m".into() });
        assert_eq!(
            s.key_points[0],
            "zero-shot 오류의 3분의 2는 수정되지 않는다"
        );
        assert_eq!(s.key_points[1], "DSF는 성능과 양의 상관관계를 보인다");
        assert!(
            s.key_points[2].starts_with("3.5배"),
            "a number is not a list marker"
        );
    }

    #[test]
    fn schema_and_lengths() {
        let check = |f: &dyn Fn(&mut Answer)| {
            let mut a = ko_answer();
            f(&mut a);
            validate(a, &source(), Language::KOREAN, "m").unwrap_err()
        };
        assert_eq!(
            check(&|a| a.key_points.truncate(2)),
            Rejection::KeyPointCount { count: 2 }
        );
        assert_eq!(
            check(&|a| a.key_points = vec!["점".into(); 6]),
            Rejection::KeyPointCount { count: 6 }
        );
        assert_eq!(
            check(&|a| a.key_points[1] = " - ".into()),
            Rejection::Empty {
                field: "a key point"
            }
        );
        assert_eq!(
            check(&|a| a.summary = "  ".into()),
            Rejection::Empty { field: "summary" }
        );
        assert!(matches!(
            check(&|a| a.summary = "요약".repeat(301)),
            Rejection::TooLong { chars: 602, .. }
        ));
        assert!(matches!(
            check(&|a| a.key_points[2] = "점".repeat(301)),
            Rejection::TooLong { max: 300, .. }
        ));
        assert!(matches!(
            check(&|a| a.abstract_text = "짧은 초록.".into()),
            Rejection::AbstractLength { .. }
        ));
        assert!(matches!(
            check(&|a| a.abstract_text = KO_ABSTRACT.repeat(8)),
            Rejection::AbstractLength { .. }
        ));
    }

    #[test]
    fn a_field_left_in_english_is_caught() {
        let p = source();
        let mut a = ko_answer();
        a.abstract_text = p.abstract_text.clone();
        let err = validate(a, &p, Language::KOREAN, "m").unwrap_err();
        assert!(err.is_wrong_language());
        assert!(
            err.to_string().starts_with("abstract: expected Korean"),
            "{err}"
        );

        let english = Answer {
            summary: "LLMs rarely fix their zero-shot errors when prompted.".into(),
            abstract_text: p.abstract_text.clone(),
            key_points: vec![
                "Two thirds of the errors resist correction".into(),
                "DSF correlates with the performance".into(),
                "Memorization metrics show no association".into(),
            ],
        };
        assert!(validate(english.clone(), &p, Language::ENGLISH, "m").is_ok());
        let err = validate(english, &p, Language::KOREAN, "m").unwrap_err();
        assert!(err.is_wrong_language(), "{err}");
    }

    #[test]
    fn short_sources_skip_the_ratio() {
        let mut p = source();
        p.abstract_text = "Short.".into();
        let mut a = ko_answer();
        a.abstract_text = "짧은 초록이다.".into();
        assert!(validate(a, &p, Language::KOREAN, "m").is_ok());
    }
}
