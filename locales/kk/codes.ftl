# One-time codes sent by SMS or e-mail. The code and its purpose only: no IIN, name or balance.
code-message-subject = БЖЗҚ: бір реттік пароль
code-message-registration = БЖЗҚ: тіркелуге арналған бір реттік пароль: { $code }. { $minutes } минут жарамды. Ешкімге айтпаңыз.
code-message-recovery = БЖЗҚ: парольді қалпына келтіруге арналған бір реттік пароль: { $code }. { $minutes } минут жарамды. Ешкімге айтпаңыз.
code-message-sign-in = БЖЗҚ: жеке кабинетке кіруге арналған бір реттік пароль: { $code }. { $minutes } минут жарамды. Ешкімге айтпаңыз.
