"""What every PDF the academy makes shares: embedded fonts, escaping, fixed metadata.

Fonts are embedded TrueType (DejaVu Sans when the system has it, for names beyond
Latin-1; reportlab's own Bitstream Vera otherwise), so a PDF needs nothing from the
network or the reader's machine. Documents are made with ``invariant=1`` so the same
data gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "AcademySans"
FONT_BOLD = "AcademySans-Bold"
_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
]
_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    regular, bold = next((r, b) for r, b in _CANDIDATES if r.exists() and b.exists())
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
    _registered = True


def para(text) -> str:
    """Text for a reportlab Paragraph, whose mini-markup must never see a user's tags."""
    return escape(str(text if text is not None else "")).replace("\n", "<br/>")


def fit_size(text: str, font: str, largest: float, smallest: float, width: float) -> float:
    """The largest font size at which ``text`` fits in ``width`` points."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size
