"""Rules of contracts the book applies when storing them (o2c.contracts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import (
    ChargeKind,
    Contract,
    ContractLine,
    ContractVersion,
    amend,
    check_update,
    terminate,
    time_items,
)
from o2c.errors import ValidationError
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency


def _contract() -> Contract:
    version = ContractVersion(
        dt.date(2026, 10, 1),
        (
            ContractLine("seats", ItemCode("PLAN"), ChargeKind.RECURRING, Decimal(10)),
            ContractLine("hours", ItemCode("CONSULTING"), ChargeKind.TIME, Decimal(1)),
        ),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        Currency.of("USD"),
        rate_card="STANDARD",
    )
    return Contract(ContractId("K-1"), CustomerId("C-1"), (version,))


def test_an_amendment_or_termination_may_replace_the_stored_contract() -> None:
    stored = _contract()
    check_update(stored, stored)
    check_update(stored, amend(stored, dt.date(2026, 11, 1), rate_card="NEW"))
    check_update(stored, terminate(stored, dt.date(2027, 1, 1)))


def test_a_changed_stored_version_is_refused() -> None:
    stored = _contract()
    edited = attrs.evolve(stored.versions[0], rate_card="NEW")
    with pytest.raises(ValidationError, match="the stored versions unchanged"):
        check_update(stored, attrs.evolve(stored, versions=(edited,)))


def test_a_dropped_stored_version_is_refused() -> None:
    amended = amend(_contract(), dt.date(2026, 11, 1), rate_card="NEW")
    with pytest.raises(ValidationError):
        check_update(amended, _contract())


def test_time_items_are_those_of_time_lines_in_any_version() -> None:
    contract = _contract()
    later = amend(
        contract,
        dt.date(2026, 11, 1),
        lines=(ContractLine("hours", ItemCode("SUPPORT"), ChargeKind.TIME, Decimal(1)),),
    )
    assert time_items(contract) == {ItemCode("CONSULTING")}
    assert time_items(later) == {ItemCode("CONSULTING"), ItemCode("SUPPORT")}


def test_a_po_from_the_contract_start_is_given_to_the_first_version() -> None:
    # The customer's PO came after the contract was entered: from the first day on.
    stored = amend(_contract(), dt.date(2026, 11, 1), rate_card="NEW")
    with_po = amend(stored, stored.start, po_number="PO-77")
    assert [v.po_number for v in with_po.versions] == ["PO-77", None]
    assert with_po.versions[1:] == stored.versions[1:]
    check_update(stored, with_po)


def test_only_the_po_may_change_from_the_contract_start() -> None:
    stored = _contract()
    with pytest.raises(ValidationError, match="after the contract start"):
        amend(stored, stored.start, po_number="PO-77", rate_card="NEW")
    with pytest.raises(ValidationError, match="after the contract start"):
        amend(stored, stored.start - dt.timedelta(days=1), po_number="PO-77")
    other = attrs.evolve(stored.versions[0], po_number="PO-77", rate_card="NEW")
    with pytest.raises(ValidationError, match="the stored versions unchanged"):
        check_update(stored, attrs.evolve(stored, versions=(other,)))
