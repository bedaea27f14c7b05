"""The CPD statement for a chosen period, and the fuller CPD profile for an audit, as PDF.

Every value a person typed goes through ``para()`` (escaped) before reportlab's Paragraph
markup sees it. ``invariant=1`` keeps the bytes the same for the same record.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from academy.cpd.services import Gap, RecordLine
from academy.pdfdoc import FONT, FONT_BOLD, para, register_fonts

ACADEMY_NAME = "SMP Removal Academy"
BRAND = colors.HexColor("#1f4e5f")


@dataclass
class StatementData:
    holder_name: str
    start: date
    end: date  # inclusive, as printed
    generated_on: date
    lines: list[RecordLine]
    by_type: list[tuple[str, Decimal]]
    total: Decimal
    participatory: Decimal
    target_note: str
    gaps: list[Gap]


def _styles():
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
    return {
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        "head_right": ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=18,
            leading=22,
            textColor=BRAND,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=BRAND,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=2,
        ),
        "cell": cell,
        "head": head,
    }


def _table(rows, widths, styles, numeric_columns=()):
    def style(name: str, column: int) -> ParagraphStyle:
        return styles[name + "_right"] if column in numeric_columns else styles[name]

    data = [[Paragraph(para(cell), style("head", c)) for c, cell in enumerate(rows[0])]]
    data += [
        [Paragraph(para(cell), style("cell", c)) for c, cell in enumerate(row)] for row in rows[1:]
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("LINEBELOW", (0, 0), (-1, 0), 1, BRAND),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d5dde1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in numeric_columns]
    table.setStyle(TableStyle(commands))
    return table


def _hours(value: Decimal) -> str:
    return f"{value:.2f}"


def render_statement(data: StatementData, *, profile: bool = False) -> bytes:
    """A statement (a summary and one line per activity) or, with ``profile``, the full
    profile: the statement plus every external activity's reflection and evidence."""
    styles = _styles()
    buffer = io.BytesIO()
    kind = "CPD profile" if profile else "CPD statement"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{kind}: {data.holder_name}",
        author=ACADEMY_NAME,
        creator=ACADEMY_NAME,
        invariant=1,
    )
    story = [
        Paragraph(para(f"{ACADEMY_NAME} · {kind}"), styles["h1"]),
        Paragraph(para(data.holder_name), styles["h2"]),
        Paragraph(
            para(
                f"Period: {data.start:%-d %B %Y} to {data.end:%-d %B %Y}. "
                f"Produced on {data.generated_on:%-d %B %Y}."
            ),
            styles["base"],
        ),
        Spacer(1, 6),
        Paragraph("Summary", styles["h2"]),
        Paragraph(
            para(
                f"{_hours(data.total)} CPD hours in the period, of which "
                f"{_hours(data.participatory)} participatory. {data.target_note}"
            ),
            styles["base"],
        ),
    ]
    if data.by_type:
        story.append(Spacer(1, 4))
        story.append(
            _table(
                [["Type", "Hours"], *[[label, _hours(h)] for label, h in data.by_type]],
                [120 * mm, 30 * mm],
                styles,
                numeric_columns=(1,),
            )
        )
    if data.gaps:
        story.append(Paragraph("Gaps of three months or more without CPD", styles["h2"]))
        for gap in data.gaps:
            ending = "today (continuing)" if gap.ongoing else f"{gap.end:%-d %B %Y}"
            story.append(
                Paragraph(
                    para(f"From {gap.start:%-d %B %Y} to {ending}: {gap.days} days."),
                    styles["base"],
                )
            )
    story.append(Paragraph("Activities", styles["h2"]))
    if data.lines:
        rows = [["Date", "Activity", "Title and provider", "Hours", "With others", "Status"]]
        for line in data.lines:
            rows.append(
                [
                    line.day.isoformat(),
                    line.type_label,
                    f"{line.title}\n{line.provider}",
                    _hours(line.hours),
                    _hours(line.participatory_hours),
                    line.status,
                ]
            )
        story.append(
            _table(
                rows,
                [20 * mm, 32 * mm, 62 * mm, 14 * mm, 18 * mm, 30 * mm],
                styles,
                numeric_columns=(3, 4),
            )
        )
    else:
        story.append(Paragraph("No CPD activity was recorded in this period.", styles["base"]))
    if profile:
        externals = [line for line in data.lines if line.external is not None]
        if externals:
            story.append(Paragraph("Reflections on external activities", styles["h2"]))
        for number, line in enumerate(externals, start=1):
            item = line.external
            block = [
                Paragraph(para(f"{number}. {item.title}"), styles["h3"]),
                Paragraph(
                    para(
                        f"{item.provider} · {line.type_label} · {item.start_date:%-d %b %Y}"
                        f" to {item.end_date:%-d %b %Y} · {_hours(item.hours)} h "
                        f"({_hours(item.participatory_hours)} participatory) · {line.status}"
                    ),
                    styles["small"],
                ),
            ]
            for heading, text in (
                ("Relevance to practice", item.relevance),
                ("What I learned", item.learned),
                ("How it changes my practice", item.practice_change),
                ("The benefit to my clients", item.client_benefit),
            ):
                block.append(Paragraph(para(heading), styles["head"]))
                block.append(Paragraph(para(text), styles["base"]))
            if item.review_note:
                block.append(Paragraph(para(f"Tutor's note: {item.review_note}"), styles["small"]))
            if item.evidence:
                names = "; ".join(
                    f"{e.original_name} (SHA-256 {e.sha256[:16]}…)" for e in item.evidence
                )
                block.append(Paragraph(para(f"Evidence: {names}"), styles["small"]))
            story.append(KeepTogether(block[:3]))
            story.extend(block[3:])
    doc.build(story)
    return buffer.getvalue()
