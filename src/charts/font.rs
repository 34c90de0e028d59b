//! The embedded font: DejaVu Sans from the `dejavu` crate, so text renders on a machine with no
//! fonts installed (plotters is built without its system-font feature). Licence notice:
//! LICENSES/DejaVu-Fonts.txt.

use std::sync::Once;

use plotters::style::FontStyle;

/// The family name every chart asks for.
pub const FONT_FAMILY: &str = "sans-serif";

static REGISTER: Once = Once::new();

/// Registers DejaVu Sans (normal and bold) as "sans-serif" with plotters. Idempotent; call it
/// before drawing (`plot_dir` does).
pub fn register_font() {
    REGISTER.call_once(|| {
        let normal = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, dejavu::sans::regular());
        let bold = plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, dejavu::sans::bold());
        // The bytes are a font file compiled into the program: failing to parse them is a build defect.
        assert!(
            normal.is_ok() && bold.is_ok(),
            "the embedded DejaVu Sans font is not a valid font"
        );
    });
}
