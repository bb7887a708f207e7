"""Typed identifiers.

Ids are plain strings at run time and distinct types for mypy, so a payment id cannot be
passed where an invoice id is expected. Document *numbers* (``INV-2026-000042``) are
assigned at issue; ids exist from creation, including for drafts.
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "AccountCode",
    "ApprovalId",
    "BillRunId",
    "ContractId",
    "CustomerId",
    "DisputeId",
    "DocumentId",
    "EntryId",
    "ItemCode",
    "PaymentId",
    "RefundId",
    "UsageId",
    "WriteOffId",
]

CustomerId = NewType("CustomerId", str)
ContractId = NewType("ContractId", str)
ItemCode = NewType("ItemCode", str)
DocumentId = NewType("DocumentId", str)
PaymentId = NewType("PaymentId", str)
RefundId = NewType("RefundId", str)
WriteOffId = NewType("WriteOffId", str)
EntryId = NewType("EntryId", str)
AccountCode = NewType("AccountCode", str)
UsageId = NewType("UsageId", str)
BillRunId = NewType("BillRunId", str)
DisputeId = NewType("DisputeId", str)
ApprovalId = NewType("ApprovalId", str)
