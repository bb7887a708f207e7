"""Effective-dated tax rate tables and their TOML form."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import importlib.resources
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

import attrs

from o2c.errors import NotFound, ValidationError
from o2c.money import parse_decimal
from o2c.tax._model import PersonType, TaxCategory, TaxKind

__all__ = [
    "BUNDLED_TABLES",
    "Sourcing",
    "TaxRate",
    "TaxTable",
    "TaxTableError",
    "bundled_table",
    "check_tax_table",
    "parse_tax_table",
]

#: The tables that ship with o2c (``src/o2c/tax/tables/<name>.toml``).
BUNDLED_TABLES: Final = ("EU", "MX", "US-EXAMPLE")

#: Largest table file accepted (untrusted input is size-bounded).
MAX_TABLE_BYTES: Final = 2_000_000


class Sourcing(enum.Enum):
    """Whose location a rate's jurisdiction is matched against."""

    #: The place the supply goes to (the buyer): US sales tax, EU domestic VAT.
    DESTINATION = "destination"
    #: The seller's place of business, for a buyer in the same state (the first two
    #: levels of the jurisdiction): origin-based US states.
    ORIGIN = "origin"
    #: Both must be in the jurisdiction: Mexico's border-region IVA.
    BOTH = "both"


class TaxTableError(ValidationError):
    """A tax table file has problems; ``problems`` lists every one of them.

    Each problem's ``field`` names the file, the row and the field:
    ``"my-rates.toml: rates[3].rate"``.
    """

    def __init__(self, problems: Iterable[ValidationError]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        text = "; ".join(str(p) for p in self.problems)
        super().__init__(first.field, first.value, first.expected, message=text)


def _jurisdiction(value: str) -> str:
    return "/".join(p.strip().upper() for p in value.strip().strip("/").split("/") if p.strip())


@attrs.frozen(slots=True)
class TaxRate:
    """One effective-dated row of a rate table.

    Rows with the same ``code`` are one rule over time; their dates must not overlap.
    For each ``tax``, the engine applies the most specific matching row (see
    :meth:`specificity`); different taxes on one line add up (US state + county + city).

    Attributes:
        code: The rule's id, e.g. ``"DE-VAT-S"``.
        tax: The tax it belongs to, e.g. ``"DE-VAT"``; one amount per tax per line.
        category: EN 16931 category.
        rate: The rate as an exact fraction (``0.16``); never negative.
        valid_from: First day the rate applies (by tax point).
        valid_to: Last day the rate applies (inclusive), or ``None`` for open-ended.
        kind: A tax, or a withholding that reduces the amount payable.
        jurisdiction: Country and region path, e.g. ``"MX"``, ``"MX/BORDER_NORTH"``,
            ``"US/CA/LOS_ANGELES"``.
        classes: Tax classes the row applies to; empty means every class.
        label: Printable name (``"IVA"``, ``"VAT"``, ``"ISR retenido"``).
        sourcing: Whose location must lie in ``jurisdiction``.
        seller_person: Only when the seller is of this kind (withholdings).
        buyer_person: Only when the buyer is of this kind.
        seller_regime: Only when the seller is in this local regime (RESICO ``"626"``).
        buyer_business: Only for business buyers (``True``) or consumers (``False``).
        on_tax: Only when this tax is charged above zero on the line (IVA withholding).
        compound: The base includes the line's non-compound taxes (tax on tax).
        note: A legal note printed when the row applies (exemption reason...).
        source: Where the row came from, e.g. ``"MX.toml: rates[4]"``.
    """

    code: str
    tax: str
    category: TaxCategory
    rate: Decimal
    valid_from: dt.date
    valid_to: dt.date | None = None
    kind: TaxKind = TaxKind.TAX
    jurisdiction: str = attrs.field(default="", converter=_jurisdiction)
    classes: frozenset[str] = frozenset()
    label: str = ""
    sourcing: Sourcing = Sourcing.DESTINATION
    seller_person: PersonType | None = None
    buyer_person: PersonType | None = None
    seller_regime: str | None = None
    buyer_business: bool | None = None
    on_tax: str | None = None
    compound: bool = False
    note: str | None = None
    source: str = ""

    @property
    def country(self) -> str:
        """The jurisdiction's country."""
        return self.jurisdiction.split("/", 1)[0]

    @property
    def depth(self) -> int:
        """How many levels the jurisdiction has (``"US/CA/LA"`` is 3)."""
        return self.jurisdiction.count("/") + 1

    def valid_on(self, day: dt.date) -> bool:
        """Whether the row applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def specificity(self) -> tuple[int, int, int, int]:
        """Rank among rows of one tax: a seller regime, then a deeper jurisdiction,
        then named classes, then party conditions make a row more specific."""
        persons = sum(
            x is not None for x in (self.seller_person, self.buyer_person, self.buyer_business)
        )
        return (int(self.seller_regime is not None), self.depth, int(bool(self.classes)), persons)

    def describe(self) -> str:
        """Why the row applies, for explain output."""
        where = self.jurisdiction or "anywhere"
        classes = ",".join(sorted(self.classes)) or "*"
        until = f"..{self.valid_to}" if self.valid_to else ".."
        return (
            f"{self.code} ({where}, class {classes}, valid {self.valid_from}{until}) {self.source}"
        )


@attrs.frozen(slots=True)
class TaxTable:
    """An effective-dated set of tax rates.

    Build one with :func:`parse_tax_table` or :func:`bundled_table`; combine tables
    with :meth:`merge`. Lookups are indexed by country when the table is built.

    Attributes:
        name: The table's name.
        rates: The rows, in file order.
    """

    name: str
    rates: tuple[TaxRate, ...]
    _by_country: Mapping[str, tuple[TaxRate, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _by_code: Mapping[str, tuple[TaxRate, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    #: A pure memo of line plans (same inputs, same plan); bounded, never observable.
    _memo: dict[object, object] = attrs.field(
        init=False, eq=False, repr=False, hash=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        by_country: dict[str, list[TaxRate]] = {}
        by_code: dict[str, list[TaxRate]] = {}
        for row in self.rates:
            by_country.setdefault(row.country, []).append(row)
            by_code.setdefault(row.code, []).append(row)
        object.__setattr__(self, "_by_country", {k: tuple(v) for k, v in by_country.items()})
        object.__setattr__(self, "_by_code", {k: tuple(v) for k, v in by_code.items()})

    @property
    def codes(self) -> tuple[str, ...]:
        """Every rule code, in file order."""
        return tuple(self._by_code)

    @property
    def countries(self) -> frozenset[str]:
        """The countries the table has rows for."""
        return frozenset(self._by_country)

    def rows_for(self, country: str) -> tuple[TaxRate, ...]:
        """The rows whose jurisdiction lies in ``country``."""
        return self._by_country.get(country, ())

    def rate_on(self, code: str, day: dt.date) -> TaxRate:
        """Return the row of rule ``code`` in force on ``day``.

        Raises:
            NotFound: No such code, or none of its rows covers ``day``.

        Example:
            >>> eu = bundled_table("EU")
            >>> eu.rate_on("ES-VAT-S", dt.date(2012, 8, 31)).rate
            Decimal('0.18')
            >>> eu.rate_on("ES-VAT-S", dt.date(2012, 9, 1)).rate
            Decimal('0.21')
        """
        rows = self._by_code.get(code)
        if not rows:
            raise NotFound("tax rate code", code, hint=f"table {self.name} has no such code")
        for row in rows:
            if row.valid_on(day):
                return row
        raise NotFound("tax rate", f"{code} on {day}", hint=f"no row of {code} covers {day}")

    def merge(self, other: TaxTable) -> TaxTable:
        """Return this table with ``other``'s rules added.

        A code present in both is taken wholly from ``other`` (all its dated rows), so a
        user table can correct or extend a bundled one.
        """
        replaced = set(other._by_code)
        rows = tuple(r for r in self.rates if r.code not in replaced) + other.rates
        return TaxTable(f"{self.name}+{other.name}", rows)


# -- TOML ------------------------------------------------------------------------------

_ROW_FIELDS: Final = frozenset(
    {
        "code",
        "tax",
        "category",
        "rate",
        "valid_from",
        "valid_to",
        "kind",
        "jurisdiction",
        "classes",
        "label",
        "sourcing",
        "seller_person",
        "buyer_person",
        "seller_regime",
        "buyer_business",
        "on_tax",
        "compound",
        "note",
    }
)


class _Row:
    """Collects one row's fields and problems while parsing."""

    def __init__(self, source: str, index: int, data: Mapping[str, object]) -> None:
        self.where = f"{source}: rates[{index}]"
        self.data = data
        self.problems: list[ValidationError] = []

    def fail(self, field: str, value: object, expected: str) -> None:
        self.problems.append(ValidationError(f"{self.where}.{field}", value, expected))

    def text(self, field: str, *, required: bool = False) -> str | None:
        value = self.data.get(field)
        if value is None:
            if required:
                self.fail(field, None, "a value (the field is required)")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(field, value, "a non-empty string")
            return None
        return value.strip()

    def day(self, field: str, *, required: bool = False) -> dt.date | None:
        value = self.data.get(field)
        if value is None:
            if required:
                self.fail(field, None, "a date such as 2024-01-01 (the field is required)")
            return None
        if isinstance(value, dt.datetime):
            self.fail(field, value, "a date without a time, such as 2024-01-01")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(field, value, "a date such as 2024-01-01")
        return None

    def enum(self, field: str, cls: type[enum.Enum], default: object) -> object:
        value = self.data.get(field)
        if value is None:
            return default
        if isinstance(value, str):
            key = value.strip().lower()
            for member in cls:
                if key in (str(member.value).lower(), member.name.lower()):
                    return member
        names = ", ".join(str(m.value) for m in cls)
        self.fail(field, value, f"one of {names}")
        return default

    def flag(self, field: str, default: bool | None) -> bool | None:
        value = self.data.get(field)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(field, value, "true or false")
            return default
        return value


def _parse_row(
    source: str, index: int, data: object
) -> tuple[TaxRate | None, list[ValidationError]]:
    if not isinstance(data, dict):
        err = ValidationError(f"{source}: rates[{index}]", data, "a table of fields")
        return None, [err]
    row = _Row(source, index, data)
    for key in sorted(set(data) - _ROW_FIELDS):
        row.fail(key, data[key], "a known field (" + ", ".join(sorted(_ROW_FIELDS)) + ")")
    code = row.text("code", required=True)
    tax = row.text("tax", required=True)
    category: TaxCategory | None = None
    raw_category = data.get("category")
    if raw_category is None:
        row.fail("category", None, "an EN 16931 category code (the field is required)")
    else:
        try:
            category = TaxCategory.parse(raw_category)
        except ValidationError as err:
            row.fail("category", raw_category, err.expected)
    rate: Decimal | None = None
    raw_rate = data.get("rate")
    if raw_rate is None:
        row.fail("rate", None, 'a rate such as "0.16" (the field is required)')
    elif isinstance(raw_rate, float):
        row.fail("rate", raw_rate, 'an exact rate written as a string, e.g. "0.16" (not a float)')
    else:
        try:
            rate = parse_decimal(raw_rate, "rate")
        except ValidationError:
            row.fail("rate", raw_rate, 'a decimal fraction such as "0.16"')
        else:
            if not Decimal(0) <= rate < Decimal(1):
                row.fail("rate", raw_rate, "a fraction from 0 up to (not including) 1")
                rate = None
    valid_from = row.day("valid_from", required=True)
    valid_to = row.day("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        row.fail("valid_to", str(valid_to), f"a date on or after valid_from {valid_from}")
    kind = row.enum("kind", TaxKind, TaxKind.TAX)
    jurisdiction = row.text("jurisdiction", required=True) or ""
    if jurisdiction:
        country = jurisdiction.split("/", 1)[0].strip()
        if not (len(country) == 2 and country.isalpha()):
            row.fail("jurisdiction", jurisdiction, "a path starting with a country, e.g. 'MX'")
    classes_raw = data.get("classes", [])
    classes: frozenset[str] = frozenset()
    if not isinstance(classes_raw, list) or not all(
        isinstance(c, str) and c.strip() for c in classes_raw
    ):
        row.fail("classes", classes_raw, 'a list of tax class names, e.g. ["services"]')
    else:
        classes = frozenset(c.strip() for c in classes_raw if c.strip() != "*")
    label = row.text("label") or (tax or "")
    sourcing = row.enum("sourcing", Sourcing, Sourcing.DESTINATION)
    seller_person = row.enum("seller_person", PersonType, None)
    buyer_person = row.enum("buyer_person", PersonType, None)
    seller_regime = row.text("seller_regime")
    buyer_business = row.flag("buyer_business", None)
    on_tax = row.text("on_tax")
    compound = row.flag("compound", False)
    note = row.text("note")
    if category is not None and rate is not None and rate and not category.charges_tax:
        row.fail("rate", raw_rate, f"0 for category {category.code} (it carries no tax)")
    if row.problems or code is None or tax is None or category is None or rate is None:
        return None, row.problems
    assert valid_from is not None
    return (
        TaxRate(
            code=code,
            tax=tax,
            category=category,
            rate=rate,
            valid_from=valid_from,
            valid_to=valid_to,
            kind=kind,  # type: ignore[arg-type]
            jurisdiction=jurisdiction,
            classes=classes,
            label=label,
            sourcing=sourcing,  # type: ignore[arg-type]
            seller_person=seller_person,  # type: ignore[arg-type]
            buyer_person=buyer_person,  # type: ignore[arg-type]
            seller_regime=seller_regime,
            buyer_business=buyer_business,
            on_tax=on_tax,
            compound=bool(compound),
            note=note,
            source=row.where,
        ),
        [],
    )


_SAME_PER_CODE: Final = (
    "tax",
    "category",
    "kind",
    "jurisdiction",
    "classes",
    "sourcing",
    "seller_person",
    "buyer_person",
    "seller_regime",
    "buyer_business",
    "on_tax",
    "compound",
)


def _check_codes(rows: Iterable[TaxRate]) -> list[ValidationError]:
    problems: list[ValidationError] = []
    by_code: dict[str, list[TaxRate]] = {}
    for row in rows:
        earlier = by_code.setdefault(row.code, [])
        for prev in earlier:
            for name in _SAME_PER_CODE:
                if getattr(prev, name) != getattr(row, name):
                    problems.append(
                        ValidationError(
                            f"{row.source}.{name}",
                            str(getattr(row, name)),
                            f"the same {name} as the earlier row of {row.code} "
                            f"({prev.source}: {getattr(prev, name)})",
                        )
                    )
                    break
            overlaps = prev.valid_on(row.valid_from) or row.valid_on(prev.valid_from)
            if overlaps:
                problems.append(
                    ValidationError(
                        f"{row.source}.valid_from",
                        str(row.valid_from),
                        f"dates that do not overlap {prev.source} of {row.code} "
                        f"({prev.valid_from}..{prev.valid_to or ''})",
                    )
                )
        earlier.append(row)
    return problems


def parse_tax_table(text: str, source: str = "<table>") -> TaxTable:
    """Parse a TOML rate table.

    The file has an optional ``[table]`` header with a ``name`` and a list of
    ``[[rates]]`` rows (see the tax guide for every field). Every problem is reported
    at once, each naming the file, the row and the field.

    Args:
        text: The TOML text.
        source: The file name, used in error messages and explain output.

    Raises:
        TaxTableError: The text is not valid TOML or has bad rows.

    Example:
        >>> table = parse_tax_table('''
        ... [[rates]]
        ... code = "XX-VAT-S"
        ... tax = "XX-VAT"
        ... category = "S"
        ... rate = "0.2"
        ... jurisdiction = "XX"
        ... valid_from = 2020-01-01
        ... ''', "xx.toml")
        >>> table.rate_on("XX-VAT-S", dt.date(2021, 1, 1)).rate
        Decimal('0.2')
        >>> parse_tax_table('[[rates]]\\ncode = "X"\\nrate = 0.2', "bad.toml")
        Traceback (most recent call last):
        ...
        o2c.tax._table.TaxTableError: bad.toml: rates[0].tax: expected a value ...
    """
    if len(text.encode("utf-8", "replace")) > MAX_TABLE_BYTES:
        raise TaxTableError(
            [ValidationError(source, f"{len(text)} characters", f"at most {MAX_TABLE_BYTES} bytes")]
        )
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TaxTableError([ValidationError(source, str(err), "valid TOML")]) from None
    problems: list[ValidationError] = []
    header = doc.get("table", {})
    name = source
    if not isinstance(header, dict):
        problems.append(ValidationError(f"{source}: table", header, "a [table] header"))
    elif isinstance(header.get("name"), str):
        name = header["name"]
    for key in sorted(set(doc) - {"table", "rates"}):
        problems.append(ValidationError(f"{source}: {key}", "...", "only [table] and [[rates]]"))
    raw_rows = doc.get("rates", [])
    if not isinstance(raw_rows, list):
        problems.append(ValidationError(f"{source}: rates", raw_rows, "a list of [[rates]] rows"))
        raw_rows = []
    rows: list[TaxRate] = []
    for index, data in enumerate(raw_rows):
        row, errs = _parse_row(source, index, data)
        problems.extend(errs)
        if row is not None:
            rows.append(row)
    problems.extend(_check_codes(rows))
    if problems:
        raise TaxTableError(problems)
    return TaxTable(name, tuple(rows))


def check_tax_table(text: str, source: str = "<table>") -> tuple[ValidationError, ...]:
    """Return every problem of a TOML rate table as values (empty when it is valid).

    The same checks as :func:`parse_tax_table`, for an import that shows all problems
    without stopping at an exception.

    Example:
        >>> problems = check_tax_table("[[rates]]", "x.toml")
        >>> [p.field for p in problems][:2]
        ['x.toml: rates[0].code', 'x.toml: rates[0].tax']
    """
    try:
        parse_tax_table(text, source)
    except TaxTableError as err:
        return err.problems
    return ()


@functools.lru_cache(maxsize=8)
def bundled_table(name: str = "ALL") -> TaxTable:
    """Return a table that ships with o2c: ``"EU"``, ``"MX"``, ``"US-EXAMPLE"``.

    ``"ALL"`` merges every bundled table. Tables are parsed once per process.

    The bundled rates are a starting point: have a tax adviser verify them before
    production use.

    Raises:
        NotFound: There is no bundled table of that name.
    """
    key = name.strip().upper()
    if key == "ALL":
        tables = [bundled_table(n) for n in BUNDLED_TABLES]
        merged = tables[0]
        for t in tables[1:]:
            merged = merged.merge(t)
        return TaxTable("ALL", merged.rates)
    if key not in BUNDLED_TABLES:
        raise NotFound("bundled tax table", name, hint="use one of " + ", ".join(BUNDLED_TABLES))
    resource = importlib.resources.files("o2c.tax") / "tables" / f"{key}.toml"
    return parse_tax_table(resource.read_text(encoding="utf-8"), f"{key}.toml")
