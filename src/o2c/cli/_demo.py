"""``o2c demo``: build a realistic demo book end to end through the Book, then report.

A Mexican SaaS seller bills five customers in Mexico, Germany, France and the US from
three rate cards (flat, per-unit, graduated tiers, volume tiers, packages, time and
materials), with usage and time; it runs the September and October bills, records
payments, issues a credit note, and prints a summary, the aging and the KPIs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, O2CCommand, natural_idempotency_option, pass_context
from o2c.cli._demo_data import (
    AS_OF,
    CUSTOMERS,
    MONTHS,
    RATE_CARDS,
    SELLER,
    SELLER_IDENTITY,
    daily_usage,
)
from o2c.cli._demo_data import time_entries as demo_time
from o2c.cli._report import aging_rows
from o2c.kpi import CURRENCY_FREE

if TYPE_CHECKING:
    from o2c.billing import Document
    from o2c.book import Book
    from o2c.ledger import AgingReport
    from o2c.parties import Seller

__all__ = ["build_demo", "demo_command"]

#: Who does what in the demo (a specialist records, a lead approves).
SPECIALIST = "maria"
LEAD = "luis"
CONTROLLER = "carmen"
#: The amounts the summary shows per currency.
_SUMS = ("invoiced", "credited", "received", "written_off", "refunded", "open")
#: The KPIs cover September to November.
KPI_START = dt.date(2026, 9, 1)
KPI_END = dt.date(2026, 12, 1)


def _days(month: str) -> Iterator[dt.date]:
    year, mon = (int(part) for part in month.split("-"))
    day = dt.date(year, mon, 1)
    while day.month == mon:
        yield day
        day += dt.timedelta(days=1)


def _demo_seller() -> Seller:
    """The demo's seller: :data:`SELLER_IDENTITY` with the tax profile of :data:`SELLER`."""
    from o2c.parties import Address, BankAccount, ElectronicAddress, Seller
    from o2c.tax import TaxProfile

    s = SELLER_IDENTITY
    return Seller(
        s["legal_name"],
        Address(s["street"], s["city"], s["postal_code"], SELLER["country"], s["region"]),
        TaxProfile(SELLER["country"], tax_id=SELLER["tax_id"], regime=s["regime"]),
        registration=s["registration"],
        bank_accounts=(BankAccount(s["iban"], s["bic"], s["bank"]),),
        electronic_address=ElectronicAddress("EM", s["email"]),
        email=s["email"],
        phone=s["phone"],
        website=s["website"],
        clabe=s["clabe"],
    )


def build_demo(book: Book, *, echo: bool = True) -> None:
    """Fill ``book`` with the demo's customers, contracts, usage, bills and payments.

    Args:
        book: An empty book.
        echo: Print each step to stderr.
    """
    from o2c.calendar import BillingCycle, Cycle, PaymentTerms
    from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
    from o2c.ids import ContractId, CustomerId, ItemCode
    from o2c.money import Currency, Money
    from o2c.parties import Address, Customer, TaxRegistration, TaxScheme
    from o2c.pricing import TimeEntry, UsageRecord

    def step(text: str) -> None:
        if echo:
            click.echo(f"  {text}", err=True)

    book.set_seller(_demo_seller(), actor=SPECIALIST)
    step(f"set the seller {SELLER_IDENTITY['legal_name']}")
    for name, text in RATE_CARDS.items():
        book.import_rate_card(name, text=text, actor=SPECIALIST)
    step(f"imported rate cards {', '.join(sorted(RATE_CARDS))}")

    contracts = []
    for spec in CUSTOMERS:
        country = spec.country
        registrations: tuple[TaxRegistration, ...] = ()
        if spec.tax_id is not None:
            scheme = TaxScheme.MX_RFC if country == "MX" else TaxScheme.EU_VAT
            registrations = (TaxRegistration.of(scheme, spec.tax_id),)
        street, city, postal = spec.address
        customer = Customer(
            id=CustomerId(spec.id),
            legal_name=spec.name,
            billing_address=Address(street, city, postal, country),
            country=country,
            currency=Currency.of(spec.currency),
            tax_registrations=registrations,
            locale=spec.locale,
            payment_terms=PaymentTerms.parse(spec.terms),
            time_zone=spec.time_zone,
        )
        book.add_customer(customer, actor=SPECIALIST)
        contract_id, card, start = spec.contract
        lines = [
            ContractLine(item, ItemCode(item), ChargeKind.RECURRING, Decimal(quantity))
            for item, quantity in spec.recurring
        ]
        lines += [
            ContractLine(f"usage:{item}", ItemCode(item), ChargeKind.USAGE) for item in spec.usage
        ]
        lines += [
            ContractLine(f"time:{item}", ItemCode(item), ChargeKind.TIME) for item in spec.time
        ]
        version = ContractVersion(
            effective_from=start,
            lines=tuple(lines),
            cycle=BillingCycle(Cycle.MONTHLY, dt.date(2026, 9, 1)),
            currency=customer.currency,
            rate_card=card,
            timing=BillingTiming.ARREARS,
        )
        contracts.append(Contract(ContractId(contract_id), customer.id, (version,)))
    book.add_contracts(contracts, actor=SPECIALIST)
    step(f"added {len(CUSTOMERS)} customers (MX, DE, FR, US) and their contracts")

    records = []
    for spec in CUSTOMERS:
        cid = spec.id
        zone_offset = dt.timezone(dt.timedelta(hours=-6 if spec.country == "MX" else 0))
        for item in spec.usage:
            for month, _ in MONTHS:
                for day in _days(month):
                    stamp = dt.datetime.combine(day, dt.time(12), tzinfo=zone_offset)
                    records.append(
                        UsageRecord(
                            id=f"{cid}-{item}-{day.isoformat()}",
                            customer=cid,
                            item=item,
                            quantity=daily_usage(cid, item, day),
                            timestamp=stamp,
                        )
                    )
    imported = book.import_usage(records, actor=SPECIALIST)
    entries = 0
    for spec in CUSTOMERS:
        if not spec.time:
            continue
        cid = spec.id
        for month, _ in MONTHS:
            rows = [
                TimeEntry(
                    id=entry_id,
                    person=person,
                    role=role,
                    date=dt.date.fromisoformat(date),
                    hours=Decimal(hours),
                    approved=approved,
                )
                for entry_id, person, role, date, hours, approved in demo_time(cid, month)
            ]
            entries += book.import_time(rows, customer=cid, actor=SPECIALIST).inserted
    step(f"imported {imported.inserted} usage records and {entries} time entries")

    from o2c.contracts import OrderLine, SalesOrder

    onboarding = SalesOrder(
        "SO-MX-001",
        CustomerId("C-MX-001"),
        dt.date(2026, 10, 2),
        Currency.of("MXN"),
        (OrderLine(ItemCode("onboarding"), Decimal(1), Money.of("4500.00", "MXN"),
                   "Capacitación y puesta en marcha"),),
        contract_id=ContractId("K-MX-001"),
        delivery_date=dt.date(2026, 10, 15),
    )  # fmt: skip
    book.add_sales_order(onboarding, actor=SPECIALIST)
    step("recorded sales order SO-MX-001 (onboarding, billed with October)")

    for month, invoice_date in MONTHS:
        result = book.bill_run(month, invoice_date=invoice_date, issue=True, actor=SPECIALIST)
        totals = ", ".join(str(result.totals[c]) for c in sorted(result.totals))
        step(f"bill run {month}: {result.invoices} invoices ({totals} payable)")
        if month == MONTHS[0][0]:
            _september_payments(book, Money)

    _policies(book)
    # October: the Mexican customer pays a round sum (the rest is refunded); Acme disputes
    # two seats and gets a credit note for them.
    _overpay_and_refund(book, step)
    credit = _dispute_and_credit(book)
    if credit:
        step(f"resolved dispute {credit[0]} with credit note {credit[1]}")
    step("recorded payments and applied them oldest due first")
    _cases(book, step)
    _four_eyes(book, step)
    escalated = book.escalate_overdue_disputes(dt.date(2026, 11, 30), actor=LEAD)
    for dispute in escalated:
        step(f"escalated {dispute.id}: its SLA ({dispute.sla_due}) passed unresolved")


def _cases(book: Book, step: Callable[[str], None]) -> None:
    """A dispute on Müller's storage charge, an extension and a call with Farmacias."""
    storage_invoice = _invoice_of(book, "C-EU-001", "2026-10")
    if storage_invoice is not None:
        invoice = book.get_document(storage_invoice)
        storage = [line for line in invoice.lines if line.item == "storage"]
        disputed = None
        if storage:
            disputed = storage[0].gross - storage[0].withheld
        opened = book.open_dispute(
            storage_invoice,
            reason="wrong_quantity",
            amount=disputed,
            lines=[line.number for line in storage],
            description="Sensors were offline from Oct 20 to Oct 24; storage looks too high.",
            date=dt.date(2026, 11, 12),
            actor=SPECIALIST,
        )
        book.add_note(
            "dispute",
            opened.id,
            channel="phone",
            summary="Called Herr Müller; checking the sensor logs with engineering.",
            started=dt.datetime(2026, 11, 12, 9, 0, tzinfo=dt.UTC),
            ended=dt.datetime(2026, 11, 12, 9, 12, tzinfo=dt.UTC),
            actor=SPECIALIST,
        )
        step(f"opened dispute {opened.id} on {storage_invoice} (SLA due {opened.sla_due})")
    late = _invoice_of(book, "C-MX-002", "2026-10")
    if late is not None:
        extension = book.grant_extension(
            late,
            dt.date(2026, 11, 30),
            reason="Promesa de pago: cierre de mes",
            date=dt.date(2026, 11, 14),
            actor=SPECIALIST,
        )
        book.add_note(
            "invoice",
            late,
            channel="phone",
            summary="Farmacias del Bajío promised to pay at month end.",
            started=dt.datetime(2026, 11, 14, 16, 0, tzinfo=dt.UTC),
            ended=dt.datetime(2026, 11, 14, 16, 5, tzinfo=dt.UTC),
            first_contact_resolution=True,
            actor=SPECIALIST,
        )
        step(f"granted {late} an extension to {extension.new_due} ({extension.status.value})")


def _policies(book: Book) -> None:
    """Roles, and the four-eyes limits: write-offs above 10 EUR, any MXN refund."""
    for person, role in ((CONTROLLER, "controller"), (LEAD, "lead"), (SPECIALIST, "specialist")):
        book.assign_role(person, role, actor=CONTROLLER)
    book.set_policy_settings(
        {"approval.write_off.EUR": "10.00 lead", "approval.refund.MXN": "0.00 lead"},
        actor=CONTROLLER,
    )


def _four_eyes(book: Book, step: Callable[[str], None]) -> None:
    """Write-offs above 10 EUR need a lead: maria asks, luis approves."""
    from o2c.cases import ApprovalRequest

    rest = _invoice_of(book, "C-EU-002", "2026-09")
    if rest is None:
        return
    held = book.request_write_off(
        rest,
        reason="small_balance",
        memo="Boulangerie Dupont paid half; the rest is not worth chasing",
        date=dt.date(2026, 12, 10),
        actor=SPECIALIST,
    )
    if isinstance(held, ApprovalRequest):
        book.approve_request(held.id, comment="ok", date=dt.date(2026, 12, 11), actor=LEAD)
        step(f"write-off of {rest} held as {held.id}, approved by {LEAD} (four eyes)")


def _invoice_of(book: Book, customer: str, month: str) -> str | None:
    for doc in book.list_documents(customer=customer, kind="invoice"):
        if doc.period is not None and doc.period.label == month and doc.number:
            return doc.number
    return None


def _pay(book: Book, customer: str, month: str, day: dt.date, reference: str) -> None:
    number = _invoice_of(book, customer, month)
    if number is None:
        return
    invoice = book.get_document(number)
    book.record_payment(
        customer, invoice.totals.payable, date=day, reference=reference,
        allocate=True, actor=SPECIALIST,
    )  # fmt: skip


def _september_payments(book: Book, money: type) -> None:
    _pay(book, "C-MX-001", "2026-09", dt.date(2026, 10, 20), "SPEI 3310")
    _pay(book, "C-EU-001", "2026-09", dt.date(2026, 10, 28), "SEPA DE-0099")
    _pay(book, "C-US-001", "2026-09", dt.date(2026, 10, 14), "ACH 77812")
    # Boulangerie Dupont pays only part of September; Farmacias del Bajío pays nothing.
    number = _invoice_of(book, "C-EU-002", "2026-09")
    if number is not None:
        invoice = book.get_document(number)
        half = (invoice.totals.payable * Decimal("0.5")).round()
        book.record_payment(
            "C-EU-002", half, date=dt.date(2026, 10, 30), reference="SEPA FR-1203",
            allocate=True, actor=SPECIALIST,
        )  # fmt: skip


def _overpay_and_refund(book: Book, step: Callable[[str], None]) -> None:
    """Tecnología Azteca pays October rounded up to the next 100 MXN; the rest goes back.

    The refund waits for a lead (any MXN refund does): maria asks on Nov 23, luis approves
    on Nov 25, which pays it; the refund turnaround KPI counts those two days.
    """
    from o2c.cases import ApprovalRequest
    from o2c.money import Money

    number = _invoice_of(book, "C-MX-001", "2026-10")
    if number is None:
        return
    payable = book.get_document(number).totals.payable
    rounded = Money.of((payable.amount / 100).to_integral_value(ROUND_CEILING) * 100, "MXN")
    payment = book.record_payment(
        "C-MX-001", rounded, date=dt.date(2026, 11, 20), reference="SPEI 4471",
        allocate=True, actor=SPECIALIST,
    )  # fmt: skip
    extra = rounded - payable
    if not extra.is_positive:
        return
    held = book.request_refund(
        payment.id,
        extra,
        reason="overpayment",
        date=dt.date(2026, 11, 23),
        actor=SPECIALIST,
    )
    if isinstance(held, ApprovalRequest):
        book.approve_request(held.id, comment="matches SPEI 4471", date=dt.date(2026, 11, 25),
                             actor=LEAD)  # fmt: skip
        step(f"refunded the {extra} overpaid on {number} ({held.id}, approved by {LEAD})")


def _dispute_and_credit(book: Book) -> tuple[str, str] | None:
    """Acme disputes two of October's seats; the specialist credits them two days later."""
    number = _invoice_of(book, "C-US-001", "2026-10")
    if number is None:
        return None
    invoice = book.get_document(number)
    seats = next((line for line in invoice.lines if line.item == "seats"), None)
    if seats is None:
        return None
    dispute = book.open_dispute(
        number,
        reason="wrong_quantity",
        amount=((seats.gross - seats.withheld) * (Decimal(2) / seats.quantity)).round(),
        lines=[seats.number],
        channel="email",
        description="2 seats were deactivated on October 1",
        date=dt.date(2026, 11, 3),
        actor=SPECIALIST,
    )
    book.investigate_dispute(dispute.id, comment="checking seat log", date=dt.date(2026, 11, 4),
                             actor=SPECIALIST)  # fmt: skip
    resolved = book.credit_dispute(
        dispute.id,
        quantities={seats.number: Decimal(2)},
        reason_text="2 seats were deactivated on October 1",
        comment="seat log confirms",
        date=dt.date(2026, 11, 5),
        actor=SPECIALIST,
    )
    from o2c.cases import Dispute

    if not isinstance(resolved, Dispute) or resolved.credit_note_id is None:
        return None
    return resolved.id, book.get_document(resolved.credit_note_id).number or ""


@click.command("demo", cls=O2CCommand)
@click.option(
    "--book",
    "book_location",
    metavar="PATH|URL",
    help="Where to build the demo book (default: o2c-demo.db, never your ./o2c.db).",
)
@natural_idempotency_option("an existing demo book is only shown")
@pass_context
def demo_command(obj: Context, book_location: str | None) -> None:
    """Build a realistic demo book and show its invoices, aging and KPIs.

    Customers in Mexico, Germany, France and the US; contracts with flat, per-unit,
    tiered, volume, package and time-and-materials pricing; usage and time; two monthly
    bill runs, payments, a credit note, a dispute and an extension. Run it again to see
    the summary only.
    """
    root = click.get_current_context().find_root()
    source = root.get_parameter_source("book_location")
    if book_location:
        obj.book_location = book_location
    elif source is click.core.ParameterSource.DEFAULT:
        obj.book_location = "o2c-demo.db"
    echo = obj.output.value == "table"
    if "://" not in obj.book_location and not Path(obj.book_location).exists():
        obj.note(f"building the demo book {obj.book_location} ...")
        _build_file(Path(obj.book_location), echo=echo)
        book = obj.book()
    else:
        book = obj.book(create=True)
        if not book.list_customers(limit=1):
            obj.note(f"building the demo book {obj.book_location} ...")
            build_demo(book, echo=echo)
        else:
            obj.note(f"{obj.book_location} exists; showing it (remove it to build it again)")
    _summary(obj, book)


def _build_file(path: Path, *, echo: bool) -> None:
    """Build the demo in a scratch file beside ``path`` and move it there when done.

    The demo runs many commands; building it aside means a failure (a full disk, an
    interrupt) never leaves a half-built book that a second run would take for a demo.
    """
    from o2c.book import Book

    scratch = path.with_name(f".{path.name}.building")
    debris = [scratch.with_name(scratch.name + suffix) for suffix in ("", "-wal", "-shm")]
    for leftover in debris:
        leftover.unlink(missing_ok=True)
    try:
        with Book.open(scratch, create=True, actor=SPECIALIST) as book:
            build_demo(book, echo=echo)
        scratch.replace(path)
    finally:
        for leftover in debris:
            leftover.unlink(missing_ok=True)


def _short(value: Decimal) -> str:
    """A KPI value with at most two decimals, for the table (JSON keeps every digit)."""
    return f"{value.quantize(Decimal('0.01')):f}"


def _per_currency(
    book: Book, documents: list[Document], aging: AgingReport
) -> list[dict[str, object]]:
    """Invoiced, credited, received, written off, refunded and open amounts per currency.

    They add up: invoiced − credited − received − written off + refunded = open.
    """
    from o2c.money import Money

    sums: dict[str, dict[str, Money]] = {}

    def add(code: str, key: str, amount: Money) -> None:
        row = sums.setdefault(code, {k: Money.zero(code) for k in _SUMS})
        row[key] = row[key] + amount

    for doc in documents:
        if doc.number is None or doc.status.value == "void":
            continue
        key = "credited" if doc.kind.value == "credit_note" else "invoiced"
        add(doc.currency.code, key, doc.totals.payable)
    for paid in book.list_payments():
        add(paid.amount.currency.code, "received", paid.amount)
    for written in book.list_write_offs():
        add(written.amount.currency.code, "written_off", written.amount)
    for refund in book.list_refunds():
        add(refund.amount.currency.code, "refunded", refund.amount)
    for total in aging.totals:
        code = total.currency.code
        add(code, "open", total.disputed)
        for bucket in total.buckets:
            add(code, "open", bucket)
    rows: dict[str, dict[str, object]] = {
        code: {"currency": code, **values} for code, values in sums.items()
    }
    return [rows[code] for code in sorted(rows)]


def _summary(obj: Context, book: Book) -> None:
    from o2c.cli._views import DOCUMENT_COLUMNS, document_row

    documents = sorted(
        book.list_documents(), key=lambda d: (d.kind.value != "invoice", d.number or d.id)
    )
    aging = book.aging(AS_OF)
    currencies = ("MXN", "EUR", "USD")
    kpis = {code: book.kpis(KPI_START, KPI_END, currency=code) for code in currencies}
    per_currency = _per_currency(book, documents, aging)
    summary = {
        "book": obj.book_location,
        "customers": len(book.list_customers()),
        "per_currency": per_currency,
        "open_disputes": len(book.list_disputes(active=True)),
        "documents": [document_row(d) for d in documents],
        "aging": aging,
        "kpis": {code: list(values) for code, values in kpis.items()},
    }
    if obj.output.value == "json":
        obj.emit(summary)
        return
    click.echo("")
    obj.emit(
        per_currency,
        title=f"{obj.book_location}: {summary['customers']} customers, "
        f"{summary['open_disputes']} open dispute(s), aging as of {AS_OF}",
    )
    click.echo("")
    obj.emit(
        [document_row(d) for d in documents],
        columns=[c for c in DOCUMENT_COLUMNS if c != "id"],
        title=f"Documents in {obj.book_location}",
    )
    click.echo("")
    obj.emit(aging_rows(aging), title=f"Aging as of {AS_OF} (by due date; disputed apart)")
    click.echo("")
    rows: list[dict[str, object]] = []
    service: list[dict[str, object]] = []
    for index, first in enumerate(kpis[currencies[0]]):
        if first.name in CURRENCY_FREE:
            # Contacts are not money: the same figure in every currency, shown once.
            shown = "n/a" if first.value is None else _short(first.value)
            service.append({"kpi": first.name, "unit": first.unit, "value": shown})
            continue
        units = {kpis[code][index].unit for code in currencies}
        unit = first.unit if len(units) == 1 else "money"
        row: dict[str, object] = {"kpi": first.name, "unit": unit}
        for code in currencies:
            value = kpis[code][index].value
            row[code] = "n/a" if value is None else _short(value)
        rows.append(row)
    obj.emit(rows, title=f"KPIs {KPI_START}..{KPI_END - dt.timedelta(days=1)} per currency")
    click.echo("")
    obj.emit(service, title="Customer contacts (every currency)")
    click.echo("")
    click.echo(
        "Next: o2c --book " + obj.book_location + " invoice explain <NUMBER>, "
        "report statement C-EU-002 --from 2026-09-01 --to 2026-12-31, audit verify"
    )
