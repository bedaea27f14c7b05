"""The certificate as a one-page A4 landscape PDF with a vector QR code to the verify page.

Everything printed comes from the certificate's stored details, so it regenerates
identically (``invariant=1`` fixes the creation date and document ID). Names and titles
are drawn as plain strings or escaped Paragraph text, never as markup.
"""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from academy.certificates.models import Certificate, CertificateKind
from academy.certificates.services import ACADEMY_NAME
from academy.certificates.signing import format_code
from academy.pdfdoc import FONT, FONT_BOLD, fit_size, para, register_fonts

BRAND = colors.HexColor("#1f4e5f")
BRAND_DARK = colors.HexColor("#143642")
ACCENT = colors.HexColor("#f2b134")
MUTED = colors.HexColor("#52616a")


def format_hours(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} CPD hour" + ("" if Decimal(value) == 1 else "s")


def render_certificate(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate PDF; the same certificate and address always give the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    c.setTitle(f"{certificate.kind_label} {certificate.number}")
    c.setAuthor(ACADEMY_NAME)
    c.setSubject(f"{certificate.title}: {certificate.holder_name}")
    c.setCreator(ACADEMY_NAME)

    # Frame: a dark outer rule and a gold inner rule.
    c.setStrokeColor(BRAND_DARK)
    c.setLineWidth(6)
    c.rect(22, 22, width - 44, height - 44)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.5)
    c.rect(34, 34, width - 68, height - 68)

    centre = width / 2
    c.setFillColor(BRAND)
    c.setFont(FONT_BOLD, 26)
    c.drawCentredString(centre, height - 92, ACADEMY_NAME)
    c.setFillColor(MUTED)
    c.setFont(FONT, 11)
    c.drawCentredString(centre, height - 110, "Crawshawbooth, Rossendale, Lancashire")

    heading = (
        "Certificate of Completion"
        if certificate.kind == CertificateKind.COURSE
        else "Certificate of Attendance"
    )
    c.setFillColor(BRAND_DARK)
    c.setFont(FONT_BOLD, 30)
    c.drawCentredString(centre, height - 165, heading)

    c.setFillColor(colors.black)
    c.setFont(FONT, 14)
    c.drawCentredString(centre, height - 205, "This is to certify that")
    name_size = fit_size(certificate.holder_name, FONT_BOLD, 34, 14, width - 180)
    c.setFont(FONT_BOLD, name_size)
    c.drawCentredString(centre, height - 250, certificate.holder_name)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1)
    c.line(centre - 220, height - 262, centre + 220, height - 262)

    c.setFont(FONT, 14)
    done = (
        "has completed the course"
        if certificate.kind == CertificateKind.COURSE
        else "has attended the module"
    )
    c.drawCentredString(centre, height - 292, done)
    title_style = ParagraphStyle(
        "title",
        fontName=FONT_BOLD,
        fontSize=20,
        leading=24,
        alignment=TA_CENTER,
        textColor=BRAND_DARK,
    )
    title = Paragraph(para(certificate.title), title_style)
    _w, title_height = title.wrap(width - 220, 60)
    title.drawOn(c, 110, height - 300 - title_height - 4)
    c.setFont(FONT, 14)
    c.setFillColor(colors.black)
    c.drawCentredString(
        centre,
        height - 300 - title_height - 32,
        f"awarding {format_hours(certificate.cpd_hours)} of continuing professional development",
    )

    # Bottom left: who signs, when, which certificate.
    left = 70
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.8)
    c.line(left, 150, left + 230, 150)
    c.setFont(FONT_BOLD, 12)
    c.drawString(left, 134, certificate.signer_name)
    c.setFont(FONT, 10)
    c.setFillColor(MUTED)
    c.drawString(left, 120, certificate.signer_title)
    c.setFillColor(colors.black)
    c.setFont(FONT, 11)
    c.drawString(left, 92, f"Date of issue: {certificate.issued_at:%-d %B %Y}")
    c.drawString(left, 76, f"Certificate number: {certificate.number}")

    # Bottom right: the QR code and the printed address, both leading to the verify page.
    size = 118
    qr_x, qr_y = width - 70 - size, 62
    _draw_qr(c, verify_url, qr_x, qr_y, size)
    c.linkURL(verify_url, (qr_x, qr_y, qr_x + size, qr_y + size), relative=0, thickness=0)
    text_right = qr_x - 14
    c.setFont(FONT, 10)
    c.setFillColor(MUTED)
    c.drawRightString(text_right, 150, "Check this certificate at")
    c.setFillColor(BRAND)
    link_size = fit_size(verify_url, FONT, 9, 5.5, 330)
    c.setFont(FONT, link_size)
    c.drawRightString(text_right, 136, verify_url)
    link_width = c.stringWidth(verify_url, FONT, link_size)
    c.linkURL(
        verify_url,
        (text_right - link_width, 132, text_right, 146),
        relative=0,
        thickness=0,
    )
    c.setFillColor(MUTED)
    c.setFont(FONT, 10)
    c.drawRightString(text_right, 112, "Verification code")
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 11)
    c.drawRightString(text_right, 97, format_code(certificate.code))

    c.showPage()
    c.save()
    return buffer.getvalue()


def _draw_qr(c: Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)
