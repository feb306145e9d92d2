//! The demo cast as a plain-text table for `zeinet seed-demo --list`.

use super::DemoPerson;

const HEADERS: [&str; 6] = ["#", "IIN", "Name", "Phone", "E-mail", "Purpose"];

/// One row per person: number, IIN, full name, phone (E.164), e-mail and purpose; `—` where a
/// person has no contact. Columns are padded by characters, so Cyrillic lines up too.
pub fn format_table(people: &[DemoPerson]) -> String {
    let rows: Vec<[String; 6]> = people
        .iter()
        .map(|p| {
            [
                p.number.to_string(),
                p.iin.as_str().to_owned(),
                p.full_name(),
                p.phone
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |ph| ph.e164().to_owned()),
                p.email
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |e| e.as_str().to_owned()),
                p.purpose.to_owned(),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    push_line(&mut out, &HEADERS.map(str::to_owned), &widths);
    push_line(&mut out, &widths.map(|w| "-".repeat(w)), &widths);
    for row in &rows {
        push_line(&mut out, row, &widths);
    }
    out
}

fn push_line(out: &mut String, cells: &[String; 6], widths: &[usize; 6]) {
    let last = cells.len() - 1;
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        out.push_str(cell);
        if i < last {
            let pad = width.saturating_sub(cell.chars().count()) + 2;
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.push('\n');
}
