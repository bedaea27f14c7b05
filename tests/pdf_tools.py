"""Read a PDF as a person would: its text (pdftotext) and its QR code (pdftoppm, zbarimg)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _run(*args: str, check: bool = True) -> str:
    # Fixed Debian tools on files the test wrote itself (scripts/system-packages.sh installs them).
    result = subprocess.run(list(args), capture_output=True, text=True, check=check)  # noqa: S603
    return result.stdout


def pdf_text(pdf: bytes, folder: Path) -> str:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    return _run("pdftotext", "-layout", str(path), "-")


def qr_codes(pdf: bytes, folder: Path) -> str:
    """The QR codes on the first page, decoded (the page rendered at 150 dpi)."""
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    _run("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(folder / "page"))
    page = next(folder.glob("page-*.png"))
    return _run("zbarimg", "-q", "--raw", str(page), check=False).strip()
