//! What the bot says, per language: the replies to commands in English and Korean (other
//! languages read English until someone translates them).
//!
//! Templates name their blanks (`{time}`), filled by [`fill`], so a translation may order
//! them as its grammar needs.

use crate::domain::Language;

/// Every reply text of the command handlers.
#[derive(Debug)]
pub struct Replies {
    pub refused: &'static str,
    pub not_subscribed: &'static str,
    pub cooldown: &'static str,
    pub subscribed: &'static str,
    pub updated: &'static str,
    pub unsubscribed: &'static str,
    pub not_subscribed_short: &'static str,
    pub time_set: &'static str,
    pub top_set: &'static str,
    pub lang_content: &'static str,
    pub lang_labels_only: &'static str,
    pub settings: &'static str,
    pub headings_only: &'static str,
    pub next_digest: &'static str,
    pub inactive: &'static str,
    pub intro: &'static str,
    pub start_manager: &'static str,
    pub start_member: &'static str,
    pub help_title: &'static str,
    pub help_footer: &'static str,
}

const EN: Replies = Replies {
    refused: "Sorry, only administrators can change this chat's digest. Anyone can use /today and /settings.",
    not_subscribed: "This chat is not subscribed. Send /subscribe to get the top papers here every day, or /today for the latest now.",
    cooldown: "/today works once a minute per chat; try again in {seconds} s.",
    subscribed: "Subscribed.",
    updated: "Updated.",
    unsubscribed: "Unsubscribed: no more daily digests here. Your settings are kept; /subscribe brings them back.",
    not_subscribed_short: "This chat is not subscribed.",
    time_set: "Delivery time set.",
    top_set: "Digests here now have the top {n} papers.",
    lang_content: "Summaries, abstracts and key points will be in {language}.",
    lang_labels_only: "No language model is configured, so only the headings will be in {language}.",
    settings: "Top {n} papers at {time} {zone}, in {language}{note}.",
    headings_only: ", headings only",
    next_digest: " Next digest: {when} {zone}. Days without papers (weekends, mostly) send nothing.",
    inactive: " Not subscribed: /subscribe to get it daily.",
    intro: "paperboy brings the day's top Hugging Face Daily Papers: each with its thumbnail, a short summary, the abstract and key points.",
    start_manager: "/subscribe for a digest every day (default {time} {zone}), /today for the latest now, /help for everything.",
    start_member: "/today for the latest papers now; an administrator can /subscribe this chat.",
    help_title: "Commands:",
    help_footer: "Times are local to the time zone you give (an IANA name such as Europe/Berlin or Asia/Seoul).",
};

const KO: Replies = Replies {
    refused: "죄송합니다. 이 채팅의 다이제스트 설정은 관리자만 바꿀 수 있습니다. /today 와 /settings 는 누구나 쓸 수 있습니다.",
    not_subscribed: "이 채팅은 구독 중이 아닙니다. 매일 인기 논문을 받으려면 /subscribe, 지금 바로 보려면 /today 를 보내세요.",
    cooldown: "/today 는 채팅마다 1분에 한 번만 쓸 수 있습니다. {seconds}초 뒤에 다시 시도하세요.",
    subscribed: "구독했습니다.",
    updated: "변경했습니다.",
    unsubscribed: "구독을 해지했습니다. 이제 매일 다이제스트가 오지 않습니다. 설정은 남겨 두었으니 /subscribe 로 다시 켤 수 있습니다.",
    not_subscribed_short: "이 채팅은 구독 중이 아닙니다.",
    time_set: "발송 시각을 바꿨습니다.",
    top_set: "이제 이 채팅의 다이제스트에는 상위 {n}개 논문이 실립니다.",
    lang_content: "요약, 초록, 핵심 포인트를 {language}(으)로 보내드립니다.",
    lang_labels_only: "언어 모델이 설정되어 있지 않아 제목만 {language}(으)로 바뀝니다.",
    settings: "매일 {time} ({zone}) 상위 {n}개 논문, 언어: {language}{note}.",
    headings_only: " (제목만)",
    next_digest: " 다음 다이제스트: {when} ({zone}). 논문이 없는 날(주로 주말)에는 보내지 않습니다.",
    inactive: " 구독 중이 아닙니다. 매일 받으려면 /subscribe 를 보내세요.",
    intro: "paperboy 는 Hugging Face Daily Papers 의 그날 인기 논문을 썸네일, 짧은 요약, 초록, 핵심 포인트와 함께 보내드립니다.",
    start_manager: "매일 받으려면 /subscribe (기본 {time} {zone}), 지금 바로 보려면 /today, 전체 명령은 /help 입니다.",
    start_member: "지금 바로 보려면 /today 를 보내세요. 관리자가 /subscribe 로 이 채팅을 구독할 수 있습니다.",
    help_title: "명령어:",
    help_footer: "시각은 입력한 시간대 기준입니다 (Europe/Berlin, Asia/Seoul 같은 IANA 이름).",
};

/// The replies for `language`: English and Korean, English for the rest.
pub fn replies(language: Language) -> &'static Replies {
    if language == Language::KOREAN {
        &KO
    } else {
        &EN
    }
}

/// Fills the `{name}` blanks of `template`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_filled_in_any_order() {
        let s = fill(
            KO.settings,
            &[
                ("n", "5"),
                ("time", "09:00"),
                ("zone", "Asia/Seoul"),
                ("language", "한국어"),
                ("note", ""),
            ],
        );
        assert_eq!(s, "매일 09:00 (Asia/Seoul) 상위 5개 논문, 언어: 한국어.");
    }

    #[test]
    fn every_template_keeps_its_blanks_in_both_languages() {
        let pairs = [
            (EN.cooldown, KO.cooldown),
            (EN.top_set, KO.top_set),
            (EN.lang_content, KO.lang_content),
            (EN.lang_labels_only, KO.lang_labels_only),
            (EN.settings, KO.settings),
            (EN.next_digest, KO.next_digest),
            (EN.start_manager, KO.start_manager),
        ];
        for (en, ko) in pairs {
            let blanks = |s: &str| {
                let mut b: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                    .collect();
                b.sort();
                b
            };
            assert_eq!(blanks(en), blanks(ko), "{en} / {ko}");
        }
    }

    #[test]
    fn other_languages_read_english() {
        assert_eq!(
            replies(Language::parse("fr").unwrap()).subscribed,
            "Subscribed."
        );
        assert_eq!(replies(Language::KOREAN).subscribed, "구독했습니다.");
    }
}
