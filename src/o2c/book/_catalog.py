"""What the book prices and taxes with: rate cards, tax tables, rounding and the seller."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from o2c.book._session import Session, Touched
from o2c.book._tables import catalog as catalog_table
from o2c.errors import NotFound, ValidationError
from o2c.io import structure
from o2c.money import DEFAULT_ROUNDING, Rounding
from o2c.pricing import RateCard, parse_ratecard
from o2c.tax import TaxProfile, TaxTable, bundled_table, parse_tax_table

__all__ = [
    "MAX_TOML_CHARS",
    "get_rate_card",
    "import_rate_card",
    "import_tax_table",
    "list_rate_cards",
    "list_tax_tables",
    "load_tax_table",
    "rounding",
    "seller",
    "set_rounding",
    "tax_table",
    "use_tax_table",
]

#: Largest TOML file accepted (rate cards, tax tables).
MAX_TOML_CHARS: Final = 2_000_000

_TAX_TABLE_SETTING: Final = "tax.table"
_DEFAULT_TAX_TABLE: Final = "bundled:ALL"


def _toml_text(source: str | Path, text: str | None, what: str) -> str:
    """The TOML text to import: ``text``, else the file ``source`` read as UTF-8.

    Raises:
        FileProblems: It is empty, not UTF-8, or unreadable (names the file).
        ValidationError: It is longer than :data:`MAX_TOML_CHARS`.
    """
    from o2c.io import decode_text, read_file

    body = str(read_file(str(source))) if text is None else decode_text(text, Path(source).name)
    if len(body) > MAX_TOML_CHARS:
        raise ValidationError(what, str(source), f"at most {MAX_TOML_CHARS} characters")
    return body


# -- rate cards --------------------------------------------------------------------------


def import_rate_card(
    session: Session,
    source: str | Path,
    *,
    text: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> RateCard:
    """Import a TOML rate card (see :meth:`SetupMixin.import_rate_card`)."""
    body_text = _toml_text(source, text, "rate card")
    card = parse_ratecard(body_text, str(source))

    def body(touched: Touched) -> dict[str, Any]:
        version = catalog_table.add_version(
            session.store,
            "rate_cards",
            card.code,
            source_name=str(source),
            text=body_text,
            now=session.now().isoformat(),
            currency=card.currency.code,
        )
        touched.add(f"{card.code}@{version}")
        return {"code": card.code}

    result = session.run(
        "import_rate_card",
        actor=actor,
        key=idempotency_key,
        args={"source": str(source), "text": body_text},
        body=body,
    )
    return get_rate_card(session, result["code"])


def get_rate_card(session: Session, code: str) -> RateCard:
    """The latest imported version of rate card ``code``.

    Raises:
        NotFound: No such card.
    """
    found = catalog_table.latest(session.store, "rate_cards", code)
    if found is None:
        raise NotFound("rate card", code, hint="import it with import_rate_card")
    text, name = found
    return parse_ratecard(text, name)


def list_rate_cards(session: Session) -> list[RateCard]:
    """The latest version of every rate card, by code."""
    return [get_rate_card(session, c) for c in catalog_table.names(session.store, "rate_cards")]


# -- tax tables --------------------------------------------------------------------------


def import_tax_table(
    session: Session,
    source: str | Path,
    *,
    text: str | None = None,
    use: bool = True,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> TaxTable:
    """Import a TOML tax table (see :meth:`SetupMixin.import_tax_table`)."""
    body_text = _toml_text(source, text, "tax table")
    table = parse_tax_table(body_text, str(source))

    def body(touched: Touched) -> dict[str, Any]:
        version = catalog_table.add_version(
            session.store,
            "tax_tables",
            table.name,
            source_name=str(source),
            text=body_text,
            now=session.now().isoformat(),
        )
        if use:
            session.set_setting(_TAX_TABLE_SETTING, table.name)
        touched.add(f"{table.name}@{version}")
        return {"name": table.name}

    result = session.run(
        "import_tax_table",
        actor=actor,
        key=idempotency_key,
        args={"source": str(source), "text": body_text, "use": use},
        body=body,
    )
    return load_tax_table(session, result["name"])


def load_tax_table(session: Session, name: str) -> TaxTable:
    """The tax table ``name``: imported, or bundled as ``"bundled:MX"``.

    Raises:
        NotFound: No imported table has that name.
    """
    if name.startswith("bundled:"):
        return bundled_table(name.removeprefix("bundled:"))
    found = catalog_table.latest(session.store, "tax_tables", name)
    if found is None:
        raise NotFound("tax table", name, hint="import it with import_tax_table")
    text, source_name = found
    return parse_tax_table(text, source_name)


def tax_table(session: Session) -> TaxTable:
    """The tax table the book bills with (the bundled ``ALL`` tables by default)."""
    return load_tax_table(session, session.setting(_TAX_TABLE_SETTING) or _DEFAULT_TAX_TABLE)


def list_tax_tables(session: Session) -> list[str]:
    """Names of the imported tax tables."""
    return catalog_table.names(session.store, "tax_tables")


def use_tax_table(session: Session, name: str, *, actor: str | None = None) -> None:
    """Bill with an imported table, or a bundled one as ``"bundled:MX"``."""

    def body(touched: Touched) -> dict[str, Any]:
        load_tax_table(session, name)
        session.set_setting(_TAX_TABLE_SETTING, name)
        touched.add(name)
        return {}

    session.run("use_tax_table", actor=actor, key=None, args={"name": name}, body=body)


# -- rounding and the seller -------------------------------------------------------------


def set_rounding(session: Session, mode: Rounding | str, *, actor: str | None = None) -> Rounding:
    """Set the book's rounding mode for line nets."""
    chosen = Rounding.parse(mode)

    def body(touched: Touched) -> dict[str, Any]:
        session.set_setting("rounding", chosen.name)
        touched.add("rounding")
        return {}

    session.run("set_rounding", actor=actor, key=None, args={"mode": chosen.name}, body=body)
    return chosen


def rounding(session: Session) -> Rounding:
    """The book's rounding mode (:data:`o2c.money.DEFAULT_ROUNDING` unless set)."""
    name = session.setting("rounding")
    return DEFAULT_ROUNDING if name is None else Rounding.parse(name)


def seller(session: Session) -> TaxProfile:
    """The seller's tax profile (the latest seller's ``tax``; set by
    :func:`o2c.book._sellers.set_seller`).

    Raises:
        NotFound: None was set (``set_seller``).
    """
    text = session.setting("seller")
    if text is None:
        raise NotFound(
            "seller",
            "profile",
            hint="set it with o2c seller set (or o2c init --seller-country CC), or Book.set_seller",
        )
    return structure(json.loads(text), TaxProfile, converter=session.converter())
