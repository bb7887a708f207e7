"""Rendering documents and statements to files for the CLI: the seller, the templates and
a write that never leaves a partial file.

Each output is rendered whole in memory, written to a temporary file in the target's
folder and renamed over the target, so a failing template, a missing PDF extra or a
full disk leaves no file behind (and an existing file as it was).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import click

from o2c.billing import Document, DocumentStatus
from o2c.book import Book
from o2c.errors import NotFound, O2CError
from o2c.parties import Seller

__all__ = [
    "DOCUMENT_FORMS",
    "SUFFIXES",
    "document_seller",
    "render_document",
    "template_dirs",
    "ubl_units",
    "write_atomic",
]

#: ``--as`` forms of ``o2c invoice render``.
DOCUMENT_FORMS: Final = ("text", "html", "pdf", "ubl", "cfdi")
#: File name suffix of each form (bulk rendering names files ``NUMBER.SUFFIX``).
SUFFIXES: Final = {"text": "txt", "html": "html", "pdf": "pdf", "ubl": "xml", "cfdi": "xml"}


def template_dirs(book: Book, templates: Path | None) -> list[Path]:
    """The folders searched before the bundled templates: ``--templates``, then the
    book's ``render.templates`` setting."""
    found = [templates] if templates is not None else []
    book_dir = book.render_templates()
    if book_dir is not None:
        found.append(book_dir)
    return found


def document_seller(book: Book, doc: Document) -> Seller | None:
    """The seller a document was issued under (``Book.document_seller``); for a document
    issued before any seller identity was set, the book's current identity, else ``None``."""
    return book.document_seller(str(doc.id)) or current_seller(book)


def current_seller(book: Book) -> Seller | None:
    """The book's current seller identity, or ``None`` when only a tax profile is set."""
    try:
        return book.seller_identity()
    except NotFound:
        return None


def _corrected(book: Book, doc: Document) -> Document | None:
    if doc.reference is None:
        return None
    return book.get_document(str(doc.reference))


def ubl_units(book: Book) -> dict[str, str]:
    """The unit of each item on the book's rate cards (``hour`` -> UBL ``HUR``), for UBL."""
    from o2c.io.ubl import rate_card_units

    return rate_card_units(*book.list_rate_cards())


def _ubl(
    doc: Document,
    seller: Seller | None,
    corrected: Document | None,
    units: Mapping[str, str] | None,
) -> bytes:
    from o2c.io.ubl import write_ubl

    if seller is None:
        raise click.ClickException(
            "--as ubl needs the seller's identity (legal name, address, tax id): o2c seller set"
        )
    return write_ubl(doc, seller, corrected=corrected, units=units)


def render_document(
    book: Book,
    doc: Document,
    form: str,
    *,
    embed_ubl: bool = False,
    units: Mapping[str, str] | None = None,
    **options: Any,
) -> bytes:
    """Render issued ``doc`` as ``form`` (text, html, pdf, ubl) for its customer.

    ``options`` go to the renderer (``locale``, ``templates``); ``embed_ubl`` attaches the
    UBL e-invoice to a PDF, with the items' ``units`` (:func:`ubl_units`).

    Raises:
        click.ClickException: ``doc`` is a draft, or UBL cannot be written.
        O2CError: A template fails, or the PDF extra is missing.
    """
    if doc.status is DocumentStatus.DRAFT or doc.number is None:
        raise click.ClickException(
            f"{doc.id} is a draft: issue it first (o2c invoice issue {doc.id}); "
            "only issued documents are rendered for customers"
        )
    if form == "cfdi":
        # The stamped CFDI as the PAC returned it (o2c cfdi stamp); it is the legal invoice
        # in Mexico, so it is never re-generated here.
        return book.cfdi_xml(str(doc.id))
    seller = document_seller(book, doc)
    corrected = _corrected(book, doc)
    if form == "ubl":
        return _ubl(doc, seller, corrected, units)
    from o2c.io import render_html, render_pdf, render_text

    kwargs = {"seller": seller, "corrects": corrected, **options}
    if form == "pdf":
        if embed_ubl:
            kwargs["attachments"] = {f"{doc.number}.xml": _ubl(doc, seller, corrected, units)}
        return render_pdf(doc, **kwargs)
    text = (render_html if form == "html" else render_text)(doc, **kwargs)
    return text.encode("utf-8")


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file under the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file, then rename).

    Raises:
        click.ClickException: ``path`` exists and ``force`` is not set, its folder does not
            exist, or it cannot be written (the message names the path).
    """
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); the document gets the mode any file the
        # user writes gets (the one it replaces keeps its own), so it can be shared or served.
        os.chmod(temp, path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None


def emit_bytes(data: bytes, output: Path | None, *, force: bool, binary: bool) -> bool:
    """Write ``data`` to ``output``, or to stdout; return whether a file was written."""
    if output is not None:
        write_atomic(output, data, force=force)
        return True
    if binary:
        if sys.stdout.isatty():
            raise click.ClickException("a PDF is binary: write it with -o FILE, or pipe it")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data.decode("utf-8"), nl=False)
    return False


def one_line(exc: O2CError) -> click.ClickException:
    """A domain error as the CLI's one-line error."""
    return click.ClickException(str(exc))
