"""Rate files: CSV and the ECB's euro foreign exchange reference rates (eurofxref XML).

Both parsers are pure (bytes or text in, values out) and report every problem of a file
at once, by row, as values (:class:`RateProblem`); a file with problems should be
refused as a whole by the caller. The XML is parsed by :mod:`defusedxml` with DTDs,
entities and external references refused, as the bank statements are
(:mod:`o2c.ledger.bankfiles`): the ECB file is small and flat, so the standard library's
ElementTree behind defusedxml is enough and lxml is not needed.

CSV columns (a header row; ``rate_type`` and ``source`` optional)::

    date,base,quote,rate,rate_type
    2026-10-30,USD,MXN,18.2345,DOF-FIX

The ECB file (``eurofxref-daily.xml`` or ``eurofxref-hist.xml``) quotes every currency
against the euro: ``<Cube time="2026-10-30"><Cube currency="USD" rate="1.0850"/>``
becomes the rate EUR/USD 1.0850 of type ``ECB`` effective 2026-10-30.

Example:
    >>> rates, problems = parse_rates_csv("date,base,quote,rate\\n2026-10-30,USD,MXN,18.2345\\n")
    >>> [(r.pair, str(r.rate), r.rate_type) for r in rates], problems
    ([('USD/MXN', '18.2345', 'BOOK')], ())
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Final, TypeAlias

import attrs
import defusedxml
from defusedxml import ElementTree as SafeET

from o2c.errors import O2CError
from o2c.fx.rates import DEFAULT_RATE_TYPE, Rate, rate_type

__all__ = [
    "ECB_RATE_TYPE",
    "MAX_RATE_FILE_BYTES",
    "RateProblem",
    "RateSource",
    "parse_ecb_xml",
    "parse_rates_csv",
]

#: The rate type of rates read from an ECB file.
ECB_RATE_TYPE: Final = "ECB"
#: A rate file larger than this is refused (the ECB's full history is about 2 MB).
MAX_RATE_FILE_BYTES: Final = 16 * 1024 * 1024

#: What an app supplies rates with: called with a day, returns the rates effective then.
RateSource: TypeAlias = Callable[[dt.date], Iterable[Rate]]

_ECB_NS: Final = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"


@attrs.frozen(slots=True)
class RateProblem:
    """One problem of a rate file.

    Attributes:
        source: The file name.
        row: The row (CSV, 1 is the header) or 0 for the whole file.
        field: The column or element.
        value: What was found.
        expected: What would have been accepted.
    """

    source: str
    row: int
    field: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.row}" if self.row else self.source
        return f"{where}: {self.field}: expected {self.expected}, got {self.value!r}"


def _too_big(source: str, size: int) -> tuple[tuple[Rate, ...], tuple[RateProblem, ...]] | None:
    if size <= MAX_RATE_FILE_BYTES:
        return None
    return (), (RateProblem(source, 0, "size", str(size), f"at most {MAX_RATE_FILE_BYTES} bytes"),)


def parse_rates_csv(
    text: str, source: str = "rates.csv", *, default_type: str = DEFAULT_RATE_TYPE
) -> tuple[tuple[Rate, ...], tuple[RateProblem, ...]]:
    """Parse a CSV of rates (columns ``date,base,quote,rate[,rate_type][,source]``).

    Returns:
        The rates and every problem found (by row); use the rates only without problems.
    """
    if (big := _too_big(source, len(text))) is not None:
        return big
    reader = csv.DictReader(io.StringIO(text))
    missing = {"date", "base", "quote", "rate"} - set(reader.fieldnames or ())
    if missing:
        return (), (
            RateProblem(
                source, 1, "header", ",".join(reader.fieldnames or ()), "date,base,quote,rate"
            ),
        )
    rates: list[Rate] = []
    problems: list[RateProblem] = []
    for n, row in enumerate(reader, start=2):
        try:
            day = dt.date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            problems.append(RateProblem(source, n, "date", row.get("date") or "", "YYYY-MM-DD"))
            continue
        try:
            rates.append(
                Rate.of(
                    (row.get("base") or "").strip(),
                    (row.get("quote") or "").strip(),
                    (row.get("rate") or "").strip(),
                    day,
                    (row.get("rate_type") or "").strip() or default_type,
                    (row.get("source") or "").strip() or source,
                )
            )
        except O2CError as error:
            field = getattr(error, "field", "rate")
            value = getattr(error, "value", "")
            expected = getattr(error, "expected", str(error))
            problems.append(RateProblem(source, n, str(field), str(value), str(expected)))
    return tuple(rates), tuple(problems)


def parse_ecb_xml(
    data: bytes, source: str = "eurofxref.xml", *, kind: str = ECB_RATE_TYPE
) -> tuple[tuple[Rate, ...], tuple[RateProblem, ...]]:
    """Parse the ECB's eurofxref XML (daily, 90-day or full history).

    Returns:
        EUR/XXX rates of type ``kind`` and every problem found; a malformed file, or one
        with a DTD, entities or external references, is one file-level problem.
    """
    if (big := _too_big(source, len(data))) is not None:
        return big
    label = rate_type(kind)
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        return (), (
            RateProblem(source, 0, "xml", type(exc).__name__, "XML without DTD or entities"),
        )
    except SafeET.ParseError as exc:
        return (), (RateProblem(source, 0, "xml", str(exc), "well-formed XML"),)
    rates: list[Rate] = []
    problems: list[RateProblem] = []
    days = [c for c in root.iter(f"{{{_ECB_NS}}}Cube") if "time" in c.attrib]
    if not days:
        return (), (RateProblem(source, 0, "Cube", "", "an ECB eurofxref file with Cube time"),)
    for n, cube in enumerate(days, start=1):
        try:
            day = dt.date.fromisoformat(cube.attrib["time"])
        except ValueError:
            problems.append(RateProblem(source, n, "time", cube.attrib["time"], "YYYY-MM-DD"))
            continue
        for quote in cube:
            code, rate = quote.attrib.get("currency", ""), quote.attrib.get("rate", "")
            try:
                rates.append(Rate.of("EUR", code, rate, day, label, source))
            except O2CError as error:
                problems.append(RateProblem(source, n, f"Cube[{code}]", rate or code, str(error)))
    return tuple(rates), tuple(problems)
