"""Delivery on the book: e-mail issued documents and dunning letters over SMTP, and keep a
record of each attempt.

The message is built by :mod:`o2c.io.delivery` in the customer's language (the PDF of
:func:`o2c.io.render_pdf`, the UBL of :func:`o2c.io.ubl.write_ubl` where the customer's
delivery preference or the caller asks for it); this module checks the command may run,
hands the message to the SMTP server of the book's ``smtp.*`` settings (the password from
the environment variable ``smtp.password_env`` names, never from the book) and records
the delivery (``deliveries``) in one command: ``sent`` with its Message-ID, or
``failed`` with the server's error. A failed attempt changes nothing else.

The e-mail leaves before its record is written (a mail server takes part in no
transaction): if the book cannot write the record afterwards, the e-mail is out and the
error says so.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import secrets
from collections.abc import Iterable, Sequence
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Final

import attrs

from o2c.billing import Document, DocumentStatus
from o2c.book import _sellers
from o2c.book._approval_requests import new_id
from o2c.book._area import Area
from o2c.book._catalog import list_rate_cards
from o2c.book._customers import get_customer
from o2c.book._lookups import get_document
from o2c.book._rendering import render_templates
from o2c.book._session import Session, Touched
from o2c.book._tables import deliveries as deliveries_table
from o2c.book._tables import settings as settings_table
from o2c.errors import Conflict, NotFound, O2CError, ValidationError
from o2c.parties import Customer, DeliveryChannel, Seller

if TYPE_CHECKING:
    from o2c.io.delivery import SmtpSettings

__all__ = [
    "SMTP_SETTINGS",
    "Delivery",
    "DeliveryMixin",
    "customer_recipients",
    "list_deliveries",
    "message_id",
    "record_delivery",
    "send_document",
    "send_message",
    "sender_address",
    "server_settings",
    "set_smtp",
    "smtp_settings",
]

#: The book settings of the SMTP server (the password stays in the environment).
SMTP_SETTINGS: Final = (
    "smtp.host",
    "smtp.port",
    "smtp.starttls",
    "smtp.user",
    "smtp.password_env",
    "smtp.timeout",
    "smtp.sender",
)
#: Delivery formats that attach the UBL e-invoice beside the PDF.
UBL_FORMATS: Final = frozenset({"ubl", "pdf+ubl", "peppol"})


@attrs.frozen(slots=True)
class Delivery:
    """One e-mail sent (or tried) to a customer.

    Attributes:
        id: The delivery id (``DL0000000001``).
        document: The document's number, for a document's e-mail.
        notice: The dunning notice's id, for a letter.
        customer: The customer.
        channel: ``email``.
        status: ``sent`` or ``failed``.
        message_id: The e-mail's Message-ID header.
        sent_at: When it was handed to the server (or failed).
        sender: The From address.
        recipients: The To addresses.
        subject: The subject line, as the customer reads it.
        attachments: The attached file names.
        error: Why it failed (empty when sent).
        created_by: Who sent it.
    """

    id: str
    document: str | None
    notice: str | None
    customer: str
    channel: str
    status: str
    message_id: str
    sent_at: dt.datetime
    sender: str
    recipients: tuple[str, ...]
    subject: str
    attachments: tuple[str, ...]
    error: str
    created_by: str

    @property
    def sent(self) -> bool:
        """Whether the server accepted it."""
        return self.status == "sent"


# -- settings ---------------------------------------------------------------------------


def _flag(key: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValidationError(key, text, "true or false")


def smtp_settings(session: Session) -> SmtpSettings | None:
    """The book's SMTP server (:class:`o2c.io.delivery.SmtpSettings`), or ``None``.

    Raises:
        ValidationError: A stored ``smtp.*`` setting is not valid.
    """
    from o2c.io.delivery import SmtpSettings

    values = {k: session.setting(k) or "" for k in SMTP_SETTINGS}
    if not values["smtp.host"]:
        return None
    try:
        port = int(values["smtp.port"] or "587")
        timeout = float(values["smtp.timeout"] or "30")
    except ValueError:
        raise ValidationError(
            "smtp.port", values["smtp.port"], "a port number (and smtp.timeout seconds)"
        ) from None
    return SmtpSettings(
        host=values["smtp.host"],
        port=port,
        starttls=_flag("smtp.starttls", values["smtp.starttls"] or "true"),
        user=values["smtp.user"],
        password_env=values["smtp.password_env"],
        timeout=timeout,
        sender=values["smtp.sender"],
    )


def set_smtp(
    session: Session,
    settings: SmtpSettings | None,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> SmtpSettings | None:
    """Keep ``settings`` (an ``SmtpSettings``) as the book's SMTP server; ``None`` forgets it."""
    from o2c.io.delivery import SmtpSettings, check_address

    values = dict.fromkeys(SMTP_SETTINGS, "")
    if settings is not None:
        if not isinstance(settings, SmtpSettings) or not settings.host.strip():
            raise ValidationError("smtp.host", getattr(settings, "host", settings), "a host name")
        if not 0 < settings.port < 65536:
            raise ValidationError("smtp.port", settings.port, "a port from 1 to 65535")
        if settings.password_env and not settings.password_env.replace("_", "").isalnum():
            raise ValidationError(
                "smtp.password_env", settings.password_env, "the NAME of an environment variable"
            )
        values.update(
            {
                "smtp.host": settings.host.strip(),
                "smtp.port": str(settings.port),
                "smtp.starttls": "true" if settings.starttls else "false",
                "smtp.user": settings.user,
                "smtp.password_env": settings.password_env,
                "smtp.timeout": str(settings.timeout),
                "smtp.sender": check_address("smtp.sender", settings.sender)
                if settings.sender
                else "",
            }
        )

    def body(touched: Touched) -> dict[str, Any]:
        for key, value in values.items():
            session.set_setting(key, value)
        touched.add("smtp.host")
        return {}

    session.run("set_smtp", actor=actor, key=idempotency_key, args=values, body=body)
    return smtp_settings(session)


# -- sending ----------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def send_message(message: EmailMessage, settings: SmtpSettings) -> str:
    """Hand ``message`` to the SMTP server; return the error in one line, ``""`` when sent.

    Recipients the server refuses while it takes others are named in the error of a
    delivery that is still ``sent``.
    """
    password = ""
    if settings.password_env:
        found = os.environ.get(settings.password_env)
        if found is None:
            return f"the environment variable {settings.password_env} (smtp.password_env) is unset"
        password = found
    # smtplib and ssl load when a message is sent, not with the Book (o2c start-up).
    import smtplib
    import ssl

    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user:
                server.login(settings.user, password)
            refused = server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{settings.host}:{settings.port}: {_one_line(exc)}"
    if refused:
        return "refused: " + ", ".join(sorted(refused))
    return ""


def _delivery(row: deliveries_table.DeliveryRow, number: str | None) -> Delivery:
    return Delivery(
        row.id,
        number,
        row.notice_id,
        row.customer_id,
        row.channel,
        row.status,
        row.message_id,
        row.sent_at,
        row.sender,
        row.recipients,
        row.subject,
        row.attachments,
        row.error,
        row.created_by,
    )


def _number_of(session: Session, document_id: str | None) -> str | None:
    if document_id is None:
        return None
    return get_document(session, document_id).number


def record_delivery(
    session: Session,
    command: str,
    message: EmailMessage,
    *,
    customer: str,
    error: str,
    document_id: str | None = None,
    notice_id: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Delivery:
    """Write the delivery of ``message`` (``failed`` when ``error``) as one command."""
    recipients = tuple(a for _, a in email.utils.getaddresses([str(message["To"])]))
    attachments = tuple(str(p.get_filename()) for p in message.iter_attachments())
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        delivery_id = new_id(session, "delivery", "DL")
        deliveries_table.insert(
            session.store,
            deliveries_table.DeliveryRow(
                delivery_id,
                document_id,
                notice_id,
                customer,
                DeliveryChannel.EMAIL.value,
                "failed" if error else "sent",
                str(message["Message-ID"]),
                session.now(),
                str(message["From"]),
                recipients,
                str(message["Subject"]),
                attachments,
                error,
                who,
            ),
        )
        touched.add(delivery_id)
        return {"id": delivery_id}

    result = session.run(
        command,
        actor=actor,
        key=idempotency_key,
        args={
            "document": document_id,
            "notice": notice_id,
            "recipients": list(recipients),
            "message_id": str(message["Message-ID"]),
        },
        body=body,
    )
    return _load_delivery(session, str(result["id"]))


def _load_delivery(session: Session, delivery_id: str) -> Delivery:
    with session.store.transaction(write=False):
        row = deliveries_table.rows(session.store, ids=[delivery_id])[0]
        return _delivery(row, _number_of(session, row.document_id))


def customer_recipients(customer: Customer, to: Sequence[str] | None) -> tuple[str, ...]:
    from o2c.io.delivery import check_address

    if to:
        return tuple(check_address("to", a) for a in to)
    preference = customer.delivery
    if preference.channel is not DeliveryChannel.EMAIL:
        raise ValidationError(
            "delivery.channel",
            preference.channel.value,
            f"email to send it: customer {customer.id} takes documents by "
            f"{preference.channel.value} (o2c customer edit {customer.id} --delivery email)",
        )
    if not preference.recipients:
        raise ValidationError(
            "email",
            customer.id,
            f"an e-mail address of the customer (o2c customer edit {customer.id} --email ...)",
        )
    return tuple(check_address("email", a) for a in preference.recipients)


def sender_address(seller: Seller | None, settings: SmtpSettings, sender: str | None) -> str:
    from o2c.io.delivery import check_address

    chosen = sender or (seller.email if seller is not None else "") or settings.sender
    if not chosen:
        raise ValidationError(
            "sender",
            "",
            "the seller's e-mail (o2c seller set --email ...) or the setting smtp.sender",
        )
    return check_address("sender", chosen)


def server_settings(session: Session, smtp: SmtpSettings | None) -> SmtpSettings:
    chosen = smtp if smtp is not None else smtp_settings(session)
    if chosen is None:
        raise ValidationError(
            "smtp.host", "", "the book's SMTP server (o2c invoice smtp --host HOST --port PORT)"
        )
    return chosen


def message_id(sender: str, stamp: dt.datetime) -> str:
    # Short enough that the header is never folded: <random.time@sender's domain>.
    domain = sender.rpartition("@")[2]
    return f"<{secrets.token_hex(8)}.{stamp:%Y%m%d%H%M%S}@{domain}>"


def _already(session: Session, key: str | None) -> str | None:
    # A repeated idempotency key returns the first delivery and sends nothing again.
    if key is None:
        return None
    with session.store.transaction(write=False):
        found = settings_table.idempotent_result(session.store, key)
    if found is None:
        return None
    return str(found[2]["id"])


def _document_parts(session: Session, doc: Document, ubl: bool) -> tuple[Seller | None, Any]:
    seller = _sellers.document_seller(session, str(doc.id))
    if seller is None:
        try:
            seller = _sellers.seller_identity(session)
        except NotFound:
            seller = None
    corrected = get_document(session, str(doc.reference)) if doc.reference else None
    pdf_and_ubl: dict[str, Any] = {"corrects": corrected}
    if ubl:
        from o2c.io.ubl import rate_card_units, write_ubl

        if seller is None:
            raise ValidationError(
                "ubl", str(doc.number), "the seller's identity to write UBL (o2c seller set)"
            )
        units = rate_card_units(*list_rate_cards(session))
        pdf_and_ubl["ubl"] = write_ubl(doc, seller, corrected=corrected, units=units)
    return seller, pdf_and_ubl


def send_document(
    session: Session,
    document: str,
    *,
    smtp: SmtpSettings | None = None,
    to: Sequence[str] | None = None,
    sender: str | None = None,
    ubl: bool | None = None,
    locale: str | None = None,
    again: bool = False,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Delivery:
    """E-mail issued ``document`` to its customer; see :meth:`DeliveryMixin.send_document`."""
    first = _already(session, idempotency_key)
    if first is not None:
        return _load_delivery(session, first)
    from o2c.io import render_pdf
    from o2c.io.delivery import document_message

    session.authorize("send_document", actor)
    with session.store.transaction(write=False):
        doc = get_document(session, document)
        if doc.status is DocumentStatus.DRAFT or doc.number is None:
            raise ValidationError(
                "document", document, "an issued document (issue the draft first)"
            )
        if not again and deliveries_table.sent_documents(session.store, [str(doc.id)]):
            raise Conflict(
                f"{doc.number} was sent already (o2c invoice deliveries {doc.number}); "
                "pass --again (again=True) to send it once more"
            )
        customer = get_customer(session, str(doc.customer.customer_id))
        recipients = customer_recipients(customer, to)
        settings = server_settings(session, smtp)
        want_ubl = ubl if ubl is not None else customer.delivery.format.lower() in UBL_FORMATS
        seller, parts = _document_parts(session, doc, want_ubl)
        from_address = sender_address(seller, settings, sender)
        templates = render_templates(session)
        pdf = render_pdf(
            doc,
            seller=seller,
            locale=locale,
            corrects=parts["corrects"],
            templates=templates,
        )
    stamp = session.now()
    message = document_message(
        doc,
        pdf=pdf,
        sender=from_address,
        recipients=recipients,
        when=stamp,
        message_id=message_id(from_address, stamp),
        seller=seller,
        ubl=parts.get("ubl"),
        locale=locale,
    )
    error = send_message(message, settings)
    return _recorded(
        session,
        "send_document",
        message,
        customer=str(customer.id),
        error=error,
        document_id=str(doc.id),
        actor=actor,
        idempotency_key=idempotency_key,
    )


def _recorded(session: Session, command: str, message: EmailMessage, **kwargs: Any) -> Delivery:
    try:
        return record_delivery(session, command, message, **kwargs)
    except O2CError as exc:
        if kwargs["error"]:
            raise
        raise O2CError(
            f"the e-mail {message['Message-ID']} was sent but its delivery was not recorded: {exc}"
        ) from exc


def list_deliveries(
    session: Session, *, document: str | None = None, notices: Iterable[str] | None = None
) -> list[Delivery]:
    """Deliveries, oldest first: of a document (id or number), of dunning notices, or all."""
    with session.store.transaction(write=False):
        doc_id = None if document is None else str(get_document(session, document).id)
        found = deliveries_table.rows(
            session.store,
            document_id=doc_id,
            notice_ids=None if notices is None else list(notices),
        )
        numbers: dict[str, str | None] = {}
        for row in found:
            if row.document_id is not None and row.document_id not in numbers:
                numbers[row.document_id] = _number_of(session, row.document_id)
        return [_delivery(r, numbers.get(r.document_id or "")) for r in found]


class DeliveryMixin(Area):
    """E-mail documents and dunning letters to customers, and the deliveries made."""

    def smtp_settings(self) -> SmtpSettings | None:
        """The book's SMTP server (:class:`o2c.io.delivery.SmtpSettings`), or ``None``."""
        return smtp_settings(self._session)

    def set_smtp(
        self,
        settings: SmtpSettings | None,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> SmtpSettings | None:
        """Send the book's e-mails through this server (an ``o2c.io.delivery.SmtpSettings``);
        ``None`` forgets it. Kept as the settings ``smtp.host``, ``smtp.port``,
        ``smtp.starttls``, ``smtp.user``, ``smtp.password_env`` (the NAME of the
        environment variable with the password: the password is never stored),
        ``smtp.timeout`` and ``smtp.sender``.

        Raises:
            ValidationError: A host, port, variable name or sender is not valid.
            CommandNotPermitted: The book has roles and ``actor`` is no controller.
        """
        return set_smtp(self._session, settings, actor=actor, idempotency_key=idempotency_key)

    def send_document(
        self,
        document: str,
        *,
        smtp: SmtpSettings | None = None,
        to: Sequence[str] | None = None,
        sender: str | None = None,
        ubl: bool | None = None,
        locale: str | None = None,
        again: bool = False,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Delivery:
        """E-mail issued ``document`` to its customer, in the customer's language, with its
        PDF attached (and its UBL e-invoice where the customer's delivery format is
        ``ubl``, or with ``ubl=True``), and record the delivery.

        A server that cannot be reached, or refuses the message, gives a ``failed``
        delivery with its error (returned, not raised); nothing else changes.

        Args:
            document: Its number or id.
            smtp: The server (default: the book's ``smtp.*`` settings).
            to: Send to these addresses instead of the customer's.
            sender: The From address (default: the seller's e-mail, else ``smtp.sender``).
            ubl: Attach the UBL e-invoice (default: as the customer's preference says).
            locale: Override the customer's language.
            again: Send a document that was sent already.
            actor: Who sends it.
            idempotency_key: Repeating the key returns the first delivery, sending nothing.

        Raises:
            ValidationError: A draft, no e-mail address, no server or no sender.
            Conflict: It was sent already and ``again`` is not set.
            CommandNotPermitted: The book has roles and ``actor`` holds none that sends.
        """
        return send_document(
            self._session,
            document,
            smtp=smtp,
            to=to,
            sender=sender,
            ubl=ubl,
            locale=locale,
            again=again,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def list_deliveries(
        self, *, document: str | None = None, notices: Iterable[str] | None = None
    ) -> list[Delivery]:
        """Deliveries, oldest first: of a document (number or id), of dunning notices
        (their ids), or every one."""
        return list_deliveries(self._session, document=document, notices=notices)
