//! The embedded fonts: DejaVu Sans and DejaVu Sans Bold (licence in `assets/fonts/`), chosen
//! because they cover Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і), the tenge sign and the narrow space
//! that amounts are grouped with. This module owns glyph lookup and text widths.

use std::sync::LazyLock;

use ttf_parser::{Face, GlyphId};

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Characters below this are looked up once, when the font is loaded: Latin, Cyrillic with its
/// Kazakh letters, punctuation, the tenge sign and `№`. Anything else goes to the font's cmap.
const FAST_RANGE: usize = 0x2200;

/// Which of the two faces a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
}

/// A glyph of the original font and its advance in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub id: u16,
    pub advance: u16,
}

/// One parsed face with the metrics a PDF font descriptor needs (in 1/1000 em).
pub struct FontFace {
    pub data: &'static [u8],
    pub postscript_name: &'static str,
    face: Face<'static>,
    units_per_em: f32,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
    fast: Vec<Glyph>,
}

/// The font could not be read (it is embedded in the binary, so only a broken build gets here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the embedded font {0} cannot be read")]
pub struct FontError(pub &'static str);

impl FontFace {
    fn load(data: &'static [u8], postscript_name: &'static str) -> Result<FontFace, FontError> {
        let face = Face::parse(data, 0).map_err(|_| FontError(postscript_name))?;
        let units_per_em = f32::from(face.units_per_em());
        if units_per_em <= 0.0 {
            return Err(FontError(postscript_name));
        }
        let to_milli = |v: i16| f32::from(v) * 1000.0 / units_per_em;
        let cap_height = face
            .capital_height()
            .or_else(|| {
                let h = face.glyph_index('H')?;
                face.glyph_bounding_box(h).map(|b| b.y_max)
            })
            .unwrap_or(face.ascender());
        let b = face.global_bounding_box();
        let mut font = FontFace {
            data,
            postscript_name,
            units_per_em,
            ascent: to_milli(face.ascender()),
            descent: to_milli(face.descender()),
            cap_height: to_milli(cap_height),
            bbox: [
                to_milli(b.x_min),
                to_milli(b.y_min),
                to_milli(b.x_max),
                to_milli(b.y_max),
            ],
            face,
            fast: Vec::new(),
        };
        font.fast = (0..FAST_RANGE as u32)
            .map(|code| match char::from_u32(code) {
                Some(c) => font.lookup(c),
                None => font.notdef(),
            })
            .collect();
        Ok(font)
    }

    fn notdef(&self) -> Glyph {
        Glyph {
            id: 0,
            advance: self.face.glyph_hor_advance(GlyphId(0)).unwrap_or(0),
        }
    }

    fn lookup(&self, c: char) -> Glyph {
        match self.face.glyph_index(c) {
            Some(id) => Glyph {
                id: id.0,
                advance: self.face.glyph_hor_advance(id).unwrap_or(0),
            },
            None => self.notdef(),
        }
    }

    /// The glyph that draws `c`; `.notdef` (id 0) when the font has none.
    pub fn glyph(&self, c: char) -> Glyph {
        match self.fast.get(c as usize) {
            Some(glyph) => *glyph,
            None => self.lookup(c),
        }
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c).id != 0
    }

    /// The advance of glyph `id` in 1/1000 em (PDF width units).
    pub fn advance_milli(&self, id: u16) -> f32 {
        f32::from(self.face.glyph_hor_advance(GlyphId(id)).unwrap_or(0)) * 1000.0
            / self.units_per_em
    }

    /// The width of `text` set at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.glyph(c).advance)).sum();
        units as f32 * size / self.units_per_em
    }
}

/// Both faces.
pub struct Fonts {
    pub regular: FontFace,
    pub bold: FontFace,
}

impl Fonts {
    pub fn face(&self, style: Style) -> &FontFace {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }
}

static FONTS: LazyLock<Result<Fonts, FontError>> = LazyLock::new(|| {
    Ok(Fonts {
        regular: FontFace::load(REGULAR_TTF, "DejaVuSans")?,
        bold: FontFace::load(BOLD_TTF, "DejaVuSans-Bold")?,
    })
});

/// The fonts, parsed once per process.
pub fn fonts() -> Result<&'static Fonts, FontError> {
    FONTS.as_ref().map_err(|e| *e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_draw_kazakh_letters_the_tenge_sign_and_narrow_spaces() {
        let fonts = fonts().unwrap();
        for face in [&fonts.regular, &fonts.bold] {
            for c in "әғқңөұүһіӘҒҚҢӨҰҮҺІ₸№\u{202F}\u{A0}—·".chars() {
                assert!(face.has_glyph(c), "{} lacks {c:?}", face.postscript_name);
            }
        }
    }

    #[test]
    fn fast_and_slow_lookups_agree() {
        let fonts = fonts().unwrap();
        for c in ['a', 'Ә', '₸', '\u{202F}', '€', '\u{1F600}', '中'] {
            assert_eq!(fonts.regular.glyph(c), fonts.regular.lookup(c), "{c:?}");
        }
        assert_eq!(fonts.regular.glyph('中').id, 0, "DejaVu has no CJK");
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let face = &fonts().unwrap().regular;
        let one = face.width("Қазақстан", 10.0);
        assert!(one > 0.0);
        assert!(face.width("Қазақстан Қазақстан", 10.0) > 2.0 * one);
        assert!((face.width("Қазақстан", 20.0) - 2.0 * one).abs() < 0.01);
        assert!(fonts().unwrap().bold.width("Қазақстан", 10.0) > one);
    }
}
