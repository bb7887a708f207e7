"""A credit note names the lines it corrects, credits only those, and reads right.

Issue 18 item 6: an amount credited on one line was spread over every line; units of a
graduated line were credited at the line's average price instead of what the invoice
charged for them; a credited amount showed "0 × the invoice's unit price".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o2c.billing import (
    Document,
    DocumentLine,
    LineTax,
    ReasonCode,
    credit_note_for,
    draft_document,
    issue,
    remaining,
)
from o2c.errors import ValidationError
from o2c.ids import DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import Graduated, Tier, rate
from tests.billing.builders import USD, WHO, issued_invoice, taxed_line

MXN = Currency.of("MXN")
TIERS = Graduated(tiers=[Tier(1000, "1.00"), Tier(5000, "0.60"), Tier(None, "0.40")])


def _tiered_line(quantity: int, model: Graduated = TIERS, cur: Currency = MXN) -> DocumentLine:
    """A graduated line as a bill run stores it: net rounded, explanation per step."""
    rated = rate(model, quantity, currency=cur)
    net = rated.net()
    tax = LineTax("IVA", "S", Decimal("0.16"), (net * Decimal("0.16")).round(), tax="MX-IVA")
    return DocumentLine(
        0,
        ItemCode("API"),
        "API calls",
        Decimal(quantity),
        None,
        net,
        (tax,),
        explain=tuple(s.describe(cur) for s in rated.steps),
    )


def _mxn_invoice(*lines: DocumentLine) -> Document:
    draft = draft_document(DocumentId("I-9"), WHO, MXN, list(lines), payment_terms="net 30")
    return issue(draft, "INV-2026-000009", dt.date(2026, 10, 31))


def _credit(invoice: Document, prior: list[Document], **what: object) -> Document:
    return credit_note_for(
        invoice,
        prior,
        id=DocumentId(f"CN-{len(prior)}"),
        reason=ReasonCode.WRONG_QUANTITY,
        **what,  # type: ignore[arg-type]
    )


def test_units_of_a_graduated_line_are_credited_at_the_top_tier_first() -> None:
    """9,000 units on tiers 1-1,000 at 1.00, 1,001-5,000 at 0.60, 5,001+ at 0.40:
    1,000.00 + 2,400.00 + 1,600.00 = 5,000.00 MXN (IVA 800.00).

    Crediting 4,125 units credits the last 4,125 billed: 4,000 at 0.40 = 1,600.00 and
    125 at 0.60 = 75.00, so 1,675.00 (IVA 268.00), not the average 5,000 × 4,125 / 9,000
    = 2,291.67. The next 1,000 units are all tier 2: 600.00; the rest takes exactly what
    is left, 2,725.00, and the three add up to the line's 5,000.00.
    """
    invoice = _mxn_invoice(_tiered_line(9000))
    assert str(invoice.totals.net) == "5000.00 MXN"
    first = _credit(invoice, [], quantities={1: Decimal(4125)})
    (line,) = first.lines
    assert (line.quantity, str(line.net), str(line.tax)) == (
        Decimal(4125),
        "1675.00 MXN",
        "268.00 MXN",
    )
    assert line.explain == (
        "credit of API line 1",
        "the last 4125 units billed (top tier first), at the prices the invoice charged for them:",
        "  tier 3 units: 4000 × 0.4 = 1600",
        "  tier 2 units: 125 × 0.6 = 75",
    )
    second = _credit(invoice, [first], quantities={1: Decimal(1000)})
    assert str(second.totals.net) == "600.00 MXN"
    rest = _credit(invoice, [first, second], quantities={1: None})
    assert str(rest.totals.net) == "2725.00 MXN"
    assert sum(n.totals.net.amount for n in (first, second, rest)) == Decimal("5000.00")
    assert sum(n.totals.tax.amount for n in (first, second, rest)) == Decimal("800.00")


def test_a_credit_that_empties_a_tier_credits_its_flat_fee() -> None:
    """Tiers 1-1,000 at 1.00, 1,001+ at 0.50 plus a 50.00 flat fee; 3,000 units:
    1,000.00 + 50.00 + 1,000.00 = 2,050.00. Crediting 2,000 units empties tier 2:
    2,000 × 0.50 + 50.00 = 1,050.00; crediting 1,999 keeps one unit in tier 2: 999.50."""
    model = Graduated(tiers=[Tier(1000, "1.00"), Tier(None, "0.50", flat_fee="50")])
    invoice = _mxn_invoice(_tiered_line(3000, model))
    assert str(invoice.totals.net) == "2050.00 MXN"
    assert str(_credit(invoice, [], quantities={1: Decimal(2000)}).totals.net) == "1050.00 MXN"
    assert str(_credit(invoice, [], quantities={1: Decimal(1999)}).totals.net) == "999.50 MXN"


def test_a_line_without_tiers_still_credits_its_units_at_its_price() -> None:
    invoice = issued_invoice(taxed_line("SEAT", "5", "19.99"))
    note = _credit(invoice, [], quantities={1: Decimal(2)})
    assert str(note.totals.net) == "39.98 USD"
    assert note.lines[0].unit_price == Money.of("19.99", "USD")


def test_an_amount_on_one_line_credits_only_that_line_and_shows_no_unit_price() -> None:
    """Lines of 4,500.00, 1,650.00 and 300.00: 1,650.00 on line 2 credits line 2 only."""
    invoice = issued_invoice(
        taxed_line("SETUP", "1", "4500.00"),
        taxed_line("SEATS", "3", "550.00"),
        taxed_line("HOURS", "2", "150.00"),
    )
    note = _credit(invoice, [], amount=Money.of("1650.00", "USD"), quantities={2: None})
    (line,) = note.lines
    assert (line.ref_line, line.quantity, line.unit_price) == (2, Decimal(0), None)
    assert (str(line.net), str(line.tax)) == ("1650.00 USD", "264.00 USD")


def test_an_amount_above_what_is_left_on_the_line_is_refused_naming_the_line() -> None:
    invoice = issued_invoice(taxed_line("SETUP", "1", "4500.00"), taxed_line("SEATS", "3", "550"))
    with pytest.raises(ValidationError) as caught:
        _credit(invoice, [], amount=Money.of("1650.01", "USD"), quantities={2: None})
    assert str(caught.value) == (
        "cannot credit 1650.01 USD on line 2 of INV-2026-000001: 1650.00 USD invoiced, "
        "1650.00 USD left to credit"
    )


def test_an_amount_on_two_lines_is_spread_over_them_by_their_net() -> None:
    """100.00 over lines 1 (300.00) and 3 (100.00): 75.00 and 25.00; line 2 untouched."""
    invoice = issued_invoice(
        taxed_line("A", "1", "300.00"), taxed_line("B", "1", "200.00"), taxed_line("C", "1", "100")
    )
    note = _credit(invoice, [], amount=Money.of("100.00", "USD"), quantities={1: None, 3: None})
    assert [(ln.ref_line, str(ln.net.amount)) for ln in note.lines] == [(1, "75.00"), (3, "25.00")]


# -- property: a credit note credits only what it is asked to, never beyond what is left --

_LINES = st.lists(
    st.one_of(
        st.tuples(st.integers(1, 50), st.sampled_from(["0.333", "19.99", "150.00"])).map(
            lambda t: taxed_line("SKU", str(t[0]), t[1])
        ),
        st.integers(1, 12000).map(lambda q: _tiered_line(q, cur=USD)),
    ),
    min_size=1,
    max_size=4,
)


@st.composite
def _requests(draw: st.DrawFn, count: int) -> list[tuple[str, dict[int, object]]]:
    out: list[tuple[str, dict[int, object]]] = []
    for _ in range(draw(st.integers(1, 5))):
        chosen = draw(st.sets(st.integers(1, count), min_size=1))
        if draw(st.booleans()):
            out.append(("amount", {n: draw(st.integers(1, 500000)) for n in chosen}))
        else:
            out.append(("units", {n: draw(st.integers(1, 6000)) for n in chosen}))
    return out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_credit_notes_touch_only_the_lines_asked_and_never_exceed_them(data: st.DataObject) -> None:
    invoice = issued_invoice(*data.draw(_LINES))
    cur = invoice.currency
    notes: list[Document] = []
    for kind, asked in data.draw(_requests(len(invoice.lines))):
        try:
            if kind == "amount":
                total = Money.from_minor(sum(asked.values()), cur)  # type: ignore[arg-type]
                note = _credit(invoice, notes, amount=total, quantities=dict.fromkeys(asked))
                assert note.totals.net == total
            else:
                note = _credit(
                    invoice,
                    notes,
                    quantities={n: Decimal(str(q)) for n, q in asked.items()},
                )
        except ValidationError:
            continue
        assert {ln.ref_line for ln in note.lines} <= set(asked)
        notes.append(note)
        for left in remaining(invoice, notes):
            assert left.quantity >= 0
            assert left.net.amount >= 0
            assert all(t.amount.amount >= 0 for t in left.taxes)
