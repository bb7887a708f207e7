"""Types shared by the case modules: channels, actors and the local ids."""

from __future__ import annotations

import datetime as dt
import enum
from typing import NewType

from o2c.errors import ValidationError

__all__ = ["Channel", "ExtensionId", "NoteId", "check_actor", "same_actor"]

ExtensionId = NewType("ExtensionId", str)
NoteId = NewType("NoteId", str)


class Channel(enum.Enum):
    """How the customer reached us (or we them)."""

    EMAIL = "email"
    PHONE = "phone"
    PORTAL = "portal"
    CHAT = "chat"
    LETTER = "letter"
    IN_PERSON = "in_person"


def check_actor(field: str, actor: object) -> str:
    """Return ``actor`` stripped, or raise when it is not a non-empty string."""
    if not isinstance(actor, str) or not actor.strip():
        raise ValidationError(field, actor, "the non-empty name of a person")
    return actor.strip()


def same_actor(left: str, right: str) -> bool:
    """Whether two actor names are the same person (ignoring case and surrounding spaces).

    Segregation of duties must not be dodged by typing ``Ana`` instead of ``ana``.
    """
    return left.strip().casefold() == right.strip().casefold()


def check_aware(field: str, value: dt.datetime) -> None:
    """Raise when ``value`` is not a time-zone aware datetime."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "a time-zone aware datetime")
