//! What the bot says about alerts, per language: the answers to `/alert ...`.
//!
//! Alerts are a person's own, so these speak the person's language: their private
//! subscription's, else the one their app names, else `digest.language`. Templates name their
//! blanks (`{n}`), filled by [`super::replies::fill`]. Commands (`/alert add RULE`) and the rule
//! syntax (`author:"Name"`, `upvotes>=N`, `OR`) are never translated: they are what people type.

use crate::domain::Language;

/// Every text of the `/alert` answers.
#[derive(Debug)]
pub struct AlertTexts {
    /// `/alert` alone. Blanks: `{max_rules}`, `{max_chars}`.
    pub help: &'static str,
    /// A rule that does not parse. Blank: `{error}` (the parser's own words, in English).
    pub cannot_read: &'static str,
    /// Blanks: `{n}`, `{rule}`.
    pub duplicate: &'static str,
    /// Blank: `{count}`.
    pub too_many: &'static str,
    /// Blanks: `{n}`, `{rule}`. Two lines.
    pub added: &'static str,
    /// Appended to `added` for a rule with `upvotes>=`; starts with a space.
    pub added_upvotes: &'static str,
    /// Appended to `added` while alerts are paused; starts with a space.
    pub added_paused: &'static str,
    pub list_empty: &'static str,
    /// Blanks: `{count}`, `{max}`. The numbered rules follow on their own lines.
    pub list_title: &'static str,
    /// After the list while paused.
    pub list_paused: &'static str,
    /// After the list otherwise.
    pub list_footer: &'static str,
    /// `/alert remove N` with no rules at all.
    pub remove_none: &'static str,
    /// Blanks: `{n}`, `{count}`.
    pub remove_missing: &'static str,
    /// Blanks: `{n}`, `{rule}`, `{count}` (rules left).
    pub removed: &'static str,
    pub paused: &'static str,
    pub resumed_empty: &'static str,
    /// Blank: `{count}`.
    pub resumed: &'static str,
    /// `/alert test` found nothing. Blanks: `{rule}`, `{days}`.
    pub test_none: &'static str,
    /// `/alert test` found papers; the list follows on its own lines. Blanks: `{rule}`,
    /// `{count}`, `{days}`.
    pub test_found: &'static str,
    /// After the shown papers when there are more. Blank: `{count}`.
    pub test_more: &'static str,
    /// Some days could not be fetched; starts with two line breaks. Blank: `{count}`.
    pub test_missing: &'static str,
    /// The last line of an `/alert test` answer; starts with two line breaks.
    pub test_not_saved: &'static str,
    /// Telegram only: appended when the bot may not message the person yet; starts with two
    /// line breaks. Blank: `{link}`.
    pub start_needed: &'static str,
    /// Telegram only: `/alert` from an anonymous administrator or a channel.
    pub no_person: &'static str,
    /// Telegram only: the answer to the `/start alerts` deep link.
    pub started: &'static str,
}

const EN: AlertTexts = AlertTexts {
    help: "Alerts: a private message when a new Daily Paper matches one of your rules.\n\n\
           /alert add RULE: add a rule\n\
           /alert list: your rules, numbered\n\
           /alert remove N: remove rule N\n\
           /alert test RULE: what it would have matched in the last 7 days\n\
           /alert pause, /alert resume\n\n\
           Rules: words must all match (title, abstract, keywords, authors, organisation); \
           \"exact phrase\"; a OR b; -word excludes; author:\"Name\"; org:name; upvotes>=N.\n\
           Example: /alert add \"diffusion model\" video -survey\n\
           Up to {max_rules} rules of {max_chars} characters each.",
    cannot_read: "Cannot read that rule: {error}. /alert shows the syntax.",
    duplicate: "You already have this rule: #{n} {rule}",
    too_many: "You have {count} rules, the most one person may keep. /alert remove N makes room.",
    added: "Alert #{n} added: {rule}\nYou will get a private message when a new paper matches.",
    added_upvotes: " An upvotes>= rule fires once the paper reaches that count.",
    added_paused: " Your alerts are paused: /alert resume turns them back on.",
    list_empty: "You have no alert rules. /alert add RULE adds one; /alert shows how.",
    list_title: "Your alert rules ({count} of {max}):",
    list_paused: "Paused: /alert resume turns them back on.",
    list_footer: "/alert remove N removes one.",
    remove_none: "You have no alert rules.",
    remove_missing: "There is no rule #{n}: you have {count}. /alert list shows them.",
    removed: "Removed #{n}: {rule}. {count} left.",
    paused: "Alerts paused: your rules are kept. /alert resume turns them back on.",
    resumed_empty: "Alerts are on, but you have no rules yet: /alert add RULE.",
    resumed: "Alerts resumed: {count} rule(s) active.",
    test_none: "{rule} matches no paper of the last {days} days.",
    test_found: "Papers of the last {days} days that {rule} matches: {count}",
    test_more: "... and {count} more",
    test_missing: "\n\nDays that could not be fetched from Hugging Face right now: {count}.",
    test_not_saved: "\n\nNothing was saved: /alert add RULE keeps it.",
    start_needed: "\n\nI cannot message you privately yet, so alerts cannot reach you: open {link} and press Start.",
    no_person: "Alerts belong to a person: send /alert from your own account, not as the group or a channel.",
    started: "You are set: your alerts will reach you here. /alert list shows your rules, /alert the rest.",
};

const KO: AlertTexts = AlertTexts {
    help: "알림: 새 Daily Papers 논문이 내 규칙 중 하나와 맞으면 개인 메시지로 알려 드립니다.\n\n\
           /alert add RULE: 규칙 추가\n\
           /alert list: 내 규칙 목록 (번호 포함)\n\
           /alert remove N: N번 규칙 삭제\n\
           /alert test RULE: 최근 7일 동안 이 규칙에 맞았을 논문 보기\n\
           /alert pause, /alert resume: 알림 일시 중지, 다시 켜기\n\n\
           규칙: 모든 단어가 들어 있어야 맞습니다 (제목, 초록, 키워드, 저자, 기관). \
           \"exact phrase\" 는 정확한 구문, a OR b 는 둘 중 하나, -word 는 제외, \
           author:\"Name\" 은 저자, org:name 은 기관, upvotes>=N 은 추천 N개 이상.\n\
           예: /alert add \"diffusion model\" video -survey\n\
           규칙은 최대 {max_rules}개, 규칙마다 최대 {max_chars}자입니다.",
    cannot_read: "규칙을 읽을 수 없습니다: {error}. 문법은 /alert 으로 볼 수 있습니다.",
    duplicate: "이미 있는 규칙입니다: #{n} {rule}",
    too_many: "규칙이 이미 {count}개로, 한 사람이 둘 수 있는 최대치입니다. /alert remove N 으로 자리를 비우세요.",
    added: "알림 #{n} 추가: {rule}\n새 논문이 이 규칙에 맞으면 개인 메시지로 알려 드립니다.",
    added_upvotes: " 추천 수 조건(upvotes>=)이 있는 규칙은 논문의 추천 수가 그 값에 이르면 알립니다.",
    added_paused: " 지금은 알림이 일시 중지되어 있습니다. /alert resume 으로 다시 켤 수 있습니다.",
    list_empty: "알림 규칙이 없습니다. /alert add RULE 로 추가하고, 사용법은 /alert 으로 보세요.",
    list_title: "내 알림 규칙 ({count}/{max}):",
    list_paused: "일시 중지됨: /alert resume 으로 다시 켤 수 있습니다.",
    list_footer: "/alert remove N 으로 규칙을 삭제할 수 있습니다.",
    remove_none: "알림 규칙이 없습니다.",
    remove_missing: "#{n} 규칙은 없습니다. 규칙은 {count}개입니다. /alert list 로 확인하세요.",
    removed: "#{n} 삭제: {rule}. 남은 규칙: {count}개.",
    paused: "알림을 일시 중지했습니다. 규칙은 그대로 남아 있습니다. /alert resume 으로 다시 켤 수 있습니다.",
    resumed_empty: "알림이 켜져 있지만 아직 규칙이 없습니다. /alert add RULE 로 추가하세요.",
    resumed: "알림을 다시 켰습니다. 활성 규칙: {count}개.",
    test_none: "최근 {days}일 동안 {rule} 에 맞는 논문이 없습니다.",
    test_found: "최근 {days}일 동안 {rule} 에 맞는 논문: {count}편",
    test_more: "... 외 {count}편",
    test_missing: "\n\n지금 Hugging Face에서 가져오지 못한 날: {count}일.",
    test_not_saved: "\n\n저장된 것은 없습니다. /alert add RULE 로 이 규칙을 추가할 수 있습니다.",
    start_needed: "\n\n아직 개인 메시지를 보낼 수 없어 알림이 전달되지 않습니다. {link} 를 열고 Start 를 누르세요.",
    no_person: "알림은 개인에게 속합니다. 그룹이나 채널 명의가 아니라 본인 계정으로 /alert 을 보내세요.",
    started: "준비되었습니다. 알림이 이곳으로 옵니다. 규칙은 /alert list, 그 밖의 기능은 /alert 으로 보세요.",
};

const JA: AlertTexts = AlertTexts {
    help: "アラート: 新しい Daily Papers の論文があなたのルールのどれかに一致すると、個人メッセージでお知らせします。\n\n\
           /alert add RULE: ルールを追加\n\
           /alert list: 自分のルール一覧（番号つき）\n\
           /alert remove N: N 番のルールを削除\n\
           /alert test RULE: 過去 7 日間ならどの論文に一致したかを表示\n\
           /alert pause, /alert resume: 一時停止、再開\n\n\
           ルール: 語はすべて一致する必要があります（タイトル、アブストラクト、キーワード、著者、所属）。\
           \"exact phrase\" で完全一致のフレーズ、a OR b でどちらか、-word で除外、\
           author:\"Name\" で著者、org:name で所属、upvotes>=N でいいね数 N 以上。\n\
           例: /alert add \"diffusion model\" video -survey\n\
           ルールは最大 {max_rules} 件、1 件あたり {max_chars} 文字までです。",
    cannot_read: "このルールを読み取れません: {error}。構文は /alert で確認できます。",
    duplicate: "このルールはすでにあります: #{n} {rule}",
    too_many: "ルールはすでに {count} 件あり、1 人が持てる上限です。/alert remove N で空きを作ってください。",
    added: "アラート #{n} を追加しました: {rule}\n新しい論文が一致すると、個人メッセージでお知らせします。",
    added_upvotes: " いいね数の条件（upvotes>=）があるルールは、論文のいいね数がその値に達した時点で通知します。",
    added_paused: " 現在アラートは一時停止中です。/alert resume で再開できます。",
    list_empty: "アラートのルールはありません。/alert add RULE で追加でき、使い方は /alert で確認できます。",
    list_title: "あなたのアラートのルール（{count}/{max} 件）:",
    list_paused: "一時停止中: /alert resume で再開できます。",
    list_footer: "/alert remove N でルールを削除できます。",
    remove_none: "アラートのルールはありません。",
    remove_missing: "ルール #{n} はありません（ルールは {count} 件です）。/alert list で確認できます。",
    removed: "#{n} を削除しました: {rule}。残りのルール: {count} 件。",
    paused: "アラートを一時停止しました。ルールはそのまま残ります。/alert resume で再開できます。",
    resumed_empty: "アラートはオンですが、まだルールがありません。/alert add RULE で追加できます。",
    resumed: "アラートを再開しました。有効なルール: {count} 件。",
    test_none: "過去 {days} 日間で {rule} に一致する論文はありません。",
    test_found: "過去 {days} 日間で {rule} に一致した論文: {count} 件",
    test_more: "…ほか {count} 件",
    test_missing: "\n\n現在 Hugging Face から取得できない日: {count} 日分。",
    test_not_saved: "\n\n何も保存されていません。/alert add RULE で保存できます。",
    start_needed: "\n\nまだ個人メッセージを送れないため、アラートが届きません。{link} を開いて Start を押してください。",
    no_person: "アラートは個人のものです。グループやチャンネルとしてではなく、ご自身のアカウントから /alert を送ってください。",
    started: "準備ができました。アラートはここに届きます。ルールの確認は /alert list、その他は /alert でどうぞ。",
};

const ZH: AlertTexts = AlertTexts {
    help: "提醒：当新的 Daily Papers 论文符合你的任一规则时，通过私信通知你。\n\n\
           /alert add RULE：添加规则\n\
           /alert list：列出你的规则（带编号）\n\
           /alert remove N：删除第 N 条规则\n\
           /alert test RULE：查看过去 7 天内会匹配到的论文\n\
           /alert pause 暂停，/alert resume 恢复\n\n\
           规则：所有词都须匹配（标题、摘要、关键词、作者、机构）；\"exact phrase\" 表示精确短语；\
           a OR b 表示二者之一；-word 表示排除；author:\"Name\" 表示作者；org:name 表示机构；\
           upvotes>=N 表示点赞数至少为 N。\n\
           示例：/alert add \"diffusion model\" video -survey\n\
           最多 {max_rules} 条规则，每条不超过 {max_chars} 个字符。",
    cannot_read: "无法识别这条规则：{error}。发送 /alert 查看语法。",
    duplicate: "你已经有这条规则：#{n} {rule}",
    too_many: "你已有 {count} 条规则，达到每人上限。发送 /alert remove N 删除一条即可腾出位置。",
    added: "已添加提醒 #{n}：{rule}\n有新论文符合时，你会收到私信。",
    added_upvotes: " 含 upvotes>= 的规则会在论文的点赞数达到该值时提醒。",
    added_paused: " 你的提醒目前已暂停：发送 /alert resume 即可重新开启。",
    list_empty: "你还没有提醒规则。发送 /alert add RULE 添加一条，发送 /alert 查看用法。",
    list_title: "你的提醒规则（{count}/{max}）：",
    list_paused: "已暂停：发送 /alert resume 即可重新开启。",
    list_footer: "发送 /alert remove N 可删除一条。",
    remove_none: "你还没有提醒规则。",
    remove_missing: "没有规则 #{n}：你共有 {count} 条规则。发送 /alert list 查看。",
    removed: "已删除 #{n}：{rule}。剩余 {count} 条。",
    paused: "提醒已暂停，你的规则都会保留。发送 /alert resume 即可重新开启。",
    resumed_empty: "提醒已开启，但你还没有规则：发送 /alert add RULE 添加。",
    resumed: "提醒已恢复，生效规则：{count} 条。",
    test_none: "过去 {days} 天内没有符合 {rule} 的论文。",
    test_found: "过去 {days} 天内符合 {rule} 的论文：{count} 篇",
    test_more: "……另有 {count} 篇",
    test_missing: "\n\n目前无法从 Hugging Face 获取的天数：{count} 天。",
    test_not_saved: "\n\n未保存任何内容：发送 /alert add RULE 即可保存这条规则。",
    start_needed: "\n\n我还无法给你发私信，所以提醒送不到你：请打开 {link} 并点击 Start。",
    no_person: "提醒属于个人：请用你自己的账号发送 /alert，而不是以群组或频道的身份发送。",
    started:
        "设置完成：你的提醒会发送到这里。发送 /alert list 查看你的规则，发送 /alert 查看其他用法。",
};

const ES: AlertTexts = AlertTexts {
    help: "Alertas: un mensaje privado cuando un nuevo artículo de Daily Papers coincide con una de tus reglas.\n\n\
           /alert add RULE: añade una regla\n\
           /alert list: tus reglas, numeradas\n\
           /alert remove N: elimina la regla N\n\
           /alert test RULE: qué habría encontrado en los últimos 7 días\n\
           /alert pause, /alert resume: pausa o reanuda las alertas\n\n\
           Reglas: todas las palabras deben coincidir (título, resumen, palabras clave, autores, organización); \
           \"exact phrase\" busca la frase exacta; a OR b, una u otra; -word excluye; author:\"Name\", por autor; \
           org:name, por organización; upvotes>=N, con al menos N votos.\n\
           Ejemplo: /alert add \"diffusion model\" video -survey\n\
           Hasta {max_rules} reglas de {max_chars} caracteres cada una.",
    cannot_read: "No se puede leer esa regla: {error}. /alert muestra la sintaxis.",
    duplicate: "Ya tienes esta regla: #{n} {rule}",
    too_many: "Ya tienes el máximo de reglas por persona ({count}). /alert remove N libera espacio.",
    added: "Alerta #{n} añadida: {rule}\nRecibirás un mensaje privado cuando un nuevo artículo coincida.",
    added_upvotes: " Una regla con upvotes>= se activa cuando el artículo alcanza esa cantidad de votos.",
    added_paused: " Tus alertas están en pausa: /alert resume las vuelve a activar.",
    list_empty: "No tienes reglas de alerta. /alert add RULE añade una; /alert explica cómo.",
    list_title: "Tus reglas de alerta ({count} de {max}):",
    list_paused: "En pausa: /alert resume las vuelve a activar.",
    list_footer: "/alert remove N elimina una.",
    remove_none: "No tienes reglas de alerta.",
    remove_missing: "No existe la regla #{n}: tienes {count}. /alert list las muestra.",
    removed: "Regla #{n} eliminada: {rule}. Reglas restantes: {count}.",
    paused: "Alertas en pausa: tus reglas se conservan. /alert resume las vuelve a activar.",
    resumed_empty: "Las alertas están activadas, pero aún no tienes reglas: /alert add RULE.",
    resumed: "Alertas reanudadas. Reglas activas: {count}.",
    test_none: "Ningún artículo de los últimos {days} días coincide con {rule}.",
    test_found: "Artículos de los últimos {days} días que coinciden con {rule}: {count}",
    test_more: "... y {count} más",
    test_missing: "\n\nDías que no se pudieron obtener de Hugging Face en este momento: {count}.",
    test_not_saved: "\n\nNo se ha guardado nada: /alert add RULE la guarda.",
    start_needed: "\n\nTodavía no puedo escribirte en privado, así que las alertas no pueden llegarte: abre {link} y pulsa Start.",
    no_person: "Las alertas son personales: envía /alert desde tu propia cuenta, no en nombre del grupo ni de un canal.",
    started: "Todo listo: tus alertas te llegarán aquí. /alert list muestra tus reglas; /alert, todo lo demás.",
};

/// French puts a no-break space (`\u{a0}`) before `:` and `;`, as in the digest's labels.
const FR: AlertTexts = AlertTexts {
    help: "Alertes\u{a0}: un message privé quand un nouvel article de Daily Papers correspond à l'une de vos règles.\n\n\
           /alert add RULE\u{a0}: ajouter une règle\n\
           /alert list\u{a0}: vos règles, numérotées\n\
           /alert remove N\u{a0}: supprimer la règle N\n\
           /alert test RULE\u{a0}: ce qu'elle aurait trouvé ces 7 derniers jours\n\
           /alert pause, /alert resume\u{a0}: suspendre, réactiver\n\n\
           Règles\u{a0}: tous les mots doivent correspondre (titre, résumé, mots-clés, auteurs, organisation)\u{a0}; \
           \"exact phrase\" pour une expression exacte\u{a0}; a OR b pour l'un ou l'autre\u{a0}; -word pour exclure\u{a0}; \
           author:\"Name\" pour un auteur\u{a0}; org:name pour une organisation\u{a0}; upvotes>=N pour au moins N votes.\n\
           Exemple\u{a0}: /alert add \"diffusion model\" video -survey\n\
           Jusqu'à {max_rules} règles de {max_chars} caractères chacune.",
    cannot_read: "Impossible de lire cette règle\u{a0}: {error}. /alert montre la syntaxe.",
    duplicate: "Vous avez déjà cette règle\u{a0}: #{n} {rule}",
    too_many: "Vous avez atteint le maximum de règles par personne ({count}). /alert remove N libère de la place.",
    added: "Alerte #{n} ajoutée\u{a0}: {rule}\nVous recevrez un message privé quand un nouvel article correspondra.",
    added_upvotes: " Une règle avec upvotes>= se déclenche quand l'article atteint ce nombre de votes.",
    added_paused: " Vos alertes sont suspendues\u{a0}: /alert resume les réactive.",
    list_empty: "Vous n'avez aucune règle d'alerte. /alert add RULE en ajoute une\u{a0}; /alert explique comment.",
    list_title: "Vos règles d'alerte ({count} sur {max})\u{a0}:",
    list_paused: "Suspendues\u{a0}: /alert resume les réactive.",
    list_footer: "/alert remove N en supprime une.",
    remove_none: "Vous n'avez aucune règle d'alerte.",
    remove_missing: "Il n'y a pas de règle #{n}\u{a0}: vous en avez {count}. /alert list les affiche.",
    removed: "Règle #{n} supprimée\u{a0}: {rule}. Règles restantes\u{a0}: {count}.",
    paused: "Alertes suspendues\u{a0}: vos règles sont conservées. /alert resume les réactive.",
    resumed_empty: "Les alertes sont activées, mais vous n'avez encore aucune règle\u{a0}: /alert add RULE.",
    resumed: "Alertes réactivées. Règles actives\u{a0}: {count}.",
    test_none: "Aucun article de ces {days} derniers jours ne correspond à {rule}.",
    test_found: "Articles de ces {days} derniers jours qui correspondent à {rule}\u{a0}: {count}",
    test_more: "... et {count} de plus",
    test_missing: "\n\nJours qui n'ont pas pu être récupérés sur Hugging Face pour le moment\u{a0}: {count}.",
    test_not_saved: "\n\nRien n'a été enregistré\u{a0}: /alert add RULE l'enregistre.",
    start_needed: "\n\nJe ne peux pas encore vous écrire en privé, donc les alertes ne peuvent pas vous parvenir\u{a0}: ouvrez {link} et appuyez sur Start.",
    no_person: "Les alertes sont personnelles\u{a0}: envoyez /alert depuis votre propre compte, pas au nom du groupe ou d'un canal.",
    started: "C'est prêt\u{a0}: vos alertes vous parviendront ici. /alert list affiche vos règles, /alert tout le reste.",
};

const DE: AlertTexts = AlertTexts {
    help: "Alerts: eine Privatnachricht, sobald ein neues Paper aus Daily Papers zu einer deiner Regeln passt.\n\n\
           /alert add RULE: Regel hinzufügen\n\
           /alert list: deine Regeln, nummeriert\n\
           /alert remove N: Regel N löschen\n\
           /alert test RULE: was sie in den letzten 7 Tagen gefunden hätte\n\
           /alert pause, /alert resume: pausieren, fortsetzen\n\n\
           Regeln: Alle Wörter müssen passen (Titel, Kurzfassung, Schlagwörter, Autoren, Organisation); \
           \"exact phrase\" für eine genaue Wortfolge; a OR b für eins von beiden; -word schließt aus; \
           author:\"Name\" für Autoren; org:name für Organisationen; upvotes>=N für mindestens N Upvotes.\n\
           Beispiel: /alert add \"diffusion model\" video -survey\n\
           Bis zu {max_rules} Regeln mit je höchstens {max_chars} Zeichen.",
    cannot_read: "Diese Regel verstehe ich nicht: {error}. /alert zeigt die Syntax.",
    duplicate: "Diese Regel hast du schon: #{n} {rule}",
    too_many: "Du hast schon die Höchstzahl an Regeln pro Person ({count}). Mit /alert remove N schaffst du Platz.",
    added: "Alert #{n} hinzugefügt: {rule}\nDu bekommst eine Privatnachricht, sobald ein neues Paper passt.",
    added_upvotes: " Eine Regel mit upvotes>= meldet sich, sobald das Paper so viele Upvotes hat.",
    added_paused: " Deine Alerts sind pausiert: /alert resume schaltet sie wieder ein.",
    list_empty: "Du hast keine Alert-Regeln. /alert add RULE fügt eine hinzu; /alert zeigt, wie.",
    list_title: "Deine Alert-Regeln ({count} von {max}):",
    list_paused: "Pausiert: /alert resume schaltet sie wieder ein.",
    list_footer: "/alert remove N löscht eine.",
    remove_none: "Du hast keine Alert-Regeln.",
    remove_missing: "Regel #{n} gibt es nicht; Regeln insgesamt: {count}. /alert list zeigt sie.",
    removed: "Regel #{n} gelöscht: {rule}. Verbleibende Regeln: {count}.",
    paused: "Alerts pausiert: Deine Regeln bleiben erhalten. /alert resume schaltet sie wieder ein.",
    resumed_empty: "Alerts sind an, aber du hast noch keine Regeln: /alert add RULE.",
    resumed: "Alerts wieder an. Aktive Regeln: {count}.",
    test_none: "Kein Paper der letzten {days} Tage passt zu {rule}.",
    test_found: "Paper der letzten {days} Tage, die zu {rule} passen: {count}",
    test_more: "... und {count} weitere",
    test_missing: "\n\nTage, die sich gerade nicht von Hugging Face abrufen ließen: {count}.",
    test_not_saved: "\n\nEs wurde nichts gespeichert: /alert add RULE speichert die Regel.",
    start_needed: "\n\nIch kann dir noch keine Privatnachricht schicken, also erreichen dich keine Alerts: Öffne {link} und tippe auf Start.",
    no_person: "Alerts gehören einer Person: Sende /alert von deinem eigenen Konto, nicht als Gruppe oder Kanal.",
    started: "Alles bereit: Deine Alerts kommen hier an. /alert list zeigt deine Regeln, /alert den Rest.",
};

/// Worded for both Brazilian and European Portuguese: no `você`/`tu`, and imperatives
/// (`envie`, `abra`) that both use.
const PT: AlertTexts = AlertTexts {
    help: "Alertas: uma mensagem privada quando um novo artigo do Daily Papers corresponde a uma das suas regras.\n\n\
           /alert add RULE: adiciona uma regra\n\
           /alert list: lista as suas regras, numeradas\n\
           /alert remove N: remove a regra N\n\
           /alert test RULE: mostra o que a regra teria encontrado nos últimos 7 dias\n\
           /alert pause, /alert resume: pausa ou retoma os alertas\n\n\
           Regras: todas as palavras devem corresponder (título, resumo, palavras-chave, autores, organização); \
           \"exact phrase\" para a frase exata; a OR b para uma ou outra; -word exclui; author:\"Name\" para autor; \
           org:name para organização; upvotes>=N para pelo menos N votos.\n\
           Exemplo: /alert add \"diffusion model\" video -survey\n\
           Até {max_rules} regras de até {max_chars} caracteres cada.",
    cannot_read: "Não foi possível ler essa regra: {error}. /alert mostra a sintaxe.",
    duplicate: "Esta regra já existe: #{n} {rule}",
    too_many: "O limite de regras por pessoa foi atingido ({count}). Remova uma com /alert remove N.",
    added: "Alerta #{n} adicionado: {rule}\nUma mensagem privada será enviada quando um novo artigo corresponder.",
    added_upvotes: " Uma regra com upvotes>= só dispara quando o artigo atinge esse número de votos.",
    added_paused: " Os alertas estão em pausa: /alert resume volta a ativá-los.",
    list_empty: "Não há regras de alerta. /alert add RULE adiciona uma; /alert explica como.",
    list_title: "As suas regras de alerta ({count} de {max}):",
    list_paused: "Em pausa: /alert resume volta a ativá-los.",
    list_footer: "/alert remove N remove uma.",
    remove_none: "Não há regras de alerta.",
    remove_missing: "Não existe a regra #{n}; total de regras: {count}. Veja a lista com /alert list.",
    removed: "Regra #{n} removida: {rule}. Regras restantes: {count}.",
    paused: "Alertas em pausa: as regras são mantidas. /alert resume volta a ativá-los.",
    resumed_empty: "Os alertas estão ativos, mas ainda não há regras: /alert add RULE.",
    resumed: "Alertas retomados. Regras ativas: {count}.",
    test_none: "Nenhum artigo dos últimos {days} dias corresponde a {rule}.",
    test_found: "Artigos dos últimos {days} dias que correspondem a {rule}: {count}",
    test_more: "... e mais {count}",
    test_missing: "\n\nDias que não puderam ser obtidos do Hugging Face neste momento: {count}.",
    test_not_saved: "\n\nNada foi guardado: /alert add RULE guarda a regra.",
    start_needed: "\n\nAinda não é possível enviar mensagens privadas para esta conta, por isso os alertas não podem chegar: abra {link} e toque em Start.",
    no_person: "Os alertas pertencem a uma pessoa: envie /alert a partir da sua própria conta, não como grupo ou canal.",
    started: "Tudo pronto: os alertas vão chegar aqui. /alert list mostra as suas regras; /alert, o resto.",
};

const RU: AlertTexts = AlertTexts {
    help: "Оповещения: личное сообщение, когда новая статья из Daily Papers подходит под одно из ваших правил.\n\n\
           /alert add RULE — добавить правило\n\
           /alert list — ваши правила с номерами\n\
           /alert remove N — удалить правило N\n\
           /alert test RULE — что правило нашло бы за последние 7 дней\n\
           /alert pause, /alert resume — приостановить, возобновить\n\n\
           Правила: должны совпасть все слова (в названии, аннотации, ключевых словах, авторах, организации); \
           \"exact phrase\" — точная фраза; a OR b — одно из двух; -word — исключить слово; author:\"Name\" — автор; \
           org:name — организация; upvotes>=N — не меньше N голосов.\n\
           Пример: /alert add \"diffusion model\" video -survey\n\
           Максимум правил: {max_rules}, символов в правиле: {max_chars}.",
    cannot_read: "Не удалось разобрать правило: {error}. Синтаксис покажет /alert.",
    duplicate: "Такое правило уже есть: #{n} {rule}",
    too_many: "У вас уже максимум правил на одного человека ({count}). Освободите место: /alert remove N.",
    added: "Оповещение #{n} добавлено: {rule}\nКогда появится подходящая новая статья, вы получите личное сообщение.",
    added_upvotes: " Правило с upvotes>= сработает, когда статья наберёт столько голосов.",
    added_paused: " Ваши оповещения приостановлены: /alert resume снова включит их.",
    list_empty: "У вас нет правил оповещений. /alert add RULE добавит правило, /alert покажет, как это сделать.",
    list_title: "Ваши правила оповещений ({count} из {max}):",
    list_paused: "Приостановлено: /alert resume снова включит оповещения.",
    list_footer: "/alert remove N удалит правило.",
    remove_none: "У вас нет правил оповещений.",
    remove_missing: "Правила #{n} нет; всего правил: {count}. Список покажет /alert list.",
    removed: "Правило #{n} удалено: {rule}. Осталось правил: {count}.",
    paused: "Оповещения приостановлены, правила сохранены. /alert resume снова включит их.",
    resumed_empty: "Оповещения включены, но правил пока нет: /alert add RULE.",
    resumed: "Оповещения возобновлены. Активных правил: {count}.",
    test_none: "Ни одна статья за последние {days} дней не подходит под {rule}.",
    test_found: "Статьи за последние {days} дней, подходящие под {rule}: {count}",
    test_more: "... и ещё {count}",
    test_missing: "\n\nДней, которые сейчас не удалось загрузить с Hugging Face: {count}.",
    test_not_saved: "\n\nНичего не сохранено: /alert add RULE сохранит правило.",
    start_needed: "\n\nЯ пока не могу писать вам в личные сообщения, поэтому оповещения до вас не дойдут: откройте {link} и нажмите Start.",
    no_person: "Оповещения принадлежат человеку: отправьте /alert со своего аккаунта, а не от имени группы или канала.",
    started: "Готово: оповещения будут приходить сюда. /alert list покажет ваши правила, /alert — всё остальное.",
};

const IT: AlertTexts = AlertTexts {
    help: "Avvisi: un messaggio privato quando un nuovo articolo di Daily Papers corrisponde a una delle tue regole.\n\n\
           /alert add RULE: aggiunge una regola\n\
           /alert list: le tue regole, numerate\n\
           /alert remove N: elimina la regola N\n\
           /alert test RULE: cosa avrebbe trovato negli ultimi 7 giorni\n\
           /alert pause, /alert resume: sospende, riattiva\n\n\
           Regole: devono corrispondere tutte le parole (titolo, abstract, parole chiave, autori, organizzazione); \
           \"exact phrase\" per una frase esatta; a OR b per l'una o l'altra; -word esclude; author:\"Name\" per autore; \
           org:name per organizzazione; upvotes>=N per almeno N voti.\n\
           Esempio: /alert add \"diffusion model\" video -survey\n\
           Fino a {max_rules} regole di {max_chars} caratteri ciascuna.",
    cannot_read: "Impossibile leggere questa regola: {error}. /alert mostra la sintassi.",
    duplicate: "Hai già questa regola: #{n} {rule}",
    too_many: "Hai già il numero massimo di regole per persona ({count}). /alert remove N libera spazio.",
    added: "Avviso #{n} aggiunto: {rule}\nRiceverai un messaggio privato quando un nuovo articolo corrisponde.",
    added_upvotes: " Una regola con upvotes>= scatta quando l'articolo raggiunge quel numero di voti.",
    added_paused: " I tuoi avvisi sono sospesi: /alert resume li riattiva.",
    list_empty: "Non hai regole di avviso. /alert add RULE ne aggiunge una; /alert spiega come.",
    list_title: "Le tue regole di avviso ({count} su {max}):",
    list_paused: "Sospesi: /alert resume li riattiva.",
    list_footer: "/alert remove N ne elimina una.",
    remove_none: "Non hai regole di avviso.",
    remove_missing: "La regola #{n} non esiste (regole totali: {count}). /alert list le mostra.",
    removed: "Regola #{n} eliminata: {rule}. Regole rimaste: {count}.",
    paused: "Avvisi sospesi: le tue regole restano salvate. /alert resume li riattiva.",
    resumed_empty: "Gli avvisi sono attivi, ma non hai ancora regole: /alert add RULE.",
    resumed: "Avvisi riattivati. Regole attive: {count}.",
    test_none: "Nessun articolo degli ultimi {days} giorni corrisponde a {rule}.",
    test_found: "Articoli degli ultimi {days} giorni che corrispondono a {rule}: {count}",
    test_more: "... e {count} in più",
    test_missing: "\n\nGiorni che al momento non è stato possibile scaricare da Hugging Face: {count}.",
    test_not_saved: "\n\nNon è stato salvato nulla: /alert add RULE la salva.",
    start_needed: "\n\nNon posso ancora scriverti in privato, quindi gli avvisi non possono raggiungerti: apri {link} e premi Start.",
    no_person: "Gli avvisi sono personali: invia /alert dal tuo account, non come gruppo o canale.",
    started: "Tutto pronto: i tuoi avvisi arriveranno qui. /alert list mostra le tue regole, /alert tutto il resto.",
};

const VI: AlertTexts = AlertTexts {
    help: "Thông báo: một tin nhắn riêng khi có bài báo mới trên Daily Papers khớp với một trong các quy tắc của bạn.\n\n\
           /alert add RULE: thêm quy tắc\n\
           /alert list: các quy tắc của bạn, có đánh số\n\
           /alert remove N: xóa quy tắc số N\n\
           /alert test RULE: xem quy tắc lẽ ra đã khớp với những bài nào trong 7 ngày qua\n\
           /alert pause, /alert resume: tạm dừng, bật lại\n\n\
           Quy tắc: mọi từ đều phải khớp (tiêu đề, tóm tắt, từ khóa, tác giả, tổ chức); \
           \"exact phrase\" để khớp đúng cụm từ; a OR b để khớp một trong hai; -word để loại trừ; \
           author:\"Name\" theo tác giả; org:name theo tổ chức; upvotes>=N để có ít nhất N lượt bình chọn.\n\
           Ví dụ: /alert add \"diffusion model\" video -survey\n\
           Tối đa {max_rules} quy tắc, mỗi quy tắc tối đa {max_chars} ký tự.",
    cannot_read: "Không đọc được quy tắc này: {error}. Gửi /alert để xem cú pháp.",
    duplicate: "Bạn đã có quy tắc này: #{n} {rule}",
    too_many: "Bạn đã có số quy tắc tối đa cho mỗi người ({count}). Gửi /alert remove N để xóa bớt.",
    added: "Đã thêm thông báo #{n}: {rule}\nBạn sẽ nhận tin nhắn riêng khi có bài báo mới khớp.",
    added_upvotes: " Quy tắc có upvotes>= chỉ kích hoạt khi bài báo đạt đủ số lượt bình chọn đó.",
    added_paused: " Thông báo của bạn đang tạm dừng: gửi /alert resume để bật lại.",
    list_empty: "Bạn chưa có quy tắc thông báo nào. Gửi /alert add RULE để thêm; gửi /alert để xem hướng dẫn.",
    list_title: "Quy tắc thông báo của bạn ({count}/{max}):",
    list_paused: "Đang tạm dừng: gửi /alert resume để bật lại.",
    list_footer: "Gửi /alert remove N để xóa một quy tắc.",
    remove_none: "Bạn chưa có quy tắc thông báo nào.",
    remove_missing: "Không có quy tắc #{n}: bạn có {count} quy tắc. Gửi /alert list để xem.",
    removed: "Đã xóa #{n}: {rule}. Còn lại {count} quy tắc.",
    paused: "Đã tạm dừng thông báo: các quy tắc vẫn được giữ. Gửi /alert resume để bật lại.",
    resumed_empty: "Thông báo đã bật, nhưng bạn chưa có quy tắc nào: /alert add RULE.",
    resumed: "Đã bật lại thông báo. Quy tắc đang hoạt động: {count}.",
    test_none: "Không có bài báo nào trong {days} ngày qua khớp với {rule}.",
    test_found: "Số bài báo trong {days} ngày qua khớp với {rule}: {count}",
    test_more: "... và {count} bài khác",
    test_missing: "\n\nSố ngày hiện chưa tải được từ Hugging Face: {count}.",
    test_not_saved: "\n\nChưa có gì được lưu: gửi /alert add RULE để lưu quy tắc này.",
    start_needed: "\n\nTôi chưa thể nhắn riêng cho bạn nên thông báo không đến được: hãy mở {link} và nhấn Start.",
    no_person: "Thông báo thuộc về từng người: hãy gửi /alert từ tài khoản của chính bạn, không phải với tư cách nhóm hay kênh.",
    started: "Xong: thông báo sẽ được gửi đến bạn ở đây. Gửi /alert list để xem quy tắc, /alert để xem phần còn lại.",
};

// Every Arabic line starts with an Arabic word, so that clients that pick a paragraph's
// direction from its first letter lay it out right to left even when it names a command.
const AR: AlertTexts = AlertTexts {
    help: "التنبيهات: رسالة خاصة عندما تطابق ورقة جديدة من Daily Papers إحدى قواعدك.\n\n\
           إضافة قاعدة: /alert add RULE\n\
           عرض قواعدك مرقّمة: /alert list\n\
           حذف القاعدة N: /alert remove N\n\
           ما كانت القاعدة ستطابقه في آخر 7 أيام: /alert test RULE\n\
           الإيقاف المؤقت: /alert pause، والاستئناف: /alert resume\n\n\
           القواعد: يجب أن تطابق كل الكلمات (العنوان، الملخص، الكلمات المفتاحية، المؤلفون، المؤسسة)؛ \
           \"exact phrase\" لعبارة مطابقة تمامًا؛ a OR b لإحداهما؛ -word للاستبعاد؛ author:\"Name\" للمؤلف؛ \
           org:name للمؤسسة؛ upvotes>=N لعدد أصوات لا يقل عن N.\n\
           مثال: /alert add \"diffusion model\" video -survey\n\
           الحد الأقصى لعدد القواعد: {max_rules}، ولعدد أحرف كل قاعدة: {max_chars}.",
    cannot_read: "تعذّرت قراءة هذه القاعدة: {error}. أرسل /alert لعرض الصيغة.",
    duplicate: "هذه القاعدة موجودة لديك بالفعل: #{n} {rule}",
    too_many: "بلغت الحد الأقصى لعدد القواعد للشخص الواحد ({count}). أرسل /alert remove N لإفساح المجال.",
    added: "تمت إضافة التنبيه #{n}: {rule}\nستصلك رسالة خاصة عندما تطابقه ورقة جديدة.",
    added_upvotes: " تُفعَّل قاعدة upvotes>= عندما تبلغ الورقة ذلك العدد من الأصوات.",
    added_paused: " تنبيهاتك متوقفة مؤقتًا: أرسل /alert resume لإعادة تشغيلها.",
    list_empty: "ليست لديك قواعد تنبيه. أرسل /alert add RULE لإضافة قاعدة، و /alert لمعرفة الطريقة.",
    list_title: "قواعد التنبيه لديك ({count} من {max}):",
    list_paused: "متوقفة مؤقتًا: أرسل /alert resume لإعادة تشغيلها.",
    list_footer: "أرسل /alert remove N لحذف قاعدة.",
    remove_none: "ليست لديك قواعد تنبيه.",
    remove_missing: "لا توجد قاعدة #{n}؛ عدد قواعدك: {count}. أرسل /alert list لعرضها.",
    removed: "تم حذف #{n}: {rule}. القواعد المتبقية: {count}.",
    paused: "تم إيقاف التنبيهات مؤقتًا مع الاحتفاظ بقواعدك. أرسل /alert resume لإعادة تشغيلها.",
    resumed_empty: "التنبيهات مفعّلة، لكن ليست لديك قواعد بعد: أرسل /alert add RULE.",
    resumed: "تم استئناف التنبيهات. القواعد النشطة: {count}.",
    test_none: "القاعدة {rule} لا تطابق أي ورقة من آخر {days} أيام.",
    test_found: "الأوراق التي تطابقها القاعدة {rule} في آخر {days} أيام: {count}",
    test_more: "و{count} أخرى",
    test_missing: "\n\nعدد الأيام التي تعذّر جلبها من Hugging Face حاليًا: {count}.",
    test_not_saved: "\n\nلم يُحفظ شيء: أرسل /alert add RULE لحفظ القاعدة.",
    start_needed: "\n\nلا يمكنني مراسلتك على الخاص بعد، لذا لن تصلك التنبيهات: افتح {link} واضغط على Start.",
    no_person: "التنبيهات شخصية: أرسل /alert من حسابك الخاص، لا باسم المجموعة أو القناة.",
    started: "تم الإعداد: ستصلك تنبيهاتك هنا. أرسل /alert list لعرض قواعدك، و /alert لبقية الأوامر.",
};

const HI: AlertTexts = AlertTexts {
    help: "अलर्ट: जब कोई नया Daily Papers पेपर आपके किसी नियम से मेल खाता है, तो आपको प्राइवेट मैसेज मिलता है।\n\n\
           /alert add RULE: नया नियम जोड़ें\n\
           /alert list: आपके नियम, क्रमांक के साथ\n\
           /alert remove N: नियम N हटाएँ\n\
           /alert test RULE: पिछले 7 दिनों में यह नियम किन पेपर से मेल खाता\n\
           /alert pause, /alert resume: अलर्ट रोकें, फिर चालू करें\n\n\
           नियम: सभी शब्द मेल खाने चाहिए (शीर्षक, सार, कीवर्ड, लेखक, संस्थान); \"exact phrase\" सटीक वाक्यांश के लिए; \
           a OR b दोनों में से किसी एक के लिए; -word शब्द को बाहर करता है; author:\"Name\" लेखक के लिए; \
           org:name संस्थान के लिए; upvotes>=N कम से कम N अपवोट के लिए।\n\
           उदाहरण: /alert add \"diffusion model\" video -survey\n\
           ज़्यादा से ज़्यादा {max_rules} नियम, हर नियम में {max_chars} अक्षर तक।",
    cannot_read: "यह नियम समझ नहीं आया: {error}। सिंटैक्स देखने के लिए /alert भेजें।",
    duplicate: "यह नियम आपके पास पहले से है: #{n} {rule}",
    too_many: "आप एक व्यक्ति के लिए नियमों की अधिकतम सीमा ({count}) तक पहुँच गए हैं। जगह बनाने के लिए /alert remove N भेजें।",
    added: "अलर्ट #{n} जोड़ा गया: {rule}\nकोई नया पेपर मेल खाने पर आपको प्राइवेट मैसेज मिलेगा।",
    added_upvotes: " अपवोट की शर्त (upvotes>=) वाला नियम तभी अलर्ट भेजता है जब पेपर को उतने अपवोट मिल जाएँ।",
    added_paused: " आपके अलर्ट अभी रुके हुए हैं: /alert resume से उन्हें फिर चालू करें।",
    list_empty: "आपका कोई अलर्ट नियम नहीं है। /alert add RULE से नियम जोड़ें; तरीका /alert पर देखें।",
    list_title: "आपके अलर्ट नियम ({count}/{max}):",
    list_paused: "अलर्ट रुके हुए हैं: /alert resume से फिर चालू करें।",
    list_footer: "किसी नियम को हटाने के लिए /alert remove N भेजें।",
    remove_none: "आपका कोई अलर्ट नियम नहीं है।",
    remove_missing: "नियम #{n} नहीं है; आपके कुल नियम: {count}। उन्हें देखने के लिए /alert list भेजें।",
    removed: "#{n} हटाया गया: {rule}। बचे हुए नियम: {count}।",
    paused: "अलर्ट रोक दिए गए: आपके नियम सहेजे हुए हैं। /alert resume से फिर चालू करें।",
    resumed_empty: "अलर्ट चालू हैं, लेकिन अभी आपका कोई नियम नहीं है: /alert add RULE भेजें।",
    resumed: "अलर्ट फिर चालू हो गए। सक्रिय नियम: {count}।",
    test_none: "पिछले {days} दिनों का कोई भी पेपर {rule} से मेल नहीं खाता।",
    test_found: "पिछले {days} दिनों के पेपर जो {rule} से मेल खाते हैं: {count}",
    test_more: "... और {count} पेपर",
    test_missing: "\n\nजिन दिनों का डेटा अभी Hugging Face से नहीं मिल सका: {count}।",
    test_not_saved: "\n\nकुछ भी सहेजा नहीं गया: इसे रखने के लिए /alert add RULE भेजें।",
    start_needed: "\n\nमैं अभी आपको प्राइवेट मैसेज नहीं भेज सकता, इसलिए अलर्ट आप तक नहीं पहुँच सकते: {link} खोलें और Start दबाएँ।",
    no_person: "अलर्ट किसी एक व्यक्ति के होते हैं: /alert अपने खुद के अकाउंट से भेजें, ग्रुप या चैनल की ओर से नहीं।",
    started: "सब तैयार है: आपके अलर्ट यहीं आएँगे। अपने नियम देखने के लिए /alert list, बाकी सब के लिए /alert भेजें।",
};

/// The texts for `language`.
pub fn alert_texts(language: Language) -> &'static AlertTexts {
    table(language.code())
}

/// The table for a language code; English for a code without one.
fn table(code: &str) -> &'static AlertTexts {
    match code {
        "ko" => &KO,
        "ja" => &JA,
        "zh" => &ZH,
        "es" => &ES,
        "fr" => &FR,
        "de" => &DE,
        "pt" => &PT,
        "ru" => &RU,
        "it" => &IT,
        "vi" => &VI,
        "ar" => &AR,
        "hi" => &HI,
        // "en", and any language added to `Language` before it is translated.
        _ => &EN,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every field of `t`, with its name. The pattern has no `..`, so a new field does not
    /// compile until it is listed here, and so checked by every test below.
    fn fields(t: &AlertTexts) -> Vec<(&'static str, &'static str)> {
        let AlertTexts {
            help,
            cannot_read,
            duplicate,
            too_many,
            added,
            added_upvotes,
            added_paused,
            list_empty,
            list_title,
            list_paused,
            list_footer,
            remove_none,
            remove_missing,
            removed,
            paused,
            resumed_empty,
            resumed,
            test_none,
            test_found,
            test_more,
            test_missing,
            test_not_saved,
            start_needed,
            no_person,
            started,
        } = *t;
        vec![
            ("help", help),
            ("cannot_read", cannot_read),
            ("duplicate", duplicate),
            ("too_many", too_many),
            ("added", added),
            ("added_upvotes", added_upvotes),
            ("added_paused", added_paused),
            ("list_empty", list_empty),
            ("list_title", list_title),
            ("list_paused", list_paused),
            ("list_footer", list_footer),
            ("remove_none", remove_none),
            ("remove_missing", remove_missing),
            ("removed", removed),
            ("paused", paused),
            ("resumed_empty", resumed_empty),
            ("resumed", resumed),
            ("test_none", test_none),
            ("test_found", test_found),
            ("test_more", test_more),
            ("test_missing", test_missing),
            ("test_not_saved", test_not_saved),
            ("start_needed", start_needed),
            ("no_person", no_person),
            ("started", started),
        ]
    }

    /// Each language with its table, English included.
    fn tables() -> Vec<(Language, &'static AlertTexts)> {
        Language::all().map(|l| (l, alert_texts(l))).collect()
    }

    /// Fields that may read exactly as in English in a given language, as (code, field),
    /// each with its reason. None: every text has words to translate.
    const SAME_AS_ENGLISH: &[(&str, &str)] = &[];

    /// Rule syntax that people type, so never translated: a text that shows one in English
    /// shows it verbatim in every language (and one that does not, does not).
    const SYNTAX: &[&str] = &[
        "\"exact phrase\"",
        "a OR b",
        "-word",
        "author:\"Name\"",
        "org:name",
        "upvotes>=N",
        "upvotes>=",
        "/alert add \"diffusion model\" video -survey",
    ];

    /// The `/alert` subcommands, with the placeholder a command form shows for their argument.
    const SUBCOMMANDS: &[(&str, Option<&str>)] = &[
        ("add", Some("RULE")),
        ("test", Some("RULE")),
        ("remove", Some("N")),
        ("list", None),
        ("pause", None),
        ("resume", None),
    ];

    /// The `{name}` blanks of a template; an unclosed `{` yields none, so it shows as a loss.
    fn blanks(s: &str) -> BTreeSet<&str> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name))
            .collect()
    }

    /// The ASCII word (letters, digits, `_`) at the start of `s`.
    fn word(s: &str) -> &str {
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        &s[..end]
    }

    /// The word after exactly one space at the start of `s`.
    fn next_word(s: &str) -> Option<&str> {
        s.strip_prefix(' ').map(word).filter(|w| !w.is_empty())
    }

    /// The command forms a text mentions: a `/` not preceded by an ASCII letter or digit (so
    /// not the one in `{count}/{max}`), then its name; for `/alert`, also the subcommand after
    /// one space, and after another space its placeholder (`RULE`, `N`) when one follows. So
    /// `/alert remove N` and `/alert remove 2` differ, and a translated `RULE` shows.
    fn commands(s: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut prev: Option<char> = None;
        for (i, c) in s.char_indices() {
            if c == '/' && !prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
                let rest = &s[i + 1..];
                let name = word(rest);
                if !name.is_empty() {
                    let mut form = format!("/{name}");
                    let rest = &rest[name.len()..];
                    let sub =
                        next_word(rest).and_then(|w| SUBCOMMANDS.iter().find(|(sub, _)| *sub == w));
                    if let (true, Some((sub, arg))) = (name == "alert", sub) {
                        form = format!("{form} {sub}");
                        let rest = &rest[1 + sub.len()..];
                        if let Some(arg) = arg.filter(|a| next_word(rest) == Some(a)) {
                            form = format!("{form} {arg}");
                        }
                    }
                    found.insert(form);
                }
            }
            prev = Some(c);
        }
        found
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_helpers_see_what_they_should() {
        assert_eq!(
            blanks("{n} at {max_rules} {rule}, {n}"),
            BTreeSet::from(["n", "max_rules", "rule"])
        );
        // An unclosed blank is lost, so it cannot match English.
        assert_eq!(blanks("{count and {max}"), BTreeSet::from(["max"]));
        assert_eq!(
            commands(
                "/alert add RULE: x, /alert remove 2, 发送/alert list로 ({count}/{max}), a/b, \
                 /alert test REGLA, /alert  pause, /alert\u{a0}resume, /alert add \"x\", /start"
            ),
            set(&[
                "/alert add RULE",
                "/alert remove",
                "/alert list",
                "/alert test",
                "/alert",
                "/alert add",
                "/start",
            ])
        );
        assert_eq!(
            commands(EN.help),
            set(&[
                "/alert add RULE",
                "/alert list",
                "/alert remove N",
                "/alert test RULE",
                "/alert pause",
                "/alert resume",
                // The example.
                "/alert add",
            ])
        );
    }

    #[test]
    fn every_template_keeps_its_blanks_in_every_language() {
        let templates = fields(&EN)
            .into_iter()
            .filter(|(_, en)| !blanks(en).is_empty())
            .count();
        // help, cannot_read, duplicate, too_many, added, list_title, remove_missing, removed,
        // resumed, test_none, test_found, test_more, test_missing, start_needed: the check
        // below is not vacuous.
        assert_eq!(templates, 14);
        for (language, t) in tables() {
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(t)) {
                assert_eq!(
                    blanks(text),
                    blanks(en),
                    "{language} {name}: {text:?} must have the blanks of {en:?}"
                );
            }
        }
    }

    #[test]
    fn every_language_has_its_own_text_for_every_field() {
        for (language, t) in tables() {
            if language == Language::ENGLISH {
                continue;
            }
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(t)) {
                assert!(!text.trim().is_empty(), "{language} {name} is empty");
                if SAME_AS_ENGLISH.contains(&(language.code(), name)) {
                    assert_eq!(text, en, "{language} {name} is listed as English");
                } else {
                    assert_ne!(text, en, "{language} {name} is still English");
                }
            }
        }
    }

    #[test]
    fn every_language_names_the_commands_english_names() {
        let mentioned = fields(&EN)
            .into_iter()
            .filter(|(_, en)| !commands(en).is_empty())
            .count();
        // help, cannot_read, too_many, added_paused, list_empty, list_paused, list_footer,
        // remove_missing, paused, resumed_empty, test_not_saved, no_person, started.
        assert_eq!(mentioned, 13);
        for (language, t) in tables() {
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(t)) {
                assert_eq!(
                    commands(text),
                    commands(en),
                    "{language} {name}: {text:?} must name the commands of {en:?}"
                );
            }
        }
    }

    #[test]
    fn the_rule_syntax_stays_as_people_type_it() {
        assert!(SYNTAX.iter().all(|s| EN.help.contains(s)));
        for (language, t) in tables() {
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(t)) {
                for syntax in SYNTAX {
                    assert_eq!(
                        text.contains(syntax),
                        en.contains(syntax),
                        "{language} {name}: {syntax:?} in {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_field_keeps_its_lines() {
        assert_eq!(EN.help.lines().count(), 11);
        assert_eq!(EN.added.lines().count(), 2);
        for (language, t) in tables() {
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(t)) {
                assert_eq!(
                    text.split('\n').count(),
                    en.split('\n').count(),
                    "{language} {name}: {text:?}"
                );
            }
            // The help's paragraphs break where English's do, and its command list keeps one
            // command per line: each line names the commands of the English line.
            for (i, (line, en)) in t.help.split('\n').zip(EN.help.split('\n')).enumerate() {
                assert_eq!(line.is_empty(), en.is_empty(), "{language} help line {i}");
                assert_eq!(
                    commands(line),
                    commands(en),
                    "{language} help line {i}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn appended_texts_keep_their_leading_separator() {
        for (language, t) in tables() {
            for (name, text) in fields(t) {
                let body = match name {
                    // Appended after a sentence: one space, then the text.
                    "added_upvotes" | "added_paused" => text.strip_prefix(' '),
                    // Appended after the answer, as a paragraph of its own.
                    "test_missing" | "test_not_saved" | "start_needed" => text.strip_prefix("\n\n"),
                    _ => Some(text),
                };
                assert!(
                    body.is_some_and(|b| b.starts_with(|c: char| !c.is_whitespace())),
                    "{language} {name}: {text:?}"
                );
                for line in text.split('\n') {
                    assert_eq!(line, line.trim_end(), "{language} {name}: {text:?}");
                }
                for line in body.unwrap_or_default().split('\n') {
                    assert_eq!(line, line.trim_start(), "{language} {name}: {text:?}");
                }
            }
        }
    }

    #[test]
    fn alert_test_counts_follow_a_colon() {
        // `{count}` follows a colon, so that no language needs a plural for it.
        let label = |text: &str| {
            text.split_once("{count}").is_some_and(|(head, _)| {
                head.trim_end_matches([' ', '\u{a0}'])
                    .ends_with([':', '：'])
            })
        };
        assert!(!label("Papers that {rule} matches {count}"));
        assert!(!label("{count} days could not be fetched."));
        assert!(label("Days that could not be fetched\u{a0}: {count}."));
        for (language, t) in tables() {
            for (name, text) in [
                ("test_found", t.test_found),
                ("test_missing", t.test_missing),
            ] {
                assert!(label(text), "{language} {name}: {text:?}");
            }
        }
    }

    #[test]
    fn the_start_link_can_be_followed() {
        for (language, t) in tables() {
            let text = t.start_needed;
            // A space after the link, so that no client reads the next word as part of it.
            assert!(text.contains("{link} "), "{language}: {text:?}");
            // The button's label, which people look for.
            assert!(text.contains("Start"), "{language}: {text:?}");
        }
    }

    #[test]
    fn texts_are_plain() {
        // Bidi controls would be invisible in the source and confuse some clients.
        let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        for (language, t) in tables() {
            for (name, text) in fields(t) {
                assert!(!text.contains(bidi), "{language} {name} has a bidi control");
                assert!(
                    !text.contains(|c: char| c.is_control() && c != '\n'),
                    "{language} {name} has a control character"
                );
            }
        }
    }

    #[test]
    fn arabic_lines_start_with_an_arabic_word() {
        // A client that picks a paragraph's direction from its first letter then lays every
        // line out right to left, even one that names a command.
        let arabic = |c: char| ('\u{0621}'..='\u{064a}').contains(&c);
        let ar = alert_texts(Language::parse("ar").unwrap());
        for (name, text) in fields(ar) {
            for line in text.split('\n').map(str::trim_start) {
                assert!(
                    line.is_empty() || line.starts_with(arabic),
                    "ar {name}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn each_language_reads_its_own_table() {
        // Constants have no fixed address, so tables are compared by their texts.
        let same = |a: &AlertTexts, b: &AlertTexts| fields(a) == fields(b);
        let fr = alert_texts(Language::parse("fr").unwrap());
        assert!(same(fr, &FR));
        assert!(fr.remove_none.starts_with("Vous n'avez aucune règle"));
        assert!(same(alert_texts(Language::ENGLISH), &EN));
        assert_eq!(
            alert_texts(Language::ENGLISH).remove_none,
            "You have no alert rules."
        );
        // No two languages share a table (a code mapped to the wrong constant, or a table
        // copied from another language), and so only English reads English.
        let all = tables();
        for (i, (a, ta)) in all.iter().enumerate() {
            for (b, tb) in &all[i + 1..] {
                assert!(!same(ta, tb), "{a} and {b} share a table");
                assert_ne!(ta.help, tb.help, "{a} and {b} have the same help");
            }
        }
        // A code without a translation reads English.
        assert!(same(table("xx"), &EN));
    }
}
