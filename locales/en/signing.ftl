# EDS signatures: the signing page for applications and EDS sign-in.

button-open-signing-page = ✍️ Sign with EDS
button-sign-in-eds = Sign in with EDS
button-eds-continue = Continue
button-eds-new-link = Get a new link

signing-application-prompt = Application { $number } is ready to sign.
    Open the page with the button below on a computer (NCALayer must be running) and sign with your EDS signing key.
    The link works for 15 minutes, once.

signin-eds-prompt = IIN: { $iin }
    Open the page with the button below on a computer (NCALayer must be running) and sign with your EDS authentication key (AUTH_RSA… or GOST). Then come back here and press “Continue”.
    The link works for 15 minutes, once.
signin-eds-waiting = Once you have signed on the page, press “Continue”.
signin-eds-not-yet = The signature has not arrived yet. Sign on the page with your EDS key first.
signin-eds-done = You are signed in with EDS.
signin-eds-unknown-depositor = No ENPF depositor has this IIN. Try signing in with a password, or visit an ENPF branch.

signing-page-accepted = Done: application { $number } is accepted. Return to Telegram.
signing-page-signed-in = Done: your EDS sign-in is confirmed. Return to Telegram and press “Continue”.
signing-gone = This link is no longer valid: it was used or has expired. Return to Telegram and ask for a new one.
signing-too-many = Too many failed attempts with this link. Return to Telegram and ask for a new link.
signing-unavailable = Signature checking is temporarily unavailable. Try again in a few minutes — the link is still valid.
signing-bad-request = The request is malformed. Reload the page and try signing again.

signing-chat-accepted = Application { $number } is signed with EDS.
    Kind: { $kind }
    Status: { $status }
signing-chat-signed-in = Your EDS sign-in is confirmed. Press “Continue” to open your cabinet.
signing-chat-refused = The signature of application { $number } was not accepted: { $reason }
    The application is still waiting for your signature and the link still works — you can sign again.
signing-chat-sign-in-refused = EDS sign-in failed: { $reason }

eds-refused-malformed = the signature could not be read. Try signing again through NCALayer.
eds-refused-content-mismatch = the signed text is not the document we sent.
eds-refused-untrusted-chain = the certificate was not issued by Kazakhstan's National Certification Authority.
eds-refused-wrong-purpose = this key is not meant for this: applications are signed with the signing key, sign-in uses the authentication key (AUTH).
eds-refused-expired = the certificate has expired or is not valid yet.
eds-refused-revoked = the certificate is revoked.
eds-refused-iin-mismatch = the certificate belongs to another IIN. Sign with your own EDS key.
eds-refused-bad-signature = the signature did not verify.
eds-refused-unsupported = this signature's algorithm is not supported.
