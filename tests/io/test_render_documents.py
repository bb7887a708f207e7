"""What the customer reads: the seller, legal texts in their language, overridable templates,
statements and the PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    LineTax,
    ReasonCode,
    TaxSubtotal,
    compute_totals,
)
from o2c.calendar import Period
from o2c.ids import CustomerId, DocumentId, EntryId, ItemCode
from o2c.io import (
    TemplateFailed,
    render_html,
    render_pdf,
    render_statement_html,
    render_statement_text,
    render_text,
)
from o2c.ledger import EntryKind, Statement, StatementLine
from o2c.money import Currency, Money
from o2c.parties import Address, BankAccount, Seller
from o2c.tax import TaxProfile

REVERSE_CHARGE = (
    "Reverse charge: VAT to be accounted for by the customer "
    "(Article 196, Council Directive 2006/112/EC)"
)
SELLER = Seller(
    legal_name="Nordlicht Software GmbH",
    address=Address("Leopoldstraße 12", "München", "80802", "DE"),
    tax=TaxProfile(country="DE", tax_id="DE136695976"),
    registration="HRB 123456, Amtsgericht München",
    bank_accounts=(BankAccount("DE89370400440532013000", "COBADEFFXXX", "Commerzbank"),),
    email="rechnung@nordlicht.example",
)


def _eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def _reverse_charge_invoice(locale: str) -> Document:
    """A German seller's invoice to a Spanish business: reverse charge, 0 % VAT."""
    eur = Currency.of("EUR")
    lines = (
        DocumentLine(1, ItemCode("licence"), "Jahreslizenz Größe L", Decimal("2"),
                     _eur("1200"), _eur("2400"), (LineTax("EU-AE", "AE", Decimal(0), _eur("0")),)),
        DocumentLine(2, ItemCode("support"), "Soporte técnico", Decimal("12.5"),
                     _eur("80"), _eur("1000"), (LineTax("EU-AE", "AE", Decimal(0), _eur("0")),)),
    )  # fmt: skip
    breakdown = (
        TaxSubtotal("EU-AE", "AE", Decimal(0), _eur("3400"), _eur("0"),
                    exemption_reason=REVERSE_CHARGE, tax="VAT", label="VAT"),
    )  # fmt: skip
    customer = CustomerSnapshot(
        customer_id=CustomerId("C-ES-1"),
        legal_name="Ñandú Ingeniería S.L.",
        address=Address("Calle Mayor 5", "Madrid", "28013", "ES"),
        tax_id="ESB12345674",
        country="ES",
        locale=locale,
    )
    return Document(
        id=DocumentId("D-7"),
        kind=DocumentKind.INVOICE,
        status=DocumentStatus.ISSUED,
        customer=customer,
        currency=eur,
        lines=lines,
        totals=compute_totals(lines, eur, breakdown),
        number="INV-2026-000007",
        issue_date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 2),
        period=Period.month(2026, 10),
        payment_terms="net 30",
        notes=(
            "EU VAT: tax rounded per document, once per tax, category and rate (half up)",
            REVERSE_CHARGE,
        ),
    )


def test_reverse_charge_is_stated_in_the_customers_language() -> None:
    assert "Steuerschuldnerschaft des Leistungsempfängers" in render_html(
        _reverse_charge_invoice("de_DE"), seller=SELLER
    )
    assert "Inversión del sujeto pasivo" in render_html(
        _reverse_charge_invoice("es_ES"), seller=SELLER
    )
    assert "Reverse charge: VAT to be accounted for by the customer" in render_text(
        _reverse_charge_invoice("en_US"), seller=SELLER
    )


def test_technical_tax_notes_never_reach_the_customer() -> None:
    for locale in ("de_DE", "es_MX", "en_US"):
        page = render_html(_reverse_charge_invoice(locale), seller=SELLER)
        assert "rounded" not in page
        assert "half up" not in page


def test_every_document_names_the_seller_with_tax_id_registration_and_bank() -> None:
    page = render_html(_reverse_charge_invoice("de_DE"), seller=SELLER)
    for expected in (
        "Nordlicht Software GmbH", "Leopoldstraße 12", "80802 München", "Deutschland",
        "USt-IdNr. DE136695976", "HRB 123456, Amtsgericht München",
        "DE89 3704 0044 0532 0130 00",  # the IBAN in groups of four
        "COBADEFFXXX", "rechnung@nordlicht.example",
        "NIF-IVA ESB12345674",  # the Spanish customer's VAT id, named in Spanish terms
    ):  # fmt: skip
        assert expected.replace("NIF-IVA", "USt-IdNr.") in page, expected


def test_payment_terms_dates_and_amounts_follow_the_locale() -> None:
    german = render_text(_reverse_charge_invoice("de_DE"), seller=SELLER)
    assert "Zahlbar innerhalb von 30 Tagen netto" in german
    assert "02.12.2026" in german
    assert "3.400,00\xa0€" in german  # babel keeps the amount and its sign together
    assert "12,5" in german  # a quantity with the German decimal comma
    spanish = render_text(_reverse_charge_invoice("es_MX"), seller=SELLER)
    assert "30 días netos" in spanish
    assert "2 dic 2026" in spanish
    assert "EUR3,400.00" in spanish  # CLDR's es_MX form of a foreign currency


def test_the_payment_reference_is_the_creditor_reference_of_the_number() -> None:
    text = render_text(_reverse_charge_invoice("en_US"), seller=SELLER)
    assert "Payment reference: " in text
    reference = text.split("Payment reference: ")[1].splitlines()[0]
    assert reference.replace(" ", "").endswith("INV2026000007")


def test_a_caller_may_give_its_own_payment_reference() -> None:
    text = render_text(_reverse_charge_invoice("en_US"), payment_reference="RF18 5390 0754 7034")
    assert "Payment reference: RF18 5390 0754 7034" in text


def _credit_note(locale: str) -> Document:
    invoice = _reverse_charge_invoice(locale)
    line = attrs.evolve(invoice.lines[1], quantity=Decimal("2.5"), net=_eur("200"), ref_line=2)
    return attrs.evolve(
        invoice,
        id=DocumentId("D-8"),
        kind=DocumentKind.CREDIT_NOTE,
        lines=(attrs.evolve(line, number=1),),
        totals=compute_totals((attrs.evolve(line, number=1),), invoice.currency),
        number="CN-2026-000002",
        issue_date=dt.date(2026, 11, 20),
        reference=invoice.id,
        reason=ReasonCode.WRONG_QUANTITY,
        notes=("Credit note for INV-2026-000007",),
    )


def test_a_credit_note_names_the_invoice_it_corrects_by_number_and_date() -> None:
    invoice = _reverse_charge_invoice("de_DE")
    page = render_html(_credit_note("de_DE"), seller=SELLER, corrects=invoice)
    assert "Gutschrift CN-2026-000002" in page
    assert "INV-2026-000007 vom 02.11.2026" in page
    assert "Falsche Menge" in page
    assert "Credit note for" not in page  # the internal note: the Korrigiert row says it
    assert "Bitte überweisen" not in page  # nothing to pay on a credit note


def test_a_document_without_a_seller_still_renders() -> None:
    assert render_text(_reverse_charge_invoice("en_US")).startswith("Invoice INV-2026-000007\n")


# -- templates ---------------------------------------------------------------------------


def test_a_template_folder_overrides_one_template_and_keeps_the_others(tmp_path: Path) -> None:
    (tmp_path / "document.txt").write_text(
        "{{ _('Invoice') }} {{ number }} / {{ seller.legal_name }}"
        " / {{ fmt.money(doc.totals.payable) }}\n",
        encoding="utf-8",
    )
    doc = _reverse_charge_invoice("de_DE")
    text = render_text(doc, seller=SELLER, templates=tmp_path)
    assert text == "Rechnung INV-2026-000007 / Nordlicht Software GmbH / 3.400,00\xa0€\n"
    assert "<h1>Rechnung INV-2026-000007</h1>" in render_html(doc, templates=tmp_path)


def test_a_template_may_extend_the_bundled_one_and_replace_a_block(tmp_path: Path) -> None:
    (tmp_path / "document.html").write_text(
        '{% extends "o2c/document.html" %}{% block footer %}<p>Danke!</p>{% endblock %}',
        encoding="utf-8",
    )
    page = render_html(_reverse_charge_invoice("de_DE"), seller=SELLER, templates=[tmp_path])
    assert "<p>Danke!</p>" in page
    assert "Jahreslizenz Größe L" in page


def test_templates_escape_what_they_print(tmp_path: Path) -> None:
    (tmp_path / "document.html").write_text("<p>{{ customer_name }}</p>", encoding="utf-8")
    doc = _reverse_charge_invoice("en_US")
    doc = attrs.evolve(doc, customer=attrs.evolve(doc.customer, legal_name="<b>A&B</b>"))
    assert render_html(doc, templates=tmp_path) == "<p>&lt;b&gt;A&amp;B&lt;/b&gt;</p>"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ no_such_value }}", "template document.txt failed: 'no_such_value' is undefined"),
        ("{% if %}", "document.txt, line 1: Expected an expression"),
    ],
)
def test_a_failing_template_is_one_clear_error(tmp_path: Path, source: str, message: str) -> None:
    (tmp_path / "document.txt").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateFailed, match=message.split(":")[0]) as caught:
        render_text(_reverse_charge_invoice("en_US"), templates=tmp_path)
    assert "\n" not in str(caught.value)


def test_a_missing_template_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateFailed, match="is not a folder of templates"):
        render_text(_reverse_charge_invoice("en_US"), templates=tmp_path / "nope")


# -- statements --------------------------------------------------------------------------


def _statement() -> Statement:
    eur = Currency.of("EUR")
    return Statement(
        customer=CustomerId("C-ES-1"),
        currency=eur,
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 30),
        opening=_eur("100"),
        lines=(
            StatementLine(
                dt.date(2026, 11, 2),
                EntryId("E-1"),
                EntryKind.INVOICE,
                "INV-2026-000007",
                _eur("3400"),
                _eur("3500"),
            ),
            StatementLine(
                dt.date(2026, 11, 20),
                EntryId("E-2"),
                EntryKind.PAYMENT,
                "TRANSF-99",
                _eur("-1500"),
                _eur("2000"),
            ),
        ),
        closing=_eur("2000"),
        open_items=(),
        unapplied=_eur("0"),
    )


def test_a_statement_shows_opening_movements_and_closing_in_the_customers_language() -> None:
    customer = _reverse_charge_invoice("es_ES").customer
    text = render_statement_text(_statement(), customer, seller=SELLER)
    assert text.startswith("Estado de cuenta\n")
    for expected in ("Saldo inicial", "Factura", "INV-2026-000007", "Pago", "TRANSF-99",
                     "Saldo final", "2.000,00\xa0€", "Nordlicht Software GmbH"):  # fmt: skip
        assert expected in text, expected
    page = render_statement_html(_statement(), customer, seller=SELLER, locale="de_DE")
    assert "Kontoauszug" in page
    assert "Endsaldo" in page
    assert "DE89 3704 0044 0532 0130 00" in page


# -- PDF ---------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_seller_the_number_every_line_and_the_totals() -> None:
    pytest.importorskip("xhtml2pdf")
    data = render_pdf(_reverse_charge_invoice("de_DE"), seller=SELLER)
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    for expected in (
        "Nordlicht Software GmbH", "INV-2026-000007",
        "Jahreslizenz Größe L", "2.400,00 €", "Soporte técnico", "1.000,00 €",  # the lines
        "3.400,00 €", "0,00 €",  # net, tax and total
        "Steuerschuldnerschaft des Leistungsempfängers", "DE89 3704 0044 0532 0130 00",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_pdf_embeds_the_bundled_font_for_euro_and_umlauts() -> None:
    pytest.importorskip("xhtml2pdf")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(_reverse_charge_invoice("de_DE"), seller=SELLER)))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
        for font in [font.get_object()]
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_a_long_invoice_breaks_across_pages_with_the_table_header_repeated() -> None:
    pytest.importorskip("xhtml2pdf")
    doc = _reverse_charge_invoice("en_US")
    line = doc.lines[0]
    lines = tuple(attrs.evolve(line, number=n, description=f"Line {n}") for n in range(1, 81))
    doc = attrs.evolve(doc, lines=lines, totals=compute_totals(lines, doc.currency))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(doc, seller=SELLER)))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "Unit price" in page.extract_text()
    assert "Page 2 of" in reader.pages[1].extract_text()


def test_every_label_has_a_spanish_german_and_french_translation() -> None:
    from o2c.io import _catalogs

    spanish = set(_catalogs._ES)
    for name, catalog in (("de", _catalogs._DE), ("fr", _catalogs._FR)):
        assert spanish - set(catalog) == set(), name
    assert set(_catalogs._DE) - spanish <= set(_catalogs.LEGAL_TEXTS)


def test_a_local_logo_is_inlined_so_the_page_and_the_pdf_carry_it(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    logo = tmp_path / "logo.png"
    image.new("RGB", (120, 40), (11, 61, 99)).save(logo)
    seller = attrs.evolve(SELLER, logo=str(logo))
    page = render_html(_reverse_charge_invoice("de_DE"), seller=seller)
    assert '<img class="logo" src="data:image/png;base64,' in page
    pytest.importorskip("xhtml2pdf")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(_reverse_charge_invoice("de_DE"), seller=seller)))
    assert len(reader.pages[0].images) == 1


def test_a_debit_note_asks_for_payment_and_names_its_invoice() -> None:
    invoice = _reverse_charge_invoice("es_MX")
    note = attrs.evolve(
        _credit_note("es_MX"),
        kind=DocumentKind.DEBIT_NOTE,
        number="DN-2026-000001",
        reason=ReasonCode.WRONG_PRICE,
        due_date=dt.date(2026, 12, 20),
    )
    text = render_text(note, seller=SELLER, corrects=invoice)
    assert text.startswith("Nota de débito DN-2026-000001\n")
    assert "Corrige               INV-2026-000007 del 2 nov 2026\n" in text
    assert "Precio incorrecto" in text
    assert "Le rogamos pagar EUR200.00 a más tardar el 20 dic 2026." in text


def test_a_template_reaches_only_what_its_context_offers(tmp_path: Path) -> None:
    (tmp_path / "document.txt").write_text(
        "{{ doc.__class__.__mro__[-1].__subclasses__() }}", encoding="utf-8"
    )
    with pytest.raises(TemplateFailed):
        render_text(_reverse_charge_invoice("en_US"), templates=tmp_path)


@pytest.mark.parametrize(
    ("locale", "terms", "printed"),
    [
        ("en_US", "net 30", "Net 30 days"),
        ("es_MX", "net 30", "30 días netos"),
        ("de_DE", "net 30", "Zahlbar innerhalb von 30 Tagen netto"),
        ("en_US", "net 0", "Due on receipt"),
        ("de_DE", "net 0", "Sofort fällig ohne Abzug"),
        ("es_MX", "eom+15", "Fin de mes + 15 días"),
        ("de_DE", "day 10 of next month", "Am 10. des Folgemonats"),
        ("en_US", "2% 10, net 30", "2% 10, net 30"),  # terms o2c cannot read are printed as given
    ],
)
def test_payment_terms_are_written_out_in_the_documents_language(
    locale: str, terms: str, printed: str
) -> None:
    doc = attrs.evolve(_reverse_charge_invoice(locale), payment_terms=terms)
    assert f"  {printed}\n" in render_text(doc)


def test_a_users_template_translates_with_trans_and_underscore(tmp_path: Path) -> None:
    (tmp_path / "document.txt").write_text(
        '{% trans %}Invoice{% endtrans %}: {{ _("Net {days} days", days=14) }}\n', "utf-8"
    )
    text = render_text(_reverse_charge_invoice("de_DE"), templates=tmp_path)
    assert text == "Rechnung: Zahlbar innerhalb von 14 Tagen netto\n"


MX_SELLER = attrs.evolve(
    SELLER,
    tax=TaxProfile(country="MX", tax_id="ODE150101AB3"),
    clabe="002010077777777771",
)


def test_a_peso_document_shows_the_clabe_and_no_iban() -> None:
    # Mexico has no IBAN: a customer paying pesos is given the CLABE (as UBL does).
    from o2c.io._render_views import payment_accounts

    [account] = payment_accounts(MX_SELLER, "MXN")
    assert (account["scheme"], account["number"]) == ("CLABE", "002010077777777771")


def test_a_euro_document_of_a_seller_with_a_clabe_shows_its_iban() -> None:
    from o2c.io._render_views import payment_accounts

    [account] = payment_accounts(MX_SELLER, "EUR")
    assert (account["scheme"], account["number"]) == ("IBAN", "DE89 3704 0044 0532 0130 00")
    page = render_html(_reverse_charge_invoice("es_ES"), seller=MX_SELLER)
    assert "DE89 3704 0044 0532 0130 00" in page
    assert "002010077777777771" not in page
