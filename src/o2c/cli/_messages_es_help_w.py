"""Spanish help of ``o2c wallet`` (prepaid credits): command and option help.

Read by :mod:`o2c.cli._messages_es` (English paragraph, whitespace collapsed -> Spanish).
"""

from __future__ import annotations

from typing import Final

__all__ = ["HELP"]

HELP: Final[dict[str, str]] = {
    "Prepaid credits: top up a customer's wallet, draw it against invoices, expire it.": (
        "Créditos prepagados: recargue el monedero de un cliente, aplíquelo a facturas, "
        "hágalo vencer."
    ),
    "Apply CUSTOMER's wallet credit to INVOICE, granted credit first.": (
        "Aplica el crédito del monedero de CUSTOMER a INVOICE, primero el crédito otorgado."
    ),
    "At most what the invoice has open is taken, from granted lots, then the earliest "
    "expiry, then the oldest lot; the rest of the invoice stays open.": (
        "Se toma como máximo lo que la factura tiene pendiente: de los lotes otorgados, luego "
        "del vencimiento más próximo, luego del lote más antiguo; el resto de la factura queda "
        "pendiente."
    ),
    "Day of the draw (default: today).": "Día de la aplicación (por omisión: hoy).",
    "Expire what is left on lots past their last day: breakage for paid credit.": (
        "Hace vencer lo que queda en los lotes pasado su último día: ingreso por crédito no "
        "utilizado (breakage) para el crédito pagado."
    ),
    "Expired paid credit is posted to breakage revenue; expired granted credit reverses its "
    "promotional expense.": (
        "El crédito pagado vencido se registra como ingreso por crédito no utilizado; el "
        "crédito otorgado vencido revierte su gasto promocional."
    ),
    "Expire lots whose last day is before it (today).": (
        "Hace vencer los lotes cuyo último día es anterior a esta fecha (hoy)."
    ),
    "Only this customer's lots.": "Solo los lotes de este cliente.",
    "List every top-up, draw and expiry of CUSTOMER's wallet, by date.": (
        "Lista cada recarga, aplicación y vencimiento del monedero de CUSTOMER, por fecha."
    ),
    "Show CUSTOMER's wallet: every lot in drawdown order, with what remains.": (
        "Muestra el monedero de CUSTOMER: cada lote en orden de consumo, con lo que queda."
    ),
    "The wallet on this date (default: today).": "El monedero a esta fecha (por omisión: hoy).",
    "Put AMOUNT of prepaid credit in CUSTOMER's wallet as a new lot.": (
        "Pone AMOUNT de crédito prepagado en el monedero de CUSTOMER como un lote nuevo."
    ),
    "Paid credit is bought with cash received for it, or out of a payment's unapplied "
    "credit with --payment; granted credit is free and booked as a promotional expense.": (
        "El crédito pagado se compra con efectivo recibido por él, o con el saldo sin aplicar "
        "de un pago con --payment; el crédito otorgado es gratuito y se registra como gasto "
        "promocional."
    ),
    "Paid credit (bought) or granted credit (free, promotional).": (
        "Crédito pagado (comprado) u otorgado (gratuito, promocional)."
    ),
    "Last day the credit can be used (default: never).": (
        "Último día en que se puede usar el crédito (por omisión: nunca vence)."
    ),
    "Buy the credit out of this payment.": "Compra el crédito con este pago.",
    "Day of the top-up (default: today).": "Día de la recarga (por omisión: hoy).",
}
