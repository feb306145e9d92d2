//! Reference data: the bookable services with their appointment lengths, Kazakhstan's days
//! off, and branch files (the demo branches and whatever `zeinet import branches FILE` reads).
//!
//! All of it is JSON, embedded in the binary where it ships with it, and checked when it is
//! loaded: a mistake in a file is refused with the item and field it is in, never half-used.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::hours::{DayHours, WeekHours, parse_hhmm, weekday};
use crate::domain::Lang;

pub const SERVICES_JSON: &str = include_str!("../../data/booking/services.json");
pub const HOLIDAYS_JSON: &str = include_str!("../../data/booking/holidays.json");
pub const DEMO_BRANCHES_JSON: &str = include_str!("../../data/booking/branches.json");

/// Visits already booked in the demo, on the branch's next working day after seeding:
/// (demo person number, branch code, service code, local start in minutes). The first takes
/// the only window for heirs at ALA1 at 10:00, so the demo and the transcripts have a full slot.
pub const DEMO_VISITS: [(usize, &str, &str, u16); 3] = [
    (36, "ala-1", "heirs", 10 * 60),
    (13, "kar-1", "consultation", 10 * 60),
    (31, "ast-1", "payout_documents", 11 * 60),
];

/// The most service windows a branch may declare for one service.
pub const MAX_WINDOWS: u32 = 50;
/// Longest accepted name or address, in characters.
const MAX_NAME_CHARS: usize = 200;
/// Kazakhstan's territory, generously: coordinates outside are a typo.
const LATITUDE_RANGE: (f64, f64) = (40.0, 56.0);
const LONGITUDE_RANGE: (f64, f64) = (46.0, 88.0);

/// Why a reference file was refused. Reference data holds nothing personal, so the message
/// may quote codes and values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {detail}")]
pub struct ReferenceError {
    pub file: String,
    pub detail: String,
}

fn invalid(file: &str, detail: impl Into<String>) -> ReferenceError {
    ReferenceError {
        file: file.to_string(),
        detail: detail.into(),
    }
}

/// A text in the three languages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    fn check(&self, file: &str, what: &str) -> Result<(), ReferenceError> {
        for (lang, text) in [("kk", &self.kk), ("ru", &self.ru), ("en", &self.en)] {
            if text.trim().is_empty() || text.trim() != text {
                return Err(invalid(
                    file,
                    format!("{what}: the {lang} text is empty or has blanks around it"),
                ));
            }
            if text.chars().count() > MAX_NAME_CHARS {
                return Err(invalid(
                    file,
                    format!("{what}: the {lang} text is longer than {MAX_NAME_CHARS} characters"),
                ));
            }
        }
        Ok(())
    }

    /// Whether `text` names this in any language, ignoring case and the usual separators.
    pub fn matches(&self, text: &str) -> bool {
        let wanted = fold(text);
        !wanted.is_empty()
            && [&self.kk, &self.ru, &self.en]
                .iter()
                .any(|n| fold(n) == wanted)
    }
}

/// Lower case without spaces, hyphens and dots: "усть-каменогорск" = "Усть Каменогорск".
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '‑'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A service a visit can be booked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Stable small number (button actions carry it).
    pub id: u16,
    /// Stable code (bookings and branch files use it), `lower_snake_case`.
    pub code: String,
    /// The length of one appointment.
    pub slot_minutes: u16,
    pub name: Names,
}

/// Days off for public holidays (and the working days they move to).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    days: BTreeMap<NaiveDate, Names>,
}

impl Holidays {
    pub fn new(days: BTreeMap<NaiveDate, Names>) -> Holidays {
        Holidays { days }
    }

    /// The holiday on `date`, if it is one.
    pub fn on(&self, date: NaiveDate) -> Option<&Names> {
        self.days.get(&date)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.days.contains_key(&date)
    }

    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.keys().copied()
    }
}

/// The services and the holidays, as the binary ships them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    services: Vec<Service>,
    holidays: Holidays,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    #[serde(default, rename = "about")]
    _about: String,
    services: Vec<RawService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: u16,
    code: String,
    slot_minutes: u16,
    name: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaysFile {
    #[serde(default, rename = "about")]
    _about: String,
    days_off: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    date: String,
    name: Names,
}

impl Catalogue {
    /// The catalogue embedded in the binary (checked; an error here is a build mistake that
    /// the unit tests catch first).
    pub fn embedded() -> Result<Catalogue, ReferenceError> {
        Catalogue::parse(SERVICES_JSON, HOLIDAYS_JSON)
    }

    pub fn parse(services_json: &str, holidays_json: &str) -> Result<Catalogue, ReferenceError> {
        let services = parse_services(services_json)?;
        let holidays = parse_holidays(holidays_json)?;
        Ok(Catalogue { services, holidays })
    }

    /// A catalogue from values (tests build their own).
    pub fn new(services: Vec<Service>, holidays: Holidays) -> Catalogue {
        Catalogue { services, holidays }
    }

    pub fn services(&self) -> &[Service] {
        &self.services
    }

    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }

    pub fn service_by_id(&self, id: u16) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn holidays(&self) -> &Holidays {
        &self.holidays
    }
}

fn parse_services(json: &str) -> Result<Vec<Service>, ReferenceError> {
    const FILE: &str = "services.json";
    let file: ServicesFile =
        serde_json::from_str(json).map_err(|e| invalid(FILE, e.to_string()))?;
    let mut ids = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut services = Vec::new();
    for raw in file.services {
        let what = format!("service {}", raw.code);
        if !is_code(&raw.code, '_') {
            return Err(invalid(
                FILE,
                format!("{what}: the code must be lower_snake_case"),
            ));
        }
        if !ids.insert(raw.id) || !codes.insert(raw.code.clone()) {
            return Err(invalid(FILE, format!("{what}: id or code used twice")));
        }
        if !(5..=240).contains(&raw.slot_minutes) || raw.slot_minutes % 5 != 0 {
            return Err(invalid(
                FILE,
                format!("{what}: slot_minutes must be a multiple of 5 from 5 to 240"),
            ));
        }
        raw.name.check(FILE, &what)?;
        services.push(Service {
            id: raw.id,
            code: raw.code,
            slot_minutes: raw.slot_minutes,
            name: raw.name,
        });
    }
    if services.is_empty() {
        return Err(invalid(FILE, "no services"));
    }
    Ok(services)
}

fn parse_holidays(json: &str) -> Result<Holidays, ReferenceError> {
    const FILE: &str = "holidays.json";
    let file: HolidaysFile =
        serde_json::from_str(json).map_err(|e| invalid(FILE, e.to_string()))?;
    let mut days = BTreeMap::new();
    for raw in file.days_off {
        let date = NaiveDate::parse_from_str(&raw.date, "%Y-%m-%d")
            .ok()
            .filter(|_| raw.date.len() == 10)
            .ok_or_else(|| invalid(FILE, format!("{}: not a YYYY-MM-DD date", raw.date)))?;
        raw.name.check(FILE, &raw.date)?;
        if days.insert(date, raw.name).is_some() {
            return Err(invalid(FILE, format!("{}: listed twice", raw.date)));
        }
    }
    Ok(Holidays { days })
}

/// `lower-kebab` (branch and city codes) or `lower_snake` (service codes).
fn is_code(code: &str, separator: char) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == separator)
        && !code.starts_with(separator)
        && !code.ends_with(separator)
}

/// A city as a branch file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitySpec {
    pub code: String,
    pub name: Names,
}

/// A branch as a branch file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchSpec {
    pub code: String,
    pub city: String,
    pub name: Names,
    pub address: Names,
    /// Degrees × 1 000 000.
    pub latitude_e6: i64,
    pub longitude_e6: i64,
    pub hours: WeekHours,
    /// Service code and the number of windows serving it, in the catalogue's order.
    pub services: Vec<(String, u32)>,
}

/// A checked branch file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchFile {
    pub cities: Vec<CitySpec>,
    pub branches: Vec<BranchSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranchFile {
    #[serde(default, rename = "about")]
    _about: String,
    cities: Vec<RawCity>,
    branches: Vec<RawBranch>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCity {
    code: String,
    name: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranch {
    code: String,
    city: String,
    name: Names,
    address: Names,
    lat: f64,
    lon: f64,
    hours: BTreeMap<String, RawDay>,
    services: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    open: String,
    close: String,
    #[serde(default)]
    lunch: Option<String>,
}

impl BranchFile {
    /// The demo branches shipped with the binary.
    pub fn demo(catalogue: &Catalogue) -> Result<BranchFile, ReferenceError> {
        BranchFile::parse_named("branches.json", DEMO_BRANCHES_JSON, catalogue)
    }

    /// Reads and checks a branch file; `file` names it in errors.
    pub fn parse_named(
        file: &str,
        json: &str,
        catalogue: &Catalogue,
    ) -> Result<BranchFile, ReferenceError> {
        let raw: RawBranchFile =
            serde_json::from_str(json).map_err(|e| invalid(file, e.to_string()))?;
        let mut cities = Vec::new();
        let mut city_codes = BTreeSet::new();
        for city in raw.cities {
            let what = format!("city {}", city.code);
            if !is_code(&city.code, '-') || !city_codes.insert(city.code.clone()) {
                return Err(invalid(
                    file,
                    format!("{what}: the code must be lower-kebab-case and used once"),
                ));
            }
            city.name.check(file, &what)?;
            cities.push(CitySpec {
                code: city.code,
                name: city.name,
            });
        }
        let mut branch_codes = BTreeSet::new();
        let mut branches = Vec::new();
        for branch in raw.branches {
            let what = format!("branch {}", branch.code);
            if !is_code(&branch.code, '-') || !branch_codes.insert(branch.code.clone()) {
                return Err(invalid(
                    file,
                    format!("{what}: the code must be lower-kebab-case and used once"),
                ));
            }
            if !city_codes.contains(&branch.city) {
                return Err(invalid(
                    file,
                    format!("{what}: unknown city {}", branch.city),
                ));
            }
            branch.name.check(file, &format!("{what} name"))?;
            branch.address.check(file, &format!("{what} address"))?;
            let latitude_e6 = coordinate(branch.lat, LATITUDE_RANGE)
                .ok_or_else(|| invalid(file, format!("{what}: latitude outside Kazakhstan")))?;
            let longitude_e6 = coordinate(branch.lon, LONGITUDE_RANGE)
                .ok_or_else(|| invalid(file, format!("{what}: longitude outside Kazakhstan")))?;
            let hours =
                week_hours(&branch.hours).map_err(|e| invalid(file, format!("{what}: {e}")))?;
            let mut services = Vec::new();
            for (code, windows) in &branch.services {
                if catalogue.service(code).is_none() {
                    return Err(invalid(file, format!("{what}: unknown service {code}")));
                }
                if !(1..=MAX_WINDOWS).contains(windows) {
                    return Err(invalid(
                        file,
                        format!("{what}: service {code} needs 1 to {MAX_WINDOWS} windows"),
                    ));
                }
            }
            for service in catalogue.services() {
                if let Some(windows) = branch.services.get(&service.code) {
                    services.push((service.code.clone(), *windows));
                }
            }
            if services.is_empty() {
                return Err(invalid(file, format!("{what}: offers no service")));
            }
            branches.push(BranchSpec {
                code: branch.code,
                city: branch.city,
                name: branch.name,
                address: branch.address,
                latitude_e6,
                longitude_e6,
                hours,
                services,
            });
        }
        if branches.is_empty() {
            return Err(invalid(file, "no branches"));
        }
        Ok(BranchFile { cities, branches })
    }
}

fn coordinate(degrees: f64, (low, high): (f64, f64)) -> Option<i64> {
    (degrees.is_finite() && (low..=high).contains(&degrees))
        .then(|| (degrees * 1_000_000.0).round() as i64)
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_index(name: &str) -> Option<usize> {
    DAY_NAMES.iter().position(|d| *d == name)
}

/// `{"mon-fri": {...}, "sat": {...}}` into a week; a day may be named once.
fn week_hours(raw: &BTreeMap<String, RawDay>) -> Result<WeekHours, String> {
    let mut week = WeekHours::default();
    let mut seen = [false; 7];
    for (key, day) in raw {
        let (from, to) = match key.split_once('-') {
            Some((a, b)) => (day_index(a), day_index(b)),
            None => (day_index(key), day_index(key)),
        };
        let (Some(from), Some(to)) = (from, to) else {
            return Err(format!(
                "hours: {key} is not a day (mon…sun) or a range (mon-fri)"
            ));
        };
        if from > to {
            return Err(format!("hours: the range {key} runs backwards"));
        }
        let open = parse_hhmm(&day.open).ok_or(format!("hours {key}: bad opening time"))?;
        let close = parse_hhmm(&day.close).ok_or(format!("hours {key}: bad closing time"))?;
        let lunch = match &day.lunch {
            None => None,
            Some(text) => {
                let (a, b) = text
                    .split_once('-')
                    .ok_or(format!("hours {key}: lunch must read HH:MM-HH:MM"))?;
                let a = parse_hhmm(a).ok_or(format!("hours {key}: bad lunch start"))?;
                let b = parse_hhmm(b).ok_or(format!("hours {key}: bad lunch end"))?;
                Some((a, b))
            }
        };
        let hours = DayHours::new(open, close, lunch).map_err(|e| format!("hours {key}: {e}"))?;
        for (index, seen) in seen.iter_mut().enumerate().take(to + 1).skip(from) {
            if *seen {
                return Err(format!("hours: {} is given twice", DAY_NAMES[index]));
            }
            *seen = true;
            week.set(weekday(index), Some(hours));
        }
    }
    if week.is_empty() {
        return Err("hours: the branch never opens".into());
    }
    Ok(week)
}

/// The weekday's code in branch files (`mon`…`sun`).
pub fn day_code(day: Weekday) -> &'static str {
    DAY_NAMES[day.num_days_from_monday() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::embedded().expect("the embedded catalogue is valid")
    }

    #[test]
    fn the_embedded_catalogue_and_demo_branches_are_valid() {
        let catalogue = catalogue();
        assert_eq!(catalogue.services().len(), 6);
        let file = BranchFile::demo(&catalogue).expect("demo branches are valid");
        assert!(file.branches.len() >= 20, "{}", file.branches.len());
        let cities: BTreeSet<&str> = file.branches.iter().map(|b| b.city.as_str()).collect();
        assert!(cities.len() >= 14, "{}", cities.len());
    }

    #[test]
    fn holidays_cover_2025_to_2027_with_their_carried_over_days() {
        let holidays = catalogue().holidays().clone();
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        for year in 2025..=2027 {
            assert!(holidays.contains(date(year, 1, 1)), "{year}");
            assert!(holidays.contains(date(year, 3, 22)), "{year}");
            assert!(holidays.contains(date(year, 12, 16)), "{year}");
        }
        // 8 March 2026 is a Sunday: Monday the 9th is the day off.
        assert!(holidays.contains(date(2026, 3, 9)));
        assert!(!holidays.contains(date(2026, 3, 10)));
        assert!(
            holidays
                .on(date(2026, 3, 9))
                .is_some_and(|n| n.ru.contains("женский"))
        );
    }

    #[test]
    fn branch_files_are_refused_with_the_reason() {
        let catalogue = catalogue();
        let good = r#"{"cities":[{"code":"astana","name":{"kk":"Астана","ru":"Астана","en":"Astana"}}],
          "branches":[{"code":"ast-9","city":"astana",
            "name":{"kk":"А","ru":"А","en":"A"},"address":{"kk":"Б","ru":"Б","en":"B"},
            "lat":51.1,"lon":71.4,
            "hours":{"mon-fri":{"open":"09:00","close":"18:00","lunch":"13:00-14:00"}},
            "services":{"consultation":2}}]}"#;
        let file = BranchFile::parse_named("t.json", good, &catalogue).expect("valid");
        assert_eq!(file.branches[0].latitude_e6, 51_100_000);
        assert_eq!(
            file.branches[0].services,
            vec![("consultation".to_string(), 2)]
        );
        assert!(file.branches[0].hours.on(Weekday::Sat).is_none());

        let cases = [
            (good.replace("\"lat\":51.1", "\"lat\":12.0"), "latitude"),
            (
                good.replace("consultation", "astrology"),
                "unknown service astrology",
            ),
            (
                good.replace("\"consultation\":2", "\"consultation\":0"),
                "windows",
            ),
            (
                good.replace("\"city\":\"astana\"", "\"city\":\"paris\""),
                "unknown city",
            ),
            (good.replace("13:00-14:00", "17:00-19:00"), "lunch"),
            (good.replace("mon-fri", "fri-mon"), "backwards"),
            (good.replace("mon-fri", "weekdays"), "not a day"),
            (good.replace("\"kk\":\"А\"", "\"kk\":\"\""), "empty"),
            (good.replace("ast-9", "Ast 9"), "kebab"),
            (
                good.replace("\"lon\":71.4", "\"lon\":71.4,\"floor\":2"),
                "unknown field",
            ),
        ];
        for (json, reason) in cases {
            let error = BranchFile::parse_named("t.json", &json, &catalogue)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains(reason), "expected {reason:?} in {error:?}");
            assert!(error.starts_with("t.json: "), "{error}");
        }
    }

    #[test]
    fn names_match_typed_text_in_any_language() {
        let names = Names {
            kk: "Өскемен".into(),
            ru: "Усть-Каменогорск".into(),
            en: "Oskemen".into(),
        };
        assert!(names.matches("усть каменогорск"));
        assert!(names.matches("ӨСКЕМЕН"));
        assert!(names.matches(" oskemen "));
        assert!(!names.matches("Усть"));
        assert!(!names.matches(""));
    }
}
