# New applications: payouts on disability and from voluntary savings, bank details (filing/).

menu-new-application = New application
filing-kinds-prompt = Which application would you like to file? You sign it with your EDS, and we report its status in this chat.
filing-item-disability-payout = Payout on disability (OPV/OPPV)
filing-item-voluntary-payout = Payout from voluntary savings (DPV)
filing-item-bank-details = Change of bank details
filing-button-cancel = ✖ Cancel application
filing-button-confirm = ✅ Confirm
filing-cancelled = The application was cancelled; nothing was saved.

filing-sources-prompt = You have savings from both OPV and OPPV. Which savings should the payout come from?
filing-sources-both = OPV and OPPV
filing-sources-opv = OPV only
filing-sources-oppv = OPPV only
filing-sources-value-both = OPV and OPPV
filing-sources-value-opv = OPV
filing-sources-value-oppv = OPPV
filing-basis-prompt = You may claim the voluntary savings payout both by age and on disability. On which ground do you file?
filing-basis-age = Having reached 50
filing-basis-disability = On disability

filing-disability-intro = Application for a pension payout on disability. The fund's records show a disability of group { $group } established indefinitely, so the payout can be claimed.
filing-voluntary-intro = Application for a payout from voluntary pension contributions (DPV).
filing-bank-details-intro = Application to change bank details: the fund will pay your payouts to this account.
filing-bank-prompt-payout = Where should the payout go? Choose your bank, or send the account number (IBAN) right away: 20 characters starting with KZ. The account must be in your own name.
filing-bank-prompt-details = Which bank is your new account with? Choose it, or send the account number (IBAN) right away: 20 characters starting with KZ. The account must be in your own name.
filing-bank-button = { $name }
filing-iban-prompt = Bank: “{ $bank }”. Send the number of your account with this bank (IBAN): 20 characters starting with KZ. You can copy it from your banking app.
filing-iban-prompt-any = Send the account number (IBAN): 20 characters starting with KZ.
filing-iban-bad-characters = An account number has Latin letters and digits only: KZ and 18 more characters. Check that no Cyrillic letters or other symbols slipped in.
filing-iban-not-kazakh = The fund pays only to accounts with banks in Kazakhstan: their numbers start with KZ.
filing-iban-wrong-length = An account number has 20 characters; the one you sent has { $len }. Check for a missing or an extra character.
filing-iban-bad-bank-code = Characters 5 to 7 of an account number are the bank's code, three digits. Please check the number.
filing-iban-check-digits = The account number fails its check digits — probably a typo. Compare it with your banking app or agreement.
filing-iban-unknown-bank = Bank code { $code } (characters 5–7 of the number) matches no bank on our list. Check the number; if your bank is missing from the list, file the application at a fund branch.
filing-iban-other-bank = This is an account with “{ $bank }”, but you chose “{ $chosen }”. Send the number of your account with the bank chosen, or go back and choose another bank.
filing-iban-accepted = Account: { $iban }, bank: “{ $bank }”.
filing-holder-prompt = Type the account holder's full name as the bank has it. Payouts go only to your own account.
filing-holder-not-a-name = That does not look like a name. Type the account holder's full name in letters.
filing-holder-mismatch = The account holder's name does not match your name in the fund's records. Payouts go only to an account in your own name: check the spelling, or go back and give another account. If the fund's records are wrong, please visit a fund branch.

filing-summary =
    Please check the application:
    { $kind }
    { $lines }
filing-confirm-prompt = If everything is right, press “Confirm” — you will then get a link to sign the application with your EDS.
filing-fact-applicant = Applicant: { $name }, IIN { $iin }
filing-fact-disability = Disability: group { $group }, { $indefinite ->
        [yes] indefinitely
       *[no] for a term
    }
filing-fact-voluntary-balance = Voluntary savings (DPV) on { $date }: { $balance }
filing-fact-sources = Paid from: { $sources }
filing-fact-bank = Bank: { $bank } (BIC { $bic })
filing-fact-iban = Account (IBAN): { $iban }
filing-fact-holder = Account holder: { $name }

filing-refused-in-progress = You already have application { $number } “{ $kind }” of { $date }, status: { $status }. Please wait for its result — we will report it in this chat.
filing-refused-no-disability = The fund's records show no disability for you, so a disability payout cannot be claimed. A payout from OPV and OPPV is for a disability of group 1 or 2 established indefinitely. If a disability has been established but the fund's records lack it, visit a fund branch with the disability document, or the social protection office.
filing-refused-group-three = The fund's records show a disability of group 3. A payout from OPV and OPPV is only for group 1 or 2 established indefinitely, so this application cannot be filed. If you have voluntary savings (DPV), you can apply for a payout from them. The disability group is set by the social protection bodies; for other questions, visit a fund branch.
filing-refused-not-indefinite = The fund's records show a disability of group { $group } established for a term. A payout from OPV and OPPV is only for group 1 or 2 established indefinitely. If a re-examination establishes it indefinitely, the application becomes available; ask the social protection office (medical and social expertise). If you have DPV, you can apply for a payout from them.
filing-refused-no-mandatory-savings = There are no savings on your OPV and OPPV accounts to pay out from. An account statement or a fund branch can confirm it.
filing-refused-no-voluntary-savings = You have no voluntary pension savings (DPV), so there is nothing to pay out from them. Payouts from mandatory savings follow other rules — a fund branch will explain them.
filing-refused-under-age = Voluntary savings are paid out from the age of 50 or on disability. You turn 50 on { $date } — from that day you can file the application right here.
filing-refused-ground-gone = The ground of the payout chosen in the application no longer applies according to the fund's records.
filing-refused-on-confirm =
    The fund's records changed while you were filling in the application, and it cannot be filed:
    { $reason }
filing-start-again = Please fill in the application again.
filing-sign-link = Application { $number } “{ $kind }” is created. Sign it with your EDS through the link below: it works for { $minutes } minutes, once.
filing-sign-link-again = Below is a new link to sign application { $number } “{ $kind }”: it works for { $minutes } minutes, once. The earlier link no longer works.
filing-sign-button = Sign with EDS
filing-status-note = Once signed, the application goes to the fund, and we will report its status in this chat. You can also see it under “My applications”.
filing-sign-unavailable = Application { $number } was saved as a draft, but a signing link could not be issued just now. Please try filing again a little later.

filing-unsigned-prompt = Application { $number } “{ $kind }” of { $date } is still waiting for your EDS signature. Get a new link to sign it (the earlier link stops working).
filing-button-new-link = New signing link
filing-unsigned-gone = This application no longer waits for a signature; its status: { $status }.

# Labels of the application document's fields (the signing page shows what is being signed).
doc-field-kind = Application kind
doc-field-iin = IIN
doc-field-full-name = Full name
doc-field-created-at = Filed at
doc-field-iban = Account number (IBAN)
doc-field-bank-bic = Bank BIC
doc-field-account-holder = Account holder
doc-field-amount = Amount (tiyn)
doc-field-currency = Currency
doc-field-disability-group = Disability group
doc-field-disability-indefinite = Disability established indefinitely
doc-field-sources = Paid from
doc-field-basis = Ground of the payout
doc-field-birth-date = Date of birth
doc-field-voluntary-balance = Voluntary savings on the filing date (tiyn)
