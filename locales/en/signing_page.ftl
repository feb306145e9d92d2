# The signing page (GET /sign/{token}): what is signed, the Sign button, and every answer the
# page can show while it talks to NCALayer and to our server.

sign-page-title-document = Sign the application
sign-page-title-sign-in = Sign in with your EDS
sign-page-brand = ENPF · Zeinet
sign-page-intro-document = Check the application below. If everything is right, press “Sign” and choose your EDS signing key in NCALayer.
sign-page-intro-sign-in = To sign in to the bot, press “Sign” and choose your EDS authentication key (its file name starts with AUTH) in NCALayer.
sign-page-kind = Application
sign-page-number = Number
sign-page-contents = Contents of the application
sign-page-sign-in-content = A one-time sign-in code issued by the bot
sign-page-sha256 = SHA-256 of the document
sign-page-expires = Link valid until
sign-page-time = { $time } (Astana time)
sign-page-yes = yes
sign-page-no = no
sign-page-empty = —
sign-page-sign = Sign
sign-page-needs-ncalayer = Signing works on a computer with NCALayer running; it does not work on a phone yet.
sign-page-noscript = This page needs JavaScript to talk to NCALayer. Turn JavaScript on and reload the page.
sign-page-connecting = Connecting to NCALayer…
sign-page-choose-key = Choose your key in the NCALayer window and enter its password.
sign-page-choose-key-document = Choose the signing key in the NCALayer window (its file name starts with RSA or GOST, not AUTH) and enter its password.
sign-page-sending = Checking the signature…
sign-page-not-running-title = NCALayer is not running
sign-page-not-running =
    The page could not reach NCALayer on this computer.
    1. If NCALayer is not installed, download it from the official site of the National Certification Authority and install it.
    2. Start NCALayer and wait until its icon appears next to the clock.
    3. If the browser asks whether this site may access devices on your local network, allow it.
    4. Press “Try again”.
sign-page-installer = Download NCALayer (pki.gov.kz)
sign-page-try-again = Try again
sign-page-cancelled = You cancelled the signing; nothing has been signed. You can sign while the link is valid.
sign-page-failed = NCALayer could not sign. Its answer:
sign-page-wrong-iin = This key belongs to another person. Choose the key issued to you (with your IIN) and sign again.
sign-page-wrong-purpose-document = This is an authentication key (file name AUTH_…), it cannot sign documents. Choose the signing key (file name RSA… or GOST…) and sign again.
sign-page-wrong-purpose-sign-in = This key is not meant for signing in. Choose the authentication key (file name AUTH_…) and sign again.
sign-page-refused = The signature was not accepted:
sign-page-unavailable = The signature cannot be checked right now. Nothing has been used up: try again in a few minutes.
sign-page-network = No connection to the server. Check the Internet connection and try again.
sign-page-error = Something went wrong. Try again.
sign-page-done-document = Done: the application is signed and sent to the fund. Return to Telegram — the bot has sent you a message.
sign-page-done-sign-in = Done: your EDS sign-in is confirmed. Return to Telegram and press “Continue”.
sign-page-gone-title = The link is no longer valid
sign-page-gone = This signing link is wrong, already used or expired. Ask the bot for a new link: open the application in the chat and press “Sign” again.
sign-page-unavailable-title = Temporarily unavailable
sign-page-unavailable-page = The page cannot be shown right now. Try again in a few minutes.
sign-page-field-kind = Type of application
sign-page-field-iin = IIN
sign-page-field-full-name = Full name
sign-page-field-created-at = Drawn up
sign-page-field-currency = Currency
