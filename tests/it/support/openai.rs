//! A loopback stand-in for an OpenAI-compatible chat completions API.
//!
//! An axum server on `127.0.0.1:0` answering `POST /v1/chat/completions` the way the real API
//! does: `{"id", "object": "chat.completion", "choices": [...], "usage": {...}}`. By default it
//! writes a plausible answer in the language the prompt asks for (found from the prompt's
//! `Target language:` line or the language names in the system message), with realistic
//! lengths: the abstract "translated" to about the length a real translation has. `usage`
//! is computed from the real request and answer sizes (about four ASCII characters a token,
//! one token a character for other scripts, plus OpenAI's per-message overhead), so token
//! counts measured against this fake are a fair estimate of a real day's cost.
//!
//! Tests script misbehaviour with [`FakeOpenAi::push`]: each pushed [`Reply`] answers one
//! request, in order; when the script is empty the [`FakeOpenAi::set_default`] reply answers.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

/// How the fake answers one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A structured answer in the requested language.
    Good,
    /// The good answer's JSON inside chatty prose, as servers that ignore schemas write it.
    Prose,
    /// The good answer's JSON in a ```json code fence.
    Fenced,
    /// Answer text that holds no JSON object at all.
    InvalidJson,
    /// A well-formed answer, but in this language (a code such as `en`) whatever was asked.
    Language(&'static str),
    /// An error status with an OpenAI-style error body.
    Status(u16),
    /// 429 with `Retry-After: SECONDS`.
    RateLimited { retry_after: u64 },
    /// Waits this long, then answers [`Reply::Good`] (for client timeouts).
    Hang(Duration),
    /// HTTP 200 with a body that is not JSON.
    BadBody,
    /// HTTP 200 with `"choices": []`.
    NoChoices,
    /// 400 about `response_format` when the request has one (like an older vLLM), else Good.
    RefuseSchema,
}

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub at: Instant,
    pub headers: HeaderMap,
    pub body: Value,
    /// The language code the fake understood the prompt to ask for.
    pub language: Option<&'static str>,
    /// The paper title found in the prompt.
    pub title: Option<String>,
    /// The `usage` sent back, when the reply was a completion.
    pub usage: Option<Value>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The message `role`'s content.
    pub fn message(&self, role: &str) -> String {
        self.body["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["role"] == role)
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
            .to_string()
    }
}

#[derive(Default)]
struct Inner {
    script: Mutex<VecDeque<Reply>>,
    default: Mutex<Option<Reply>>,
    requests: Mutex<Vec<Recorded>>,
}

/// The running fake. Dropping it stops the server.
pub struct FakeOpenAi {
    /// `http://127.0.0.1:PORT/v1`, what `llm.base_url` would be.
    pub base_url: String,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOpenAi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeOpenAi {
    /// A fake on a random loopback port, answering [`Reply::Good`] until told otherwise.
    pub async fn start() -> FakeOpenAi {
        let inner = Arc::new(Inner::default());
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind a loopback port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the fake serves");
        });
        FakeOpenAi {
            base_url: format!("http://{addr}/v1"),
            inner,
            task,
        }
    }

    /// Answers the next requests with `replies`, in order, before the default.
    pub fn push(&self, replies: impl IntoIterator<Item = Reply>) {
        self.inner.script.lock().unwrap().extend(replies);
    }

    /// The reply once the script is used up.
    pub fn set_default(&self, reply: Reply) {
        *self.inner.default.lock().unwrap() = Some(reply);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.requests.lock().unwrap().clone()
    }

    pub fn calls(&self) -> usize {
        self.inner.requests.lock().unwrap().len()
    }

    /// Requests about the paper titled `title` in language `code`.
    pub fn calls_for(&self, title: &str, code: &str) -> usize {
        self.inner
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.title.as_deref() == Some(title) && r.language == Some(code))
            .count()
    }
}

async fn chat(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let at = Instant::now();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let reply = {
        let next = inner.script.lock().unwrap().pop_front();
        next.or_else(|| inner.default.lock().unwrap().clone())
            .unwrap_or(Reply::Good)
    };
    let prompt = Prompt::read(&body);
    // Recorded on arrival, so a request the client gave up on still counts.
    let index = {
        let mut requests = inner.requests.lock().unwrap();
        requests.push(Recorded {
            at,
            headers,
            body: body.clone(),
            language: prompt.language,
            title: prompt.title.clone(),
            usage: None,
        });
        requests.len() - 1
    };
    let response = match reply {
        Reply::Status(status) => error(status, "server_error", "The server had an error"),
        Reply::RateLimited { retry_after } => {
            let mut r = error(429, "rate_limit_exceeded", "Rate limit reached");
            r.headers_mut()
                .insert("retry-after", retry_after.to_string().parse().unwrap());
            r
        }
        Reply::BadBody => (StatusCode::OK, "<html>502 Bad Gateway</html>").into_response(),
        Reply::NoChoices => {
            axum::Json(json!({"id": "chatcmpl-fake", "object": "chat.completion", "choices": []}))
                .into_response()
        }
        Reply::RefuseSchema if body.get("response_format").is_some() => error(
            400,
            "invalid_request_error",
            "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
        ),
        reply => {
            if let Reply::Hang(wait) = reply {
                tokio::time::sleep(wait).await;
            }
            let language = match reply {
                Reply::Language(code) => code,
                _ => prompt.language.unwrap_or("en"),
            };
            let answer = answer(&prompt, language).to_string();
            let content = match reply {
                Reply::Prose => format!(
                    "Sure! Here is the summary you asked for:\n\n{answer}\n\nLet me know if you \
                     need anything else."
                ),
                Reply::Fenced => format!("```json\n{answer}\n```"),
                Reply::InvalidJson => {
                    "Sure! The paper studies {summary: missing quotes, [1, 2,".to_string()
                }
                _ => answer,
            };
            let usage = usage(&body, &content);
            inner.requests.lock().unwrap()[index].usage = Some(usage.clone());
            axum::Json(json!({
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 1_780_000_000u64,
                "model": body["model"],
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop"
                }],
                "usage": usage,
            }))
            .into_response()
        }
    };
    response
}

fn error(status: u16, code: &str, message: &str) -> Response {
    let status = StatusCode::from_u16(status).expect("tests use valid status codes");
    let body = json!({"error": {"message": message, "type": code, "param": null, "code": code}});
    (status, axum::Json(body)).into_response()
}

/// What the fake understood of the request's prompt.
struct Prompt {
    language: Option<&'static str>,
    title: Option<String>,
    abstract_text: String,
    keyword: Option<String>,
}

impl Prompt {
    fn read(body: &Value) -> Prompt {
        let content = |role: &str| {
            body["messages"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|m| m["role"] == role)
                .and_then(|m| m["content"].as_str())
                .unwrap_or_default()
                .to_string()
        };
        let system = content("system");
        let user = content("user");
        let line = |prefix: &str| {
            user.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .map(|s| s.trim().to_string())
        };
        let target = line("Target language:");
        let language = LANGUAGES
            .iter()
            .find(|l| target.as_deref().is_some_and(|t| t.starts_with(l.english)))
            .or_else(|| {
                LANGUAGES
                    .iter()
                    .find(|l| system.contains(&format!("readers of {}", l.english)))
            })
            .map(|l| l.code);
        let abstract_text = user
            .split_once("Abstract:\n")
            .map(|(_, rest)| {
                // Abstracts may hold blank lines; the instructions after them start with "Write in".
                rest.split_once("\n\nWrite in")
                    .map_or(rest, |(a, _)| a)
                    .to_string()
            })
            .unwrap_or_default();
        let keyword = line("Keywords:").and_then(|k| k.split(", ").next().map(str::to_string));
        Prompt {
            language,
            title: line("Title:"),
            abstract_text,
            keyword,
        }
    }
}

/// Canned text per language. A real translation of an English abstract has about `ratio`
/// times its characters.
struct Canned {
    code: &'static str,
    english: &'static str,
    ratio: f64,
    summary: &'static str,
    sentences: &'static [&'static str],
    points: [&'static str; 3],
}

const LANGUAGES: &[Canned] = &[
    Canned {
        code: "en",
        english: "English",
        ratio: 1.0,
        summary: "The paper shows that {kw} improves reliability, and explains when the gains hold.",
        sentences: &["We study this problem and find that the method works well on the benchmarks we use."],
        points: [
            "The authors introduce {kw} for this task.",
            "Experiments on several benchmarks show consistent gains.",
            "The analysis explains which factors matter most.",
        ],
    },
    Canned {
        code: "ko",
        english: "Korean",
        ratio: 0.45,
        summary: "이 논문은 {kw}의 신뢰성을 분석하고, 성능 향상이 어떤 조건에서 유지되는지 보여준다.",
        sentences: &[
            "본 연구는 이 문제를 체계적으로 분석하고 새로운 방법을 제안한다.",
            "여러 벤치마크에서 실험한 결과 제안한 방법이 기존 방법보다 일관되게 우수했다.",
        ],
        points: [
            "저자들은 이 작업을 위해 {kw}를 도입한다",
            "여러 벤치마크에서 일관된 성능 향상을 확인했다",
            "어떤 요인이 가장 중요한지 분석한다",
        ],
    },
    Canned {
        code: "ja",
        english: "Japanese",
        ratio: 0.5,
        summary: "本論文は{kw}の信頼性を分析し、性能向上がどのような条件で維持されるかを示す。",
        sentences: &[
            "本研究はこの問題を体系的に分析し、新しい手法を提案する。",
            "複数のベンチマークでの実験により、提案手法が既存手法より一貫して優れていることを示した。",
        ],
        points: [
            "著者らはこのタスクのために{kw}を導入する",
            "複数のベンチマークで一貫した性能向上を確認した",
            "どの要因が最も重要かを分析している",
        ],
    },
    Canned {
        code: "zh",
        english: "Chinese",
        ratio: 0.3,
        summary: "本文分析了{kw}的可靠性，并说明了性能提升在何种条件下成立。",
        sentences: &[
            "本研究系统地分析了这一问题并提出了一种新方法。",
            "在多个基准上的实验表明，该方法始终优于现有方法。",
        ],
        points: [
            "作者为该任务引入了{kw}",
            "多个基准上的实验显示了一致的提升",
            "分析说明了哪些因素最为重要",
        ],
    },
    Canned {
        code: "es",
        english: "Spanish",
        ratio: 1.15,
        summary: "El artículo muestra que {kw} mejora la fiabilidad y explica cuándo se mantienen las mejoras.",
        sentences: &["Los autores estudian el problema y proponen un método que funciona bien en los benchmarks que usan."],
        points: [
            "Los autores introducen {kw} para esta tarea.",
            "Los experimentos en varios benchmarks muestran mejoras constantes.",
            "El análisis explica qué factores son los más importantes.",
        ],
    },
    Canned {
        code: "fr",
        english: "French",
        ratio: 1.15,
        summary: "L'article montre que {kw} améliore la fiabilité et explique dans quels cas les gains se maintiennent.",
        sentences: &["Les auteurs étudient le problème et proposent une méthode qui fonctionne bien sur les benchmarks utilisés."],
        points: [
            "Les auteurs introduisent {kw} pour cette tâche.",
            "Les expériences sur plusieurs benchmarks montrent des gains constants.",
            "L'analyse explique quels facteurs comptent le plus.",
        ],
    },
    Canned {
        code: "de",
        english: "German",
        ratio: 1.1,
        summary: "Die Arbeit zeigt, dass {kw} die Zuverlässigkeit verbessert, und erklärt, wann die Gewinne bestehen bleiben.",
        sentences: &["Die Autoren untersuchen das Problem und schlagen eine Methode vor, die auf den verwendeten Benchmarks gut funktioniert."],
        points: [
            "Die Autoren führen {kw} für diese Aufgabe ein.",
            "Die Experimente auf mehreren Benchmarks zeigen beständige Gewinne.",
            "Die Analyse erklärt, welche Faktoren am wichtigsten sind.",
        ],
    },
    Canned {
        code: "pt",
        english: "Portuguese",
        ratio: 1.15,
        summary: "O artigo mostra que {kw} melhora a confiabilidade e explica quando os ganhos se mantêm.",
        sentences: &["Os autores estudam o problema e propõem um método que funciona bem nos benchmarks usados."],
        points: [
            "Os autores introduzem {kw} para esta tarefa.",
            "Os experimentos em vários benchmarks mostram ganhos consistentes.",
            "A análise explica quais fatores são os mais importantes.",
        ],
    },
    Canned {
        code: "ru",
        english: "Russian",
        ratio: 1.05,
        summary: "В статье показано, что {kw} повышает надёжность, и объясняется, когда сохраняется выигрыш.",
        sentences: &["Авторы изучают эту задачу и предлагают метод, который хорошо работает на используемых бенчмарках."],
        points: [
            "Авторы вводят {kw} для этой задачи.",
            "Эксперименты на нескольких бенчмарках показывают стабильный выигрыш.",
            "Анализ объясняет, какие факторы важнее всего.",
        ],
    },
    Canned {
        code: "it",
        english: "Italian",
        ratio: 1.15,
        summary: "L'articolo mostra che {kw} migliora l'affidabilità e spiega quando i guadagni si mantengono.",
        sentences: &["Gli autori studiano il problema e propongono un metodo che funziona bene sui benchmark della letteratura."],
        points: [
            "Gli autori introducono {kw} per questo compito.",
            "Gli esperimenti su diversi benchmark mostrano guadagni costanti.",
            "L'analisi spiega quali sono i fattori più importanti.",
        ],
    },
    Canned {
        code: "vi",
        english: "Vietnamese",
        ratio: 1.1,
        summary: "Bài báo cho thấy {kw} cải thiện độ tin cậy và giải thích khi nào các cải tiến được duy trì.",
        sentences: &["Các tác giả nghiên cứu vấn đề này và đề xuất một phương pháp hoạt động tốt trên các benchmark được sử dụng."],
        points: [
            "Các tác giả giới thiệu {kw} cho nhiệm vụ này.",
            "Các thí nghiệm trên nhiều benchmark cho thấy cải tiến ổn định.",
            "Phân tích giải thích những yếu tố nào là quan trọng nhất.",
        ],
    },
    Canned {
        code: "ar",
        english: "Arabic",
        ratio: 0.95,
        summary: "تُظهر الورقة أن {kw} يحسّن الموثوقية وتشرح متى تستمر المكاسب.",
        sentences: &["يدرس المؤلفون هذه المشكلة ويقترحون طريقة تعمل جيدًا على المعايير المستخدمة."],
        points: [
            "يقدّم المؤلفون {kw} لهذه المهمة.",
            "تُظهر التجارب على عدة معايير مكاسب ثابتة.",
            "يشرح التحليل العوامل الأكثر أهمية.",
        ],
    },
    Canned {
        code: "hi",
        english: "Hindi",
        ratio: 1.0,
        summary: "यह शोधपत्र दिखाता है कि {kw} विश्वसनीयता बढ़ाता है और बताता है कि लाभ कब बने रहते हैं।",
        sentences: &["लेखक इस समस्या का अध्ययन करते हैं और एक ऐसी विधि प्रस्तावित करते हैं जो प्रयुक्त बेंचमार्क पर अच्छा काम करती है।"],
        points: [
            "लेखक इस कार्य के लिए {kw} प्रस्तुत करते हैं।",
            "कई बेंचमार्क पर प्रयोग लगातार लाभ दिखाते हैं।",
            "विश्लेषण बताता है कि कौन से कारक सबसे महत्वपूर्ण हैं।",
        ],
    },
];

/// The answer object for `prompt` in `code`.
fn answer(prompt: &Prompt, code: &str) -> Value {
    let canned = LANGUAGES
        .iter()
        .find(|l| l.code == code)
        .unwrap_or(&LANGUAGES[0]);
    let kw = prompt.keyword.as_deref().unwrap_or("the method");
    let fill = |s: &str| s.replace("{kw}", kw);
    let abstract_text = if code == "en" && !prompt.abstract_text.is_empty() {
        prompt.abstract_text.clone()
    } else {
        let target = (prompt.abstract_text.chars().count() as f64 * canned.ratio) as usize;
        let mut text = String::new();
        for sentence in canned.sentences.iter().cycle() {
            if !text.is_empty() && text.chars().count() >= target {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(sentence);
        }
        text
    };
    json!({
        "summary": fill(canned.summary),
        "abstract": abstract_text,
        "key_points": canned.points.iter().map(|p| fill(p)).collect::<Vec<_>>(),
    })
}

/// Tokens the way OpenAI's tokenizers roughly count them: about four ASCII characters a
/// token, about one token per character of other scripts.
pub fn tokens(text: &str) -> u64 {
    let ascii = text.bytes().filter(u8::is_ascii).count() as u64;
    let other = text.chars().filter(|c| !c.is_ascii()).count() as u64;
    ascii.div_ceil(4) + other
}

/// `usage` for a request and its answer: the messages with OpenAI's overhead of 4 tokens a
/// message and 3 for the reply's priming, plus the JSON schema, which the API adds to the
/// prompt.
fn usage(request: &Value, content: &str) -> Value {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let mut prompt: u64 = 3;
    for m in &messages {
        prompt += 4 + tokens(m["content"].as_str().unwrap_or_default());
    }
    if let Some(format) = request.get("response_format") {
        prompt += tokens(&format.to_string());
    }
    let completion = tokens(content);
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    })
}
