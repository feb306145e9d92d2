# Staff commands: broadcasts (/broadcast, /broadcasts) and statistics (/stats).

staff-broadcast-write = Write the broadcast text. Language: { $language }.
staff-broadcast-skip-hint = If you skip this language, its readers get the Kazakh text.
staff-broadcast-empty = The text is empty. Write the message text.
staff-button-skip = Skip
staff-button-abort = Cancel
staff-button-menu = Main menu

staff-audience-prompt = Who gets the broadcast?
staff-audience-all = All reachable chats
staff-audience-signed-in = Signed-in depositors only
staff-audience-language = Language: { $language }

staff-preview-for = Recipients whose language is “{ $language }” will see this message:
staff-verbatim = { $text }
staff-preview-confirm = Recipients: { $audience }. Send the broadcast?
staff-preview-fallbacks =
    Languages without their own text get the Kazakh one:
    { $items }
staff-preview-fallback = • { $language }
staff-button-send = Send

staff-broadcast-created = Broadcast No. { $id } is queued: { $total } { $total ->
        [one] recipient
       *[other] recipients
    }. Progress: /broadcasts
staff-broadcast-cancelled = Broadcast No. { $id } was stopped: messages that will not be sent: { $count }.

staff-broadcasts-none = There have been no broadcasts yet.
staff-broadcasts-list =
    Recent broadcasts:
    { $items }
staff-broadcasts-item = No. { $id } · { $date } · { $status } · { $audience }
    queued { $queued }, sent { $sent }, failed { $failed }, unreachable { $unreachable }, rate { $rate }/s
staff-broadcast-status-queued = queued
staff-broadcast-status-running = sending
staff-broadcast-status-done = done
staff-broadcast-status-cancelled = stopped
staff-broadcasts-prompt = A broadcast still being sent can be stopped.
staff-button-cancel-broadcast = Stop No. { $id }

staff-stats =
    Statistics
    Chats: { $chats }
    Signed-in depositors (active sign-ins): { $logins }
    Bookings today: { $bookings }
    Waiting to be sent: { $outbox }
    { $applications }
staff-stats-applications =
    Applications by status:
    { $items }
staff-stats-status = • { $status }: { $count }
staff-stats-no-applications = No applications.

# /settings: notification settings (for every user).
settings-list =
    Notifications to this chat:
    { $items }
    • Status changes of your own applications: always (cannot be turned off)
    From 22:00 to 08:00 (Astana time) non-urgent notifications wait until 08:00.
settings-line-on = • { $kind }: on
settings-line-off = • { $kind }: off
settings-kind-reminder = Booking reminders
settings-kind-contribution = New contributions to the account
settings-kind-document = Statement and certificate numbers
settings-turn-on = Turn on: { $kind }
settings-turn-off = Turn off: { $kind }
settings-turned-on = Turned on: { $kind }.
settings-turned-off = Turned off: { $kind }.
settings-prompt = Notification settings: /settings
staff-broadcast-held =
    { $created }
    It is quiet hours now (22:00–08:00): sending starts { $time }.
