"""HTML to PDF with xhtml2pdf (ReportLab underneath), the ``o2c[pdf]`` extra.

xhtml2pdf installs from pip alone (pure Python on ReportLab, pypdf, lxml and Pillow
wheels): no system Pango or Cairo as WeasyPrint needs. The bundled DejaVu Sans
(``templates/fonts``, Bitstream Vera licence, included) is embedded, so Spanish and
German text and the euro sign print on a machine with no fonts installed. Local reads
are confined to the bundled fonts folder and nothing is fetched from the network.
"""

from __future__ import annotations

import io
import logging
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


def html_to_pdf(page: str, *, title: str = "", author: str = "") -> bytes:
    """Lay out the HTML ``page`` on A4 pages and return the PDF's bytes.

    Font files named in the page's CSS are read from the bundled fonts folder.

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
    return out.getvalue()
