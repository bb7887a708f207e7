"""Message catalogs of the rendered documents: English message id -> translation.

The catalogs are Python mappings, one per language with optional per-locale overrides
(``es_MX`` says "RFC" where ``es`` says "NIF"), rather than ``.po`` files compiled to
``.mo``: an editable install, a wheel and a source checkout all read them with no build
step, mypy and ruff check them, and a missing translation falls back to the English
message id (gettext's own rule). :func:`translations` wraps one locale's catalog in a
:class:`babel.support.Translations`, so templates use the standard ``_()``, ``gettext``
and ``{% trans %}`` of Jinja's i18n extension, and a user's own ``.mo`` catalog can be
merged in with ``Translations.merge``.

Legal texts are message ids too: the English notes the tax engine writes
(``o2c.tax`` rules, the bundled tax tables) are translated here, so a German customer
reads "Steuerschuldnerschaft des Leistungsempfängers" and a Mexican one
"Inversión del sujeto pasivo".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from babel.core import Locale
from babel.support import Translations

from o2c.io._mail_catalogs import MAIL_CATALOGS

__all__ = ["LEGAL_TEXTS", "catalog_languages", "translations"]

_DIRECTIVE: Final = "Council Directive 2006/112/EC"

#: The legal notes of o2c's tax rules and bundled tables, as written on documents.
LEGAL_TEXTS: Final = (
    f"Reverse charge: VAT to be accounted for by the customer (Article 196, {_DIRECTIVE})",
    f"Intra-community supply of goods, exempt from VAT (Article 138, {_DIRECTIVE})",
    f"Export of goods outside the EU, exempt from VAT (Article 146, {_DIRECTIVE})",
    "Outside the scope of EU VAT: the place of supply is the customer's country "
    f"(Article 44, {_DIRECTIVE})",
    "Outside the scope of EU VAT: electronically supplied services are taxed where the "
    f"customer lives (Article 58, {_DIRECTIVE})",
    "Exportación: IVA a la tasa del 0 % (LIVA art. 29)",
    "Exento de IVA (LIVA arts. 9, 15 y 20)",
)
_RC, _IC, _EXPORT, _ART44, _ART58, _MX_EXPORT, _MX_EXEMPT = LEGAL_TEXTS

_EN: Final[dict[str, str]] = {
    "VAT id": "VAT ID",
    "credit_note": "credit note",
    "debit_note": "debit note",
    "write_off": "write-off",
    "allocation": "allocation",
    "unallocation": "allocation undone",
    _MX_EXPORT: "Export: VAT (IVA) at the 0 % rate (LIVA art. 29)",
    _MX_EXEMPT: "Exempt from VAT (IVA) (LIVA arts. 9, 15 and 20)",
}

_ES: Final[dict[str, str]] = {
    "Invoice": "Factura",
    "Credit note": "Nota de crédito",
    "Debit note": "Nota de débito",
    "Customer statement": "Estado de cuenta",
    "DRAFT": "BORRADOR",
    "VOID": "CANCELADA",
    "Number": "Folio",
    "Issue date": "Fecha de emisión",
    "Due date": "Fecha de vencimiento",
    "Service period": "Periodo",
    "Date of supply": "Fecha de la operación",
    "Bill to": "Cliente",
    "From": "Emisor",
    "Tax id": "Id. fiscal",
    "VAT id": "NIF-IVA",
    "Registration": "Registro",
    "PO number": "Orden de compra",
    "Payment terms": "Condiciones de pago",
    "Corrects": "Corrige",
    "{number} of {date}": "{number} del {date}",
    "Reason": "Motivo",
    "#": "#",
    "Item": "Concepto",
    "Description": "Descripción",
    "Qty": "Cant.",
    "Unit price": "Precio unitario",
    "Net": "Importe",
    "Tax": "Impuestos",
    "Withheld": "Retenciones",
    "Total": "Total",
    "Amount due": "Total a pagar",
    "Amount credited": "Importe acreditado",
    "Tax breakdown": "Desglose de impuestos",
    "Base": "Base",
    "Rate": "Tasa",
    "Payment": "Forma de pago",
    "Please pay {amount} by {date}.": "Le rogamos pagar {amount} a más tardar el {date}.",
    "Please pay {amount}.": "Le rogamos pagar {amount}.",
    "The amount will be offset against your open invoices or refunded.": (
        "El importe se compensará con sus facturas pendientes o se le reembolsará."
    ),
    "Payment reference": "Referencia de pago",
    "Bank": "Banco",
    "Account holder": "Titular",
    "IBAN": "IBAN",
    "CLABE": "CLABE",
    "BIC": "BIC",
    "Phone": "Tel.",
    "E-mail": "Correo",
    "Web": "Web",
    "Page": "Página",
    "of": "de",
    "Net {days} days": "{days} días netos",
    "Due on receipt": "Pago al recibir la factura",
    "End of month + {days} days": "Fin de mes + {days} días",
    "Day {days} of the following month": "Día {days} del mes siguiente",
    "Wrong price": "Precio incorrecto",
    "Wrong quantity": "Cantidad incorrecta",
    "Duplicate": "Duplicado",
    "Tax error": "Error de impuestos",
    "Goodwill": "Bonificación comercial",
    "Cancellation": "Cancelación",
    "Other": "Otro",
    "Statement period": "Periodo del estado de cuenta",
    "Statement date": "Fecha del estado",
    "Customer": "Cliente",
    "Date": "Fecha",
    "Movement": "Movimiento",
    "Reference": "Referencia",
    "Amount": "Importe",
    "Balance": "Saldo",
    "Opening balance": "Saldo inicial",
    "Closing balance": "Saldo final",
    "Open items": "Partidas abiertas",
    "Original": "Original",
    "Open": "Pendiente",
    "Disputed": "En disputa",
    "Extended to": "Prorrogado al",
    "Unapplied credit": "Saldo a favor sin aplicar",
    "Under dispute, not due until resolved": "En disputa, no exigible hasta su resolución",
    "invoice": "factura",
    "credit_note": "nota de crédito",
    "debit_note": "nota de débito",
    "payment": "pago",
    "refund": "reembolso",
    "write_off": "cancelación de saldo",
    "unallocation": "desaplicación",
    "reversal": "anulación",
    "void": "cancelación",
    "allocation": "aplicación",
    _RC: "Inversión del sujeto pasivo: el IVA lo liquida el destinatario "
    "(art. 196 de la Directiva 2006/112/CE)",
    _IC: "Entrega intracomunitaria de bienes exenta de IVA (art. 138 de la Directiva 2006/112/CE)",
    _EXPORT: "Exportación de bienes fuera de la UE exenta de IVA "
    "(art. 146 de la Directiva 2006/112/CE)",
    _ART44: "No sujeto al IVA de la UE: el lugar de prestación es el país del cliente "
    "(art. 44 de la Directiva 2006/112/CE)",
    _ART58: "No sujeto al IVA de la UE: los servicios electrónicos tributan donde reside el "
    "cliente (art. 58 de la Directiva 2006/112/CE)",
}

_ES_MX: Final[dict[str, str]] = {"Bank": "Banco"}

_DE: Final[dict[str, str]] = {
    "Invoice": "Rechnung",
    "Credit note": "Gutschrift",
    "Debit note": "Belastungsanzeige",
    "Customer statement": "Kontoauszug",
    "DRAFT": "ENTWURF",
    "VOID": "STORNIERT",
    "Number": "Rechnungsnummer",
    "Issue date": "Rechnungsdatum",
    "Due date": "Fällig am",
    "Service period": "Leistungszeitraum",
    "Date of supply": "Leistungsdatum",
    "Bill to": "Rechnungsempfänger",
    "From": "Rechnungssteller",
    "Tax id": "Steuernummer",
    "VAT id": "USt-IdNr.",
    "Registration": "Handelsregister",
    "PO number": "Bestellnummer",
    "Payment terms": "Zahlungsbedingungen",
    "Corrects": "Korrigiert",
    "{number} of {date}": "{number} vom {date}",
    "Reason": "Grund",
    "#": "Pos.",
    "Item": "Artikel",
    "Description": "Beschreibung",
    "Qty": "Menge",
    "Unit price": "Einzelpreis",
    "Net": "Netto",
    "Tax": "USt.",
    "Withheld": "Einbehalten",
    "Total": "Gesamt",
    "Amount due": "Zahlbetrag",
    "Amount credited": "Gutschriftsbetrag",
    "Tax breakdown": "Steueraufstellung",
    "Base": "Bemessungsgrundlage",
    "Rate": "Satz",
    "Payment": "Zahlung",
    "Please pay {amount} by {date}.": "Bitte überweisen Sie {amount} bis zum {date}.",
    "Please pay {amount}.": "Bitte überweisen Sie {amount}.",
    "The amount will be offset against your open invoices or refunded.": (
        "Der Betrag wird mit offenen Rechnungen verrechnet oder erstattet."
    ),
    "Payment reference": "Verwendungszweck",
    "Bank": "Bank",
    "Account holder": "Kontoinhaber",
    "IBAN": "IBAN",
    "CLABE": "CLABE",
    "BIC": "BIC",
    "Phone": "Tel.",
    "E-mail": "E-Mail",
    "Web": "Web",
    "Page": "Seite",
    "of": "von",
    "Net {days} days": "Zahlbar innerhalb von {days} Tagen netto",
    "Due on receipt": "Sofort fällig ohne Abzug",
    "End of month + {days} days": "Monatsende + {days} Tage",
    "Day {days} of the following month": "Am {days}. des Folgemonats",
    "Wrong price": "Falscher Preis",
    "Wrong quantity": "Falsche Menge",
    "Duplicate": "Doppelt berechnet",
    "Tax error": "Steuerfehler",
    "Goodwill": "Kulanz",
    "Cancellation": "Stornierung",
    "Other": "Sonstiges",
    "Statement period": "Zeitraum",
    "Statement date": "Stichtag",
    "Customer": "Kunde",
    "Date": "Datum",
    "Movement": "Buchung",
    "Reference": "Referenz",
    "Amount": "Betrag",
    "Balance": "Saldo",
    "Opening balance": "Anfangssaldo",
    "Closing balance": "Endsaldo",
    "Open items": "Offene Posten",
    "Original": "Ursprünglich",
    "Open": "Offen",
    "Disputed": "Strittig",
    "Extended to": "Gestundet bis",
    "Unapplied credit": "Nicht zugeordnetes Guthaben",
    "Under dispute, not due until resolved": "Strittig, bis zur Klärung nicht fällig",
    "invoice": "Rechnung",
    "credit_note": "Gutschrift",
    "debit_note": "Belastungsanzeige",
    "payment": "Zahlung",
    "refund": "Erstattung",
    "write_off": "Ausbuchung",
    "unallocation": "Zuordnung aufgehoben",
    "reversal": "Storno",
    "void": "Storno",
    "allocation": "Zuordnung",
    _RC: "Steuerschuldnerschaft des Leistungsempfängers (Art. 196 MwStSystRL, § 13b UStG)",
    _IC: "Steuerfreie innergemeinschaftliche Lieferung (Art. 138 MwStSystRL, § 4 Nr. 1b UStG)",
    _EXPORT: "Steuerfreie Ausfuhrlieferung (Art. 146 MwStSystRL, § 4 Nr. 1a UStG)",
    _ART44: "Nicht im Inland steuerbare Leistung: Leistungsort ist das Land des Kunden "
    "(Art. 44 MwStSystRL, § 3a Abs. 2 UStG)",
    _ART58: "Nicht im Inland steuerbar: elektronische Dienstleistungen werden am Wohnsitz "
    "des Kunden besteuert (Art. 58 MwStSystRL)",
    _MX_EXPORT: "Ausfuhr: mexikanische Umsatzsteuer (IVA) zum Satz von 0 % (LIVA Art. 29)",
    _MX_EXEMPT: "Von der mexikanischen Umsatzsteuer (IVA) befreit (LIVA Art. 9, 15 und 20)",
}

_FR: Final[dict[str, str]] = {
    "Invoice": "Facture",
    "Credit note": "Avoir",
    "Debit note": "Note de débit",
    "Customer statement": "Relevé de compte",
    "DRAFT": "BROUILLON",
    "VOID": "ANNULÉE",
    "Number": "Numéro",
    "Issue date": "Date d'émission",
    "Due date": "Échéance",
    "Service period": "Période",
    "Date of supply": "Date de la prestation",
    "Bill to": "Client",
    "From": "Émetteur",
    "Tax id": "Identifiant fiscal",
    "VAT id": "N° TVA",
    "Registration": "Immatriculation",
    "PO number": "Bon de commande",
    "Payment terms": "Conditions de paiement",
    "Corrects": "Corrige",
    "{number} of {date}": "{number} du {date}",
    "Reason": "Motif",
    "Item": "Article",
    "Qty": "Qté",
    "Unit price": "Prix unitaire",
    "Net": "HT",
    "Tax": "TVA",
    "Withheld": "Retenue",
    "Total": "TTC",
    "Amount due": "Net à payer",
    "Amount credited": "Montant crédité",
    "Tax breakdown": "Détail de la TVA",
    "Rate": "Taux",
    "Payment": "Paiement",
    "Please pay {amount} by {date}.": "Merci de régler {amount} au plus tard le {date}.",
    "Please pay {amount}.": "Merci de régler {amount}.",
    "Payment reference": "Référence de paiement",
    "Bank": "Banque",
    "Account holder": "Titulaire",
    "Phone": "Tél.",
    "Page": "Page",
    "of": "sur",
    "Net {days} days": "{days} jours net",
    "Due on receipt": "Payable à réception",
    "Date": "Date",
    "Balance": "Solde",
    "Opening balance": "Solde d'ouverture",
    "Closing balance": "Solde de clôture",
    "Open items": "Postes ouverts",
    "Amount": "Montant",
    "#": "N°",
    "Description": "Désignation",
    "Base": "Base HT",
    "The amount will be offset against your open invoices or refunded.": (
        "Le montant sera imputé sur vos factures ouvertes ou remboursé."
    ),
    "IBAN": "IBAN",
    "CLABE": "CLABE",
    "BIC": "BIC",
    "E-mail": "E-mail",
    "Web": "Web",
    "End of month + {days} days": "Fin de mois + {days} jours",
    "Day {days} of the following month": "Le {days} du mois suivant",
    "Wrong price": "Prix erroné",
    "Wrong quantity": "Quantité erronée",
    "Duplicate": "Doublon",
    "Tax error": "Erreur de TVA",
    "Goodwill": "Geste commercial",
    "Cancellation": "Annulation",
    "Other": "Autre",
    "Statement period": "Période du relevé",
    "Statement date": "Date du relevé",
    "Customer": "Client",
    "Movement": "Opération",
    "Reference": "Référence",
    "Original": "Montant initial",
    "Open": "Restant dû",
    "Disputed": "Contesté",
    "Extended to": "Reporté au",
    "Unapplied credit": "Avoir non imputé",
    "Under dispute, not due until resolved": "Contesté, non exigible jusqu'à sa résolution",
    "invoice": "facture",
    "credit_note": "avoir",
    "debit_note": "note de débit",
    "payment": "paiement",
    "refund": "remboursement",
    "write_off": "passage en perte",
    "reversal": "contre-passation",
    "void": "annulation",
    "allocation": "imputation",
    "unallocation": "imputation annulée",
    _RC: "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)",
    _IC: "Exonération de TVA, livraison intracommunautaire de biens "
    "(article 138 de la directive 2006/112/CE)",
    _EXPORT: "Exonération de TVA, exportation de biens hors de l'UE "
    "(article 146 de la directive 2006/112/CE)",
    _ART44: "Hors champ de la TVA de l'UE : le lieu de prestation est le pays du client "
    "(article 44 de la directive 2006/112/CE)",
    _ART58: "Hors champ de la TVA de l'UE : services fournis par voie électronique taxés au "
    "lieu du client (article 58 de la directive 2006/112/CE)",
    _MX_EXPORT: "Exportation : TVA mexicaine (IVA) au taux de 0 % (LIVA art. 29)",
    _MX_EXEMPT: "Exonéré de TVA mexicaine (IVA) (LIVA art. 9, 15 et 20)",
}

_CATALOGS: Final[Mapping[str, Mapping[str, str]]] = {
    name: {**messages, **MAIL_CATALOGS.get(name, {})}
    for name, messages in {"en": _EN, "es": _ES, "es_MX": _ES_MX, "de": _DE, "fr": _FR}.items()
}


def catalog_languages() -> tuple[str, ...]:
    """The languages with a catalog (``"de"``, ``"en"``, ``"es"``, ``"fr"``)."""
    return tuple(sorted(k for k in _CATALOGS if "_" not in k))


class _CatalogTranslations(Translations):
    """A :class:`babel.support.Translations` filled from a Python mapping, not a ``.mo``."""

    def __init__(self, messages: Mapping[str, str], locale: str) -> None:
        super().__init__(fp=None, domain="o2c")
        self._catalog: dict[Any, str] = dict(messages)
        self.plural = lambda n: int(n != 1)
        self.locale = locale


def translations(locale: Locale) -> Translations:
    """The translations of ``locale``: its own overrides, then its language, then English.

    Example:
        >>> from babel.core import Locale
        >>> translations(Locale.parse("de_DE")).gettext("Net {days} days").format(days=30)
        'Zahlbar innerhalb von 30 Tagen netto'
        >>> translations(Locale.parse("es_MX")).gettext("Tax id")
        'Id. fiscal'
        >>> translations(Locale.parse("ja_JP")).gettext("Invoice")
        'Invoice'
    """
    messages: dict[str, str] = dict(_CATALOGS["en"])
    messages.update(_CATALOGS.get(locale.language, {}))
    if locale.territory:
        messages.update(_CATALOGS.get(f"{locale.language}_{locale.territory}", {}))
    return _CatalogTranslations(messages, str(locale))
