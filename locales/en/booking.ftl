# Queue booking at ENPF branches: branches and hours, booking, rescheduling and cancelling.

menu-booking = Branch visit

booking-home = Book a place in the queue at an ENPF branch. You can book up to { $days } working days ahead, until { $minutes } minutes before the visit.
booking-home-none = You have no active bookings.
booking-home-list =
    Your bookings:
    { $items }
booking-held-line = • { $code }: { $when }, { $service }, { $branch }
booking-held-button = { $code } · { $when }
booking-new = Book a visit

booking-no-branches = The list of branches is empty for now. Please try later.
booking-branch-gone = This branch no longer takes bookings.
booking-cities-prompt = ENPF branches. Choose a city or type its name.
booking-page = Page { $page } of { $pages }.
booking-page-previous = ◀ Previous
booking-page-next = Next ▶
booking-city-unknown = That city is not on the list. Choose a city with a button.
booking-label = { $text }
booking-branches-prompt = { $city }: choose a branch.

booking-card =
    ENPF, { $branch }
    Address: { $address }
    Opening hours:
    { $hours }
    Closed on public holidays.
    Services: { $services }
booking-days-range = { $from }–{ $to }
booking-hours-open = { $days } { $open }–{ $close }
booking-hours-open-lunch = { $days } { $open }–{ $close }, lunch { $from }–{ $to }
booking-hours-closed = { $days } closed
booking-map = 📍 Show on the map
booking-map-shown = The branch is on the map above.
booking-book-here = Book here
booking-sign-in-note = Sign in to the personal cabinet to book a visit.
booking-sign-in = Sign in to book
booking-sign-in-first = Please sign in to the personal cabinet first.

booking-service-prompt =
    { $branch }.
    What is your visit about?
booking-service-button = { $name } · { $minutes } min
booking-pick-header = { $service } — { $branch }.
booking-move-header = Moving booking { $code } ({ $when }).
booking-date-prompt = Choose a day (days with free time are shown) or type a date, e.g. 25.12.
booking-date-none = There is no free time in the next { $days } working days. Choose another branch or look again later.
booking-time-prompt = { $day }: free times. Choose one or type it, e.g. 14:30.
booking-nearest-prompt = The nearest free times:
booking-day = { $weekday } { $date }
booking-day-time = { $weekday } { $date } { $time }
booking-when = { $weekday } { $date }, { $start }–{ $end }

booking-confirm-new =
    Please check your booking:
    Branch: { $branch }, { $address }
    Service: { $service }
    When: { $when }
booking-confirm-move =
    Move booking { $code }?
    Was: { $was }
    Will be: { $when }
    Branch: { $branch }, { $address }
    Service: { $service }
booking-confirm = Confirm
booking-booked =
    You are booked. Booking code: { $code } — give it at the branch.
    When: { $when }
    Where: { $branch }, { $address }
    Service: { $service }
    Bring your ID card. We will remind you the evening before at 18:00 and an hour before the visit.
booking-moved =
    Booking moved. New code: { $code }.
    When: { $when }
    Where: { $branch }, { $address }
    Service: { $service }
    We will remind you the evening before at 18:00 and an hour before the visit.

booking-detail =
    Booking { $code }
    When: { $when }
    Service: { $service }
    Where: { $branch }, { $address }
booking-reschedule = Reschedule
booking-cancel = Cancel booking
booking-cancel-prompt = Cancel booking { $code } for { $when }?
booking-cancel-yes = Yes, cancel
booking-cancel-keep = No, keep it
booking-cancelled = Booking { $code } for { $when } is cancelled; the time is free again.
booking-gone = This booking is no longer valid: its time has passed or it was cancelled.

booking-limit-total = You already have { $max } active bookings, the most allowed. To book another time, cancel one of them or reschedule it.
booking-limit-service = You are already booked for this service: { $code }, { $when }, { $branch }. You can reschedule or cancel that booking: open it in your list of bookings.
booking-date-not-understood = I did not understand the date. Type it like 25.12 or 25.12.2026, or choose a day with a button.
booking-date-invalid = There is no such date in the calendar.
booking-date-past = { $date } has passed.
booking-date-holiday = { $date } is a public holiday: { $holiday }. ENPF branches are closed.
booking-date-day-off = { $date } is a { $weekday }; the branch is closed that day.
booking-date-beyond = Booking is open { $days } working days ahead, up to and including { $last }.
booking-date-full = There is no free time left on { $date }.
booking-time-not-understood = I did not understand the time. Type it like 14:30, or choose it with a button.
booking-time-past = { $time } has passed.
booking-time-closes-soon = Booking for { $time } is closed: you can book until { $minutes } minutes before the visit.
booking-time-lunch = { $from }–{ $to } is the branch's lunch break.
booking-time-outside = The branch receives visitors from { $open } to { $close }; the last visit for this service starts at { $last }.
booking-time-off-grid = Visits for this service start every { $minutes } minutes: choose a time from the list.
booking-time-full = { $time } is taken.
booking-time-closed = Booking for that time is closed. Choose another.
booking-slot-taken = While you were confirming, that time was taken.
booking-slot-taken-none = While you were confirming, that time was taken, and there is no free time nearby. Choose another day.

booking-weekday-mon = Mon
booking-weekday-tue = Tue
booking-weekday-wed = Wed
booking-weekday-thu = Thu
booking-weekday-fri = Fri
booking-weekday-sat = Sat
booking-weekday-sun = Sun
booking-weekday-full-mon = Monday
booking-weekday-full-tue = Tuesday
booking-weekday-full-wed = Wednesday
booking-weekday-full-thu = Thursday
booking-weekday-full-fri = Friday
booking-weekday-full-sat = Saturday
booking-weekday-full-sun = Sunday

booking-reminder-day-before = Reminder: tomorrow, { $date } at { $time }, you are booked at the { $branch } branch ({ $address }) — { $service }. Booking code: { $code }.
booking-reminder-hour-before = Reminder: in an hour, at { $time }, your visit at the { $branch } branch ({ $address }) — { $service }. Booking code: { $code }.
