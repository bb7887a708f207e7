"""HTML to PDF with xhtml2pdf (ReportLab underneath), the ``o2c[pdf]`` extra.

xhtml2pdf installs from pip alone (pure Python on ReportLab, pypdf, lxml and Pillow
wheels): no system Pango or Cairo as WeasyPrint needs. The bundled DejaVu Sans
(``templates/fonts``, Bitstream Vera licence, included) is embedded, so Spanish and
German text and the euro sign print on a machine with no fonts installed. Local reads
are confined to the bundled fonts folder and nothing is fetched from the network.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Mapping
from typing import Any, Final

from o2c.io._render import BUNDLED_TEMPLATES, PdfUnavailable, TemplateFailed

__all__ = ["FONTS", "html_to_pdf"]

#: The bundled fonts (DejaVu Sans regular and bold) and their licence.
FONTS: Final = BUNDLED_TEMPLATES / "fonts"

_MISSING: Final = "PDF output needs the pdf extra: pip install 'o2c[pdf]'"


def _policy(pisa_module: Any) -> dict[str, Any]:
    """xhtml2pdf's resource policy, where it has one: the fonts folder, no network."""
    try:
        from xhtml2pdf.config.resources import ResourceAccessPolicy
    except ImportError:  # older xhtml2pdf: reads are relative to ``path`` only
        return {}
    del pisa_module
    return {"resource_policy": ResourceAccessPolicy(base_dir=FONTS, allow_remote=False)}


def _attach(pdf: bytes, attachments: Mapping[str, bytes]) -> bytes:
    """``pdf`` with each of ``attachments`` embedded as a file (a UBL e-invoice, say)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for name, data in attachments.items():
        embedded = writer.add_attachment(name, data)
        with contextlib.suppress(AttributeError):  # older pypdf: the file without its labels
            embedded.description = TextStringObject("Structured e-invoice (UBL 2.1)")
            embedded.associated_file_relationship = NameObject("/Alternative")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_to_pdf(
    page: str,
    *,
    title: str = "",
    author: str = "",
    attachments: Mapping[str, bytes] | None = None,
) -> bytes:
    """Lay out the HTML ``page`` on A4 pages and return the PDF's bytes.

    Font files named in the page's CSS are read from the bundled fonts folder;
    ``attachments`` (file name to content) are embedded in the PDF.

    Raises:
        PdfUnavailable: xhtml2pdf is not installed.
        TemplateFailed: xhtml2pdf could not lay out the page.
    """
    try:
        from xhtml2pdf import pisa
    except ImportError:
        raise PdfUnavailable(_MISSING) from None
    out = io.BytesIO()
    log = logging.getLogger("xhtml2pdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        result = pisa.CreatePDF(
            page,
            dest=out,
            path=str(FONTS / "document.html"),
            encoding="utf-8",
            context_meta={"title": title, "author": author},
            **_policy(pisa),
        )
    except Exception as exc:
        raise TemplateFailed(f"PDF layout failed: {exc}") from None
    finally:
        log.setLevel(level)
    if result.err:
        raise TemplateFailed(f"PDF layout failed with {result.err} error(s)")
    return _attach(out.getvalue(), attachments) if attachments else out.getvalue()
