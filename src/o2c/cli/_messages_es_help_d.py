"""Spanish help of ``o2c dispute`` to ``o2c invoice``: command and option help.

Read by :mod:`o2c.cli._messages_es` (English paragraph, whitespace collapsed -> Spanish).
``MX`` holds the Mexican words where Mexico differs from Spain: an invoice is
*cancelada* (not *anulada*) and a debit note is a *nota de cargo*.
"""

from __future__ import annotations

from typing import Final

__all__ = ["HELP", "MX"]

HELP: Final[dict[str, str]] = {
    "Resolve DISPUTE_ID as credited by issuing its credit note (approval above the limit).": (
        "Resuelve DISPUTE_ID como acreditada emitiendo su nota de crédito (con aprobación sobre el "
        "límite)."
    ),
    "By default the disputed lines are credited, or the whole invoice when the dispute holds "
    "everything that is open. An --amount goes on the disputed lines only (by their net); a "
    "line the dispute did not name is refused.": (
        "Por omisión se acreditan las líneas disputadas, o la factura completa cuando la disputa "
        "abarca todo lo abierto. Un --amount se aplica solo a las líneas disputadas (según su "
        "neto); se rechaza una línea que la disputa no incluyó."
    ),
    "Net amount to credit (on the disputed or --line lines).": (
        "Importe neto a acreditar (en las líneas disputadas o de --line)."
    ),
    "Credit note reason (default: from the dispute's reason).": (
        "Motivo de la nota de crédito (por omisión: el motivo de la disputa)."
    ),
    "Note in the dispute's history.": "Nota en el historial de la disputa.",
    "Escalate DISPUTE_ID one level by hand.": "Escala DISPUTE_ID un nivel manualmente.",
    "Why.": "Por qué.",
    "Escalate every open or investigating dispute past its SLA (the daily job).": (
        "Escala cada disputa abierta o en investigación que rebasó su SLA (el proceso diario)."
    ),
    "Disputes escalate only when this runs: schedule it once a day (cron, next to `o2c dunning "
    "run`); a missed day is caught up by the next run.": (
        "Las disputas solo se escalan cuando esto se ejecuta: prográmelo una vez al día (cron, "
        "junto a `o2c dunning run`); la siguiente ejecución pone al día un día omitido."
    ),
    "The day of the run (default: today).": "El día de la corrida (por omisión: hoy).",
    "List what would be escalated; write nothing.": "Lista lo que se escalaría; no escribe nada.",
    "Accepted for scripts; a retry changes nothing anyway (an escalated dispute is not "
    "escalated again for the same day).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (una disputa escalada no se "
        "vuelve a escalar el mismo día)."
    ),
    "Start investigating open dispute DISPUTE_ID.": (
        "Inicia la investigación de la disputa abierta DISPUTE_ID."
    ),
    "What is being checked.": "Qué se está revisando.",
    "List disputes, oldest first.": "Lista las disputas, la más antigua primero.",
    "Only active (or all) disputes.": "Solo las disputas activas (o todas).",
    "Only this customer's disputes.": "Solo las disputas de este cliente.",
    "Only disputes of this invoice.": "Solo las disputas de esta factura.",
    "Only active disputes past their SLA due date.": (
        "Solo las disputas activas que rebasaron su fecha límite de SLA."
    ),
    "The day --breached is judged on (default: today).": (
        "El día con el que se evalúa --breached (por omisión: hoy)."
    ),
    "Open a dispute on INVOICE; its SLA due date counts business days.": (
        "Abre una disputa sobre INVOICE; su fecha límite de SLA cuenta días hábiles."
    ),
    "Disputed amount (default: the disputed lines' amount due, or the whole invoice's open "
    "amount not yet disputed).": (
        "Importe en disputa (por omisión: el saldo de las líneas disputadas, o el importe abierto "
        "de toda la factura que aún no está en disputa)."
    ),
    "How.": "Por qué medio.",
    "A disputed line number; repeat.": "Un número de línea en disputa; se puede repetir.",
    "The customer's words.": "Las palabras del cliente.",
    "Opening date (default: today).": "Fecha de apertura (por omisión: hoy).",
    "Resolve DISPUTE_ID as rejected: the invoice stands as issued.": (
        "Resuelve DISPUTE_ID como rechazada: la factura queda como se emitió."
    ),
    "Why the invoice stands.": "Por qué la factura se mantiene.",
    "Resolve DISPUTE_ID with an existing credit note (and corrected invoice).": (
        "Resuelve DISPUTE_ID con una nota de crédito existente (y una factura corregida)."
    ),
    "The credit note that corrects the invoice.": "La nota de crédito que corrige la factura.",
    "The corrected invoice (rebilled).": "La factura corregida (refacturada).",
    "How it was settled.": "Cómo se resolvió.",
    "Show dispute DISPUTE_ID with its history.": "Muestra la disputa DISPUTE_ID con su historial.",
    "Amend DISPUTE_ID's amount, lines or description (its status and SLA stay).": (
        "Modifica el importe, las líneas o la descripción de DISPUTE_ID (su estado y su SLA se "
        "mantienen)."
    ),
    "The new disputed amount.": "El nuevo importe en disputa.",
    "The disputed lines (replace).": "Las líneas en disputa (las reemplaza).",
    "The new description.": "La nueva descripción.",
    "Show the late fees a dunning run would charge (the late_fee.<segment> settings), or with "
    "--charged those charged, each by its debit note.": (
        "Muestra los recargos moratorios que cobraría una corrida de cobranza (los parámetros "
        "late_fee.<segment>), o con --charged los ya cobrados, cada uno con su nota de débito."
    ),
    "Run date (default: today).": "Fecha de la corrida (por omisión: hoy).",
    "List the late fees charged instead.": "Lista en su lugar los recargos moratorios cobrados.",
    "With --charged: only on this invoice.": "Con --charged: solo sobre esta factura.",
    "List the customers on credit hold (a credit-hold notice chased an item still owed).": (
        "Lista los clientes con bloqueo de crédito (un aviso de bloqueo reclamó una partida aún "
        "adeudada)."
    ),
    "List the notices sent, oldest first.": "Lista los avisos enviados, el más antiguo primero.",
    "Only this customer's notices.": "Solo los avisos de este cliente.",
    "Only notices chasing this invoice.": "Solo los avisos que reclaman esta factura.",
    "Show the dunning policies, or set a segment's with --steps.": (
        "Muestra las políticas de cobranza, o fija las de un segmento con --steps."
    ),
    "Collection segment.": "Segmento de cobranza.",
    "Steps as '3 reminder, 15 statement, 30 final_notice, 45 credit_hold'.": (
        "Pasos como '3 reminder, 15 statement, 30 final_notice, 45 credit_hold'."
    ),
    "Per currency: '10.00 USD, 200 MXN'.": "Por moneda: '10.00 USD, 200 MXN'.",
    "Show what a dunning run would send, without sending anything.": (
        "Muestra lo que enviaría una corrida de cobranza, sin enviar nada."
    ),
    "Send the notices due (each step once per item; disputes and extensions respected).": (
        "Envía los avisos que vencen (cada paso una vez por partida; respeta disputas y prórrogas)."
    ),
    "Without --send the notices and their letters are stored (o2c dunning show ID); with "
    "--send each letter is also e-mailed and its delivery recorded. A letter that could not be "
    "e-mailed is named in one line, and the command exits 1. It asks first, naming how many "
    "notices the run sends (--yes answers for a script; `o2c dunning preview` shows them).": (
        "Sin --send, los avisos y sus cartas se guardan (o2c dunning show ID); con --send cada "
        "carta además se envía por correo y se registra su entrega. Una carta que no se pudo "
        "enviar se indica en una línea y el comando termina con 1. Pregunta antes, indicando "
        "cuántos avisos envía la corrida (--yes responde por un script; `o2c dunning preview` los "
        "muestra)."
    ),
    "E-mail the letters to the customers (in their language), through o2c invoice smtp.": (
        "Envía las cartas por correo a los clientes (en su idioma), mediante o2c invoice smtp."
    ),
    "Show notice NOTICE_ID with its letter.": "Muestra el aviso NOTICE_ID con su carta.",
    "`o2c export --list` names the tables (documents, document_lines, journal_lines, payments, "
    "allocations, ar_open_items, audit_events...). Amounts come in minor units as stored "
    "(`net_minor`) and in major units beside them (`net`), with the currency. --from/--to "
    "filter on the table's date (issue_date, received_date, entry_date...) and --customer on "
    "its customer. CSV cells that a spreadsheet would run as a formula are neutralized; --bom "
    "adds the byte order mark Excel on Windows needs.": (
        "`o2c export --list` nombra las tablas (documents, document_lines, journal_lines, "
        "payments, allocations, ar_open_items, audit_events...). Los importes vienen en unidades "
        "menores como se guardan (`net_minor`) y en unidades mayores al lado (`net`), con la "
        "moneda. --from/--to filtran por la fecha de la tabla (issue_date, received_date, "
        "entry_date...) y --customer por su cliente. Las celdas CSV que una hoja de cálculo "
        "ejecutaría como fórmula se neutralizan; --bom agrega la marca de orden de bytes que "
        "necesita Excel en Windows."
    ),
    "List the tables that can be exported.": "Lista las tablas que se pueden exportar.",
    "At most this many rows.": "Como máximo esta cantidad de filas.",
    "Only rows dated on or after this day (issue, entry...).": (
        "Solo las filas con fecha desde este día (emisión, asiento...)."
    ),
    "Only rows dated on or before this day.": "Solo las filas con fecha hasta este día (incluido).",
    "Only this customer's rows.": "Solo las filas de este cliente.",
    "Only the stored columns (no major-unit amounts or added currency column).": (
        "Solo las columnas guardadas (sin importes en unidades mayores ni columna de moneda "
        "agregada)."
    ),
    "Write to this file (default: stdout).": (
        "Escribe en este archivo (por omisión: la salida estándar)."
    ),
    "Give INVOICE a new due date; past the limit it waits for approval.": (
        "Da a INVOICE una nueva fecha de vencimiento; por encima del límite espera aprobación."
    ),
    "The new due date.": "La nueva fecha de vencimiento.",
    "Why (a promise to pay, a pending PO...).": (
        "Por qué (una promesa de pago, una orden de compra pendiente...)."
    ),
    "Date of the request (default: today).": "Fecha de la solicitud (por omisión: hoy).",
    "List payment extensions, oldest first.": (
        "Lista las prórrogas de pago, la más antigua primero."
    ),
    "Only this invoice's extensions.": "Solo las prórrogas de esta factura.",
    "Show payment extension EXTENSION_ID.": "Muestra la prórroga de pago EXTENSION_ID.",
    "As of this day (today).": "Al día indicado (hoy).",
    "Each customer's receivable and unapplied credit in the functional currency.": (
        "Las cuentas por cobrar y el saldo a favor no aplicado de cada cliente en la moneda "
        "funcional."
    ),
    "The rate type documents and payments are booked at (default BOOK).": (
        "El tipo de cotización con el que se contabilizan documentos y pagos (por omisión BOOK)."
    ),
    "csv (date,base,quote,rate[,rate_type]) or ecb (eurofxref XML); by extension.": (
        "csv (date,base,quote,rate[,rate_type]) o ecb (XML eurofxref); según la extensión."
    ),
    "Rate type (csv: BOOK, ecb: ECB).": "Tipo de cotización (csv: BOOK, ecb: ECB).",
    "Every journal line with its functional value, and the FX lines (for analysis).": (
        "Cada línea del diario con su valor funcional, y las líneas de diferencia cambiaria (para "
        "análisis)."
    ),
    "Entries up to this day (all).": "Asientos hasta este día (todos).",
    "Only this rate type.": "Solo este tipo de cotización.",
    "Only pairs with this currency.": "Solo los pares con esta moneda.",
    "Enter RATE for PAIR by hand: units of the second currency per one of the first (``o2c fx "
    "set USD/MXN 18.2345 --date 2026-10-30 --type DOF-FIX``).": (
        "Captura manualmente RATE para PAIR: unidades de la segunda moneda por una de la primera "
        "(``o2c fx set USD/MXN 18.2345 --date 2026-10-30 --type DOF-FIX``)."
    ),
    "Effective from (today).": "Vigente desde (hoy).",
    "Rate type.": "Tipo de cotización.",
    "Apply PAYMENT to DOCUMENTS in another currency at --rate (oldest first if none).": (
        "Aplica PAYMENT a DOCUMENTS en otra moneda al tipo --rate (la más antigua primero si no se "
        "indica ninguno)."
    ),
    "Units of the payment's currency per unit of the documents' currency.": (
        "Unidades de la moneda del pago por unidad de la moneda de los documentos."
    ),
    "Posting date (today).": "Fecha contable (hoy).",
    "On this day (today).": "En este día (hoy).",
    "Rate type (the book's).": "Tipo de cotización (el del libro).",
    "Undo the settlement ENTRY (its journal entry id): the document is owed again.": (
        "Deshace la liquidación ENTRY (el id de su asiento contable): el documento vuelve a "
        "adeudarse."
    ),
    "Why the settlement is undone.": "Por qué se deshace la liquidación.",
    "Running it again is safe: an up-to-date book is left as it is. Bill runs tax as the "
    "seller given with --seller-country (set it once, or again to change it). The book's "
    '"today" (the default date of every command) is the date in --timezone (UTC unless set), '
    "whatever the time zone of the machine running o2c.": (
        "Ejecutarlo de nuevo no tiene riesgo: un libro actualizado queda como está. Las corridas "
        "de facturación calculan impuestos como el emisor indicado con --seller-country (indíquelo "
        'una vez, o de nuevo para cambiarlo). El "hoy" del libro (la fecha por omisión de cada '
        "comando) es la fecha en --timezone (UTC si no se indica), sea cual sea la zona horaria "
        "del equipo que ejecuta o2c."
    ),
    "A new book gets default approval limits in its currency (--currency, else the seller "
    "country's): refunds over 500.00, write-offs over 100.00, credit notes and voids over "
    "1,000.00 (USD, EUR, GBP, CAD; twenty times that in MXN) wait for a lead's approval. They "
    "are shown, and `o2c approval policy --set` changes them; an existing book's policy is "
    "never touched.": (
        "Un libro nuevo recibe límites de aprobación por omisión en su moneda (--currency, si no, "
        "la del país del emisor): los reembolsos de más de 500.00, los castigos de más de 100.00, "
        "y las notas de crédito y anulaciones de más de 1,000.00 (USD, EUR, GBP, CAD; veinte veces "
        "eso en MXN) esperan la aprobación de un líder. Se muestran, y `o2c approval policy --set` "
        "los cambia; la política de un libro existente nunca se toca."
    ),
    "--team makes a book several people share: on PostgreSQL it also creates the book's "
    "database roles and append-only triggers (o2c db roles), so the database, not a name on "
    "the command line, says who did what. A SQLite book is refused: whoever can write the file "
    "can act under any name and edit any row, so approvals between people there would be a "
    "promise nobody enforces.": (
        "--team crea un libro que comparten varias personas: en PostgreSQL también crea los roles "
        "de base de datos del libro y los triggers de solo inserción (o2c db roles), para que sea "
        "la base de datos, no un nombre en la línea de comandos, la que diga quién hizo qué. Un "
        "libro SQLite se rechaza: quien puede escribir el archivo puede actuar con cualquier "
        "nombre y editar cualquier registro, así que las aprobaciones entre personas serían una "
        "promesa que nadie hace cumplir."
    ),
    "The seller's country (MX, DE, US...).": "El país del emisor (MX, DE, US...).",
    "The seller's tax region.": "La región fiscal del emisor.",
    "The seller's tax id (RFC, VAT id...).": "El id fiscal del emisor (RFC, número de IVA...).",
    "The book's time zone, an IANA name (America/Mexico_City); it decides 'today'.": (
        "La zona horaria del libro, un nombre IANA (America/Mexico_City); decide qué es 'hoy'."
    ),
    "The currency of a new book's default approval limits (default: the seller country's).": (
        "La moneda de los límites de aprobación por omisión de un libro nuevo (por omisión: la del "
        "país del emisor)."
    ),
    "Give a new book default approval limits (refund, write-off, credit note, void).": (
        "Da a un libro nuevo límites de aprobación por omisión (reembolso, castigo, nota de "
        "crédito, anulación)."
    ),
    "A book several people share: PostgreSQL only (database roles, append-only records).": (
        "Un libro que comparten varias personas: solo PostgreSQL (roles de base de datos, "
        "registros de solo inserción)."
    ),
    "Accepted for scripts; a retry changes nothing anyway (an existing book is only migrated).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (un libro existente solo se "
        "actualiza)."
    ),
    "Move it to this team too.": "Lo pasa también a este equipo.",
    "What went well, what to improve.": "Qué salió bien, qué mejorar.",
    "When (default: now).": "Cuándo (por omisión: ahora).",
    "Reason code (wrong_price, goodwill...).": "Código de motivo (wrong_price, goodwill...).",
    "The invoice (default: the inquiry's one).": "La factura (por omisión: la de la consulta).",
    "Credit this amount (default: the whole invoice).": (
        "Acredita este importe (por omisión: la factura completa)."
    ),
    "Disputed amount (default: as open-dispute does).": (
        "Importe en disputa (por omisión: como lo hace open-dispute)."
    ),
    "A disputed line; repeat.": "Una línea en disputa; se puede repetir.",
    "Measure the SLAs then (default: now).": "Mide los SLA en ese momento (por omisión: ahora).",
    "Accepted for scripts; a retry changes nothing anyway (an inquiry is escalated once per "
    "SLA clock).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (una consulta se escala una "
        "vez por reloj de SLA)."
    ),
    "Re-rates the invoices issued on the affected documents' dates (or --from..--to) with the "
    "corrected data, writing nothing; `o2c rerate --apply` issues the fixes.": (
        "Vuelve a tarifar las facturas emitidas en las fechas de los documentos afectados (o de "
        "--from a --to) con los datos corregidos, sin escribir nada; `o2c rerate --apply` emite "
        "las correcciones."
    ),
    "First issue date (default: affected docs').": (
        "Primera fecha de emisión (por omisión: la de los documentos afectados)."
    ),
    "Last issue date (default: affected docs').": (
        "Última fecha de emisión (por omisión: la de los documentos afectados)."
    ),
    "Only this customer's.": "Solo las de este cliente.",
    "Only this agent's.": "Solo las de este agente.",
    "Only those about or spawning this dispute.": (
        "Solo las que tratan de esta disputa o la originaron."
    ),
    "Only those about this document (its id).": "Solo las que tratan de este documento (su id).",
    "The question in a line.": "La pregunta en una línea.",
    "How it came.": "Por qué medio llegó.",
    "About it; repeat.": "La factura de la que trata; se puede repetir.",
    "About this dispute.": "Sobre esta disputa.",
    "About this payment.": "Sobre este pago.",
    "The owning team.": "El equipo responsable.",
    "Who works it (default: who responds).": "Quién la atiende (por omisión: quien responde).",
    "When it came (default: now).": "Cuándo llegó (por omisión: ahora).",
    "When the customer answered (default: now).": (
        "Cuándo respondió el cliente (por omisión: ahora)."
    ),
    "Why the customer came back.": "Por qué volvió el cliente.",
    "What was done.": "Qué se hizo.",
    "A document the defect hit; repeat.": "Un documento afectado por el defecto; se puede repetir.",
    "When (default: now, or the contact's end).": (
        "Cuándo (por omisión: ahora, o el fin del contacto)."
    ),
    "Resolved in this contact (its summary).": "Resuelta en este contacto (su resumen).",
    "The contact's channel.": "El canal del contacto.",
    "When the contact started (now).": "Cuándo empezó el contacto (ahora).",
    "When it ended.": "Cuándo terminó.",
    "Or: how long it took.": "O bien: cuánto duró.",
    "What was said.": "Qué se dijo.",
    "How (default: the inquiry's).": "Cómo (por omisión: como la consulta).",
    "Then wait on the customer or on an internal team.": (
        "Después queda en espera del cliente o de un equipo interno."
    ),
    "servicedesk.hours=09:00-18:00; servicedesk.sla.<priority>=4/24 (business hours to respond "
    "/ to resolve); servicedesk.sla.<category>.<priority>=1/8. An empty value removes a key.": (
        "servicedesk.hours=09:00-18:00; servicedesk.sla.<priority>=4/24 (horas hábiles para "
        "responder / para resolver); servicedesk.sla.<category>.<priority>=1/8. Un valor vacío "
        "elimina la clave."
    ),
    "Accepted for scripts; a retry changes nothing anyway (setting a key to a value twice "
    "leaves it as it was).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (fijar una clave dos veces "
        "al mismo valor la deja como estaba)."
    ),
    "Create a manual invoice, e.g. `--line setup:1@500 --line consulting:7.5@150`.": (
        "Crea una factura manual, p. ej. `--line setup:1@500 --line consulting:7.5@150`."
    ),
    "Lines are taxed like a bill run's (the book's seller and tax table). With --issue it is "
    "numbered and posted, unless it needs approval (then it waits as a draft).": (
        "Las líneas llevan impuestos como las de una corrida de facturación (el emisor y la tabla "
        "de impuestos del libro). Con --issue recibe folio y se contabiliza, salvo que requiera "
        "aprobación (entonces espera como borrador)."
    ),
    "Who is invoiced.": "A quién se factura.",
    "ITEM:QTY@PRICE, or ITEM:QTY priced from --ratecard; repeat.": (
        "ITEM:QTY@PRICE, o ITEM:QTY con el precio de --ratecard; se puede repetir."
    ),
    "Price lines without @PRICE from this card.": "Cotiza con esta tarifa las líneas sin @PRICE.",
    "Text for an item's line (default: the rate card's name or the item).": (
        "Texto de la línea de un concepto (por omisión: el nombre en la tarifa o el concepto)."
    ),
    "Invoice (and tax point) date.": "Fecha de la factura (y del hecho imponible).",
    "Issue it now (else it stays a draft).": "La emite ahora (si no, queda como borrador).",
    "List the deliveries of DOCUMENT (every delivery without one), oldest first.": (
        "Lista las entregas de DOCUMENT (todas si no se indica), la más antigua primero."
    ),
    "Explain how each line of DOCUMENT was priced and taxed, and how its tax was rounded (kept "
    "off the customer's document).": (
        "Explica cómo se tarificó y gravó cada línea de DOCUMENT, y cómo se redondeó su impuesto "
        "(no aparece en el documento del cliente)."
    ),
    "Render issued DOCUMENT for the customer, in the customer's language and locale.": (
        "Genera el DOCUMENT emitido para el cliente, en el idioma y la configuración regional del "
        "cliente."
    ),
    "With --run RUN_ID --out-dir DIR, render each issued document of a bill run to its own "
    "file. A draft, an unknown document or a failing template is refused and writes no file "
    "(each file is written whole, then renamed into place).": (
        "Con --run RUN_ID --out-dir DIR, genera cada documento emitido de una corrida de "
        "facturación en su propio archivo. Un borrador, un documento desconocido o una plantilla "
        "que falla se rechazan y no escriben ningún archivo (cada archivo se escribe completo y "
        "luego se renombra en su lugar)."
    ),
    "Plain text, an HTML page, a PDF or UBL 2.1 XML.": (
        "Texto simple, una página HTML, un PDF o XML UBL 2.1."
    ),
    "Override the customer's locale (es_MX, de_DE...).": (
        "Sustituye la configuración regional del cliente (es_MX, de_DE...)."
    ),
    "Look for templates in DIR first (then the book's folder, then the bundled ones).": (
        "Busca plantillas primero en DIR (luego en la carpeta del libro, luego las incluidas)."
    ),
    "Write to this file instead of stdout.": (
        "Escribe en este archivo en lugar de la salida estándar."
    ),
    "Render every invoice of this bill run.": "Genera cada factura de esta corrida de facturación.",
    "With --run: the folder for the files (NUMBER.html, NUMBER.pdf, NUMBER.xml).": (
        "Con --run: la carpeta de los archivos (NUMBER.html, NUMBER.pdf, NUMBER.xml)."
    ),
    "With --as pdf: embed the UBL e-invoice in the PDF (Factur-X/ZUGFeRD style).": (
        "Con --as pdf: incrusta la factura electrónica UBL en el PDF (al estilo Factur-X/ZUGFeRD)."
    ),
    "E-mail issued DOCUMENT (or each of a bill run's) to its customer, with the PDF.": (
        "Envía por correo el DOCUMENT emitido (o cada uno de una corrida de facturación) a su "
        "cliente, con el PDF."
    ),
    "The e-mail is in the customer's language, from the seller's e-mail address to the "
    "customer's (o2c customer edit C --email ...), through the book's SMTP server (o2c invoice "
    "smtp). Each attempt is recorded (o2c invoice deliveries N); a server that cannot be "
    "reached is recorded as failed and reported in one line.": (
        "El correo va en el idioma del cliente, de la dirección de correo del emisor a la del "
        "cliente (o2c customer edit C --email ...), por el servidor SMTP del libro (o2c invoice "
        "smtp). Cada intento se registra (o2c invoice deliveries N); si no se puede conectar con "
        "el servidor, se registra como fallido y se informa en una línea."
    ),
    "Send every invoice of this bill run.": "Envía cada factura de esta corrida de facturación.",
    "Send to this address instead of the customer's (repeatable).": (
        "Envía a esta dirección en lugar de la del cliente (se puede repetir)."
    ),
    "Attach the UBL e-invoice too (default: as the customer's delivery format says).": (
        "Adjunta también la factura electrónica UBL (por omisión: según el formato de entrega del "
        "cliente)."
    ),
    "Override the customer's language (es_MX, de_DE...).": (
        "Sustituye el idioma del cliente (es_MX, de_DE...)."
    ),
    "Send a document that was sent already.": "Envía un documento que ya se envió.",
    "Show the book's SMTP server, or set it (options not given keep their value).": (
        "Muestra el servidor SMTP del libro, o lo configura (las opciones no indicadas conservan "
        "su valor)."
    ),
    "SMTP server host name.": "Nombre del servidor SMTP.",
    "Port (default 587).": "Puerto (por omisión 587).",
    "STARTTLS before login (default on).": (
        "STARTTLS antes de iniciar sesión (activado por omisión)."
    ),
    "Login, if the server needs one.": "Usuario, si el servidor lo requiere.",
    "The environment variable that holds the password (never stored in the book).": (
        "La variable de entorno que contiene la contraseña (nunca se guarda en el libro)."
    ),
    "From address when the seller has no e-mail.": (
        "Dirección de remitente cuando el emisor no tiene correo."
    ),
    "Seconds to wait for the server (default 30).": (
        "Segundos de espera al servidor (por omisión 30)."
    ),
    "Forget the server.": "Olvida el servidor.",
    "Render this book's documents with the templates in FOLDER first (the book's "
    "render.templates setting); without FOLDER, show the folder in use.": (
        "Genera los documentos de este libro primero con las plantillas de FOLDER (el parámetro "
        "render.templates del libro); sin FOLDER, muestra la carpeta en uso."
    ),
    "A template missing from FOLDER comes from the bundled ones; --templates on o2c invoice "
    "render comes before both.": (
        "Una plantilla que falte en FOLDER se toma de las incluidas; --templates en o2c invoice "
        "render tiene prioridad sobre ambas."
    ),
    "Go back to the bundled templates.": "Vuelve a las plantillas incluidas.",
}

MX: Final[dict[str, str]] = {
    "Show the late fees a dunning run would charge (the late_fee.<segment> settings), or with "
    "--charged those charged, each by its debit note.": (
        "Muestra los recargos moratorios que cobraría una corrida de cobranza (los parámetros "
        "late_fee.<segment>), o con --charged los ya cobrados, cada uno con su nota de cargo."
    ),
    "A new book gets default approval limits in its currency (--currency, else the seller "
    "country's): refunds over 500.00, write-offs over 100.00, credit notes and voids over "
    "1,000.00 (USD, EUR, GBP, CAD; twenty times that in MXN) wait for a lead's approval. They "
    "are shown, and `o2c approval policy --set` changes them; an existing book's policy is "
    "never touched.": (
        "Un libro nuevo recibe límites de aprobación por omisión en su moneda (--currency, si no, "
        "la del país del emisor): los reembolsos de más de 500.00, los castigos de más de 100.00, "
        "y las notas de crédito y cancelaciones de más de 1,000.00 (USD, EUR, GBP, CAD; veinte "
        "veces eso en MXN) esperan la aprobación de un líder. Se muestran, y `o2c approval policy "
        "--set` los cambia; la política de un libro existente nunca se toca."
    ),
    "Give a new book default approval limits (refund, write-off, credit note, void).": (
        "Da a un libro nuevo límites de aprobación por omisión (reembolso, castigo, nota de "
        "crédito, cancelación)."
    ),
}
