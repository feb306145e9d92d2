# БЖЗҚ бөлімшесіне кезекке жазылу: бөлімшелер мен жұмыс уақыты, жазылу, ауыстыру және бас тарту.

menu-booking = Бөлімшеге жазылу

booking-home = БЖЗҚ бөлімшесіне кезекке жазылу. Жазылу { $days } жұмыс күні алға ашық және қабылдауға { $minutes } минут қалғанда жабылады.
booking-home-none = Белсенді жазылуларыңыз жоқ.
booking-home-list =
    Сіздің жазылуларыңыз:
    { $items }
booking-held-line = • { $code }: { $when }, { $service }, { $branch }
booking-held-button = { $code } · { $when }
booking-new = Қабылдауға жазылу

booking-no-branches = Бөлімшелер тізімі әзірге бос. Кейінірек көріңіз.
booking-branch-gone = Бұл бөлімше енді жазылу қабылдамайды.
booking-cities-prompt = БЖЗҚ бөлімшелері. Қаланы таңдаңыз немесе атауын жазыңыз.
booking-page = { $pages } беттің { $page }-беті.
booking-page-previous = ◀ Алдыңғы
booking-page-next = Келесі ▶
booking-city-unknown = Тізімде мұндай қала жоқ. Қаланы батырмамен таңдаңыз.
booking-label = { $text }
booking-branches-prompt = { $city }: бөлімшені таңдаңыз.

booking-card =
    БЖЗҚ, { $branch }
    Мекенжайы: { $address }
    Жұмыс уақыты:
    { $hours }
    Мереке күндері бөлімше жұмыс істемейді.
    Қызметтер: { $services }
booking-days-range = { $from }–{ $to }
booking-hours-open = { $days } { $open }–{ $close }
booking-hours-open-lunch = { $days } { $open }–{ $close }, түскі үзіліс { $from }–{ $to }
booking-hours-closed = { $days } демалыс
booking-map = 📍 Картадан көрсету
booking-map-shown = Бөлімше картада — жоғарыда.
booking-book-here = Осында жазылу
booking-sign-in-note = Қабылдауға жазылу үшін жеке кабинетке кіріңіз.
booking-sign-in = Кіріп, жазылу
booking-sign-in-first = Алдымен жеке кабинетке кіріңіз.

booking-service-prompt =
    { $branch }.
    Қандай мәселемен келесіз?
booking-service-button = { $name } · { $minutes } мин
booking-pick-header = { $service } — { $branch }.
booking-move-header = { $code } жазылуын ауыстыру ({ $when }).
booking-date-prompt = Күнді таңдаңыз (бос уақыты бар күндер көрсетілген) немесе күнді жазыңыз, мысалы 25.12.
booking-date-none = Алдағы { $days } жұмыс күнінде бос уақыт жоқ. Басқа бөлімшені таңдаңыз немесе кейінірек қараңыз.
booking-time-prompt = { $day }: бос уақыт. Таңдаңыз немесе жазыңыз, мысалы 14:30.
booking-nearest-prompt = Ең жақын бос уақыт:
booking-day = { $weekday } { $date }
booking-day-time = { $weekday } { $date } { $time }
booking-when = { $weekday } { $date }, { $start }–{ $end }

booking-confirm-new =
    Жазылуды тексеріңіз:
    Бөлімше: { $branch }, { $address }
    Қызмет: { $service }
    Уақыты: { $when }
booking-confirm-move =
    { $code } жазылуын ауыстырамыз ба?
    Бұрын: { $was }
    Енді: { $when }
    Бөлімше: { $branch }, { $address }
    Қызмет: { $service }
booking-confirm = Растау
booking-booked =
    Сіз жазылдыңыз. Жазылу коды: { $code } — оны бөлімшеде айтыңыз.
    Уақыты: { $when }
    Орны: { $branch }, { $address }
    Қызмет: { $service }
    Жеке куәлігіңізді ала келіңіз. Қабылдау туралы алдыңғы күні сағат 18:00-де және бір сағат бұрын еске саламыз.
booking-moved =
    Жазылу ауыстырылды. Жаңа код: { $code }.
    Уақыты: { $when }
    Орны: { $branch }, { $address }
    Қызмет: { $service }
    Қабылдау туралы алдыңғы күні сағат 18:00-де және бір сағат бұрын еске саламыз.

booking-detail =
    { $code } жазылуы
    Уақыты: { $when }
    Қызмет: { $service }
    Орны: { $branch }, { $address }
booking-reschedule = Ауыстыру
booking-cancel = Бас тарту
booking-cancel-prompt = { $when } уақытындағы { $code } жазылуынан бас тартасыз ба?
booking-cancel-yes = Иә, бас тартамын
booking-cancel-keep = Жоқ, қалсын
booking-cancelled = { $when } уақытындағы { $code } жазылуы жойылды, уақыт босады.
booking-gone = Бұл жазылу енді жарамсыз: уақыты өтіп кеткен немесе ол жойылған.

booking-limit-total = Сізде { $max } белсенді жазылу бар — бұдан артық болмайды. Басқа уақытқа жазылу үшін біреуінен бас тартыңыз немесе оны ауыстырыңыз.
booking-limit-service = Бұл қызметке жазылып қойғансыз: { $code }, { $when }, { $branch }. Бұл жазылуды ауыстыруға немесе одан бас тартуға болады — оны жазылулар тізімінен ашыңыз.
booking-date-not-understood = Күнді түсінбедім. Былай жазыңыз: 25.12 немесе 25.12.2026 — не күнді батырмамен таңдаңыз.
booking-date-invalid = Күнтізбеде мұндай күн жоқ.
booking-date-past = { $date } өтіп кетті.
booking-date-holiday = { $date } — мереке демалысы: { $holiday }. БЖЗҚ бөлімшелері жұмыс істемейді.
booking-date-day-off = { $date } — { $weekday }, бұл күні бөлімше жұмыс істемейді.
booking-date-beyond = Жазылу { $days } жұмыс күні алға, { $last } қоса алғанға дейін ашық.
booking-date-full = { $date } күні бос уақыт қалмады.
booking-time-not-understood = Уақытты түсінбедім. Былай жазыңыз: 14:30 — не батырмамен таңдаңыз.
booking-time-past = { $time } өтіп кетті.
booking-time-closes-soon = { $time } уақытына жазылу жабылды: қабылдауға кемінде { $minutes } минут қалғанда ғана жазылуға болады.
booking-time-lunch = { $from }–{ $to } — бөлімшеде түскі үзіліс.
booking-time-outside = Бөлімше { $open }–{ $close } аралығында қабылдайды; бұл қызмет бойынша соңғы қабылдау — { $last }.
booking-time-off-grid = Бұл қызмет бойынша қабылдау әр { $minutes } минут сайын басталады — уақытты тізімнен таңдаңыз.
booking-time-full = { $time } бос емес.
booking-time-closed = Бұл уақытқа жазылу жабылды. Басқасын таңдаңыз.
booking-slot-taken = Сіз растап жатқанда бұл уақытты басқа біреу алып қойды.
booking-slot-taken-none = Сіз растап жатқанда бұл уақытты басқа біреу алып қойды, ал жақын маңда бос уақыт жоқ. Басқа күнді таңдаңыз.

booking-weekday-mon = Дс
booking-weekday-tue = Сс
booking-weekday-wed = Ср
booking-weekday-thu = Бс
booking-weekday-fri = Жм
booking-weekday-sat = Сб
booking-weekday-sun = Жс
booking-weekday-full-mon = дүйсенбі
booking-weekday-full-tue = сейсенбі
booking-weekday-full-wed = сәрсенбі
booking-weekday-full-thu = бейсенбі
booking-weekday-full-fri = жұма
booking-weekday-full-sat = сенбі
booking-weekday-full-sun = жексенбі

booking-reminder-day-before = Еске салу: ертең { $date } сағат { $time }-де { $branch } бөлімшесіне ({ $address }) жазылдыңыз — { $service }. Брондау коды: { $code }.
booking-reminder-hour-before = Еске салу: бір сағаттан кейін, сағат { $time }-де, { $branch } бөлімшесінде ({ $address }) қабылдау — { $service }. Брондау коды: { $code }.
