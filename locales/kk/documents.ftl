# Үзінді-көшірмелер мен анықтамалар (PDF), олардың чаттағы қысқаша мазмұны және /verify жауаптары.

doc-fund-short = БЖЗҚ
doc-fund-name = Бірыңғай жинақтаушы зейнетақы қоры (БЖЗҚ)
doc-statement-title = Зейнетақы шоттарынан үзінді-көшірме
doc-accounts-certificate-title = Зейнетақы шоттарының бар екені туралы анықтама
doc-oppv-certificate-title = Міндетті кәсіптік зейнетақы жарналары туралы анықтама
doc-number = № { $number }
doc-generated = Жасалған уақыты: { $time } (Қазақстан уақыты, UTC+5)
doc-verify-hint = Құжаттың түпнұсқалығын тексеру үшін ботқа /verify { $number } жіберіңіз.
doc-page = Бет { $page } / { $pages }

doc-depositor = Салымшы
doc-iin = ЖСН
doc-period = Кезең
doc-period-value = { $from } – { $to }
doc-accounts = Шоттар
doc-accounts-all = барлығы
doc-balance-date = Қалдықтар күні
doc-amounts-note = Сомалар теңгемен (₸) көрсетілген. Төлемдер, аударымдар және комиссиялар минус белгісімен берілген.

doc-account-opv = Міндетті зейнетақы жарналары (МЗЖ)
doc-account-oppv = Міндетті кәсіптік зейнетақы жарналары (МКЗЖ)
doc-account-opvr = Жұмыс берушінің міндетті зейнетақы жарналары (ЖМЗЖ)
doc-account-dpv = Ерікті зейнетақы жарналары (ЕЗЖ)
doc-account-short-opv = МЗЖ
doc-account-short-oppv = МКЗЖ
doc-account-short-opvr = ЖМЗЖ
doc-account-short-dpv = ЕЗЖ
doc-account-opened = ашылған күні { $date }
doc-continued = { $account } (жалғасы)

doc-op-contribution = Жарна
doc-op-investment-income = Инвестициялық табыс
doc-op-payout = Төлем
doc-op-transfer = Аударым
doc-op-fee = Комиссия

doc-col-date = Күні
doc-col-operation = Операция
doc-col-payer = Төлеуші
doc-col-period = Қай ай үшін
doc-col-amount = Сомасы
doc-col-kind = Операция түрі
doc-col-count = Саны
doc-col-account = Шот
doc-col-opened = Ашылған күні
doc-col-balance = { $date } қалдық
doc-col-month = Ай
doc-col-credited = Түскен күні

doc-opening = { $date } күнгі кіріс қалдығы
doc-closing = { $date } күннің соңындағы шығыс қалдығы
doc-totals = Кезеңдегі жиынтық
doc-net-change = Кезеңдегі өзгеріс
doc-no-operations = Осы кезеңде шот бойынша операциялар болған жоқ.
doc-no-accounts = Салымшының қорда зейнетақы шоттары жоқ.

doc-accounts-certificate-intro = Бірыңғай жинақтаушы зейнетақы қоры жоғарыда аталған салымшының мынадай жеке зейнетақы шоттары бар екенін растайды. Қалдықтар { $date } күннің соңындағы жағдай бойынша көрсетілген.
doc-oppv-certificate-intro = Салымшының шотына түскен міндетті кәсіптік зейнетақы жарналары (МКЗЖ) — олар төленген айлар бойынша, { $date } күннің соңындағы жағдай бойынша.
doc-oppv-opened = Шот ашылған күні
doc-oppv-total = Жарналардың жиыны
doc-oppv-months = Жарна түскен айлар саны
doc-oppv-balance = Шоттағы қалдық
doc-oppv-none = Шотқа кәсіптік зейнетақы жарналары түскен жоқ.

doc-summary-statement =
    { $from } – { $to } кезеңіне { $number } үзінді-көшірмесі:
    { $accounts }
doc-summary-account = { $account }: { $opening } → { $closing } (түсті { $inflow }, шығарылды { $outflow })
doc-summary-no-accounts = Сізде зейнетақы шоттары жоқ.
doc-summary-accounts-certificate =
    Шоттардың бар екені туралы { $number } анықтамасы, қалдықтар { $date } күнгі:
    { $accounts }
doc-summary-balance = { $account }: { $balance } (ашылған күні { $opened })
doc-summary-oppv = Кәсіптік жарналар туралы { $number } анықтамасы: жарна түскен { $months } ай, барлығы { $total }.

doc-kind-statement = зейнетақы шоттарынан үзінді-көшірме
doc-kind-accounts-certificate = зейнетақы шоттарының бар екені туралы анықтама
doc-kind-oppv-certificate = кәсіптік зейнетақы жарналары туралы анықтама
doc-verify-found = { $number } құжаты түпнұсқа: { $kind }, { $issued } (Қазақстан уақыты) ЖСН { $iin } салымшыға берілген.
doc-verify-found-period = { $number } құжаты түпнұсқа: { $from } – { $to } кезеңіне { $kind }, { $issued } (Қазақстан уақыты) ЖСН { $iin } салымшыға берілген.
doc-verify-found-on = { $number } құжаты түпнұсқа: { $date } күнгі { $kind }, { $issued } (Қазақстан уақыты) ЖСН { $iin } салымшыға берілген.
doc-verify-unknown = { $number } нөмірлі құжат берілмеген. Нөмірді құжатпен салыстырыңыз: ол әр беттің жоғарғы жағында басылған.
doc-verify-malformed = Бұл құжат нөмірі емес. Нөмір ZS-8K2QW7XD4M9 сияқты болады және әр беттің жоғарғы жағында басылған.
