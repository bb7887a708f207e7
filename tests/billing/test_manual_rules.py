"""Manual invoices: the item's tax category applies, and nothing rounds to an invoice of 0.

Found as a billing team would: rate-card items marked ``Z`` (zero-rated food) and ``E``
(exempt education) were taxed 16 % IVA on manual invoices, and a quantity of 0 or 1e-9
was issued as an invoice of 0.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import ManualLine, TaxContext, manual_invoice
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.parties import Address, Customer
from o2c.pricing import Flat, Item, PerUnit, RateCard, RateCardVersion
from o2c.tax import TaxProfile, bundled_table

MXN = Currency.of("MXN")
DAY = dt.date(2026, 10, 20)
BUYER = Customer(CustomerId("C-1"), "ACME", Address("Calle 1", "CDMX", "06600", "MX"), "MX", MXN)
TAX = TaxContext(TaxProfile("MX", tax_id="AAA010101AAA"), bundled_table("MX"))
CARD = RateCard(
    code="mx",
    currency="MXN",
    versions=[
        RateCardVersion(
            dt.date(2026, 1, 1),
            [
                Item(
                    code=ItemCode("tortillas"),
                    name="Tortillas",
                    unit="kg",
                    tax_category="Z",
                    model=PerUnit(unit_price="25.00"),
                ),
                Item(
                    code=ItemCode("course"),
                    name="Curso",
                    unit="course",
                    tax_category="E",
                    model=Flat(price="1000.00"),
                ),
                Item(
                    code=ItemCode("seat"),
                    name="Asiento",
                    unit="seat",
                    tax_category="S",
                    model=PerUnit(unit_price="100.00"),
                ),
            ],
        )
    ],
)


def test_items_are_taxed_by_their_rate_card_category() -> None:
    draft = manual_invoice(
        DocumentId("M-1"),
        BUYER,
        [
            ManualLine(ItemCode("tortillas"), Decimal(10)),
            ManualLine(ItemCode("course"), Decimal(1)),
            ManualLine(ItemCode("seat"), Decimal(2)),
        ],
        tax=TAX,
        tax_point=DAY,
        rate_card=CARD,
    )
    by_item = {str(line.item): line for line in draft.lines}
    assert str(by_item["tortillas"].net) == "250.00 MXN"
    assert [t.category for t in by_item["tortillas"].taxes] == ["Z"]
    assert str(by_item["tortillas"].tax) == "0.00 MXN"
    assert [t.category for t in by_item["course"].taxes] == ["E"]
    assert str(by_item["course"].tax) == "0.00 MXN"
    assert str(by_item["seat"].tax) == "32.00 MXN"  # 200.00 x 16 %
    assert str(draft.totals.tax) == "32.00 MXN"
    assert by_item["tortillas"].description == "Tortillas"


def test_a_typed_price_for_a_listed_item_keeps_the_items_category() -> None:
    draft = manual_invoice(
        DocumentId("M-1"),
        BUYER,
        [ManualLine(ItemCode("tortillas"), Decimal(4), Money.of("20.00", MXN))],
        tax=TAX,
        tax_point=DAY,
        rate_card=CARD,
    )
    assert str(draft.totals.net) == "80.00 MXN"
    assert str(draft.totals.tax) == "0.00 MXN"


def test_a_line_tax_code_overrides_the_items_category() -> None:
    draft = manual_invoice(
        DocumentId("M-1"),
        BUYER,
        [ManualLine(ItemCode("tortillas"), Decimal(4), tax_code="services")],
        tax=TAX,
        tax_point=DAY,
        rate_card=CARD,
    )
    assert str(draft.totals.tax) == "16.00 MXN"  # 100.00 x 16 %


@pytest.mark.parametrize("quantity", ["0", "-1"])
def test_a_quantity_of_zero_or_less_is_refused(quantity: str) -> None:
    with pytest.raises(ValidationError, match=r"lines\[0\]\.quantity"):
        manual_invoice(
            DocumentId("M-1"),
            BUYER,
            [ManualLine(ItemCode("x"), Decimal(quantity), Money.of("5", MXN))],
            tax=TAX,
            tax_point=DAY,
        )


def test_a_line_that_rounds_to_nothing_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match=r"lines\[0\]\.quantity.*rounds to 0.00 MXN"):
        manual_invoice(
            DocumentId("M-1"),
            BUYER,
            [ManualLine(ItemCode("x"), Decimal("1e-9"), Money.of("5", MXN))],
            tax=TAX,
            tax_point=DAY,
        )


def test_an_invoice_of_zero_is_refused() -> None:
    with pytest.raises(ValidationError, match="this invoice is 0"):
        manual_invoice(
            DocumentId("M-1"),
            BUYER,
            [ManualLine(ItemCode("x"), Decimal(3), Money.of("0", MXN))],
            tax=TAX,
            tax_point=DAY,
        )


def test_a_line_without_a_price_needs_a_card_that_lists_it() -> None:
    with pytest.raises(ValidationError, match=r"lines\[0\]\.unit_price"):
        manual_invoice(
            DocumentId("M-1"),
            BUYER,
            [ManualLine(ItemCode("unlisted"), Decimal(1))],
            tax=TAX,
            tax_point=DAY,
            rate_card=CARD,
        )
