//! What the bot says, per language: the replies to commands, in every language paperboy
//! supports ([`Language::all`]).
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

const JA: Replies = Replies {
    refused: "すみません、このチャットのダイジェスト設定を変更できるのは管理者だけです。/today と /settings はどなたでも使えます。",
    not_subscribed: "このチャットは購読していません。毎日人気の論文を受け取るには /subscribe を、今すぐ最新の論文を見るには /today を送ってください。",
    cooldown: "/today はチャットごとに1分に1回まで使えます。{seconds} 秒後にもう一度お試しください。",
    subscribed: "購読しました。",
    updated: "更新しました。",
    unsubscribed: "購読を解除しました。このチャットに毎日のダイジェストは届かなくなります。設定は保存してあるので、/subscribe でいつでも再開できます。",
    not_subscribed_short: "このチャットは購読していません。",
    time_set: "配信時刻を設定しました。",
    top_set: "このチャットのダイジェストは上位 {n} 件の論文になりました。",
    lang_content: "要約、アブストラクト、要点は {language} でお届けします。",
    lang_labels_only: "言語モデルが設定されていないため、{language} になるのは見出しだけです。",
    settings: "毎日 {time}（{zone}）に上位 {n} 件の論文、言語: {language}{note}。",
    headings_only: "、見出しのみ",
    next_digest: " 次回の配信: {when}（{zone}）。論文のない日（主に週末）は配信しません。",
    inactive: " 購読していません。毎日受け取るには /subscribe を送ってください。",
    intro: "paperboy は Hugging Face Daily Papers からその日の人気論文を、サムネイル、短い要約、アブストラクト、要点つきでお届けします。",
    start_manager: "毎日ダイジェストを受け取るには /subscribe（既定は {time} {zone}）、今すぐ最新の論文を見るには /today、すべてのコマンドは /help で確認できます。",
    start_member: "今すぐ最新の論文を見るには /today を送ってください。管理者は /subscribe でこのチャットを購読できます。",
    help_title: "コマンド一覧:",
    help_footer: "時刻は指定したタイムゾーンの現地時刻です（Europe/Berlin や Asia/Seoul のような IANA 名）。",
};

const ZH: Replies = Replies {
    refused: "抱歉，只有管理员可以更改本聊天的日报设置。所有人都可以使用 /today 和 /settings。",
    not_subscribed: "本聊天尚未订阅。发送 /subscribe 每天在这里接收热门论文，或发送 /today 立即查看最新一期。",
    cooldown: "每个聊天每分钟只能使用一次 /today，请在 {seconds} 秒后重试。",
    subscribed: "已订阅。",
    updated: "已更新。",
    unsubscribed: "已取消订阅：这里不会再收到每日日报。你的设置已保留，发送 /subscribe 即可恢复。",
    not_subscribed_short: "本聊天尚未订阅。",
    time_set: "推送时间已设置。",
    top_set: "现在这里的日报将包含前 {n} 篇论文。",
    lang_content: "简短总结、论文摘要和要点将使用 {language}。",
    lang_labels_only: "未配置语言模型，因此只有标题会使用 {language}。",
    settings: "每天 {time}（{zone}）推送前 {n} 篇论文，语言：{language}{note}。",
    headings_only: "，仅标题",
    next_digest: " 下一期：{when}（{zone}）。没有论文的日子（多为周末）不会推送。",
    inactive: " 尚未订阅：发送 /subscribe 即可每天接收。",
    intro: "paperboy 每天为你送上 Hugging Face Daily Papers 的热门论文：每篇都附有缩略图、简短总结、摘要和要点。",
    start_manager: "发送 /subscribe 每天接收日报（默认 {time} {zone}），发送 /today 立即查看最新一期，发送 /help 查看全部命令。",
    start_member: "发送 /today 立即查看最新论文；管理员可以用 /subscribe 为本聊天订阅。",
    help_title: "命令：",
    help_footer: "时间以你指定的时区为准（IANA 时区名，如 Europe/Berlin 或 Asia/Seoul）。",
};

const ES: Replies = Replies {
    refused: "Lo siento, solo los administradores pueden cambiar el boletín de este chat. Cualquiera puede usar /today y /settings.",
    not_subscribed: "Este chat no está suscrito. Envía /subscribe para recibir aquí los artículos más destacados cada día, o /today para ver los últimos ahora.",
    cooldown: "/today funciona una vez por minuto en cada chat; vuelve a intentarlo en {seconds} s.",
    subscribed: "Suscrito.",
    updated: "Actualizado.",
    unsubscribed: "Suscripción cancelada: ya no llegarán boletines diarios aquí. Tu configuración se conserva; /subscribe la recupera.",
    not_subscribed_short: "Este chat no está suscrito.",
    time_set: "Hora de envío configurada.",
    top_set: "Los boletines de este chat traen ahora los {n} artículos más destacados.",
    lang_content: "Los resúmenes breves, los abstracts y los puntos clave estarán en {language}.",
    lang_labels_only: "No hay ningún modelo de lenguaje configurado, así que solo los títulos estarán en {language}.",
    settings: "Los {n} mejores artículos, a las {time} ({zone}), en {language}{note}.",
    headings_only: ", solo títulos",
    next_digest: " Próximo boletín: {when} ({zone}). Los días sin artículos (sobre todo los fines de semana) no se envía nada.",
    inactive: " Sin suscripción: envía /subscribe para recibirlo cada día.",
    intro: "paperboy te trae los artículos más destacados del día de Hugging Face Daily Papers, cada uno con su miniatura, un breve resumen, el abstract y los puntos clave.",
    start_manager: "/subscribe para recibir un boletín cada día (por defecto a las {time} {zone}), /today para ver lo último ahora, /help para todo lo demás.",
    start_member: "/today para ver los últimos artículos ahora; un administrador puede suscribir este chat con /subscribe.",
    help_title: "Comandos:",
    help_footer: "Las horas son las de la zona horaria que indiques (un nombre IANA como Europe/Berlin o Asia/Seoul).",
};

const FR: Replies = Replies {
    refused: "Désolé, seuls les administrateurs peuvent modifier la sélection de ce chat. Tout le monde peut utiliser /today et /settings.",
    not_subscribed: "Ce chat n'est pas abonné. Envoyez /subscribe pour recevoir ici les meilleurs articles chaque jour, ou /today pour voir les derniers dès maintenant.",
    cooldown: "/today fonctionne une fois par minute et par chat ; réessayez dans {seconds} s.",
    subscribed: "Abonnement activé.",
    updated: "Mis à jour.",
    unsubscribed: "Désabonné : plus de sélection quotidienne ici. Vos réglages sont conservés ; /subscribe les rétablit.",
    not_subscribed_short: "Ce chat n'est pas abonné.",
    time_set: "Heure d'envoi enregistrée.",
    top_set: "Les sélections de ce chat comptent désormais les {n} meilleurs articles.",
    lang_content: "La synthèse, le résumé et les points clés seront en {language}.",
    lang_labels_only: "Aucun modèle de langue n'est configuré : seuls les titres seront en {language}.",
    settings: "Les {n} meilleurs articles à {time} ({zone}), en {language}{note}.",
    headings_only: ", titres seulement",
    next_digest: " Prochaine sélection : {when} ({zone}). Les jours sans articles (surtout le week-end), rien n'est envoyé.",
    inactive: " Non abonné : /subscribe pour la recevoir chaque jour.",
    intro: "paperboy vous apporte les meilleurs articles du jour de Hugging Face Daily Papers, chacun avec sa miniature, une courte synthèse, le résumé et les points clés.",
    start_manager: "/subscribe pour une sélection chaque jour (par défaut à {time} {zone}), /today pour les derniers articles maintenant, /help pour tout le reste.",
    start_member: "/today pour voir les derniers articles maintenant ; un administrateur peut abonner ce chat avec /subscribe.",
    help_title: "Commandes :",
    help_footer: "Les heures sont celles du fuseau horaire indiqué (un nom IANA comme Europe/Berlin ou Asia/Seoul).",
};

const DE: Replies = Replies {
    refused: "Tut mir leid, nur Administratoren können den Digest dieses Chats ändern. /today und /settings kann jeder benutzen.",
    not_subscribed: "Dieser Chat ist nicht abonniert. Sende /subscribe, um hier jeden Tag die Top-Paper zu bekommen, oder /today für die neuesten sofort.",
    cooldown: "/today geht einmal pro Minute und Chat; versuch es in {seconds} s noch einmal.",
    subscribed: "Abonniert.",
    updated: "Aktualisiert.",
    unsubscribed: "Abbestellt: Hier kommen keine täglichen Digests mehr. Deine Einstellungen bleiben erhalten; mit /subscribe ist alles wieder da.",
    not_subscribed_short: "Dieser Chat ist nicht abonniert.",
    time_set: "Versandzeit gespeichert.",
    top_set: "Digests in diesem Chat enthalten jetzt die Top {n} Paper.",
    lang_content: "Zusammenfassungen, Abstracts und Kernpunkte kommen ab jetzt auf {language}.",
    lang_labels_only: "Es ist kein Sprachmodell eingerichtet, daher sind nur die Überschriften auf {language}.",
    settings: "Top {n} Paper um {time} ({zone}), auf {language}{note}.",
    headings_only: ", nur Überschriften",
    next_digest: " Nächster Digest: {when} ({zone}). An Tagen ohne Paper (meist am Wochenende) wird nichts verschickt.",
    inactive: " Nicht abonniert: /subscribe, um ihn täglich zu bekommen.",
    intro: "paperboy bringt dir die Top-Paper des Tages von Hugging Face Daily Papers: jedes mit Vorschaubild, kurzer Zusammenfassung, Abstract und Kernpunkten.",
    start_manager: "/subscribe für einen täglichen Digest (Standard: {time} {zone}), /today für die neuesten Paper sofort, /help für alles Weitere.",
    start_member: "/today für die neuesten Paper sofort; ein Administrator kann diesen Chat mit /subscribe abonnieren.",
    help_title: "Befehle:",
    help_footer: "Zeiten gelten in der angegebenen Zeitzone (ein IANA-Name wie Europe/Berlin oder Asia/Seoul).",
};

const PT: Replies = Replies {
    refused: "Desculpe, apenas administradores podem alterar o boletim deste chat. Qualquer pessoa pode usar /today e /settings.",
    not_subscribed: "Este chat não está inscrito. Envie /subscribe para receber aqui os principais artigos todos os dias, ou /today para ver os mais recentes agora.",
    cooldown: "/today funciona uma vez por minuto em cada chat; tente novamente em {seconds} s.",
    subscribed: "Inscrição ativada.",
    updated: "Atualizado.",
    unsubscribed: "Inscrição cancelada: não haverá mais boletins diários aqui. As configurações foram mantidas; /subscribe as traz de volta.",
    not_subscribed_short: "Este chat não está inscrito.",
    time_set: "Hora de envio definida.",
    top_set: "Os boletins deste chat agora trazem os {n} principais artigos.",
    lang_content: "As sínteses, os resumos e os pontos-chave estarão em {language}.",
    lang_labels_only: "Nenhum modelo de linguagem está configurado, por isso apenas os títulos estarão em {language}.",
    settings: "Os {n} principais artigos às {time} ({zone}), em {language}{note}.",
    headings_only: ", apenas títulos",
    next_digest: " Próximo boletim: {when} ({zone}). Nos dias sem artigos (geralmente fins de semana), nada é enviado.",
    inactive: " Não inscrito: envie /subscribe para recebê-lo todos os dias.",
    intro: "paperboy traz os principais artigos do dia do Hugging Face Daily Papers, cada um com miniatura, uma síntese curta, o resumo e os pontos-chave.",
    start_manager: "/subscribe para receber um boletim todos os dias (hora predefinida: {time} {zone}), /today para ver os mais recentes agora, /help para ver todos os comandos.",
    start_member: "/today para ver os artigos mais recentes agora; um administrador pode inscrever este chat com /subscribe.",
    help_title: "Comandos:",
    help_footer: "As horas seguem o fuso horário indicado (um nome IANA como Europe/Berlin ou Asia/Seoul).",
};

const RU: Replies = Replies {
    refused: "Извините, менять дайджест этого чата могут только администраторы. /today и /settings доступны всем.",
    not_subscribed: "Этот чат не подписан. Отправьте /subscribe, чтобы каждый день получать здесь лучшие статьи, или /today, чтобы посмотреть свежие прямо сейчас.",
    cooldown: "/today можно вызывать раз в минуту в каждом чате; попробуйте снова через {seconds} с.",
    subscribed: "Подписка оформлена.",
    updated: "Обновлено.",
    unsubscribed: "Подписка отменена: ежедневные дайджесты сюда больше не придут. Настройки сохранены; /subscribe вернёт их.",
    not_subscribed_short: "Этот чат не подписан.",
    time_set: "Время отправки установлено.",
    top_set: "Статей в дайджесте этого чата теперь: {n}.",
    lang_content: "Язык кратких пересказов, аннотаций и ключевых тезисов: {language}.",
    lang_labels_only: "Языковая модель не настроена, поэтому язык сменится только у заголовков: {language}.",
    settings: "Статей в дайджесте: {n}, время: {time} ({zone}), язык: {language}{note}.",
    headings_only: ", только заголовки",
    next_digest: " Следующий дайджест: {when} ({zone}). В дни без статей (обычно по выходным) ничего не отправляется.",
    inactive: " Подписки нет: отправьте /subscribe, чтобы получать дайджест каждый день.",
    intro: "paperboy присылает лучшие статьи дня из Hugging Face Daily Papers: у каждой — миниатюра, краткий пересказ, аннотация и ключевые тезисы.",
    start_manager: "/subscribe — дайджест каждый день (по умолчанию в {time} {zone}), /today — свежие статьи прямо сейчас, /help — все команды.",
    start_member: "/today — свежие статьи прямо сейчас; администратор может подписать этот чат командой /subscribe.",
    help_title: "Команды:",
    help_footer: "Время указывается в заданном часовом поясе (имя IANA, например Europe/Berlin или Asia/Seoul).",
};

const IT: Replies = Replies {
    refused: "Spiacente, solo gli amministratori possono modificare la rassegna di questa chat. Chiunque può usare /today e /settings.",
    not_subscribed: "Questa chat non è iscritta. Invia /subscribe per ricevere qui ogni giorno i migliori articoli, oppure /today per vedere subito gli ultimi.",
    cooldown: "/today si può usare una volta al minuto per chat; riprova tra {seconds} s.",
    subscribed: "Iscrizione attivata.",
    updated: "Aggiornato.",
    unsubscribed: "Iscrizione annullata: niente più rassegne quotidiane qui. Le impostazioni restano salvate; /subscribe le riattiva.",
    not_subscribed_short: "Questa chat non è iscritta.",
    time_set: "Orario di invio impostato.",
    top_set: "Le rassegne di questa chat ora includono i {n} migliori articoli.",
    lang_content: "Sintesi, abstract e punti chiave saranno in {language}.",
    lang_labels_only: "Nessun modello linguistico è configurato, quindi solo i titoli saranno in {language}.",
    settings: "I {n} migliori articoli alle {time} ({zone}), in {language}{note}.",
    headings_only: ", solo titoli",
    next_digest: " Prossima rassegna: {when} ({zone}). Nei giorni senza articoli (di solito nel fine settimana) non viene inviato nulla.",
    inactive: " Iscrizione non attiva: invia /subscribe per ricevere la rassegna ogni giorno.",
    intro: "paperboy ti porta i migliori articoli del giorno da Hugging Face Daily Papers, ognuno con miniatura, una breve sintesi, l'abstract e i punti chiave.",
    start_manager: "/subscribe per ricevere una rassegna ogni giorno (predefinito: {time} {zone}), /today per gli ultimi articoli subito, /help per tutto il resto.",
    start_member: "/today per gli ultimi articoli subito; un amministratore può iscrivere questa chat con /subscribe.",
    help_title: "Comandi:",
    help_footer: "Gli orari si riferiscono al fuso orario indicato (un nome IANA come Europe/Berlin o Asia/Seoul).",
};

const VI: Replies = Replies {
    refused: "Xin lỗi, chỉ quản trị viên mới có thể thay đổi bản tin của cuộc trò chuyện này. Ai cũng có thể dùng /today và /settings.",
    not_subscribed: "Cuộc trò chuyện này chưa đăng ký. Gửi /subscribe để nhận các bài báo nổi bật ở đây mỗi ngày, hoặc /today để xem những bài mới nhất ngay bây giờ.",
    cooldown: "Mỗi cuộc trò chuyện chỉ dùng được /today một lần mỗi phút; hãy thử lại sau {seconds} giây.",
    subscribed: "Đã đăng ký.",
    updated: "Đã cập nhật.",
    unsubscribed: "Đã hủy đăng ký: bạn sẽ không nhận bản tin hằng ngày ở đây nữa. Cài đặt của bạn vẫn được giữ lại; gửi /subscribe để bật lại.",
    not_subscribed_short: "Cuộc trò chuyện này chưa đăng ký.",
    time_set: "Đã đặt giờ gửi.",
    top_set: "Bản tin ở đây giờ sẽ gồm {n} bài báo nổi bật nhất.",
    lang_content: "Phần tóm lược, tóm tắt bài báo và các ý chính sẽ được viết bằng {language}.",
    lang_labels_only: "Chưa cấu hình mô hình ngôn ngữ, nên chỉ có các tiêu đề được hiển thị bằng {language}.",
    settings: "{n} bài nổi bật nhất lúc {time} ({zone}), ngôn ngữ: {language}{note}.",
    headings_only: ", chỉ tiêu đề",
    next_digest: " Bản tin tiếp theo: {when} ({zone}). Những ngày không có bài báo (thường là cuối tuần) sẽ không gửi gì.",
    inactive: " Chưa đăng ký: gửi /subscribe để nhận bản tin mỗi ngày.",
    intro: "paperboy mang đến những bài báo nổi bật nhất trong ngày từ Hugging Face Daily Papers, mỗi bài kèm ảnh thu nhỏ, một đoạn tóm lược ngắn, phần tóm tắt và các ý chính.",
    start_manager: "/subscribe để nhận bản tin mỗi ngày (mặc định {time} {zone}), /today để xem bài mới nhất ngay, /help để xem tất cả các lệnh.",
    start_member: "/today để xem các bài mới nhất ngay; quản trị viên có thể đăng ký cho cuộc trò chuyện này bằng /subscribe.",
    help_title: "Các lệnh:",
    help_footer: "Giờ được tính theo múi giờ bạn nhập (tên IANA như Europe/Berlin hoặc Asia/Seoul).",
};

// Every Arabic text starts with an Arabic word, so that clients that pick a paragraph's
// direction from its first letter lay it out right to left even when it names a command.
const AR: Replies = Replies {
    refused: "عذرًا، يمكن للمشرفين فقط تغيير إعدادات النشرة في هذه الدردشة. يمكن للجميع استخدام /today و /settings.",
    not_subscribed: "هذه الدردشة غير مشتركة. أرسل /subscribe لتصلك أهم الأوراق البحثية هنا كل يوم، أو /today لعرض أحدثها الآن.",
    cooldown: "يعمل /today مرة واحدة في الدقيقة لكل دردشة؛ حاول مرة أخرى بعد {seconds} ثانية.",
    subscribed: "تم الاشتراك.",
    updated: "تم التحديث.",
    unsubscribed: "تم إلغاء الاشتراك: لن تصل النشرة اليومية إلى هنا بعد الآن. إعداداتك محفوظة؛ أرسل /subscribe لاستعادتها.",
    not_subscribed_short: "هذه الدردشة غير مشتركة.",
    time_set: "تم ضبط وقت الإرسال.",
    top_set: "عدد الأوراق في النشرة هنا الآن: {n}.",
    lang_content: "لغة الملخصات والمستخلصات والنقاط الرئيسية الآن: {language}.",
    lang_labels_only: "لم يُضبط أي نموذج لغوي، لذا ستتغير لغة العناوين فقط إلى: {language}.",
    settings: "عدد الأوراق: {n}، الوقت: {time} ({zone})، اللغة: {language}{note}.",
    headings_only: "، العناوين فقط",
    next_digest: " النشرة التالية: {when} ({zone}). لا يُرسل شيء في الأيام التي لا توجد فيها أوراق (غالبًا في عطلة نهاية الأسبوع).",
    inactive: " غير مشترك: أرسل /subscribe لتصلك النشرة يوميًا.",
    intro: "يقدّم paperboy أهم الأوراق البحثية لليوم من Hugging Face Daily Papers، مع صورة مصغّرة وملخص قصير والمستخلص والنقاط الرئيسية لكل ورقة.",
    start_manager: "أرسل /subscribe لتصلك نشرة كل يوم (الافتراضي {time} {zone})، أو /today لعرض الأحدث الآن، أو /help لعرض كل الأوامر.",
    start_member: "أرسل /today لعرض أحدث الأوراق الآن؛ ويمكن للمشرف اشتراك هذه الدردشة عبر /subscribe.",
    help_title: "الأوامر:",
    help_footer: "الأوقات بحسب المنطقة الزمنية التي تحددها (اسم IANA مثل Europe/Berlin أو Asia/Seoul).",
};

const HI: Replies = Replies {
    refused: "माफ़ कीजिए, इस चैट का डाइजेस्ट सिर्फ़ एडमिन बदल सकते हैं। /today और /settings कोई भी इस्तेमाल कर सकता है।",
    not_subscribed: "यह चैट सब्सक्राइब नहीं है। हर दिन यहाँ टॉप पेपर पाने के लिए /subscribe भेजें, या अभी नए पेपर देखने के लिए /today भेजें।",
    cooldown: "/today हर चैट में एक मिनट में एक ही बार चलता है; {seconds} सेकंड बाद फिर कोशिश करें।",
    subscribed: "सब्सक्राइब हो गया।",
    updated: "अपडेट हो गया।",
    unsubscribed: "अनसब्सक्राइब हो गया: अब यहाँ रोज़ का डाइजेस्ट नहीं आएगा। आपकी सेटिंग्स सहेजी हुई हैं; /subscribe से वे वापस आ जाएँगी।",
    not_subscribed_short: "यह चैट सब्सक्राइब नहीं है।",
    time_set: "भेजने का समय सेट हो गया।",
    top_set: "अब यहाँ के डाइजेस्ट में टॉप {n} पेपर होंगे।",
    lang_content: "सारांश, एब्स्ट्रैक्ट और मुख्य बिंदु {language} में होंगे।",
    lang_labels_only: "कोई लैंग्वेज मॉडल कॉन्फ़िगर नहीं है, इसलिए सिर्फ़ शीर्षक {language} में होंगे।",
    settings: "रोज़ {time} ({zone}) पर टॉप {n} पेपर, {language} में{note}।",
    headings_only: ", सिर्फ़ शीर्षक",
    next_digest: " अगला डाइजेस्ट: {when} ({zone})। जिन दिनों पेपर नहीं आते (ज़्यादातर वीकेंड), उन दिनों कुछ नहीं भेजा जाता।",
    inactive: " सब्सक्राइब नहीं है: रोज़ पाने के लिए /subscribe भेजें।",
    intro: "paperboy आपके लिए Hugging Face Daily Papers से दिन के टॉप पेपर लाता है: हर पेपर के साथ थंबनेल, छोटा सारांश, एब्स्ट्रैक्ट और मुख्य बिंदु।",
    start_manager: "रोज़ डाइजेस्ट पाने के लिए /subscribe (डिफ़ॉल्ट {time} {zone}), अभी के नए पेपर के लिए /today, और सभी कमांड के लिए /help भेजें।",
    start_member: "अभी के नए पेपर देखने के लिए /today भेजें; कोई एडमिन /subscribe से इस चैट को सब्सक्राइब कर सकता है।",
    help_title: "कमांड:",
    help_footer: "समय आपके दिए गए टाइम ज़ोन के हिसाब से है (IANA नाम, जैसे Europe/Berlin या Asia/Seoul)।",
};

/// The replies for `language`: every supported language has its own table.
pub fn replies(language: Language) -> &'static Replies {
    table(language.code())
}

/// The table for a language code; English for a code without one.
fn table(code: &str) -> &'static Replies {
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
    use std::collections::BTreeSet;

    use super::*;

    /// Every field of `r`, with its name. The pattern has no `..`, so a new field does not
    /// compile until it is listed here, and so checked by every test below.
    fn fields(r: &Replies) -> Vec<(&'static str, &'static str)> {
        let Replies {
            refused,
            not_subscribed,
            cooldown,
            subscribed,
            updated,
            unsubscribed,
            not_subscribed_short,
            time_set,
            top_set,
            lang_content,
            lang_labels_only,
            settings,
            headings_only,
            next_digest,
            inactive,
            intro,
            start_manager,
            start_member,
            help_title,
            help_footer,
        } = *r;
        vec![
            ("refused", refused),
            ("not_subscribed", not_subscribed),
            ("cooldown", cooldown),
            ("subscribed", subscribed),
            ("updated", updated),
            ("unsubscribed", unsubscribed),
            ("not_subscribed_short", not_subscribed_short),
            ("time_set", time_set),
            ("top_set", top_set),
            ("lang_content", lang_content),
            ("lang_labels_only", lang_labels_only),
            ("settings", settings),
            ("headings_only", headings_only),
            ("next_digest", next_digest),
            ("inactive", inactive),
            ("intro", intro),
            ("start_manager", start_manager),
            ("start_member", start_member),
            ("help_title", help_title),
            ("help_footer", help_footer),
        ]
    }

    /// Each language with its table, English included.
    fn tables() -> Vec<(Language, &'static Replies)> {
        Language::all().map(|l| (l, replies(l))).collect()
    }

    /// The `{name}` blanks of a template; an unclosed `{` yields none, so it shows as a loss.
    fn blanks(s: &str) -> BTreeSet<&str> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name))
            .collect()
    }

    /// The `/command` tokens of a text: a `/` not preceded by an ASCII letter or digit (so
    /// not the one in `Europe/Berlin`), then ASCII letters, digits or `_`. A command glued to
    /// a CJK or Arabic word still counts.
    fn commands(s: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut prev: Option<char> = None;
        for (i, c) in s.char_indices() {
            if c == '/' && !prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
                let name: String = s[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(format!("/{name}"));
                }
            }
            prev = Some(c);
        }
        found
    }

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
    fn the_helpers_see_what_they_should() {
        assert_eq!(
            blanks("{n} at {time} {zone}, {n}"),
            BTreeSet::from(["n", "time", "zone"])
        );
        // An unclosed blank is lost, so it cannot match English.
        assert_eq!(blanks("{time and {zone}"), BTreeSet::from(["zone"]));
        assert_eq!(
            commands("/today, Europe/Berlin; 发送/subscribe (/help) a/b /"),
            BTreeSet::from(["/today", "/subscribe", "/help"].map(String::from))
        );
    }

    #[test]
    fn every_template_keeps_its_blanks_in_every_language() {
        let templates = fields(&EN)
            .into_iter()
            .filter(|(_, en)| !blanks(en).is_empty())
            .count();
        // cooldown, top_set, lang_content, lang_labels_only, settings, next_digest,
        // start_manager: the check below is not vacuous.
        assert_eq!(templates, 7);
        for (language, r) in tables() {
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(r)) {
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
        // No field is legitimately the same as English in any language: even the short
        // ones (help_title, subscribed, updated) have their own word everywhere.
        for (language, r) in tables() {
            if language == Language::ENGLISH {
                continue;
            }
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(r)) {
                assert!(!text.trim().is_empty(), "{language} {name} is empty");
                assert_ne!(text, en, "{language} {name} is still English");
            }
        }
    }

    #[test]
    fn every_language_mentions_the_commands_english_mentions() {
        let mentioned = fields(&EN)
            .into_iter()
            .filter(|(_, en)| !commands(en).is_empty())
            .count();
        // refused, not_subscribed, cooldown, unsubscribed, inactive, start_manager,
        // start_member.
        assert_eq!(mentioned, 7);
        for (language, r) in tables() {
            for ((name, en), (_, text)) in fields(&EN).into_iter().zip(fields(r)) {
                assert_eq!(
                    commands(text),
                    commands(en),
                    "{language} {name}: {text:?} must name the commands of {en:?}"
                );
            }
        }
    }

    #[test]
    fn appended_texts_keep_their_leading_separator() {
        for (language, r) in tables() {
            // Appended after a sentence: a space, then the text.
            for (name, text) in [("next_digest", r.next_digest), ("inactive", r.inactive)] {
                let mut chars = text.chars();
                assert_eq!(chars.next(), Some(' '), "{language} {name}: {text:?}");
                assert!(
                    chars.next().is_some_and(|c| !c.is_whitespace()),
                    "{language} {name}: {text:?}"
                );
            }
            // Appended right after the language name: a separator, not a letter.
            assert!(
                r.headings_only
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_alphanumeric()),
                "{language} headings_only: {:?}",
                r.headings_only
            );
            // Everything else is used on its own or joined with a space by the handlers.
            for (name, text) in fields(r) {
                if !matches!(name, "next_digest" | "inactive" | "headings_only") {
                    assert_eq!(text, text.trim(), "{language} {name}");
                }
                assert_eq!(text, text.trim_end(), "{language} {name}");
            }
        }
    }

    #[test]
    fn texts_are_plain() {
        // Bidi controls would be invisible in the source and confuse some clients.
        let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        for (language, r) in tables() {
            for (name, text) in fields(r) {
                assert!(!text.contains(bidi), "{language} {name} has a bidi control");
                assert!(!text.contains('\n'), "{language} {name} has a line break");
            }
        }
    }

    #[test]
    fn each_language_reads_its_own_table() {
        // Constants have no fixed address, so tables are compared by their texts.
        let same = |a: &Replies, b: &Replies| fields(a) == fields(b);
        let fr = replies(Language::parse("fr").unwrap());
        assert!(same(fr, &FR));
        assert_eq!(fr.subscribed, "Abonnement activé.");
        assert!(same(replies(Language::ENGLISH), &EN));
        assert_eq!(replies(Language::ENGLISH).subscribed, "Subscribed.");
        assert_eq!(replies(Language::KOREAN).subscribed, "구독했습니다.");
        // No two languages share a table (a code mapped to the wrong constant, or a table
        // copied from another language), and so only English reads English.
        let all = tables();
        for (i, (a, ra)) in all.iter().enumerate() {
            for (b, rb) in &all[i + 1..] {
                assert!(!same(ra, rb), "{a} and {b} share a table");
                assert_ne!(ra.intro, rb.intro, "{a} and {b} have the same intro");
            }
        }
        // A code without a translation reads English.
        assert!(same(table("xx"), &EN));
    }
}
