//! The hand-written cast of the demo registry: who they are and what each is for.
//!
//! Names are Cyrillic as the fund's registry holds them (Kazakh and Russian); numbers that do
//! not matter to a scenario (IIN serials, phone digits, salaries) come from the seeded PRNG.
//! E-mail addresses use the reserved `example.*` domains so nothing can reach a real mailbox.

use crate::domain::Sex;

/// Whether a person has a contact, and whose: `SameAs(n)` copies person `n`'s (1-based), which
/// is how the memo's duplicate-contact cases are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contact {
    No,
    Own,
    SameAs(usize),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub last: &'static str,
    pub first: &'static str,
    pub patronymic: Option<&'static str>,
    pub sex: Sex,
    pub born: (i32, u32, u32),
    pub phone: Contact,
    pub email: Contact,
    /// The part before `@` when `email` is `Own`.
    pub email_user: &'static str,
    /// Group and whether it is established indefinitely.
    pub disability: Option<(u8, bool)>,
    pub voluntary: bool,
    pub occupational: bool,
    /// Years of contributions; drawn from the PRNG when `None`.
    pub years: Option<i32>,
    /// Last month with a salary (year, month); still working when `None`.
    pub career_ends: Option<(i32, u32)>,
    /// First month of disability payouts from ОПВ.
    pub payouts_from: Option<(i32, u32)>,
    pub purpose: &'static str,
    /// Seeds this person's numbers (IIN serial, phone, salaries) instead of the position in
    /// the list, so the person stays the same when others are added before them.
    pub stable_seed: Option<u64>,
}

const BASE: Spec = Spec {
    last: "",
    first: "",
    patronymic: None,
    sex: Sex::Male,
    born: (1980, 1, 1),
    phone: Contact::Own,
    email: Contact::No,
    email_user: "",
    disability: None,
    voluntary: false,
    occupational: false,
    years: None,
    career_ends: None,
    payouts_from: None,
    purpose: "",
    stable_seed: None,
};

const F: Sex = Sex::Female;

pub(crate) static ROSTER: &[Spec] = &[
    // 1
    Spec {
        last: "Сейтқали",
        first: "Айгерім",
        patronymic: Some("Нұрланқызы"),
        sex: F,
        born: (1990, 3, 14),
        purpose: "phone only — registration and sign-in by SMS",
        ..BASE
    },
    // 2
    Spec {
        last: "Иванов",
        first: "Сергей",
        patronymic: Some("Петрович"),
        born: (1968, 11, 2),
        email: Contact::Own,
        email_user: "s.ivanov",
        purpose: "phone and e-mail — choose where the code goes",
        ..BASE
    },
    // 3
    Spec {
        last: "Жұмабаев",
        first: "Ерлан",
        patronymic: Some("Серікұлы"),
        born: (1985, 6, 21),
        phone: Contact::No,
        email: Contact::Own,
        email_user: "erlan.zh",
        purpose: "e-mail only — the code goes by e-mail",
        ..BASE
    },
    // 4
    Spec {
        last: "Петрова",
        first: "Анна",
        patronymic: Some("Викторовна"),
        sex: F,
        born: (1979, 9, 30),
        phone: Contact::No,
        purpose: "no contacts — registration refused, visit an office",
        ..BASE
    },
    // 5
    Spec {
        last: "Нұрланов",
        first: "Әлихан",
        patronymic: Some("Бауыржанұлы"),
        born: (1973, 4, 5),
        voluntary: true,
        purpose: "over 50 with ДПВ — voluntary payout",
        ..BASE
    },
    // 6
    Spec {
        last: "Ахметова",
        first: "Гүлнар",
        patronymic: Some("Маратқызы"),
        sex: F,
        born: (1962, 12, 11),
        disability: Some((2, true)),
        purpose: "disability group 2 indefinite — payout from ОПВ",
        ..BASE
    },
    // 7
    Spec {
        last: "Смағұлов",
        first: "Дәурен",
        patronymic: Some("Асқарұлы"),
        born: (1988, 1, 17),
        purpose: "duplicate phone with #8 — registration refused",
        ..BASE
    },
    // 8
    Spec {
        last: "Смағұлова",
        first: "Мадина",
        patronymic: Some("Ерланқызы"),
        sex: F,
        born: (1991, 7, 8),
        phone: Contact::SameAs(7),
        purpose: "duplicate phone with #7 — registration refused",
        ..BASE
    },
    // 9
    Spec {
        last: "Кузнецова",
        first: "Ольга",
        patronymic: Some("Николаевна"),
        sex: F,
        born: (1983, 2, 25),
        phone: Contact::No,
        email: Contact::Own,
        email_user: "olga.k",
        purpose: "duplicate e-mail with #10 — registration refused",
        ..BASE
    },
    // 10
    Spec {
        last: "Кузнецов",
        first: "Дмитрий",
        patronymic: Some("Александрович"),
        born: (1981, 10, 3),
        phone: Contact::No,
        email: Contact::SameAs(9),
        purpose: "duplicate e-mail with #9 — registration refused",
        ..BASE
    },
    // 11
    Spec {
        last: "Оспанов",
        first: "Бақытжан",
        patronymic: Some("Қайратұлы"),
        born: (1966, 8, 19),
        occupational: true,
        purpose: "ОППВ — certificate on occupational savings",
        ..BASE
    },
    // 12
    Spec {
        last: "Төлеуова",
        first: "Сәуле",
        patronymic: Some("Жанатқызы"),
        sex: F,
        born: (1957, 3, 9),
        career_ends: Some((2018, 12)),
        purpose: "retired, contributions stopped in 2018 — statements",
        ..BASE
    },
    // 13
    Spec {
        last: "Сидоров",
        first: "Алексей",
        patronymic: Some("Игоревич"),
        born: (1971, 5, 27),
        email: Contact::Own,
        email_user: "a.sidorov",
        disability: Some((1, true)),
        career_ends: Some((2021, 3)),
        payouts_from: Some((2021, 5)),
        purpose: "disability group 1 indefinite — payouts already running",
        ..BASE
    },
    // 14
    Spec {
        last: "Бекова",
        first: "Айжан",
        patronymic: Some("Ғаниқызы"),
        sex: F,
        born: (2005, 2, 20),
        years: Some(3),
        purpose: "age 21 — three years of contributions",
        ..BASE
    },
    // 15
    Spec {
        last: "Морозов",
        first: "Виктор",
        patronymic: Some("Андреевич"),
        born: (1975, 1, 15),
        purpose: "born 1975 — has an ОПВР account",
        ..BASE
    },
    // 16
    Spec {
        last: "Ержанова",
        first: "Динара",
        patronymic: Some("Тимурқызы"),
        sex: F,
        born: (1974, 12, 28),
        purpose: "born 1974 — no ОПВР account",
        ..BASE
    },
    // 17
    Spec {
        last: "Қасымов",
        first: "Нұржан",
        patronymic: Some("Болатұлы"),
        born: (1970, 3, 3),
        email: Contact::Own,
        email_user: "nurzhan.k",
        disability: Some((3, true)),
        voluntary: true,
        purpose: "disability group 3 — no ОПВ payout; ДПВ payout as over 50",
        ..BASE
    },
    // 18
    Spec {
        last: "Абдрахманова",
        first: "Жанар",
        patronymic: Some("Сапарқызы"),
        sex: F,
        born: (1987, 11, 12),
        disability: Some((2, false)),
        purpose: "disability group 2 for a term — ОПВ payout refused",
        ..BASE
    },
    // 19
    Spec {
        last: "Волкова",
        first: "Елена",
        patronymic: Some("Сергеевна"),
        sex: F,
        born: (1995, 4, 18),
        email: Contact::Own,
        email_user: "elena.volkova",
        voluntary: true,
        purpose: "under 50 with ДПВ — voluntary payout refused",
        ..BASE
    },
    // 20
    Spec {
        last: "Тоқтаров",
        first: "Ғалым",
        patronymic: Some("Есенұлы"),
        born: (1963, 7, 22),
        voluntary: true,
        purpose: "near retirement — pension forecast",
        ..BASE
    },
    // 21
    Spec {
        last: "Ким",
        first: "Виктория",
        patronymic: Some("Олеговна"),
        sex: F,
        born: (1993, 8, 9),
        purpose: "phone only — choosing a portfolio manager",
        ..BASE
    },
    // 22
    Spec {
        last: "Байжанов",
        first: "Асан",
        patronymic: Some("Маратұлы"),
        born: (2000, 12, 1),
        purpose: "young — ОПВР since 2024",
        ..BASE
    },
    // 23
    Spec {
        last: "Михайлов",
        first: "Павел",
        patronymic: Some("Юрьевич"),
        born: (1977, 6, 6),
        phone: Contact::No,
        email: Contact::Own,
        email_user: "p.mikhailov",
        purpose: "e-mail only — account statement by e-mail",
        ..BASE
    },
    // 24
    Spec {
        last: "Құрманғазы",
        first: "Ләззат",
        patronymic: Some("Әбілқызы"),
        sex: F,
        born: (1984, 1, 29),
        email: Contact::Own,
        email_user: "lazzat.k",
        purpose: "phone and e-mail — booking a branch visit",
        ..BASE
    },
    // 25
    Spec {
        last: "Әбдіқадыров",
        first: "Бағлан",
        patronymic: Some("Нұрғалиұлы"),
        born: (1979, 10, 14),
        occupational: true,
        voluntary: true,
        purpose: "all four accounts: ОПВ, ОППВ, ОПВР, ДПВ",
        ..BASE
    },
    // 26
    Spec {
        last: "Николаева",
        first: "Татьяна",
        patronymic: Some("Владимировна"),
        sex: F,
        born: (1964, 2, 2),
        voluntary: true,
        purpose: "over 60 with ДПВ — voluntary payout",
        ..BASE
    },
    // 27
    Spec {
        last: "Сәрсенбаев",
        first: "Мейрамбек",
        patronymic: Some("Қуанышұлы"),
        born: (1992, 9, 23),
        phone: Contact::No,
        purpose: "no contacts — EDS sign-in only",
        ..BASE
    },
    // 28
    Spec {
        last: "Ғабдуллина",
        first: "Әсел",
        patronymic: Some("Ринатқызы"),
        sex: F,
        born: (1998, 5, 16),
        purpose: "phone only — changing bank details",
        ..BASE
    },
    // 29
    Spec {
        last: "Жақсылықов",
        first: "Тимур",
        patronymic: Some("Жандосұлы"),
        born: (1982, 12, 19),
        email: Contact::Own,
        email_user: "timur.zh",
        voluntary: true,
        purpose: "ДПВ — transfer of voluntary savings",
        ..BASE
    },
    // 30
    Spec {
        last: "Попов",
        first: "Андрей",
        patronymic: Some("Михайлович"),
        born: (1972, 8, 30),
        years: Some(25),
        purpose: "25 years of contributions — a long statement",
        ..BASE
    },
    // 31
    Spec {
        last: "Исмаилова",
        first: "Зарина",
        patronymic: Some("Рустамовна"),
        sex: F,
        born: (1989, 3, 7),
        purpose: "phone only — tracking an application's status",
        ..BASE
    },
    // 32
    Spec {
        last: "Ли",
        first: "Дина",
        patronymic: None,
        sex: F,
        born: (1996, 10, 10),
        purpose: "no patronymic",
        ..BASE
    },
    // 33
    Spec {
        last: "Оразбекова",
        first: "Ақмарал",
        patronymic: Some("Серікқызы"),
        sex: F,
        born: (1969, 6, 11),
        phone: Contact::No,
        email: Contact::Own,
        email_user: "akmaral.o",
        disability: Some((1, true)),
        purpose: "disability group 1 indefinite, e-mail only — payout application",
        ..BASE
    },
    // 34
    Spec {
        last: "Шевченко",
        first: "Игорь",
        patronymic: Some("Васильевич"),
        born: (1961, 11, 25),
        email: Contact::Own,
        email_user: "igor.shevchenko",
        disability: Some((2, true)),
        occupational: true,
        purpose: "disability group 2 indefinite with ОППВ — payout from ОПВ and ОППВ",
        ..BASE
    },
    // 35
    Spec {
        last: "Тұрсынбаев",
        first: "Қайрат",
        patronymic: Some("Әлібекұлы"),
        born: (1956, 1, 10),
        voluntary: true,
        career_ends: Some((2019, 1)),
        purpose: "age 70 — the oldest; ДПВ payout",
        ..BASE
    },
    // 36
    Spec {
        last: "Сейітова",
        first: "Балжан",
        patronymic: Some("Дәулетқызы"),
        sex: F,
        born: (1976, 7, 4),
        purpose: "phone only, ОПВР — certificate of accounts",
        ..BASE
    },
    // 37
    Spec {
        last: "Жанұзақова",
        first: "Индира",
        patronymic: Some("Ерболқызы"),
        sex: F,
        born: (1990, 9, 5),
        disability: Some((3, false)),
        voluntary: true,
        purpose: "under 50, disability group 3 for a term, with ДПВ — voluntary payout on disability",
        ..BASE
    },
    // 38
    Spec {
        last: "Дүйсенов",
        first: "Арман",
        patronymic: Some("Қанатұлы"),
        born: (1986, 4, 12),
        email: Contact::Own,
        email_user: "arman.d",
        voluntary: true,
        purpose: "ОПВ and ДПВ with private managers, last transfer over a year ago — change the manager, return to the National Bank",
        stable_seed: Some(super::transfers::OLD_TRANSFER),
        ..BASE
    },
    // 39
    Spec {
        last: "Соколова",
        first: "Ирина",
        patronymic: Some("Павловна"),
        sex: F,
        born: (1990, 9, 5),
        purpose: "manager changed less than a year ago — a new manager application is refused",
        stable_seed: Some(super::transfers::RECENT_TRANSFER),
        ..BASE
    },
    // 40
    Spec {
        last: "Әміржанов",
        first: "Ержан",
        patronymic: Some("Серікұлы"),
        born: (1978, 2, 14),
        voluntary: true,
        purpose: "manager application under review — cancel it; a second one is refused meanwhile",
        stable_seed: Some(super::transfers::PENDING_APPLICATION),
        ..BASE
    },
];

/// Employers who pay mandatory (and voluntary, by payroll) contributions. Invented names.
pub(crate) static EMPLOYERS: &[&str] = &[
    "ТОО «Дала Құрылыс»",
    "ТОО «Алтын Сапа Трейд»",
    "АО «Сарыарқа Логистикс»",
    "ТОО «Ақжол Сервис»",
    "КГП «Городская поликлиника № 12»",
    "ТОО «Нұр Агро»",
    "ТОО «Каспий Техно»",
    "АО «Көкше Энерго»",
    "ТОО «Тараз Тамақ»",
    "ГККП «Ясли-сад „Балапан“»",
    "ТОО «Есіл Digital»",
    "ТОО «Медеу Фарм»",
];

/// Employers of hazardous jobs who pay occupational contributions (ОППВ). Invented names.
pub(crate) static HAZARDOUS_EMPLOYERS: &[&str] = &[
    "АО «Қарағанды Көмір»",
    "ТОО «Жезқазған Мыс Кені»",
    "ТОО «Атырау Бұрғылау»",
];

/// Mobile operator codes of Kazakhstan (domain.md, libphonenumber's Kazakh mobile pattern).
pub(crate) static OPERATOR_CODES: &[&str] = &[
    "700", "701", "702", "705", "706", "707", "708", "747", "760", "761", "762", "763", "764",
    "771", "775", "776", "777", "778", "785",
];

/// Reserved for documentation (RFC 2606): mail to these never reaches anyone.
pub(crate) static EMAIL_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];
