"""The tax engine's values: categories, profiles, regimes, input lines and results."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.money import DEFAULT_ROUNDING, Money, Rounding

__all__ = [
    "CFDI",
    "EN16931",
    "InclusiveRounding",
    "PersonType",
    "RoundingScope",
    "TaxAmount",
    "TaxBreakdown",
    "TaxCategory",
    "TaxExemption",
    "TaxKind",
    "TaxProfile",
    "TaxRegime",
    "TaxResult",
    "TaxTotals",
    "TaxableLine",
    "TaxedLine",
    "default_regime",
]


class TaxCategory(enum.Enum):
    """A VAT category with its EN 16931 code (UNTDID 5305 subset) as the value."""

    #: Standard rate (any rate above zero, including reduced rates).
    STANDARD = "S"
    #: Zero rated goods or services: taxable, at 0 %.
    ZERO = "Z"
    #: Exempt from tax; an exemption reason is required (BR-E-10).
    EXEMPT = "E"
    #: Reverse charge: the buyer accounts for the tax (rules BR-AE).
    REVERSE_CHARGE = "AE"
    #: VAT exempt intra-community supply of goods (rules BR-IC).
    INTRA_COMMUNITY = "K"
    #: Export outside the EU (or, in Mexico, an export at 0 %).
    EXPORT = "G"
    #: Outside the scope of the tax.
    OUT_OF_SCOPE = "O"
    #: Canary Islands general indirect tax (IGIC).
    CANARY_ISLANDS = "L"
    #: Ceuta and Melilla tax (IPSI).
    CEUTA_MELILLA = "M"

    @property
    def code(self) -> str:
        """The EN 16931 code, e.g. ``"AE"``."""
        return self.value

    @property
    def charges_tax(self) -> bool:
        """Whether a line in this category can carry a tax amount above zero."""
        return self in _CHARGING

    @classmethod
    def parse(cls, value: str | TaxCategory, field: str = "category") -> TaxCategory:
        """Return the category for an EN 16931 code (``"S"``, ``"AE"``) or a name.

        Raises:
            ValidationError: ``value`` is neither a code nor a name.
        """
        if isinstance(value, TaxCategory):
            return value
        if isinstance(value, str):
            key = value.strip().upper()
            for member in cls:
                if key in (member.value, member.name):
                    return member
        codes = ", ".join(m.value for m in cls)
        raise ValidationError(field, value, f"an EN 16931 tax category code ({codes})")


_CHARGING: Final = frozenset(
    {TaxCategory.STANDARD, TaxCategory.CANARY_ISLANDS, TaxCategory.CEUTA_MELILLA}
)


class TaxKind(enum.Enum):
    """Whether an amount is a tax added to the price or a withholding deducted from payment."""

    TAX = "tax"
    WITHHOLDING = "withholding"


class RoundingScope(enum.Enum):
    """Where tax is rounded to the minor unit (DESIGN lesson 2)."""

    #: Each line's tax is rounded on its own (Mexico's CFDI rounds per concept).
    LINE = "line"
    #: Each tax, category and rate is rounded once on its summed base (EN 16931 BR-CO-14).
    DOCUMENT = "document"


class InclusiveRounding(enum.Enum):
    """Which part of a tax-inclusive amount is rounded; the other is the difference."""

    #: tax = round(gross x r / (1 + r)); net = gross - tax.
    ROUND_TAX = "round_tax"
    #: net = round(gross / (1 + r)); tax = gross - net.
    ROUND_NET = "round_net"


class PersonType(enum.Enum):
    """The legal kind of a party (Mexico: persona fisica / persona moral)."""

    INDIVIDUAL = "individual"
    COMPANY = "company"


def _nonblank(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, value, "a non-empty text")


@attrs.frozen(slots=True)
class TaxExemption:
    """A customer's exemption from tax, e.g. a resale or non-profit certificate.

    Attributes:
        reason: Why the customer is exempt (printed on the invoice, BR-E-10).
        certificate: The certificate or ruling reference, when there is one.
        reason_code: A VATEX code (``"VATEX-EU-132"``...) for e-invoices, optional.
    """

    reason: str = attrs.field(validator=_nonblank)
    certificate: str | None = None
    reason_code: str | None = None

    @property
    def note(self) -> str:
        """The legal note for the invoice."""
        text = f"Tax exempt customer: {self.reason}"
        if self.certificate:
            text += f" (certificate {self.certificate})"
        return text


def _country(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not (isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isupper()):
        raise ValidationError(attribute.name, value, "an ISO 3166 alpha-2 country code like 'MX'")


def _norm_region(value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError("region", value, "a region path like 'BORDER_NORTH' or 'CA/LA'")
    return "/".join(p.strip().upper() for p in value.strip().strip("/").split("/") if p.strip())


@attrs.frozen(slots=True, cache_hash=True)
class TaxProfile:
    """What the tax engine needs to know about a seller or a buyer.

    Billing maps its customer and company records onto this small value.

    Attributes:
        country: ISO 3166 alpha-2 code (``"MX"``, ``"DE"``, ``"US"``).
        region: Where in the country, as a ``/`` path matched against rate table
            jurisdictions: ``"BORDER_NORTH"`` (Mexico's northern border region),
            ``"CA/LOS_ANGELES/CULVER_CITY"`` (US state/county/city). Upper-cased.
        tax_id: VAT id, RFC or other tax registration, if any.
        is_business: Whether the party acts as a business (B2B) rather than a consumer.
        person: Individual (persona fisica) or company (persona moral).
        regime: A local tax regime code, e.g. SAT ``"626"`` for RESICO in Mexico.
        exemption: The party's tax exemption, when it has one (buyers).
    """

    country: str = attrs.field(validator=_country)
    region: str = attrs.field(default="", converter=_norm_region)
    tax_id: str | None = None
    is_business: bool = True
    person: PersonType = PersonType.COMPANY
    regime: str | None = None
    exemption: TaxExemption | None = None

    @property
    def location(self) -> str:
        """Country and region as one path, e.g. ``"MX/BORDER_NORTH"``."""
        return f"{self.country}/{self.region}" if self.region else self.country


@attrs.frozen(slots=True)
class TaxRegime:
    """How a document's tax is rounded; shown on the document and in explain.

    Attributes:
        name: A label such as ``"EN 16931"`` or ``"CFDI 4.0"``.
        scope: Round per line or per document and rate.
        rounding: The rounding mode.
        inclusive: For tax-inclusive prices rounded per line, whether the tax or the net
            is rounded. In document scope each line's net is rounded (the tax of a rate
            is its gross minus the sum of its line nets), whatever this says.
    """

    name: str = "EN 16931"
    scope: RoundingScope = RoundingScope.DOCUMENT
    rounding: Rounding = DEFAULT_ROUNDING
    inclusive: InclusiveRounding = InclusiveRounding.ROUND_TAX

    def describe(self) -> str:
        """One line for documents and explain output."""
        scope = (
            "per line"
            if self.scope is RoundingScope.LINE
            else "per document, once per tax, category and rate"
        )
        head = f"{self.name}: tax rounded {scope} ({self.rounding.name.lower().replace('_', ' ')})"
        if self.scope is RoundingScope.DOCUMENT:
            # Tax-inclusive prices in document scope: one rule, whatever ``inclusive`` says.
            return (
                f"{head}; tax-inclusive prices: each line's net = gross / (1 + rate) rounded,"
                " the tax of a rate = its gross - the sum of its line nets"
            )
        rounded = "tax" if self.inclusive is InclusiveRounding.ROUND_TAX else "net"
        rest = "net" if rounded == "tax" else "tax"
        return f"{head}; tax-inclusive prices: {rounded} rounded, {rest} the rest"


#: The EU e-invoicing norm: each VAT category and rate rounded once on its summed base.
EN16931: Final = TaxRegime()
#: Mexico's CFDI 4.0: tax computed and rounded per line (concept).
CFDI: Final = TaxRegime(name="CFDI 4.0", scope=RoundingScope.LINE)


def default_regime(country: str) -> TaxRegime:
    """Return the rounding regime a seller in ``country`` uses by default.

    Mexico rounds per line (CFDI); everyone else per document and rate (EN 16931).

    Example:
        >>> default_regime("MX").scope
        <RoundingScope.LINE: 'line'>
        >>> default_regime("DE").scope
        <RoundingScope.DOCUMENT: 'document'>
    """
    return CFDI if country == "MX" else EN16931


def _check_line_id(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError("line_id", value, "a non-empty line id")


def _check_rounded(instance: TaxableLine, _attribute: object, value: Money) -> None:
    if not isinstance(value, Money):
        raise ValidationError(f"lines[{instance.line_id}].amount", value, "a Money amount")
    if not value.is_rounded:
        raise ValidationError(
            f"lines[{instance.line_id}].amount",
            str(value),
            "an amount rounded to the currency's minor unit (round the line net first)",
        )


def _check_category(instance: TaxableLine, _attribute: object, value: TaxCategory | None) -> None:
    if value is TaxCategory.EXEMPT and not instance.exemption_reason:
        raise ValidationError(
            f"lines[{instance.line_id}].exemption_reason",
            instance.exemption_reason,
            "an exemption reason for an exempt (E) line (EN 16931 BR-E-10)",
        )


@attrs.frozen(slots=True)
class TaxableLine:
    """A priced line handed to the tax engine.

    Attributes:
        line_id: The line's id within its document (explain and errors name it).
        amount: The rounded line net, or the rounded line gross when prices include tax.
        tax_class: What is sold: ``"services"``, ``"goods"``, ``"freight"``,
            ``"digital"``, ``"basic_food"``... Rate tables map classes to rates.
        category: Force a category (e.g. ``EXEMPT`` with a reason, ``OUT_OF_SCOPE``);
            ``None`` lets the rules decide.
        exemption_reason: Why the line is exempt; required with ``category=EXEMPT``.
    """

    line_id: str = attrs.field(validator=_check_line_id)
    amount: Money = attrs.field(validator=_check_rounded)
    tax_class: str = "services"
    category: TaxCategory | None = attrs.field(default=None, validator=_check_category)
    exemption_reason: str | None = None


def _pct(rate: Decimal) -> str:
    text = f"{(rate * 100).normalize():f}"
    return f"{text} %"


@attrs.frozen(slots=True)
class TaxAmount:
    """One tax or withholding on one line, with what produced it.

    Attributes:
        tax: The tax it belongs to, e.g. ``"MX-IVA"``, ``"DE-VAT"``, ``"MX-ISR-RET"``.
        code: The rate table code of the rule, e.g. ``"MX-IVA-16"``.
        label: The printable name (``"IVA"``, ``"ISR retenido"``).
        kind: A tax or a withholding.
        category: The EN 16931 category.
        rate: The rate as a fraction (``Decimal("0.16")``).
        base: The taxable base.
        amount: The rounded tax (or withheld) amount.
        rule: Which rule chose this rate (table row and why it applies).
        method: How the amount was computed and rounded.
    """

    tax: str
    code: str
    label: str
    kind: TaxKind
    category: TaxCategory
    rate: Decimal
    base: Money
    amount: Money
    rule: str
    method: str

    @property
    def explain(self) -> str:
        """Which rule, rate and base produced the amount, in one line."""
        return (
            f"{self.label} {self.category.code} {_pct(self.rate)} of {self.base} "
            f"= {self.amount} [{self.rule}; {self.method}]"
        )


@attrs.frozen(slots=True)
class TaxedLine:
    """A line after tax.

    Attributes:
        line_id: The input line's id.
        category: The line's main tax category (EN 16931 BT-151).
        net: The net amount (for inclusive prices: gross minus tax).
        taxes: Taxes charged on the line.
        withholdings: Amounts withheld by the buyer.
        tax: The sum of ``taxes``.
        withheld: The sum of ``withholdings``.
        gross: ``net + tax``.
        notes: Legal notes the line needs on the invoice.
    """

    line_id: str
    category: TaxCategory
    net: Money
    taxes: tuple[TaxAmount, ...]
    withholdings: tuple[TaxAmount, ...]
    tax: Money
    withheld: Money
    gross: Money
    notes: tuple[str, ...] = ()

    @property
    def payable(self) -> Money:
        """What the buyer pays for the line: gross minus withholdings."""
        return self.gross - self.withheld


@attrs.frozen(slots=True)
class TaxBreakdown:
    """The document total of one tax, category and rate (EN 16931 BG-23).

    Attributes:
        tax: The tax, e.g. ``"MX-IVA"``.
        label: Printable name.
        kind: Tax or withholding.
        category: The EN 16931 category.
        rate: The rate as a fraction.
        base: The summed taxable base.
        amount: The tax amount (for document rounding, rounded once on ``base``).
        codes: The rate table codes that contributed.
        exemption_reason: For E, AE, K, G, O: the reason text (BT-120).
        method: How the amount was rounded.
        exemption_code: The VATEX reason code (BT-121) when known, e.g. ``"VATEX-EU-AE"``.
    """

    tax: str
    label: str
    kind: TaxKind
    category: TaxCategory
    rate: Decimal
    base: Money
    amount: Money
    codes: tuple[str, ...]
    exemption_reason: str | None
    method: str
    exemption_code: str | None = None

    @property
    def explain(self) -> str:
        """The entry's rate, base and amount and how it was rounded, in one line."""
        codes = ", ".join(self.codes)
        return (
            f"{self.label} {self.category.code} {_pct(self.rate)} of {self.base} "
            f"= {self.amount} [{codes}; {self.method}]"
        )


@attrs.frozen(slots=True)
class TaxTotals:
    """Document totals after tax.

    Attributes:
        net: Sum of line nets (BT-109).
        tax: Sum of taxes (BT-110).
        withheld: Sum of withholdings.
        gross: ``net + tax`` (BT-112).
        payable: ``gross - withheld`` (what the buyer pays; BT-115 before prepayments).
    """

    net: Money
    tax: Money
    withheld: Money
    gross: Money
    payable: Money


@attrs.frozen(slots=True)
class TaxResult:
    """What :func:`~o2c.tax.compute_tax` returns.

    Attributes:
        lines: The taxed lines, in input order.
        breakdown: One entry per tax, category and rate (taxes only).
        withholdings: One entry per withholding and rate.
        totals: Document totals.
        notes: Legal notes for the document (reverse charge, exemptions...), no duplicates.
        regime: The rounding regime used.
        prices_include_tax: Whether the input amounts were gross.
    """

    lines: tuple[TaxedLine, ...]
    breakdown: tuple[TaxBreakdown, ...]
    withholdings: tuple[TaxBreakdown, ...]
    totals: TaxTotals
    notes: tuple[str, ...]
    regime: TaxRegime
    prices_include_tax: bool = False

    def explain(self) -> str:
        """Every tax amount with the rule, rate and base that produced it."""
        out = [self.regime.describe()]
        for line in self.lines:
            out.append(f"line {line.line_id}: {line.category.code} net {line.net}")
            out.extend(f"  {a.explain}" for a in line.taxes + line.withholdings)
        out.extend(f"total {b.explain}" for b in self.breakdown + self.withholdings)
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out)
