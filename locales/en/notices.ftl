# Notices: technical work, application status changes, new contributions;
# /maintenance and the broadcast audience "by city" (staff).

maintenance-notice =
    Services are temporarily unavailable because of technical work.
    Expected end: { $until } (Astana time). Please try again later.
maintenance-signin =
    Signing in to the cabinet is paused because of technical work: the fund's information system is unavailable, so passwords cannot be checked and savings cannot be shown.
    Expected end: { $until } (Astana time). Please sign in after that.

notice-status-changed =
    The status of application No. { $number } has changed.
    Kind: { $kind }
    New status: { $status }
notice-status-note = Reason: { $note }
notice-contribution =
    A contribution arrived on your { $account } account: { $amount }.
    Date: { $date }, period: { $period }.
notice-contribution-with-payer =
    { $contribution }
    Payer: { $payer }

notice-document-issued =
    A document was issued for your accounts in another chat: { $kind } No. { $number }, { $time }.
    If it was not you, end the other sessions: /sessions
notice-document-statement = Account statement
notice-document-accounts-certificate = Certificate of the existence of accounts
notice-document-oppv-certificate = Certificate on occupational contributions (OPPV)

staff-maintenance-status =
    { $status }
    { $usage }
staff-maintenance-none = No technical work window is set.
staff-maintenance-current = Technical work is on: from { $from } to { $until }.
staff-maintenance-upcoming = Technical work is planned: from { $from } to { $until }.
staff-maintenance-over = The last technical work window ended: { $until }.
staff-maintenance-usage = To set: /maintenance 25.11.2026 06:00 (the end, Astana time; it starts now) or /maintenance 25.11.2026 02:00 25.11.2026 06:00. To end: /maintenance off
staff-maintenance-set = Technical work window set: { $from } — { $until }. Until then the bot answers service requests with the notice.
staff-maintenance-cleared = The technical work window was removed: every service works again.
staff-maintenance-bad =
    Could not read the time: write it like 25.11.2026 06:00; the end must be later than the start and than now.
    { $usage }

staff-audience-by-city = By city of branch bookings
staff-audience-city-prompt = Choose a city: the broadcast goes to chats booked for a visit at a branch of that city (bookings of the last { $months } months and upcoming ones).
staff-audience-city = City: { $city }
staff-audience-no-cities = There are no cities with branches yet.
