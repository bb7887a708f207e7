"""Bank statement imports: CSV and ISO 20022 camt.053 XML, as pure parsers.

Both parsers take the file's content (text or bytes) and a ``source`` name for messages,
and return a :class:`BankImport`: the lines that parsed and every problem found, each
naming the file, the row (or entry) and the field, so a user fixes all of them at once.

**CSV columns** (a header row is required; names are case-insensitive, order is free):

=================== ========  =========================================================
column              required  content
=================== ========  =========================================================
``date``            yes       value date, ``YYYY-MM-DD``
``amount``          yes       signed decimal, ``.`` as decimal point, no thousands
                              separator (in a ``;`` or tab file also ``1.234,50``);
                              incoming payments are positive
``currency``        no        ISO 4217 code; else the ``currency`` argument
``reference``       yes       the bank's unique transaction reference (idempotency key)
``remittance``      no        remittance text (invoice numbers, customer reference)
``payer``           no        the payer's name
``payer_reference`` no        another payer reference (end-to-end id, account)
=================== ========  =========================================================

Cells are separated by ``,``, ``;`` or a tab, read off the header line: a bank in Mexico,
Spain or Germany exports ``;`` with a decimal comma (``1.234,50``), which such a file
accepts beside ``1234.50``. A comma file cannot take a decimal comma (is ``"1,234"`` one
thousand two hundred thirty-four or 1.234?), so there a comma in an amount is refused.

**camt.053** (any ``camt.053.001.xx`` version): one line per transaction detail of each
``Ntry`` (``CRDT`` positive, ``DBIT`` negative), with the value date (else the booking
date), the bank reference (``AcctSvcrRef``, else ``NtryRef``, else ``EndToEndId``), the
unstructured and structured remittance, and the debtor's name. The XML is parsed by
:mod:`defusedxml` with DTDs, entities and external references refused: no XXE, no
billion laughs (DESIGN.md, untrusted files).

Example:
    >>> text = "date,amount,currency,reference,remittance\\n2026-11-03,100.00,USD,TX1,INV-1\\n"
    >>> result = parse_bank_csv(text, "bank.csv")
    >>> [(str(line.amount), line.remittance) for line in result.lines], result.problems
    ([('100.00 USD', 'INV-1')], ())
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Final
from xml.etree.ElementTree import Element

import attrs
import defusedxml
from defusedxml import ElementTree as SafeET

from o2c.errors import ValidationError
from o2c.ledger.cashapp import BankLine
from o2c.money import Currency, Money, parse_decimal

__all__ = [
    "MAX_STATEMENT_BYTES",
    "BankImport",
    "ImportProblem",
    "parse_bank_csv",
    "parse_camt053",
]

#: Larger statement files are refused before parsing (untrusted input is size-bounded).
MAX_STATEMENT_BYTES: Final = 20 * 1024 * 1024

_REQUIRED: Final = ("date", "amount", "reference")
_DELIMITERS: Final = (",", ";", "\t")
#: ``1.234,50``, ``-1234,5``: a decimal comma, dots only as thousands separators.
_DECIMAL_COMMA: Final = re.compile(r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")
_KNOWN: Final = (*_REQUIRED, "currency", "remittance", "payer", "payer_reference")


@attrs.frozen(slots=True)
class ImportProblem:
    """One problem in an imported file.

    Attributes:
        source: The file name.
        row: The row (CSV, header = 1) or entry number (camt.053); 0 for the whole file.
        field: The column or XML element.
        value: The offending value.
        message: What was expected.
    """

    source: str
    row: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: row {self.row}: {self.field}: {self.message}, got {self.value!r}"


@attrs.frozen(slots=True)
class BankImport:
    """What a statement import produced: the good lines and all problems."""

    lines: tuple[BankLine, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether the file had no problem."""
        return not self.problems


def _too_big(source: str, size: int, limit: int) -> BankImport | None:
    if size > limit:
        return BankImport(
            (), (ImportProblem(source, 0, "file", str(size), f"at most {limit} bytes"),)
        )
    return None


def _csv_delimiter(text: str) -> str:
    """The cell separator of a CSV file: ``,``, ``;`` or a tab, read off its header line.

    The one found most often outside quotes in the first line wins; a comma when there is
    none. (``o2c.io.detect_delimiter`` reads imports the same way; the ledger cannot
    import ``o2c.io``.)

    Example:
        >>> _csv_delimiter("fecha;importe;referencia\\n2026-11-03;1.160,00;TX1\\n")
        ';'
    """
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decimal_text(text: str, delimiter: str) -> str:
    """An amount cell as a decimal with a point: ``1.234,50`` -> ``1234.50`` in a ``;`` file.

    Example:
        >>> _decimal_text("-1.234,50", ";"), _decimal_text("1234.50", ";")
        ('-1234.50', '1234.50')
        >>> _decimal_text("1,50", ",")  # a comma file has no decimal comma
        '1,50'
    """
    if delimiter != "," and _DECIMAL_COMMA.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    return text


def parse_bank_csv(
    text: str,
    source: str,
    *,
    currency: Currency | str | None = None,
    max_bytes: int = MAX_STATEMENT_BYTES,
) -> BankImport:
    """Parse a bank statement CSV (columns in the module doc).

    Args:
        text: The file content.
        source: The file name, for messages.
        currency: The currency of rows without a ``currency`` column or value.
        max_bytes: Refuse larger content.

    Returns:
        Lines and problems; a row with any problem yields no line.
    """
    if (big := _too_big(source, len(text.encode("utf-8")), max_bytes)) is not None:
        return big
    delimiter = _csv_delimiter(text)
    reader = csv.DictReader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter, strict=True
    )
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as exc:
        return BankImport((), (ImportProblem(source, 1, "file", str(exc), "readable CSV"),))
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        return BankImport(
            (),
            tuple(
                ImportProblem(source, 1, c, delimiter.join(header), "a column of this name")
                for c in missing
            ),
        )
    if currency is None and "currency" not in header:
        return BankImport(
            (),
            (
                ImportProblem(
                    source, 1, "currency", delimiter.join(header), "a currency column or argument"
                ),
            ),
        )
    default = Currency.of(currency) if currency is not None else None
    lines: list[BankLine] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # A broken quote or NUL byte: report it and stop, the rest cannot be trusted.
            problems.append(
                ImportProblem(source, reader.line_num, "file", str(exc), "readable CSV")
            )
            break
        row_no = reader.line_num
        row = {
            (k or "").strip().lower(): (v or "").strip()
            for k, v in raw.items()
            if isinstance(v, str)
        }
        if not any(row.values()):
            continue
        before = len(problems)

        def problem(
            field: str, message: str, row_no: int = row_no, row: dict[str, str] = row
        ) -> None:
            problems.append(ImportProblem(source, row_no, field, row.get(field, ""), message))

        day: dt.date | None = None
        try:
            day = dt.date.fromisoformat(row.get("date", ""))
        except ValueError:
            problem("date", "a date YYYY-MM-DD")
        cur = default
        if row.get("currency"):
            try:
                cur = Currency.of(row["currency"])
            except ValidationError:
                problem("currency", "an ISO 4217 currency code")
                cur = None
        amount: Money | None = None
        try:
            value = parse_decimal(_decimal_text(row.get("amount", ""), delimiter), "amount")
            if cur is not None:
                amount = Money(value, cur)
                if not amount.is_rounded:
                    problem("amount", f"at most {cur.minor_units} decimals for {cur.code}")
        except ValidationError:
            example = "1234.50" if delimiter == "," else "1234.50 or 1.234,50"
            problem("amount", f"a decimal number such as {example}")
        reference = row.get("reference", "")
        if not reference:
            problem("reference", "the bank's transaction reference")
        elif reference in seen:
            problem("reference", f"a reference used once (also on row {seen[reference]})")
        else:
            seen[reference] = row_no
        if len(problems) == before and day is not None and amount is not None:
            lines.append(
                BankLine(
                    source,
                    row_no,
                    day,
                    amount,
                    reference=reference,
                    remittance=row.get("remittance", ""),
                    payer=row.get("payer", ""),
                    payer_reference=row.get("payer_reference", ""),
                )
            )
    return BankImport(tuple(lines), tuple(problems))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, *path: str) -> Element | None:
    node = element
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _text(element: Element | None, *path: str) -> str:
    node = _child(element, *path)
    return (node.text or "").strip() if node is not None else ""


def _camt_date(entry: Element) -> str:
    for kind in ("ValDt", "BookgDt"):
        for sub in ("Dt", "DtTm"):
            value = _text(entry, kind, sub)
            if value:
                return value[:10]
    return ""


def parse_camt053(data: bytes, source: str, *, max_bytes: int = MAX_STATEMENT_BYTES) -> BankImport:
    """Parse an ISO 20022 camt.053 bank-to-customer statement.

    Args:
        data: The XML document.
        source: The file name, for messages.
        max_bytes: Refuse larger content.

    Returns:
        Lines and problems. An XML document that is malformed or uses a DTD, entities or
        external references yields one file-level problem and no lines.
    """
    if (big := _too_big(source, len(data), max_bytes)) is not None:
        return big
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        return BankImport(
            (),
            (
                ImportProblem(
                    source,
                    0,
                    "xml",
                    type(exc).__name__,
                    "XML without DTD, entities or external references",
                ),
            ),
        )
    except SafeET.ParseError as exc:
        return BankImport((), (ImportProblem(source, 0, "xml", str(exc), "well-formed XML"),))
    if _local(root.tag) != "Document" or _child(root, "BkToCstmrStmt") is None:
        return BankImport(
            (),
            (
                ImportProblem(
                    source,
                    0,
                    "Document",
                    _local(root.tag),
                    "a camt.053 Document with BkToCstmrStmt",
                ),
            ),
        )
    lines: list[BankLine] = []
    problems: list[ImportProblem] = []
    position = 0
    for statement in _children(_child(root, "BkToCstmrStmt"), "Stmt"):
        for entry in _children(statement, "Ntry"):
            position += 1
            lines_before, problems_before = len(lines), len(problems)
            _camt_entry(entry, source, position, lines, problems)
            if len(problems) > problems_before:
                del lines[lines_before:]
    return BankImport(tuple(lines), tuple(problems))


def _camt_entry(
    entry: Element, source: str, position: int, lines: list[BankLine], problems: list[ImportProblem]
) -> None:
    def problem(field: str, value: str, message: str) -> None:
        problems.append(ImportProblem(source, position, field, value, message))

    indicator = _text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        problem("CdtDbtInd", indicator, "CRDT or DBIT")
        return
    sign = 1 if indicator == "CRDT" else -1
    date_text = _camt_date(entry)
    try:
        day = dt.date.fromisoformat(date_text)
    except ValueError:
        problem("ValDt", date_text, "a value or booking date YYYY-MM-DD")
        return
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    details: list[Element | None] = [
        tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")
    ]
    if not details:
        details = [None]
    for index, tx in enumerate(details):
        amount_node = _child(entry, "Amt")
        if len(details) > 1:
            amount_node = _child(tx, "AmtDtls", "TxAmt", "Amt")
            if amount_node is None:
                amount_node = _child(tx, "Amt")
        if amount_node is None:
            problem("Amt", "", "an amount with a Ccy attribute")
            return
        code = amount_node.get("Ccy", "")
        try:
            cur = Currency.of(code)
        except ValidationError as exc:
            problem("Amt/@Ccy", code, exc.expected)
            return
        text = (amount_node.text or "").strip()
        try:
            value = parse_decimal(text, "Amt")
        except ValidationError as exc:
            problem("Amt", text, exc.expected)
            return
        if value < 0:
            # ISO 20022 amounts are never negative: the direction is CdtDbtInd. A
            # negative credit would turn into a debit and be passed over as one.
            problem("Amt", text, "an amount of zero or more (CdtDbtInd gives the direction)")
            return
        amount = Money(value * sign, cur)
        if not amount.is_rounded:
            problem("Amt", text, f"at most {cur.minor_units} decimals for {cur.code}")
            return
        tx_ref = _text(tx, "Refs", "AcctSvcrRef") or _text(tx, "Refs", "EndToEndId")
        reference = tx_ref if len(details) > 1 and tx_ref else entry_ref or tx_ref
        if not reference:
            problem("AcctSvcrRef", "", "a bank reference (AcctSvcrRef, NtryRef or EndToEndId)")
            return
        if len(details) > 1 and not tx_ref:
            reference = f"{reference}/{index + 1}"
        remittance = " ".join(
            [(n.text or "").strip() for n in _children(_child(tx, "RmtInf"), "Ustrd")]
            + [
                _text(s, "CdtrRefInf", "Ref")
                for s in _children(_child(tx, "RmtInf"), "Strd")
                if _text(s, "CdtrRefInf", "Ref")
            ]
        ).strip() or _text(entry, "AddtlNtryInf")
        parties = _child(tx, "RltdPties")
        payer = _text(parties, "Dbtr", "Nm") or _text(parties, "Dbtr", "Pty", "Nm")
        end_to_end = _text(tx, "Refs", "EndToEndId")
        lines.append(
            BankLine(
                source,
                position,
                day,
                amount,
                reference=reference,
                remittance=remittance,
                payer=payer,
                payer_reference="" if end_to_end == "NOTPROVIDED" else end_to_end,
            )
        )
