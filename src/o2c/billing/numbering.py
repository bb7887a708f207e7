"""Document number series: patterns, formatting and parsing.

A :class:`NumberSeries` names a pattern such as ``INV-{year}-{seq:06}``. The store keeps
one counter per :meth:`NumberSeries.counter_key` (a pattern with ``{year}`` restarts each
year) and hands out the next ``seq`` inside the issuing transaction, which is what makes
numbers gapless and unique; this module only formats and parses.

Placeholders: ``{seq}`` or ``{seq:0N}`` (required, once), ``{year}`` (4 digits), ``{yy}``,
``{month}`` (2 digits). Other text is literal.

Example:
    >>> series = NumberSeries("INV", "INV-{year}-{seq:06}")
    >>> format_number(series, 2026, 42)
    'INV-2026-000042'
    >>> parse_number(series, "INV-2026-000042")
    (2026, 42)
    >>> series.counter_key(2026)
    'INV:2026'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from o2c.billing._documents import DocumentKind
from o2c.errors import ValidationError

__all__ = [
    "DEFAULT_SERIES",
    "NumberSeries",
    "default_series",
    "format_number",
    "parse_number",
    "series_for",
]

_TOKEN: Final = re.compile(r"\{(seq(?::0?(\d+))?|year|yy|month)\}")


def _compile(pattern: str) -> tuple[str, re.Pattern[str], bool, bool]:
    """Return (str.format template, parsing regex, has_year, has_month) of ``pattern``."""
    template: list[str] = []
    regex: list[str] = []
    position = 0
    seq_count = 0
    has_year = has_month = False
    for match in _TOKEN.finditer(pattern):
        literal = pattern[position : match.start()]
        if "{" in literal or "}" in literal:
            raise ValidationError(
                "pattern", pattern, "only {seq}, {seq:0N}, {year}, {yy} and {month} placeholders"
            )
        template.append(literal)
        regex.append(re.escape(literal))
        token = match.group(1)
        if token.startswith("seq"):
            seq_count += 1
            width = int(match.group(2) or 0)
            template.append("{seq:0%dd}" % width if width else "{seq}")  # noqa: UP031
            regex.append(r"(?P<seq>\d+)")
        elif token == "year":
            has_year = True
            template.append("{year:04d}")
            regex.append(r"(?P<year>\d{4})")
        elif token == "yy":
            has_year = True
            template.append("{yy:02d}")
            regex.append(r"(?P<yy>\d{2})")
        else:
            has_month = True
            template.append("{month:02d}")
            regex.append(r"(?P<month>\d{2})")
        position = match.end()
    tail = pattern[position:]
    if "{" in tail or "}" in tail:
        raise ValidationError(
            "pattern", pattern, "only {seq}, {seq:0N}, {year}, {yy} and {month} placeholders"
        )
    template.append(tail)
    regex.append(re.escape(tail))
    if seq_count != 1:
        raise ValidationError("pattern", pattern, "exactly one {seq} placeholder")
    return "".join(template), re.compile("".join(regex)), has_year, has_month


def _check_pattern(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("pattern", value, "a pattern such as 'INV-{year}-{seq:06}'")
    _compile(value)


@attrs.frozen(slots=True)
class NumberSeries:
    """A named number series.

    Attributes:
        code: Series code (``"INV"``); counters are kept per code (and year/month when
            the pattern has them).
        pattern: Number pattern such as ``"INV-{year}-{seq:06}"``.
    """

    code: str
    pattern: str = attrs.field(validator=_check_pattern)
    _compiled: tuple[str, re.Pattern[str], bool, bool] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _compile(self.pattern))

    @property
    def resets_yearly(self) -> bool:
        """Whether the sequence restarts each year (the pattern has ``{year}``/``{yy}``)."""
        return self._compiled[2]

    @property
    def resets_monthly(self) -> bool:
        """Whether the sequence restarts each month (the pattern has ``{month}``)."""
        return self._compiled[3]

    def counter_key(self, year: int, month: int = 1) -> str:
        """The key of the counter a number issued in ``year``/``month`` draws from."""
        if self._compiled[3]:
            return f"{self.code}:{year:04d}-{month:02d}"
        if self._compiled[2]:
            return f"{self.code}:{year:04d}"
        return self.code


def format_number(series: NumberSeries, year: int, seq: int, month: int = 1) -> str:
    """Format the ``seq``-th number of ``series`` in ``year`` (and ``month``).

    Raises:
        ValidationError: ``seq`` is not a whole number >= 1.
    """
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValidationError("seq", seq, "a whole number >= 1")
    return series._compiled[0].format(seq=seq, year=year, yy=year % 100, month=month)


def parse_number(series: NumberSeries, number: str) -> tuple[int | None, int]:
    """Return ``(year, seq)`` of a number of ``series`` (year ``None`` without one).

    Raises:
        ValidationError: ``number`` does not match the series pattern.
    """
    match = series._compiled[1].fullmatch(number) if isinstance(number, str) else None
    if match is None:
        raise ValidationError("number", number, f"a number like {series.pattern!r}")
    groups = match.groupdict()
    year: int | None = None
    if groups.get("year"):
        year = int(groups["year"])
    elif groups.get("yy"):
        year = 2000 + int(groups["yy"])
    return year, int(groups["seq"])


#: Default series per document kind.
DEFAULT_SERIES: Final[Mapping[DocumentKind, NumberSeries]] = MappingProxyType(
    {
        DocumentKind.INVOICE: NumberSeries("INV", "INV-{year}-{seq:06}"),
        DocumentKind.CREDIT_NOTE: NumberSeries("CN", "CN-{year}-{seq:06}"),
        DocumentKind.DEBIT_NOTE: NumberSeries("DN", "DN-{year}-{seq:06}"),
    }
)


def default_series(kind: DocumentKind) -> NumberSeries:
    """The default series of documents of ``kind``."""
    return DEFAULT_SERIES[kind]


def series_for(kind: DocumentKind, pattern: str | None) -> NumberSeries:
    """The series documents of ``kind`` are numbered from: the default series with
    ``pattern`` (a book's ``numbering.<kind>`` setting) instead of its own, if given.

    The series code (``INV``, ``CN``, ``DN``) stays the default's, so a changed pattern
    keeps the counters it numbers from.

    Example:
        >>> series_for(DocumentKind.INVOICE, None).pattern
        'INV-{year}-{seq:06}'
        >>> series_for(DocumentKind.INVOICE, "F{yy}-{seq:05}")
        NumberSeries(code='INV', pattern='F{yy}-{seq:05}')
    """
    default = default_series(kind)
    return default if pattern is None else NumberSeries(default.code, pattern)
