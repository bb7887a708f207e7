"""The e-mails o2c builds (o2c.io.delivery): subject, body and attachments in the customer's
language, and every mail and letter text translated in each bundled language."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import attrs
import pytest
from babel.core import Locale

from o2c.billing import Document, payment_reference_printed, snapshot
from o2c.dunning import LETTER_SUBJECTS, DunningAction, DunningItem, DunningNotice, render_letter
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.io._catalogs import translations
from o2c.io._mail_catalogs import MAIL_CATALOGS
from o2c.io.delivery import check_address, document_message, letter_message, translator
from o2c.money import Money
from o2c.parties import Address, Customer, Seller
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft

WHEN = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
SELLER = Seller(
    "Muster GmbH",
    Address("Marienplatz 1", "München", "80331", "DE"),
    TaxProfile("DE", tax_id="DE136695976"),
    email="rechnung@muster.example",
)


def _issued(who: Customer, currency: str = "EUR") -> Document:
    draft = invoice_draft("D1", str(who.id), currency=currency)
    return attrs.evolve(
        draft,
        customer=snapshot(who),
        number="INV-2026-000007",
        issue_date=dt.date(2026, 10, 1),
        due_date=dt.date(2026, 10, 31),
        status=draft.status.ISSUED,
    )


def _message(locale: str, ubl: bytes | None = None) -> EmailMessage:
    who = attrs.evolve(customer("C1", "EUR", "Kunde AG"), locale=locale)
    return document_message(
        _issued(who),
        pdf=b"%PDF-1.4 test",
        sender="rechnung@muster.example",
        recipients=["ap@kunde.example", "cfo@kunde.example"],
        when=WHEN,
        message_id="<m1@muster.example>",
        seller=SELLER,
        ubl=ubl,
    )


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


@pytest.mark.parametrize(
    ("locale", "subject", "opening"),
    [
        ("en_US", "Invoice INV-2026-000007 from Muster GmbH", "Dear Kunde AG,"),
        ("es_MX", "Factura INV-2026-000007 de Muster GmbH", "Apreciable Kunde AG:"),
        ("es_ES", "Factura INV-2026-000007 de Muster GmbH", "Estimado/a Kunde AG:"),
        ("de_DE", "Rechnung INV-2026-000007 von Muster GmbH", "Sehr geehrte Damen und Herren,"),
        ("fr_FR", "Facture INV-2026-000007 de Muster GmbH", "Madame, Monsieur,"),
    ],
)
def test_the_invoice_email_is_in_the_customers_language(
    locale: str, subject: str, opening: str
) -> None:
    message = _message(locale)
    assert message["Subject"] == subject
    assert message["From"] == "rechnung@muster.example"
    assert message["To"] == "ap@kunde.example, cfo@kunde.example"
    assert message["Message-ID"] == "<m1@muster.example>"
    assert message["Content-Language"] == locale.replace("_", "-")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert str(body.get_content()).startswith(opening)
    assert [p.get_filename() for p in message.iter_attachments()] == ["INV-2026-000007.pdf"]


def test_the_english_email_says_what_to_pay_by_when_and_the_reference() -> None:
    body = _body(_message("en_US"))
    assert body == (
        "Dear Kunde AG,\n\n"
        "Please find attached invoice INV-2026-000007 of Oct 1, 2026.\n"
        "Please pay €116.00 by Oct 31, 2026.\n"
        f"Payment reference: {payment_reference_printed('INV-2026-000007')}\n\n"
        "Kind regards,\nMuster GmbH\n"
    )


def test_the_ubl_is_attached_after_the_pdf_and_named_in_the_body() -> None:
    message = _message("de_DE", ubl=b"<Invoice/>")
    names = [p.get_filename() for p in message.iter_attachments()]
    assert names == ["INV-2026-000007.pdf", "INV-2026-000007.xml"]
    body = _body(message)
    assert "Die E-Rechnung (UBL XML) liegt ebenfalls bei." in body


def test_a_draft_has_no_email() -> None:
    with pytest.raises(ValidationError, match="issued document"):
        document_message(
            invoice_draft("D1"),
            pdf=b"",
            sender="a@b.example",
            recipients=["c@d.example"],
            when=WHEN,
            message_id="<x@b.example>",
        )


#: Every English message id the e-mails and letters use.
MAIL_IDS = sorted(MAIL_CATALOGS["es"])


@pytest.mark.parametrize("language", ["es", "de", "fr"])
def test_every_mail_and_letter_text_is_translated(language: str) -> None:
    assert sorted(MAIL_CATALOGS[language]) == MAIL_IDS


@pytest.mark.parametrize("language", ["es_MX", "de_DE", "fr_FR"])
def test_every_dunning_letter_is_written_without_an_english_text(language: str) -> None:
    usd = Money.of("0", "USD").currency
    item = DunningItem(
        DocumentId("D1"), "INV-1", dt.date(2026, 10, 1), dt.date(2026, 10, 1), 19,
        Money.of("500.00", usd), Money.of("120.00", usd), Money.of("380.00", usd),
    )  # fmt: skip
    used: list[str] = []
    catalog = translations(Locale.parse(language))

    def gettext(message: str) -> str:
        used.append(message)
        return str(catalog.gettext(message))

    for action in DunningAction:
        notice = DunningNotice(CustomerId("C1"), usd, 1, action, "standard", (item,))
        letter = render_letter(notice, name="Kunde", locale=language, gettext=gettext)
        assert "past due" not in letter
        assert "Total due now" not in letter
        assert translator(language)(LETTER_SUBJECTS[action]) != LETTER_SUBJECTS[action]
    untranslated = [m for m in used if catalog.gettext(m) == m]
    assert untranslated == []


def test_a_letter_email_has_the_steps_subject_and_is_signed() -> None:
    message = letter_message(
        "Sehr geehrte Damen und Herren,\n\n...",
        DunningAction.FINAL_NOTICE,
        sender="rechnung@muster.example",
        recipients=["ap@kunde.example"],
        when=WHEN,
        message_id="<l1@muster.example>",
        locale="de_DE",
        seller=SELLER,
    )
    assert message["Subject"] == "Letzte Mahnung von Muster GmbH"
    assert str(message.get_content()).endswith("Mit freundlichen Grüßen\nMuster GmbH\n")


@pytest.mark.parametrize(
    "bad", ["", "ana", "ana@", "@example.com", "ana@localhost", "a b@example.com", "a@b.c, d@e.f"]
)
def test_an_address_that_is_not_one_email_address_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="e-mail address"):
        check_address("email", bad)
