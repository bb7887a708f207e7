"""Spanish help of ``o2c note`` to ``o2c writeoff``: command and option help.

Read by :mod:`o2c.cli._messages_es` (English paragraph, whitespace collapsed -> Spanish).
``MX`` holds the Mexican words where Mexico differs from Spain: an invoice is
*cancelada* (not *anulada*) and a debit note is a *nota de cargo*.
"""

from __future__ import annotations

from typing import Final

__all__ = ["HELP", "MX"]

HELP: Final[dict[str, str]] = {
    "Record a contact about a customer, an invoice or a dispute (exactly one).": (
        "Registra un contacto sobre un cliente, una factura o una disputa (exactamente uno)."
    ),
    "A note about this customer.": "Una nota sobre este cliente.",
    "A note about this invoice.": "Una nota sobre esta factura.",
    "A note about this dispute.": "Una nota sobre esta disputa.",
    "What was said and agreed.": "Qué se dijo y qué se acordó.",
    "When the contact started (default: now).": "Cuándo empezó el contacto (por omisión: ahora).",
    "Settled in this contact (first-contact resolution).": (
        "Resuelto en este contacto (resolución en el primer contacto)."
    ),
    "List interaction notes in the order they started.": (
        "Lista las notas de contacto en el orden en que empezaron."
    ),
    "Only notes with this customer.": "Solo las notas con este cliente.",
    "Only notes about this invoice.": "Solo las notas sobre esta factura.",
    "Only notes about this dispute.": "Solo las notas sobre esta disputa.",
    "Record sales order ORDER_ID, e.g. `--line gateway:2@349 --line setup:1`.": (
        "Registra el pedido de venta ORDER_ID, p. ej. `--line gateway:2@349 --line setup:1`."
    ),
    "Who ordered.": "Quién hizo el pedido.",
    "ITEM:QTY@PRICE, or ITEM:QTY priced from the rate card; repeat.": (
        "ITEM:QTY@PRICE, o ITEM:QTY con el precio de la tarifa; se puede repetir."
    ),
    "Order date (default: today).": "Fecha del pedido (por omisión: hoy).",
    "Delivery date: billed by the first run after it.": (
        "Fecha de entrega: lo factura la primera corrida posterior."
    ),
    "Bill it on this contract's invoice.": "Lo factura en la factura de este contrato.",
    "Rate card for lines without @PRICE.": "Tarifa para las líneas sin @PRICE.",
    "Invoice sales order ORDER_ID now instead of in the next bill run.": (
        "Factura ahora el pedido de venta ORDER_ID en lugar de en la siguiente corrida de "
        "facturación."
    ),
    "Invoice date (default: today).": "Fecha de la factura (por omisión: hoy).",
    "Store a draft instead of issuing it.": "Guarda un borrador en lugar de emitirlo.",
    "List sales orders.": "Lista los pedidos de venta.",
    "Only this customer's orders.": "Solo los pedidos de este cliente.",
    "Only orders not billed yet.": "Solo los pedidos aún no facturados.",
    "Show sales order ORDER_ID and the invoice that billed it.": (
        "Muestra el pedido de venta ORDER_ID y la factura que lo facturó."
    ),
    "List allocations (their ids are what `payment unapply` takes).": (
        "Lista las aplicaciones (sus ids son lo que recibe `payment unapply`)."
    ),
    "Only allocations to this document.": "Solo las aplicaciones a este documento.",
    "Only allocations of this payment or credit note.": (
        "Solo las aplicaciones de este pago o nota de crédito."
    ),
    "Apply payment (or credit note) SOURCE to open invoices.": (
        "Aplica el pago (o la nota de crédito) SOURCE a facturas abiertas."
    ),
    "Apply AMOUNT to invoice DOC; repeat. Without --to: oldest due first.": (
        "Aplica AMOUNT a la factura DOC; se puede repetir. Sin --to: primero la de vencimiento más "
        "antiguo."
    ),
    "Allocation date (default: today).": "Fecha de aplicación (por omisión: hoy).",
    "Import a bank statement (CSV or camt.053) and apply what can be matched.": (
        "Importa un estado de cuenta bancario (CSV o camt.053) y aplica lo que se puede conciliar."
    ),
    "Lines are matched to customers by invoice numbers in the remittance text, else by a "
    "--customer-ref in the remittance or payer, else by an exact open amount. Matched payments "
    "are applied to the named invoices (for a customer reference: the customer's one invoice "
    "of exactly that amount, else its oldest due first); the rest stays unapplied cash, and "
    "`rule` says which rule matched. Unmatched lines are listed and not recorded. Every line's "
    "bank reference is its payment id: importing the same file twice records it once. The "
    "whole statement is applied in one transaction.": (
        "Las líneas se asocian a clientes por los folios de factura en el concepto del pago; si "
        "no, por un --customer-ref en el concepto o el ordenante; si no, por un importe abierto "
        "exacto. Los pagos asociados se aplican a las facturas indicadas (para una referencia de "
        "cliente: la única factura del cliente por exactamente ese importe; si no, primero la de "
        "vencimiento más antiguo); el resto queda como saldo no aplicado, y `rule` indica qué "
        "regla se cumplió. Las líneas sin asociar se listan y no se registran. La referencia "
        "bancaria de cada línea es el id de su pago: importar el mismo archivo dos veces lo "
        "registra una sola vez. Todo el estado de cuenta se aplica en una sola transacción."
    ),
    "File type (auto: .xml is camt.053, anything else CSV).": (
        "Tipo de archivo (auto: .xml es camt.053, cualquier otro es CSV)."
    ),
    "Currency of CSV rows without one.": "Moneda de las filas CSV que no la indican.",
    "A reference (virtual account, payer id) that names a customer; repeatable.": (
        "Una referencia (cuenta virtual, id del ordenante) que identifica a un cliente; se puede "
        "repetir."
    ),
    "Accepted for scripts; a retry changes nothing anyway (lines already imported are skipped "
    "by bank reference).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (las líneas ya importadas "
        "se omiten por su referencia bancaria)."
    ),
    "Undo allocation ALLOCATION_ID: the invoice is owed again, the cash is unapplied.": (
        "Deshace la aplicación ALLOCATION_ID: la factura vuelve a adeudarse y el dinero queda sin "
        "aplicar."
    ),
    "Why (a bounced payment, a wrong match...).": (
        "Por qué (un pago devuelto, una asociación equivocada...)."
    ),
    "Reopen closed MONTH.": "Reabre el MONTH cerrado.",
    "Revalue open foreign items at the --as-of rate (unrealized FX); the revaluation is "
    "reversed on the first day of the next month.": (
        "Revalúa las partidas abiertas en moneda extranjera al tipo de cambio de --as-of "
        "(diferencia cambiaria no realizada); la revaluación se revierte el primer día del mes "
        "siguiente."
    ),
    "The month end to revalue at.": "El fin de mes al que se revalúa.",
    "Record CUSTOMER's promise to pay by --by; dunning waits while it is pending.": (
        "Registra la promesa de CUSTOMER de pagar a más tardar el --by; la cobranza espera "
        "mientras está pendiente."
    ),
    "The promise is kept when the customer's payments (applied to the promised items, or not "
    "yet applied) reach the amount by --by, kept late when they do in the grace days after it "
    "(the promise.grace_days setting, 3 by default), and partly kept or broken otherwise; then "
    "dunning resumes.": (
        "La promesa se cumple cuando los pagos del cliente (aplicados a las partidas prometidas, o "
        "aún sin aplicar) alcanzan el importe a más tardar el --by; se cumple con retraso cuando "
        "lo hacen en los días de gracia posteriores (el parámetro promise.grace_days, 3 por "
        "omisión), y en otro caso se cumple en parte o se incumple; después la cobranza se "
        "reanuda."
    ),
    "Date promised to pay by.": "Fecha límite prometida de pago.",
    "Amount promised (default: what is open, less disputes).": (
        "Importe prometido (por omisión: lo abierto, menos lo disputado)."
    ),
    "A promised item (repeatable; default: every open item of the customer).": (
        "Una partida prometida (se puede repetir; por omisión: cada partida abierta del cliente)."
    ),
    "The interaction note of the contact, if recorded.": ("La nota del contacto, si se registró."),
    "Channel of the new note (without --note).": "Canal de la nota nueva (sin --note).",
    "Summary of the new note (default: the promise in words).": (
        "Resumen de la nota nueva (por omisión: la promesa en palabras)."
    ),
    "Day the promise was taken (default: today).": (
        "Día en que se tomó la promesa (por omisión: hoy)."
    ),
    "The promise kept rate: promises kept in full (on time or in the grace days) over the "
    "promises whose grace ended from --from to --to; partly kept count as not kept.": (
        "La tasa de promesas cumplidas: promesas cumplidas por completo (a tiempo o en los días de "
        "gracia) entre las promesas cuya gracia terminó de --from a --to; las cumplidas en parte "
        "cuentan como no cumplidas."
    ),
    "First day of the period.": "Primer día del periodo.",
    "Last day of the period.": "Último día del periodo.",
    "Only this customer's promises.": "Solo las promesas de este cliente.",
    "Only promises covering this invoice.": "Solo las promesas que cubren esta factura.",
    "Only promises that stand so on --as-of.": (
        "Solo las promesas que están en ese estado al --as-of."
    ),
    "Judge them on this date (default: today).": "Las evalúa en esta fecha (por omisión: hoy).",
    "Judge it on this date (default: today).": "La evalúa en esta fecha (por omisión: hoy).",
    "Example: `o2c quote --ratecard saas.toml api_calls 150000 --at 2026-10-01`": (
        "Ejemplo: `o2c quote --ratecard saas.toml api_calls 150000 --at 2026-10-01`"
    ),
    "The rate card TOML file.": "El archivo TOML de la tarifa.",
    "Price on this date (default: today).": "Precio en esta fecha (por omisión: hoy).",
    "A transaction amount, for percentage pricing (repeat per transaction).": (
        "Un importe de transacción, para precios porcentuales (se repite por transacción)."
    ),
    "Import rate card FILE (TOML); a card imported again becomes its next version.": (
        "Importa la tarifa FILE (TOML); una tarifa importada de nuevo pasa a ser su siguiente "
        "versión."
    ),
    "Every problem of the file is listed at once and nothing is imported.": (
        "Todos los problemas del archivo se listan a la vez y no se importa nada."
    ),
    "List rate cards (latest version of each).": (
        "Lista las tarifas (la última versión de cada una)."
    ),
    "Show the items and price models of rate card CODE.": (
        "Muestra los conceptos y modelos de precio de la tarifa CODE."
    ),
    "The prices in force on this date (default: today).": (
        "Los precios vigentes en esta fecha (por omisión: hoy)."
    ),
    "List refunds paid out (pending ones are in `o2c approval list`).": (
        "Lista los reembolsos pagados (los pendientes están en `o2c approval list`)."
    ),
    "Only this customer's refunds.": "Solo los reembolsos de este cliente.",
    "Refund unapplied credit of SOURCE (a payment or credit note) to the customer.": (
        "Reembolsa al cliente el saldo a favor no aplicado de SOURCE (un pago o una nota de "
        "crédito)."
    ),
    "Above the approval policy's limit the refund waits for another person's approval.": (
        "Por encima del límite de la política de aprobación, el reembolso espera la aprobación de "
        "otra persona."
    ),
    "Amount to pay back.": "Importe a devolver.",
    "Why the money goes back.": "Por qué se devuelve el dinero.",
    "Payment date (default: today).": "Fecha de pago (por omisión: hoy).",
    "Open receivables by days past due; the totals equal the AR balance.": (
        "Cuentas por cobrar abiertas por días de vencimiento; los totales igualan el saldo de "
        "cuentas por cobrar."
    ),
    "Amounts under an active dispute are in the disputed column, out of the buckets, and an "
    "invoice with a payment extension ages from its extended due date.": (
        "Los importes en una disputa activa van en la columna de disputados, fuera de los rangos, "
        "y una factura con prórroga de pago envejece desde su fecha de vencimiento prorrogada."
    ),
    "Age as of this date (default: today).": "Antigüedad a esta fecha (por omisión: hoy).",
    "Count days from the due date or the document date.": (
        "Cuenta los días desde la fecha de vencimiento o desde la fecha del documento."
    ),
    "The plain ledger figures: every open amount by its own due date, no disputed column (what "
    "reconciles to the journal).": (
        "Las cifras del libro mayor tal cual: cada importe abierto por su propia fecha de "
        "vencimiento, sin columna de disputados (lo que concilia con el diario)."
    ),
    "The same as `o2c report aging`: disputed amounts apart, extensions honoured.": (
        "Lo mismo que `o2c report aging`: importes disputados aparte, con las prórrogas respetadas."
    ),
    "CUSTOMER's open items at the end of a statement, disputed and extended parts apart.": (
        "Las partidas abiertas de CUSTOMER al final de un estado de cuenta, con lo disputado y lo "
        "prorrogado aparte."
    ),
    "First day.": "Primer día.",
    "Last day.": "Último día.",
    "Currency (default: the customer's).": "Moneda (por omisión: la del cliente).",
    "The team's KPIs over a period, each with its formula and figures.": (
        "Los indicadores del equipo en un periodo, cada uno con su fórmula y sus cifras."
    ),
    "A book that bills in several currencies reports each currency apart (a currency column; "
    "in JSON one object per currency) unless --currency picks one.": (
        "Un libro que factura en varias monedas informa cada moneda por separado (una columna de "
        "moneda; en JSON un objeto por moneda) salvo que --currency elija una."
    ),
    "The month (or range), e.g. 2026-10.": "El mes (o rango), p. ej. 2026-10.",
    "First day (instead of --period).": "Primer día (en lugar de --period).",
    "Last day, inclusive (instead of --period).": "Último día, incluido (en lugar de --period).",
    "Currency of the money KPIs (default: each currency of the book, one report each).": (
        "Moneda de los indicadores de dinero (por omisión: cada moneda del libro, un informe por "
        "moneda)."
    ),
    "Report date: invoice accuracy counts corrections and voids up to it (default: today, "
    "never before the period's last day).": (
        "Fecha del informe: la exactitud de facturación cuenta las correcciones y anulaciones "
        "hasta esa fecha (por omisión: hoy, nunca antes del último día del periodo)."
    ),
    "Reconcile AR control to customer sub-ledgers and open items; exit 1 on a difference.": (
        "Concilia la cuenta de control de cuentas por cobrar con los auxiliares de clientes y las "
        "partidas abiertas; termina con 1 si hay una diferencia."
    ),
    "As of this date (default: today).": "A esta fecha (por omisión: hoy).",
    "Feed a billing defect's customers and dates to `o2c rerate` to find every other invoice "
    "it affected.": (
        "Pasa los clientes y las fechas de un defecto de facturación a `o2c rerate` para encontrar "
        "todas las demás facturas que afectó."
    ),
    "First day resolved.": "Primer día de resolución.",
    "Last day resolved, inclusive.": "Último día de resolución, incluido.",
    "FRT and time to resolution (mean, median, p90), first-contact resolution, average handle "
    "time (minutes), CSAT (missing answers left out) and its response rate, SLA adherence, "
    "reopen rate, volume (per 1,000 invoices), backlog and its age. The first row is the "
    "team's; never split by currency.": (
        "FRT y tiempo de resolución (media, mediana, p90), resolución en el primer contacto, "
        "tiempo promedio de atención (minutos), CSAT (sin contar las respuestas faltantes) y su "
        "tasa de respuesta, cumplimiento de SLA, tasa de reapertura, volumen (por cada 1,000 "
        "facturas), pendientes y su antigüedad. La primera fila es la del equipo; nunca se separa "
        "por moneda."
    ),
    "First day opened.": "Primer día de apertura.",
    "Last day opened, inclusive.": "Último día de apertura, incluido.",
    "Split the team's figures.": "Desglosa las cifras del equipo.",
    "Measure then (default: now).": "Mide en ese momento (por omisión: ahora).",
    "CUSTOMER's statement: open items, then opening balance, movements, closing balance.": (
        "El estado de cuenta de CUSTOMER: partidas abiertas, luego saldo inicial, movimientos y "
        "saldo final."
    ),
    "Each open item shows its original due date, the extended due date of an active payment "
    "extension and the amount under dispute. CSV carries the movements; JSON everything. With "
    "--as html|pdf|text, the statement as sent to the customer (seller, payment details).": (
        "Cada partida abierta muestra su fecha de vencimiento original, la fecha de vencimiento "
        "prorrogada de una prórroga de pago activa y el importe en disputa. El CSV lleva los "
        "movimientos; el JSON, todo. Con --as html|pdf|text, el estado de cuenta tal como se envía "
        "al cliente (emisor, datos para el pago)."
    ),
    "The statement for the customer (in their language) instead of a report.": (
        "El estado de cuenta para el cliente (en su idioma) en lugar de un informe."
    ),
    "With --as: override the customer's locale.": (
        "Con --as: sustituye la configuración regional del cliente."
    ),
    "With --as: look for templates in DIR first.": "Con --as: busca plantillas primero en DIR.",
    "Write to this file instead of stdout (the --as statement or the report; xlsx needs it).": (
        "Escribe en este archivo en lugar de la salida estándar (el estado de cuenta de --as o el "
        "informe; xlsx lo requiere)."
    ),
    "Every account's balance per currency; each currency sums to zero.": (
        "El saldo de cada cuenta por moneda; cada moneda suma cero."
    ),
    "Lists each affected invoice with its old and new amount and the document that fixes it; "
    "--apply issues those documents (credit notes above the approval limit wait as approval "
    "requests).": (
        "Lista cada factura afectada con su importe anterior y nuevo y el documento que la "
        "corrige; --apply emite esos documentos (las notas de crédito por encima del límite de "
        "aprobación esperan como solicitudes de aprobación)."
    ),
    "First issue date checked.": "Primera fecha de emisión revisada.",
    "Last issue date checked (included).": "Última fecha de emisión revisada (incluida).",
    "Only this customer's invoices.": "Solo las facturas de este cliente.",
    "Issue the proposed credit/debit notes and re-bills.": (
        "Emite las notas de crédito/débito y las refacturaciones propuestas."
    ),
    "Reason code on the fixes.": "Código de motivo de las correcciones.",
    "Restore the book from a backup file (SQLite).": (
        "Restaure el libro desde un archivo de respaldo (SQLite)."
    ),
    "The book named by --book is written from the backup FILE. FILE is checked first (an "
    "intact SQLite file holding an o2c book). Replacing an existing book needs --replace, and "
    "nobody may have that book open meanwhile.": (
        "El libro indicado por --book se escribe a partir del respaldo FILE. Primero se revisa "
        "FILE (un archivo SQLite íntegro que contiene un libro de o2c). Reemplazar un libro "
        "existente requiere --replace, y nadie puede tener ese libro abierto mientras tanto."
    ),
    "Replace the book named by --book if it exists.": (
        "Reemplaza el libro indicado por --book si ya existe."
    ),
    "Accepted for scripts; a retry changes nothing anyway (restoring the same backup again "
    "gives the same book).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (restaurar de nuevo el "
        "mismo respaldo da el mismo libro)."
    ),
    "Revenue recognition: deferred revenue, schedules, runs and reports.": (
        "Reconocimiento de ingresos: ingresos diferidos, calendarios, corridas e informes."
    ),
    "Recognize part of DOCUMENT's deferred LINE: a milestone amount or usage consumed.": (
        "Reconoce parte de la línea diferida LINE de DOCUMENT: el importe de un hito o el consumo "
        "realizado."
    ),
    "Amount released (milestone lines).": "Importe liberado (líneas por hitos).",
    "Quantity consumed (usage lines).": "Cantidad consumida (líneas de consumo).",
    "Recognition date (today by default).": "Fecha de reconocimiento (hoy por omisión).",
    "Deferred revenue per currency: opening + billed - recognized - reversed = closing.": (
        "Ingresos diferidos por moneda: inicial + facturado - reconocido - revertido = final."
    ),
    "First day of the range.": "Primer día del rango.",
    "Last day of the range.": "Último día del rango.",
    "How each item's revenue is recognized.": "Cómo se reconocen los ingresos de cada concepto.",
    "List the recognition rules (items without one are recognized at issue).": (
        "Lista las reglas de reconocimiento (los conceptos sin regla se reconocen al emitirse)."
    ),
    "Recognize ITEM's revenue by METHOD (lines issued from now on).": (
        "Reconoce los ingresos de ITEM con METHOD (las líneas emitidas de ahora en adelante)."
    ),
    "Ratable term from issue.": "Plazo de reconocimiento proporcional desde la emisión.",
    "Recognize the schedule months due through --through (running again adds nothing).": (
        "Reconoce los meses del calendario que vencen hasta --through (ejecutarlo de nuevo no "
        "agrega nada)."
    ),
    "Recognize what is due by then.": "Reconoce lo que vence hasta esa fecha.",
    "Show what would be recognized; write nothing.": (
        "Muestra lo que se reconocería; no escribe nada."
    ),
    "Show the recognition schedules of DOCUMENT (all when omitted), month by month.": (
        "Muestra los calendarios de reconocimiento de DOCUMENT (todos si se omite), mes por mes."
    ),
    'Deferred revenue still to recognize, per currency and month ("unscheduled": waiting for '
    "usage or a milestone release).": (
        'Ingresos diferidos aún por reconocer, por moneda y mes ("unscheduled": en espera de '
        "consumo o de la liberación de un hito)."
    ),
    "Set the seller (a new version; only the options given change).": (
        "Define el emisor (una nueva versión; solo cambian las opciones indicadas)."
    ),
    "Documents issued before keep the seller they were issued under. IBANs and BICs are "
    "checked (check digits, length, bank code); a bad one changes nothing.": (
        "Los documentos emitidos antes conservan el emisor con el que se emitieron. Los IBAN y BIC "
        "se validan (dígitos de control, longitud, código de banco); uno incorrecto no cambia "
        "nada."
    ),
    'Example: `o2c seller set --name "Muster GmbH" --street "Marienplatz 1" --city München '
    "--postal-code 80331 --country DE --tax-id DE136695976 --iban DE89370400440532013000 --bic "
    "COBADEFFXXX`": (
        'Ejemplo: `o2c seller set --name "Muster GmbH" --street "Marienplatz 1" --city München '
        "--postal-code 80331 --country DE --tax-id DE136695976 --iban DE89370400440532013000 --bic "
        "COBADEFFXXX`"
    ),
    "Legal name (needed the first time).": "Razón social (necesaria la primera vez).",
    "Name the customer knows, if not the legal name.": (
        "Nombre comercial con el que lo conoce el cliente, si no es la razón social."
    ),
    "Registered address: street and number.": "Domicilio fiscal: calle y número.",
    "Registered address: city.": "Domicilio fiscal: ciudad.",
    "Registered address: postal code.": "Domicilio fiscal: código postal.",
    "Registered address: state or region code (JAL, BY...).": (
        "Domicilio fiscal: clave del estado o región (JAL, BY...)."
    ),
    "ISO country code (MX, DE...; needed the first time).": (
        "Código de país ISO (MX, DE...; necesario la primera vez)."
    ),
    "Tax id (RFC, EU VAT id...), checked for the country.": (
        "Id fiscal (RFC, número de IVA de la UE...), validado según el país."
    ),
    "Tax region the book bills as (BORDER_NORTH...).": (
        "Región fiscal con la que factura el libro (BORDER_NORTH...)."
    ),
    "Local tax regime code (SAT 601, 626...).": "Clave del régimen fiscal local (SAT 601, 626...).",
    "Company registration for the legal footer (HRB 12345...).": (
        "Registro mercantil para el pie legal (HRB 12345...)."
    ),
    "Bank account IBAN (repeat for several accounts).": (
        "IBAN de la cuenta bancaria (se repite para varias cuentas)."
    ),
    "BIC of the --iban in the same position.": "BIC del --iban en la misma posición.",
    "Bank name of the --iban in the same position.": (
        "Nombre del banco del --iban en la misma posición."
    ),
    "Remove every bank account.": "Elimina todas las cuentas bancarias.",
    "Mexican CLABE (18 digits; Mexico has no IBAN).": (
        "CLABE mexicana (18 dígitos; México no usa IBAN)."
    ),
    "Peppol endpoint EAS scheme (0088, 9930...).": (
        "Esquema EAS del endpoint Peppol (0088, 9930...)."
    ),
    "Contact e-mail printed on documents.": "Correo de contacto impreso en los documentos.",
    "Contact phone.": "Teléfono de contacto.",
    "Website.": "Sitio web.",
    "Path or URL of a logo for rendered documents.": (
        "Ruta o URL de un logotipo para los documentos generados."
    ),
    "Show the seller printed on documents issued from now on (or an earlier version).": (
        "Muestra el emisor impreso en los documentos que se emitan de ahora en adelante (o una "
        "versión anterior)."
    ),
    "An earlier version (default: the latest).": (
        "Una versión anterior (por omisión: la más reciente)."
    ),
    "List the pattern of each document kind.": "Lista el patrón de cada tipo de documento.",
    "Number KIND documents with PATTERN from now on (a controller's change).": (
        "Numera los documentos de tipo KIND con PATTERN de ahora en adelante (un cambio del "
        "contralor)."
    ),
    "PATTERN has one {seq} ({seq:06} pads it to 6 digits) and may have {year}, {yy} and "
    "{month}, e.g. 'F-{yy}{month}-{seq:05}'; a pattern with {year} or {month} counts per year "
    "or month. Numbers stay gapless and unique.": (
        "PATTERN tiene un {seq} ({seq:06} lo rellena a 6 dígitos) y puede tener {year}, {yy} y "
        "{month}, p. ej. 'F-{yy}{month}-{seq:05}'; un patrón con {year} o {month} cuenta por año o "
        "por mes. Los folios siguen consecutivos, sin huecos, y únicos."
    ),
    "Go back to the default pattern.": "Vuelve al patrón por omisión.",
    "Accepted for scripts; a retry changes nothing anyway (setting a pattern twice leaves it "
    "set).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (fijar un patrón dos veces "
        "lo deja fijado)."
    ),
    "Import tax table FILE (TOML); every problem is listed at once.": (
        "Importa la tabla de impuestos FILE (TOML); todos los problemas se listan a la vez."
    ),
    "Bill with it from now on.": "Factura con ella de ahora en adelante.",
    "List imported tax tables and the rates of the table in use.": (
        "Lista las tablas de impuestos importadas y las tasas de la tabla en uso."
    ),
    "Import time entries from CSV FILE: id,person,role,date,hours[,billable,approved].": (
        "Importa registros de tiempo del archivo CSV FILE: "
        "id,person,role,date,hours[,billable,approved]."
    ),
    "Only approved, billable entries are billed. Entries already imported are skipped.": (
        "Solo se facturan los registros aprobados y facturables. Los registros ya importados se "
        "omiten."
    ),
    "Whose time it is.": "De quién es el tiempo.",
    "The contract, when the customer has several.": "El contrato, cuando el cliente tiene varios.",
    "Accepted for scripts; a retry changes nothing anyway (entries already imported are "
    "skipped by id).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (los registros ya "
        "importados se omiten por id)."
    ),
    "Take wrong time entries ID... out before they are billed (as `usage void`).": (
        "Retira registros de tiempo equivocados ID... antes de que se facturen (como `usage void`)."
    ),
    "A billed entry is refused with its invoice; with any id refused nothing is voided. It "
    "asks first (--yes answers for a script).": (
        "Un registro facturado se rechaza indicando su factura; si se rechaza algún id no se anula "
        "nada. Pregunta antes (--yes responde por un script)."
    ),
    "Why (kept with each entry and in the audit).": (
        "Por qué (se guarda con cada registro y en la auditoría)."
    ),
    "Charge usage of items priced per event (per_event = true on the rate card) and invoice it "
    "now: each event costs what the period's amount to date grows by with it, so a period's "
    "charges add up to its period rating. Each event is charged once.": (
        "Cobra el consumo de conceptos con precio por evento (per_event = true en la tarifa) y lo "
        "factura ahora: cada evento cuesta lo que con él aumenta el importe acumulado del periodo, "
        "así que los cargos de un periodo suman su tarificación del periodo. Cada evento se cobra "
        "una sola vez."
    ),
    "Date of the invoices (default: today).": "Fecha de las facturas (por omisión: hoy).",
    "Charge events up to this date (default: --date).": (
        "Cobra los eventos hasta esta fecha (por omisión: --date)."
    ),
    "An invoice per charged event, or one per contract period (default).": (
        "Una factura por evento cobrado, o una por periodo de contrato (por omisión)."
    ),
    "Only this customer's events.": "Solo los eventos de este cliente.",
    "Import usage records from CSV FILE: id,customer,item,quantity,timestamp.": (
        "Importa registros de consumo del archivo CSV FILE: id,customer,item,quantity,timestamp."
    ),
    "Timestamps need an offset (2026-10-31T23:30:00-06:00). Every row is checked first: with "
    "any problem nothing is imported. Records already imported (same id) are skipped.": (
        "Las marcas de tiempo requieren un desfase horario (2026-10-31T23:30:00-06:00). Primero se "
        "revisa cada fila: con cualquier problema no se importa nada. Los registros ya importados "
        "(mismo id) se omiten."
    ),
    "The contract, when a customer has several.": "El contrato, cuando un cliente tiene varios.",
    "Accepted for scripts; a retry changes nothing anyway (records already imported are "
    "skipped by id).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (los registros ya "
        "importados se omiten por id)."
    ),
    "List unbilled usage records, time entries and sales orders with why: an exception (no "
    "contract of the customer bills the item) or pending (the run that bills it, the cut-off, "
    "approval...). Billed usage shows on its invoice.": (
        "Lista los registros de consumo, registros de tiempo y pedidos de venta sin facturar, con "
        "el motivo: una excepción (ningún contrato del cliente factura el concepto) o pendiente "
        "(la corrida que lo factura, la fecha de corte, la aprobación...). El consumo facturado "
        "aparece en su factura."
    ),
    "With --voided: the voided records, with who voided them, when and why.": (
        "Con --voided: los registros anulados, con quién los anuló, cuándo y por qué."
    ),
    "What no invoice bills yet (usage, time, sales orders), each with why.": (
        "Lo que ninguna factura cubre aún (consumo, tiempo, pedidos de venta), cada uno con su "
        "motivo."
    ),
    "The usage records and time entries taken out with `usage void` / `time void`.": (
        "Los registros de consumo y de tiempo retirados con `usage void` / `time void`."
    ),
    "With --voided: this customer's only.": "Con --voided: solo los de este cliente.",
    "As a run for this period sees it (default: now).": (
        "Como lo ve una corrida de este periodo (por omisión: ahora)."
    ),
    "The run's cut-off (default: the period's end).": (
        "La fecha de corte de la corrida (por omisión: el fin del periodo)."
    ),
    "Take wrong usage records ID... out before they are billed.": (
        "Retira registros de consumo equivocados ID... antes de que se facturen."
    ),
    "They stay in the book as void (a re-import of the same id is still a duplicate) and no "
    "bill run or per-event charge bills them. A billed record is refused with its invoice "
    "(correct that with a credit note); with any id refused nothing is voided. It asks first "
    "(--yes answers for a script).": (
        "Quedan en el libro como anulados (una nueva importación del mismo id sigue siendo un "
        "duplicado) y ninguna corrida de facturación ni cargo por evento los factura. Un registro "
        "facturado se rechaza indicando su factura (corríjalo con una nota de crédito); si se "
        "rechaza algún id no se anula nada. Pregunta antes (--yes responde por un script)."
    ),
    "Why (kept with each record and in the audit).": (
        "Por qué (se guarda con cada registro y en la auditoría)."
    ),
    "Write off (part of) what is open on invoice DOCUMENT (approval above the limit).": (
        "Castiga (una parte de) lo abierto en la factura DOCUMENT (con aprobación sobre el límite)."
    ),
    "Amount to write off (default: all that is open).": (
        "Importe a castigar (por omisión: todo lo abierto)."
    ),
    "Note for the auditor.": "Nota para el auditor.",
    "Posting date (default: today).": "Fecha contable (por omisión: hoy).",
}

MX: Final[dict[str, str]] = {
    "Report date: invoice accuracy counts corrections and voids up to it (default: today, "
    "never before the period's last day).": (
        "Fecha del informe: la exactitud de facturación cuenta las correcciones y cancelaciones "
        "hasta esa fecha (por omisión: hoy, nunca antes del último día del periodo)."
    ),
    "Issue the proposed credit/debit notes and re-bills.": (
        "Emite las notas de crédito/cargo y las refacturaciones propuestas."
    ),
    "A billed entry is refused with its invoice; with any id refused nothing is voided. It "
    "asks first (--yes answers for a script).": (
        "Un registro facturado se rechaza indicando su factura; si se rechaza algún id no se "
        "cancela nada. Pregunta antes (--yes responde por un script)."
    ),
    "With --voided: the voided records, with who voided them, when and why.": (
        "Con --voided: los registros cancelados, con quién los canceló, cuándo y por qué."
    ),
    "They stay in the book as void (a re-import of the same id is still a duplicate) and no "
    "bill run or per-event charge bills them. A billed record is refused with its invoice "
    "(correct that with a credit note); with any id refused nothing is voided. It asks first "
    "(--yes answers for a script).": (
        "Quedan en el libro como cancelados (una nueva importación del mismo id sigue siendo un "
        "duplicado) y ninguna corrida de facturación ni cargo por evento los factura. Un registro "
        "facturado se rechaza indicando su factura (corríjalo con una nota de crédito); si se "
        "rechaza algún id no se cancela nada. Pregunta antes (--yes responde por un script)."
    ),
}
