"""Small builders of core values for Book tests."""

from __future__ import annotations

from o2c.calendar import PaymentTerms
from o2c.ids import CustomerId
from o2c.money import Currency
from o2c.parties import Address, Customer


def customer(cid: str = "C1", currency: str = "USD", name: str = "Acme Inc.") -> Customer:
    """A complete customer billed in ``currency``."""
    return Customer(
        CustomerId(cid),
        name,
        Address("1 Main St", "Springfield", "12345", "US"),
        "US",
        Currency.of(currency),
        payment_terms=PaymentTerms.parse("net 30"),
    )
