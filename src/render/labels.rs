//! The fixed words a digest shows around the papers, per language.
//!
//! Every supported [`Language`] has its own [`Labels`]; none reads English by falling back.
//! The product names stay as they are (`Daily Papers`, `arXiv`, `PDF`), and the headings keep
//! their emoji in every language. Every renderer takes its headings from here so that a Korean
//! digest says `📌 요약` in Markdown, Telegram and Discord alike, and so that the abstract's
//! heading can only claim a translation when a model really wrote one (see
//! [`abstract_heading`]).

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

static JAPANESE: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "上位 {n} 件",
    summary: "📌 要約",
    abstract_original: "📝 アブストラクト",
    abstract_translated: "📝 アブストラクト (翻訳)",
    key_points: "🔑 要点",
    upvotes: "いいね数",
    authors: "著者",
    organization: "所属",
    links: "リンク",
    paper_page: "論文ページ",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "コード",
    project_page: "プロジェクトページ",
    et_al: "ほか",
    fallback_note: "(モデルを利用できないため抽出型要約)",
    no_papers: "{date} の論文はありません (週末?)",
    by_extractive: "抽出型要約",
    by_model: "{model} による要約",
};

static CHINESE: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "前 {n} 篇",
    summary: "📌 总结",
    abstract_original: "📝 摘要",
    abstract_translated: "📝 摘要 (译文)",
    key_points: "🔑 核心要点",
    upvotes: "点赞数",
    authors: "作者",
    organization: "机构",
    links: "链接",
    paper_page: "论文页面",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "代码",
    project_page: "项目主页",
    et_al: "等",
    fallback_note: "(模型不可用，已改用抽取式摘要)",
    no_papers: "{date} 没有论文 (周末?)",
    by_extractive: "抽取式摘要",
    by_model: "由 {model} 总结",
};

static SPANISH: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Síntesis",
    abstract_original: "📝 Resumen",
    abstract_translated: "📝 Resumen (traducido)",
    key_points: "🔑 Puntos clave",
    upvotes: "Votos",
    authors: "Autores",
    organization: "Organización",
    links: "Enlaces",
    paper_page: "Página del artículo",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Código",
    project_page: "Página del proyecto",
    et_al: "et al.",
    fallback_note: "(modelo no disponible: resumen extractivo)",
    no_papers: "No hay artículos el {date} (¿fin de semana?)",
    by_extractive: "resumen extractivo",
    by_model: "resumen generado por {model}",
};

/// French puts a no-break space (`\u{a0}`) before `:` and `?`.
static FRENCH: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Synthèse",
    abstract_original: "📝 Résumé",
    abstract_translated: "📝 Résumé (traduit)",
    key_points: "🔑 Points clés",
    upvotes: "Votes",
    authors: "Auteurs",
    organization: "Organisation",
    links: "Liens",
    paper_page: "Page de l’article",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Code",
    project_page: "Page du projet",
    et_al: "et al.",
    fallback_note: "(modèle indisponible\u{a0}: résumé extractif)",
    no_papers: "Aucun article le {date} (week-end\u{a0}?)",
    by_extractive: "résumé extractif",
    by_model: "résumé par {model}",
};

static GERMAN: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Zusammenfassung",
    abstract_original: "📝 Kurzfassung",
    abstract_translated: "📝 Kurzfassung (übersetzt)",
    key_points: "🔑 Kernpunkte",
    upvotes: "Upvotes",
    authors: "Autoren",
    organization: "Organisation",
    links: "Links",
    paper_page: "Paper-Seite",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Code",
    project_page: "Projektseite",
    et_al: "et al.",
    fallback_note: "(Modell nicht verfügbar: extraktive Zusammenfassung)",
    no_papers: "Keine Paper am {date} (Wochenende?)",
    by_extractive: "extraktive Zusammenfassung",
    by_model: "Zusammenfassung von {model}",
};

/// Spelled as both Brazilian and European Portuguese accept it.
static PORTUGUESE: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Síntese",
    abstract_original: "📝 Resumo",
    abstract_translated: "📝 Resumo (traduzido)",
    key_points: "🔑 Pontos-chave",
    upvotes: "Votos",
    authors: "Autores",
    organization: "Organização",
    links: "Links",
    paper_page: "Página do artigo",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Código",
    project_page: "Página do projeto",
    et_al: "et al.",
    fallback_note: "(modelo indisponível: resumo extrativo)",
    no_papers: "Nenhum artigo em {date} (fim de semana?)",
    by_extractive: "resumo extrativo",
    by_model: "resumo gerado por {model}",
};

static RUSSIAN: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Топ-{n}",
    summary: "📌 Краткое содержание",
    abstract_original: "📝 Аннотация",
    abstract_translated: "📝 Аннотация (перевод)",
    key_points: "🔑 Ключевые моменты",
    upvotes: "Голоса",
    authors: "Авторы",
    organization: "Организация",
    links: "Ссылки",
    paper_page: "Страница статьи",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Код",
    project_page: "Страница проекта",
    et_al: "и др.",
    fallback_note: "(модель недоступна: экстрактивное резюме)",
    no_papers: "Нет статей за {date} (выходные?)",
    by_extractive: "экстрактивное резюме",
    by_model: "резюме от {model}",
};

static ITALIAN: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Sintesi",
    abstract_original: "📝 Riassunto",
    abstract_translated: "📝 Riassunto (tradotto)",
    key_points: "🔑 Punti chiave",
    upvotes: "Voti",
    authors: "Autori",
    organization: "Organizzazione",
    links: "Link",
    paper_page: "Pagina dell’articolo",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Codice",
    project_page: "Pagina del progetto",
    et_al: "et al.",
    fallback_note: "(modello non disponibile: sintesi estrattiva)",
    no_papers: "Nessun articolo il {date} (fine settimana?)",
    by_extractive: "sintesi estrattiva",
    by_model: "sintesi di {model}",
};

static VIETNAMESE: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "Top {n}",
    summary: "📌 Tóm lược",
    abstract_original: "📝 Tóm tắt",
    abstract_translated: "📝 Tóm tắt (bản dịch)",
    key_points: "🔑 Ý chính",
    upvotes: "Lượt bình chọn",
    authors: "Tác giả",
    organization: "Tổ chức",
    links: "Liên kết",
    paper_page: "Trang bài báo",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "Mã nguồn",
    project_page: "Trang dự án",
    et_al: "và cộng sự",
    fallback_note: "(mô hình không khả dụng: tóm tắt trích xuất)",
    no_papers: "Không có bài báo nào ngày {date} (cuối tuần?)",
    by_extractive: "tóm tắt trích xuất",
    by_model: "tóm tắt bởi {model}",
};

/// Plain Arabic, without bidi control characters: clients lay it out right to left.
static ARABIC: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "أفضل {n}",
    summary: "📌 الخلاصة",
    abstract_original: "📝 الملخص",
    abstract_translated: "📝 الملخص (مترجم)",
    key_points: "🔑 النقاط الرئيسية",
    upvotes: "الأصوات المؤيدة",
    authors: "المؤلفون",
    organization: "المؤسسة",
    links: "روابط",
    paper_page: "صفحة الورقة",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "الشيفرة",
    project_page: "صفحة المشروع",
    et_al: "وآخرون",
    fallback_note: "(النموذج غير متاح: ملخص استخراجي)",
    no_papers: "لا توجد أوراق بتاريخ {date} (عطلة نهاية الأسبوع؟)",
    by_extractive: "ملخص استخراجي",
    by_model: "ملخص بواسطة {model}",
};

static HINDI: Labels = Labels {
    daily_papers: "Daily Papers",
    top: "टॉप {n}",
    summary: "📌 सारांश",
    abstract_original: "📝 सार",
    abstract_translated: "📝 सार (अनुवादित)",
    key_points: "🔑 मुख्य बिंदु",
    upvotes: "अपवोट",
    authors: "लेखक",
    organization: "संस्थान",
    links: "लिंक",
    paper_page: "पेपर पेज",
    arxiv: "arXiv",
    pdf: "PDF",
    code: "कोड",
    project_page: "प्रोजेक्ट पेज",
    et_al: "एवं अन्य",
    fallback_note: "(मॉडल उपलब्ध नहीं: निष्कर्षण-आधारित सारांश)",
    no_papers: "{date} को कोई पेपर नहीं (सप्ताहांत?)",
    by_extractive: "निष्कर्षण-आधारित सारांश",
    by_model: "{model} द्वारा सारांश",
};

/// The labels for `language`.
///
/// A [`Language`] only parses known codes, so the last arm is never taken; it stays so that a
/// code added to the known ones before its labels reads English rather than failing.
pub fn labels(language: Language) -> &'static Labels {
    match language.code() {
        "en" => &ENGLISH,
        "ko" => &KOREAN,
        "ja" => &JAPANESE,
        "zh" => &CHINESE,
        "es" => &SPANISH,
        "fr" => &FRENCH,
        "de" => &GERMAN,
        "pt" => &PORTUGUESE,
        "ru" => &RUSSIAN,
        "it" => &ITALIAN,
        "vi" => &VIETNAMESE,
        "ar" => &ARABIC,
        "hi" => &HINDI,
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
        assert_eq!(abstract_heading(ja, &llm()), "📝 アブストラクト (翻訳)");
        assert_eq!(abstract_heading(ja, &fallback()), "📝 アブストラクト");
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

    /// Every field of `l` by name; the destructuring stops compiling when a field is added.
    fn fields(l: &Labels) -> [(&'static str, &'static str); 20] {
        let Labels {
            daily_papers,
            top,
            summary,
            abstract_original,
            abstract_translated,
            key_points,
            upvotes,
            authors,
            organization,
            links,
            paper_page,
            arxiv,
            pdf,
            code,
            project_page,
            et_al,
            fallback_note,
            no_papers,
            by_extractive,
            by_model,
        } = *l;
        [
            ("daily_papers", daily_papers),
            ("top", top),
            ("summary", summary),
            ("abstract_original", abstract_original),
            ("abstract_translated", abstract_translated),
            ("key_points", key_points),
            ("upvotes", upvotes),
            ("authors", authors),
            ("organization", organization),
            ("links", links),
            ("paper_page", paper_page),
            ("arxiv", arxiv),
            ("pdf", pdf),
            ("code", code),
            ("project_page", project_page),
            ("et_al", et_al),
            ("fallback_note", fallback_note),
            ("no_papers", no_papers),
            ("by_extractive", by_extractive),
            ("by_model", by_model),
        ]
    }

    /// The `{...}` blanks in `s`, in order; an unclosed `{` or a stray `}` counts as one too.
    fn blanks(s: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            let after = &rest[i..];
            match after.strip_prefix('{').and_then(|a| a.split_once('}')) {
                Some((name, tail)) => {
                    found.push(format!("{{{name}}}"));
                    rest = tail;
                }
                None => {
                    found.push(after.to_string());
                    break;
                }
            }
        }
        found
    }

    #[test]
    fn no_language_but_english_reads_english() {
        let en = labels(Language::ENGLISH);
        for language in Language::all().filter(|l| *l != Language::ENGLISH) {
            let l = labels(language);
            for (name, ours, english) in [
                ("summary", l.summary, en.summary),
                ("key_points", l.key_points, en.key_points),
                (
                    "abstract_original",
                    l.abstract_original,
                    en.abstract_original,
                ),
                (
                    "abstract_translated",
                    l.abstract_translated,
                    en.abstract_translated,
                ),
                ("authors", l.authors, en.authors),
                ("no_papers", l.no_papers, en.no_papers),
            ] {
                assert_ne!(ours, english, "{language}: {name} is the English one");
            }
        }
    }

    #[test]
    fn every_language_has_labels_of_its_own() {
        let all: Vec<Language> = Language::all().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(
                    !std::ptr::eq(labels(*a), labels(*b)),
                    "{a} and {b} share their labels"
                );
            }
        }
    }

    #[test]
    fn templates_keep_their_blanks_and_no_other() {
        for language in Language::all() {
            let l = labels(language);
            for (name, value) in fields(l) {
                let expected: &[&str] = match name {
                    "top" => &["{n}"],
                    "no_papers" => &["{date}"],
                    "by_model" => &["{model}"],
                    _ => &[],
                };
                assert_eq!(blanks(value), expected, "{language}: {name} = {value:?}");
            }
            assert!(l.top(7).contains('7'), "{language}: {}", l.top(7));
            assert!(
                l.no_papers("2026-01-24").contains("2026-01-24"),
                "{language}"
            );
            let model = SummaryOrigin::Llm {
                model: "MODEL-42".to_string(),
            };
            assert!(l.origin(&model).contains("MODEL-42"), "{language}");
        }
    }

    #[test]
    fn headings_keep_their_emoji_and_the_translation_says_so() {
        for language in Language::all() {
            let l = labels(language);
            for (prefix, heading) in [
                ("📌 ", l.summary),
                ("📝 ", l.abstract_original),
                ("📝 ", l.abstract_translated),
                ("🔑 ", l.key_points),
            ] {
                let words = heading.strip_prefix(prefix);
                assert!(
                    words.is_some_and(|w| !w.trim().is_empty() && w.trim() == w),
                    "{language}: {heading:?} should be {prefix:?} and words"
                );
            }
            assert_ne!(
                l.abstract_translated, l.abstract_original,
                "{language}: a translated abstract must say so"
            );
            assert!(
                l.abstract_translated.starts_with(l.abstract_original),
                "{language}: {:?} should be {:?} and a mark of translation",
                l.abstract_translated,
                l.abstract_original
            );
        }
    }

    #[test]
    fn fallback_note_is_in_parentheses() {
        for language in Language::all() {
            let l = labels(language);
            let note = l.fallback_note;
            assert!(
                note.starts_with('(') && note.ends_with(')'),
                "{language}: {note:?}"
            );
            let origin = l.origin(&fallback());
            assert!(
                !origin.is_empty()
                    && !origin.starts_with(['(', ' '])
                    && !origin.ends_with([')', ' ']),
                "{language}: {origin:?}"
            );
            assert_eq!(format!("({origin})"), note, "{language}");
        }
    }

    #[test]
    fn product_names_stay_as_they_are() {
        for language in Language::all() {
            let l = labels(language);
            assert_eq!(l.daily_papers, "Daily Papers", "{language}");
            assert_eq!(l.arxiv, "arXiv", "{language}");
            assert_eq!(l.pdf, "PDF", "{language}");
        }
    }

    #[test]
    fn link_labels_are_distinct() {
        // The renderers find the code link by its label, to put the stars after it.
        for language in Language::all() {
            let l = labels(language);
            let links = [l.paper_page, l.arxiv, l.pdf, l.code, l.project_page];
            for (i, a) in links.iter().enumerate() {
                assert!(!links[i + 1..].contains(a), "{language}: {a:?} twice");
            }
        }
    }

    #[test]
    fn labels_are_plain_one_line_text() {
        // Bidi controls would fight the clients' own layout, and these characters are markup
        // in Markdown or Discord (labels go into `[label](url)`, `*note*`, `_note_`).
        let bidi = |c: char| {
            matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        };
        for language in Language::all() {
            for (name, value) in fields(labels(language)) {
                assert!(
                    !value.is_empty() && value.trim() == value,
                    "{language}: {name} = {value:?}"
                );
                assert!(
                    !value.chars().any(|c| c.is_control() || bidi(c)),
                    "{language}: {name} = {value:?}"
                );
                assert!(
                    !value.contains(['[', ']', '*', '_', '`', '<', '>', '|', '~', '\\']),
                    "{language}: {name} = {value:?}"
                );
            }
        }
    }

    #[test]
    fn test_helpers_see_what_they_should() {
        assert_eq!(blanks("Top {n}"), ["{n}"]);
        assert_eq!(blanks("{date} x {n}"), ["{date}", "{n}"]);
        assert_eq!(blanks("Top {n"), ["{n"]);
        assert_eq!(blanks("Top n}"), ["}"]);
        assert!(blanks("Top").is_empty());
    }
}
