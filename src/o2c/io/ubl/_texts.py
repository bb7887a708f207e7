"""The few texts the UBL writer adds to a document's note, in the customer's language.

The legal notes (reverse charge, exemptions) come with the document, already in its
language; these are the correction reason and the withholding statement. English is the
fallback for a language not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["texts"]

_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "reason": "Reason",
        "withheld": "Tax withheld by the buyer",
        "of": "of",
        "total": "Total withheld {withheld}, shown as the paid amount; amount due {payable}.",
        "wrong_price": "wrong price",
        "wrong_quantity": "wrong quantity",
        "duplicate": "duplicate",
        "tax_error": "tax error",
        "goodwill": "goodwill",
        "cancellation": "cancellation",
        "other": "other",
    },
    "es": {
        "reason": "Motivo",
        "withheld": "Impuestos retenidos por el cliente",
        "of": "de",
        "total": "Total retenido {withheld}, indicado como importe pagado; importe a pagar "
        "{payable}.",
        "wrong_price": "precio incorrecto",
        "wrong_quantity": "cantidad incorrecta",
        "duplicate": "duplicado",
        "tax_error": "error en impuestos",
        "goodwill": "bonificación comercial",
        "cancellation": "cancelación",
        "other": "otro",
    },
    "de": {
        "reason": "Grund",
        "withheld": "Vom Kunden einbehaltene Steuern",
        "of": "von",
        "total": "Einbehalten insgesamt {withheld}, als bereits gezahlter Betrag ausgewiesen; "
        "zu zahlen {payable}.",
        "wrong_price": "falscher Preis",
        "wrong_quantity": "falsche Menge",
        "duplicate": "doppelte Rechnung",
        "tax_error": "Steuerfehler",
        "goodwill": "Kulanz",
        "cancellation": "Stornierung",
        "other": "sonstiger Grund",
    },
    "fr": {
        "reason": "Motif",
        "withheld": "Impôts retenus par le client",
        "of": "de",
        "total": "Total retenu {withheld}, indiqué comme montant déjà payé ; montant dû {payable}.",
        "wrong_price": "prix erroné",
        "wrong_quantity": "quantité erronée",
        "duplicate": "doublon",
        "tax_error": "erreur de TVA",
        "goodwill": "geste commercial",
        "cancellation": "annulation",
        "other": "autre motif",
    },
}


def texts(locale: str) -> Mapping[str, str]:
    """The texts for ``locale`` (``"es_MX"`` -> Spanish), English when not listed.

    Example:
        >>> texts("de_DE")["reason"], texts("pt_BR")["reason"]
        ('Grund', 'Reason')
    """
    language = locale.replace("-", "_").split("_")[0].lower()
    return _TEXTS.get(language, _TEXTS["en"])
