# Start, language, menu, help and general hints.

language-prompt = Тілді таңдаңыз · Выберите язык · Choose a language
language-name-kk = Қазақша
language-name-ru = Русский
language-name-en = English
language-changed = Language changed: English.

welcome =
    Hello! This is the ENPF personal cabinet in Telegram.
    Here you can see your savings, get an account statement, file an application and follow its status, and book a visit to a branch.

menu-prompt = Main menu. What would you like to do?
menu-sign-in = Sign in
menu-register = Register
menu-forgot-password = Forgot password?
menu-calculator = Pension calculator
menu-branches = Branches
menu-language = Тіл · Язык · Language
menu-help = Help

help-text =
    The bot offers the ENPF personal cabinet's services in Telegram.
    Commands:
    /menu — main menu
    /language — change the language
    /cancel — stop what you started
    /help — this help
    /verify — check a document number
    Never share your data: ENPF staff never ask for your password or one-time code.
button-back = ← Back

hint-use-buttons = Please choose one of the buttons below.
hint-unknown-command = There is no command { $command }. Commands: /help
hint-unsupported = The bot understands text messages and buttons only.
hint-too-long = The message is too long (over { $max } characters).
hint-stale-button = This button is out of date. Please use the buttons of the latest message.
hint-contact-not-needed = No phone number is needed right now.

cancelled = Stopped.
nothing-to-cancel = There is nothing to stop.
session-expired = The session ended after a long pause. Please start again.
session-reset = The bot was updated, so what you started cannot continue. Please start again.
error-temporary = The service is temporarily unavailable. Please try again in a minute.

cmd-start = Start
cmd-menu = Main menu
cmd-help = Help
cmd-language = Change language
cmd-cancel = Stop the current action
