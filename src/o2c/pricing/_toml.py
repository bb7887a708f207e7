"""Rate cards from TOML that a finance person can edit.

The format is documented in ``docs/guide/pricing.md``. Parsing is pure (text in, value
out) and reports every problem of a file at once, each with the file, the item and the
field: ``saas.toml: versions[0].items.api_calls.tiers[2].up_to: expected ...``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.ids import ItemCode
from o2c.money import Currency, parse_decimal
from o2c.pricing._events import per_event_reason
from o2c.pricing._models import (
    Flat,
    Graduated,
    GraduatedPercentage,
    Overtime,
    Package,
    Percentage,
    PercentageTier,
    PerUnit,
    PriceModel,
    RoleRate,
    Tier,
    TimeAndMaterials,
    Volume,
)
from o2c.pricing._ratecard import Item, RateCard, RateCardVersion

__all__ = [
    "MAX_RATECARD_CHARS",
    "TAX_CATEGORIES",
    "Problem",
    "RateCardError",
    "load_ratecard",
    "parse_ratecard",
]

#: Largest rate card text accepted (untrusted files are size-bounded).
MAX_RATECARD_CHARS: Final = 2_000_000

_INF: Final = frozenset({"inf", "infinity", "unlimited"})
#: EN 16931 VAT category codes (UNCL5305 subset) the tax engine understands.
TAX_CATEGORIES: Final = frozenset({"S", "Z", "E", "AE", "K", "G", "O", "L", "M"})
_CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_ITEM_KEYS: Final = frozenset({"name", "unit", "tax_category", "model", "description", "per_event"})
_MINMAX: Final = frozenset({"minimum", "maximum"})
_MODEL_KEYS: Final[dict[str, frozenset[str]]] = {
    "flat": frozenset({"price", "allow_credits"}),
    "per_unit": frozenset({"unit_price", "free_units", "allow_credits"}) | _MINMAX,
    "graduated": frozenset({"tiers", "free_units"}) | _MINMAX,
    "volume": frozenset({"tiers", "free_units"}) | _MINMAX,
    "package": frozenset({"size", "price", "free_units"}) | _MINMAX,
    "percentage": frozenset(
        {
            "percent",
            "fixed_fee",
            "transaction_minimum",
            "transaction_maximum",
            "free_transactions",
            "free_amount",
        }
    )
    | _MINMAX,
    "graduated_percentage": frozenset({"tiers"}) | _MINMAX,
    "time_and_materials": frozenset({"rates", "increment", "minimum_hours", "overtime"}) | _MINMAX,
}


@attrs.frozen(slots=True)
class Problem:
    """One problem found in a rate card file.

    Attributes:
        field: Path of the field, prefixed with the source: ``saas.toml: items.x.price``.
        value: The value found (``None`` when missing).
        expected: What would have been accepted.
    """

    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        # TOML numbers are read as Decimal; show 50.5, not Decimal('50.5'), to people.
        shown = str(self.value) if isinstance(self.value, Decimal) else repr(self.value)
        return f"{self.field}: expected {self.expected}, got {shown}"


class RateCardError(ValidationError):
    """A rate card file has problems; :attr:`problems` lists every one of them.

    ``field``, ``value`` and ``expected`` are those of the first problem.
    """

    def __init__(self, source: str, problems: tuple[Problem, ...]) -> None:
        self.source = source
        self.problems = problems
        first = problems[0]
        if len(problems) == 1:
            message = str(first)
        else:
            lines = "\n".join(f"  {p}" for p in problems)
            message = f"{source}: {len(problems)} problems in the rate card\n{lines}"
        super().__init__(first.field, first.value, first.expected, message=message)


class _Reader:
    """Collects problems while reading one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, path: str, value: object, expected: str) -> None:
        self.problems.append(Problem(f"{self.source}: {path}", value, expected))

    def table(self, data: Mapping[str, object], key: str, path: str) -> Mapping[str, object]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.problem(_join(path, key), value, "a table")
            return {}
        return value

    def text(
        self, data: Mapping[str, object], key: str, path: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.problem(_join(path, key), value, "a non-empty text")
            return ""
        return value.strip()

    def number(
        self,
        data: Mapping[str, object],
        key: str,
        path: str,
        *,
        default: Decimal | None = None,
        required: bool = False,
        minimum: Decimal | None = None,
    ) -> Decimal | None:
        if key not in data:
            if required:
                self.problem(_join(path, key), None, "a number (missing)")
            return default
        value = data[key]
        try:
            if isinstance(value, bool):
                raise ValidationError(key, value, "a number")
            number = parse_decimal(value, key)
        except ValidationError:
            self.problem(_join(path, key), value, 'a number such as 12.50 or "0.00042"')
            return default
        if minimum is not None and number < minimum:
            self.problem(_join(path, key), value, f"a number >= {minimum}")
            return default
        return number

    def flag(self, data: Mapping[str, object], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(_join(path, key), value, "true or false")
            return False
        return value

    def date(self, data: Mapping[str, object], key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(_join(path, key), value, "a date such as 2026-01-01")
        return None

    def unknown_keys(self, data: Mapping[str, object], allowed: frozenset[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                self.problem(_join(path, key), data[key], f"a known field ({names})")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_ZERO: Final = Decimal(0)


def _open_bound(value: object) -> bool:
    """Whether ``value`` marks an open-ended tier: ``"inf"`` or TOML's bare ``inf``."""
    if isinstance(value, str):
        return value.strip().lower() in _INF
    # tomllib hands the bare TOML float ``inf`` to parse_float, i.e. Decimal("inf").
    return isinstance(value, Decimal) and value.is_infinite() and value > 0


def _tiers(
    reader: _Reader, data: Mapping[str, object], path: str, price_key: str
) -> list[tuple[Decimal | None, Decimal, Decimal]]:
    raw = data.get("tiers")
    tiers_path = _join(path, "tiers")
    if not isinstance(raw, list) or not raw:
        reader.problem(tiers_path, raw, "a list of tiers")
        return []
    result: list[tuple[Decimal | None, Decimal, Decimal]] = []
    previous = _ZERO
    last = len(raw) - 1
    for index, tier in enumerate(raw):
        tier_path = f"{tiers_path}[{index}]"
        if not isinstance(tier, Mapping):
            reader.problem(tier_path, tier, "a table with up_to, " + price_key)
            continue
        reader.unknown_keys(tier, frozenset({"up_to", price_key, "flat_fee"}), tier_path)
        up_to_path = f"{tier_path}.up_to"
        up_to: Decimal | None
        if "up_to" not in tier:
            if index == last:
                reader.problem(up_to_path, None, 'up_to = "inf" on the last tier (missing)')
            else:
                reader.problem(up_to_path, None, "an upper bound (missing)")
            up_to = None
        elif _open_bound(tier["up_to"]):
            up_to = None
            if index != last:
                reader.problem(up_to_path, tier["up_to"], "a number: only the last tier is open")
        else:
            up_to = reader.number(tier, "up_to", tier_path, minimum=_ZERO)
            if up_to is not None:
                if index == last:
                    reader.problem(
                        up_to_path, tier["up_to"], 'up_to = "inf" (the last tier is open-ended)'
                    )
                elif up_to <= previous and index > 0:
                    reader.problem(
                        up_to_path,
                        tier["up_to"],
                        f"a bound above the previous tier's {previous} (tiers out of order)",
                    )
                else:
                    previous = up_to
        price = reader.number(tier, price_key, tier_path, default=_ZERO, minimum=_ZERO)
        fee = reader.number(tier, "flat_fee", tier_path, default=_ZERO, minimum=_ZERO)
        result.append((up_to, price or _ZERO, fee or _ZERO))
    return result


def _model(reader: _Reader, data: Mapping[str, object], path: str) -> PriceModel | None:
    name = data.get("model")
    if not isinstance(name, str) or name.strip().lower() not in _MODEL_KEYS:
        names = ", ".join(sorted(_MODEL_KEYS))
        reader.problem(_join(path, "model"), name, f"a price model ({names})")
        return None
    name = name.strip().lower()
    reader.unknown_keys(data, _ITEM_KEYS | _MODEL_KEYS[name], path)
    before = len(reader.problems)
    num = reader.number
    z = _ZERO
    minimum = num(data, "minimum", path, minimum=z)
    maximum = num(data, "maximum", path, minimum=z)
    if minimum is not None and maximum is not None and maximum < minimum:
        reader.problem(_join(path, "maximum"), data["maximum"], f"a maximum >= {minimum}")
    free = num(data, "free_units", path, default=z, minimum=z) or z
    build: Callable[[], PriceModel]
    if name == "flat":
        price = num(data, "price", path, required=True)
        credits = reader.flag(data, "allow_credits", path)

        def build() -> PriceModel:
            return Flat(price=price or z, allow_credits=credits)

    elif name == "per_unit":
        unit_price = num(data, "unit_price", path, required=True)
        credits = reader.flag(data, "allow_credits", path)

        def build() -> PriceModel:
            return PerUnit(
                unit_price=unit_price or z,
                free_units=free,
                minimum=minimum,
                maximum=maximum,
                allow_credits=credits,
            )

    elif name in ("graduated", "volume"):
        tiers = [Tier(u, p, f) for u, p, f in _tiers(reader, data, path, "unit_price")]
        kind = Graduated if name == "graduated" else Volume

        def build() -> PriceModel:
            return kind(tiers=tiers, free_units=free, minimum=minimum, maximum=maximum)

    elif name == "package":
        size = num(data, "size", path, required=True)
        if size is not None and size <= 0:
            reader.problem(_join(path, "size"), data["size"], "a number > 0")
        price = num(data, "price", path, required=True, minimum=z)

        def build() -> PriceModel:
            return Package(
                size=size or 1, price=price or z, free_units=free, minimum=minimum, maximum=maximum
            )

    elif name == "percentage":
        percent = num(data, "percent", path, required=True, minimum=z)
        fixed = num(data, "fixed_fee", path, default=z, minimum=z) or z
        tx_min = num(data, "transaction_minimum", path, minimum=z)
        tx_max = num(data, "transaction_maximum", path, minimum=z)
        if tx_min is not None and tx_max is not None and tx_max < tx_min:
            reader.problem(
                _join(path, "transaction_maximum"), data["transaction_maximum"], f">= {tx_min}"
            )
        free_tx = data.get("free_transactions", 0)
        if not isinstance(free_tx, int) or isinstance(free_tx, bool) or free_tx < 0:
            reader.problem(_join(path, "free_transactions"), free_tx, "a whole number >= 0")
            free_tx = 0
        free_amount = num(data, "free_amount", path, default=z, minimum=z) or z
        free_count = free_tx

        def build() -> PriceModel:
            return Percentage(
                percent=percent or z,
                fixed_fee=fixed,
                transaction_minimum=tx_min,
                transaction_maximum=tx_max,
                free_transactions=free_count,
                free_amount=free_amount,
                minimum=minimum,
                maximum=maximum,
            )

    elif name == "graduated_percentage":
        ptiers = [PercentageTier(u, p, f) for u, p, f in _tiers(reader, data, path, "percent")]

        def build() -> PriceModel:
            return GraduatedPercentage(tiers=ptiers, minimum=minimum, maximum=maximum)

    else:
        rates = _role_rates(reader, data, path)
        increment = num(data, "increment", path, default=z, minimum=z) or z
        minimum_hours = num(data, "minimum_hours", path, default=z, minimum=z) or z
        overtime = _overtime(reader, data, path)

        def build() -> PriceModel:
            return TimeAndMaterials(
                rates=rates,
                increment=increment,
                minimum_hours=minimum_hours,
                overtime=overtime,
                minimum=minimum,
                maximum=maximum,
            )

    if len(reader.problems) > before:
        return None
    try:
        return build()
    except ValidationError as error:
        reader.problem(_join(path, error.field), error.value, error.expected)
        return None


def _role_rates(reader: _Reader, data: Mapping[str, object], path: str) -> list[RoleRate]:
    raw = data.get("rates")
    rates_path = _join(path, "rates")
    if not isinstance(raw, Mapping) or not raw:
        reader.problem(rates_path, raw, "a table of role = hourly rate")
        return []
    rates = []
    for role, _value in raw.items():
        value = reader.number(raw, role, rates_path, required=True, minimum=_ZERO)
        if value is not None:
            rates.append(RoleRate(role, value))
    return rates


def _overtime(reader: _Reader, data: Mapping[str, object], path: str) -> Overtime | None:
    if "overtime" not in data:
        return None
    raw = reader.table(data, "overtime", path)
    ot_path = _join(path, "overtime")
    reader.unknown_keys(raw, frozenset({"multiplier", "daily_hours", "weekly_hours"}), ot_path)
    multiplier = reader.number(raw, "multiplier", ot_path, required=True)
    if multiplier is not None and multiplier <= 0:
        reader.problem(_join(ot_path, "multiplier"), raw["multiplier"], "a number > 0")
        return None
    daily = reader.number(raw, "daily_hours", ot_path, minimum=_ZERO)
    weekly = reader.number(raw, "weekly_hours", ot_path, minimum=_ZERO)
    if multiplier is None:
        return None
    return Overtime(multiplier=multiplier, daily_hours=daily, weekly_hours=weekly)


def _items(reader: _Reader, raw: object, path: str) -> list[Item]:
    if not isinstance(raw, Mapping) or not raw:
        reader.problem(path, raw, "a table of items ([items.<code>])")
        return []
    items = []
    for code, data in raw.items():
        item_path = f"{path}.{code}"
        if not _CODE.fullmatch(code):
            reader.problem(item_path, code, "an item code of letters, digits, _ . - only")
        if not isinstance(data, Mapping):
            reader.problem(item_path, data, "a table")
            continue
        name = reader.text(data, "name", item_path)
        unit = reader.text(data, "unit", item_path, default="unit")
        category = reader.text(data, "tax_category", item_path, default="S")
        if category and category not in TAX_CATEGORIES:
            names = ", ".join(sorted(TAX_CATEGORIES))
            reader.problem(_join(item_path, "tax_category"), category, f"one of {names}")
        description = data.get("description", "")
        if not isinstance(description, str):
            reader.problem(_join(item_path, "description"), description, "a text")
            description = ""
        model = _model(reader, data, item_path)
        per_event = reader.flag(data, "per_event", item_path)
        if per_event and model is not None:
            reason = per_event_reason(model)
            if reason is not None:
                reader.problem(_join(item_path, "per_event"), True, reason)
                model = None
        if model is not None and name and unit and category:
            items.append(
                Item(
                    code=ItemCode(code),
                    name=name,
                    unit=unit,
                    tax_category=category,
                    model=model,
                    description=description,
                    per_event=per_event,
                )
            )
    return items


def parse_ratecard(text: str, source: str = "<string>") -> RateCard:
    """Parse a rate card from TOML text.

    Numbers may be TOML numbers (read exactly, never as binary floats) or strings.

    Args:
        text: The TOML document.
        source: Name used in error messages, usually the file name.

    Returns:
        The rate card.

    Raises:
        RateCardError: The text has problems; every problem is listed.

    Example:
        >>> card = parse_ratecard('''
        ... [ratecard]
        ... code = "mini"
        ... currency = "USD"
        ... effective_from = 2026-01-01
        ... [items.seat]
        ... name = "Seat"
        ... model = "per_unit"
        ... unit_price = 12.50
        ... ''', "mini.toml")
        >>> card.currency.code, card.versions[0].items[0].model
        ('USD', PerUnit(unit_price=Decimal('12.50'), free_units=Decimal('0'), minimum=None, \
maximum=None, allow_credits=False))
    """
    reader = _Reader(source)
    if not isinstance(text, str) or len(text) > MAX_RATECARD_CHARS:
        size = len(text) if isinstance(text, str) else type(text).__name__
        reader.problem("file", size, f"TOML text of at most {MAX_RATECARD_CHARS} characters")
        raise RateCardError(source, tuple(reader.problems))
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        reader.problem("file", str(error), "valid TOML")
        raise RateCardError(source, tuple(reader.problems)) from None
    reader.unknown_keys(data, frozenset({"ratecard", "items", "versions"}), "")
    head = reader.table(data, "ratecard", "")
    reader.unknown_keys(
        head, frozenset({"code", "name", "currency", "effective_from", "description"}), "ratecard"
    )
    code = reader.text(head, "code", "ratecard")
    name = head.get("name", "")
    if not isinstance(name, str):
        reader.problem("ratecard.name", name, "a text")
        name = ""
    currency: Currency | None = None
    try:
        currency = Currency.of(head.get("currency"))  # type: ignore[arg-type]
    except ValidationError:
        reader.problem("ratecard.currency", head.get("currency"), "an ISO 4217 code such as USD")
    versions: list[RateCardVersion] = []
    if "versions" in data:
        if "items" in data:
            reader.problem("items", "...", "items inside [[versions]] when versions are used")
        raw_versions = data["versions"]
        if not isinstance(raw_versions, list) or not raw_versions:
            reader.problem("versions", raw_versions, "a list of [[versions]] tables")
            raw_versions = []
        seen: set[dt.date] = set()
        for index, raw in enumerate(raw_versions):
            path = f"versions[{index}]"
            if not isinstance(raw, Mapping):
                reader.problem(path, raw, "a table")
                continue
            reader.unknown_keys(raw, frozenset({"effective_from", "items"}), path)
            start = reader.date(raw, "effective_from", path)
            if start is not None and start in seen:
                reader.problem(f"{path}.effective_from", start.isoformat(), "a date used once")
            items = _items(reader, raw.get("items"), f"{path}.items")
            if start is not None:
                seen.add(start)
                versions.append(RateCardVersion(start, items))
    else:
        start = reader.date(head, "effective_from", "ratecard")
        items = _items(reader, data.get("items"), "items")
        if start is not None:
            versions.append(RateCardVersion(start, items))
    if reader.problems or currency is None:
        raise RateCardError(source, tuple(reader.problems))
    return RateCard(code=code, name=name, currency=currency, versions=versions)


def load_ratecard(path: str | Path) -> RateCard:
    """Read and parse the rate card file at ``path`` (errors name the file).

    Raises:
        RateCardError: The file cannot be read or has problems.
    """
    file = Path(path)
    try:
        if file.stat().st_size > MAX_RATECARD_CHARS * 4:
            raise RateCardError(
                file.name, (Problem(f"{file.name}: file", file.stat().st_size, "a smaller file"),)
            )
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RateCardError(
            file.name, (Problem(f"{file.name}: file", str(path), f"a readable file ({error})"),)
        ) from None
    return parse_ratecard(text, file.name)
