"""Test CSDs, parties and issued documents for the CFDI tests.

SAT publishes test CSDs, but satcfdi's wheel ships none, so each test session makes its
own: an RSA key and a self-signed certificate shaped like SAT's (the RFC in
x500UniqueIdentifier, the 20-digit certificate number as the ASCII-hex serial), the key
written as SAT writes a ``.key`` (PKCS#8 DER, encrypted with a password).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from o2c.billing import Document, ManualLine, TaxContext, issue, manual_invoice
from o2c.book import Book
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io.cfdi import CfdiCustomer, CfdiItem, Csd, TestPac, load_csd
from o2c.money import Currency, Money
from o2c.parties import Address, Customer, Seller, TaxRegistration, TaxScheme
from o2c.tax import PersonType, TaxProfile, bundled_table

MXN = Currency.of("MXN")
USD = Currency.of("USD")
ISSUED = dt.date(2026, 10, 31)
AT = dt.datetime(2026, 10, 31, 12, 0, 0)
PASSWORD = "12345678a"
CERT_NUMBER = "30001000000500003416"

SELLER_RFC = "GODE561231GR8"
SELLER = Seller(
    "EDUARDO GOMEZ DIAZ",
    Address("Av. Juárez 10", "Guadalajara", "44100", "MX", "JAL"),
    TaxProfile("MX", tax_id=SELLER_RFC, person=PersonType.INDIVIDUAL, regime="612"),
)
BUYER_RFC = "EKU9003173C9"
BUYER = Customer(
    CustomerId("C-EKU"),
    "ESCUELA KEMPER URGATE",
    Address("Av. Reforma 1", "Ciudad de México", "06600", "MX"),
    "MX",
    MXN,
    tax_registrations=(TaxRegistration.of(TaxScheme.MX_RFC, BUYER_RFC),),
)
BUYER_CFDI = CfdiCustomer(regime="601", postal_code="42501", use="G03")
ITEMS = {
    "HONORARIOS": CfdiItem("80101500", "E48"),
    "CONSULTING": CfdiItem("80101500", "E48"),
    "WIDGET": CfdiItem("43211500", "H87"),
}


@functools.cache
def csd_files(rfc: str = SELLER_RFC, number: str = CERT_NUMBER) -> tuple[bytes, bytes]:
    """A test CSD for ``rfc``: the certificate (DER) and the encrypted key (DER)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "O2C TEST CSD"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "O2C TEST CSD"),
            x509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, f"{rfc} / "),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, " / "),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int("".join("3" + d for d in number), 16))
        .not_valid_before(dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )
    return cert.public_bytes(serialization.Encoding.DER), key_der


def csd(rfc: str = SELLER_RFC) -> Csd:
    """The test CSD of ``rfc``, loaded."""
    cer, key = csd_files(rfc)
    return load_csd(cer, key, PASSWORD)


def line(
    item: str, quantity: str, price: str, *, currency: Currency = MXN, **kw: object
) -> ManualLine:
    """A manual line of ``quantity`` x ``price``."""
    return ManualLine(
        ItemCode(item),
        Decimal(quantity),
        Money.of(price, currency),
        str(kw.pop("description", item.title())),
        **kw,  # type: ignore[arg-type]
    )


def invoice(
    lines: Sequence[ManualLine],
    *,
    buyer: Customer = BUYER,
    seller: Seller = SELLER,
    number: str = "A-2026-000001",
    issued: bool = True,
) -> Document:
    """An invoice to ``buyer`` taxed by the bundled MX table, issued (or the draft)."""
    draft = manual_invoice(
        DocumentId(f"D-{number}"),
        buyer,
        lines,
        tax=TaxContext(seller.tax, bundled_table("MX")),
        tax_point=ISSUED,
    )
    return issue(draft, number, ISSUED) if issued else draft


def prepare_mx_book(book: Book, *, actor: str | None = None) -> Document:
    """Give ``book`` the test seller, the buyer with its CFDI data and the items' SAT keys;
    issue a 10,000.00 MXN professional-services invoice and return it."""
    book.set_seller(SELLER, actor=actor)
    book.add_customer(BUYER, actor=actor)
    book.set_cfdi_customer(str(BUYER.id), BUYER_CFDI, actor=actor)
    for code, keys in ITEMS.items():
        book.set_cfdi_item(code, keys, actor=actor)
    draft = invoice(
        [line("HONORARIOS", "1", "10000.00", description="Honorarios")],
        number="MX-1",
        issued=False,
    )
    return book.create_invoice(draft, issue_date=ISSUED, actor=actor)


def prepare_permission_world(book: Book, clock: object) -> tuple[str, str, str]:
    """For the permission recipes: the MX seller, buyer and keys, one invoice to stamp,
    one stamped invoice to cancel and a payment applied to it; returns the two numbers and
    the payment's id."""
    to_stamp = prepare_mx_book(book)
    draft = invoice([line("HONORARIOS", "1", "500.00")], number="MX-2", issued=False)
    to_cancel = book.create_invoice(draft, issue_date=ISSUED)
    book.stamp_cfdi(str(to_cancel.number), csd(), fake_pac(clock))
    paid = Money.of("100.00", MXN)
    payment = book.record_payment(str(BUYER.id), paid, date=ISSUED)
    book.allocate(str(payment.id), {str(to_cancel.number): paid}, date=ISSUED)
    return str(to_stamp.number), str(to_cancel.number), str(payment.id)


def fake_pac(clock: object) -> TestPac:
    """A test PAC on the book's clock (UTC), answering in Mexico City time (UTC-6)."""

    def now() -> dt.datetime:
        assert callable(clock)
        at = clock()
        assert isinstance(at, dt.datetime)
        return at.astimezone(dt.timezone(dt.timedelta(hours=-6)))

    return TestPac(now)
