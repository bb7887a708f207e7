"""Customer credit and collections (pure): promises to pay and the collector's worklist.

Prepaid credits live here too: a customer's wallet of credit lots, drawn down against
invoices (:func:`plan_draw`, :func:`post_draw`).

Rules over receivables that sit on top of the ledger, the cases and dunning: a promise to
pay is judged from payments (:func:`promise_outcome`); dunning holds off the items of a
pending promise (:func:`live_promises`); late fees are charged on overdue invoices
(:func:`plan_late_fees`); a customer's exposure is measured against its
credit limit (:class:`CreditCheck`); the collector's worklist ranks customers by what
they owe overdue. The Book feeds these functions; nothing here reads a store or a clock.

The package is named ``credit`` (customer credit), not ``collections``, so that it never
shadows the standard library's :mod:`collections` in a reader's mind or a tool's.
"""

from o2c.credit._late_fees import (
    EU_MARGIN,
    LATE_FEE_PREFIX,
    LateFee,
    LateFeePolicy,
    LateFeeSkip,
    late_fee,
    late_fee_policies,
    plan_late_fees,
)
from o2c.credit._limits import BILL_RUN_SETTING, CreditAction, CreditCheck, bill_run_action
from o2c.credit._promises import (
    DEFAULT_GRACE_DAYS,
    GRACE_SETTING,
    PromiseId,
    PromiseKeptRate,
    PromiseOutcome,
    PromiseReceipt,
    PromiseStatus,
    PromiseToPay,
    grace_from_settings,
    live_promises,
    promise_kept_rate,
    promise_outcome,
)
from o2c.credit._wallets import (
    LotKind,
    LotTake,
    TopUpRule,
    Wallet,
    WalletDraw,
    WalletEvent,
    WalletLot,
    drawdown_order,
    plan_draw,
    plan_expiry,
    post_draw,
    post_expiry,
    post_topup,
    top_up_needed,
    wallet_balance,
)
from o2c.credit._worklist import RECENT_DAYS, Contact, WorklistRow, collections_worklist

__all__ = [
    "BILL_RUN_SETTING",
    "DEFAULT_GRACE_DAYS",
    "EU_MARGIN",
    "GRACE_SETTING",
    "LATE_FEE_PREFIX",
    "RECENT_DAYS",
    "Contact",
    "CreditAction",
    "CreditCheck",
    "LateFee",
    "LateFeePolicy",
    "LateFeeSkip",
    "LotKind",
    "LotTake",
    "PromiseId",
    "PromiseKeptRate",
    "PromiseOutcome",
    "PromiseReceipt",
    "PromiseStatus",
    "PromiseToPay",
    "TopUpRule",
    "Wallet",
    "WalletDraw",
    "WalletEvent",
    "WalletLot",
    "WorklistRow",
    "bill_run_action",
    "collections_worklist",
    "drawdown_order",
    "grace_from_settings",
    "late_fee",
    "late_fee_policies",
    "live_promises",
    "plan_draw",
    "plan_expiry",
    "plan_late_fees",
    "post_draw",
    "post_expiry",
    "post_topup",
    "promise_kept_rate",
    "promise_outcome",
    "top_up_needed",
    "wallet_balance",
]
