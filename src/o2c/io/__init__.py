"""Reading and writing o2c values: JSON through one cattrs converter, safe CSV export.

* :func:`make_converter` builds the converter (Money as ``{"amount", "currency"}``,
  Decimal as a string, ISO dates, enum values, sorted sets); :func:`to_json`,
  :func:`from_json`, :func:`to_plain` and :func:`structure` use it.
* :func:`write_csv` writes rows with every cell neutralized against spreadsheet formula
  injection; :func:`flatten` turns nested records into dotted columns.
* :func:`read_usage_csv` and :func:`read_time_csv` read import files row by row and
  report every problem at once (:class:`FileProblems`); :func:`read_file` bounds size;
  :func:`read_rows` reads any import table (CSV with ``,`` or ``;``, or XLSX).
* :func:`write_xlsx` writes Excel workbooks with typed cells (amounts in their
  currency's number format, dates as dates) and :func:`read_xlsx_rows` reads one back
  (openpyxl, the ``o2c[xlsx]`` extra; :class:`XlsxUnavailable` without it).
* :func:`render_text`, :func:`render_html` and :func:`render_pdf` show a billing document
  to its customer (Jinja2 templates, babel formatting and translated labels in the
  customer's locale, the seller's identity and bank details); ``render_statement_*`` do
  the same for a customer statement.
* :func:`write_ubl` and :func:`read_ubl` write and read UBL 2.1 e-invoices (EN 16931,
  Peppol BIS Billing 3.0); see :mod:`o2c.io.ubl`.
"""

from typing import TYPE_CHECKING

from o2c.io._convert import (
    from_json,
    make_converter,
    money_to_plain,
    structure,
    to_json,
    to_plain,
)
from o2c.io._csv import flatten, neutralize_cell, write_csv
from o2c.io._imports import (
    MAX_IMPORT_BYTES,
    FileProblems,
    decode_text,
    detect_delimiter,
    read_file,
    read_rows,
    read_time_csv,
    read_usage_csv,
)
from o2c.io._xlsx import XlsxUnavailable, currency_number_format, read_xlsx_rows, write_xlsx

__all__ = [
    "MAX_IMPORT_BYTES",
    "FileProblems",
    "PdfUnavailable",
    "PrecedingInvoice",
    "TemplateFailed",
    "UblDocument",
    "XlsxUnavailable",
    "currency_number_format",
    "decode_text",
    "detect_delimiter",
    "flatten",
    "from_json",
    "make_converter",
    "money_to_plain",
    "neutralize_cell",
    "read_file",
    "read_rows",
    "read_time_csv",
    "read_ubl",
    "read_usage_csv",
    "read_xlsx_rows",
    "render_html",
    "render_pdf",
    "render_statement_html",
    "render_statement_pdf",
    "render_statement_text",
    "render_text",
    "structure",
    "to_json",
    "to_plain",
    "unit_code",
    "write_csv",
    "write_ubl",
    "write_xlsx",
]

if TYPE_CHECKING:
    from o2c.io._render import (
        PdfUnavailable,
        TemplateFailed,
        render_html,
        render_pdf,
        render_statement_html,
        render_statement_pdf,
        render_statement_text,
        render_text,
    )
    from o2c.io.ubl import PrecedingInvoice, UblDocument, read_ubl, unit_code, write_ubl

#: Rendering names, loaded (with Jinja2 and billing) only when used.
_RENDERING = frozenset(
    {
        "PdfUnavailable",
        "TemplateFailed",
        "render_html",
        "render_pdf",
        "render_statement_html",
        "render_statement_pdf",
        "render_statement_text",
        "render_text",
    }
)
#: UBL names, loaded (with lxml) only when used.
_UBL_NAMES = ("PrecedingInvoice", "UblDocument", "read_ubl", "unit_code", "write_ubl")


def __getattr__(name: str) -> object:
    # Rendering pulls in billing (and tax); load it only when a document is rendered, so
    # JSON and CSV users (the Book, ``o2c --help``) stay light.
    if name in _RENDERING:
        from o2c.io import _render

        return getattr(_render, name)
    if name in _UBL_NAMES:
        from o2c.io import ubl

        return getattr(ubl, name)
    raise AttributeError(f"module 'o2c.io' has no attribute {name!r}")
