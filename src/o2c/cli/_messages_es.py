"""The Spanish catalog of the CLI: English message id -> Spanish (read by :mod:`o2c.cli._i18n`).

``MESSAGES`` holds exact texts: help (one paragraph per entry, whitespace collapsed),
headings, table titles, outcome lines, prompts. ``ERRORS`` holds error templates whose
``{name}`` placeholders stand for the values in a message (ids, amounts, dates); a
template's translation uses the same placeholders. ``TERRITORIES`` overrides a few words
per country: in Mexico an invoice is *cancelada*, in Spain *anulada*.

``tests/cli/test_i18n.py`` checks that every entry is still used by the CLI and that a
translation keeps its message's placeholders.
"""

from __future__ import annotations

from typing import Final

from o2c.cli import (
    _messages_es_help_a,
    _messages_es_help_d,
    _messages_es_help_n,
    _messages_es_help_w,
)

__all__ = ["ERRORS", "MESSAGES", "TERRITORIES"]

_HELP: Final[dict[str, str]] = {
    # click's own texts
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Comandos",
    "Show this message and exit.": "Muestra este mensaje y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "required": "obligatorio",
    "default: {value}": "por omisión: {value}",
    "env var: {value}": "variable de entorno: {value}",
    "Try '{command} {option}' for help.": "Pruebe '{command} {option}' para ver la ayuda.",
    "Error: {message}": "Error: {message}",
    # o2c
    "o2c: order-to-cash billing from the shell.": (
        "o2c: facturación y cobranza (order-to-cash) desde la terminal."
    ),
    "Price contracts, usage and time; run bills; issue invoices, credit and debit notes; "
    "record payments; handle refunds, write-offs, disputes and approvals; read aging, "
    "statements and KPIs. Start with `o2c demo --book demo.db`.": (
        "Tarifique contratos, consumo y tiempo; ejecute la facturación; emita facturas y "
        "notas de crédito y de débito; registre pagos; gestione reembolsos, castigos, "
        "disputas y aprobaciones; consulte antigüedad de saldos, estados de cuenta e "
        "indicadores. Empiece con `o2c demo --book demo.db`."
    ),
    "The book: a SQLite file or a postgresql:// URL (env O2C_BOOK).": (
        "El libro: un archivo SQLite o una URL postgresql:// (variable O2C_BOOK)."
    ),
    "Who acts, for approvals and the audit trail (env O2C_ACTOR; default: OS user; on "
    "PostgreSQL always the database user).": (
        "Quién actúa, para aprobaciones y la bitácora de auditoría (variable O2C_ACTOR; por "
        "omisión: el usuario del sistema; en PostgreSQL siempre el usuario de la base)."
    ),
    "Output: a table for people, JSON (amounts as strings), CSV or XLSX (with -o FILE).": (
        "Salida: una tabla para personas, JSON (importes como texto), CSV o XLSX (con -o FILE)."
    ),
    "Show the traceback of an error.": "Muestra la traza de un error.",
    "Output: table, json, csv or xlsx (same as the global --format).": (
        "Salida: table, json, csv o xlsx (igual que el --format global)."
    ),
    "Write the result to FILE instead of stdout (needed for xlsx).": (
        "Escribe el resultado en FILE en lugar de la salida estándar (necesario para xlsx)."
    ),
    "Replace the --output file if it exists.": "Reemplaza el archivo de --output si existe.",
    "Start CSV with a UTF-8 byte order mark, for Excel on Windows (env O2C_CSV_BOM=1 makes "
    "it your default).": (
        "Empieza el CSV con la marca de orden de bytes UTF-8, para Excel en Windows "
        "(O2C_CSV_BOM=1 la activa por omisión)."
    ),
    "Run at most once per KEY: a retry with the same key changes nothing.": (
        "Se ejecuta una sola vez por KEY: repetir con la misma clave no cambia nada."
    ),
    # the top-level commands (o2c --help)
    "Approvals: policies and roles, held commands, approve or reject (four eyes).": (
        "Aprobaciones: políticas y roles, comandos retenidos, aprobar o rechazar (cuatro ojos)."
    ),
    "Read the audit trail and check that nobody tampered with it.": (
        "Lea la bitácora de auditoría y compruebe que nadie la alteró."
    ),
    "Run the bill for a period; look at what could not be billed.": (
        "Facture un periodo; revise lo que no se pudo facturar."
    ),
    "Add, list, show and amend contracts.": "Alta, lista, consulta y modificación de contratos.",
    "Credit an issued invoice (never more than was invoiced).": (
        "Acredite una factura emitida (nunca más de lo facturado)."
    ),
    "Add, import, list, show and edit customers.": (
        "Alta, importación, lista, consulta y edición de clientes."
    ),
    "Charge more on an issued invoice.": "Cargue más sobre una factura emitida.",
    "Build a realistic demo book and show its invoices, aging and KPIs.": (
        "Cree un libro de demostración y muestre sus facturas, antigüedad e indicadores."
    ),
    "Disputes: open on an invoice, investigate, escalate, resolve within the SLA.": (
        "Disputas: abrir sobre una factura, investigar, escalar, resolver dentro del SLA."
    ),
    "Collections: dunning policies, the daily run (with a preview) and its letters.": (
        "Cobranza: políticas de recordatorio, la corrida diaria (con vista previa) y sus cartas."
    ),
    "Export TABLE of the book as CSV (the default), JSON or XLSX (--format, -o FILE).": (
        "Exporte TABLE del libro como CSV (por omisión), JSON o XLSX (--format, -o FILE)."
    ),
    "Payment extensions: move an invoice's due date (approval past the policy limit).": (
        "Prórrogas de pago: mueva el vencimiento de una factura (con aprobación sobre el límite)."
    ),
    "Create the book named by --book, or migrate an existing one.": (
        "Cree el libro indicado por --book, o actualice uno existente."
    ),
    "List, show, explain, issue, void and render invoices (and other documents).": (
        "Liste, consulte, explique, emita, anule y genere facturas (y otros documentos)."
    ),
    "Interaction notes: who said what, on which channel, how long, was it solved.": (
        "Notas de contacto: quién dijo qué, por qué canal, cuánto duró, si se resolvió."
    ),
    "Record one-time sales orders; the bill run invoices them once.": (
        "Registre pedidos únicos; la facturación los factura una sola vez."
    ),
    "Record payments received and apply them to invoices.": (
        "Registre pagos recibidos y aplíquelos a facturas."
    ),
    "Close accounting months (no posting may be dated in a closed month).": (
        "Cierre meses contables (ningún asiento puede fecharse en un mes cerrado)."
    ),
    "Price QUANTITY of ITEM from a rate card and explain the price (before tax).": (
        "Cotice QUANTITY de ITEM con una tarifa y explique el precio (antes de impuestos)."
    ),
    "Import and read rate cards (TOML price books, effective-dated).": (
        "Importe y consulte tarifas (listas de precios TOML con vigencia)."
    ),
    "Pay customer credit back.": "Devuelva saldo a favor al cliente.",
    "Aging, statements, trial balance, reconciliation and KPIs.": (
        "Antigüedad de saldos, estados de cuenta, balanza, conciliación e indicadores."
    ),
    "Re-rate issued invoices dated --from..--to with the current rates and tax tables.": (
        "Vuelva a tarifar las facturas emitidas de --from a --to con las tarifas e impuestos "
        "vigentes."
    ),
    "Set and show the seller: the legal identity printed on every document.": (
        "Defina y consulte el emisor: la identidad legal impresa en cada documento."
    ),
    "Number series: the pattern each kind of document is numbered with.": (
        "Series de folios: el patrón con que se numera cada tipo de documento."
    ),
    "Import tax rate tables and choose the one the book bills with.": (
        "Importe tablas de tasas de impuestos y elija la que usa el libro."
    ),
    "Import time entries for time-and-materials billing.": (
        "Importe registros de tiempo para facturar por tiempo y materiales."
    ),
    "Import metered usage (records with an id are never billed twice).": (
        "Importe consumo medido (un registro con id nunca se factura dos veces)."
    ),
    "Write off what a customer will not pay.": "Castigue lo que un cliente no pagará.",
    # o2c invoice
    "List invoices, credit notes and debit notes in creation order.": (
        "Lista facturas, notas de crédito y notas de débito en orden de creación."
    ),
    "Only this customer's documents.": "Solo los documentos de este cliente.",
    "Only this kind (default: every kind).": "Solo este tipo (por omisión: todos).",
    "Only this status.": "Solo este estado.",
    "Only documents of this bill run.": "Solo documentos de esta corrida de facturación.",
    "At most this many.": "Como máximo esta cantidad.",
    "Show DOCUMENT (a number such as INV-2026-000001, or a draft's id).": (
        "Muestra DOCUMENT (un folio como INV-2026-000001, o el id de un borrador)."
    ),
    "Issue draft DOCUMENT: number it and post it to the ledger.": (
        "Emite el borrador DOCUMENT: le asigna folio y lo contabiliza."
    ),
    "Issue date (default: today).": "Fecha de emisión (por omisión: hoy).",
    "Void issued DOCUMENT that nothing paid or credited (it keeps its number).": (
        "Anula el documento emitido DOCUMENT que nada pagó ni acreditó (conserva su folio)."
    ),
    "Why it is voided (kept in the audit trail).": (
        "Por qué se anula (queda en la bitácora de auditoría)."
    ),
    "Date of the reversal (default: today).": "Fecha de la reversión (por omisión: hoy).",
    # o2c bill run
    "Bill every active contract for --period: recurring, usage, time, orders.": (
        "Factura cada contrato activo de --period: cargos recurrentes, consumo, tiempo, pedidos."
    ),
    "A run is idempotent: what was billed for the period before is skipped. Candidates "
    "that fail validation go to the exceptions queue (`o2c bill exceptions`) and the run "
    "goes on.": (
        "Una corrida es idempotente: lo ya facturado en el periodo se omite. Lo que no pasa "
        "la validación va a la cola de excepciones (`o2c bill exceptions`) y la corrida sigue."
    ),
    "The period to bill, e.g. 2026-10.": "El periodo a facturar, p. ej. 2026-10.",
    "Usage and time after this date go to the next run (default: the period's end).": (
        "El consumo y el tiempo posteriores a esta fecha van a la siguiente corrida (por "
        "omisión: el fin del periodo)."
    ),
    "Date of the invoices (default: the cut-off date, i.e. the period's last day).": (
        "Fecha de las facturas (por omisión: la fecha de corte, el último día del periodo)."
    ),
    "Show what would be billed; write nothing.": "Muestra qué se facturaría; no escribe nada.",
    "Issue the invoices (default: leave drafts).": (
        "Emite las facturas (por omisión: las deja como borradores)."
    ),
    # o2c payment
    "Record money received from a customer (kept as unapplied cash unless --apply).": (
        "Registra dinero recibido de un cliente (queda como saldo no aplicado salvo con --apply)."
    ),
    "Who paid.": "Quién pagó.",
    "Amount received, e.g. '1160 MXN' (a bare 1160 is in the customer's currency).": (
        "Importe recibido, p. ej. '1160 MXN' (1160 a secas es en la moneda del cliente)."
    ),
    "Value date (default: today).": "Fecha valor (por omisión: hoy).",
    "Bank reference or remittance text.": "Referencia bancaria o concepto del pago.",
    "Payment id (default: next number).": "Id del pago (por omisión: el siguiente número).",
    "Apply it to open items, oldest first.": (
        "Aplicarlo a partidas abiertas, la más antigua primero."
    ),
    "List payments received, in id order (--from and --to included).": (
        "Lista los pagos recibidos, por id (--from y --to incluidos)."
    ),
    "Only payments received on or after this day.": "Solo pagos recibidos desde este día.",
    "Only payments received on or before this day.": (
        "Solo pagos recibidos hasta este día (incluido)."
    ),
    "Only documents issued on or after this day.": "Solo documentos emitidos desde este día.",
    "Only documents issued on or before this day.": (
        "Solo documentos emitidos hasta este día (incluido)."
    ),
    "Only this customer's payments.": "Solo los pagos de este cliente.",
    "Do it without asking (needed when o2c cannot ask: no terminal; env O2C_YES=1).": (
        "Hacerlo sin preguntar (necesario cuando o2c no puede preguntar: sin terminal; "
        "variable O2C_YES=1)."
    ),
    "--from and --to take issue dates, both included (drafts have none yet). A long list "
    "streams out as CSV or JSON; page it with --limit N and --after LAST.": (
        "--from y --to son fechas de emisión, ambas incluidas (los borradores aún no "
        "tienen). Una lista larga sale por partes en CSV o JSON; pagínela con --limit N y "
        "--after ÚLTIMO."
    ),
    "Only documents created after DOC (a number or id): the last of a page, for the next.": (
        "Solo documentos creados después de DOC (folio o id): el último de una página, "
        "para la siguiente."
    ),
    "Only payments after this id (the last of a page).": (
        "Solo pagos posteriores a este id (el último de una página)."
    ),
    "Only refunds paid on or after this day.": "Solo reembolsos pagados desde este día.",
    "Only refunds paid on or before this day.": (
        "Solo reembolsos pagados hasta este día (incluido)."
    ),
    "Only this customer's write-offs.": "Solo los castigos de este cliente.",
    "Only write-offs posted on or after this day.": "Solo castigos contabilizados desde este día.",
    "Only write-offs posted on or before this day.": (
        "Solo castigos contabilizados hasta este día (incluido)."
    ),
    "List write-offs posted, by id, naming each invoice by its number.": (
        "Lista los castigos contabilizados, por id, con el folio de cada factura."
    ),
    "It asks first (--yes answers for a script).": (
        "Pregunta antes (--yes responde por un script)."
    ),
    # o2c period, o2c init
    "Close MONTH (e.g. 2026-10); later corrections post in the next open month.": (
        "Cierra MONTH (p. ej. 2026-10); las correcciones posteriores se contabilizan en el "
        "siguiente mes abierto."
    ),
    "List months that were ever closed or reopened (all others are open).": (
        "Lista los meses que alguna vez se cerraron o reabrieron (los demás están abiertos)."
    ),
}

_OUTCOMES: Final[dict[str, str]] = {
    "Issued {number}": "Emitida {number}",
    "Voided {number}": "Anulada {number}",
    "Bill run {period}": "Facturación {period}",
    "Exceptions (fix them, then run again)": "Excepciones (corríjalas y vuelva a ejecutar)",
    "Pending (a later run bills them)": "Pendiente (una corrida posterior lo factura)",
    "invoices are drafts: check them with `o2c invoice list`, then issue them": (
        "las facturas son borradores: revíselas con `o2c invoice list` y luego emítalas"
    ),
    "Payment {id} recorded": "Pago {id} registrado",
    "Wrote off {amount} on {document} (within the write-off tolerance)": (
        "Se castigaron {amount} de {document} (dentro de la tolerancia de castigo)"
    ),
    "another person approves it with `o2c approval approve {id}`": (
        "otra persona lo aprueba con `o2c approval approve {id}`"
    ),
    "Book ready": "Libro listo",
    # confirmations
    "not confirmed: {question} (o2c cannot ask without a terminal; pass --yes to confirm)": (
        "sin confirmar: {question} (o2c no puede preguntar sin una terminal; use --yes para "
        "confirmar)"
    ),
    "Void {number} of {customer} ({amount})? This cannot be undone.": (
        "¿Anular {number} de {customer} ({amount})? No se puede deshacer."
    ),
    "Close {month}? Nothing can be posted on its days afterwards.": (
        "¿Cerrar {month}? Después no se puede contabilizar en sus días."
    ),
    "Write off {amount} of {document} as bad debt?": (
        "¿Castigar {amount} de {document} como cuenta incobrable?"
    ),
    "all that is open": "todo lo abierto",
    "no default approval limits: give --currency (or --seller-country); set them with "
    "`o2c approval policy --set approval.refund.USD='500.00 lead'`": (
        "sin límites de aprobación por omisión: indique --currency (o --seller-country); "
        "fíjelos con `o2c approval policy --set approval.refund.USD='500.00 lead'`"
    ),
    "no default approval limits for {currency}: set them with `o2c approval policy --set`": (
        "sin límites de aprobación por omisión para {currency}: fíjelos con "
        "`o2c approval policy --set`"
    ),
    "change the approval limits with `o2c approval policy --set KEY=VALUE`": (
        "cambie los límites de aprobación con `o2c approval policy --set CLAVE=VALOR`"
    ),
    "Send {count} dunning notice(s) as of {date}?": (
        "¿Enviar {count} aviso(s) de cobranza al {date}?"
    ),
    "wrote {path}": "se escribió {path}",
    "yes": "sí",
    "no": "no",
    "(none)": "(ninguno)",
}

#: Table headings: the field names of a table, for people (JSON and CSV keep the names).
_COLUMNS: Final[dict[str, str]] = {
    "number": "folio",
    "customer": "cliente",
    "kind": "tipo",
    "status": "estado",
    "date": "fecha",
    "issue_date": "emisión",
    "due_date": "vencimiento",
    "total": "total",
    "amount": "importe",
    "currency": "moneda",
    "method": "forma",
    "reference": "referencia",
    "balance": "saldo",
    "period": "periodo",
    "contract": "contrato",
    "code": "código",
    "message": "mensaje",
    "reason": "motivo",
    "changed_by": "cambiado_por",
    "changed_at": "cambiado_el",
    "name": "nombre",
    "open": "abierto",
    "payable": "a_pagar",
    "book": "libro",
    "schema_version": "versión_del_esquema",
    "timezone": "zona_horaria",
    "seller": "emisor",
    "approval": "aprobación",
    "action": "acción",
    "above": "más_de",
    "per": "por",
    "approver": "aprueba",
}

#: The service desk (issue 22): ``o2c inquiry`` and ``o2c report service-desk``.
_SERVICE_DESK: Final[dict[str, str]] = {
    "The service desk: customers' questions from opening to close, with SLAs and CSAT.": (
        "La mesa de servicio: las consultas de los clientes de principio a fin, con SLA y CSAT."
    ),
    "Open an inquiry of CUSTOMER; its SLA due times count business hours.": (
        "Abre una consulta de CUSTOMER; sus plazos de SLA cuentan horas hábiles."
    ),
    "List inquiries in the order they were opened.": (
        "Lista las consultas en el orden en que se abrieron."
    ),
    "Show INQUIRY_ID with its contacts, links and CSAT answer.": (
        "Muestra INQUIRY_ID con sus contactos, vínculos y respuesta CSAT."
    ),
    "Record a contact on INQUIRY_ID (the first one is the first response).": (
        "Registra un contacto en INQUIRY_ID (el primero es la primera respuesta)."
    ),
    "Give INQUIRY_ID to AGENT.": "Asigna INQUIRY_ID a AGENT.",
    "Resolve INQUIRY_ID with its root cause (and, for a defect, what it affected).": (
        "Resuelve INQUIRY_ID con su causa raíz (y, si es un defecto, lo que afectó)."
    ),
    "Reopen resolved INQUIRY_ID.": "Reabre la consulta resuelta INQUIRY_ID.",
    "Close resolved INQUIRY_ID (final: it can no longer be reopened).": (
        "Cierra la consulta resuelta INQUIRY_ID (definitivo: ya no se puede reabrir)."
    ),
    "Record the customer's CSAT SCORE (1-5) for resolved INQUIRY_ID.": (
        "Registra la calificación CSAT SCORE (1-5) del cliente para la consulta resuelta "
        "INQUIRY_ID."
    ),
    "The desk's KPIs over inquiries opened --from..--to (hours are business hours).": (
        "Los KPI de la mesa sobre las consultas abiertas entre --from y --to (en horas hábiles)."
    ),
    "Resolved inquiries per month and root cause, with the documents each defect hit.": (
        "Consultas resueltas por mes y causa raíz, con los documentos que afectó cada defecto."
    ),
    "Every customer's invoice the billing defect of INQUIRY_ID affected (a dry run).": (
        "Todas las facturas, de cualquier cliente, que afectó el defecto de INQUIRY_ID "
        "(simulación)."
    ),
    "Audit the quality of contact NOTE of INQUIRY_ID (not your own).": (
        "Audita la calidad del contacto NOTE de INQUIRY_ID (no uno propio)."
    ),
    "Request a credit note from INQUIRY_ID (held for approval above the limit).": (
        "Solicita una nota de crédito desde INQUIRY_ID (espera aprobación sobre el límite)."
    ),
    "Open a dispute from INQUIRY_ID, linked both ways.": (
        "Abre una disputa desde INQUIRY_ID, vinculadas en ambos sentidos."
    ),
    "Escalate every active inquiry past a response or resolution due time.": (
        "Escala toda consulta activa que pasó su plazo de respuesta o de resolución."
    ),
    "Grant (or request) a payment extension to NEW_DUE from INQUIRY_ID.": (
        "Otorga (o solicita) una prórroga de pago hasta NEW_DUE desde INQUIRY_ID."
    ),
    "Request a refund of AMOUNT of customer credit SOURCE from INQUIRY_ID.": (
        "Solicita un reembolso de AMOUNT del saldo a favor SOURCE desde INQUIRY_ID."
    ),
    "Show or change the desk's hours and SLA targets (servicedesk.* keys).": (
        "Muestra o cambia el horario de la mesa y sus objetivos de SLA (claves servicedesk.*)."
    ),
    "Inquiry {id} opened": "Consulta {id} abierta",
    "Inquiry {id}": "Consulta {id}",
    "Inquiry {id} is {status}": "Consulta {id}: estado {status}",
    "Inquiry {id} assigned to {agent}": "Consulta {id} asignada a {agent}",
    "Inquiry {id} resolved": "Consulta {id} resuelta",
    "Inquiry {id} reopened": "Consulta {id} reabierta",
    "Inquiry {id} closed": "Consulta {id} cerrada",
    "Contacts": "Contactos",
    "Links": "Vínculos",
    "CSAT recorded": "CSAT registrado",
    "Service desk {start} to {end}": "Mesa de servicio del {start} al {end}",
    "give --dispute or --invoice, not both": "indique --dispute o --invoice, no ambos",
    "give --ended or --minutes, not both": "indique --ended o --minutes, no ambos",
    "--channel, --started, --ended and --minutes need --contact": (
        "--channel, --started, --ended y --minutes requieren --contact"
    ),
    "{text} is not KEY=VALUE": "{text} no tiene la forma CLAVE=VALOR",
    "give the amount with its currency, e.g. 10.00 USD": (
        "indique el importe con su moneda, p. ej. 10.00 USD"
    ),
}

#: ``o2c cfdi`` (issue 17): help and outcome lines; in Mexico, "timbrar" is what a PAC does.
_CFDI: Final[dict[str, str]] = {
    "Mexico's CFDI 4.0: SAT master data, seal, stamp through a PAC, cancel.": (
        "CFDI 4.0 de México: datos del SAT, sellado, timbrado con un PAC, cancelación."
    ),
    "Needs the mx extra: pip install 'o2c[mx]'.": "Requiere el extra mx: pip install 'o2c[mx]'.",
    "CFDI needs the mx extra: pip install 'o2c[mx]'": (
        "El CFDI requiere el extra mx: pip install 'o2c[mx]'"
    ),
    "A customer's CFDI data: regime, tax postal code, CFDI use, payment method.": (
        "Datos CFDI de un cliente: régimen, código postal fiscal, uso del CFDI, método de pago."
    ),
    "An item's SAT keys: ClaveProdServ, ClaveUnidad, ObjetoImp.": (
        "Claves SAT de un artículo: ClaveProdServ, ClaveUnidad, ObjetoImp."
    ),
    "The issuer's CFDI data: regime and expedition postal code.": (
        "Datos CFDI del emisor: régimen y código postal del lugar de expedición."
    ),
    "Seal issued DOCUMENT, have the PAC stamp it and record its UUID.": (
        "Sella el DOCUMENT emitido, lo hace timbrar por el PAC y registra su UUID."
    ),
    "List the CFDIs stamped for DOCUMENT (cancelled ones too).": (
        "Lista los CFDI timbrados de DOCUMENT (también los cancelados)."
    ),
    "CFDI data of {customer} set": "Datos CFDI de {customer} guardados",
    "SAT keys of {item} set": "Claves SAT de {item} guardadas",
    "CFDI data of the seller set": "Datos CFDI del emisor guardados",
    "CSD key password": "Contraseña de la llave del CSD",
    "Stamping": "Timbrando",
    "stamped {stamped}, already stamped {skipped}, refused {refused}": (
        "timbrados {stamped}, ya timbrados {skipped}, rechazados {refused}"
    ),
    "bill run {run} has no issued documents to stamp": (
        "la facturación {run} no tiene documentos emitidos que timbrar"
    ),
    "{customer} has no CFDI data: o2c cfdi customer set {customer} ...": (
        "{customer} no tiene datos CFDI: o2c cfdi customer set {customer} ..."
    ),
    "--run stamps many documents: -o writes one": (
        "--run timbra muchos documentos: -o escribe uno"
    ),
}

#: ``o2c fx`` and ``o2c period revalue`` (issue 19): help and outcome lines.
_FX: Final[dict[str, str]] = {
    "Exchange rates, the functional currency and multi-currency valuation.": (
        "Tipos de cambio, moneda funcional y valuación en varias monedas."
    ),
    "Set the book's functional CURRENCY (before posting in other currencies).": (
        "Fija CURRENCY como moneda funcional del libro (antes de contabilizar en otras monedas)."
    ),
    "Import rates from FILE; a file with any problem is refused whole.": (
        "Importa tipos de cambio de FILE; un archivo con cualquier problema se rechaza entero."
    ),
    "List stored rates by pair, type and date.": (
        "Lista los tipos de cambio guardados por par, tipo y fecha."
    ),
    "Show the rate converting PAIR on a day (direct, inverse or cross).": (
        "Muestra el tipo de cambio de PAIR en un día (directo, inverso o cruzado)."
    ),
    "Each account's balance in the functional currency (they sum to zero).": (
        "El saldo de cada cuenta en la moneda funcional (suman cero)."
    ),
    "AR by days past due in the functional currency (adds up to AR control).": (
        "Cartera por días de vencimiento en la moneda funcional (suma la cuenta de control)."
    ),
    "Revaluation {id} as of {day}": "Revaluación {id} al {day}",
    "expected a pair such as EUR/USD, got {value!r}": (
        "se esperaba un par como EUR/USD, se recibió {value!r}"
    ),
}

_COLLECTIONS: Final[dict[str, str]] = {
    # issue 20: promises to pay, credit limits, late fees, the worklist
    "Promises to pay: record one from a contact, see which were kept or broken.": (
        "Promesas de pago: registre una a partir de un contacto y vea cuáles se cumplieron."
    ),
    "List promises in the order they were taken, each judged on --as-of.": (
        "Lista las promesas en el orden en que se tomaron, cada una evaluada al --as-of."
    ),
    "Show promise PROMISE_ID: what was promised, what was paid, kept or broken.": (
        "Muestra la promesa PROMISE_ID: lo prometido, lo pagado, cumplida o incumplida."
    ),
    "Collections: the collector's worklist, a customer's credit against its limit.": (
        "Cobranza: la lista de trabajo del cobrador y el crédito de un cliente frente a su límite."
    ),
    "Show CUSTOMER's credit: limit, open, unapplied, exposure, headroom, credit hold.": (
        "Muestra el crédito de CUSTOMER: límite, abierto, sin aplicar, exposición, margen y"
        " bloqueo de crédito."
    ),
    "Late fees charged": "Recargos moratorios cobrados",
    "Late fees (nothing charged)": "Recargos moratorios (no se cobra nada)",
    "Not charged": "No se cobran",
    "Credit warnings (over the limit or on hold; see o2c collections worklist)": (
        "Avisos de crédito (sobre el límite o bloqueados; vea o2c collections worklist)"
    ),
}

#: Outcome lines and usage errors of the later commands (cfdi, init --team, revrec, usage).
_NOTES: Final[dict[str, str]] = {
    "'test' or MODULE:FACTORY (a callable returning a PAC adapter)": (
        "'test' o MODULE:FACTORY (una función que devuelve un adaptador de PAC)"
    ),
    "give a DOCUMENT or --run RUN_ID (not both)": ("indique un DOCUMENT o --run RUN_ID (no ambos)"),
    "--team needs a PostgreSQL book (--book postgresql://...): a SQLite book is a file, and "
    "whoever can write it can act under any name (O2C_ACTOR, --actor) and edit any row, so "
    "approvals between people would rest on trust alone. A SQLite book suits one person, "
    "or a team that trusts everyone with the file.": (
        "--team requiere un libro en PostgreSQL (--book postgresql://...): un libro SQLite es "
        "un archivo, y quien puede escribirlo puede actuar con cualquier nombre (O2C_ACTOR, "
        "--actor) y editar cualquier registro, así que las aprobaciones entre personas "
        "dependerían solo de la confianza. Un libro SQLite sirve para una persona, o para un "
        "equipo que confía el archivo a todos."
    ),
    "dry run: nothing was written": "simulación: no se escribió nada",
    "{lines} schedule months recognized in {entries} journal entries": (
        "{lines} meses de calendario reconocidos en {entries} asientos contables"
    ),
    "Usage charged per event": "Consumo cobrado por evento",
    "not charged: {problem}": "sin cobrar: {problem}",
}

MESSAGES: Final[dict[str, str]] = {
    **_HELP,
    **_OUTCOMES,
    **_COLUMNS,
    **_SERVICE_DESK,
    **_CFDI,
    **_FX,
    **_COLLECTIONS,
    **_NOTES,
    # the help of every command and option (issue 25), one module per part of the tree
    **_messages_es_help_a.HELP,
    **_messages_es_help_d.HELP,
    **_messages_es_help_n.HELP,
    **_messages_es_help_w.HELP,
}

#: Error templates: the English of the core's messages, values as ``{name}``.
ERRORS: Final[dict[str, str]] = {
    # o2c.errors
    "customer {key} not found": "no existe el cliente {key}",
    "document {key} not found": "no existe el documento {key}",
    "invoice {key} not found": "no existe la factura {key}",
    "contract {key} not found": "no existe el contrato {key}",
    "payment {key} not found": "no existe el pago {key}",
    "payment or credit note {key} not found": "no existe el pago o nota de crédito {key}",
    "rate card {key} not found": "no existe la tarifa {key}",
    "dispute {key} not found": "no existe la disputa {key}",
    "approval {key} not found": "no existe la aprobación {key}",
    "allocation {key} not found": "no existe la aplicación {key}",
    "book {key} not found": "no existe el libro {key}",
    "create it with o2c init or Book.init()": "créelo con o2c init o Book.init()",
    "period {period} is closed": "el periodo {period} está cerrado",
    "cannot post on {date}": "no se puede contabilizar el {date}",
    "post the correction in the next open period": (
        "contabilice la corrección en el siguiente periodo abierto"
    ),
    "{actor} holds no role": "{actor} no tiene ningún rol",
    "{actor} holds auditor (read-only)": "{actor} es auditor (solo lectura)",
    "{actor} holds {roles}": "{actor} tiene el rol {roles}",
    "{actor} requested {approval} and cannot approve it": (
        "{actor} solicitó {approval} y no puede aprobarla"
    ),
    "another approver must decide (segregation of duties)": (
        "debe decidir otra persona (segregación de funciones)"
    ),
    "pending as {approval}": "pendiente como {approval}",
    "request it and have another person approve it": ("solicítelo y que otra persona lo apruebe"),
    "cannot {operation} {left} and {right} amounts": (
        "no se pueden combinar importes en {left} y {right}"
    ),
    "convert one currency first": "convierta antes una de las monedas",
    # billing and ledger
    "{document} is already paid": "{document} ya está pagada",
    "{document} is already credited": "{document} ya está acreditada",
    "{document} is already paid and credited": "{document} ya está pagada y acreditada",
    "issue a credit note instead of voiding it": "emita una nota de crédito en lugar de anularla",
    "issue a credit note instead": "emita una nota de crédito en su lugar",
    "only issued documents can be voided": "solo se pueden anular documentos emitidos",
    "only issued documents can be corrected": "solo se pueden corregir documentos emitidos",
    "only issued documents can be corrected (edit the draft instead)": (
        "solo se pueden corregir documentos emitidos (edite el borrador)"
    ),
    "cannot allocate {amount} to {document}: only {open} is open": (
        "no se pueden aplicar {amount} a {document}: solo hay {open} abierto"
    ),
    "cannot write off {amount} of {document}: only {open} is open": (
        "no se pueden castigar {amount} de {document}: solo hay {open} abierto"
    ),
    # click's usage errors
    "No such option '{name}'.": "No existe la opción '{name}'.",
    "No such option '{name}'. Did you mean '{possibility}'?": (
        "No existe la opción '{name}'. ¿Quiso decir '{possibility}'?"
    ),
    "No such command '{name}'.": "No existe el comando '{name}'.",
    "No such command '{name}'. (Did you mean one of: {possibilities}?)": (
        "No existe el comando '{name}'. (¿Quiso decir alguno de: {possibilities}?)"
    ),
    "No such command '{name}'. Did you mean '{possibility}'?": (
        "No existe el comando '{name}'. ¿Quiso decir '{possibility}'?"
    ),
    "Missing option '{name}'.": "Falta la opción '{name}'.",
    "Missing argument '{name}'.": "Falta el argumento '{name}'.",
    "Got unexpected extra argument ({name})": "Argumento adicional inesperado ({name})",
    "Got unexpected extra arguments ({names})": "Argumentos adicionales inesperados ({names})",
    "{path} exists": "{path} ya existe",
    "pass --force to replace it": "use --force para reemplazarlo",
    # the service desk: the state machine's refusals (statuses stay the CLI's codes)
    "inquiry {key} not found": "no existe la consulta {key}",
    "list them with list_inquiries()": "véalas con list_inquiries()",
    "inquiry {id} is {status}; cannot respond to it: reopen a resolved inquiry first, "
    "or open a new one": (
        "la consulta {id} está en estado {status}; no se puede responder: reabra primero "
        "una consulta resuelta o abra una nueva"
    ),
    "inquiry {id} is {status}; cannot assign it: a closed inquiry is final; open a new one": (
        "la consulta {id} está en estado {status}; no se puede asignar: una consulta "
        "cerrada es definitiva; abra una nueva"
    ),
    "inquiry {id} is {status}; cannot resolve it: it is already resolved or closed "
    "(reopen a resolved one first)": (
        "la consulta {id} está en estado {status}; no se puede resolver: ya está resuelta "
        "o cerrada (reabra primero una resuelta)"
    ),
    "inquiry {id} is {status}; cannot reopen it: a closed inquiry is final; open a new one": (
        "la consulta {id} está en estado {status}; no se puede reabrir: una consulta "
        "cerrada es definitiva; abra una nueva"
    ),
    "inquiry {id} is {status}; cannot reopen it: only a resolved inquiry can be reopened": (
        "la consulta {id} está en estado {status}; no se puede reabrir: solo se puede "
        "reabrir una consulta resuelta"
    ),
    "inquiry {id} is {status}; cannot close it: resolve it first (with a root cause)": (
        "la consulta {id} está en estado {status}; no se puede cerrar: resuélvala primero "
        "(con una causa raíz)"
    ),
    "inquiry {id} is {status}; cannot rate it: CSAT is asked after resolution": (
        "la consulta {id} está en estado {status}; no se puede calificar: la encuesta CSAT "
        "se hace después de resolverla"
    ),
    "inquiry {id} is {status}; cannot escalate it: only an active inquiry is escalated": (
        "la consulta {id} está en estado {status}; no se puede escalar: solo se escala una "
        "consulta activa"
    ),
    "inquiry {id} is {status}; cannot spawn a case from it: a closed inquiry is final": (
        "la consulta {id} está en estado {status}; no se puede abrir un caso desde ella: "
        "una consulta cerrada es definitiva"
    ),
    "inquiry {id} is already rated; a survey is answered once": (
        "la consulta {id} ya está calificada; la encuesta se responde una sola vez"
    ),
    # o2c fx (issue 19)
    "no {kind} rate for {pair} on or before {day} (nor {reverse}, nor a cross rate)": (
        "no hay tipo de cambio {kind} para {pair} al {day} o antes (ni {reverse}, ni uno cruzado)"
    ),
    "set one with o2c fx set or import a rate file": (
        "fije uno con o2c fx set o importe un archivo de tipos de cambio"
    ),
}

#: Per-country words: Mexican Spanish cancels an invoice (CFDI *cancelación*), where
#: Spain's Spanish annuls it. Messages and error templates, as ``MESSAGES`` and ``ERRORS``.
TERRITORIES: Final[dict[str, tuple[dict[str, str], dict[str, str]]]] = {
    "es_MX": (
        {
            "Voided {number}": "Cancelada {number}",
            "Void {number} of {customer} ({amount})? This cannot be undone.": (
                "¿Cancelar {number} de {customer} ({amount})? No se puede deshacer."
            ),
            "Void issued DOCUMENT that nothing paid or credited (it keeps its number).": (
                "Cancela el documento emitido DOCUMENT que nada pagó ni acreditó (conserva "
                "su folio)."
            ),
            "Why it is voided (kept in the audit trail).": (
                "Por qué se cancela (queda en la bitácora de auditoría)."
            ),
            "List, show, explain, issue, void and render invoices (and other documents).": (
                "Liste, consulte, explique, emita, cancele y genere facturas (y otros documentos)."
            ),
            # in Mexico a debit note is a "nota de cargo"
            "List invoices, credit notes and debit notes in creation order.": (
                "Lista facturas, notas de crédito y notas de cargo en orden de creación."
            ),
            "Price contracts, usage and time; run bills; issue invoices, credit and debit notes; "
            "record payments; handle refunds, write-offs, disputes and approvals; read aging, "
            "statements and KPIs. Start with `o2c demo --book demo.db`.": (
                "Tarifique contratos, consumo y tiempo; ejecute la facturación; emita facturas y "
                "notas de crédito y de cargo; registre pagos; gestione reembolsos, castigos, "
                "disputas y aprobaciones; consulte antigüedad de saldos, estados de cuenta e "
                "indicadores. Empiece con `o2c demo --book demo.db`."
            ),
            **_messages_es_help_a.MX,
            **_messages_es_help_d.MX,
            **_messages_es_help_n.MX,
        },
        {
            "issue a credit note instead of voiding it": (
                "emita una nota de crédito en lugar de cancelarla"
            ),
            "only issued documents can be voided": "solo se pueden cancelar documentos emitidos",
        },
    ),
}
