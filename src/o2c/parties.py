"""Customers: who is billed, where, in which currency and under which tax rules.

A :class:`Customer` is a frozen value. Changing a customer (a new address, new terms)
means building a new value with :func:`attrs.evolve`; documents keep a
:class:`~o2c.billing.CustomerSnapshot` of the customer as it was when they were made.

Tax ids are checked with python-stdnum (``stdnum.mx.rfc`` for a Mexican RFC,
``stdnum.eu.vat`` for an EU VAT id) and kept in their compact form.

Example:
    >>> from o2c.calendar import PaymentTerms
    >>> acme = Customer(
    ...     id=CustomerId("C-1"),
    ...     legal_name="ACME SA de CV",
    ...     billing_address=Address("Av. Reforma 1", "Ciudad de México", "06600", "MX"),
    ...     country="MX",
    ...     currency=Currency.of("MXN"),
    ...     tax_registrations=(TaxRegistration.of(TaxScheme.MX_RFC, "aaa010101aaa"),),
    ...     payment_terms=PaymentTerms.parse("net 30"),
    ... )
    >>> acme.tax_id
    'AAA010101AAA'
    >>> acme.person_type
    <PersonType.COMPANY: 'company'>
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from o2c.calendar import PaymentTerms, TermsKind, zone
from o2c.errors import ValidationError
from o2c.ids import CustomerId
from o2c.money import Currency, Money
from o2c.tax import PersonType, TaxProfile

__all__ = [
    "EAS_CODES",
    "FALLBACK_LOCALE",
    "LOCALE_BY_COUNTRY",
    "Address",
    "BankAccount",
    "Customer",
    "DeliveryChannel",
    "DeliveryPreference",
    "ElectronicAddress",
    "Seller",
    "TaxExemption",
    "TaxRegistration",
    "TaxScheme",
    "default_locale",
    "electronic_address",
    "normalize_tax_id",
]

#: Payment terms of a customer who has none set.
DEFAULT_TERMS: Final = PaymentTerms(TermsKind.NET, 30)


class TaxScheme(enum.Enum):
    """The kind of tax registration number."""

    MX_RFC = "mx_rfc"
    EU_VAT = "eu_vat"
    OTHER = "other"


def normalize_tax_id(scheme: TaxScheme, number: str) -> str:
    """Return ``number`` in compact form after checking it for ``scheme``.

    RFCs are checked for structure and birth/incorporation date (not the check digit,
    which the SAT itself does not always honour); EU VAT ids for structure and check
    digits of their member state.

    Raises:
        ValidationError: The number is not a valid id of that scheme.

    Example:
        >>> normalize_tax_id(TaxScheme.EU_VAT, "de 136 695 976")
        'DE136695976'
        >>> normalize_tax_id(TaxScheme.MX_RFC, "XYZ")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        o2c.errors.ValidationError: tax_id: expected a valid mx_rfc number ...
    """
    if not isinstance(number, str) or not number.strip():
        raise ValidationError("tax_id", number, "a non-empty tax registration number")
    if scheme is TaxScheme.OTHER:
        return "".join(number.split()).upper()
    # Imported here: stdnum loads its country modules lazily and only schemes in use pay.
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        if scheme is TaxScheme.MX_RFC:
            from stdnum.mx import rfc

            return str(rfc.validate(number))
        from stdnum.eu import vat

        return str(vat.validate(number))
    except StdnumError as exc:
        raise ValidationError("tax_id", number, f"a valid {scheme.value} number ({exc})") from None


@attrs.frozen(slots=True)
class TaxRegistration:
    """A tax registration number (RFC, VAT id...), kept in compact form.

    Use :meth:`of` to check and normalize a number typed by a person.

    Attributes:
        scheme: What kind of number it is.
        number: The compact number (``"AAA010101AAA"``, ``"DE136695976"``).
        country: ISO 3166 alpha-2 country that issued it; derived from the scheme and
            number when not given.
    """

    scheme: TaxScheme
    number: str
    country: str = ""

    @classmethod
    def of(cls, scheme: TaxScheme, number: str, country: str = "") -> TaxRegistration:
        """Check ``number`` for ``scheme`` and return it compact.

        Raises:
            ValidationError: Invalid number.
        """
        compact = normalize_tax_id(scheme, number)
        if not country:
            if scheme is TaxScheme.MX_RFC:
                country = "MX"
            elif scheme is TaxScheme.EU_VAT:
                country = "GR" if compact[:2] == "EL" else compact[:2]
        return cls(scheme, compact, country)


def _check_country(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not (isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isupper()):
        raise ValidationError(attribute.name, value, "an ISO 3166 alpha-2 code such as 'MX'")


@attrs.frozen(slots=True)
class Address:
    """A postal address.

    Attributes:
        street: Street and number (may hold several lines separated by newlines).
        city: City or municipality.
        postal_code: Postal code.
        country: ISO 3166 alpha-2 code.
        region: State, province or region code (``"JAL"``, ``"BY"``), where it matters.
    """

    street: str
    city: str
    postal_code: str
    country: str = attrs.field(validator=_check_country)
    region: str = ""

    @property
    def is_complete(self) -> bool:
        """Whether street, city and postal code are all filled in."""
        return bool(self.street.strip() and self.city.strip() and self.postal_code.strip())

    def __str__(self) -> str:
        parts = [self.street, f"{self.postal_code} {self.city}".strip(), self.region, self.country]
        return ", ".join(p for p in parts if p)


@attrs.frozen(slots=True)
class TaxExemption:
    """Why a customer's purchases are exempt from tax, with the evidence.

    Attributes:
        reason: The legal reason, shown on invoices (``"Art. 15 LIVA"``,
            ``"VAT exempt: Article 132 Directive 2006/112/EC"``).
        certificate: Certificate or registration of the exemption.
        valid_until: Last day the exemption applies; ``None`` when open-ended.
    """

    reason: str
    certificate: str = ""
    valid_until: dt.date | None = None

    def applies_on(self, day: dt.date) -> bool:
        """Whether the exemption covers a tax point on ``day``."""
        return self.valid_until is None or day <= self.valid_until


class DeliveryChannel(enum.Enum):
    """How documents reach the customer."""

    EMAIL = "email"
    POST = "post"
    PORTAL = "portal"
    EDI = "edi"


@attrs.frozen(slots=True)
class DeliveryPreference:
    """Where and how invoices are sent.

    Attributes:
        channel: Delivery channel.
        recipients: E-mail addresses or EDI endpoints, in order.
        format: Document format (``"pdf"``, ``"ubl"``, ``"cfdi"``).
    """

    channel: DeliveryChannel = DeliveryChannel.EMAIL
    recipients: tuple[str, ...] = ()
    format: str = "pdf"


#: The document locale of a new customer whose locale is not given, by country (ISO 3166):
#: the customer's language and the country's formats. Other countries get ``en_US``.
LOCALE_BY_COUNTRY: Final = {
    "MX": "es_MX",
    "ES": "es_ES",
    "DE": "de_DE",
    "AT": "de_AT",
    "CH": "de_CH",
    "FR": "fr_FR",
    "BE": "fr_BE",
    "US": "en_US",
    "GB": "en_GB",
}
#: The locale of a country missing from :data:`LOCALE_BY_COUNTRY`.
FALLBACK_LOCALE: Final = "en_US"


def default_locale(country: str) -> str:
    """The locale a new customer in ``country`` gets when none is given.

    The ``o2c customer add`` and ``o2c customer import`` commands use it; a
    :class:`Customer` built in Python keeps its own default (``en_US``), so customers
    stored before, and code that builds them, keep the locale they had.

    >>> default_locale("MX"), default_locale("de"), default_locale("JP")
    ('es_MX', 'de_DE', 'en_US')
    """
    return LOCALE_BY_COUNTRY.get(country.strip().upper(), FALLBACK_LOCALE)


def _check_time_zone(_instance: object, _attribute: object, value: str) -> None:
    zone(value)


def _check_name(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, value, "a non-empty name")


@attrs.frozen(slots=True)
class Customer:
    """A billed account.

    Attributes:
        id: Customer id.
        legal_name: Name on invoices.
        billing_address: Billing address; ``None`` until known (a bill run puts such
            invoices in the exceptions queue).
        country: ISO 3166 alpha-2 country of the customer, for tax.
        currency: Currency the customer is billed in.
        region: Tax region within the country (``"MX-BC"`` border zone...), if any.
        tax_registrations: Tax ids; the first is the one shown on documents.
        person_type: Individual or company (:class:`o2c.tax.PersonType`; Mexican
            withholdings depend on it).
        locale: Locale for documents (``"es_MX"``).
        payment_terms: Default payment terms; a contract may override them.
        time_zone: IANA zone in which the customer's billing periods and usage dates
            are counted (DESIGN.md, lesson 5).
        credit_limit: Credit limit, if any.
        delivery: How invoices are delivered.
        po_required: Whether every invoice must quote a purchase order number.
        tax_exemption: Tax exemption with reason and certificate, if any.
        collection_segment: Segment that selects the dunning policy.
        tax_id_required: Whether invoices need the customer's tax id (always true for
            companies in Mexico and for EU B2B reverse charge).
        electronic_address: The customer's Peppol endpoint (BT-49), for UBL documents;
            ``None`` when the customer has none (the UBL writer then derives one from an
            EU VAT id).
    """

    id: CustomerId
    legal_name: str = attrs.field(validator=_check_name)
    billing_address: Address | None
    country: str = attrs.field(validator=_check_country)
    currency: Currency = attrs.field(validator=attrs.validators.instance_of(Currency))
    region: str = ""
    tax_registrations: tuple[TaxRegistration, ...] = ()
    person_type: PersonType = PersonType.COMPANY
    locale: str = "en_US"
    payment_terms: PaymentTerms = DEFAULT_TERMS
    time_zone: str = attrs.field(default="UTC", validator=_check_time_zone)
    credit_limit: Money | None = None
    delivery: DeliveryPreference = DeliveryPreference()
    po_required: bool = False
    tax_exemption: TaxExemption | None = None
    collection_segment: str = "standard"
    tax_id_required: bool = False
    electronic_address: ElectronicAddress | None = None

    @property
    def tax_id(self) -> str | None:
        """The primary tax id, or ``None``."""
        return self.tax_registrations[0].number if self.tax_registrations else None


def _iban(value: str) -> str:
    # schwifty (its bank registry) is imported when an account is checked, not at start-up.
    import schwifty
    import schwifty.exceptions

    try:
        return str(schwifty.IBAN(value).compact)
    except (schwifty.exceptions.SchwiftyException, ValueError) as exc:
        raise ValidationError("iban", value, f"a valid IBAN ({exc})") from None


def _bic(value: str) -> str:
    if not value:
        return ""
    import schwifty
    import schwifty.exceptions

    try:
        return str(schwifty.BIC(value).compact)
    except (schwifty.exceptions.SchwiftyException, ValueError) as exc:
        raise ValidationError("bic", value, f"a valid BIC ({exc})") from None


@attrs.frozen(slots=True)
class BankAccount:
    """An account the customer pays into, checked with schwifty.

    Attributes:
        iban: IBAN, kept compact (``"DE89370400440532013000"``); its check digits and the
            country's length and bank code format are checked.
        bic: BIC (SWIFT code) of the bank, if given; checked likewise.
        bank_name: Name of the bank, shown on documents.
        holder: Account holder when not the seller's legal name.

    Example:
        >>> BankAccount("de89 3704 0044 0532 0130 00", "COBADEFFXXX").iban
        'DE89370400440532013000'
    """

    iban: str = attrs.field(converter=_iban)
    bic: str = attrs.field(default="", converter=_bic)
    bank_name: str = ""
    holder: str = ""

    @property
    def iban_printed(self) -> str:
        """The IBAN in groups of four, as printed on documents."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


_CLABE_WEIGHTS: Final = (3, 7, 1) * 6


def _clabe(value: str) -> str:
    # python-stdnum (2.2) has no Mexican CLABE module: the check is the one Banxico
    # publishes, 18 digits whose last is the weighted (3, 7, 1) sum's mod-10 complement.
    if not value:
        return ""
    digits = "".join(str(value).split())
    if not (len(digits) == 18 and digits.isascii() and digits.isdigit()):
        raise ValidationError("clabe", value, "a CLABE of 18 digits")
    total = sum(int(d) * w % 10 for d, w in zip(digits[:17], _CLABE_WEIGHTS, strict=False))
    if (10 - total % 10) % 10 != int(digits[17]):
        raise ValidationError("clabe", value, "a CLABE whose check digit (the 18th) is right")
    return digits


@attrs.frozen(slots=True)
class ElectronicAddress:
    """An e-invoicing endpoint (Peppol participant id): an EAS scheme code and an id.

    Attributes:
        scheme: CEF EAS code list scheme (``"0088"`` GLN, ``"9930"`` German VAT id,
            ``"0204"`` Leitweg-ID, ``"EM"`` e-mail...).
        value: The identifier within the scheme.
    """

    scheme: str = attrs.field(validator=attrs.validators.matches_re(r"^[0-9A-Z]{2,4}$"))
    value: str = attrs.field(validator=_check_name)


#: The CEF EAS code list (the schemes of a Peppol participant id, BT-34/BT-49): ``0088``
#: GLN, ``0204`` Leitweg-ID, ``99xx`` national VAT ids, ``EM`` e-mail...
EAS_CODES: Final = frozenset(
    {
        "0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130",
        "0135", "0142", "0147", "0151", "0154", "0158", "0170", "0177", "0183", "0184",
        "0188", "0190", "0191", "0192", "0193", "0194", "0195", "0196", "0198", "0199",
        "0200", "0201", "0202", "0203", "0204", "0205", "0208", "0209", "0210", "0211",
        "0212", "0213", "0215", "0216", "0217", "0218", "0219", "0220", "0221", "0225",
        "0230", "0235", "0240", "0244", "9901", "9910", "9913", "9914", "9915", "9918",
        "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927", "9928", "9929",
        "9930", "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939",
        "9940", "9941", "9942", "9943", "9944", "9945", "9946", "9947", "9948", "9949",
        "9950", "9951", "9952", "9953", "9957", "9959", "AN", "AQ", "AS", "AU", "EM",
    }
)  # fmt: skip


def electronic_address(scheme: str, value: str) -> ElectronicAddress:
    """An endpoint from user input: ``scheme`` must be a code of :data:`EAS_CODES`.

    Raises:
        ValidationError: ``endpoint_scheme`` is not an EAS code, or ``endpoint_id`` is empty.

    Example:
        >>> electronic_address("0088", " 4012345000009 ")
        ElectronicAddress(scheme='0088', value='4012345000009')
    """
    code = scheme.strip().upper()
    if code not in EAS_CODES:
        raise ValidationError("endpoint_scheme", scheme, "a CEF EAS code (0088 GLN, 9930...)")
    if not value.strip():
        raise ValidationError("endpoint_id", value, "a non-empty endpoint id")
    return ElectronicAddress(code, value.strip())


@attrs.frozen(slots=True)
class Seller:
    """Who issues the book's documents: the identity printed on every invoice.

    A document records the seller as it was when it was issued, as it records the
    customer; changing the seller later never changes an issued document.

    Attributes:
        legal_name: Registered legal name.
        address: Registered address.
        tax: The seller's tax profile (country, region, tax id, regime) the tax engine uses.
        trading_name: Name the customer knows, if other than the legal name.
        registration: Company registration (``"HRB 12345, Amtsgericht München"``), for
            the legal footer.
        bank_accounts: Accounts the customer may pay into, the first one preferred.
        electronic_address: Peppol endpoint, for UBL documents.
        email: Contact e-mail printed on documents (and the sender of deliveries).
        phone: Contact phone.
        website: Website.
        logo: Path or URL of a logo image for rendered documents (optional).
        clabe: Mexican CLABE interbank account number (18 digits, check digit checked),
            for sellers in Mexico, which has no IBAN; empty when none.
    """

    legal_name: str = attrs.field(validator=_check_name)
    address: Address
    tax: TaxProfile
    trading_name: str = ""
    registration: str = ""
    bank_accounts: tuple[BankAccount, ...] = ()
    electronic_address: ElectronicAddress | None = None
    email: str = ""
    phone: str = ""
    website: str = ""
    logo: str = ""
    clabe: str = attrs.field(default="", converter=_clabe)

    @property
    def tax_id(self) -> str | None:
        """The seller's tax id (from its tax profile), or ``None``."""
        return self.tax.tax_id

    @property
    def country(self) -> str:
        """The seller's country (from its tax profile)."""
        return self.tax.country

    def pays_to_clabe(self, currency: str) -> bool:
        """Whether a customer paying in ``currency`` is given the CLABE, not an IBAN.

        Mexico has no IBAN: pesos go to the CLABE (when the seller has one); any other
        currency to the first IBAN account, and to the CLABE only when there is none.
        Rendered documents and UBL payment means both follow this rule.
        """
        return bool(self.clabe) and (currency == "MXN" or not self.bank_accounts)
