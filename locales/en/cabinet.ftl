# Application statuses, the pension calculator, typed dates and amounts.

menu-applications = My applications

date-format = Please type the date as DD.MM.YYYY, for example 25.12.2025.
date-no-such-day = There is no such day in the calendar.
amount-not-a-number = Please type the amount in tenge as a number, for example 350 000.
amount-negative = The amount cannot be negative.
amount-decimals = At most two digits after the decimal separator (tiyn).
amount-too-large = The amount is too large: at most { $max }.

applications-empty = You have no applications yet.
applications-list =
    Applications: { $total } (page { $page } of { $pages })
    { $items }
applications-item = • { $number } — { $kind }, { $date }: { $status }
applications-prompt = Choose an application, or type its number, to see the details.
applications-open = { $number }
applications-not-a-number = That does not look like an application number (e.g. Z-2026-000123).
applications-not-found = You have no application with this number.
application-detail =
    Application { $number }
    { $kind }
    Filed: { $date }
    Current status: { $status }
    History:
    { $history }
application-history-item = • { $date } — { $status }
application-history-item-note = • { $date } — { $status }: { $note }
application-detail-prompt = Press Back to return to the list.
button-previous-page = ‹ Previous
button-next-page = Next ›

application-kind-disability-payout = Disability payout from mandatory/occupational savings
application-kind-voluntary-payout-age = Voluntary savings payout at 50
application-kind-voluntary-payout-disability = Voluntary savings payout on disability
application-kind-bank-details-change = Change of bank details
application-kind-manager-choice = Choice of investment portfolio manager
application-kind-return-to-national-bank = Return of savings to the National Bank
application-kind-manager-cancellation = Cancellation of a transfer to a portfolio manager
application-kind-voluntary-transfer = Transfer of voluntary savings
application-status-draft = Draft
application-status-awaiting-signature = Awaiting signature
application-status-signed = Signed
application-status-accepted = Accepted
application-status-under-review = Under review
application-status-executed = Executed
application-status-refused = Refused
application-status-returned = Returned for correction
application-status-cancelled = Cancelled
application-note-cancelled-by-depositor = cancelled at the depositor's request
application-note-signing-expired = the signing period expired
application-note-disability-not-indefinite = disability of group 1 or 2 is not established indefinitely
application-note-under-age-for-voluntary-payout = voluntary payouts by age start at 50
application-note-manager-change-too-soon = less than a year since the last transfer
application-note-bank-details-mismatch = the bank details do not match the recipient
application-note-documents-incomplete = the documents are incomplete

forecast-intro = Pension forecast. Please answer a few questions.
forecast-intro-signed-in = Pension forecast. Your sex, birth date and savings are taken from the cabinet.
forecast-ask-sex = Please choose your sex (the retirement age depends on it).
forecast-sex-male = Male
forecast-sex-female = Female
forecast-ask-birth-date = Please type your birth date as DD.MM.YYYY.
forecast-birth-in-future = The birth date cannot be in the future.
forecast-too-young = The forecast starts at age 14.
forecast-ask-age = At what age do you plan to retire? Type the age or choose the legal age.
forecast-legal-age = By law: { $years } years{ $months ->
        [0] {""}
       *[other] { $months } months
    }
forecast-age-invalid = Please type the age as a whole number from { $min } to { $max }.
forecast-ask-balance = How much are your mandatory pension savings now (in tenge)? If you do not know, type 0.
forecast-own-balance = My savings: { $amount }
forecast-ask-salary = What is your gross monthly salary (before taxes, in tenge)?
forecast-ask-voluntary = What percentage of your salary goes to voluntary pension contributions? Type a percentage or choose.
forecast-voluntary-none = None
forecast-voluntary-percent = { $percent } %
forecast-voluntary-not-a-number = Please type the percentage as a number, for example 5 or 2.5.
forecast-voluntary-out-of-range = The percentage must be above 0 and at most 100 (0 for no voluntary contributions).
forecast-voluntary-decimals = At most two digits after the decimal separator.
forecast-cannot-compute = A forecast cannot be computed from these figures. Please check them and try again.
forecast-result =
    Retirement: { $date } (age { $years }{ $months ->
        [0] {""}
       *[other] {" "}and { $months } months
    }).
    { $scenarios }
    The minimum monthly payout from ENPF today is { $floor }.
forecast-scenario = • { $name } (return { $return }%, salary growth { $growth }%, inflation { $inflation }%): savings at retirement { $savings } ({ $today } in today's money); first-year payout { $payout } a month{ $floor ->
        [yes] {" "}(the minimum)
       *[no] {""}
    }; { $outlasts ->
        [yes] the savings last more than 50 years
       *[no] the savings last { $years } years { $months } months
    }
forecast-disclaimer = This is an estimate, not a guarantee: the actual return, salary and inflation may differ. The state basic pension is not included; it is paid separately.
forecast-scenario-pessimistic = Pessimistic
forecast-scenario-base = Base
forecast-scenario-optimistic = Optimistic

menu-statement = Account statement
menu-certificates = Certificates
statement-no-accounts = You have no pension accounts yet, so there is no statement to make.
statement-ask-accounts = Which account should the statement cover?
statement-all-accounts = All accounts
statement-one-account = Only { $kind }
statement-ask-period = For which period?
statement-this-year = This year
statement-last-year = Last year
statement-last-12-months = Last 12 months
statement-whole-history = The whole history
statement-type-dates = Type the dates
statement-ask-from = Type the first day of the period as DD.MM.YYYY.
statement-ask-to = Type the last day of the period as DD.MM.YYYY (the period starts { $from }).
statement-date-future = The date cannot be in the future.
statement-date-before-opening = The account was opened on { $opened }: an earlier date cannot be chosen.
statement-date-before-from = The last day cannot be before the first ({ $from }).
certificates-ask = Which certificate do you need?
certificate-accounts = Certificate of the existence of accounts
certificate-oppv = Certificate on occupational contributions (OPPV)
certificate-no-oppv = You have no account of mandatory occupational pension contributions (OPPV).
verify-ask = Type the document number (e.g. ZS-…) and we will check that the ENPF bot issued it.
cmd-verify = Check a document
