"""The seller's identity: bank accounts are checked with the bank registries (schwifty)."""

from __future__ import annotations

import pytest

from o2c.errors import ValidationError
from o2c.parties import Address, BankAccount, ElectronicAddress, Seller
from o2c.tax import TaxProfile


def test_an_iban_typed_with_spaces_is_kept_compact_and_printed_in_groups() -> None:
    account = BankAccount("de89 3704 0044 0532 0130 00", "COBADEFFXXX", "Commerzbank")
    assert account.iban == "DE89370400440532013000"
    assert account.iban_printed == "DE89 3704 0044 0532 0130 00"
    assert account.bic == "COBADEFFXXX"


def test_an_iban_with_wrong_check_digits_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match=r"iban.*DE88370400440532013000"):
        BankAccount("DE88370400440532013000")


def test_an_iban_of_the_wrong_length_for_its_country_is_refused() -> None:
    with pytest.raises(ValidationError, match="iban"):
        BankAccount("DE8937040044053201300")


def test_a_malformed_bic_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match=r"bic.*COBA1"):
        BankAccount("DE89370400440532013000", "COBA1")


def test_an_endpoint_scheme_must_be_an_eas_code() -> None:
    assert ElectronicAddress("9930", "DE136695976").scheme == "9930"
    with pytest.raises(ValueError, match="scheme"):
        ElectronicAddress("vat id", "DE136695976")


def test_the_seller_reads_its_tax_id_and_country_from_its_tax_profile() -> None:
    seller = Seller(
        "Muster Software GmbH",
        Address("Hauptstraße 1", "München", "80331", "DE"),
        TaxProfile("DE", tax_id="DE136695976"),
        registration="HRB 12345, Amtsgericht München",
    )
    assert (seller.tax_id, seller.country) == ("DE136695976", "DE")
    with pytest.raises(ValidationError, match="legal_name"):
        Seller(" ", seller.address, seller.tax)


def test_pesos_go_to_the_clabe_and_other_currencies_to_the_iban() -> None:
    seller = Seller(
        "Ódena Datos SA de CV",
        Address("Av. Reforma 250", "Ciudad de México", "06600", "MX"),
        TaxProfile("MX", tax_id="ODE150101AB3"),
        bank_accounts=(BankAccount("DE89370400440532013000"),),
        clabe="002010077777777771",
    )
    assert seller.pays_to_clabe("MXN")
    assert not seller.pays_to_clabe("EUR")
    only_clabe = Seller(seller.legal_name, seller.address, seller.tax, clabe=seller.clabe)
    assert only_clabe.pays_to_clabe("EUR")  # no IBAN to offer
    assert not Seller(seller.legal_name, seller.address, seller.tax).pays_to_clabe("MXN")
