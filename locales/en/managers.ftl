# Applications that move savings: choosing or changing the investment portfolio manager,
# returning savings to the National Bank, cancelling a manager application, voluntary contributions.

transfers-kind-manager-choice = Choose or change the portfolio manager
transfers-kind-return = Return savings to the National Bank
transfers-kind-cancel = Cancel a manager application
transfers-kind-contribution = Pay voluntary pension contributions

transfers-button-abandon = ✕ Cancel
transfers-button-confirm = ✅ Confirm
transfers-abandoned = The application was not filed.
transfers-confirm-prompt = If everything is right, press "Confirm": the application gets a number, and then it has to be signed with your EDS.

transfers-savings-mandatory = Mandatory and occupational
transfers-savings-voluntary = Voluntary
transfers-choice-savings-prompt =
    Which savings should go to a private investment portfolio manager?
    • mandatory and occupational — at most 50%, the rest stays in the National Bank's trust management;
    • voluntary — up to 100%.
transfers-choice-manager-prompt = Choose the investment portfolio manager for these savings: { $savings }.
transfers-manager-button = { $name }
transfers-choice-share-prompt = What share of the savings ({ $savings }) should go to { $manager }? Type a whole percentage from 1 to { $max } or choose below.
transfers-share-button = { $percent }%
transfers-share-not-a-number = Type the share as a whole percentage from 1 to { $max }, e.g. 30.
transfers-share-not-whole = The share is a whole percentage, without fractions, e.g. 30.
transfers-share-zero = The share is at least 1% (and at most { $max }%).
transfers-share-over-mandatory = At most { $max }% of mandatory and occupational savings may go to a private manager; the rest stays with the National Bank. Type a share from 1 to { $max }.
transfers-share-over-voluntary = The share cannot be more than { $max }%.
transfers-choice-summary =
    Check the application to choose an investment portfolio manager:
    Depositor: { $name }, IIN { $iin }
    Savings: { $savings }
    Manager: { $manager }
    Share: { $share }%
transfers-choice-rest-mandatory = The other { $rest }% of mandatory and occupational savings stay in the National Bank's trust management.
transfers-choice-rest-voluntary = { $rest ->
    [0] All voluntary savings go to the chosen manager.
   *[other] The other { $rest }% of voluntary savings stay with the current manager.
}
transfers-manager-terms = The fund transfers the savings within 30 days of accepting the application. A new application to change the manager may be filed no sooner than a year after the transfer; until the application is executed it can be cancelled.

transfers-refused-within-year = Less than a year has passed since the last transfer of your savings between managers ({ $last }). A new application can be filed from { $allowed }.
transfers-refused-pending = You already have a transfer application { $number } (status: { $status }). Wait until it is executed, or cancel it.
transfers-refused-no-savings = You have no mandatory or occupational savings that could go to a manager.
transfers-refused-no-managers = There is no other manager these savings could go to right now.
transfers-return-nothing = All your savings are already in the National Bank's trust management — there is nothing to return.
transfers-return-summary =
    Check the application to return savings to the National Bank's trust management:
    Depositor: { $name }, IIN { $iin }
    All these savings return to the National Bank:
    { $items }
transfers-return-item = • { $account } — now with { $manager }

transfers-cancel-nothing = Nothing to cancel: you have no manager applications that are accepted or under review and not yet executed.
transfers-cancel-already = A cancellation of application { $number } has already been filed; there is nothing else to cancel.
transfers-cancel-prompt =
    Applications that can still be cancelled:
    { $items }

    Choose the application to cancel.
transfers-cancel-item = • { $number } — { $kind }, { $date }: { $status }
transfers-cancel-button = Cancel { $number }
transfers-cancel-summary =
    Check the cancellation:
    Depositor: { $name }, IIN { $iin }
    Application to cancel:
    { $target }
    Once the fund accepts the cancellation, that application is cancelled.
transfers-cancel-no-longer = Application { $number } can no longer be cancelled: its status has changed.

transfers-contribution-no-account = You have no voluntary pension contributions account. To open one, sign a voluntary contributions agreement at any ENPF office.
transfers-contribution-amount-prompt = How much would you like to pay into your voluntary account? Type the amount in tenge, e.g. 15000 (from { $min } to { $max }).
transfers-amount-not-a-number = Type the amount in tenge as a number, e.g. 15000 or 15000.50.
transfers-amount-decimals = At most two digits (tiyn) after the decimal separator.
transfers-amount-grouping = Thousands are grouped by three digits, e.g. 1 500 000.
transfers-amount-too-large = The amount is too large.
transfers-amount-below-min = The smallest contribution through the bot is { $min }.
transfers-amount-above-max = The largest single contribution through the bot is { $max }. A larger amount can be paid in several payments.
transfers-contribution-summary =
    Check the voluntary contribution application:
    Depositor: { $name }, IIN { $iin }
    Amount: { $amount }
    Into your own voluntary account at { $recipient }
transfers-contribution-details =
    Payment details for voluntary pension contributions:
    Recipient: { $recipient }
    BIN: { $bin }
    Account (IIK): { $iban }
    BIC: { $bic }
    Beneficiary code (KBe): { $kbe }
    Payment purpose code (KNP): { $knp }
    Amount: { $amount }
    Payment purpose: { $purpose }
transfers-contribution-verify = ⚠️ Before paying, compare these details with those on enpf.kz.
transfers-contribution-recorded-later = The contribution appears in your voluntary account once the fund has received the payment and recorded it; we will let you know.
transfers-button-pay = 💳 Pay

doc-field-savings = Savings
doc-field-accounts = Accounts
doc-field-manager = Manager code
doc-field-manager-name = Manager
doc-field-share-percent = Share, %
doc-field-target-number = Number of the application cancelled
doc-field-target-kind = Kind of the application cancelled
doc-field-target-created-at = Date of the application cancelled
doc-field-account = Account
doc-field-recipient = Recipient
doc-field-recipient-bin = Recipient's BIN
doc-field-recipient-iban = Recipient's account (IIK)
doc-field-recipient-bic = Recipient bank's BIC
doc-field-kbe = Beneficiary code (KBe)
doc-field-knp = Payment purpose code (KNP)
doc-field-payment-purpose = Payment purpose
