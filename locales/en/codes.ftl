# One-time codes sent by SMS or e-mail. The code and its purpose only: no IIN, name or balance.
code-message-subject = ENPF: one-time password
code-message-registration = ENPF: your one-time password for registration: { $code }. Valid for { $minutes } min. Do not share it with anyone.
code-message-recovery = ENPF: your one-time password for password recovery: { $code }. Valid for { $minutes } min. Do not share it with anyone.
code-message-sign-in = ENPF: your one-time password to sign in to the personal cabinet: { $code }. Valid for { $minutes } min. Do not share it with anyone.
