"""Cash application recognises an invoice's RF creditor reference in a remittance line."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.ids import EntryId
from o2c.ledger import BankLine, MatchRule, OpenItem, match_payments, open_items, post_document
from o2c.ledger.cashapp import creditor_reference
from tests.ledger.conftest import invoice, money

D = dt.date(2026, 10, 1)
DUE = dt.date(2026, 10, 31)
PAID = dt.date(2026, 11, 3)


def _items() -> tuple[OpenItem, ...]:
    # Numbers N-D1 and N-D12: one's compact form starts the other's.
    journal = [
        post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1")),
        post_document(invoice("D12", "C2", D, DUE, "50.00"), entry_id=EntryId("E2")),
    ]
    return open_items(journal, PAID)


def _line(remittance: str, amount: str = "7.00") -> BankLine:
    return BankLine("nov.csv", 2, PAID, money(amount), reference="TX1", remittance=remittance)


@pytest.mark.parametrize(
    "written",
    [
        "{ref}",
        "Zahlung {printed} danke",
        "pago ref {lower}",
    ],
)
def test_a_remittance_quoting_the_rf_reference_pays_that_invoice(written: str) -> None:
    ref = creditor_reference("N-D12")
    printed = " ".join(ref[i : i + 4] for i in range(0, len(ref), 4))
    text = written.format(ref=ref, printed=printed, lower=ref.lower())
    [match] = match_payments([_line(text)], _items()).matches
    assert match.rule is MatchRule.INVOICE_NUMBER
    assert match.documents == ("D12",)
    assert match.customer == "C2"


def test_the_longest_known_reference_wins_where_one_starts_another() -> None:
    ref = creditor_reference("N-D1")
    [match] = match_payments([_line(f"{ref} 2")], _items()).matches
    # "RF.. ND1 2" is N-D1's reference followed by a 2, not N-D12's (other check digits).
    assert match.documents == ("D1",)


def test_an_rf_reference_with_wrong_check_digits_matches_nothing_by_number() -> None:
    ref = creditor_reference("N-D12")
    wrong = "RF" + f"{(int(ref[2:4]) + 1) % 100:02d}" + ref[4:]
    result = match_payments([_line(wrong)], _items())
    assert result.matches == ()
    assert len(result.unmatched) == 1
