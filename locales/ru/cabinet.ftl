# Статусы заявлений, пенсионный калькулятор, введённые даты и суммы.

menu-applications = Мои заявления

date-format = Введите дату в виде ДД.ММ.ГГГГ, например 25.12.2025.
date-no-such-day = Такого дня в календаре нет.
amount-not-a-number = Введите сумму в тенге числом, например 350 000.
amount-negative = Сумма не может быть отрицательной.
amount-decimals = После запятой — не больше двух цифр (тиыны).
amount-too-large = Слишком большая сумма: не больше { $max }.

applications-empty = У вас пока нет заявлений.
applications-list =
    Заявления: { $total } (страница { $page }/{ $pages })
    { $items }
applications-item = • { $number } — { $kind }, { $date }: { $status }
applications-prompt = Выберите заявление или напишите его номер, чтобы посмотреть подробности.
applications-open = { $number }
applications-not-a-number = Это не похоже на номер заявления (например Z-2026-000123).
applications-not-found = У вас нет заявления с таким номером.
application-detail =
    Заявление { $number }
    { $kind }
    Подано: { $date }
    Текущий статус: { $status }
    История:
    { $history }
application-history-item = • { $date } — { $status }
application-history-item-note = • { $date } — { $status }: { $note }
application-detail-prompt = Чтобы вернуться к списку, нажмите «Назад».
button-previous-page = ‹ Назад по списку
button-next-page = Дальше ›

application-kind-disability-payout = Выплата по инвалидности за счёт ОПВ/ОППВ
application-kind-voluntary-payout-age = Выплата за счёт ДПВ по достижении 50 лет
application-kind-voluntary-payout-disability = Выплата за счёт ДПВ по инвалидности
application-kind-bank-details-change = Изменение банковских реквизитов
application-kind-manager-choice = Выбор управляющего инвестиционным портфелем
application-kind-return-to-national-bank = Возврат накоплений в управление НБРК
application-kind-manager-cancellation = Отзыв заявления о переводе в УИП
application-kind-voluntary-transfer = Перевод ДПВ
application-status-draft = Черновик
application-status-awaiting-signature = Ожидает подписи
application-status-signed = Подписано
application-status-accepted = Принято
application-status-under-review = На рассмотрении
application-status-executed = Исполнено
application-status-refused = Отказано
application-status-returned = Возвращено
application-status-cancelled = Аннулировано
application-note-cancelled-by-depositor = аннулировано по просьбе вкладчика
application-note-signing-expired = истёк срок подписания
application-note-disability-not-indefinite = инвалидность 1 или 2 группы не установлена бессрочно
application-note-under-age-for-voluntary-payout = выплата ДПВ по возрасту — с 50 лет
application-note-manager-change-too-soon = с последнего перевода не прошёл год
application-note-bank-details-mismatch = банковские реквизиты не совпадают с данными получателя
application-note-documents-incomplete = документы неполные

forecast-intro = Прогноз будущей пенсии. Ответьте на несколько вопросов.
forecast-intro-signed-in = Прогноз будущей пенсии. Пол, дата рождения и накопления взяты из кабинета.
forecast-ask-sex = Выберите пол (от него зависит пенсионный возраст).
forecast-sex-male = Мужской
forecast-sex-female = Женский
forecast-ask-birth-date = Введите дату рождения в виде ДД.ММ.ГГГГ.
forecast-birth-in-future = Дата рождения не может быть в будущем.
forecast-too-young = Прогноз считается с 14 лет.
forecast-ask-age = В каком возрасте вы планируете выйти на пенсию? Напишите возраст или выберите возраст по закону.
forecast-legal-age = По закону: { $years } { $years ->
        [one] год
        [few] года
       *[other] лет
    }{ $months ->
        [0] {""}
       *[other] { $months } мес.
    }
forecast-age-invalid = Напишите возраст целым числом от { $min } до { $max }.
forecast-ask-balance = Сколько сейчас накоплений от обязательных пенсионных взносов (в тенге)? Если не знаете, напишите 0.
forecast-own-balance = Мои накопления: { $amount }
forecast-ask-salary = Какая у вас месячная зарплата (до налогов, в тенге)?
forecast-ask-voluntary = Сколько процентов зарплаты вы перечисляете в добровольные пенсионные взносы? Напишите процент или выберите.
forecast-voluntary-none = Нет
forecast-voluntary-percent = { $percent } %
forecast-voluntary-not-a-number = Напишите процент числом, например 5 или 2,5.
forecast-voluntary-out-of-range = Процент должен быть больше 0 и не больше 100 (если добровольных взносов нет — 0).
forecast-voluntary-decimals = После запятой — не больше двух цифр.
forecast-cannot-compute = По этим данным прогноз посчитать не удалось. Проверьте данные и попробуйте ещё раз.
forecast-result =
    Выход на пенсию: { $date } ({ $years } { $years ->
        [one] год
        [few] года
       *[other] лет
    }{ $months ->
        [0] {""}
       *[other] { $months } мес.
    }).
    { $scenarios }
    Минимальная ежемесячная выплата из ЕНПФ сегодня — { $floor }.
forecast-scenario = • { $name } (доходность { $return }%, рост зарплаты { $growth }%, инфляция { $inflation }%): накопления к пенсии { $savings } (в сегодняшних деньгах { $today }); выплата в первый год { $payout } в месяц{ $floor ->
        [yes] {" "}(минимальный размер)
       *[no] {""}
    }; { $outlasts ->
        [yes] накоплений хватит больше чем на 50 лет
       *[no] накоплений хватит на { $years } г. { $months } мес.
    }
forecast-disclaimer = Это прогноз, а не гарантия: реальные доходность, зарплата и инфляция могут отличаться. Базовая пенсия от государства сюда не входит и выплачивается отдельно.
forecast-scenario-pessimistic = Пессимистичный
forecast-scenario-base = Базовый
forecast-scenario-optimistic = Оптимистичный

menu-statement = Выписка со счёта
menu-certificates = Справки
statement-no-accounts = У вас пока нет пенсионных счетов, выписку сформировать нельзя.
statement-ask-accounts = По какому счёту нужна выписка?
statement-all-accounts = Все счета
statement-one-account = Только { $kind }
statement-ask-period = За какой период?
statement-this-year = Этот год
statement-last-year = Прошлый год
statement-last-12-months = Последние 12 месяцев
statement-whole-history = Вся история
statement-type-dates = Ввести даты
statement-ask-from = Введите первый день периода в виде ДД.ММ.ГГГГ.
statement-ask-to = Введите последний день периода в виде ДД.ММ.ГГГГ (период с { $from }).
statement-date-future = Дата не может быть в будущем.
statement-date-before-opening = Счёт открыт { $opened }: раньше этой даты выбрать нельзя.
statement-date-before-from = Последний день не может быть раньше первого ({ $from }).
certificates-ask = Какая справка нужна?
certificate-accounts = Справка о наличии счетов
certificate-oppv = Справка по ОППВ
certificate-no-oppv = У вас нет счёта обязательных профессиональных пенсионных взносов (ОППВ).
verify-ask = Введите номер документа (например ZS-…), проверим, что его выдал бот ЕНПФ.
cmd-verify = Проверить документ
