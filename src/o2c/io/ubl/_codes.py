"""Code lists the UBL writer and reader share: namespaces, UN/ECE Rec 20 units, EAS, VATEX.

Only the parts o2c uses are here; each table is documented in docs/guide/einvoicing.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from o2c.errors import ValidationError
from o2c.pricing import RateCard

__all__ = [
    "CAC",
    "CBC",
    "CREDIT_NOTE_NS",
    "CUSTOMIZATION_ID",
    "INVOICE_NS",
    "PROFILE_ID",
    "UNIT_CODES",
    "VAT_EAS",
    "default_exemption",
    "rate_card_units",
    "unit_code",
    "vat_identifier",
]

INVOICE_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

#: Peppol BIS Billing 3.0 on EN 16931 (BT-24) and its billing process (BT-23).
CUSTOMIZATION_ID: Final = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PROFILE_ID: Final = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

#: o2c unit names (rate-card ``unit``, lower-cased) to UN/ECE Recommendation 20 codes.
#: Countable things (seats, users, calls, messages...) are "one" (C62); ``each`` is EA.
UNIT_CODES: Final[Mapping[str, str]] = {
    # counts
    "each": "EA",
    "ea": "EA",
    "one": "C62",
    "unit": "C62",
    "units": "C62",
    "piece": "H87",
    "pieces": "H87",
    "pc": "H87",
    "pcs": "H87",
    "item": "C62",
    "seat": "C62",
    "seats": "C62",
    "user": "C62",
    "users": "C62",
    "usuario": "C62",
    "license": "C62",
    "licence": "C62",
    "call": "C62",
    "calls": "C62",
    "api_call": "C62",
    "llamada": "C62",
    "message": "C62",
    "messages": "C62",
    "mensaje": "C62",
    "transaction": "C62",
    "request": "C62",
    "set": "SET",
    "lump sum": "LS",
    "lump_sum": "LS",
    # time
    "second": "SEC",
    "seconds": "SEC",
    "minute": "MIN",
    "minutes": "MIN",
    "min": "MIN",
    "hour": "HUR",
    "hours": "HUR",
    "h": "HUR",
    "hora": "HUR",
    "horas": "HUR",
    "stunde": "HUR",
    "day": "DAY",
    "days": "DAY",
    "dia": "DAY",
    "día": "DAY",
    "tag": "DAY",
    "week": "WEE",
    "weeks": "WEE",
    "month": "MON",
    "months": "MON",
    "mes": "MON",
    "monat": "MON",
    "quarter": "QAN",
    "year": "ANN",
    "years": "ANN",
    "año": "ANN",
    "jahr": "ANN",
    # data
    "kb": "2P",
    "mb": "4L",
    "gb": "E34",
    "tb": "E35",
    "kbit": "C37",
    "mbit": "D36",
    # energy, mass, length, volume
    "kwh": "KWH",
    "mwh": "MWH",
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "km": "KMT",
    "m": "MTR",
    "m2": "MTK",
    "m3": "MTQ",
    "l": "LTR",
    "litre": "LTR",
    "liter": "LTR",
}

#: The codes above, which are accepted as they are (``unit_code("HUR") == "HUR"``).
_KNOWN_CODES: Final = frozenset(UNIT_CODES.values())
#: Default unit: "one" (Rec 20 C62), for items without a unit or with an unknown one.
DEFAULT_UNIT: Final = "C62"


def unit_code(unit: str | None) -> str:
    """The UN/ECE Rec 20 code for an o2c unit name (``"hour"`` -> ``"HUR"``).

    A name missing from :data:`UNIT_CODES` that is itself one of its codes is kept; any
    other unknown or empty unit is "one" (``C62``).

    Example:
        >>> unit_code("hour"), unit_code("GB"), unit_code("mes"), unit_code("seat")
        ('HUR', 'E34', 'MON', 'C62')
    """
    if not unit:
        return DEFAULT_UNIT
    key = unit.strip()
    code = UNIT_CODES.get(key.lower())
    if code is not None:
        return code
    return key if key in _KNOWN_CODES else DEFAULT_UNIT


def rate_card_units(*cards: RateCard) -> dict[str, str]:
    """The unit of every item on ``cards``, for :func:`~o2c.io.ubl.write_ubl`'s ``units``.

    A later version of a card, and a later card, wins for an item listed twice.
    """
    units: dict[str, str] = {}
    for card in cards:
        for version in card.versions:
            for item in version.items:
                units[str(item.code)] = item.unit
    return units


#: The CEF EAS scheme whose identifier is a country's VAT number (the Peppol participant
#: id many EU businesses register): used for an endpoint when none is given.
VAT_EAS: Final[Mapping[str, str]] = {
    "AT": "9914",
    "BE": "9925",
    "BG": "9926",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "EE": "9931",
    "ES": "9920",
    "FR": "9957",
    "GR": "9933",
    "HR": "9934",
    "IE": "9935",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "SI": "9949",
    "SK": "9950",
}

#: Country prefixes of EU VAT ids that differ from the ISO code (Greece: EL).
_VAT_PREFIX: Final = {"GR": "EL"}


def vat_identifier(tax_id: str, country: str) -> str:
    """A tax id as a VAT identifier with its country prefix (EN 16931 BR-CO-09).

    EU VAT ids already carry it (``DE136695976``, ``EL...``); an id without it, such as a
    Mexican RFC, gets the party's ISO 3166 code in front (``MXAAA010101AAA``).

    Example:
        >>> vat_identifier("DE136695976", "DE"), vat_identifier("AAA010101AAA", "MX")
        ('DE136695976', 'MXAAA010101AAA')
    """
    compact = "".join(tax_id.split()).upper()
    prefix = _VAT_PREFIX.get(country, country)
    if compact.startswith((prefix, country)):
        return compact
    return prefix + compact


#: VATEX codes (BT-121) for the categories that have one code for the whole category.
_VATEX: Final = {
    "AE": "VATEX-EU-AE",
    "K": "VATEX-EU-IC",
    "G": "VATEX-EU-G",
    "O": "VATEX-EU-O",
}
#: Reason texts (BT-120) used when the document gives none.
_REASON: Final = {
    "E": "Exempt from VAT",
    "AE": "Reverse charge",
    "K": "Intra-community supply, exempt from VAT (Article 138, Council Directive 2006/112/EC)",
    "G": "Export outside the EU, exempt from VAT",
    "O": "Not subject to VAT",
}
_VATEX_IN_TEXT: Final = re.compile(r"\bVATEX-[A-Z]{2}-[A-Z0-9-]+\b")
#: Categories whose breakdown row carries an exemption reason (BR-E-10, BR-AE-10...);
#: S and Z must not carry one (BR-S-10, BR-Z-10).
EXEMPT_CATEGORIES: Final = frozenset({"E", "AE", "K", "G", "O"})


def default_exemption(category: str, reason: str) -> tuple[str | None, str | None]:
    """The ``(code, text)`` exemption reason of a breakdown row of ``category``.

    ``reason`` is the document's text (may be empty). A VATEX code written in the text
    is used as the code; otherwise the category's own code where it has one (AE, K, G,
    O). S and Z rows get neither.

    Example:
        >>> default_exemption("AE", "")
        ('VATEX-EU-AE', 'Reverse charge')
        >>> default_exemption("E", "VATEX-EU-132 medical care")
        ('VATEX-EU-132', 'VATEX-EU-132 medical care')
    """
    if category not in EXEMPT_CATEGORIES:
        return None, None
    text = reason.strip() or _REASON[category]
    found = _VATEX_IN_TEXT.search(text)
    code = found.group(0) if found else _VATEX.get(category)
    return code, text


def check_category(category: str, field: str) -> str:
    """``category`` if EN 16931 knows it; raises ValidationError naming ``field``."""
    if category not in _CATEGORIES:
        raise ValidationError(
            field, category, "an EN 16931 VAT category (S, Z, E, AE, K, G, O, L, M)"
        )
    return category


_CATEGORIES: Final = frozenset({"S", "Z", "E", "AE", "K", "G", "O", "L", "M"})
