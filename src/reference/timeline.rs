//! Validity ranges of dated reference data, and the check that a list of them forms one
//! timeline: in order, no gaps, no overlaps, open ends only where allowed.

use chrono::NaiveDate;

/// From `valid_from` to `valid_to`, both inclusive; `None` is open (since ever / until
/// further notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl Validity {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// Whether the first range must be open at its start and the last open at its end (`true`),
/// or both must be closed (`false`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ends {
    pub open_start: bool,
    pub open_end: bool,
}

/// Checks that `ranges` form one timeline; the error says what is wrong and where (by
/// position, 1-based).
pub(crate) fn check(ranges: &[Validity], ends: Ends) -> Result<(), String> {
    let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
        return Err("no entries".to_owned());
    };
    if first.valid_from.is_none() != ends.open_start {
        return Err(if ends.open_start {
            "the first entry must have valid_from null (open)".to_owned()
        } else {
            "the first entry needs a valid_from date".to_owned()
        });
    }
    if last.valid_to.is_none() != ends.open_end {
        return Err(if ends.open_end {
            "the last entry must have valid_to null (until further notice)".to_owned()
        } else {
            "the last entry needs a valid_to date".to_owned()
        });
    }
    for (i, range) in ranges.iter().enumerate() {
        if let (Some(from), Some(to)) = (range.valid_from, range.valid_to)
            && from > to
        {
            return Err(format!("entry {}: valid_from is after valid_to", i + 1));
        }
    }
    for (i, pair) in ranges.windows(2).enumerate() {
        let (before, after) = (pair[0], pair[1]);
        let (Some(end), Some(start)) = (before.valid_to, after.valid_from) else {
            return Err(format!(
                "entries {} and {}: only the first entry may be open at its start and only \
                 the last open at its end",
                i + 1,
                i + 2
            ));
        };
        match end.succ_opt() {
            Some(next_day) if next_day == start => {}
            Some(next_day) if next_day < start => {
                return Err(format!("a gap between entries {} and {}", i + 1, i + 2));
            }
            _ => {
                return Err(format!(
                    "entries {} and {} overlap or are out of order",
                    i + 1,
                    i + 2
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn v(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Validity {
        Validity {
            valid_from: from,
            valid_to: to,
        }
    }

    const CLOSED: Ends = Ends {
        open_start: false,
        open_end: false,
    };
    const OPEN: Ends = Ends {
        open_start: true,
        open_end: true,
    };

    #[test]
    fn contiguous_ranges_pass() {
        let years = [
            v(d(2025, 1, 1), d(2025, 12, 31)),
            v(d(2026, 1, 1), d(2026, 12, 31)),
        ];
        assert_eq!(check(&years, CLOSED), Ok(()));
        let open = [v(None, d(2027, 12, 31)), v(d(2028, 1, 1), None)];
        assert_eq!(check(&open, OPEN), Ok(()));
        assert_eq!(check(&[v(None, None)], OPEN), Ok(()));
    }

    #[test]
    fn gaps_overlaps_and_bad_ends_fail() {
        let gap = [
            v(d(2025, 1, 1), d(2025, 12, 30)),
            v(d(2026, 1, 1), d(2026, 12, 31)),
        ];
        assert!(check(&gap, CLOSED).is_err_and(|e| e.contains("gap")));
        let overlap = [
            v(d(2025, 1, 1), d(2026, 1, 1)),
            v(d(2026, 1, 1), d(2026, 12, 31)),
        ];
        assert!(check(&overlap, CLOSED).is_err_and(|e| e.contains("overlap")));
        let reversed = [
            v(d(2026, 1, 1), d(2026, 12, 31)),
            v(d(2025, 1, 1), d(2025, 12, 31)),
        ];
        assert!(check(&reversed, CLOSED).is_err());
        let backwards = [v(d(2026, 1, 1), d(2025, 1, 1))];
        assert!(check(&backwards, CLOSED).is_err_and(|e| e.contains("after")));
        assert!(check(&[v(None, d(2025, 1, 1))], CLOSED).is_err());
        assert!(check(&[v(d(2025, 1, 1), None)], CLOSED).is_err());
        assert!(check(&[v(d(2025, 1, 1), None)], OPEN).is_err());
        let open_middle = [v(None, None), v(d(2028, 1, 1), None)];
        assert!(check(&open_middle, OPEN).is_err());
        assert!(check(&[], OPEN).is_err());
    }

    #[test]
    fn contains_is_inclusive() {
        let range = v(d(2026, 1, 1), d(2026, 12, 31));
        for (date, inside) in [
            (d(2025, 12, 31), false),
            (d(2026, 1, 1), true),
            (d(2026, 12, 31), true),
            (d(2027, 1, 1), false),
        ] {
            assert_eq!(date.map(|x| range.contains(x)), Some(inside));
        }
        assert!(v(None, None).contains(NaiveDate::MIN));
    }
}
