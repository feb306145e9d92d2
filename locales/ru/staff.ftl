# Команды сотрудников: рассылки (/broadcast, /broadcasts) и статистика (/stats).

staff-broadcast-write = Напишите текст рассылки. Язык: { $language }.
staff-broadcast-skip-hint = Если пропустить этот язык, его читатели получат текст на казахском.
staff-broadcast-empty = Текст пустой. Напишите текст сообщения.
staff-button-skip = Пропустить
staff-button-abort = Отменить
staff-button-menu = Главное меню

staff-audience-prompt = Кому отправить рассылку?
staff-audience-all = Всем доступным чатам
staff-audience-signed-in = Только вошедшим вкладчикам
staff-audience-language = Язык: { $language }

staff-preview-for = Получатели с языком «{ $language }» увидят такое сообщение:
staff-verbatim = { $text }
staff-preview-confirm = Получатели: { $audience }. Отправить рассылку?
staff-preview-fallbacks =
    Языки без своего текста получат текст на казахском:
    { $items }
staff-preview-fallback = • { $language }
staff-button-send = Отправить

staff-broadcast-created = Рассылка № { $id } поставлена в очередь: { $total } { $total ->
        [one] получатель
        [few] получателя
       *[many] получателей
    }. Ход: /broadcasts
staff-broadcast-cancelled = Рассылка № { $id } остановлена: не будет отправлено сообщений: { $count }.

staff-broadcasts-none = Рассылок ещё не было.
staff-broadcasts-list =
    Последние рассылки:
    { $items }
staff-broadcasts-item = № { $id } · { $date } · { $status } · { $audience }
    в очереди { $queued }, отправлено { $sent }, ошибок { $failed }, недоступны { $unreachable }, скорость { $rate }/с
staff-broadcast-status-queued = в очереди
staff-broadcast-status-running = отправляется
staff-broadcast-status-done = завершена
staff-broadcast-status-cancelled = остановлена
staff-broadcasts-prompt = Рассылку, которая ещё отправляется, можно остановить.
staff-button-cancel-broadcast = Остановить № { $id }

staff-stats =
    Статистика
    Чатов: { $chats }
    Вошедших вкладчиков (активных входов): { $logins }
    Записей на сегодня: { $bookings }
    В очереди отправки: { $outbox }
    { $applications }
staff-stats-applications =
    Заявления по статусам:
    { $items }
staff-stats-status = • { $status }: { $count }
staff-stats-no-applications = Заявлений нет.

# /settings: настройка уведомлений (для каждого пользователя).
settings-list =
    Уведомления в этот чат:
    { $items }
    • Изменения статуса ваших заявлений: всегда (не отключаются)
    С 22:00 до 08:00 (время Астаны) несрочные уведомления ждут до 08:00 утра.
settings-line-on = • { $kind }: включены
settings-line-off = • { $kind }: выключены
settings-kind-reminder = Напоминания о записи
settings-kind-contribution = Новые взносы на счёт
settings-kind-document = Номера выписок и справок
settings-turn-on = Включить: { $kind }
settings-turn-off = Выключить: { $kind }
settings-turned-on = Включено: { $kind }.
settings-turned-off = Выключено: { $kind }.
settings-prompt = Настройка уведомлений: /settings
staff-broadcast-held =
    { $created }
    Сейчас тихие часы (22:00–08:00): отправка начнётся { $time }.
