"""Policies as book settings: flat ``key = value`` text the store keeps and people can read.

==============================  ==================  =========================================
key                             example value       meaning
==============================  ==================  =========================================
``approval.<action>.<CUR>``     ``500.00 lead``     above 500.00 CUR the action waits for a
                                                    lead (``any``: anyone but the requester)
``extension.max_days``          ``30``              days past the original due date
``extension.role``              ``lead``            who approves a longer extension
``sla.default_days``            ``10``              business days to resolve a dispute
``sla.<reason>``                ``3``               business days for that reason
==============================  ==================  =========================================

``<action>`` is an :class:`~o2c.cases.ApprovalAction` value (``refund``, ``write_off``,
``credit_note``, ``manual_invoice``, ``extension``), ``<reason>`` a
:class:`~o2c.cases.DisputeReason` value. Other keys are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from o2c.cases._approvals import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalThreshold,
    ExtensionPolicy,
    Role,
)
from o2c.cases._disputes import DisputeReason, SlaPolicy
from o2c.errors import ValidationError
from o2c.money import Money

__all__ = [
    "approval_policy_from_settings",
    "approval_policy_settings",
    "sla_policy_from_settings",
    "sla_policy_settings",
]

_ANY = "any"


def _role(key: str, text: str) -> Role | None:
    value = text.strip().lower()
    if value == _ANY:
        return None
    try:
        return Role(value)
    except ValueError:
        names = ", ".join([*(r.value for r in Role), _ANY])
        raise ValidationError(key, text, f"one of {names}") from None


def _days(key: str, text: str) -> int:
    value = text.strip()
    if not value.isdigit():
        raise ValidationError(key, text, "a whole number of days")
    return int(value)


def _role_text(role: Role | None) -> str:
    return _ANY if role is None else role.value


def approval_policy_from_settings(settings: Mapping[str, str]) -> ApprovalPolicy:
    """Read the approval policy from book settings.

    The keys are listed in the operations guide, *Policies in book settings*.

    Raises:
        ValidationError: A value is not acceptable; ``field`` is its key.

    Example:
        >>> policy = approval_policy_from_settings({"approval.refund.USD": "500.00 controller",
        ...     "extension.max_days": "45", "account.receivable": "1200"})
        >>> policy.threshold(ApprovalAction.REFUND, "USD").role, policy.extension.max_days
        (<Role.CONTROLLER: 'controller'>, 45)
    """
    thresholds = []
    extension = ExtensionPolicy()
    for key, text in sorted(settings.items()):
        parts = key.split(".")
        if parts[0] == "approval" and len(parts) == 3:
            try:
                action = ApprovalAction(parts[1])
            except ValueError:
                names = ", ".join(a.value for a in ApprovalAction)
                raise ValidationError(key, parts[1], f"an action: {names}") from None
            words = text.split()
            if len(words) not in (1, 2):
                raise ValidationError(key, text, "an amount and an optional role: '500.00 lead'")
            role = _role(key, words[1]) if len(words) == 2 else Role.LEAD
            try:
                limit = Money.of(words[0], parts[2])
            except ValidationError as error:
                raise ValidationError(key, text, f"an amount in {parts[2]}: {error}") from None
            thresholds.append(ApprovalThreshold(action, limit, role))
        elif key == "extension.max_days":
            extension = ExtensionPolicy(_days(key, text), extension.role)
        elif key == "extension.role":
            extension = ExtensionPolicy(extension.max_days, _role(key, text))
    return ApprovalPolicy(thresholds, extension)


def approval_policy_settings(policy: ApprovalPolicy) -> dict[str, str]:
    """Write ``policy`` as book settings; :func:`approval_policy_from_settings` reads it back."""
    settings = {
        f"approval.{t.action.value}.{t.limit.currency.code}": (
            f"{t.limit.amount} {_role_text(t.role)}"
        )
        for t in policy.thresholds
    }
    settings["extension.max_days"] = str(policy.extension.max_days)
    settings["extension.role"] = _role_text(policy.extension.role)
    return settings


def sla_policy_from_settings(settings: Mapping[str, str]) -> SlaPolicy:
    """Read the dispute SLA policy from book settings.

    The keys are listed in the operations guide, *Policies in book settings*.

    Raises:
        ValidationError: A value is not acceptable; ``field`` is its key.
    """
    default = SlaPolicy().default_days
    by_reason: dict[DisputeReason, int] = {}
    for key, text in sorted(settings.items()):
        parts = key.split(".")
        if parts[0] != "sla" or len(parts) != 2:
            continue
        if parts[1] == "default_days":
            default = _days(key, text)
            continue
        try:
            reason = DisputeReason(parts[1])
        except ValueError:
            names = ", ".join(r.value for r in DisputeReason)
            raise ValidationError(key, parts[1], f"default_days or a reason: {names}") from None
        by_reason[reason] = _days(key, text)
    return SlaPolicy(default, by_reason)


def sla_policy_settings(policy: SlaPolicy) -> dict[str, str]:
    """Write ``policy`` as book settings; :func:`sla_policy_from_settings` reads it back."""
    settings = {"sla.default_days": str(policy.default_days)}
    settings.update({f"sla.{r.value}": str(days) for r, days in policy.days_by_reason})
    return settings
