# Запись в очередь в отделение ЕНПФ: отделения и часы работы, запись, перенос и отмена.

menu-booking = Запись в отделение

booking-home = Запись в очередь в отделение ЕНПФ. Записаться можно на { $days } рабочих дней вперёд, не позже чем за { $minutes } минут до приёма.
booking-home-none = Активных записей нет.
booking-home-list =
    Ваши записи:
    { $items }
booking-held-line = • { $code }: { $when }, { $service }, { $branch }
booking-held-button = { $code } · { $when }
booking-new = Записаться на приём

booking-no-branches = Список отделений пока пуст. Попробуйте позже.
booking-branch-gone = Это отделение больше не принимает записи.
booking-cities-prompt = Отделения ЕНПФ. Выберите город или напишите его название.
booking-page = Страница { $page } из { $pages }.
booking-page-previous = ◀ Ранее
booking-page-next = Далее ▶
booking-city-unknown = Такого города нет в списке. Выберите город кнопкой.
booking-label = { $text }
booking-branches-prompt = { $city }: выберите отделение.

booking-card =
    ЕНПФ, { $branch }
    Адрес: { $address }
    Часы работы:
    { $hours }
    В праздничные дни отделение не работает.
    Услуги: { $services }
booking-days-range = { $from }–{ $to }
booking-hours-open = { $days } { $open }–{ $close }
booking-hours-open-lunch = { $days } { $open }–{ $close }, обед { $from }–{ $to }
booking-hours-closed = { $days } выходной
booking-map = 📍 Показать на карте
booking-map-shown = Отделение на карте — выше.
booking-book-here = Записаться сюда
booking-sign-in-note = Чтобы записаться на приём, войдите в личный кабинет.
booking-sign-in = Войти и записаться
booking-sign-in-first = Сначала войдите в личный кабинет.

booking-service-prompt =
    { $branch }.
    С каким вопросом вы придёте?
booking-service-button = { $name } · { $minutes } мин
booking-pick-header = { $service } — { $branch }.
booking-move-header = Перенос записи { $code } ({ $when }).
booking-date-prompt = Выберите день (показаны дни, когда есть свободное время) или напишите дату, например 25.12.
booking-date-none = В ближайшие { $days } рабочих дней свободного времени нет. Выберите другое отделение или загляните позже.
booking-time-prompt = { $day }: свободное время. Выберите его или напишите, например 14:30.
booking-nearest-prompt = Ближайшее свободное время:
booking-day = { $weekday } { $date }
booking-day-time = { $weekday } { $date } { $time }
booking-when = { $weekday } { $date }, { $start }–{ $end }

booking-confirm-new =
    Проверьте запись:
    Отделение: { $branch }, { $address }
    Услуга: { $service }
    Когда: { $when }
booking-confirm-move =
    Перенести запись { $code }?
    Было: { $was }
    Станет: { $when }
    Отделение: { $branch }, { $address }
    Услуга: { $service }
booking-confirm = Подтвердить
booking-booked =
    Вы записаны. Код записи: { $code } — назовите его в отделении.
    Когда: { $when }
    Где: { $branch }, { $address }
    Услуга: { $service }
    Возьмите удостоверение личности. Мы напомним о приёме накануне в 18:00 и за час до него.
booking-moved =
    Запись перенесена. Новый код: { $code }.
    Когда: { $when }
    Где: { $branch }, { $address }
    Услуга: { $service }
    Напомним о приёме накануне в 18:00 и за час до него.

booking-detail =
    Запись { $code }
    Когда: { $when }
    Услуга: { $service }
    Где: { $branch }, { $address }
booking-reschedule = Перенести
booking-cancel = Отменить запись
booking-cancel-prompt = Отменить запись { $code } на { $when }?
booking-cancel-yes = Да, отменить
booking-cancel-keep = Нет, оставить
booking-cancelled = Запись { $code } на { $when } отменена, время освободилось.
booking-gone = Эта запись уже не действует: её время прошло или она отменена.

booking-limit-total = У вас уже { $max } активные записи — больше нельзя. Чтобы записаться на другое время, отмените одну из них или перенесите её.
booking-limit-service = На эту услугу вы уже записаны: { $code }, { $when }, { $branch }. Эту запись можно перенести или отменить — откройте её в списке записей.
booking-date-not-understood = Не понял дату. Напишите её так: 25.12 или 25.12.2026 — или выберите день кнопкой.
booking-date-invalid = Такой даты нет в календаре.
booking-date-past = { $date } уже прошло.
booking-date-holiday = { $date } — праздничный выходной: { $holiday }. Отделения ЕНПФ не работают.
booking-date-day-off = { $date } — { $weekday }, в этот день отделение не работает.
booking-date-beyond = Запись открыта на { $days } рабочих дней вперёд, до { $last } включительно.
booking-date-full = На { $date } свободного времени уже нет.
booking-time-not-understood = Не понял время. Напишите его так: 14:30 — или выберите кнопкой.
booking-time-past = { $time } уже прошло.
booking-time-closes-soon = На { $time } запись уже закрыта: записаться можно не позже чем за { $minutes } минут до приёма.
booking-time-lunch = С { $from } до { $to } в отделении обед.
booking-time-outside = Отделение принимает с { $open } до { $close }; последний приём по этой услуге — в { $last }.
booking-time-off-grid = Приём по этой услуге начинается каждые { $minutes } минут — выберите время из списка.
booking-time-full = { $time } уже занято.
booking-time-closed = Запись на это время уже закрыта. Выберите другое.
booking-slot-taken = Пока вы подтверждали, это время заняли.
booking-slot-taken-none = Пока вы подтверждали, это время заняли, а рядом свободного нет. Выберите другой день.

booking-weekday-mon = Пн
booking-weekday-tue = Вт
booking-weekday-wed = Ср
booking-weekday-thu = Чт
booking-weekday-fri = Пт
booking-weekday-sat = Сб
booking-weekday-sun = Вс
booking-weekday-full-mon = понедельник
booking-weekday-full-tue = вторник
booking-weekday-full-wed = среда
booking-weekday-full-thu = четверг
booking-weekday-full-fri = пятница
booking-weekday-full-sat = суббота
booking-weekday-full-sun = воскресенье

booking-reminder-day-before = Напоминание: завтра, { $date } в { $time }, вы записаны в отделение { $branch } ({ $address }) — { $service }. Код записи: { $code }.
booking-reminder-hour-before = Напоминание: через час, в { $time }, приём в отделении { $branch } ({ $address }) — { $service }. Код записи: { $code }.
