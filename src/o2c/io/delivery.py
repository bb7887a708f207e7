"""The e-mails o2c sends to customers: a document with its PDF (and UBL), a dunning letter.

Builds :class:`email.message.EmailMessage` values in the customer's language, from the
same catalogs as the rendered documents (:mod:`o2c.io._catalogs`): the subject
("Factura INV-2026-000001 de Tortillería SA"), a short body with what to pay, by when
and with which payment reference, and the attachments. Nothing here sends: the book
(``Book.send_document``) hands the message to an SMTP server (:class:`SmtpSettings`) and
records the delivery.

The body's amounts, dates and payment text are those of the rendered document
(:class:`o2c.io._render_views.Formatter`), so the e-mail and its PDF never disagree.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from typing import Final

import attrs
from babel.core import Locale, UnknownLocaleError

from o2c.billing import Document, DocumentKind
from o2c.dunning import LETTER_SUBJECTS, DunningAction
from o2c.errors import ValidationError
from o2c.io._catalogs import translations
from o2c.io._render_views import Formatter, _payment_reference
from o2c.parties import Seller

__all__ = [
    "SmtpSettings",
    "check_address",
    "document_message",
    "letter_message",
    "translator",
]

_TITLES: Final = {
    DocumentKind.INVOICE: "Invoice",
    DocumentKind.CREDIT_NOTE: "Credit note",
    DocumentKind.DEBIT_NOTE: "Debit note",
}
_ATTACHED: Final = {
    DocumentKind.INVOICE: "Please find attached invoice {number} of {date}.",
    DocumentKind.CREDIT_NOTE: "Please find attached credit note {number} of {date}.",
    DocumentKind.DEBIT_NOTE: "Please find attached debit note {number} of {date}.",
}


@attrs.frozen(slots=True)
class SmtpSettings:
    """Where the book's e-mails go: the book settings ``smtp.*``.

    The password is never stored in the book: ``password_env`` names the environment
    variable that holds it (setting ``smtp.password_env``).

    Attributes:
        host: The SMTP server (``smtp.host``).
        port: Its port (``smtp.port``; 587 for submission with STARTTLS).
        starttls: Upgrade the connection with STARTTLS before logging in (``smtp.starttls``).
        user: The login, if the server needs one (``smtp.user``).
        password_env: The environment variable with the password (``smtp.password_env``).
        timeout: Seconds to wait for the server (``smtp.timeout``).
        sender: The From address when the seller has no e-mail (``smtp.sender``).
    """

    host: str
    port: int = 587
    starttls: bool = True
    user: str = ""
    password_env: str = ""
    timeout: float = 30.0
    sender: str = ""


def check_address(field: str, value: str) -> str:
    """``value`` as an e-mail address (``name@domain``), stripped.

    >>> check_address("email", " ana@example.mx ")
    'ana@example.mx'

    Raises:
        ValidationError: It is not one address with a local part and a domain.
    """
    text = value.strip() if isinstance(value, str) else ""
    _name, address = email.utils.parseaddr(text)
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or address != text or any(c.isspace() for c in text):
        raise ValidationError(field, value, "an e-mail address such as billing@example.com")
    return address


def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en_US")


def translator(locale: str) -> Callable[[str], str]:
    """The ``gettext`` of ``locale`` from the bundled catalogs (English when unknown).

    >>> translator("es_MX")("Payment reminder")
    'Recordatorio de pago'
    >>> translator("de_DE")("Total due now: {amount}")
    'Insgesamt jetzt fällig: {amount}'
    """
    found = translations(_locale(locale))
    return lambda message: str(found.gettext(message))


def _headers(
    message: EmailMessage,
    *,
    subject: str,
    sender: str,
    recipients: Sequence[str],
    when: dt.datetime,
    message_id: str,
    locale: Locale,
) -> None:
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = email.utils.format_datetime(when)
    message["Message-ID"] = message_id
    message["Content-Language"] = str(locale).replace("_", "-")


def _closing(f: Formatter, seller: Seller | None) -> list[str]:
    lines = ["", f._("Kind regards,")]
    if seller is not None:
        lines.append(seller.legal_name)
    return lines


def document_message(
    document: Document,
    *,
    pdf: bytes,
    sender: str,
    recipients: Sequence[str],
    when: dt.datetime,
    message_id: str,
    seller: Seller | None = None,
    ubl: bytes | None = None,
    locale: str | None = None,
) -> EmailMessage:
    """The e-mail that sends issued ``document`` to its customer.

    Args:
        document: The issued invoice, credit note or debit note.
        pdf: Its PDF (attached as ``NUMBER.pdf``).
        sender: The From address (the seller's e-mail).
        recipients: The To addresses (the customer's).
        when: The Date header.
        message_id: The Message-ID header (``<...@domain>``), recorded with the delivery.
        seller: Who sends it (named in the subject and under the greeting).
        ubl: Its UBL e-invoice, attached as ``NUMBER.xml`` when given.
        locale: Override the language of the document (the customer's locale).

    Raises:
        ValidationError: ``document`` is a draft.
    """
    if document.number is None or document.issue_date is None:
        raise ValidationError("document", str(document.id), "an issued document, not a draft")
    f = Formatter(locale or document.customer.locale)
    title = f._(_TITLES[document.kind])
    if seller is not None:
        subject = f._("{title} {number} from {seller}", title=title, number=document.number,
                      seller=seller.legal_name)  # fmt: skip
    else:
        subject = f._("{title} {number}", title=title, number=document.number)
    body = [
        f._("Dear {name},", name=document.customer.legal_name),
        "",
        f._(
            _ATTACHED[document.kind],
            number=document.number,
            date=f.date(document.issue_date),
        ),
    ]
    if document.kind is DocumentKind.CREDIT_NOTE:
        body.append(f._("The amount will be offset against your open invoices or refunded."))
    else:
        amount = f.money(document.totals.payable)
        if document.due_date is not None:
            body.append(
                f._("Please pay {amount} by {date}.", amount=amount, date=f.date(document.due_date))
            )
        else:
            body.append(f._("Please pay {amount}.", amount=amount))
        body.append(f"{f._('Payment reference')}: {_payment_reference(document)}")
    if ubl is not None:
        body.append(f._("The e-invoice (UBL XML) is attached as well."))
    body += _closing(f, seller)
    message = EmailMessage()
    message.set_content("\n".join(body) + "\n")
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=f"{document.number}.pdf"
    )
    if ubl is not None:
        message.add_attachment(
            ubl, maintype="application", subtype="xml", filename=f"{document.number}.xml"
        )
    # After the attachments: making the message multipart moves Content-* headers into
    # its first part, and Content-Language belongs to the whole message.
    _headers(
        message,
        subject=subject,
        sender=sender,
        recipients=recipients,
        when=when,
        message_id=message_id,
        locale=f.locale,
    )
    return message


def letter_message(
    letter: str,
    action: DunningAction,
    *,
    sender: str,
    recipients: Sequence[str],
    when: dt.datetime,
    message_id: str,
    locale: str,
    seller: Seller | None = None,
) -> EmailMessage:
    """The e-mail of a dunning letter (already rendered in ``locale``).

    The subject is the step's (:data:`o2c.dunning.LETTER_SUBJECTS`: "Recordatorio de
    pago", "Letzte Mahnung") in ``locale``, naming the seller; the letter is the body,
    signed by the seller.
    """
    f = Formatter(locale)
    subject = f._(LETTER_SUBJECTS[action])
    if seller is not None:
        subject = f._("{subject} from {seller}", subject=subject, seller=seller.legal_name)
    message = EmailMessage()
    _headers(
        message,
        subject=subject,
        sender=sender,
        recipients=recipients,
        when=when,
        message_id=message_id,
        locale=f.locale,
    )
    message.set_content("\n".join([letter, *_closing(f, seller)]) + "\n")
    return message
