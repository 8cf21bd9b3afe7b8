//! Matching 100 papers against 100,000 alert rules: the automaton index against the naive
//! rule-by-rule scan, in the same run (issue "keyword alerts", acceptance item 3).
//!
//! The data is synthetic but shaped like the real thing, from a fixed seed: a vocabulary of
//! about 3,000 words (real ML terms plus made-up ones), topic phrases, a pool of authors and
//! organisations; abstracts of 150 to 250 words; rules of one to three terms, some phrases,
//! authors, organisations, `OR`, exclusions and `upvotes>=`.
//!
//! Run with `cargo bench --bench alerts`. Besides criterion's report it prints one summary
//! line with both medians and the speed-up.

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use paperboy::domain::alert::{matches_naive, AlertRule, RuleIndex};
use paperboy::domain::{ChatRef, Paper};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const RULES: usize = 100_000;
const PAPERS: usize = 100;
const VOCABULARY: usize = 3_000;
const SEED: u64 = 0x5EED_A1E2;

const ML_WORDS: &[&str] = &[
    "diffusion",
    "transformer",
    "attention",
    "language",
    "model",
    "vision",
    "video",
    "image",
    "generation",
    "reasoning",
    "agent",
    "reinforcement",
    "learning",
    "policy",
    "reward",
    "alignment",
    "preference",
    "benchmark",
    "dataset",
    "evaluation",
    "retrieval",
    "augmented",
    "multimodal",
    "speech",
    "audio",
    "robot",
    "robotics",
    "manipulation",
    "navigation",
    "world",
    "simulation",
    "physics",
    "graph",
    "neural",
    "network",
    "token",
    "tokenizer",
    "embedding",
    "latent",
    "autoencoder",
    "variational",
    "flow",
    "matching",
    "sampling",
    "distillation",
    "quantization",
    "pruning",
    "sparse",
    "mixture",
    "experts",
    "scaling",
    "law",
    "pretraining",
    "finetuning",
    "instruction",
    "tuning",
    "chain",
    "thought",
    "mathematical",
    "code",
    "program",
    "synthesis",
    "verification",
    "planning",
    "memory",
    "context",
    "long",
    "efficient",
    "inference",
    "decoding",
    "speculative",
    "cache",
    "kernel",
    "gpu",
    "hardware",
    "compression",
    "segmentation",
    "detection",
    "tracking",
    "depth",
    "estimation",
    "reconstruction",
    "3d",
    "gaussian",
    "splatting",
    "nerf",
    "rendering",
    "avatar",
    "motion",
    "pose",
    "human",
    "face",
    "editing",
    "inpainting",
    "super",
    "resolution",
    "denoising",
    "restoration",
    "medical",
    "clinical",
    "protein",
    "molecule",
    "drug",
    "chemistry",
    "biology",
    "genomics",
    "weather",
    "climate",
    "forecasting",
    "time",
    "series",
    "tabular",
    "recommendation",
    "search",
    "ranking",
    "question",
    "answering",
    "summarization",
    "translation",
    "multilingual",
    "low",
    "resource",
    "korean",
    "chinese",
    "hallucination",
    "factuality",
    "safety",
    "jailbreak",
    "red",
    "teaming",
    "privacy",
    "federated",
    "watermark",
    "robustness",
    "adversarial",
    "uncertainty",
    "calibration",
    "interpretability",
    "mechanistic",
    "circuit",
    "probing",
    "steering",
    "representation",
    "contrastive",
    "self",
    "supervised",
    "unsupervised",
    "semi",
    "few",
    "shot",
    "zero",
    "transfer",
    "domain",
    "adaptation",
    "continual",
    "curriculum",
    "synthetic",
    "data",
    "annotation",
    "feedback",
    "critic",
    "verifier",
    "search",
    "tree",
    "monte",
    "carlo",
    "optimization",
    "gradient",
    "optimizer",
    "adam",
    "learning-rate",
    "schedule",
    "stability",
    "training",
    "parallel",
    "distributed",
    "pipeline",
    "serving",
    "latency",
    "throughput",
    "mobile",
    "edge",
    "device",
    "on-device",
    "open",
    "source",
    "weights",
    "license",
    "survey",
    "review",
    "position",
    "theory",
    "bound",
    "convergence",
    "emergent",
    "capability",
    "tool",
    "use",
    "api",
    "web",
    "browser",
    "gui",
    "computer",
    "desktop",
    "operating",
    "system",
    "game",
    "minecraft",
    "chess",
    "music",
    "sound",
    "voice",
    "dialogue",
    "conversation",
    "persona",
    "role",
    "play",
    "story",
    "creative",
    "writing",
    "poetry",
    "humor",
    "emotion",
    "social",
    "bias",
    "fairness",
    "culture",
    "education",
    "tutoring",
    "legal",
    "finance",
    "scientific",
    "discovery",
    "hypothesis",
    "experiment",
    "laboratory",
    "autonomous",
    "driving",
    "lidar",
    "point",
    "cloud",
    "mesh",
    "texture",
    "material",
    "lighting",
    "scene",
    "layout",
    "document",
    "ocr",
    "chart",
    "table",
    "math",
    "geometry",
    "proof",
    "lean",
    "theorem",
    "olympiad",
];

const TOPIC_PHRASES: &[&str] = &[
    "diffusion model",
    "language model",
    "large language model",
    "vision language model",
    "reinforcement learning",
    "world model",
    "video generation",
    "image generation",
    "chain of thought",
    "mixture of experts",
    "retrieval augmented generation",
    "gaussian splatting",
    "flow matching",
    "preference optimization",
    "reward model",
    "speculative decoding",
    "kv cache",
    "instruction tuning",
    "scaling law",
    "test time compute",
    "multimodal reasoning",
    "code generation",
    "tool use",
    "computer use",
    "web agent",
    "text to speech",
    "speech recognition",
    "3d reconstruction",
    "novel view synthesis",
    "human motion",
    "pose estimation",
    "depth estimation",
    "object detection",
    "semantic segmentation",
    "medical imaging",
    "protein design",
    "drug discovery",
    "time series forecasting",
    "weather forecasting",
    "knowledge distillation",
    "model compression",
    "long context",
    "state space model",
    "linear attention",
    "sparse attention",
    "process reward",
    "self improvement",
    "synthetic data",
    "data curation",
    "red teaming",
    "mechanistic interpretability",
    "theorem proving",
];

const FIRST: &[&str] = &[
    "Yann", "Ada", "Wei", "Jun", "Min", "Ji", "Sara", "Ali", "Maria", "Lukas", "Chen", "Yuki",
    "Omar", "Priya", "Ivan", "Zoë", "Hiroshi", "Fatima", "Tom", "Elena", "Kai", "Noah", "Mei",
    "Arjun", "Léa", "Diego", "Hana", "Paul", "Ines", "Ravi", "Sofia", "Jonas", "Amir", "Lin",
];

fn syllable_word(rng: &mut StdRng) -> String {
    const SYLLABLES: &[&str] = &[
        "ba", "ro", "ti", "nex", "gra", "phe", "lo", "qui", "zen", "mor", "tra", "dex", "vor",
        "sil", "pan", "cor", "lin", "mat", "sto", "ven", "ka", "ru", "mi", "sol", "fen", "dar",
        "el", "on", "is", "ap", "ur", "ym",
    ];
    let n = rng.gen_range(2..=3);
    (0..n).map(|_| *SYLLABLES.choose(rng).unwrap()).collect()
}

/// Words every abstract uses whatever its topic; nobody sets an alert on them.
const GENERIC: &[&str] = &[
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "we",
    "is",
    "for",
    "that",
    "on",
    "with",
    "our",
    "this",
    "by",
    "as",
    "are",
    "an",
    "from",
    "which",
    "it",
    "can",
    "be",
    "these",
    "show",
    "method",
    "approach",
    "results",
    "propose",
    "performance",
    "task",
    "tasks",
    "existing",
    "novel",
    "framework",
    "experiments",
    "demonstrate",
    "significantly",
    "outperforms",
    "baselines",
    "state-of-the-art",
    "work",
    "paper",
    "new",
    "using",
    "while",
    "however",
    "also",
    "both",
    "such",
    "across",
    "different",
    "multiple",
    "key",
    "challenge",
    "problems",
    "achieve",
    "improve",
    "effective",
    "simple",
    "available",
    "first",
    "more",
    "than",
    "not",
    "has",
];

/// Popularity by rank, flatter than Zipf: a few topics are hot, most are niche.
fn popularity(n: usize) -> WeightedIndex<f64> {
    // Weights are positive and finite, so the distribution is valid.
    WeightedIndex::new((1..=n).map(|r| (r as f64).powf(-0.6))).unwrap()
}

struct World {
    vocabulary: Vec<String>,
    phrases: Vec<String>,
    word_popularity: WeightedIndex<f64>,
    phrase_popularity: WeightedIndex<f64>,
    authors: Vec<String>,
    orgs: Vec<String>,
}

impl World {
    fn new(rng: &mut StdRng) -> World {
        let mut seen = std::collections::HashSet::new();
        let mut vocabulary: Vec<String> = ML_WORDS
            .iter()
            .filter(|w| seen.insert(w.to_string()))
            .map(|w| w.to_string())
            .collect();
        while vocabulary.len() < VOCABULARY {
            let word = syllable_word(rng);
            if seen.insert(word.clone()) {
                vocabulary.push(word);
            }
        }
        let mut phrases: Vec<String> = TOPIC_PHRASES.iter().map(|p| p.to_string()).collect();
        while phrases.len() < 1_000 {
            let a = vocabulary.choose(rng).unwrap();
            let b = vocabulary.choose(rng).unwrap();
            phrases.push(format!("{a} {b}"));
        }
        let last: Vec<String> = (0..600)
            .map(|_| {
                let mut w = syllable_word(rng);
                w[..1].make_ascii_uppercase();
                w
            })
            .collect();
        let authors = (0..5_000)
            .map(|_| {
                format!(
                    "{} {}",
                    FIRST.choose(rng).unwrap(),
                    last.choose(rng).unwrap()
                )
            })
            .collect();
        let orgs = (0..150)
            .map(|i| match i % 3 {
                0 => format!("{} AI", last.choose(rng).unwrap()),
                1 => format!("{} University", last.choose(rng).unwrap()),
                _ => format!("{} Labs", last.choose(rng).unwrap()),
            })
            .collect();
        World {
            word_popularity: popularity(vocabulary.len()),
            phrase_popularity: popularity(phrases.len()),
            vocabulary,
            phrases,
            authors,
            orgs,
        }
    }

    fn popular_word(&self, rng: &mut StdRng) -> &str {
        &self.vocabulary[self.word_popularity.sample(rng)]
    }

    fn popular_phrase(&self, rng: &mut StdRng) -> &str {
        &self.phrases[self.phrase_popularity.sample(rng)]
    }

    /// What a person alerts on: half the time a popular topic, half the time a niche one.
    fn rule_word(&self, rng: &mut StdRng) -> &str {
        match rng.gen_bool(0.5) {
            true => self.popular_word(rng),
            false => self.vocabulary.choose(rng).unwrap(),
        }
    }

    fn rule_phrase(&self, rng: &mut StdRng) -> String {
        let phrase = match rng.gen_bool(0.5) {
            true => self.popular_phrase(rng),
            false => self.phrases.choose(rng).unwrap(),
        };
        format!("\"{phrase}\"")
    }

    /// A paper on a topic (a dozen words and two phrases), written mostly in generic words.
    fn paper(&self, rng: &mut StdRng, n: usize) -> Paper {
        let topic: Vec<&str> = (0..12).map(|_| self.popular_word(rng)).collect();
        let phrases: Vec<&str> = (0..2).map(|_| self.popular_phrase(rng)).collect();
        let sentence = |rng: &mut StdRng, words: usize| {
            let mut out: Vec<String> = Vec::with_capacity(words);
            while out.len() < words {
                let word = match rng.gen_range(0..100) {
                    0..=61 => GENERIC.choose(rng).unwrap().to_string(),
                    62..=85 => topic.choose(rng).unwrap().to_string(),
                    86..=89 => phrases.choose(rng).unwrap().to_string(),
                    90..=92 => format!("{}s", topic.choose(rng).unwrap()),
                    93..=94 => format!("{}-based", topic.choose(rng).unwrap()),
                    _ => self.vocabulary.choose(rng).unwrap().to_string(),
                };
                out.push(word);
            }
            let mut s = out.join(" ");
            s[..1].make_ascii_uppercase();
            s.push_str(if rng.gen_bool(0.1) { "?" } else { "." });
            s
        };
        let title_words = rng.gen_range(6..12);
        let title = sentence(rng, title_words)
            .trim_end_matches(['.', '?'])
            .to_string();
        let words = rng.gen_range(150..250);
        let mut abstract_text = String::new();
        let mut count = 0;
        while count < words {
            let len = rng.gen_range(12..28);
            abstract_text.push_str(&sentence(rng, len));
            abstract_text.push(' ');
            count += len;
        }
        let mut ai_keywords: Vec<String> = phrases.iter().map(|p| p.to_string()).collect();
        ai_keywords
            .extend((0..rng.gen_range(2..6)).map(|_| topic.choose(rng).unwrap().to_string()));
        let authors = (0..rng.gen_range(2..12))
            .map(|_| self.authors.choose(rng).unwrap().clone())
            .collect();
        let id = format!("2611.{n:05}");
        Paper {
            title,
            abstract_text,
            authors,
            upvotes: (rng.gen_range(0.0f64..1.0).powi(3) * 300.0) as u32,
            thumbnail: Paper::default_thumbnail(&id),
            id,
            published_at: None,
            submitted_on: None,
            ai_summary: None,
            ai_keywords,
            github_repo: None,
            github_stars: None,
            project_page: None,
            organization: rng
                .gen_bool(0.5)
                .then(|| self.orgs.choose(rng).unwrap().clone()),
            num_comments: 0,
        }
    }

    fn rule(&self, rng: &mut StdRng) -> String {
        let mut rule = match rng.gen_range(0..100) {
            0..=29 => self.rule_word(rng).to_string(),
            30..=51 => self.rule_phrase(rng),
            52..=66 => format!("{} {}", self.rule_word(rng), self.rule_word(rng)),
            67..=74 => format!("{} {}", self.rule_phrase(rng), self.rule_word(rng)),
            75..=81 => format!(
                "{} OR {} {}",
                self.rule_word(rng),
                self.rule_word(rng),
                self.rule_word(rng)
            ),
            82..=88 => format!("author:\"{}\"", self.authors.choose(rng).unwrap()),
            89..=92 => format!(
                "org:\"{}\" {}",
                self.orgs.choose(rng).unwrap(),
                self.rule_word(rng)
            ),
            93..=96 => format!(
                "{} upvotes>={}",
                self.rule_word(rng),
                rng.gen_range(1..10) * 10
            ),
            _ => format!(
                "author:{} upvotes>={}",
                self.authors
                    .choose(rng)
                    .unwrap()
                    .split(' ')
                    .next_back()
                    .unwrap(),
                rng.gen_range(1..5) * 5
            ),
        };
        if rng.gen_bool(0.15) {
            rule.push_str(&format!(" -{}", self.rule_word(rng)));
        }
        rule
    }
}

/// Median of the recorded per-iteration times.
fn median(times: &RefCell<Vec<Duration>>) -> Duration {
    let mut times = times.borrow().clone();
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let world = World::new(&mut rng);
    let rules: Vec<(ChatRef, usize, AlertRule)> = (0..RULES)
        .map(|i| {
            let text = world.rule(&mut rng);
            let rule = AlertRule::parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            // About four rules a person.
            (ChatRef::telegram(1_000 + (i / 4) as i64), i % 4 + 1, rule)
        })
        .collect();
    let papers: Vec<Paper> = (0..PAPERS).map(|n| world.paper(&mut rng, n)).collect();

    let started = Instant::now();
    let index = RuleIndex::build(rules.clone());
    let build = started.elapsed();

    // The two paths must agree before their speeds mean anything.
    let fast: Vec<_> = papers.iter().map(|p| index.matches(p)).collect();
    let slow: Vec<_> = papers.iter().map(|p| matches_naive(&rules, p)).collect();
    assert_eq!(fast, slow, "the index and the naive scan disagree");
    let hits: usize = fast.iter().map(Vec::len).sum();
    let words: usize = papers
        .iter()
        .map(|p| p.abstract_text.split_whitespace().count())
        .sum();
    eprintln!(
        "{RULES} rules, {PAPERS} papers ({} abstract words on average), index built in {:.0?}, \
         {hits} hits ({:.0} people a paper)",
        words / PAPERS,
        build,
        hits as f64 / PAPERS as f64,
    );

    let mut c = Criterion::default().configure_from_args();
    let index_times = RefCell::new(Vec::new());
    let naive_times = RefCell::new(Vec::new());
    {
        let mut group = c.benchmark_group("alerts/100_papers_x_100k_rules");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        group.bench_function("rule_index", |b| {
            b.iter_custom(|iters| {
                let started = Instant::now();
                for _ in 0..iters {
                    for paper in &papers {
                        black_box(index.matches(black_box(paper)));
                    }
                }
                let elapsed = started.elapsed();
                index_times.borrow_mut().push(elapsed / iters as u32);
                elapsed
            })
        });
        // One naive pass takes over a second; flat sampling runs it the minimum number of
        // times (ten), and the measurement time only says so to criterion.
        group
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(1))
            .measurement_time(Duration::from_secs(16));
        group.bench_function("naive_scan", |b| {
            b.iter_custom(|iters| {
                let started = Instant::now();
                for _ in 0..iters {
                    for paper in &papers {
                        black_box(matches_naive(black_box(&rules), black_box(paper)));
                    }
                }
                let elapsed = started.elapsed();
                naive_times.borrow_mut().push(elapsed / iters as u32);
                elapsed
            })
        });
        group.finish();
    }
    c.final_summary();

    let (fast, slow) = (median(&index_times), median(&naive_times));
    if fast > Duration::ZERO && slow > Duration::ZERO {
        let speedup = slow.as_secs_f64() / fast.as_secs_f64();
        eprintln!(
            "summary: 100 papers x 100,000 rules: rule index {:.1} ms, naive scan {:.0} ms, \
             {speedup:.0}x faster (targets: under 50 ms, at least 20x): {}",
            fast.as_secs_f64() * 1e3,
            slow.as_secs_f64() * 1e3,
            if fast < Duration::from_millis(50) && speedup >= 20.0 {
                "met"
            } else {
                "MISSED"
            }
        );
    }
}
