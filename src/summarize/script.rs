//! Is this text really in the language we asked for? A model asked for Korean sometimes
//! answers in English, or translates half the fields; this module is the cheap, offline check
//! that catches it before a reader sees it.
//!
//! Languages with their own script (Korean, Japanese, Chinese, Russian, Arabic, Hindi) are
//! recognised by the share of their script among the text's letters. Technical terms stay in
//! Latin letters on purpose ("RLHF", "diffusion"), and one English word is as long as five
//! Hangul syllables, so a run of Latin letters counts as one unit, like one native character.
//! Latin-script languages are told apart by their most frequent short words.

use crate::domain::Language;

/// The least share of the expected script, among letters, for a text to pass.
const SCRIPT_SHARE: f64 = 0.4;

/// Japanese always mixes kana with kanji; Chinese never uses kana. This share of kana among
/// CJK characters separates the two.
const KANA_IN_JAPANESE: f64 = 0.1;

/// A field in another Latin language is caught only when that language shows at least this
/// many of its stop words, so a short field with none is not rejected for it.
const FIELD_STOP_WORDS: usize = 3;

/// The letters of a text, by script. Latin letters are counted as words (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Letters {
    pub hangul: usize,
    pub kana: usize,
    pub han: usize,
    pub cyrillic: usize,
    pub arabic: usize,
    pub devanagari: usize,
    /// Runs of Latin letters (words), not letters.
    pub latin_words: usize,
    /// Letters of any other script (Greek, Thai, ...).
    pub other: usize,
}

/// The scripts this module tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hangul,
    Kana,
    Han,
    Cyrillic,
    Arabic,
    Devanagari,
    Latin,
    Other,
}

fn script(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    let script = match c as u32 {
        0x0041..=0x005A | 0x0061..=0x007A | 0x00C0..=0x024F | 0x1E00..=0x1EFF => Script::Latin,
        0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F => Script::Hangul,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => Script::Kana,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
        0x0400..=0x052F => Script::Cyrillic,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0900..=0x097F | 0xA8E0..=0xA8FF => Script::Devanagari,
        _ => Script::Other,
    };
    Some(script)
}

impl Letters {
    /// Counts the letters of `text`.
    pub fn count(text: &str) -> Letters {
        let mut letters = Letters::default();
        let mut in_latin_word = false;
        for c in text.chars() {
            let s = script(c);
            if s == Some(Script::Latin) {
                if !in_latin_word {
                    letters.latin_words += 1;
                }
                in_latin_word = true;
                continue;
            }
            in_latin_word = false;
            match s {
                Some(Script::Hangul) => letters.hangul += 1,
                Some(Script::Kana) => letters.kana += 1,
                Some(Script::Han) => letters.han += 1,
                Some(Script::Cyrillic) => letters.cyrillic += 1,
                Some(Script::Arabic) => letters.arabic += 1,
                Some(Script::Devanagari) => letters.devanagari += 1,
                Some(Script::Other) => letters.other += 1,
                Some(Script::Latin) | None => {}
            }
        }
        letters
    }

    /// Every unit counted: native letters plus Latin words.
    pub fn total(&self) -> usize {
        self.hangul
            + self.kana
            + self.han
            + self.cyrillic
            + self.arabic
            + self.devanagari
            + self.latin_words
            + self.other
    }

    fn share(&self, n: usize) -> f64 {
        match self.total() {
            0 => 0.0,
            total => n as f64 / total as f64,
        }
    }
}

/// Text that is not in the language asked for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("expected {} text, found {found}", expected.english_name())]
pub struct Mismatch {
    pub expected: Language,
    /// What was found instead, e.g. `12% Hangul` or `more English than Korean stop words`.
    pub found: String,
}

/// Checks that `text` reads as `language`. Empty text passes: emptiness is the schema's
/// business, not this module's.
pub fn check(text: &str, language: Language) -> Result<(), Mismatch> {
    let letters = Letters::count(text);
    if letters.total() == 0 {
        return Ok(());
    }
    let mismatch = |found: String| {
        Err(Mismatch {
            expected: language,
            found,
        })
    };
    let pass_share = |n: usize, name: &str| {
        let share = letters.share(n);
        if share >= SCRIPT_SHARE {
            Ok(())
        } else {
            mismatch(format!("{:.0}% {name}", share * 100.0))
        }
    };
    match language.code() {
        "ko" => pass_share(letters.hangul, "Hangul"),
        "ru" => pass_share(letters.cyrillic, "Cyrillic"),
        "ar" => pass_share(letters.arabic, "Arabic script"),
        "hi" => pass_share(letters.devanagari, "Devanagari"),
        "ja" => {
            pass_share(letters.kana + letters.han, "Kana and Kanji")?;
            let kana = letters.kana as f64 / (letters.kana + letters.han) as f64;
            if kana < KANA_IN_JAPANESE {
                return mismatch(format!("{:.0}% Kana among CJK characters", kana * 100.0));
            }
            Ok(())
        }
        "zh" => {
            pass_share(letters.han, "Han")?;
            let kana = letters.kana as f64 / (letters.kana + letters.han) as f64;
            if kana >= KANA_IN_JAPANESE {
                return mismatch(format!("{:.0}% Kana among CJK characters", kana * 100.0));
            }
            Ok(())
        }
        _ => check_latin(text, language, false),
    }
}

/// A looser [`check`] for one field of a longer answer: a Latin-script field fails only when
/// another language clearly shows in it, so a terse German key point without a single
/// article is not refused; the whole answer still goes through [`check`].
pub fn check_field(text: &str, language: Language) -> Result<(), Mismatch> {
    if stop_words(language).is_some() {
        check_latin(text, language, true)
    } else {
        check(text, language)
    }
}

fn check_latin(text: &str, language: Language, is_field: bool) -> Result<(), Mismatch> {
    let counts = stop_word_counts(text);
    let own = counts
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(0, |(_, n)| *n);
    let rival = counts
        .iter()
        .filter(|(l, _)| *l != language)
        .max_by_key(|(_, n)| *n)
        .copied();
    let Some((rival, rival_count)) = rival else {
        return Ok(());
    };
    let is_beaten = if is_field {
        rival_count >= FIELD_STOP_WORDS && rival_count > own
    } else {
        own <= rival_count
    };
    if is_beaten {
        let found = if rival_count == 0 {
            "no stop words of any Latin-script language".to_string()
        } else {
            format!(
                "{rival_count} {} stop words against {own} {}",
                rival.english_name(),
                language.english_name()
            )
        };
        return Err(Mismatch {
            expected: language,
            found,
        });
    }
    Ok(())
}

/// How many stop words of each Latin-script language `text` holds.
pub fn stop_word_counts(text: &str) -> Vec<(Language, usize)> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    Language::all()
        .filter_map(|l| stop_words(l).map(|list| (l, list)))
        .map(|(l, list)| {
            let n = words.iter().filter(|w| list.contains(&w.as_str())).count();
            (l, n)
        })
        .collect()
}

/// Frequent short words of each Latin-script language, chosen to overlap little: a word
/// common to two languages counts for both and decides nothing.
fn stop_words(language: Language) -> Option<&'static [&'static str]> {
    let list: &[&str] = match language.code() {
        "en" => &[
            "the", "of", "and", "to", "is", "are", "that", "for", "with", "we", "this", "these",
            "by", "from", "which", "our", "their", "its", "be", "an", "on", "was", "were", "than",
            "into", "while", "how",
        ],
        "es" => &[
            "el", "los", "las", "del", "y", "en", "que", "es", "un", "una", "por", "con", "para",
            "se", "su", "sus", "al", "como", "más", "este", "esta", "estos", "sobre", "entre",
            "son", "lo", "también", "mediante",
        ],
        "fr" => &[
            "le", "les", "des", "du", "et", "est", "un", "une", "en", "que", "qui", "pour", "dans",
            "sur", "par", "avec", "au", "aux", "ce", "cette", "ces", "sont", "pas", "plus", "leur",
            "leurs", "nous",
        ],
        "de" => &[
            "der", "die", "das", "und", "ist", "ein", "eine", "einen", "zu", "den", "von", "mit",
            "für", "auf", "dem", "des", "nicht", "sich", "im", "werden", "wird", "sind", "auch",
            "wir", "bei", "zur", "zum", "oder", "durch",
        ],
        "pt" => &[
            "o", "os", "da", "do", "dos", "das", "e", "em", "um", "uma", "que", "para", "com",
            "não", "no", "na", "nos", "ao", "é", "se", "mais", "como", "pelo", "pela", "são",
            "seu", "sua",
        ],
        "it" => &[
            "il", "gli", "di", "del", "della", "dei", "delle", "e", "è", "un", "una", "che", "per",
            "con", "non", "nel", "nella", "sono", "questo", "questa", "tra", "alla", "anche",
            "come", "degli",
        ],
        "vi" => &[
            "các", "và", "của", "là", "được", "trong", "những", "một", "cho", "với", "này", "có",
            "không", "để", "khi", "từ", "theo", "đến", "người", "cũng", "như", "đã", "sẽ", "bằng",
        ],
        _ => return None,
    };
    Some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Language {
        Language::parse(code).unwrap()
    }

    const ENGLISH: &str = "Large language models exhibit limited ability to correct zero-shot \
        errors through prompting, with performance more strongly linked to the familiarity of \
        the model with the task definition than to memorization.";

    #[test]
    fn latin_runs_count_as_words() {
        let l = Letters::count("RLHF 기반 diffusion 모델");
        assert_eq!(l.latin_words, 2);
        assert_eq!(l.hangul, 4);
        assert_eq!(l.total(), 6);
        assert_eq!(Letters::count("12.5% — !").total(), 0);
    }

    #[test]
    fn korean_with_english_terms_passes() {
        let ko = "본 논문은 RLHF와 diffusion 모델을 결합한 새로운 학습 방법을 제안하며, \
                  ImageNet과 COCO에서 SOTA 성능을 달성한다.";
        assert_eq!(check(ko, Language::KOREAN), Ok(()));
    }

    #[test]
    fn english_when_korean_was_asked_fails() {
        let err = check(ENGLISH, Language::KOREAN).unwrap_err();
        assert_eq!(err.expected, Language::KOREAN);
        assert!(err.to_string().contains("0% Hangul"), "{err}");
        // A few Korean words in English prose are not enough.
        let mixed = format!("{ENGLISH} 모델 성능");
        assert!(check(&mixed, Language::KOREAN).is_err());
    }

    #[test]
    fn japanese_and_chinese_are_told_apart() {
        let ja = "大規模言語モデルは、プロンプトによってゼロショットの誤りを修正する能力が限られている。";
        let zh =
            "大型语言模型通过提示纠正零样本错误的能力有限，其性能与任务定义的熟悉程度密切相关。";
        assert_eq!(check(ja, lang("ja")), Ok(()));
        assert_eq!(check(zh, lang("zh")), Ok(()));
        assert!(check(zh, lang("ja")).is_err(), "Chinese is not Japanese");
        assert!(check(ja, lang("zh")).is_err(), "Japanese is not Chinese");
        assert!(check(ja, Language::KOREAN).is_err());
    }

    #[test]
    fn other_scripts() {
        let ru = "Большие языковые модели (LLM) плохо исправляют ошибки zero-shot.";
        let ar = "تُظهر النماذج اللغوية الكبيرة قدرة محدودة على تصحيح الأخطاء.";
        let hi = "बड़े भाषा मॉडल (LLM) त्रुटियों को सुधारने में सीमित क्षमता दिखाते हैं।";
        assert_eq!(check(ru, lang("ru")), Ok(()));
        assert_eq!(check(ar, lang("ar")), Ok(()));
        assert_eq!(check(hi, lang("hi")), Ok(()));
        assert!(check(ru, lang("ar")).is_err());
        assert!(check(hi, lang("ru")).is_err());
        assert!(check(ENGLISH, lang("hi")).is_err());
    }

    #[test]
    fn latin_languages_by_stop_words() {
        let samples = [
            ("en", ENGLISH),
            (
                "es",
                "Los modelos de lenguaje muestran una capacidad limitada para corregir los \
                 errores zero-shot mediante prompts, y su rendimiento depende de la definición.",
            ),
            (
                "fr",
                "Les grands modèles de langage corrigent mal leurs erreurs zero-shot par le \
                 prompting, et leur performance dépend de la définition de la tâche.",
            ),
            (
                "de",
                "Große Sprachmodelle korrigieren ihre Zero-Shot-Fehler durch Prompting kaum, \
                 und die Leistung hängt von der Vertrautheit mit der Aufgabe ab.",
            ),
            (
                "pt",
                "Os grandes modelos de linguagem corrigem pouco os erros zero-shot com \
                 prompts, e o desempenho depende da definição da tarefa.",
            ),
            (
                "it",
                "I grandi modelli linguistici correggono poco gli errori zero-shot con il \
                 prompting, e le prestazioni dipendono dalla definizione del compito.",
            ),
            (
                "vi",
                "Các mô hình ngôn ngữ lớn có khả năng hạn chế trong việc sửa lỗi zero-shot \
                 và hiệu suất của chúng phụ thuộc vào định nghĩa của nhiệm vụ.",
            ),
        ];
        for (code, text) in samples {
            for (other, _) in samples {
                let result = check(text, lang(other));
                assert_eq!(
                    result.is_ok(),
                    code == other,
                    "{code} text as {other}: {result:?}"
                );
            }
            assert!(check(text, Language::KOREAN).is_err(), "{code} as ko");
        }
    }

    #[test]
    fn korean_is_not_a_latin_language() {
        let ko = "대형 언어 모델은 프롬프트로 zero-shot 오류를 거의 수정하지 못한다.";
        let err = check(ko, Language::ENGLISH).unwrap_err();
        assert!(err.found.contains("no stop words"), "{err}");
    }

    #[test]
    fn a_terse_field_passes_but_a_foreign_one_does_not() {
        let de = lang("de");
        assert_eq!(
            check_field("Zero-Shot-Fehler kaum korrigierbar", de),
            Ok(())
        );
        assert!(check("Zero-Shot-Fehler kaum korrigierbar", de).is_err());
        assert!(check_field(ENGLISH, de).is_err());
        // Non-Latin fields are checked in full.
        assert!(check_field(ENGLISH, Language::KOREAN).is_err());
    }

    #[test]
    fn empty_text_passes() {
        assert_eq!(check("", Language::KOREAN), Ok(()));
        assert_eq!(check("42 %", Language::ENGLISH), Ok(()));
    }
}
