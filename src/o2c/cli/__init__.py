"""The ``o2c`` command line: one click group, one module per noun.

Every command parses its arguments with the types in :mod:`o2c.cli._types`, calls one
:class:`~o2c.book.Book` method (``quote`` calls pricing directly and needs no book), and
prints the result as a table, JSON or CSV (global ``--format``). Domain errors print one
line on stderr and exit 1; usage errors exit 2; ``--debug`` shows tracebacks.
"""

from __future__ import annotations

from collections.abc import Sequence

from o2c.cli._app import Context, cli
from o2c.cli._approval import approval
from o2c.cli._audit import audit
from o2c.cli._bill import bill
from o2c.cli._contract import contract
from o2c.cli._customer import customer
from o2c.cli._demo import demo_command
from o2c.cli._dispute import dispute
from o2c.cli._dunning import dunning
from o2c.cli._export import export_command
from o2c.cli._extension import extension
from o2c.cli._init import init_command
from o2c.cli._invoice import invoice
from o2c.cli._kpis import case_aging_command, case_statement_command, kpis_command
from o2c.cli._note import note
from o2c.cli._notes import credit_note, debit_note
from o2c.cli._order import order
from o2c.cli._payment import payment, refund, writeoff
from o2c.cli._period import period
from o2c.cli._quote import quote_command
from o2c.cli._report import report
from o2c.cli._rerate import rerate_command
from o2c.cli._seller import seller
from o2c.cli._send import invoice_deliveries, invoice_send, invoice_smtp
from o2c.cli._series import series
from o2c.cli._setup import ratecard, tax, time_group, usage

__all__ = ["Context", "cli", "main"]

for _command in (
    init_command,
    demo_command,
    customer,
    contract,
    seller,
    ratecard,
    tax,
    quote_command,
    usage,
    time_group,
    order,
    bill,
    invoice,
    credit_note,
    debit_note,
    payment,
    refund,
    writeoff,
    dispute,
    extension,
    dunning,
    approval,
    note,
    period,
    series,
    report,
    audit,
    export_command,
    rerate_command,
):
    cli.add_command(_command)
for _command in (kpis_command, case_aging_command, case_statement_command):
    report.add_command(_command)
for _command in (invoice_send, invoice_deliveries, invoice_smtp):
    invoice.add_command(_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``o2c`` command line (the console script's entry point).

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` by default.
    """
    cli.main(args=list(argv) if argv is not None else None, prog_name="o2c")
