"""The permission matrix, command by command: who may change a book with roles.

Every mutating Book method has a recipe below that runs it on a prepared book (a USD
customer with invoices, a payment, disputes, pending requests, a closed month, an MXN
contract and sales order). The tests are parametrized over the matrix itself
(:data:`o2c.cases.permissions.PERMISSIONS`) and over :class:`~o2c.cases.Role`:

* every public Book method is a query or has a recipe, and every command of the matrix
  is run by a recipe: a new command cannot be forgotten;
* each recipe runs for exactly the roles the matrix permits for its command and is
  refused (:class:`~o2c.errors.CommandNotPermitted`) for every other role, for an actor
  with no role and for the auditor, and a refused command leaves every table as it was;
* a book without role assignments stays open to anyone.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import attrs
import pytest

import o2c.fx
import o2c.tax
from o2c.billing import DocumentLine
from o2c.book import Book
from o2c.cases import PERMISSIONS, ApprovalRequest, Command, Role
from o2c.contracts import BillingTiming, OrderLine, SalesOrder
from o2c.dunning import DunningPolicy
from o2c.errors import CommandNotPermitted, InvariantViolation, NotFound
from o2c.ids import CustomerId, ItemCode, PaymentId
from o2c.io.cfdi import CfdiCustomer, CfdiItem, CfdiSeller
from o2c.io.delivery import SmtpSettings
from o2c.ledger import Payment
from o2c.ledger.cashapp import BankLine
from o2c.money import Currency, Money
from o2c.parties import DeliveryPreference
from o2c.pricing import TimeEntry, UsageRecord
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer
from tests.io.cfdi.cases import csd, fake_pac, prepare_permission_world
from tests.mailbox import refused

OCT1, OCT5, OCT31 = dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 31)
INV1, INV2, INV3 = "INV-2026-000001", "INV-2026-000002", "INV-2026-000003"

#: Who is who in the prepared book: one person per role, and one without any.
PEOPLE = {
    Role.SPECIALIST: "sam",
    Role.LEAD: "lee",
    Role.CONTROLLER: "cy",
    Role.AUDITOR: "dee",
}
NOBODY = "mallory"
#: The From address of the deliveries the recipes try (the prepared seller has no e-mail).
SENDER = "billing@example.com"

Snapshot = dict[str, list[tuple[object, ...]]]


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def snapshot(book: Book) -> Snapshot:
    """Every row of every table and view."""
    return {
        name: sorted((tuple(row) for row in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


CARD = """
[ratecard]
code = "std"
name = "Standard"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.SEAT]
name = "User seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "100.00"
"""

#: The bundled Mexican table, imported under a name of its own.
TAX_TABLE = (Path(o2c.tax.__file__).parent / "tables" / "MX.toml").read_text(encoding="utf-8")


class World(NamedTuple):
    """The ids a recipe acts on in the prepared book."""

    payment: str
    allocation: str
    dispute: str
    big_dispute: str
    pending: str
    draft_credit_note: str
    notice: str = ""
    fx_payment: str = ""
    fx_settlement: str = ""
    inquiry: str = ""
    resolved_inquiry: str = ""
    inquiry_note: str = ""
    cfdi_invoice: str = ""
    cfdi_stamped: str = ""
    cfdi_payment: str = ""


def _prepare(book: Book) -> World:
    """Fill an open book (no roles yet), then give the team its roles and policies."""
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(
        attrs.evolve(customer("C1"), delivery=DeliveryPreference(recipients=("ap@acme.example",)))
    )
    book.add_customer(mx_customer("CMX"))
    book.add_contract(monthly_contract("K1", "CMX", (("SEAT", "3", "100.00"),)))
    # Billed in advance from November: its start invoice is issued on demand.
    ka = monthly_contract("KA", "CMX", (("SEAT", "1", "100.00"),), start=dt.date(2026, 11, 18))
    ka_version = attrs.evolve(ka.versions[0], timing=BillingTiming.ADVANCE)
    book.add_contract(attrs.evolve(ka, versions=(ka_version,)))
    # A wrong usage record and time entry to void (issue 26).
    wrong = dt.datetime(2026, 10, 2, tzinfo=dt.UTC)
    book.import_usage(
        [UsageRecord(id="u-wrong", customer="CMX", item="API", quantity=9, timestamp=wrong)]
    )
    book.import_time(
        [TimeEntry(id="t-wrong", person="sam", role="dev", date=OCT1, hours="9", approved=True)],
        customer="CMX",
    )
    book.add_sales_order(
        SalesOrder(
            "SO-1",
            CustomerId("CMX"),
            OCT5,
            Currency.of("MXN"),
            (OrderLine(ItemCode("SETUP"), Decimal(1), Money.of("500.00", "MXN")),),
        )
    )
    for doc_id, price in (("D-1", "100.00"), ("D-2", "100.00"), ("D-3", "1000.00")):
        book.create_draft(invoice_draft(doc_id, lines=(("SETUP", "1", price),)))
        book.issue_document(doc_id, issue_date=OCT1)  # INV1 116.00, INV2 116.00, INV3 1,160.00
    book.create_draft(invoice_draft("D-4"))  # a small draft to issue
    book.create_draft(invoice_draft("D-5", lines=(("SETUP", "10", "100.00"),)))  # 1,160.00
    book.create_draft(invoice_draft("D-6"))
    book.issue_document("D-6", issue_date=OCT1)  # INV-2026-000004, for a draft credit note
    draft_note = book.create_credit_note(
        "INV-2026-000004", reason="goodwill", issue=False, date=OCT1
    )
    book.create_draft(invoice_draft("D-7"))
    book.issue_document("D-7", issue_date=OCT1)  # INV-2026-000005, disputed in full
    pay = book.record_payment("C1", usd("300.00"), date=OCT1)
    book.allocate(pay.id, {INV1: usd("5.00")}, date=OCT1)
    [allocation] = book.list_allocations(source=pay.id)
    dispute = book.open_dispute(INV1, reason="wrong_price", amount=usd("10.00"), date=OCT1)
    big = book.open_dispute("INV-2026-000005", reason="duplicate", date=OCT1)
    [notice, *_] = book.run_dunning(dt.date(2026, 11, 3), customer="C1").notices
    # Revenue recognition (issue 21): a milestone line deferred at issue, to release.
    book.set_recognition_rule("MILESTONE", "milestone")
    book.create_invoice(
        invoice_draft("D-RR", lines=(("MILESTONE", "1", "100.00"),)), issue_date=OCT1
    )
    # Multi-currency (issue 19): a USD functional currency and a payment in pesos.
    book.set_functional_currency("USD")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.set_rate("USD", "MXN", "18.00", effective=OCT31)
    fx_pay = book.record_payment("C1", Money.of("1972.00", "MXN"), date=OCT5)
    book.create_draft(invoice_draft("D-FX"))
    book.issue_document("D-FX", issue_date=OCT1)
    other = book.record_payment("C1", Money.of("850.00", "MXN"), date=OCT5)
    book.settle_in_currency(other.id, ["D-FX"], rate="17.00", date=OCT5)  # 50.00 USD
    [fx_entry] = [e for e in book.journal(source=other.id) if e.kind.value == "fx_settlement"]
    # The service desk (issue 22): an open inquiry about INV2, and a resolved one.
    inquiry = book.open_inquiry(
        "C1", subject="price?", channel="phone", category="price_question", documents=[INV2]
    )
    answered = book.open_inquiry("C1", subject="copy", channel="email", category="invoice_copy")
    book.respond_to_inquiry(answered.id, summary="sent the copy")
    book.resolve_inquiry(answered.id, root_cause="other", resolution="sent a copy")
    [inquiry_note] = book.inquiry_contacts(answered.id)
    # CFDI (issue 17): the MX seller, a buyer with CFDI data, one invoice to stamp, one stamped.
    cfdi_invoice, cfdi_stamped, cfdi_payment = prepare_permission_world(book, book.now)
    # Prepaid credits (issue 20): a granted wallet lot of C1 to draw, expiring on OCT5.
    book.wallet_topup("C1", usd("20.00"), kind="granted", expires=OCT5, date=OCT1)
    book.close_period("2026-09")
    book.assign_role(PEOPLE[Role.CONTROLLER], Role.CONTROLLER)
    for role, person in PEOPLE.items():
        if role is not Role.CONTROLLER:
            book.assign_role(person, role, actor="cy")
    book.assign_role("ana", Role.SPECIALIST, actor="cy")
    book.set_policy_settings(
        {
            "approval.refund.USD": "50.00 any",
            "approval.write_off.USD": "10.00 any",
            "approval.credit_note.USD": "100.00 any",
            "approval.manual_invoice.USD": "1000.00 any",
            "approval.void.USD": "1000.00 any",
        },
        actor="cy",
    )
    held = book.request_refund(pay.id, usd("80.00"), reason="overpaid", date=OCT1, actor="ana")
    assert isinstance(held, ApprovalRequest)
    return World(
        payment=str(pay.id),
        allocation=str(allocation.entry_id),
        dispute=str(dispute.id),
        big_dispute=str(big.id),
        pending=str(held.id),
        draft_credit_note=str(draft_note.id),
        notice=notice.id,
        fx_payment=str(fx_pay.id),
        fx_settlement=str(fx_entry.id),
        inquiry=str(inquiry.id),
        resolved_inquiry=str(answered.id),
        inquiry_note=str(inquiry_note.note_id),
        cfdi_invoice=cfdi_invoice,
        cfdi_stamped=cfdi_stamped,
        cfdi_payment=cfdi_payment,
    )


Call = Callable[[Book, str, World], object]


class Recipe(NamedTuple):
    """A Book method run so that its first checked command is ``command``."""

    command: Command
    method: str
    call: Call
    held: bool = False  # the call stores an approval request instead of acting
    audited: bool = True  # the call writes an audit event (reserving an id writes none)


def _debit_lines() -> tuple[DocumentLine, ...]:
    return invoice_draft("x", lines=(("EXTRA", "1", "5.00"),)).lines


def _contract_end(b: Book, a: str, _w: World) -> object:
    return b.update_contract(attrs.evolve(b.get_contract("K1"), end=dt.date(2026, 12, 31)), actor=a)


def _fx_settle(b: Book, a: str, w: World) -> object:
    return b.settle_in_currency(w.fx_payment, [INV2], rate="17.00", date=OCT5, actor=a)


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        Command.ADD_CUSTOMER,
        "add_customer",
        lambda b, a, w: b.add_customer(customer("C9"), actor=a),
    ),
    Recipe(
        Command.ADD_CUSTOMERS,
        "add_customers",
        lambda b, a, w: b.add_customers([customer("C8")], actor=a),
    ),
    Recipe(
        Command.UPDATE_CUSTOMER,
        "update_customer",
        lambda b, a, w: b.update_customer(customer("C1", name="Acme Two"), actor=a),
    ),
    Recipe(
        Command.ADD_CONTRACT,
        "add_contract",
        lambda b, a, w: b.add_contract(
            monthly_contract("K9", "CMX", (("SEAT", "1", "9.00"),)), actor=a
        ),
    ),
    Recipe(
        Command.ADD_CONTRACTS,
        "add_contracts",
        lambda b, a, w: b.add_contracts(
            [monthly_contract("K8", "CMX", (("SEAT", "1", "9.00"),))], actor=a
        ),
    ),
    Recipe(Command.UPDATE_CONTRACT, "update_contract", _contract_end),
    Recipe(
        Command.ADD_SALES_ORDER,
        "add_sales_order",
        lambda b, a, w: b.add_sales_order(
            SalesOrder(
                "SO-2",
                CustomerId("CMX"),
                OCT5,
                Currency.of("MXN"),
                (OrderLine(ItemCode("SETUP"), Decimal(1), Money.of("50.00", "MXN")),),
            ),
            actor=a,
        ),
    ),
    Recipe(
        Command.IMPORT_USAGE,
        "import_usage",
        lambda b, a, w: b.import_usage(
            [
                UsageRecord(
                    id="u-1",
                    customer="CMX",
                    item="API",
                    quantity=Decimal(3),
                    timestamp=dt.datetime(2026, 10, 5, 12, tzinfo=dt.UTC),
                )
            ],
            actor=a,
        ),
    ),
    Recipe(
        Command.IMPORT_TIME,
        "import_time",
        lambda b, a, w: b.import_time(
            [TimeEntry(id="t-1", person="sam", role="dev", date=OCT5, hours="2", approved=True)],
            customer="CMX",
            actor=a,
        ),
    ),
    Recipe(
        Command.VOID_USAGE,
        "void_usage",
        lambda b, a, w: b.void_usage(["u-wrong"], reason="wrong quantity", actor=a),
    ),
    Recipe(
        Command.VOID_TIME,
        "void_time",
        lambda b, a, w: b.void_time(["t-wrong"], reason="wrong customer", actor=a),
    ),
    Recipe(
        Command.IMPORT_RATE_CARD,
        "import_rate_card",
        lambda b, a, w: b.import_rate_card("std.toml", text=CARD, actor=a),
    ),
    Recipe(
        Command.IMPORT_TAX_TABLE,
        "import_tax_table",
        lambda b, a, w: b.import_tax_table("mx.toml", text=TAX_TABLE, use=False, actor=a),
    ),
    Recipe(
        Command.CREATE_DRAFT,
        "create_draft",
        lambda b, a, w: b.create_draft(invoice_draft("D-90"), actor=a),
    ),
    Recipe(
        Command.CREATE_DRAFT, "new_document_id", lambda b, a, w: b.new_document_id(), audited=False
    ),
    Recipe(
        Command.CREATE_INVOICE,
        "create_invoice",
        lambda b, a, w: b.create_invoice(invoice_draft("D-91"), issue_date=OCT5, actor=a),
    ),
    Recipe(
        Command.ISSUE_DOCUMENT,
        "issue_document",
        lambda b, a, w: b.issue_document("D-4", issue_date=OCT5, actor=a),
    ),
    Recipe(
        Command.VOID_DOCUMENT,
        "void_document",
        lambda b, a, w: b.void_document(INV2, reason="sent twice", date=OCT5, actor=a),
    ),
    Recipe(
        Command.CREATE_CREDIT_NOTE,
        "create_credit_note",
        lambda b, a, w: b.create_credit_note(
            INV1, reason="goodwill", amount=usd("5.00"), date=OCT5, actor=a
        ),
    ),
    Recipe(
        Command.CREATE_DEBIT_NOTE,
        "create_debit_note",
        lambda b, a, w: b.create_debit_note(
            INV1, _debit_lines(), reason="wrong_price", date=OCT5, actor=a
        ),
    ),
    Recipe(
        Command.INVOICE_SALES_ORDER,
        "invoice_sales_order",
        lambda b, a, w: b.invoice_sales_order("SO-1", date=OCT5, actor=a),
    ),
    Recipe(Command.BILL_RUN_START, "bill_run", lambda b, a, w: b.bill_run("2026-10", actor=a)),
    Recipe(
        Command.BILL_RUN_START,
        "invoice_contract_start",
        lambda b, a, w: b.invoice_contract_start("KA", actor=a),
    ),
    Recipe(Command.RERATE, "rerate", lambda b, a, w: b.rerate(OCT1, OCT31, apply=True, actor=a)),
    Recipe(
        Command.CHARGE_USAGE_EVENTS,
        "charge_usage_events",
        lambda b, a, w: b.charge_usage_events(date=OCT31, actor=a),
    ),
    Recipe(
        Command.RECORD_PAYMENT,
        "record_payment",
        lambda b, a, w: b.record_payment("C1", usd("10.00"), date=OCT5, actor=a),
    ),
    Recipe(
        Command.IMPORT_PAYMENTS,
        "import_payments",
        lambda b, a, w: b.import_payments(
            [Payment(PaymentId("P-IMP"), CustomerId("C1"), OCT5, usd("10.00"))], actor=a
        ),
    ),
    Recipe(
        Command.APPLY_BANK_STATEMENT,
        "apply_bank_statement",
        lambda b, a, w: b.apply_bank_statement(
            [BankLine("camt.xml", 1, OCT5, usd("116.00"), reference="BNK-9", remittance=INV2)],
            actor=a,
        ),
    ),
    Recipe(
        Command.ALLOCATE,
        "allocate",
        lambda b, a, w: b.allocate(w.payment, {INV1: usd("1.00")}, date=OCT5, actor=a),
    ),
    Recipe(
        Command.UNALLOCATE,
        "unallocate",
        lambda b, a, w: b.unallocate(w.allocation, reason="wrong invoice", date=OCT5, actor=a),
    ),
    Recipe(
        Command.REFUND,
        "refund",
        lambda b, a, w: b.refund(w.payment, usd("10.00"), reason="overpaid", date=OCT5, actor=a),
    ),
    Recipe(
        Command.WRITE_OFF,
        "write_off",
        lambda b, a, w: b.write_off(INV1, usd("1.00"), date=OCT5, actor=a),
    ),
    Recipe(
        Command.REQUEST_REFUND,
        "request_refund",
        lambda b, a, w: b.request_refund(
            w.payment, usd("60.00"), reason="overpaid", date=OCT5, actor=a
        ),
        held=True,
    ),
    Recipe(
        Command.REQUEST_WRITE_OFF,
        "request_write_off",
        lambda b, a, w: b.request_write_off(INV1, usd("20.00"), date=OCT5, actor=a),
        held=True,
    ),
    Recipe(
        Command.REQUEST_CREDIT_NOTE,
        "request_credit_note",
        lambda b, a, w: b.request_credit_note(INV1, reason="goodwill", date=OCT5, actor=a),
        held=True,
    ),
    Recipe(
        Command.REQUEST_ISSUE_DOCUMENT,
        "request_issue",
        lambda b, a, w: b.request_issue(w.draft_credit_note, issue_date=OCT5, actor=a),
        held=True,
    ),
    Recipe(
        Command.REQUEST_MANUAL_INVOICE,
        "request_manual_invoice",
        lambda b, a, w: b.request_manual_invoice("D-5", issue_date=OCT5, actor=a),
        held=True,
    ),
    Recipe(
        Command.REQUEST_CREDIT_DISPUTE,
        "credit_dispute",
        lambda b, a, w: b.credit_dispute(w.big_dispute, date=OCT5, actor=a),
        held=True,
    ),
    Recipe(
        Command.REQUEST_VOID_DOCUMENT,
        "request_void",
        lambda b, a, w: b.request_void(INV3, reason="sent twice", date=OCT5, actor=a),
        held=True,
    ),
    Recipe(
        Command.APPROVE_REQUEST,
        "approve_request",
        lambda b, a, w: b.approve_request(w.pending, date=OCT5, actor=a),
    ),
    Recipe(
        Command.REJECT_REQUEST,
        "reject_request",
        lambda b, a, w: b.reject_request(w.pending, comment="keep it", date=OCT5, actor=a),
    ),
    Recipe(
        Command.OPEN_DISPUTE,
        "open_dispute",
        lambda b, a, w: b.open_dispute(
            INV2, reason="quality", amount=usd("5.00"), date=OCT5, actor=a
        ),
    ),
    Recipe(
        Command.UPDATE_DISPUTE,
        "update_dispute",
        lambda b, a, w: b.update_dispute(
            w.dispute, amount=usd("8.00"), comment="narrowed", date=OCT5, actor=a
        ),
    ),
    Recipe(
        Command.INVESTIGATE_DISPUTE,
        "investigate_dispute",
        lambda b, a, w: b.investigate_dispute(w.dispute, date=OCT5, actor=a),
    ),
    Recipe(
        Command.ESCALATE_DISPUTE,
        "escalate_dispute",
        lambda b, a, w: b.escalate_dispute(w.dispute, date=OCT5, actor=a),
    ),
    Recipe(
        Command.REJECT_DISPUTE,
        "reject_dispute",
        lambda b, a, w: b.reject_dispute(w.dispute, comment="price was right", date=OCT5, actor=a),
    ),
    Recipe(
        Command.RESOLVE_DISPUTE,
        "resolve_dispute",
        lambda b, a, w: b.resolve_dispute(
            w.dispute, "rejected", comment="price was right", date=OCT5, actor=a
        ),
    ),
    Recipe(
        Command.CREDIT_DISPUTE,
        "credit_dispute",
        lambda b, a, w: b.credit_dispute(w.dispute, amount=usd("10.00"), date=OCT5, actor=a),
    ),
    Recipe(
        Command.ESCALATE_OVERDUE_DISPUTES,
        "escalate_overdue_disputes",
        lambda b, a, w: b.escalate_overdue_disputes(OCT31, actor=a),
    ),
    Recipe(
        Command.GRANT_EXTENSION,
        "grant_extension",
        lambda b, a, w: b.grant_extension(
            INV2, dt.date(2026, 11, 10), reason="asked", date=OCT5, actor=a
        ),
    ),
    Recipe(
        Command.ADD_NOTE,
        "add_note",
        lambda b, a, w: b.add_note("invoice", INV1, channel="phone", summary="called", actor=a),
    ),
    Recipe(
        Command.ADD_PROMISE,
        "add_promise",
        lambda b, a, w: b.add_promise("C1", dt.date(2026, 11, 10), date=OCT5, actor=a),
    ),
    Recipe(Command.RUN_DUNNING, "run_dunning", lambda b, a, w: b.run_dunning(OCT31, actor=a)),
    Recipe(
        Command.WALLET_TOPUP,
        "wallet_topup",
        lambda b, a, w: b.wallet_topup("C1", usd("10.00"), date=OCT5, actor=a),
    ),
    Recipe(
        Command.WALLET_GRANT,
        "wallet_topup",
        lambda b, a, w: b.wallet_topup("C1", usd("10.00"), kind="granted", date=OCT5, actor=a),
    ),
    Recipe(
        Command.WALLET_DRAW,
        "wallet_draw",
        lambda b, a, w: b.wallet_draw("C1", INV2, date=OCT5, actor=a),
    ),
    Recipe(Command.WALLET_EXPIRE, "wallet_expire", lambda b, a, w: b.wallet_expire(OCT31, actor=a)),
    Recipe(
        Command.SEND_DOCUMENT,
        "send_document",
        lambda b, a, w: b.send_document(INV2, smtp=refused(), sender=SENDER, actor=a),
    ),
    Recipe(
        Command.SEND_DUNNING_NOTICES,
        "send_dunning_notices",
        lambda b, a, w: b.send_dunning_notices([w.notice], smtp=refused(), sender=SENDER, actor=a),
    ),
    Recipe(
        Command.SET_DUNNING_POLICY,
        "set_dunning_policy",
        lambda b, a, w: b.set_dunning_policy(DunningPolicy.parse("default", "5 reminder"), actor=a),
    ),
    Recipe(
        Command.CLOSE_PERIOD, "close_period", lambda b, a, w: b.close_period("2026-08", actor=a)
    ),
    Recipe(
        Command.REOPEN_PERIOD, "reopen_period", lambda b, a, w: b.reopen_period("2026-09", actor=a)
    ),
    Recipe(
        Command.SET_POLICY_SETTINGS,
        "set_policy_settings",
        lambda b, a, w: b.set_policy_settings({"sla.default_days": "5"}, actor=a),
    ),
    Recipe(
        Command.SET_POLICY_SETTINGS,
        "set_approval_policy",
        lambda b, a, w: b.set_approval_policy(b.approval_policy(), actor=a),
    ),
    Recipe(
        Command.SET_POLICY_SETTINGS,
        "set_sla_policy",
        lambda b, a, w: b.set_sla_policy(b.sla_policy(), actor=a),
    ),
    Recipe(
        Command.SET_NUMBER_SERIES,
        "set_number_series",
        lambda b, a, w: b.set_number_series("invoice", "F-{seq:06}", actor=a),
    ),
    Recipe(
        Command.USE_TAX_TABLE,
        "use_tax_table",
        lambda b, a, w: b.use_tax_table("bundled:MX", actor=a),
    ),
    Recipe(
        Command.SET_ROUNDING, "set_rounding", lambda b, a, w: b.set_rounding("half_even", actor=a)
    ),
    Recipe(
        Command.SET_SELLER,
        "set_seller",
        lambda b, a, w: b.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"), actor=a),
    ),
    Recipe(
        Command.SET_RENDER_TEMPLATES,
        "set_render_templates",
        lambda b, a, w: b.set_render_templates(Path(__file__).parent, actor=a),
    ),
    Recipe(
        Command.SET_SMTP,
        "set_smtp",
        lambda b, a, w: b.set_smtp(SmtpSettings("smtp.example.com"), actor=a),
    ),
    Recipe(
        Command.SET_TIMEZONE,
        "set_timezone",
        lambda b, a, w: b.set_timezone("America/Mexico_City", actor=a),
    ),
    Recipe(
        Command.ASSIGN_ROLE,
        "assign_role",
        lambda b, a, w: b.assign_role("newcomer", "specialist", actor=a),
    ),
    Recipe(
        Command.REVOKE_ROLE,
        "revoke_role",
        lambda b, a, w: b.revoke_role("ana", "specialist", actor=a),
    ),
    Recipe(
        Command.SET_FUNCTIONAL_CURRENCY,
        "set_functional_currency",
        lambda b, a, w: b.set_functional_currency("USD", rate_type="DOF-FIX", actor=a),
    ),
    Recipe(
        Command.SET_FX_RATE,
        "set_rate",
        lambda b, a, w: b.set_rate("USD", "MXN", "17.50", effective=OCT5, actor=a),
    ),
    Recipe(
        Command.IMPORT_FX_RATES,
        "import_rates",
        lambda b, a, w: b.import_rates(b"date,base,quote,rate\n2026-10-01,USD,MXN,17\n", actor=a),
    ),
    Recipe(
        Command.IMPORT_FX_RATES,
        "pull_rates",
        lambda b, a, w: b.pull_rates(
            lambda day: [o2c.fx.Rate.of("USD", "MXN", "17", day)], OCT1, actor=a
        ),
    ),
    Recipe(Command.SETTLE_IN_CURRENCY, "settle_in_currency", _fx_settle),
    Recipe(Command.REVALUE_FX, "revalue", lambda b, a, w: b.revalue(OCT31, actor=a)),
    Recipe(
        Command.UNSETTLE_IN_CURRENCY,
        "unsettle",
        lambda b, a, w: b.unsettle(w.fx_settlement, reason="wrong invoice", actor=a),
    ),
    Recipe(
        Command.SET_RECOGNITION_RULE,
        "set_recognition_rule",
        lambda b, a, w: b.set_recognition_rule("ANNUAL", "ratable", term_months=12, actor=a),
    ),
    Recipe(Command.RUN_RECOGNITION, "revrec_run", lambda b, a, w: b.revrec_run(OCT31, actor=a)),
    Recipe(
        Command.RELEASE_REVENUE,
        "release_revenue",
        lambda b, a, w: b.release_revenue("D-RR", 1, amount=usd("10.00"), on=OCT5, actor=a),
    ),
)

#: The service desk's commands (issue 22).
RECIPES += (
    Recipe(
        Command.OPEN_INQUIRY,
        "open_inquiry",
        lambda b, a, w: b.open_inquiry(
            "C1", subject="tax?", channel="chat", category="tax", actor=a
        ),
    ),
    Recipe(
        Command.RESPOND_TO_INQUIRY,
        "respond_to_inquiry",
        lambda b, a, w: b.respond_to_inquiry(w.inquiry, summary="looking", actor=a),
    ),
    Recipe(
        Command.ASSIGN_INQUIRY,
        "assign_inquiry",
        lambda b, a, w: b.assign_inquiry(w.inquiry, "sam", actor=a),
    ),
    Recipe(
        Command.RESOLVE_INQUIRY,
        "resolve_inquiry",
        lambda b, a, w: b.resolve_inquiry(
            w.inquiry, root_cause="pricing_setup", resolution="fixed", actor=a
        ),
    ),
    Recipe(
        Command.REOPEN_INQUIRY,
        "reopen_inquiry",
        lambda b, a, w: b.reopen_inquiry(w.resolved_inquiry, reason="wrong copy", actor=a),
    ),
    Recipe(
        Command.CLOSE_INQUIRY,
        "close_inquiry",
        lambda b, a, w: b.close_inquiry(w.resolved_inquiry, actor=a),
    ),
    Recipe(
        Command.RATE_INQUIRY,
        "rate_inquiry",
        lambda b, a, w: b.rate_inquiry(w.resolved_inquiry, 4, actor=a),
    ),
    Recipe(
        Command.AUDIT_INQUIRY_CONTACT,
        "audit_inquiry_contact",
        lambda b, a, w: b.audit_inquiry_contact(
            w.resolved_inquiry, w.inquiry_note, score=90, feedback="clear", actor=a
        ),
    ),
    Recipe(
        Command.ESCALATE_OVERDUE_INQUIRIES,
        "escalate_overdue_inquiries",
        lambda b, a, w: b.escalate_overdue_inquiries(actor=a),
    ),
    Recipe(
        Command.SPAWN_FROM_INQUIRY,
        "inquiry_dispute",
        lambda b, a, w: b.inquiry_dispute(
            w.inquiry, reason="wrong_price", amount=usd("5.00"), actor=a
        ),
    ),
    Recipe(
        Command.SPAWN_FROM_INQUIRY,
        "inquiry_credit_note",
        lambda b, a, w: b.inquiry_credit_note(
            w.inquiry, reason="goodwill", amount=usd("5.00"), actor=a
        ),
    ),
    Recipe(
        Command.SPAWN_FROM_INQUIRY,
        "inquiry_refund",
        lambda b, a, w: b.inquiry_refund(w.inquiry, w.payment, usd("10.00"), actor=a),
    ),
    Recipe(
        Command.SPAWN_FROM_INQUIRY,
        "inquiry_extension",
        lambda b, a, w: b.inquiry_extension(w.inquiry, dt.date(2026, 11, 10), actor=a),
    ),
    Recipe(
        Command.SET_SERVICE_DESK_SETTINGS,
        "set_service_desk_settings",
        lambda b, a, w: b.set_service_desk_settings({"servicedesk.sla.low": "8/48"}, actor=a),
    ),
    Recipe(
        Command.SET_CFDI_CUSTOMER,
        "set_cfdi_customer",
        lambda b, a, w: b.set_cfdi_customer(
            "C-EKU", CfdiCustomer(regime="601", postal_code="42501", use="G01"), actor=a
        ),
    ),
    Recipe(
        Command.SET_CFDI_ITEM,
        "set_cfdi_item",
        lambda b, a, w: b.set_cfdi_item("SETUP", CfdiItem("81112100", "E48"), actor=a),
    ),
    Recipe(
        Command.SET_CFDI_SELLER,
        "set_cfdi_seller",
        lambda b, a, w: b.set_cfdi_seller(CfdiSeller(postal_code="44100"), actor=a),
    ),
    Recipe(
        Command.STAMP_CFDI,
        "stamp_cfdi",
        lambda b, a, w: b.stamp_cfdi(w.cfdi_invoice, csd(), fake_pac(b.now), actor=a),
    ),
    Recipe(
        Command.CANCEL_CFDI,
        "cancel_cfdi",
        lambda b, a, w: b.cancel_cfdi(w.cfdi_stamped, "02", fake_pac(b.now), actor=a),
    ),
    Recipe(
        Command.STAMP_CFDI,
        "stamp_payment_complement",
        lambda b, a, w: b.stamp_payment_complement(w.cfdi_payment, csd(), fake_pac(b.now), actor=a),
    ),
)

#: Commands that run only inside another command, with that command's permission.
INNER = {Command.BILL_RUN: Command.BILL_RUN_START, Command.BILL_RUN_FINISH: Command.BILL_RUN_START}

#: Public Book methods that change nothing: queries, reports, opening and closing.
QUERIES = frozenset(
    {
        "aging", "aging_with_cases", "approval_policy", "audit_log", "backup", "balances",
        "business_calendar", "chart", "close", "credit_holds", "credits", "disputed_amounts",
        "document_seller", "dunning_policies", "export_table", "extended_due_dates",
        "get_approval", "get_contract", "get_customer", "get_dispute", "get_document",
        "get_dunning_notice", "get_extension", "get_invoice", "get_payment", "get_rate_card",
        "get_sales_order", "idempotent_result", "init", "install_database_roles", "journal",
        "iter_documents", "document_numbers",
        "kpi_inputs", "kpis", "kpis_by_currency",
        "list_allocations",
        "list_approvals", "list_contracts", "list_customers", "list_deliveries",
        "list_disputes", "list_documents",
        "list_dunning_notices", "list_exceptions", "list_extensions", "list_notes",
        "list_payments", "list_periods", "list_rate_cards", "list_refunds", "list_sales_orders",
        "list_tax_tables", "list_unbilled", "list_write_offs", "now", "number_series", "open",
        "list_voided",
        "list_promises", "promise", "promise_kept_rate", "credit_check",
        "wallet", "wallet_history",
        "collections_worklist", "plan_late_fees", "list_late_fees",
        "bill_run_credit",
        "open_items",
        "open_items_with_cases", "plan_dunning", "policy_settings", "reconcile",
        "render_templates", "restore", "roles", "roles_of", "rounding", "schema_version", "seller",
        "seller_identity", "seller_version", "sla_policy", "smtp_settings", "statement",
        "statement_with_cases",
        "store", "table_names", "tax_table", "timezone", "today", "trial_balance",
        "verify_audit",
        "document_rate", "functional_aging", "functional_balances", "functional_currency",
        "functional_items",
        "functional_journal", "functional_trial_balance", "list_rates", "quote",
        "recognition_rules", "revrec_rollforward", "revrec_schedules", "revrec_waterfall",
        "get_inquiry", "inquiry_contacts", "inquiry_events", "inquiry_impact", "inquiry_links",
        "inquiry_rating",
        "list_inquiries", "list_inquiry_audits", "root_cause_trend", "service_desk_policy",
        "service_desk_report",
        "cfdi_customer", "cfdi_item", "cfdi_records", "cfdi_seller", "cfdi_xml", "seal_cfdi",
        "payment_cfdi_records", "payment_complement_xml", "payment_installments",
    }
)  # fmt: skip


def _public_methods() -> set[str]:
    return {name for name in dir(Book) if not name.startswith("_")}


def test_every_public_book_method_is_a_query_or_has_a_recipe() -> None:
    commands = {r.method for r in RECIPES}
    assert not commands & QUERIES
    unknown = _public_methods() - QUERIES - commands
    assert not unknown, (
        f"new Book methods: add a recipe (and a Command) or list as query: {unknown}"
    )
    assert not commands - _public_methods()


def test_every_command_of_the_matrix_is_run_by_a_recipe() -> None:
    run = {r.command for r in RECIPES}
    assert set(Command) == run | set(INNER)
    assert set(PERMISSIONS) == set(Command)


@pytest.mark.parametrize(("inner", "outer"), INNER.items())
def test_an_inner_command_has_the_permission_of_the_command_that_runs_it(
    inner: Command, outer: Command
) -> None:
    assert PERMISSIONS[inner].roles == PERMISSIONS[outer].roles


def test_the_auditor_is_permitted_no_command() -> None:
    assert [c for c, p in PERMISSIONS.items() if Role.AUDITOR in p.roles] == []


def test_a_command_missing_from_the_matrix_is_refused_on_any_book(tmp_path: Path) -> None:
    from o2c.book._session import Touched

    with Book.open(tmp_path / "open.o2c", actor="ana") as book:
        before = snapshot(book)

        def body(touched: Touched) -> dict[str, object]:
            raise AssertionError("must not run")

        with pytest.raises(InvariantViolation, match="not in the permission matrix"):
            book._session.run("teleport_invoice", actor=None, key=None, args={}, body=body)
        assert snapshot(book) == before


# -- the prepared book, built once and copied per test ---------------------------------


def _copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        part = source.with_name(source.name + suffix)
        if part.exists():
            shutil.copyfile(part, target.with_name(target.name + suffix))


def _clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("permissions") / "team.o2c"
    with Book.open(path, actor="ana", clock=_clock()) as book:
        world = _prepare(book)
    return path, world


@pytest.fixture
def team(prepared: tuple[Path, World], tmp_path: Path) -> tuple[Path, World]:
    """A copy of the prepared book, for one test."""
    source, world = prepared
    target = tmp_path / "team.o2c"
    _copy(source, target)
    return target, world


def _as(path: Path, actor: str) -> Book:
    return Book.open(path, actor=actor, clock=_clock(), create=False)


def _label(recipe: Recipe) -> str:
    return f"{recipe.command.value}:{recipe.method}"


@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: "no-role" if r is None else r.value)
@pytest.mark.parametrize("recipe", RECIPES, ids=_label)
def test_each_command_runs_exactly_for_the_roles_the_matrix_permits(
    team: tuple[Path, World], recipe: Recipe, role: Role | None
) -> None:
    path, world = team
    actor = NOBODY if role is None else PEOPLE[role]
    permitted = role is not None and role in PERMISSIONS[recipe.command].roles
    with _as(path, actor) as book:
        before = snapshot(book)
        if permitted:
            done = recipe.call(book, actor, world)
            assert isinstance(done, ApprovalRequest) is recipe.held
            assert snapshot(book) != before
            if recipe.audited:
                assert book.audit_log()[-1].actor == actor
            return
        with pytest.raises(CommandNotPermitted) as refused:
            recipe.call(book, actor, world)
        assert refused.value.command == recipe.command.value
        assert refused.value.actor == actor
        allowed = PERMISSIONS[recipe.command].roles
        assert set(refused.value.allowed) == {r.value for r in allowed}
        assert str(refused.value).startswith(f"{actor} holds ")
        assert f"({recipe.command.value})" in str(refused.value)
        assert snapshot(book) == before


@pytest.fixture(scope="module")
def prepared_open(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The prepared book, then every role taken away again: an open book with policies."""
    path = tmp_path_factory.mktemp("permissions") / "open.o2c"
    with Book.open(path, actor="ana", clock=_clock()) as book:
        world = _prepare(book)
        for assignment in book.roles():
            if assignment.role is not Role.CONTROLLER:
                book.revoke_role(assignment.actor, assignment.role, actor="cy")
        book.revoke_role("cy", Role.CONTROLLER, actor="cy")
        assert book.roles() == []
    return path, world


@pytest.mark.parametrize("recipe", RECIPES, ids=_label)
def test_a_book_without_roles_is_open_to_anyone(
    prepared_open: tuple[Path, World], tmp_path: Path, recipe: Recipe
) -> None:
    source, world = prepared_open
    path = tmp_path / "open.o2c"
    _copy(source, path)
    with _as(path, NOBODY) as book:
        before = snapshot(book)
        if recipe.command is Command.REVOKE_ROLE:  # an open book has no role to revoke
            with pytest.raises(NotFound):
                recipe.call(book, NOBODY, world)
            return
        done = recipe.call(book, NOBODY, world)
        assert isinstance(done, ApprovalRequest) is recipe.held
        assert snapshot(book) != before
