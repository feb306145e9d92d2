# Уведомления: технические работы, смена статуса заявления, новый взнос;
# /maintenance и аудитория рассылки «по городу» (для сотрудников).

maintenance-notice =
    Из-за технических работ услуги временно недоступны.
    Ожидаемое окончание работ: { $until } (по времени Астаны). Попробуйте позже.
maintenance-signin =
    Вход в кабинет временно приостановлен из-за технических работ: информационная система ЕНПФ недоступна, поэтому проверить пароль и показать накопления нельзя.
    Ожидаемое окончание работ: { $until } (по времени Астаны). Войдите после этого времени.

notice-status-changed =
    Статус заявления № { $number } изменился.
    Вид: { $kind }
    Новый статус: { $status }
notice-status-note = Причина: { $note }
notice-contribution =
    На ваш счёт { $account } поступил взнос: { $amount }.
    Дата: { $date }, период: { $period }.
notice-contribution-with-payer =
    { $contribution }
    Плательщик: { $payer }

notice-document-issued =
    По вашим счетам в другом чате выдан документ: { $kind } № { $number }, { $time }.
    Если это были не вы, завершите другие сеансы: /sessions
notice-document-statement = Выписка со счёта
notice-document-accounts-certificate = Справка о наличии счетов
notice-document-oppv-certificate = Справка об ОППВ

staff-maintenance-status =
    { $status }
    { $usage }
staff-maintenance-none = Период технических работ не задан.
staff-maintenance-current = Идут технические работы: с { $from } до { $until }.
staff-maintenance-upcoming = Запланированы технические работы: с { $from } до { $until }.
staff-maintenance-over = Последний период технических работ закончился: { $until }.
staff-maintenance-usage = Задать: /maintenance 25.11.2026 06:00 (окончание по времени Астаны; начало — сейчас) или /maintenance 25.11.2026 02:00 25.11.2026 06:00. Снять: /maintenance off
staff-maintenance-set = Период технических работ задан: { $from } — { $until }. В это время на запросы услуг бот отвечает уведомлением.
staff-maintenance-cleared = Период технических работ снят: все услуги снова работают.
staff-maintenance-bad =
    Не удалось прочитать время: пишите его как 25.11.2026 06:00; окончание должно быть позже начала и позже текущего момента.
    { $usage }

staff-audience-by-city = По городу записей в отделения
staff-audience-city-prompt = Выберите город: рассылку получат чаты, записанные на приём в отделение этого города (записи за последние { $months } мес. и предстоящие).
staff-audience-city = Город: { $city }
staff-audience-no-cities = Городов с отделениями пока нет.
