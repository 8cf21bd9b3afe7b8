//! What paperboy asks the model. The wording is versioned: a cached summary is only reused
//! while [`PROMPT_VERSION`] is unchanged, so bump it whenever the text or the schema changes
//! what a good answer looks like.

use serde_json::{json, Value};

use crate::domain::{Language, Paper};

/// Part of every cache key; see the module docs.
pub const PROMPT_VERSION: u32 = 1;

/// The `name` of the JSON schema sent as `response_format`.
pub const SCHEMA_NAME: &str = "paper_summary";

/// The chat messages for one paper, system first.
pub fn messages(paper: &Paper, language: Language, retry_reason: Option<&str>) -> Vec<Value> {
    vec![
        json!({"role": "system", "content": system(language)}),
        json!({"role": "user", "content": user(paper, language, retry_reason)}),
    ]
}

/// The language as both names: "Korean (한국어)". Naming it twice, once in the model's
/// best-known language and once in its own script, makes small local models far less
/// likely to drift back into English.
fn named(language: Language) -> String {
    if language.english_name() == language.native_name() {
        language.english_name().to_string()
    } else {
        format!("{} ({})", language.english_name(), language.native_name())
    }
}

fn system(language: Language) -> String {
    let lang = named(language);
    let name = language.english_name();
    format!(
        "You summarize machine-learning research papers for readers of {lang}. Write every \
         field in {lang}. Keep technical terms in English where a {name}-speaking researcher \
         would: model, method and dataset names, benchmarks, acronyms (LLM, RLHF, MoE) and \
         established terms such as \"diffusion\" or \"transformer\"; do not transliterate them. \
         Use only the information given; do not invent numbers or claims. Answer with one JSON \
         object and nothing else: {{\"summary\": string, \"abstract\": string, \"key_points\": \
         [string, ...]}}."
    )
}

fn user(paper: &Paper, language: Language, retry_reason: Option<&str>) -> String {
    let lang = named(language);
    let mut text = format!("Target language: {lang}\n\nTitle: {}\n", paper.title.trim());
    if !paper.ai_keywords.is_empty() {
        text.push_str(&format!("Keywords: {}\n", paper.ai_keywords.join(", ")));
    }
    text.push_str(&format!("Abstract:\n{}\n\n", paper.abstract_text.trim()));
    let abstract_task = if language == Language::ENGLISH {
        "the abstract as given, complete".to_string()
    } else {
        format!(
            "the full abstract translated into {lang}, complete, with nothing added or left out"
        )
    };
    text.push_str(&format!(
        "Write in {lang}:\n\
         - summary: one or two sentences (at most 400 characters) saying what the paper does \
         and what it finds;\n\
         - abstract: {abstract_task};\n\
         - key_points: 3 or 4 short points (each at most 200 characters), in the abstract's \
         order.\n"
    ));
    if let Some(reason) = retry_reason {
        text.push_str(&format!(
            "\nYour previous answer was rejected ({reason}). Answer again with valid JSON, every \
             field in {lang}.\n"
        ));
    }
    text
}

/// The `response_format` asking for structured output.
pub fn response_format() -> Value {
    json!({
        "type": "json_schema",
        "json_schema": {
            "name": SCHEMA_NAME,
            "strict": true,
            "schema": {
                "type": "object",
                "properties": {
                    "summary": {"type": "string"},
                    "abstract": {"type": "string"},
                    "key_points": {
                        "type": "array",
                        "items": {"type": "string"},
                        "minItems": 3,
                        "maxItems": 5
                    }
                },
                "required": ["summary", "abstract", "key_points"],
                "additionalProperties": false
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper;

    fn content(messages: &[Value], i: usize) -> &str {
        messages[i]["content"].as_str().unwrap()
    }

    #[test]
    fn names_the_language_in_both_messages() {
        let mut p = paper("2601.00001", 3);
        p.ai_keywords = vec!["RLHF".into(), "diffusion".into()];
        let m = messages(&p, Language::KOREAN, None);
        assert_eq!(m[0]["role"], "system");
        assert_eq!(m[1]["role"], "user");
        for i in 0..2 {
            assert!(
                content(&m, i).contains("Korean (한국어)"),
                "{}",
                content(&m, i)
            );
        }
        let user = content(&m, 1);
        assert!(user.contains(&p.title));
        assert!(user.contains(&p.abstract_text));
        assert!(user.contains("Keywords: RLHF, diffusion"));
        assert!(user.contains("translated into Korean"));
        assert!(!user.contains("rejected"));
    }

    #[test]
    fn english_is_named_once_and_not_translated() {
        let m = messages(&paper("x", 0), Language::ENGLISH, None);
        assert!(content(&m, 0).contains("readers of English."));
        assert!(!content(&m, 1).contains("translated"));
    }

    #[test]
    fn a_retry_says_why() {
        let m = messages(
            &paper("x", 0),
            Language::KOREAN,
            Some("expected Korean text"),
        );
        assert!(content(&m, 1).contains("rejected (expected Korean text)"));
    }

    #[test]
    fn schema_is_strict_and_bounded() {
        let f = response_format();
        assert_eq!(f["json_schema"]["name"], SCHEMA_NAME);
        assert_eq!(f["json_schema"]["strict"], true);
        let points = &f["json_schema"]["schema"]["properties"]["key_points"];
        assert_eq!(points["minItems"], 3);
        assert_eq!(points["maxItems"], 5);
    }
}
