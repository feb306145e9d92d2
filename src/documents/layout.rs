//! Page layout: blocks (paragraphs, label–value lines, tables) flowing down A4 pages, and the
//! frame every page gets once the page count is known (the header with the fund and the title,
//! the footer with the document number, the generation time, "page N of M" and how to check
//! the document).
//!
//! Pagination rules: a table row is never cut (a long cell wraps inside its row, up to
//! [`MAX_CELL_LINES`] lines), a table's header row is repeated at the top of every page it
//! continues on, and a table starts on a new page unless its header and first row fit.

use super::fonts::{Fonts, Style};
use super::pdf::{Op, PAGE_HEIGHT, PAGE_WIDTH};

pub const MARGIN_X: f32 = 42.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
/// The body lies between these two heights; the frame draws above and below.
const BODY_TOP: f32 = PAGE_HEIGHT - 80.0;
const BODY_BOTTOM: f32 = 62.0;

/// Body text.
pub const TEXT_SIZE: f32 = 9.5;
pub const HEADING_SIZE: f32 = 11.0;
const LINE_FACTOR: f32 = 1.3;
/// Distance from the top of a line box to its baseline, as a share of the font size (DejaVu's
/// ascent is 0.93 em).
const ASCENT_FACTOR: f32 = 0.95;

const CELL_SIZE: f32 = 8.0;
const CELL_LINE: f32 = 10.0;
const CELL_PAD_X: f32 = 3.0;
const CELL_PAD_Y: f32 = 2.5;
/// A cell longer than this many lines ends with an ellipsis, so one row always fits a page.
pub const MAX_CELL_LINES: usize = 4;

const BLACK: f32 = 0.0;
const DIM: f32 = 0.35;
const RULE: f32 = 0.8;
const HEADER_FILL: f32 = 0.9;
const SHADE_FILL: f32 = 0.95;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// Relative width; the columns are scaled to fill the content width.
    pub width: f32,
    pub align: Align,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<String>,
    /// Set in bold on a shaded background (totals).
    pub emphasis: bool,
}

impl Row {
    pub fn plain(cells: Vec<String>) -> Row {
        Row {
            cells,
            emphasis: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Shown above the repeated header row when the table continues on a new page.
    pub continued: Option<String>,
}

/// What every page shows around the body.
pub struct Frame<'a> {
    /// The fund's name, top left.
    pub fund: String,
    pub title: String,
    /// Top right and in the footer: `№ ZS-…`.
    pub number_line: String,
    /// `Generated 31.12.2025 14:05 (UTC+5)`.
    pub generated: String,
    /// How to check the document in the bot.
    pub verify_hint: String,
    /// `Page N of M` for (N, M).
    pub page_label: &'a dyn Fn(usize, usize) -> String,
}

/// Blocks laid out so far, page by page.
pub struct Flow<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    y: f32,
}

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Fonts) -> Flow<'f> {
        Flow {
            fonts,
            pages: vec![Vec::new()],
            y: BODY_TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn at_page_top(&self) -> bool {
        self.y >= BODY_TOP
    }

    fn room(&self) -> f32 {
        self.y - BODY_BOTTOM
    }

    pub fn break_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
    }

    /// Starts a new page unless `height` more fits on this one (or this one is still empty).
    pub fn keep(&mut self, height: f32) {
        if self.room() < height && !self.at_page_top() {
            self.break_page();
        }
    }

    /// Vertical space; none at the top of a page.
    pub fn gap(&mut self, height: f32) {
        if self.at_page_top() {
            return;
        }
        if self.room() <= height {
            self.break_page();
        } else {
            self.y -= height;
        }
    }

    pub fn line_height(size: f32) -> f32 {
        size * LINE_FACTOR
    }

    fn put_text(&mut self, style: Style, size: f32, x: f32, baseline: f32, gray: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops().push(Op::Text {
            style,
            size,
            x,
            y: baseline,
            gray,
            text: text.to_owned(),
        });
    }

    /// A paragraph wrapped to the content width; its lines may continue on the next page.
    pub fn paragraph(&mut self, text: &str, style: Style, size: f32) {
        let face = self.fonts.face(style);
        let line_height = Flow::line_height(size);
        for line in wrap(face, text, size, CONTENT_WIDTH, usize::MAX) {
            self.keep(line_height);
            let baseline = self.y - size * ASCENT_FACTOR;
            self.put_text(style, size, MARGIN_X, baseline, BLACK, &line);
            self.y -= line_height;
        }
    }

    /// `Label: value`, the label in bold; the value wraps under itself.
    pub fn label_value(&mut self, label: &str, value: &str) {
        let size = TEXT_SIZE;
        let line_height = Flow::line_height(size);
        let label = format!("{label}: ");
        let label_width = self.fonts.bold.width(&label, size);
        let value_width = (CONTENT_WIDTH - label_width).max(CONTENT_WIDTH / 3.0);
        let lines = wrap(&self.fonts.regular, value, size, value_width, usize::MAX);
        self.keep(line_height);
        let baseline = self.y - size * ASCENT_FACTOR;
        self.put_text(Style::Bold, size, MARGIN_X, baseline, BLACK, &label);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.keep(line_height);
            }
            let baseline = self.y - size * ASCENT_FACTOR;
            self.put_text(
                Style::Regular,
                size,
                MARGIN_X + label_width,
                baseline,
                BLACK,
                line,
            );
            self.y -= line_height;
        }
        if lines.is_empty() {
            self.y -= line_height;
        }
    }

    /// A table; rows are never split, and the header row repeats on every page.
    pub fn table(&mut self, table: &Table) {
        let total: f32 = table.columns.iter().map(|c| c.width.max(0.0)).sum();
        let scale = if total > 0.0 {
            CONTENT_WIDTH / total
        } else {
            0.0
        };
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| c.width.max(0.0) * scale)
            .collect();
        let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();
        let header = Row {
            cells: table.columns.iter().map(|c| c.title.clone()).collect(),
            emphasis: true,
        };
        let header = self.prepare_row(&header, &widths, true);
        let rows: Vec<PreparedRow> = table
            .rows
            .iter()
            .map(|row| self.prepare_row(row, &widths, false))
            .collect();

        let first = rows.first().map_or(0.0, |r| r.height);
        self.keep(header.height + first);
        self.draw_row(&header, &widths, &aligns);
        for row in &rows {
            if self.room() < row.height {
                self.break_page();
                if let Some(caption) = &table.continued {
                    let size = CELL_SIZE;
                    let baseline = self.y - size * ASCENT_FACTOR;
                    self.put_text(Style::Regular, size, MARGIN_X, baseline, DIM, caption);
                    self.y -= Flow::line_height(size);
                }
                self.draw_row(&header, &widths, &aligns);
            }
            self.draw_row(row, &widths, &aligns);
        }
    }

    fn prepare_row(&self, row: &Row, widths: &[f32], header: bool) -> PreparedRow {
        let style = if row.emphasis {
            Style::Bold
        } else {
            Style::Regular
        };
        let face = self.fonts.face(style);
        let cells: Vec<Vec<String>> = widths
            .iter()
            .enumerate()
            .map(|(i, width)| {
                let text = row.cells.get(i).map_or("", String::as_str);
                wrap(
                    face,
                    text,
                    CELL_SIZE,
                    (width - 2.0 * CELL_PAD_X).max(1.0),
                    MAX_CELL_LINES,
                )
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        PreparedRow {
            cells,
            style,
            fill: if header {
                Some(HEADER_FILL)
            } else if row.emphasis {
                Some(SHADE_FILL)
            } else {
                None
            },
            height: 2.0 * CELL_PAD_Y + lines as f32 * CELL_LINE,
        }
    }

    fn draw_row(&mut self, row: &PreparedRow, widths: &[f32], aligns: &[Align]) {
        let top = self.y;
        let bottom = top - row.height;
        if let Some(gray) = row.fill {
            self.ops().push(Op::Fill {
                x: MARGIN_X,
                y: bottom,
                width: CONTENT_WIDTH,
                height: row.height,
                gray,
            });
        }
        let face = self.fonts.face(row.style);
        let mut x = MARGIN_X;
        for (i, width) in widths.iter().enumerate() {
            let align = aligns.get(i).copied().unwrap_or(Align::Left);
            for (n, line) in row.cells.get(i).into_iter().flatten().enumerate() {
                let baseline = top - CELL_PAD_Y - CELL_SIZE * ASCENT_FACTOR - n as f32 * CELL_LINE;
                let at = match align {
                    Align::Left => x + CELL_PAD_X,
                    Align::Right => x + width - CELL_PAD_X - face.width(line, CELL_SIZE),
                };
                self.put_text(row.style, CELL_SIZE, at, baseline, BLACK, line);
            }
            x += width;
        }
        self.ops().push(Op::Line {
            from: (MARGIN_X, bottom),
            to: (MARGIN_X + CONTENT_WIDTH, bottom),
            width: 0.4,
            gray: RULE,
        });
        self.y = bottom;
    }

    /// How many pages the flow has so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The pages with the frame drawn on each.
    pub fn finish(self, frame: &Frame<'_>) -> Vec<Vec<Op>> {
        let fonts = self.fonts;
        let total = self.pages.len();
        self.pages
            .into_iter()
            .enumerate()
            .map(|(i, mut ops)| {
                draw_frame(fonts, frame, i + 1, total, &mut ops);
                ops
            })
            .collect()
    }
}

struct PreparedRow {
    cells: Vec<Vec<String>>,
    style: Style,
    fill: Option<f32>,
    height: f32,
}

fn draw_frame(fonts: &Fonts, frame: &Frame<'_>, page: usize, pages: usize, ops: &mut Vec<Op>) {
    let right = MARGIN_X + CONTENT_WIDTH;
    let mut text = |style: Style, size: f32, x: f32, y: f32, gray: f32, text: &str| {
        ops.push(Op::Text {
            style,
            size,
            x,
            y,
            gray,
            text: text.to_owned(),
        });
    };
    let small = 8.0;
    // Header: the fund and the document number on one line, the title under them.
    let top = PAGE_HEIGHT - 36.0;
    text(Style::Regular, small, MARGIN_X, top, DIM, &frame.fund);
    let number_width = fonts.bold.width(&frame.number_line, small);
    text(
        Style::Bold,
        small,
        right - number_width,
        top,
        BLACK,
        &frame.number_line,
    );
    text(Style::Bold, 13.0, MARGIN_X, top - 19.0, BLACK, &frame.title);
    // Footer: generation time and page on one line, the way to check the number under them.
    let label = (frame.page_label)(page, pages);
    let label_width = fonts.regular.width(&label, small);
    let footer = 40.0;
    text(
        Style::Regular,
        small,
        MARGIN_X,
        footer,
        DIM,
        &frame.generated,
    );
    text(
        Style::Regular,
        small,
        right - label_width,
        footer,
        BLACK,
        &label,
    );
    text(
        Style::Regular,
        small,
        MARGIN_X,
        footer - 11.0,
        DIM,
        &frame.verify_hint,
    );
    for y in [PAGE_HEIGHT - 64.0, footer + 12.0] {
        ops.push(Op::Line {
            from: (MARGIN_X, y),
            to: (right, y),
            width: 0.6,
            gray: 0.55,
        });
    }
}

/// Breaks `text` into lines no wider than `width`: at ordinary spaces (the no-break spaces
/// inside amounts hold), or inside a word longer than a line. At most `max_lines` lines; a
/// cut ends with `…`.
pub fn wrap(
    face: &super::fonts::FontFace,
    text: &str,
    size: f32,
    width: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line on its own is broken between characters.
            for c in word.chars() {
                line.push(c);
                if face.width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
    }
    lines.retain(|l| !l.is_empty());
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && face.width(&format!("{last}…"), size) > width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::fonts::fonts;

    fn texts(page: &[Op]) -> Vec<String> {
        page.iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn wrap_keeps_words_and_no_break_spaces_together() {
        let face = &fonts().unwrap().regular;
        let amount = "1\u{202F}234\u{202F}567,89\u{A0}₸";
        let text = format!("Жарналар сомасы {amount} құрады");
        let width = face.width("Жарналар сомасы", 9.0) + 1.0;
        let lines = wrap(face, &text, 9.0, width, usize::MAX);
        assert!(lines.iter().any(|l| l.contains(amount)), "{lines:?}");
        for line in &lines {
            assert!(
                face.width(line, 9.0) <= width || !line.contains(' '),
                "{line}"
            );
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_breaks_an_overlong_word_and_cuts_with_an_ellipsis() {
        let face = &fonts().unwrap().regular;
        let word = "Ә".repeat(200);
        let lines = wrap(face, &word, 8.0, 50.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        for line in &lines {
            assert!(face.width(line, 8.0) <= 50.0, "{line}");
        }
        assert!(wrap(face, "", 8.0, 50.0, 3).is_empty());
    }

    #[test]
    fn long_tables_paginate_with_the_header_repeated_and_rows_whole() {
        let fonts = fonts().unwrap();
        let mut flow = Flow::new(fonts);
        let table = Table {
            columns: vec![
                Column {
                    title: "HEAD-A".into(),
                    width: 1.0,
                    align: Align::Left,
                },
                Column {
                    title: "HEAD-B".into(),
                    width: 3.0,
                    align: Align::Right,
                },
            ],
            rows: (0..300)
                .map(|i| Row::plain(vec![format!("row {i}"), "x ".repeat(i % 90)]))
                .collect(),
            continued: Some("(continued)".into()),
        };
        flow.table(&table);
        let label = |n: usize, m: usize| format!("{n}/{m}");
        let frame = Frame {
            fund: "F".into(),
            title: "T".into(),
            number_line: "N".into(),
            generated: "G".into(),
            verify_hint: "V".into(),
            page_label: &label,
        };
        let pages = flow.finish(&frame);
        assert!(pages.len() > 3, "{}", pages.len());
        let mut seen = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let t = texts(page);
            assert_eq!(t.iter().filter(|s| *s == "HEAD-A").count(), 1, "page {i}");
            assert!(t.contains(&format!("{}/{}", i + 1, pages.len())));
            seen.extend(t.into_iter().filter(|s| s.starts_with("row ")));
            // Nothing drawn into the frame's bands.
            for op in page {
                if let Op::Text { y, text, .. } = op
                    && text.starts_with("row ")
                {
                    assert!(*y > BODY_BOTTOM && *y < BODY_TOP, "{text} at {y}");
                }
            }
        }
        let expected: Vec<String> = (0..300).map(|i| format!("row {i}")).collect();
        assert_eq!(seen, expected, "every row once, in order");
    }
}
