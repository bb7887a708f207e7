"""Policies as book settings: flat ``key = value`` text the store keeps and people can read.

=================================  ======================  ================================
key                                example value           meaning
=================================  ======================  ================================
``approval.<action>.<CUR>``        ``500.00 lead``         above 500.00 CUR the action waits
                                                           for a lead (``any``: anyone but
                                                           the requester); for refunds also
                                                           a customer's total per day
``approval.<action>.<CUR>.day``    ``800.00 lead``         a customer's total per day
                                                           (instead of the request limit)
``approval.<action>.<CUR>.month``  ``2000.00 controller``  a customer's total per month
``extension.max_days``             ``30``                  days past the original due date
``extension.role``                 ``lead``                who approves a longer extension
``sla.default_days``               ``10``                  business days to resolve a dispute
``sla.<reason>``                   ``3``                   business days for that reason
=================================  ======================  ================================

``<action>`` is an :class:`~o2c.cases.ApprovalAction` value (``refund``, ``write_off``,
``credit_note``, ``manual_invoice``, ``extension``, ``void``), ``<reason>`` a
:class:`~o2c.cases.DisputeReason` value. Customer totals (``day``, ``month``) are kept for
refunds. Other keys are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from o2c.calendar import BusinessCalendar
from o2c.cases._approvals import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalThreshold,
    ExtensionPolicy,
    LimitWindow,
    Role,
)
from o2c.cases._disputes import DisputeReason, SlaPolicy
from o2c.errors import ValidationError
from o2c.ledger.tolerance import tolerances_from_settings
from o2c.money import Money

__all__ = [
    "POLICY_PREFIXES",
    "approval_policy_from_settings",
    "approval_policy_settings",
    "calendar_from_settings",
    "check_policy_keys",
    "merge_policy_settings",
    "replacing_settings",
    "sla_policy_from_settings",
    "sla_policy_settings",
]

#: Settings prefixes that hold operations policies (see the operations guide).
POLICY_PREFIXES: Final = (
    "approval.",
    "extension.",
    "sla.",
    "calendar.",
    "writeoff.",
    "promise.",
    "credit.",
    "late_fee.",
)
_CALENDAR_COUNTRY: Final = "calendar.country"
_CALENDAR_SUBDIVISION: Final = "calendar.subdivision"
_NO_COUNTRY: Final = "none"

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


def _window(key: str, parts: list[str]) -> LimitWindow:
    if len(parts) == 3:
        return LimitWindow.REQUEST
    windows = (LimitWindow.DAY, LimitWindow.MONTH)
    if parts[3] not in (w.value for w in windows):
        raise ValidationError(key, parts[3], "day or month (a customer's total per day or month)")
    return LimitWindow(parts[3])


def _threshold(key: str, parts: list[str], text: str) -> ApprovalThreshold:
    try:
        action = ApprovalAction(parts[1])
    except ValueError:
        names = ", ".join(a.value for a in ApprovalAction)
        raise ValidationError(key, parts[1], f"an action: {names}") from None
    window = _window(key, parts)
    words = text.split()
    if len(words) not in (1, 2):
        raise ValidationError(key, text, "an amount and an optional role: '500.00 lead'")
    role = _role(key, words[1]) if len(words) == 2 else Role.LEAD
    try:
        limit = Money.of(words[0], parts[2])
    except ValidationError as error:
        raise ValidationError(key, text, f"an amount in {parts[2]}: {error}") from None
    return ApprovalThreshold(action, limit, role, window)


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
        if parts[0] == "approval" and len(parts) in (3, 4):
            thresholds.append(_threshold(key, parts, text))
        elif key == "extension.max_days":
            extension = ExtensionPolicy(_days(key, text), extension.role)
        elif key == "extension.role":
            extension = ExtensionPolicy(extension.max_days, _role(key, text))
    return ApprovalPolicy(thresholds, extension)


def approval_policy_settings(policy: ApprovalPolicy) -> dict[str, str]:
    """Write ``policy`` as book settings; :func:`approval_policy_from_settings` reads it back."""
    settings = {
        f"approval.{t.action.value}.{t.limit.currency.code}"
        + ("" if t.window is LimitWindow.REQUEST else f".{t.window.value}"): (
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


def calendar_from_settings(settings: Mapping[str, str]) -> BusinessCalendar:
    """The working days SLAs count in, from the ``calendar.*`` settings.

    ``calendar.country`` is ``MX`` when unset and ``none`` for weekends only;
    ``calendar.subdivision`` names a region of it.

    Raises:
        ValidationError: The country or subdivision is not one the calendar knows.

    Example:
        >>> calendar_from_settings({}).country, calendar_from_settings(
        ...     {"calendar.country": "none"}).country
        ('MX', None)
    """
    country = settings.get(_CALENDAR_COUNTRY, "MX")
    return BusinessCalendar(
        None if country.lower() == _NO_COUNTRY else country,
        settings.get(_CALENDAR_SUBDIVISION) or None,
    )


def check_policy_keys(settings: Mapping[str, str]) -> None:
    """Raise when a key is not an operations setting (:data:`POLICY_PREFIXES`).

    Raises:
        ValidationError: The first key that is not; ``field`` is the key.
    """
    for key in settings:
        if not key.startswith(POLICY_PREFIXES):
            raise ValidationError(
                key,
                settings[key],
                "an approval., extension., sla., calendar., writeoff., promise., credit."
                " or late_fee. key",
            )


def merge_policy_settings(
    current: Mapping[str, str], changes: Mapping[str, str], *, replace: bool = False
) -> dict[str, str]:
    """The operations settings after applying ``changes`` to ``current``, checked.

    Args:
        current: The operations settings now.
        changes: ``key = value`` pairs; an empty (or blank) value removes the key.
        replace: Drop every other ``approval.*`` and ``sla.*`` key first.

    Returns:
        The settings to store, every value stripped of surrounding spaces.

    Raises:
        ValidationError: The result is not a valid approval policy, SLA policy or
            calendar.

    Example:
        >>> merge_policy_settings({"approval.refund.USD": "500", "sla.default_days": "5"},
        ...     {"sla.default_days": " 7 ", "approval.refund.USD": ""})
        {'sla.default_days': '7'}
    """
    merged = dict(current)
    if replace:
        merged = {k: v for k, v in merged.items() if not k.startswith(("approval.", "sla."))}
    merged.update(changes)
    merged = {k: v for k, v in merged.items() if v.strip()}
    approval_policy_from_settings(merged)
    sla_policy_from_settings(merged)
    calendar_from_settings(merged)
    tolerances_from_settings(merged)
    return {k: v.strip() for k, v in merged.items()}


def replacing_settings(
    wanted: Mapping[str, str], current: Mapping[str, str], prefix: str
) -> dict[str, str]:
    """Changes that make ``wanted`` the only ``prefix`` keys: the others set empty.

    Example:
        >>> replacing_settings({"sla.default_days": "5"},
        ...     {"sla.duplicate": "3", "sla.default_days": "10", "approval.refund.USD": "9"},
        ...     "sla.")
        {'sla.default_days': '5', 'sla.duplicate': ''}
    """
    changes = dict(wanted)
    for key in current:
        if key.startswith(prefix) and key not in changes:
            changes[key] = ""
    return changes
