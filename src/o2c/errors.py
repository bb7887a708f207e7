"""The o2c error hierarchy.

Every error o2c raises on purpose is an :class:`O2CError`. Subclasses are grouped by who
must act:

* the user's input: :class:`ValidationError` (and :class:`CurrencyMismatch`);
* a missing thing: :class:`NotFound`;
* a forbidden transition: :class:`InvalidState`, :class:`PeriodClosed`,
  :class:`ApprovalRequired`, :class:`SegregationOfDuties`, :class:`PermissionDenied`;
* concurrency and repetition: :class:`Conflict`, :class:`DuplicateCommand`;
* a broken invariant or the store: :class:`InvariantViolation`, :class:`StoreError`.

Each also subclasses the nearest builtin (``ValueError``, ``LookupError``...) so generic
code that catches those keeps working. Messages name the thing, the value and, where
there is one, what to do instead. The CLI prints ``str(error)`` and exits 1.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApprovalRequired",
    "CommandNotPermitted",
    "Conflict",
    "CurrencyMismatch",
    "DuplicateCommand",
    "InvalidState",
    "InvariantViolation",
    "NotFound",
    "O2CError",
    "PeriodClosed",
    "PermissionDenied",
    "SegregationOfDuties",
    "StoreError",
    "ValidationError",
]


class O2CError(Exception):
    """Root of every error o2c raises on purpose.

    Args:
        message: One line for a person: what went wrong, with which id and value.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(O2CError, ValueError):
    """An input value is not acceptable.

    Args:
        field: Dotted path of the offending field, e.g. ``lines[2].quantity``.
        value: The value that was given.
        expected: What would have been accepted.
        message: Override the generated message.

    Example:
        >>> str(ValidationError("quantity", "-3", "a number >= 0"))
        "quantity: expected a number >= 0, got '-3'"
    """

    def __init__(
        self,
        field: str,
        value: Any,
        expected: str,
        *,
        message: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(message or f"{field}: expected {expected}, got {value!r}")


class CurrencyMismatch(O2CError, ValueError):
    """Two amounts in different currencies were combined.

    Args:
        left: Currency code of the left operand.
        right: Currency code of the right operand.
        operation: What was attempted (``"add"``, ``"compare"``...).
    """

    def __init__(self, left: str, right: str, operation: str = "combine") -> None:
        self.left = left
        self.right = right
        self.operation = operation
        super().__init__(
            f"cannot {operation} {left} and {right} amounts; convert one currency first"
        )


class NotFound(O2CError, LookupError):
    """A thing named by id does not exist.

    Args:
        kind: What was looked for (``"invoice"``, ``"customer"``...).
        key: The id or number that was given.
    """

    def __init__(self, kind: str, key: object, *, hint: str | None = None) -> None:
        self.kind = kind
        self.key = key
        text = f"{kind} {key!s} not found"
        super().__init__(f"{text}; {hint}" if hint else text)


class InvalidState(O2CError):
    """The requested transition is not allowed in the thing's current state.

    Args:
        message: What is wrong and what to do instead, e.g. "invoice INV-2026-000042
            is already paid; issue a credit note instead".
        document_id: The id of the document or case concerned, when there is one.
    """

    def __init__(self, message: str, *, document_id: str | None = None) -> None:
        self.document_id = document_id
        super().__init__(message)


class PeriodClosed(InvalidState):
    """A posting was dated in a closed accounting period.

    Args:
        period: The closed period, e.g. ``"2026-09"``.
        date: The posting date that fell into it.
        message: Override the generated message (e.g. to name every refused line of a
            file).
    """

    def __init__(self, period: str, date: object, *, message: str | None = None) -> None:
        self.period = period
        self.date = date
        super().__init__(
            message
            or f"period {period} is closed; cannot post on {date}; "
            "post the correction in the next open period"
        )


class ApprovalRequired(O2CError):
    """The action exceeds a policy threshold and waits for an approver.

    Raised with an ``approval_id`` when a request is pending, and without one when a
    command that the policy holds was called directly (nothing was done; ``hint`` says
    which request command to use instead).

    Args:
        action: The action kind (``"refund"``, ``"write-off"``...).
        approval_id: The id of the pending approval request, or ``None`` when none was
            made.
        reason: Why approval is needed (threshold and amount).
        hint: What to do instead (the request command), shown when no request is pending.
        amount: The amount measured against the policy, when known.
        limit: The policy's threshold for it (``None``: no threshold in that currency).

    Example:
        >>> str(ApprovalRequired("refund", None, "800.00 USD is over 500.00 USD",
        ...     hint="use request_refund()"))
        'refund needs approval (800.00 USD is over 500.00 USD); use request_refund()'
    """

    def __init__(
        self,
        action: str,
        approval_id: str | None,
        reason: str,
        *,
        hint: str = "",
        amount: object = None,
        limit: object = None,
    ) -> None:
        self.action = action
        self.approval_id = approval_id
        self.reason = reason
        self.hint = hint
        self.amount = amount
        self.limit = limit
        if approval_id is not None:
            text = f"{action} needs approval ({reason}); pending as {approval_id}"
        else:
            text = f"{action} needs approval ({reason}); " + (
                hint or "request it and have another person approve it"
            )
        super().__init__(text)


class PermissionDenied(O2CError, PermissionError):
    """The actor's role does not allow the action."""


class CommandNotPermitted(PermissionDenied):
    """The book has roles and none of the actor's permits the command.

    Args:
        actor: Who tried.
        command: The command (its audit name, e.g. ``void_document``).
        allowed: The roles that may run it.
        held: The roles the actor holds (empty: none).
        what: The command in words ("void documents").

    Example:
        >>> str(CommandNotPermitted("ana", "void_document", ("lead", "controller"), (),
        ...     what="void documents"))
        'ana holds no role; only a lead or controller may void documents (void_document)'
    """

    def __init__(
        self,
        actor: str,
        command: str,
        allowed: tuple[str, ...],
        held: tuple[str, ...],
        *,
        what: str = "",
    ) -> None:
        self.actor = actor
        self.command = command
        self.allowed = allowed
        self.held = held
        holds = "no role" if not held else ", ".join(held)
        if held == ("auditor",):
            holds = "auditor (read-only)"
        if not allowed:
            who = "nobody"
        elif len(allowed) == 1:
            who = f"only a {allowed[0]}"
        else:
            who = f"only a {', '.join(allowed[:-1])} or {allowed[-1]}"
        super().__init__(f"{actor} holds {holds}; {who} may {what or 'run'} ({command})")


class SegregationOfDuties(PermissionDenied):
    """The approver is the requester; someone else must approve.

    Args:
        actor: Who tried to approve.
        approval_id: The approval request concerned.
    """

    def __init__(self, actor: str, approval_id: str) -> None:
        self.actor = actor
        self.approval_id = approval_id
        super().__init__(
            f"{actor} requested {approval_id} and cannot approve it; "
            "another approver must decide (segregation of duties)"
        )


class Conflict(O2CError):
    """A concurrent update won; the command may be retried."""


class DuplicateCommand(O2CError):
    """A command with the same idempotency key was already run with other arguments.

    Args:
        key: The idempotency key.
    """

    def __init__(self, key: str, detail: str = "") -> None:
        self.key = key
        super().__init__(
            f"idempotency key {key!r} was already used"
            + (f" {detail}" if detail else " for a different command")
        )


class InvariantViolation(O2CError, AssertionError):
    """An internal invariant (balanced entries, conserved money...) does not hold.

    This is a bug in o2c or a tampered book, never a user error.
    """


class StoreError(O2CError):
    """The store could not be opened, migrated or written."""
