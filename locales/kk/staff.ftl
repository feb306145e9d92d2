# Қызметкерлер командалары: таратылым (/broadcast, /broadcasts) және статистика (/stats).

staff-broadcast-write = Таратылым мәтінін жазыңыз. Тіл: { $language }.
staff-broadcast-skip-hint = Бұл тілді өткізіп жіберсеңіз, осы тілдегі оқырмандар қазақша мәтінді алады.
staff-broadcast-empty = Мәтін бос. Хабарлама мәтінін жазыңыз.
staff-button-skip = Өткізіп жіберу
staff-button-abort = Бас тарту
staff-button-menu = Басты мәзір

staff-audience-prompt = Таратылымды кім алады?
staff-audience-all = Барлық қолжетімді чаттар
staff-audience-signed-in = Тек жүйеге кірген салымшылар
staff-audience-language = Тілі: { $language }

staff-preview-for = Тілі «{ $language }» болған алушылар мына хабарламаны көреді:
staff-verbatim = { $text }
staff-preview-confirm = Алушылар: { $audience }. Таратылымды жіберейік пе?
staff-preview-fallbacks =
    Мәтіні жоқ тілдер қазақша мәтінді алады:
    { $items }
staff-preview-fallback = • { $language }
staff-button-send = Жіберу

staff-broadcast-created = № { $id } таратылым кезекке қойылды: { $total } алушы. Барысы: /broadcasts
staff-broadcast-cancelled = № { $id } таратылым тоқтатылды: { $count } хабарлама жіберілмейді.

staff-broadcasts-none = Таратылымдар әлі болған жоқ.
staff-broadcasts-list =
    Соңғы таратылымдар:
    { $items }
staff-broadcasts-item = № { $id } · { $date } · { $status } · { $audience }
    кезекте { $queued }, жіберілді { $sent }, қате { $failed }, қолжетімсіз { $unreachable }, жылдамдық { $rate }/с
staff-broadcast-status-queued = кезекте
staff-broadcast-status-running = жіберілуде
staff-broadcast-status-done = аяқталды
staff-broadcast-status-cancelled = тоқтатылды
staff-broadcasts-prompt = Жіберіліп жатқан таратылымды тоқтатуға болады.
staff-button-cancel-broadcast = № { $id } тоқтату

staff-stats =
    Статистика
    Чаттар: { $chats }
    Жүйеге кірген салымшылар (белсенді кірулер): { $logins }
    Бүгінгі жазылулар: { $bookings }
    Жіберу кезегінде: { $outbox }
    { $applications }
staff-stats-applications =
    Өтініштер мәртебесі бойынша:
    { $items }
staff-stats-status = • { $status }: { $count }
staff-stats-no-applications = Өтініштер жоқ.

# /settings: хабарламаларды баптау (әр пайдаланушыға).
settings-list =
    Осы чатқа келетін хабарламалар:
    { $items }
    • Өз өтініштеріңіздің мәртебесінің өзгеруі: әрқашан (өшірілмейді)
    22:00–08:00 аралығында (Астана уақыты) жедел емес хабарламалар таңғы 08:00-ге дейін күтеді.
settings-line-on = • { $kind }: қосулы
settings-line-off = • { $kind }: өшірулі
settings-kind-reminder = Жазылу туралы еске салғыштар
settings-kind-contribution = Шотқа түскен жаңа жарналар
settings-kind-document = Үзінді көшірмелер мен анықтамалардың нөмірлері
settings-turn-on = Қосу: { $kind }
settings-turn-off = Өшіру: { $kind }
settings-turned-on = Қосылды: { $kind }.
settings-turned-off = Өшірілді: { $kind }.
settings-prompt = Хабарламаларды баптау: /settings
staff-broadcast-held =
    { $created }
    Қазір тыныштық сағаттары (22:00–08:00): жіберу { $time } басталады.
