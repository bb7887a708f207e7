"""E-mailing documents and dunning letters through a real SMTP server (aiosmtpd).

Each test starts its own server on 127.0.0.1 (:mod:`tests.mailbox`), sends through the
Book, and reads the messages back: subject, From, To, the body's language, the attached
files, and that the PDF opens and shows the invoice number.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.billing import payment_reference_printed, snapshot
from o2c.book import Book
from o2c.errors import Conflict, ValidationError
from o2c.io.delivery import SmtpSettings
from o2c.parties import Address, BankAccount, Customer, DeliveryPreference, Seller
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft, mx_customer
from tests.mailbox import (
    Mailbox,
    attachment,
    attachment_names,
    body_text,
    mailbox,
    pdf_text,
    refused,
)

__all__ = ["mailbox"]

OCT1 = dt.date(2026, 10, 1)
INV1 = "INV-2026-000001"


def mx_seller() -> Seller:
    return Seller(
        "Servicios Ejemplo SA de CV",
        Address("Av. Reforma 1", "Ciudad de México", "06600", "MX", "CMX"),
        TaxProfile("MX", tax_id="AAA010101AAA", regime="601"),
        clabe="032180000118359719",
        email="facturas@servicios.example",
    )


def de_seller() -> Seller:
    return Seller(
        "Muster GmbH",
        Address("Marienplatz 1", "München", "80331", "DE", "BY"),
        TaxProfile("DE", tax_id="DE136695976"),
        bank_accounts=(BankAccount("DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "Commerzbank"),),
        email="rechnung@muster.example",
    )


def es_mx_customer() -> Customer:
    return attrs.evolve(
        mx_customer("C-MX"),
        locale="es_MX",
        delivery=DeliveryPreference(recipients=("pagos@cliente.example",)),
    )


def de_customer() -> Customer:
    return attrs.evolve(
        customer("C-DE", "EUR", "Kunde AG"),
        country="DE",
        billing_address=Address("Hauptstr. 5", "Berlin", "10115", "DE"),
        locale="de_DE",
        delivery=DeliveryPreference(recipients=("buchhaltung@kunde.example",), format="ubl"),
    )


def _invoice(book: Book, who: Customer, currency: str, doc_id: str = "D1") -> str:
    draft = invoice_draft(doc_id, str(who.id), currency=currency)
    issued = book.create_invoice(attrs.evolve(draft, customer=snapshot(who)), issue_date=OCT1)
    assert issued.number is not None
    return issued.number


def _mexican_book(book: Book) -> str:
    book.set_seller(mx_seller())
    book.add_customer(es_mx_customer())
    return _invoice(book, es_mx_customer(), "MXN")


def test_an_es_mx_customer_gets_a_spanish_email_with_the_pdf_of_the_invoice(
    book: Book, mailbox: Mailbox
) -> None:
    number = _mexican_book(book)
    delivery = book.send_document(number, smtp=mailbox.smtp)
    assert delivery.status == "sent"
    assert delivery.error == ""
    [message] = mailbox.messages
    assert message["Subject"] == f"Factura {number} de Servicios Ejemplo SA de CV"
    assert message["From"] == "facturas@servicios.example"
    assert message["To"] == "pagos@cliente.example"
    assert mailbox.envelopes == [("facturas@servicios.example", ["pagos@cliente.example"])]
    assert message["Message-ID"] == delivery.message_id
    assert message["Content-Language"] == "es-MX"
    body = body_text(message)
    assert body.startswith("Apreciable Cliente C-MX SA de CV:")
    assert f"Adjunto le enviamos la factura {number} del 1 oct 2026." in body
    assert "Le rogamos pagar $116.00 a más tardar el 31 oct 2026." in body
    assert f"Referencia de pago: {payment_reference_printed(number)}" in body
    assert body.rstrip().endswith("Saludos cordiales,\nServicios Ejemplo SA de CV")
    assert attachment_names(message) == [f"{number}.pdf"]
    text = pdf_text(attachment(message, f"{number}.pdf"))
    assert number in text
    assert "Factura" in text
    [stored] = book.list_deliveries(document=number)
    assert stored == delivery
    assert stored.document == number
    assert stored.recipients == ("pagos@cliente.example",)
    assert stored.attachments == (f"{number}.pdf",)


def test_a_de_de_customer_asking_for_ubl_gets_a_german_email_with_pdf_and_ubl(
    book: Book, mailbox: Mailbox
) -> None:
    book.set_seller(de_seller())
    book.add_customer(de_customer())
    number = _invoice(book, de_customer(), "EUR")
    book.send_document(number, smtp=mailbox.smtp)
    [message] = mailbox.messages
    assert message["Subject"] == f"Rechnung {number} von Muster GmbH"
    assert message["From"] == "rechnung@muster.example"
    assert message["To"] == "buchhaltung@kunde.example"
    body = body_text(message)
    assert body.startswith("Sehr geehrte Damen und Herren,")
    assert f"anbei erhalten Sie die Rechnung {number} vom 01.10.2026." in body
    assert "Die E-Rechnung (UBL XML) liegt ebenfalls bei." in body
    assert "Mit freundlichen Grüßen\nMuster GmbH" in body
    assert attachment_names(message) == [f"{number}.pdf", f"{number}.xml"]
    assert number in pdf_text(attachment(message, f"{number}.pdf"))
    xml = attachment(message, f"{number}.xml")
    assert f"<cbc:ID>{number}</cbc:ID>".encode() in xml


def _tables(book: Book, leave: set[str]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but ``leave`` (and the delivery ids' counter)."""
    return {
        name: sorted((tuple(r) for r in book.export_table(name)[1] if r[0] != "delivery"), key=repr)
        for name in book.table_names()
        if name not in leave
    }


#: What recording a delivery writes: its row, its audit event (its seal, the chain's head
#: setting) and its id's counter (left out by :func:`_tables`).
RECORD = {"deliveries", "audit_events", "audit_seals", "settings"}


def test_a_refused_connection_is_recorded_failed_and_changes_nothing_else(book: Book) -> None:
    number = _mexican_book(book)
    before = _tables(book, RECORD)
    delivery = book.send_document(number, smtp=refused())
    assert delivery.status == "failed"
    assert not delivery.sent
    assert "127.0.0.1" in delivery.error
    assert "\n" not in delivery.error
    assert "Connection" in delivery.error or "refused" in delivery.error.lower()
    assert _tables(book, RECORD) == before
    assert [d.status for d in book.list_deliveries(document=number)] == ["failed"]


def test_a_failed_delivery_may_be_sent_again_but_a_sent_one_needs_again(
    book: Book, mailbox: Mailbox
) -> None:
    number = _mexican_book(book)
    book.send_document(number, smtp=refused())
    book.send_document(number, smtp=mailbox.smtp)
    with pytest.raises(Conflict, match="sent already"):
        book.send_document(number, smtp=mailbox.smtp)
    book.send_document(number, smtp=mailbox.smtp, again=True)
    assert [d.status for d in book.list_deliveries(document=number)] == [
        "failed",
        "sent",
        "sent",
    ]
    assert len(mailbox.messages) == 2


def test_a_repeated_idempotency_key_sends_nothing_twice(book: Book, mailbox: Mailbox) -> None:
    number = _mexican_book(book)
    first = book.send_document(number, smtp=mailbox.smtp, idempotency_key="k1")
    again = book.send_document(number, smtp=mailbox.smtp, idempotency_key="k1")
    assert again == first
    assert len(mailbox.messages) == 1


def test_a_customer_without_an_email_address_is_refused_and_nothing_is_sent(
    book: Book, mailbox: Mailbox
) -> None:
    book.set_seller(mx_seller())
    plain = mx_customer("C-MX")
    book.add_customer(plain)
    number = _invoice(book, plain, "MXN")
    before = _tables(book, set())
    with pytest.raises(ValidationError, match="e-mail address"):
        book.send_document(number, smtp=mailbox.smtp)
    assert _tables(book, set()) == before
    assert mailbox.messages == []
    book.send_document(number, smtp=mailbox.smtp, to=["otra@cliente.example"])
    assert mailbox.messages[0]["To"] == "otra@cliente.example"


def test_a_draft_is_not_sent(book: Book, mailbox: Mailbox) -> None:
    book.set_seller(mx_seller())
    book.add_customer(es_mx_customer())
    draft = book.create_draft(attrs.evolve(invoice_draft("D9", "C-MX", currency="MXN")))
    with pytest.raises(ValidationError, match="issued document"):
        book.send_document(str(draft.id), smtp=mailbox.smtp)
    assert mailbox.messages == []


def test_the_smtp_settings_are_kept_in_the_book_without_a_password(
    book: Book, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _mexican_book(book)
    kept = book.set_smtp(
        SmtpSettings("127.0.0.1", mailbox.port, starttls=False, password_env="O2C_TEST_SMTP_PW")
    )
    assert kept == book.smtp_settings()
    assert kept is not None
    assert kept.password_env == "O2C_TEST_SMTP_PW"
    monkeypatch.delenv("O2C_TEST_SMTP_PW", raising=False)
    failed = book.send_document(number)
    assert failed.status == "failed"
    assert "O2C_TEST_SMTP_PW" in failed.error
    book.set_smtp(SmtpSettings("127.0.0.1", mailbox.port, starttls=False))
    assert book.send_document(number).sent
    assert len(mailbox.messages) == 1


# -- dunning letters -------------------------------------------------------------------------

OCT20 = dt.date(2026, 11, 5)  # 5 days after the Oct 31 due date: the reminder step


def test_an_es_mx_customer_gets_a_spanish_dunning_letter_by_email(
    book: Book, mailbox: Mailbox
) -> None:
    number = _mexican_book(book)
    run = book.run_dunning(OCT20)
    [notice] = run.notices
    assert notice.letter.splitlines()[:3] == [
        "Apreciable Cliente C-MX SA de CV:",
        "",
        "Le recordamos amablemente que las siguientes partidas están vencidas.",
    ]
    assert (
        f"  {number}  vencimiento 2026-10-31  5 días de atraso  pendiente $116.00"
        "  a pagar $116.00" in notice.letter
    )
    assert "Total a pagar: $116.00" in notice.letter
    assert notice.letter.endswith("Si ya realizó el pago, por favor ignore esta carta.")
    sent = book.send_dunning_notices([notice.id], smtp=mailbox.smtp)
    [delivery] = sent.deliveries
    assert delivery.sent
    assert delivery.notice == notice.id
    assert delivery.document is None
    [message] = mailbox.messages
    assert message["Subject"] == "Recordatorio de pago de Servicios Ejemplo SA de CV"
    assert message["From"] == "facturas@servicios.example"
    assert message["To"] == "pagos@cliente.example"
    assert body_text(message).startswith(notice.letter)
    assert book.list_deliveries(notices=[notice.id]) == [delivery]
    again = book.send_dunning_notices([notice.id], smtp=mailbox.smtp)
    assert again.deliveries == ()
    assert again.skipped == ((notice.id, "sent already"),)
    assert len(mailbox.messages) == 1


def test_a_de_de_customer_gets_a_german_dunning_letter_by_email(
    book: Book, mailbox: Mailbox
) -> None:
    book.set_seller(de_seller())
    book.add_customer(de_customer())
    number = _invoice(book, de_customer(), "EUR")
    [notice] = book.run_dunning(OCT20).notices
    assert notice.letter.startswith(
        "Sehr geehrte Damen und Herren,\n\nwir möchten Sie freundlich daran erinnern, dass "
        "die folgenden Posten überfällig sind."
    )
    assert f"  {number}  fällig 2026-10-31  5 Tage überfällig  offen 116,00\u00a0€" in notice.letter
    assert "Insgesamt jetzt fällig: 116,00\u00a0€" in notice.letter
    book.send_dunning_notices([notice.id], smtp=mailbox.smtp)
    [message] = mailbox.messages
    assert message["Subject"] == "Zahlungserinnerung von Muster GmbH"
    assert message["To"] == "buchhaltung@kunde.example"
    assert "Mit freundlichen Grüßen\nMuster GmbH" in body_text(message)


def test_a_letter_to_a_customer_without_email_is_skipped_with_the_reason(
    book: Book, mailbox: Mailbox
) -> None:
    book.set_seller(mx_seller())
    book.add_customer(mx_customer("C-MX"))
    _invoice(book, mx_customer("C-MX"), "MXN")
    [notice] = book.run_dunning(OCT20).notices
    assert notice.letter.startswith("Dear Cliente C-MX SA de CV,")  # locale en_US as given
    sent = book.send_dunning_notices([notice.id], smtp=mailbox.smtp)
    assert sent.deliveries == ()
    [(skipped, reason)] = sent.skipped
    assert skipped == notice.id
    assert "e-mail address" in reason
    assert mailbox.messages == []


def test_letters_to_an_unreachable_server_are_recorded_failed(book: Book) -> None:
    _mexican_book(book)
    [notice] = book.run_dunning(OCT20).notices
    [delivery] = book.send_dunning_notices([notice.id], smtp=refused()).deliveries
    assert delivery.status == "failed"
    assert "127.0.0.1" in delivery.error
