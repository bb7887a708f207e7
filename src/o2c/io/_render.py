"""Render billing documents and statements for customers: HTML, plain text and PDF.

Jinja2 templates (autoescaped HTML, ``StrictUndefined``) under ``o2c/io/templates/`` lay
out what :mod:`o2c.io._render_views` formats in the document's locale with babel: labels
from the message catalogs (:mod:`o2c.io._catalogs`), dates, amounts with their currency,
percentages, payment terms in words and the legal texts (reverse charge, exemptions,
export). The seller (:class:`o2c.parties.Seller`) is an explicit argument: its name,
address, tax id, registration, bank accounts (IBAN in groups of four, BIC) and contact.

Templates are looked up in the folders given (``templates=``, a book's
``render.templates`` setting), then in the bundled ones; a user's template can extend a
bundled one as ``"o2c/document.html"`` and override its blocks. The PDF is the same HTML
laid out by xhtml2pdf (the ``o2c[pdf]`` extra) with the bundled DejaVu Sans font.

Amounts are shown exactly as stored: rendering never rounds.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import jinja2
import jinja2.sandbox

from o2c.billing import CustomerSnapshot, Document
from o2c.errors import O2CError
from o2c.io._render_views import document_context, statement_context
from o2c.ledger import Statement
from o2c.parties import Customer, Seller

__all__ = [
    "BUNDLED_TEMPLATES",
    "PdfUnavailable",
    "TemplateFailed",
    "render_html",
    "render_pdf",
    "render_statement_html",
    "render_statement_pdf",
    "render_statement_text",
    "render_text",
]

#: The folder of the bundled templates (and fonts).
BUNDLED_TEMPLATES: Final = Path(__file__).resolve().parent / "templates"

#: Template folders: one, several (first wins), or none (the bundled ones only).
TemplateDirs = Path | str | Sequence[Path | str] | None


class TemplateFailed(O2CError):
    """A template is missing, does not parse, or fails while rendering."""


class PdfUnavailable(O2CError):
    """PDF output needs the ``o2c[pdf]`` extra, which is not installed."""


def _cells(row: Any, keys: Sequence[str] | None) -> list[str]:
    if keys is None:
        return [str(c) for c in row]
    return [str(row[k]) for k in keys]


def _text_table(
    head: Sequence[str],
    rows: Sequence[Any],
    keys: Sequence[str] | None = None,
    right: Sequence[int] = (),
) -> list[str]:
    """Columns padded to their widest cell; ``right`` columns right-aligned.

    ``rows`` are sequences of cells, or mappings read by ``keys``.
    """
    cells = [_cells(r, keys) for r in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(head)]

    def fmt(row: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    return [fmt(head), "  ".join("-" * w for w in widths), *(fmt(r) for r in cells)]


def _pairs(rows: Sequence[Any], align: str = "left") -> list[str]:
    """``key  value`` lines, keys padded to the longest (``align="right"`` for totals).

    ``rows`` are ``(key, value)`` pairs or mappings with ``label`` and ``value``.
    """
    pairs = [(r["label"], r["value"]) if isinstance(r, dict) else tuple(r) for r in rows]
    if not pairs:
        return []
    width = max(len(k) for k, _ in pairs)
    if align == "right":
        value_width = max(len(v) for _, v in pairs)
        return [f"{k.rjust(width)}  {v.rjust(value_width)}" for k, v in pairs]
    return [f"{k.ljust(width)}  {v}".rstrip() for k, v in pairs]


def _dirs(templates: TemplateDirs) -> tuple[str, ...]:
    if templates is None:
        return ()
    if isinstance(templates, str | Path):
        templates = [templates]
    found = []
    for folder in templates:
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise TemplateFailed(f"templates: {folder} is not a folder of templates")
        found.append(str(path.resolve()))
    return tuple(found)


@functools.lru_cache(maxsize=16)
def _environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    bundled = jinja2.FileSystemLoader(str(BUNDLED_TEMPLATES))
    loader = jinja2.ChoiceLoader(
        [
            *(jinja2.FileSystemLoader(d) for d in dirs),
            bundled,
            jinja2.PrefixLoader({"o2c": bundled}),
        ]
    )
    # Sandboxed: a book's templates are data a controller set, so they may call what the
    # context offers (``fmt.money(...)``) but reach nothing else through it.
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "css"), default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.globals.update(text_table=_text_table, pairs=_pairs)
    return env


def _render(name: str, context: dict[str, Any], templates: TemplateDirs) -> str:
    env = _environment(_dirs(templates))
    f = context["fmt"]
    context = {
        **context,
        "_": f._,
        "gettext": f.translations.gettext,
        "ngettext": f.translations.ngettext,
    }
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise TemplateFailed(f"template {where}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateFailed(f"template {exc.name} not found") from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        # A sandbox refusal (SecurityError) is a TemplateError too.
        raise TemplateFailed(f"template {name} failed: {exc}") from None


def _document(
    document: Document,
    seller: Seller | None,
    locale: str | None,
    corrects: str | Document | None,
    payment_reference: str | None,
) -> dict[str, Any]:
    return document_context(
        document,
        seller=seller,
        locale=locale,
        corrects=corrects,
        payment_reference=payment_reference,
    )


def render_text(
    document: Document,
    *,
    seller: Seller | None = None,
    locale: str | None = None,
    corrects: str | Document | None = None,
    templates: TemplateDirs = None,
    payment_reference: str | None = None,
) -> str:
    """Render ``document`` as plain text for a terminal, an e-mail or a letter.

    Args:
        document: The invoice, credit note or debit note.
        seller: Who issued it (printed at the top, with bank details and legal footer).
        locale: Override the customer's locale (``"es_MX"``, ``"de_DE"``).
        corrects: The corrected invoice (its number and date are printed), or its number.
        templates: Folder(s) searched for ``document.txt`` before the bundled one.
        payment_reference: What the customer quotes when paying (default: the number).

    Raises:
        TemplateFailed: A template is missing, does not parse or fails.
    """
    context = _document(document, seller, locale, corrects, payment_reference)
    return _render("document.txt", context, templates)


def render_html(
    document: Document,
    *,
    seller: Seller | None = None,
    locale: str | None = None,
    corrects: str | Document | None = None,
    templates: TemplateDirs = None,
    payment_reference: str | None = None,
) -> str:
    """Render ``document`` as a self-contained, printable HTML page (A4, every text escaped).

    Takes the arguments of :func:`render_text`; the template is ``document.html``.
    """
    context = _document(document, seller, locale, corrects, payment_reference)
    return _render("document.html", {**context, "pdf": False}, templates)


def render_pdf(
    document: Document,
    *,
    seller: Seller | None = None,
    locale: str | None = None,
    corrects: str | Document | None = None,
    templates: TemplateDirs = None,
    payment_reference: str | None = None,
    attachments: Mapping[str, bytes] | None = None,
) -> bytes:
    """Render ``document`` as a PDF: the HTML of :func:`render_html` laid out on A4.

    ``attachments`` (file name to content) are embedded in the PDF, e.g. the document's
    UBL e-invoice (``{"INV-1.xml": write_ubl(...)}``), as Factur-X/ZUGFeRD readers look for
    (the PDF is not validated as PDF/A-3).

    Raises:
        PdfUnavailable: The ``o2c[pdf]`` extra (xhtml2pdf) is not installed.
        TemplateFailed: A template fails, or the PDF cannot be laid out.
    """
    from o2c.io._pdf import html_to_pdf

    context = _document(document, seller, locale, corrects, payment_reference)
    page = _render("document.html", {**context, "pdf": True}, templates)
    return html_to_pdf(
        page, title=context["title"], author=_author(seller), attachments=attachments
    )


def _author(seller: Seller | None) -> str:
    return seller.legal_name if seller is not None else ""


def _statement(
    statement: Statement,
    customer: Customer | CustomerSnapshot,
    seller: Seller | None,
    locale: str | None,
) -> dict[str, Any]:
    return statement_context(statement, customer, seller=seller, locale=locale)


def render_statement_text(
    statement: Statement,
    customer: Customer | CustomerSnapshot,
    *,
    seller: Seller | None = None,
    locale: str | None = None,
    templates: TemplateDirs = None,
) -> str:
    """Render a customer's statement (:class:`o2c.ledger.Statement`) as plain text.

    Args:
        statement: The statement (``Book.statement``).
        customer: The customer it is for (name, address, tax id, locale).
        seller: Who sends it.
        locale: Override the customer's locale.
        templates: Folder(s) searched for ``statement.txt`` before the bundled one.
    """
    context = _statement(statement, customer, seller, locale)
    return _render("statement.txt", context, templates)


def render_statement_html(
    statement: Statement,
    customer: Customer | CustomerSnapshot,
    *,
    seller: Seller | None = None,
    locale: str | None = None,
    templates: TemplateDirs = None,
) -> str:
    """Render a customer's statement as a printable HTML page (``statement.html``)."""
    context = _statement(statement, customer, seller, locale)
    return _render("statement.html", {**context, "pdf": False}, templates)


def render_statement_pdf(
    statement: Statement,
    customer: Customer | CustomerSnapshot,
    *,
    seller: Seller | None = None,
    locale: str | None = None,
    templates: TemplateDirs = None,
) -> bytes:
    """Render a customer's statement as a PDF (needs the ``o2c[pdf]`` extra)."""
    from o2c.io._pdf import html_to_pdf

    context = _statement(statement, customer, seller, locale)
    page = _render("statement.html", {**context, "pdf": True}, templates)
    return html_to_pdf(page, title=context["title"], author=_author(seller))
