# Өтініштердің мәртебесі, зейнетақы калькуляторы, енгізілген күндер мен сомалар.

menu-applications = Менің өтініштерім

date-format = Күнді КК.АА.ЖЖЖЖ түрінде енгізіңіз, мысалы 25.12.2025.
date-no-such-day = Күнтізбеде мұндай күн жоқ.
amount-not-a-number = Соманы теңгемен санмен енгізіңіз, мысалы 350 000.
amount-negative = Сома теріс болмауы керек.
amount-decimals = Тиынның екі санынан артық болмауы керек.
amount-too-large = Сома тым үлкен: { $max } аспауы керек.

applications-empty = Сізде әзірге өтініш жоқ.
applications-list =
    Өтініштер: { $total } (бет { $page }/{ $pages })
    { $items }
applications-item = • { $number } — { $kind }, { $date }: { $status }
applications-prompt = Толығырақ көру үшін өтінішті таңдаңыз немесе оның нөмірін жазыңыз.
applications-open = { $number }
applications-not-a-number = Бұл өтініш нөміріне ұқсамайды (мысалы Z-2026-000123).
applications-not-found = Сізде мұндай нөмірлі өтініш жоқ.
application-detail =
    Өтініш { $number }
    { $kind }
    Берілген күні: { $date }
    Қазіргі мәртебесі: { $status }
    Тарихы:
    { $history }
application-history-item = • { $date } — { $status }
application-history-item-note = • { $date } — { $status }: { $note }
application-detail-prompt = Тізімге оралу үшін «Артқа» басыңыз.
button-previous-page = ‹ Алдыңғы
button-next-page = Келесі ›

application-kind-disability-payout = Мүгедектігі бойынша МЗЖ/МКЗЖ есебінен төлем
application-kind-voluntary-payout-age = 50 жасқа толуына байланысты ЕЗЖ есебінен төлем
application-kind-voluntary-payout-disability = Мүгедектігі бойынша ЕЗЖ есебінен төлем
application-kind-bank-details-change = Банк деректемелерін өзгерту
application-kind-manager-choice = Инвестициялық портфельді басқарушыны таңдау
application-kind-return-to-national-bank = Жинақтарды ҚРҰБ басқаруына қайтару
application-kind-manager-cancellation = ИПБ-ға аудару туралы өтініштің күшін жою
application-kind-voluntary-transfer = ЕЗЖ аудару
application-status-draft = Жоба
application-status-awaiting-signature = Қол қоюды күтуде
application-status-signed = Қол қойылды
application-status-accepted = Қабылданды
application-status-under-review = Қаралуда
application-status-executed = Орындалды
application-status-refused = Бас тартылды
application-status-returned = Қайтарылды
application-status-cancelled = Жойылды
application-note-cancelled-by-depositor = салымшының өтініші бойынша жойылды
application-note-signing-expired = қол қою мерзімі өтіп кетті
application-note-disability-not-indefinite = мүгедектік 1 немесе 2 топ бойынша мерзімсіз белгіленбеген
application-note-under-age-for-voluntary-payout = ЕЗЖ есебінен жасы бойынша төлем 50 жастан басталады
application-note-manager-change-too-soon = соңғы аударудан бері бір жыл өтпеді
application-note-bank-details-mismatch = банк деректемелері алушының деректеріне сәйкес келмейді
application-note-documents-incomplete = құжаттар толық емес

forecast-intro = Болашақ зейнетақыны болжамды есептеу. Бірнеше сұраққа жауап беріңіз.
forecast-intro-signed-in = Болашақ зейнетақыны болжамды есептеу. Жынысыңыз, туған күніңіз және жинақтарыңыз кабинеттен алынды.
forecast-ask-sex = Жынысыңызды таңдаңыз (зейнет жасы соған байланысты).
forecast-sex-male = Ер
forecast-sex-female = Әйел
forecast-ask-birth-date = Туған күніңізді КК.АА.ЖЖЖЖ түрінде енгізіңіз.
forecast-birth-in-future = Туған күн болашақта болмайды.
forecast-too-young = Болжам 14 жастан бастап есептеледі.
forecast-ask-age = Қай жаста зейнетке шығуды жоспарлайсыз? Жасты жазыңыз немесе заң бойынша жасты таңдаңыз.
forecast-legal-age = Заң бойынша: { $years } жас{ $months ->
        [0] {""}
       *[other] { $months } ай
    }
forecast-age-invalid = Жасты { $min }-ден { $max }-ге дейінгі бүтін санмен жазыңыз.
forecast-ask-balance = Міндетті зейнетақы жарналарының қазіргі жинағы қанша (теңгемен)? Білмесеңіз, 0 жазыңыз.
forecast-own-balance = Менің жинағым: { $amount }
forecast-ask-salary = Айлық жалақыңыз (салық салынғанға дейін, теңгемен) қанша?
forecast-ask-voluntary = Жалақыдан ерікті зейнетақы жарналарына қанша пайыз аударасыз? Пайызды жазыңыз немесе таңдаңыз.
forecast-voluntary-none = Жоқ
forecast-voluntary-percent = { $percent } %
forecast-voluntary-not-a-number = Пайызды санмен жазыңыз, мысалы 5 немесе 2,5.
forecast-voluntary-out-of-range = Пайыз 0-ден жоғары және 100-ден аспауы керек (ерікті жарна болмаса — 0).
forecast-voluntary-decimals = Үтірден кейін екі саннан артық болмауы керек.
forecast-cannot-compute = Бұл деректер бойынша болжам есептеу мүмкін болмады. Деректерді тексеріп, қайталап көріңіз.
forecast-result =
    Зейнетке шығу: { $date } ({ $years } жас{ $months ->
        [0] {""}
       *[other] { $months } ай
    }).
    { $scenarios }
    БЖЗҚ-дан ең төменгі ай сайынғы төлем бүгін — { $floor }.
forecast-scenario = • { $name } (кірістілік { $return }%, жалақы өсімі { $growth }%, инфляция { $inflation }%): зейнетке шыққандағы жинақ { $savings } (бүгінгі ақшамен { $today }); бірінші жылғы төлем айына { $payout }{ $floor ->
        [yes] {" "}(ең төменгі мөлшер)
       *[no] {""}
    }; { $outlasts ->
        [yes] жинақ 50 жылдан астам жетеді
       *[no] жинақ { $years } жыл { $months } айға жетеді
    }
forecast-disclaimer = Бұл — болжамды есеп, кепілдік емес: нақты кіріс, жалақы мен инфляция өзгеше болуы мүмкін. Мемлекеттік базалық зейнетақы бұған кірмейді және бөлек төленеді.
forecast-scenario-pessimistic = Пессимистік
forecast-scenario-base = Негізгі
forecast-scenario-optimistic = Оптимистік

menu-statement = Шоттан үзінді көшірме
menu-certificates = Анықтамалар
statement-no-accounts = Сізде әзірге зейнетақы шоты жоқ, үзінді көшірме жасалмайды.
statement-ask-accounts = Қай шоттан үзінді көшірме керек?
statement-all-accounts = Барлық шоттар
statement-one-account = Тек { $kind }
statement-ask-period = Қай кезеңге?
statement-this-year = Биылғы жыл
statement-last-year = Өткен жыл
statement-last-12-months = Соңғы 12 ай
statement-whole-history = Бүкіл тарих
statement-type-dates = Күндерді енгізу
statement-ask-from = Кезеңнің бірінші күнін КК.АА.ЖЖЖЖ түрінде енгізіңіз.
statement-ask-to = Кезеңнің соңғы күнін КК.АА.ЖЖЖЖ түрінде енгізіңіз ({ $from } бастап).
statement-date-future = Күн болашақта болмауы керек.
statement-date-before-opening = Шот { $opened } ашылған: бұдан ерте күнді таңдауға болмайды.
statement-date-before-from = Соңғы күн бірінші күннен ({ $from }) ерте болмауы керек.
certificates-ask = Қандай анықтама керек?
certificate-accounts = Шоттардың бар екені туралы анықтама
certificate-oppv = МКЗЖ бойынша анықтама
certificate-no-oppv = Сізде міндетті кәсіптік зейнетақы жарналары (МКЗЖ) шоты жоқ.
verify-ask = Құжат нөмірін енгізіңіз (мысалы ZS-…), оның БЖЗҚ ботынан берілгенін тексереміз.
cmd-verify = Құжатты тексеру
