//! Turns laid-out pages (text runs, lines, filled boxes) into PDF bytes: A4 pages, the two
//! DejaVu faces embedded as subset CID fonts (only the glyphs used, so a statement stays
//! small) with a ToUnicode map (so the text can be searched, copied and extracted), and
//! compressed content streams.
//!
//! The output is a pure function of its input: the same pages give the same bytes, which is
//! what the registry's SHA-256 of an issued document relies on.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike, Utc};
use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::fonts::{FontError, FontFace, Fonts, Style};
use super::format::KAZAKHSTAN;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;

/// zlib level for content streams and fonts: close to the best ratio at a fraction of level 9's
/// time.
const COMPRESSION_LEVEL: u8 = 6;

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// One thing drawn on a page. Coordinates are PDF points from the bottom-left corner; `gray`
/// is 0 (black) to 1 (white).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A run of text whose baseline starts at (`x`, `y`).
    Text {
        style: Style,
        size: f32,
        x: f32,
        y: f32,
        gray: f32,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        gray: f32,
    },
    /// A filled rectangle whose bottom-left corner is (`x`, `y`).
    Fill {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        gray: f32,
    },
}

/// What goes into the document information dictionary. No personal data: a PDF's properties
/// show up in file managers and previews.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    /// BCP 47 code of the document's language.
    pub lang: &'static str,
    pub created: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{0}")]
    Font(#[from] FontError),
    #[error("font subsetting failed: {0}")]
    Subset(String),
}

/// Glyphs used so far in one face: their new ids in the subset and what text they stand for.
struct UsedGlyphs {
    remapper: GlyphRemapper,
    unicode: BTreeMap<u16, char>,
}

impl UsedGlyphs {
    fn new() -> UsedGlyphs {
        UsedGlyphs {
            remapper: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
        }
    }

    /// The text as 2-byte CIDs of the subset font (Identity-H).
    fn encode(&mut self, face: &FontFace, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = face.glyph(c);
            let cid = self.remapper.remap(glyph.id);
            if glyph.id != 0 {
                // The first character seen for a glyph wins; DejaVu gives each of ours its own.
                self.unicode.entry(cid).or_insert(c);
            }
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        bytes
    }
}

/// Hands out object numbers in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Writes `pages` (each a list of drawing operations) as a PDF document.
pub fn write(pages: &[Vec<Op>], meta: &Meta, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut refs = Refs(0);
    let catalog_id = refs.next();
    let tree_id = refs.next();
    let info_id = refs.next();
    let font_ids = [
        (Style::Regular, Name(b"F1"), refs.next()),
        (Style::Bold, Name(b"F2"), refs.next()),
    ];
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (refs.next(), refs.next())).collect();

    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    pdf.catalog(catalog_id)
        .pages(tree_id)
        .lang(TextStr(meta.lang));
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(page_ids.len() as i32);
    pdf.document_info(info_id)
        .title(TextStr(&meta.title))
        .producer(TextStr("Zeinet"))
        .creation_date(pdf_date(meta.created));

    let mut regular = UsedGlyphs::new();
    let mut bold = UsedGlyphs::new();
    for (ops, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let content = page_content(ops, fonts, &mut regular, &mut bold);
        let compressed = compress_to_vec_zlib(&content, COMPRESSION_LEVEL);
        pdf.stream(*content_id, &compressed)
            .filter(Filter::FlateDecode);
        let mut page = pdf.page(*page_id);
        page.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(*content_id);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (_, name, id) in font_ids {
            font_dict.pair(name, id);
        }
    }

    for (style, _, type0_id) in font_ids {
        let used = match style {
            Style::Regular => &regular,
            Style::Bold => &bold,
        };
        write_font(&mut pdf, &mut refs, type0_id, fonts.face(style), used)?;
    }
    Ok(pdf.finish())
}

fn page_content(
    ops: &[Op],
    fonts: &Fonts,
    regular: &mut UsedGlyphs,
    bold: &mut UsedGlyphs,
) -> Vec<u8> {
    let mut content = Content::new();
    for op in ops {
        match op {
            Op::Fill {
                x,
                y,
                width,
                height,
                gray,
            } => {
                content.set_fill_gray(*gray);
                content.rect(*x, *y, *width, *height);
                content.fill_nonzero();
            }
            Op::Line {
                from,
                to,
                width,
                gray,
            } => {
                content.set_stroke_gray(*gray);
                content.set_line_width(*width);
                content.move_to(from.0, from.1);
                content.line_to(to.0, to.1);
                content.stroke();
            }
            Op::Text {
                style,
                size,
                x,
                y,
                gray,
                text,
            } => {
                let (name, used) = match style {
                    Style::Regular => (Name(b"F1"), &mut *regular),
                    Style::Bold => (Name(b"F2"), &mut *bold),
                };
                let encoded = used.encode(fonts.face(*style), text);
                content.begin_text();
                content.set_fill_gray(*gray);
                content.set_font(name, *size);
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                content.show(Str(&encoded));
                content.end_text();
            }
        }
    }
    content.finish().into_vec()
}

/// A Type 0 font with an Identity-H encoding over a subset TrueType CID font.
fn write_font(
    pdf: &mut Pdf,
    refs: &mut Refs,
    type0_id: Ref,
    face: &FontFace,
    used: &UsedGlyphs,
) -> Result<(), PdfError> {
    let cid_id = refs.next();
    let descriptor_id = refs.next();
    let cmap_id = refs.next();
    let file_id = refs.next();
    let base_font = format!("{}+{}", subset_tag(&used.remapper), face.postscript_name);
    let base_font = Name(base_font.as_bytes());

    pdf.type0_font(type0_id)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let widths: Vec<f32> = used
        .remapper
        .remapped_gids()
        .map(|old| face.advance_milli(old))
        .collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let [x0, y0, x1, y1] = face.bbox;
    pdf.font_descriptor(descriptor_id)
        .name(base_font)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(0.0)
        .ascent(face.ascent)
        .descent(face.descent)
        .cap_height(face.cap_height)
        .stem_v(80.0)
        .font_file2(file_id);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (cid, c) in &used.unicode {
        cmap.pair(*cid, *c);
    }
    pdf.cmap(cmap_id, &cmap.finish());

    let subset = subsetter::subset(face.data, 0, &used.remapper)
        .map_err(|e| PdfError::Subset(e.to_string()))?;
    let compressed = compress_to_vec_zlib(&subset, COMPRESSION_LEVEL);
    pdf.stream(file_id, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);
    Ok(())
}

/// Six capital letters naming the subset (the PDF convention `ABCDEF+FontName`), derived from
/// the glyphs in it so equal subsets get equal names.
fn subset_tag(remapper: &GlyphRemapper) -> String {
    // FNV-1a over the glyph ids.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for gid in remapper.remapped_gids() {
        for byte in gid.to_be_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

/// The creation date in Kazakhstan time (UTC+5), which is what the document prints.
fn pdf_date(at: DateTime<Utc>) -> Date {
    let local = at.with_timezone(&KAZAKHSTAN);
    Date::new(u16::try_from(local.year()).unwrap_or(1970))
        .month(local.month() as u8)
        .day(local.day() as u8)
        .hour(local.hour() as u8)
        .minute(local.minute() as u8)
        .second(local.second() as u8)
        .utc_offset_hour(5)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::fonts::fonts;
    use chrono::TimeZone;

    fn sample() -> (Vec<Vec<Op>>, Meta) {
        let text = |style, y, text: &str| Op::Text {
            style,
            size: 10.0,
            x: 40.0,
            y,
            gray: 0.0,
            text: text.to_owned(),
        };
        let pages = vec![
            vec![
                text(Style::Bold, 800.0, "Үзінді-көшірме"),
                text(Style::Regular, 780.0, "1\u{202F}234,56\u{A0}₸"),
                Op::Line {
                    from: (40.0, 770.0),
                    to: (500.0, 770.0),
                    width: 0.5,
                    gray: 0.5,
                },
            ],
            vec![Op::Fill {
                x: 40.0,
                y: 700.0,
                width: 100.0,
                height: 20.0,
                gray: 0.9,
            }],
        ];
        let meta = Meta {
            title: "test".into(),
            lang: "kk",
            created: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        };
        (pages, meta)
    }

    #[test]
    fn the_same_pages_give_the_same_bytes() {
        let (pages, meta) = sample();
        let fonts = fonts().unwrap();
        let a = write(&pages, &meta, fonts).unwrap();
        let b = write(&pages, &meta, fonts).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with(b"%PDF-1.7"));
    }

    #[test]
    fn fonts_are_embedded_as_small_subsets() {
        let (pages, meta) = sample();
        let fonts = fonts().unwrap();
        let pdf = write(&pages, &meta, fonts).unwrap();
        let count = |needle: &[u8]| pdf.windows(needle.len()).filter(|w| *w == needle).count();
        assert_eq!(count(b"/FontFile2"), 2);
        assert_eq!(count(b"/ToUnicode"), 2);
        // The subset's name on its Type 0 font, CID font and descriptor, for both faces.
        assert_eq!(count(b"+DejaVuSans"), 6);
        // The two full fonts weigh 1.4 MB; a subset of a dozen glyphs a few KB.
        assert!(pdf.len() < 40_000, "{} bytes", pdf.len());
    }

    #[test]
    fn creation_date_is_kazakhstan_time() {
        let (pages, meta) = sample();
        let pdf = write(&pages, &meta, fonts().unwrap()).unwrap();
        let needle = b"D:20260102080405+05'00";
        assert!(pdf.windows(needle.len()).any(|w| w == needle));
    }
}
