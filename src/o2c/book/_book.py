"""The :class:`Book`: the opener plus one group of commands and queries per area.

Each group (:class:`~o2c.book._area.Area`) holds no state and no SQL; its methods call the
area's use cases, functions ``(session, ...)``. No group inherits another.
"""

from __future__ import annotations

from o2c.book._approvals import ApprovalsMixin
from o2c.book._audit import AuditMixin
from o2c.book._backup import BackupMixin
from o2c.book._base import BookBase
from o2c.book._billing import BillingMixin
from o2c.book._cases import CasesMixin
from o2c.book._cashapp import CashApplicationMixin
from o2c.book._cfdi import CfdiMixin
from o2c.book._collections import CollectionsMixin
from o2c.book._credit import CreditMixin
from o2c.book._customers import CustomersMixin
from o2c.book._delivery import DeliveryMixin
from o2c.book._documents import DocumentsMixin
from o2c.book._dunning import DunningMixin
from o2c.book._fx import FxMixin
from o2c.book._journal import JournalMixin
from o2c.book._kpis import KpisMixin
from o2c.book._payments import PaymentsMixin
from o2c.book._promises import PromisesMixin
from o2c.book._rendering import RenderingMixin
from o2c.book._reports import ReportsMixin
from o2c.book._rerate import RerateMixin
from o2c.book._revrec import RevRecMixin
from o2c.book._service_desk import ServiceDeskMixin
from o2c.book._setup import SetupMixin
from o2c.book._wallets import WalletsMixin

__all__ = ["Book"]


class Book(
    BookBase,
    CustomersMixin,
    SetupMixin,
    DocumentsMixin,
    JournalMixin,
    PaymentsMixin,
    CashApplicationMixin,
    BillingMixin,
    RerateMixin,
    ApprovalsMixin,
    CasesMixin,
    ReportsMixin,
    KpisMixin,
    DunningMixin,
    PromisesMixin,
    WalletsMixin,
    CreditMixin,
    CollectionsMixin,
    RenderingMixin,
    DeliveryMixin,
    AuditMixin,
    BackupMixin,
    RevRecMixin,
    ServiceDeskMixin,
    FxMixin,
    CfdiMixin,
):
    """A billing book: customers, contracts, documents, ledger, cases, collections and reports.

    Open one with :meth:`Book.open` (a path or ``sqlite:///...`` for SQLite,
    ``postgresql://...`` for PostgreSQL). Every command runs in one transaction: it
    loads what it needs, calls the pure core, writes the results, their journal entries
    and one audit event, and commits; any error leaves the book exactly as it was.
    Commands take the ``actor`` (who runs it) and an optional ``idempotency_key``:
    repeating a key returns the first result and creates nothing new.

    Example:
        >>> from o2c.book import Book
        >>> from o2c.money import Currency
        >>> from o2c.parties import Customer
        >>> book = Book.open(":memory:", actor="ana")
        >>> acme = Customer("C1", "Acme", None, "MX", Currency.of("MXN"))
        >>> book.add_customer(acme).legal_name
        'Acme'
        >>> [c.id for c in book.list_customers()]
        ['C1']
        >>> book.verify_audit()
        ()
        >>> book.close()
    """
