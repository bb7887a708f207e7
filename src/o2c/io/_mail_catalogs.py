"""Message catalogs of what o2c sends: the e-mail of a document and the dunning letters.

English message id -> translation, per language and per-locale override, merged into the
document catalogs of :mod:`o2c.io._catalogs` (one catalog per locale, the same
``translations(locale)``). The letter texts are the English of
:func:`o2c.dunning.render_letter`, which takes the ``gettext`` of the customer's locale.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAIL_CATALOGS"]

_EN: Final[dict[str, str]] = {}

_ES: Final[dict[str, str]] = {
    # the e-mail of a document
    "{title} {number} from {seller}": "{title} {number} de {seller}",
    "{title} {number}": "{title} {number}",
    "Dear {name},": "Estimado/a {name}:",
    "Please find attached invoice {number} of {date}.": (
        "Adjunto le enviamos la factura {number} del {date}."
    ),
    "Please find attached credit note {number} of {date}.": (
        "Adjunto le enviamos la nota de crédito {number} del {date}."
    ),
    "Please find attached debit note {number} of {date}.": (
        "Adjunto le enviamos la nota de débito {number} del {date}."
    ),
    "The e-invoice (UBL XML) is attached as well.": (
        "También adjuntamos la factura electrónica (UBL XML)."
    ),
    "Kind regards,": "Saludos cordiales,",
    # dunning letters
    "This is a friendly reminder that the following items are past due.": (
        "Le recordamos amablemente que las siguientes partidas están vencidas."
    ),
    "Our records show the following items are still open and past due.": (
        "Según nuestros registros, las siguientes partidas siguen abiertas y vencidas."
    ),
    "FINAL NOTICE: the following items remain unpaid despite our earlier reminders.": (
        "ÚLTIMO AVISO: las siguientes partidas siguen sin pagarse pese a nuestros "
        "recordatorios anteriores."
    ),
    "Your account is on credit hold until the following past-due items are paid.": (
        "Su crédito queda suspendido hasta que se paguen las siguientes partidas vencidas."
    ),
    "due {date}": "vencimiento {date}",
    "{days} days past due": "{days} días de atraso",
    "open {amount}": "pendiente {amount}",
    "disputed {amount}": "en disputa {amount}",
    "due now {amount}": "a pagar {amount}",
    "Total due now: {amount}": "Total a pagar: {amount}",
    "If you have already paid, please disregard this letter.": (
        "Si ya realizó el pago, por favor ignore esta carta."
    ),
    "Payment reminder": "Recordatorio de pago",
    "Past-due items": "Partidas vencidas",
    "Final notice": "Último aviso de pago",
    "Credit hold": "Suspensión de crédito",
    "{subject} from {seller}": "{subject} de {seller}",
}

_ES_MX: Final[dict[str, str]] = {"Dear {name},": "Apreciable {name}:"}

_DE: Final[dict[str, str]] = {
    "{title} {number} from {seller}": "{title} {number} von {seller}",
    "{title} {number}": "{title} {number}",
    "Dear {name},": "Sehr geehrte Damen und Herren,",
    "Please find attached invoice {number} of {date}.": (
        "anbei erhalten Sie die Rechnung {number} vom {date}."
    ),
    "Please find attached credit note {number} of {date}.": (
        "anbei erhalten Sie die Gutschrift {number} vom {date}."
    ),
    "Please find attached debit note {number} of {date}.": (
        "anbei erhalten Sie die Belastungsanzeige {number} vom {date}."
    ),
    "The e-invoice (UBL XML) is attached as well.": "Die E-Rechnung (UBL XML) liegt ebenfalls bei.",
    "Kind regards,": "Mit freundlichen Grüßen",
    "This is a friendly reminder that the following items are past due.": (
        "wir möchten Sie freundlich daran erinnern, dass die folgenden Posten überfällig sind."
    ),
    "Our records show the following items are still open and past due.": (
        "laut unserer Buchhaltung sind die folgenden Posten weiterhin offen und überfällig."
    ),
    "FINAL NOTICE: the following items remain unpaid despite our earlier reminders.": (
        "LETZTE MAHNUNG: Die folgenden Posten sind trotz unserer Erinnerungen weiterhin unbezahlt."
    ),
    "Your account is on credit hold until the following past-due items are paid.": (
        "Ihr Kundenkonto ist gesperrt, bis die folgenden überfälligen Posten bezahlt sind."
    ),
    "due {date}": "fällig {date}",
    "{days} days past due": "{days} Tage überfällig",
    "open {amount}": "offen {amount}",
    "disputed {amount}": "strittig {amount}",
    "due now {amount}": "jetzt fällig {amount}",
    "Total due now: {amount}": "Insgesamt jetzt fällig: {amount}",
    "If you have already paid, please disregard this letter.": (
        "Sollten Sie bereits gezahlt haben, betrachten Sie dieses Schreiben bitte als "
        "gegenstandslos."
    ),
    "Payment reminder": "Zahlungserinnerung",
    "Past-due items": "Überfällige Posten",
    "Final notice": "Letzte Mahnung",
    "Credit hold": "Sperre Ihres Kundenkontos",
    "{subject} from {seller}": "{subject} von {seller}",
}

_FR: Final[dict[str, str]] = {
    "{title} {number} from {seller}": "{title} {number} de {seller}",
    "{title} {number}": "{title} {number}",
    "Dear {name},": "Madame, Monsieur,",
    "Please find attached invoice {number} of {date}.": (
        "Veuillez trouver ci-joint la facture {number} du {date}."
    ),
    "Please find attached credit note {number} of {date}.": (
        "Veuillez trouver ci-joint l'avoir {number} du {date}."
    ),
    "Please find attached debit note {number} of {date}.": (
        "Veuillez trouver ci-joint la note de débit {number} du {date}."
    ),
    "The e-invoice (UBL XML) is attached as well.": (
        "La facture électronique (UBL XML) est également jointe."
    ),
    "Kind regards,": "Cordialement,",
    "This is a friendly reminder that the following items are past due.": (
        "Nous vous rappelons que les éléments suivants sont échus."
    ),
    "Our records show the following items are still open and past due.": (
        "Selon nos registres, les éléments suivants restent ouverts et échus."
    ),
    "FINAL NOTICE: the following items remain unpaid despite our earlier reminders.": (
        "DERNIER AVIS : les éléments suivants restent impayés malgré nos relances."
    ),
    "Your account is on credit hold until the following past-due items are paid.": (
        "Votre compte est bloqué jusqu'au paiement des éléments échus suivants."
    ),
    "due {date}": "échéance {date}",
    "{days} days past due": "{days} jours de retard",
    "open {amount}": "restant {amount}",
    "disputed {amount}": "contesté {amount}",
    "due now {amount}": "à payer {amount}",
    "Total due now: {amount}": "Total à payer : {amount}",
    "If you have already paid, please disregard this letter.": (
        "Si vous avez déjà payé, merci de ne pas tenir compte de ce courrier."
    ),
    "Payment reminder": "Rappel de paiement",
    "Past-due items": "Éléments échus",
    "Final notice": "Dernier avis",
    "Credit hold": "Blocage de votre compte",
    "{subject} from {seller}": "{subject} de {seller}",
}

#: Per catalog name of :mod:`o2c.io._catalogs` (``es``, ``es_MX``...), the mail messages.
MAIL_CATALOGS: Final = {"en": _EN, "es": _ES, "es_MX": _ES_MX, "de": _DE, "fr": _FR}
