# Sign-in, registration, password recovery, the cabinet.

menu-savings = My savings
menu-sessions = Active sessions
menu-logout = Sign out

button-sign-in-by-code = Sign in with a one-time password
button-other-iin = Another IIN
button-forget-iin = Forget my IIN
button-remember-iin = Remember my IIN in this chat
button-channel-sms = SMS: { $contact }
button-channel-email = E-mail: { $contact }
button-resend-code = Send a new password
button-share-phone = 📱 Share my Telegram number
button-end-session = End session { $n }
button-end-other-sessions = End all other sessions

signin-enter-iin = Enter your IIN (12 digits).
signin-enter-password = IIN: { $iin }
    Enter your password. We delete your message from the chat at once.
signin-invalid = Wrong IIN or password.
signin-locked = Too many wrong passwords: password sign-in for this IIN is locked for { $minutes } min. You can sign in with a one-time password.
signin-throttled = Too many sign-in attempts from this chat. Try again in { $minutes } min.

iin-error-empty = Please enter your IIN.
iin-error-not-digits = An IIN has digits only.
iin-error-length = An IIN has 12 digits.
iin-error-date = The first six digits of an IIN are the birth date (YYMMDD), and this date is not valid. Please check the IIN.
iin-error-checksum = No such IIN: its check digit does not match. Please check the IIN.
iin-forgotten = The IIN is removed from this chat.
iin-remembered = The IIN is saved in this chat: next time only the password is asked.

password-message-deleted = We deleted your message with the password from the chat.

register-enter-iin = Registration. Enter your IIN: the one-time password goes to the phone or e-mail recorded at ENPF.
recovery-enter-iin = Password recovery. Enter your IIN: the one-time password goes to the phone or e-mail recorded at ENPF.

code-depositor-not-found = No depositor with this IIN was found in the ENPF information system. Please check the IIN.
code-duplicate-contact =
    The contact you have (e-mail/mobile number) coincides with another depositor's (recipient's). You can confirm that it belongs to you:
    1) by changing it in the personal cabinet with your EDS (electronic digital signature);
    2) by applying at any ENPF service office.
code-no-contacts = The ENPF information system has neither your mobile number nor your e-mail. You can add them at any ENPF office.
code-choose-channel = Where shall we send the one-time password?
code-enter = Enter the one-time password (6 digits).
code-sent-sms = An SMS with a one-time password was sent so you can continue. Check your phone: { $contact }. The password is valid for { $minutes } min.
code-sent-email = The one-time password was sent by e-mail: { $contact }. The password is valid for { $minutes } min.
code-too-soon = A one-time password was sent just now. Enter it, or ask for a new one in { $seconds } s.
code-too-many-codes = Too many one-time passwords were requested this hour. Please try again later.
code-delivery-failed = The one-time password could not be sent right now. Please try again in a few minutes.
code-no-such-channel = It cannot be sent this way. Please choose another.
code-accepted = The one-time password is accepted.
code-wrong = Wrong one-time password. Attempts left: { $left }.
code-expired = The one-time password has expired. Please request a one-time password again.
code-too-many-attempts = The one-time password was entered wrongly too many times and is no longer valid. Please request a new one.

register-share-phone-offer = If you like, share your Telegram number: we will tell you whether it matches the number recorded at ENPF. It does not replace the one-time password.
contact-not-own = Only your own number can be shared.
contact-matches = Your Telegram number matches the number recorded at ENPF.
contact-differs = Your Telegram number differs from the number recorded at ENPF. The one-time password goes to the ENPF number.
keyboard-removed = All right.

password-new-prompt = Enter a new password: { $min } to { $max } characters, any letters and signs. Do not use a very simple password, your IIN or your birth date.
password-repeat-prompt = Repeat the new password.
password-too-short = The password is too short: at least { $min } characters.
password-too-long = The password is too long: at most { $max } characters.
password-common = This password is too common and easy to guess. Please choose another.
password-same-as-iin = The password must not be your IIN.
password-same-as-birth-date = The password must not be your birth date.
password-mismatch = The passwords did not match. Enter the new password again.
password-set = Registration is complete; you are signed in.
password-changed = The password is changed; you are signed in.
password-changed-other-sessions = You are also signed in in { $count } other chat(s). If someone else may have known the old password, end them: /sessions

cabinet-prompt = Personal cabinet. What would you like to do?
sessions-prompt = To end a session in another chat, choose it.
sessions-list =
    Active sessions:
    { $items }
sessions-item = { $n }. { $this ->
        [yes] This chat
       *[no] Another chat
    } — signed in { $since }, last active { $active }
session-ended-other = The session is ended.
sessions-others-ended = All other sessions are ended.
logged-out = You have signed out.
not-signed-in = You are not signed in.

profile-card =
    { $name }
    IIN: { $iin }
    Born: { $birth }
    Phone: { $phone }
    E-mail: { $email }
profile-accounts =
    Savings:
    { $items }
profile-account = • { $kind }: { $balance } (as of { $date }), manager — { $manager }
profile-no-accounts = You have no pension accounts yet.
manager-nbrk = National Bank
account-opv = Mandatory (OPV)
account-oppv = Occupational (OPPV)
account-opvr = Employer's (OPVR)
account-dpv = Voluntary (DPV)

cmd-logout = Sign out
cmd-sessions = Active sessions
