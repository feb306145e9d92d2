# Statements and certificates (PDF), their chat summaries and the /verify answers.

doc-fund-short = ENPF
doc-fund-name = Unified Accumulative Pension Fund (ENPF)
doc-statement-title = Statement of pension accounts
doc-accounts-certificate-title = Certificate of the existence of pension accounts
doc-oppv-certificate-title = Certificate of mandatory occupational pension contributions
doc-number = No. { $number }
doc-generated = Generated { $time } (Kazakhstan time, UTC+5)
doc-verify-hint = To check that this document is genuine, send /verify { $number } to the bot.
doc-page = Page { $page } of { $pages }

doc-depositor = Depositor
doc-iin = IIN
doc-period = Period
doc-period-value = { $from } – { $to }
doc-accounts = Accounts
doc-accounts-all = all
doc-balance-date = Balances as of
doc-amounts-note = Amounts are in tenge (₸). Payouts, transfers and commissions are shown with a minus sign.

doc-account-opv = Mandatory pension contributions (OPV)
doc-account-oppv = Mandatory occupational pension contributions (OPPV)
doc-account-opvr = Employer's mandatory pension contributions (OPVR)
doc-account-dpv = Voluntary pension contributions (DPV)
doc-account-short-opv = OPV
doc-account-short-oppv = OPPV
doc-account-short-opvr = OPVR
doc-account-short-dpv = DPV
doc-account-opened = opened { $date }
doc-continued = { $account } (continued)

doc-op-contribution = Contribution
doc-op-investment-income = Investment income
doc-op-payout = Payout
doc-op-transfer = Transfer
doc-op-fee = Commission

doc-col-date = Date
doc-col-operation = Operation
doc-col-payer = Payer
doc-col-period = For month
doc-col-amount = Amount
doc-col-kind = Kind of operation
doc-col-count = Number
doc-col-account = Account
doc-col-opened = Opened
doc-col-balance = Balance on { $date }
doc-col-month = Month
doc-col-credited = Credited

doc-opening = Opening balance on { $date }
doc-closing = Closing balance at the end of { $date }
doc-totals = Totals for the period
doc-net-change = Change over the period
doc-no-operations = There were no operations on this account during the period.
doc-no-accounts = The depositor has no pension accounts in the fund.

doc-accounts-certificate-intro = The Unified Accumulative Pension Fund confirms that the depositor named above has the following individual pension accounts. Balances are shown as of the end of { $date }.
doc-oppv-certificate-intro = Mandatory occupational pension contributions (OPPV) credited to the depositor's account, by the month they were paid for, as of the end of { $date }.
doc-oppv-opened = Account opened
doc-oppv-total = Total contributions
doc-oppv-months = Months with contributions
doc-oppv-balance = Account balance
doc-oppv-none = No occupational contributions have been credited to the account.

doc-summary-statement =
    Statement { $number } for { $from } – { $to }:
    { $accounts }
doc-summary-account = { $account }: { $opening } → { $closing } (in { $inflow }, out { $outflow })
doc-summary-no-accounts = You have no pension accounts.
doc-summary-accounts-certificate =
    Certificate { $number } of the existence of accounts, balances as of { $date }:
    { $accounts }
doc-summary-balance = { $account }: { $balance } (opened { $opened })
doc-summary-oppv = Certificate { $number } on occupational contributions: { $months } { $months ->
        [one] month
       *[other] months
    } with contributions, { $total } in total.

doc-kind-statement = statement of pension accounts
doc-kind-accounts-certificate = certificate of the existence of pension accounts
doc-kind-oppv-certificate = certificate of occupational pension contributions
doc-verify-found = Document { $number } is genuine: a { $kind } issued on { $issued } (Kazakhstan time) to the depositor with IIN { $iin }.
doc-verify-found-period = Document { $number } is genuine: a { $kind } for { $from } – { $to }, issued on { $issued } (Kazakhstan time) to the depositor with IIN { $iin }.
doc-verify-found-on = Document { $number } is genuine: a { $kind } as of { $date }, issued on { $issued } (Kazakhstan time) to the depositor with IIN { $iin }.
doc-verify-unknown = No document with the number { $number } has been issued. Check the number against the document: it is printed at the top of every page.
doc-verify-malformed = This is not a document number. A number looks like ZS-8K2QW7XD4M9 and is printed at the top of every page.
