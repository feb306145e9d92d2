# One-time codes sent by SMS or e-mail. The code and its purpose only: no IIN, name or balance.
code-message-subject = ЕНПФ: одноразовый пароль
code-message-registration = ЕНПФ: одноразовый пароль для регистрации: { $code }. Действует { $minutes } мин. Никому его не сообщайте.
code-message-recovery = ЕНПФ: одноразовый пароль для восстановления пароля: { $code }. Действует { $minutes } мин. Никому его не сообщайте.
code-message-sign-in = ЕНПФ: одноразовый пароль для входа в личный кабинет: { $code }. Действует { $minutes } мин. Никому его не сообщайте.
