"""A credit note reverses exactly the tax accounts its invoice posted.

The defect: the remainder of a line rebuilt its taxes without the tax they belong to, so a
credit of an invoice that posted IVA to ``2300-MX-IVA`` posted to ``2300-MX-IVA-16`` (and
withholdings likewise); the trial balance showed one account per code, netting nothing.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import Document, ReasonCode, credit_note_for, issue, post, remaining
from o2c.ids import AccountCode, DocumentId, EntryId
from o2c.money import Money
from tests.billing.builders import USD, issued_invoice, taxed_line


def _accounts(entry_lines: object) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in entry_lines:  # type: ignore[attr-defined]
        totals[line.account] = totals.get(line.account, Decimal(0)) + line.amount.amount
    return totals


def test_remaining_keeps_the_tax_each_line_tax_belongs_to() -> None:
    invoice = issued_invoice(taxed_line("SEAT", "10", "100.00", withholding="0.10"))
    (left,) = remaining(invoice, [])
    assert sorted(t.tax for t in left.taxes) == ["MX-ISR", "MX-IVA"]


def test_a_full_credit_posts_to_the_invoices_own_tax_accounts() -> None:
    invoice = issued_invoice(
        taxed_line("SEAT", "10", "100.00", withholding="0.10"),
        taxed_line("HOURS", "3", "33.33", withholding="0.10"),
    )
    note = credit_note_for(invoice, [], id=DocumentId("CN-1"), reason=ReasonCode.CANCELLATION)
    note = issue(note, "CN-2026-000001", invoice.issue_date)  # type: ignore[arg-type]
    billed = post(invoice, entry_id=EntryId("E-1"))
    credited = post(note, entry_id=EntryId("E-2"), corrected_open=invoice.totals.payable)
    tax_accounts = {a for a in _accounts(billed.lines) if a.startswith(("2300", "1400"))}
    assert tax_accounts == {a for a in _accounts(credited.lines) if a.startswith(("2300", "1400"))}
    # IVA 160.00 + 16.00 = 176.00 billed; ISR withheld 100.00 + 10.00 = 110.00.
    both = _accounts(billed.lines + credited.lines)
    assert all(amount == 0 for amount in both.values()), both


@given(
    quantity=st.integers(min_value=1, max_value=9),
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2),
    parts=st.integers(min_value=1, max_value=4),
)
def test_credits_in_parts_net_every_tax_account_to_zero(
    quantity: int, price: Decimal, parts: int
) -> None:
    invoice = issued_invoice(taxed_line("SEAT", str(quantity), str(price), withholding="0.10"))
    net = invoice.lines[0].net
    notes: list[Document] = []
    billed = post(invoice, entry_id=EntryId("E-0"))
    lines = list(billed.lines)
    open_amount = invoice.totals.payable
    for n in range(parts):
        left = remaining(invoice, notes)[0].net
        if left.is_zero:
            break
        share = None if n == parts - 1 else Money(net.amount / parts, USD).round().min(left)
        if share is not None and share.is_zero:
            continue
        note = credit_note_for(
            invoice,
            notes,
            id=DocumentId(f"CN-{n}"),
            reason=ReasonCode.WRONG_PRICE,
            amount=share,
        )
        note = issue(note, f"CN-{n}", invoice.issue_date)  # type: ignore[arg-type]
        notes.append(note)
        entry = post(note, entry_id=EntryId(f"E-{n + 1}"), corrected_open=open_amount)
        open_amount = (open_amount - note.totals.payable).max(Money.zero(USD))
        lines.extend(entry.lines)
    totals = _accounts(lines)
    assert all(v == 0 for a, v in totals.items() if not a.startswith("1100")), totals


def test_reconcile_catches_a_credit_on_a_tax_account_its_invoice_never_used() -> None:
    import attrs

    from o2c.ledger import DifferenceKind, reconcile

    invoice = issued_invoice(taxed_line("SEAT", "10", "100.00", withholding="0.10"))
    note = credit_note_for(invoice, [], id=DocumentId("CN-1"), reason=ReasonCode.CANCELLATION)
    note = issue(note, "CN-2026-000001", invoice.issue_date)  # type: ignore[arg-type]
    billed = post(invoice, entry_id=EntryId("E-1"))
    credited = post(note, entry_id=EntryId("E-2"), corrected_open=invoice.totals.payable)
    day = invoice.issue_date
    assert day is not None
    assert reconcile([billed, credited], day).ok
    # The old defect's posting: the credit's IVA on the rate's code, not the tax's account.
    wrong = tuple(
        attrs.evolve(p, account=AccountCode("2300-IVA")) if p.account == "2300-MX-IVA" else p
        for p in credited.lines
    )
    report = reconcile([billed, attrs.evolve(credited, lines=wrong)], day)
    assert not report.ok
    (difference,) = [d for d in report.differences if d.kind is DifferenceKind.TAX_ACCOUNT]
    assert difference.subject == "2300-IVA"
    assert "never posted to" in difference.message
