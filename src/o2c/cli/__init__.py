"""The ``o2c`` command line: one click group, one module per noun.

Every command parses its arguments with the types in :mod:`o2c.cli._types`, calls one
:class:`~o2c.book.Book` method (``quote`` calls pricing directly and needs no book), and
prints the result as a table, JSON or CSV (global ``--format``). Domain errors print one
line on stderr and exit 1; usage errors exit 2; ``--debug`` shows tracebacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from o2c.cli._app import Context, cli
from o2c.cli._lazy import LazyCommand

__all__ = ["COMMANDS", "Context", "cli", "main"]

#: The top-level commands: where each lives and its short help for ``o2c --help``.
#: They are imported when used, so ``o2c --version`` and ``o2c --help`` import none of
#: them (``tests/cli/test_startup.py`` checks this table against the real commands).
COMMANDS: Final[dict[str, LazyCommand]] = {
    "approval": LazyCommand(
        "o2c.cli._approval:approval",
        "Approvals: policies and roles, held commands, approve or reject (four eyes).",
    ),
    "audit": LazyCommand(
        "o2c.cli._audit:audit",
        "Read the audit trail and check that nobody tampered with it.",
    ),
    "backup": LazyCommand(
        "o2c.cli._backup:backup_command",
        "Copy the book consistently to a file while it stays in use (SQLite).",
    ),
    "bill": LazyCommand(
        "o2c.cli._bill:bill",
        "Run the bill for a period; look at what could not be billed.",
    ),
    "cfdi": LazyCommand(
        "o2c.cli._cfdi:cfdi",
        "Mexico's CFDI 4.0: SAT master data, seal, stamp through a PAC, cancel.",
    ),
    "collections": LazyCommand(
        "o2c.cli._collections:collections",
        "Collections: the collector's worklist, a customer's credit against its limit.",
    ),
    "contract": LazyCommand(
        "o2c.cli._contract:contract",
        "Add, list, show and amend contracts.",
    ),
    "credit-note": LazyCommand(
        "o2c.cli._notes:credit_note",
        "Credit an issued invoice (never more than was invoiced).",
    ),
    "customer": LazyCommand(
        "o2c.cli._customer:customer",
        "Add, import, list, show and edit customers.",
    ),
    "db": LazyCommand(
        "o2c.cli._db:db",
        "PostgreSQL books: database roles and append-only records.",
    ),
    "debit-note": LazyCommand(
        "o2c.cli._notes:debit_note",
        "Charge more on an issued invoice.",
    ),
    "demo": LazyCommand(
        "o2c.cli._demo:demo_command",
        "Build a realistic demo book and show its invoices, aging and KPIs.",
    ),
    "dispute": LazyCommand(
        "o2c.cli._dispute:dispute",
        "Disputes: open on an invoice, investigate, escalate, resolve within the SLA.",
    ),
    "dunning": LazyCommand(
        "o2c.cli._dunning:dunning",
        "Collections: dunning policies, the daily run (with a preview) and its letters.",
    ),
    "export": LazyCommand(
        "o2c.cli._export:export_command",
        "Export TABLE of the book as CSV (the default), JSON or XLSX (--format, -o FILE).",
    ),
    "extension": LazyCommand(
        "o2c.cli._extension:extension",
        "Payment extensions: move an invoice's due date (approval past the policy limit).",
    ),
    "fx": LazyCommand(
        "o2c.cli._fx:fx",
        "Exchange rates, the functional currency and multi-currency valuation.",
    ),
    "init": LazyCommand(
        "o2c.cli._init:init_command",
        "Create the book named by --book, or migrate an existing one.",
    ),
    "inquiry": LazyCommand(
        "o2c.cli._inquiry:inquiry",
        "The service desk: customers' questions from opening to close, with SLAs and CSAT.",
    ),
    "invoice": LazyCommand(
        "o2c.cli._invoice:invoice",
        "List, show, explain, issue, void and render invoices (and other documents).",
        (
            "o2c.cli._send:invoice_send",
            "o2c.cli._send:invoice_deliveries",
            "o2c.cli._send:invoice_smtp",
        ),
    ),
    "note": LazyCommand(
        "o2c.cli._note:note",
        "Interaction notes: who said what, on which channel, how long, was it solved.",
    ),
    "order": LazyCommand(
        "o2c.cli._order:order",
        "Record one-time sales orders; the bill run invoices them once.",
    ),
    "payment": LazyCommand(
        "o2c.cli._payment:payment",
        "Record payments received and apply them to invoices.",
    ),
    "period": LazyCommand(
        "o2c.cli._period:period",
        "Close accounting months (no posting may be dated in a closed month).",
        ("o2c.cli._fx:period_revalue",),
    ),
    "promise": LazyCommand(
        "o2c.cli._promise:promise",
        "Promises to pay: record one from a contact, see which were kept or broken.",
    ),
    "quote": LazyCommand(
        "o2c.cli._quote:quote_command",
        "Price QUANTITY of ITEM from a rate card and explain the price (before tax).",
    ),
    "ratecard": LazyCommand(
        "o2c.cli._setup:ratecard",
        "Import and read rate cards (TOML price books, effective-dated).",
    ),
    "refund": LazyCommand(
        "o2c.cli._payment:refund",
        "Pay customer credit back.",
    ),
    "report": LazyCommand(
        "o2c.cli._report:report",
        "Aging, statements, trial balance, reconciliation and KPIs.",
        (
            "o2c.cli._kpis:kpis_command",
            "o2c.cli._kpis:case_aging_command",
            "o2c.cli._kpis:case_statement_command",
            "o2c.cli._inquiry:service_desk_command",
            "o2c.cli._inquiry:root_causes_command",
        ),
    ),
    "rerate": LazyCommand(
        "o2c.cli._rerate:rerate_command",
        "Re-rate issued invoices dated --from..--to with the current rates and tax tables.",
    ),
    "restore": LazyCommand(
        "o2c.cli._backup:restore_command",
        "Restore the book from a backup file (SQLite).",
    ),
    "revrec": LazyCommand(
        "o2c.cli._revrec:revrec",
        "Revenue recognition: deferred revenue, schedules, runs and reports.",
    ),
    "seller": LazyCommand(
        "o2c.cli._seller:seller",
        "Set and show the seller: the legal identity printed on every document.",
    ),
    "series": LazyCommand(
        "o2c.cli._series:series",
        "Number series: the pattern each kind of document is numbered with.",
    ),
    "tax": LazyCommand(
        "o2c.cli._setup:tax",
        "Import tax rate tables and choose the one the book bills with.",
    ),
    "time": LazyCommand(
        "o2c.cli._setup:time_group",
        "Import time entries for time-and-materials billing.",
    ),
    "usage": LazyCommand(
        "o2c.cli._setup:usage",
        "Import metered usage (records with an id are never billed twice).",
    ),
    "wallet": LazyCommand(
        "o2c.cli._wallet:wallet",
        "Prepaid credits: top up a customer's wallet, draw it against invoices, expire it.",
    ),
    "writeoff": LazyCommand(
        "o2c.cli._payment:writeoff",
        "Write off what a customer will not pay.",
    ),
}

cli.add_lazy_commands(COMMANDS)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``o2c`` command line (the console script's entry point).

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` by default.
    """
    cli.main(args=list(argv) if argv is not None else None, prog_name="o2c")
