"""Spanish help of ``o2c approval`` to ``o2c demo``: command and option help.

Read by :mod:`o2c.cli._messages_es` (English paragraph, whitespace collapsed -> Spanish).
``MX`` holds the Mexican words where Mexico differs from Spain: an invoice is
*cancelada* (not *anulada*) and a debit note is a *nota de cargo*.
"""

from __future__ import annotations

from typing import Final

__all__ = ["HELP", "MX"]

HELP: Final[dict[str, str]] = {
    "Approve APPROVAL_ID and run the command it holds (never your own request).": (
        "Aprueba APPROVAL_ID y ejecuta el comando que retiene (nunca su propia solicitud)."
    ),
    "Why it is fine.": "Por qué procede.",
    "Decision date; the held command runs on it.": (
        "Fecha de la decisión; el comando retenido se ejecuta con esa fecha."
    ),
    "Give PERSON a ROLE (a controller's command once the book has one).": (
        "Asigna a PERSON un ROLE (un comando del contralor una vez que el libro tiene uno)."
    ),
    "From the first assignment on, every command needs a role that permits it (`o2c approval "
    "permissions`).": (
        "A partir de la primera asignación, cada comando requiere un rol que lo permita (`o2c "
        "approval permissions`)."
    ),
    "List approval requests (pending ones by default), oldest first.": (
        "Lista las solicitudes de aprobación (por omisión, las pendientes), la más antigua primero."
    ),
    "Only these.": "Solo estas.",
    "List the permission matrix: which roles may run each command.": (
        "Lista la matriz de permisos: qué roles pueden ejecutar cada comando."
    ),
    "A book without roles is open to anyone; once it has one, every command needs a role "
    "listed here (the auditor's list is empty: it only reads).": (
        "Un libro sin roles está abierto a cualquiera; en cuanto tiene uno, cada comando requiere "
        "un rol de esta lista (la del auditor está vacía: solo consulta)."
    ),
    "Only what this role may run.": "Solo lo que este rol puede ejecutar.",
    "Show (or change with --set) the approval, extension, SLA and calendar settings.": (
        "Muestra (o cambia con --set) los parámetros de aprobaciones, prórrogas, SLA y calendario."
    ),
    "Change a setting, e.g. approval.refund.USD='500.00 lead'; an empty value removes it.": (
        "Cambia un parámetro, p. ej. approval.refund.USD='500.00 lead'; un valor vacío lo elimina."
    ),
    "Accepted for scripts; a retry changes nothing anyway (setting a value twice leaves it set).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (fijar un valor dos veces "
        "lo deja fijado)."
    ),
    "Reject APPROVAL_ID: the held command never runs.": (
        "Rechaza APPROVAL_ID: el comando retenido nunca se ejecuta."
    ),
    "Why not.": "Por qué no.",
    "Decision date (default: today).": "Fecha de la decisión (por omisión: hoy).",
    "Ask for an action under the policy: it runs at once under the limit, else waits.": (
        "Solicita una acción conforme a la política: se ejecuta de inmediato bajo el límite; si "
        "no, espera aprobación."
    ),
    "Credit INVOICE (all, some lines or a net amount), or wait for approval.": (
        "Acredita INVOICE (completa, algunas líneas o un importe neto), o espera aprobación."
    ),
    "Credit line N or N:QTY.": "Acredita la línea N o N:QTY.",
    "Net amount to credit (on the --line lines).": (
        "Importe neto a acreditar (en las líneas de --line)."
    ),
    "Explanation for the customer.": "Explicación para el cliente.",
    "Date (default: today).": "Fecha (por omisión: hoy).",
    "Issue DRAFT (a manual invoice or a draft credit note), or wait for approval.": (
        "Emite DRAFT (una factura manual o una nota de crédito en borrador), o espera aprobación."
    ),
    "A manual invoice is measured against the manual-invoice limit, a draft credit note "
    "against the credit-note limit; bill-run drafts are issued at once.": (
        "Una factura manual se compara con el límite de facturas manuales y una nota de crédito en "
        "borrador con el de notas de crédito; los borradores de una corrida de facturación se "
        "emiten de inmediato."
    ),
    "Void DOCUMENT, or wait for approval when it is issued and above the void limit.": (
        "Anula DOCUMENT, o espera aprobación cuando está emitido y supera el límite de anulación."
    ),
    "Take ROLE away from PERSON.": "Retira el ROLE a PERSON.",
    "Accepted for scripts; a retry changes nothing anyway (revoking a role twice leaves it "
    "revoked).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (revocar un rol dos veces "
        "lo deja revocado)."
    ),
    "List who holds which role.": "Lista quién tiene cada rol.",
    "Only this person's roles.": "Solo los roles de esta persona.",
    "Show approval request APPROVAL_ID.": "Muestra la solicitud de aprobación APPROVAL_ID.",
    "List audit events: who did what, when, to which ids.": (
        "Lista los eventos de auditoría: quién hizo qué, cuándo y sobre qué ids."
    ),
    "Only this actor's events.": "Solo los eventos de este actor.",
    "Only this command's events (add_customer...).": (
        "Solo los eventos de este comando (add_customer...)."
    ),
    "Events after this seq.": "Eventos posteriores a este seq.",
    "At most this many events.": "Como máximo esta cantidad de eventos.",
    "Check the audit trail's hash chain and the money-carrying rows it seals; exit 1 when "
    "either was tampered with (each finding names the event, or the table and row).": (
        "Verifica la cadena de hashes de la bitácora de auditoría y los registros con importes que "
        "sella; termina con 1 si alguno fue alterado (cada hallazgo indica el evento, o la tabla y "
        "el registro)."
    ),
    "Copy the book consistently to a file while it stays in use (SQLite).": (
        "Copie el libro de forma consistente a un archivo mientras sigue en uso (SQLite)."
    ),
    "FILE gets SQLite's online backup of the book: the copy holds every command committed when "
    "it finished, none half-written, in one file that opens as a book (o2c --book FILE ...). "
    "Do not copy a live book with cp: recent commits may still sit in its -wal file. "
    "PostgreSQL books: use pg_dump (the error says how).": (
        "FILE recibe el respaldo en línea de SQLite del libro: la copia contiene cada comando "
        "confirmado al terminar, ninguno a medias, en un solo archivo que se abre como libro (o2c "
        "--book FILE ...). No copie un libro en uso con cp: las confirmaciones recientes pueden "
        "seguir en su archivo -wal. Libros en PostgreSQL: use pg_dump (el error indica cómo)."
    ),
    "Replace FILE if it exists.": "Reemplaza FILE si ya existe.",
    "List what bill runs could not bill, and why: one row per contract period and reason.": (
        "Lista lo que las corridas de facturación no pudieron facturar, y por qué: una fila por "
        "periodo de contrato y motivo."
    ),
    "A re-run that meets an exception again updates when it was last seen; a run that bills "
    "the contract period resolves it (--status resolved shows when and by which run). The "
    "message says how to fix it; then run the bill again.": (
        "Una nueva corrida que vuelve a encontrar una excepción actualiza cuándo se vio por última "
        "vez; una corrida que factura el periodo del contrato la resuelve (--status resolved "
        "muestra cuándo y con qué corrida). El mensaje indica cómo corregirla; después vuelva a "
        "ejecutar la facturación."
    ),
    "Only what this bill run raised or saw last.": (
        "Solo lo que esta corrida de facturación generó o vio por última vez."
    ),
    "Processes planning batches while one is written (2 on two cores or more: a large run is "
    "about a fifth faster; numbers and entries come out the same).": (
        "Procesos que planean lotes mientras se escribe uno (2 con dos núcleos o más: una corrida "
        "grande es aproximadamente una quinta parte más rápida; los folios y los asientos salen "
        "iguales)."
    ),
    "Accepted for scripts; a retry changes nothing anyway (what was billed for the period is "
    "skipped).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (lo ya facturado en el "
        "periodo se omite)."
    ),
    "Request the cancellation of DOCUMENT's CFDI (recorded, audited); the o2c document itself "
    "stays as it is (void or credit it as usual).": (
        "Solicita la cancelación del CFDI de DOCUMENT (registrada y auditada); el documento de o2c "
        "queda como está (anúlelo o acredítelo como de costumbre)."
    ),
    "SAT's reason: 01 errors, replaced (give --substitute); 02 errors; 03 not carried out; 04 "
    "in a global invoice.": (
        "Motivo del SAT: 01 comprobante emitido con errores con relación (indique --substitute); "
        "02 con errores sin relación; 03 no se llevó a cabo la operación; 04 operación nominativa "
        "relacionada en una factura global."
    ),
    "With --reason 01: the UUID of the replacing CFDI.": (
        "Con --reason 01: el UUID del CFDI que lo sustituye."
    ),
    "The PAC.": "El PAC.",
    "Stamp the Pagos 2.0 complement of PAYMENT_ID, applied to stamped PPD invoices: each "
    "invoice's installment, previous balance, amount paid and remaining balance come from the "
    "ledger.": (
        "Timbra el complemento de pago (Pagos 2.0) de PAYMENT_ID, aplicado a facturas PPD "
        "timbradas: la parcialidad, el saldo anterior, el importe pagado y el saldo insoluto de "
        "cada factura salen del libro mayor."
    ),
    "The CSD certificate (.cer) SAT issued to the seller.": (
        "El certificado del CSD (.cer) que el SAT emitió al emisor."
    ),
    "The CSD private key (.key).": "La llave privada del CSD (.key).",
    "The environment variable holding the key's password (else it is asked for).": (
        "La variable de entorno con la contraseña de la llave (si no, se pregunta)."
    ),
    "Pesos per unit of the document's currency (TipoCambio); for a document not in MXN, unless "
    "the book kept the document's rate.": (
        "Pesos por unidad de la moneda del documento (TipoCambio); para un documento que no está "
        "en MXN, salvo que el libro haya guardado el tipo de cambio del documento."
    ),
    "FormaDePagoP (c_FormaPago); by default from the payment's method (transfer 03).": (
        "FormaDePagoP (c_FormaPago); por omisión, según la forma de pago del pago (transferencia "
        "03)."
    ),
    "Also write the stamped complement to this file.": (
        "Escribe además el complemento timbrado en este archivo."
    ),
    "Set CUSTOMER_ID's CFDI data (checked against SAT's catalogues).": (
        "Define los datos CFDI de CUSTOMER_ID (validados contra los catálogos del SAT)."
    ),
    "c_RegimenFiscal of the customer (601, 612...).": "c_RegimenFiscal del cliente (601, 612...).",
    "Postal code of the customer's tax domicile.": (
        "Código postal del domicilio fiscal del cliente."
    ),
    "The legal name exactly as registered with SAT.": (
        "La razón social exactamente como está registrada ante el SAT."
    ),
    "RFC, when not the customer's tax id (XEXX010101000).": (
        "RFC, cuando no es el id fiscal del cliente (XEXX010101000)."
    ),
    "PPD: paid later or in instalments; PUE: paid at issue.": (
        "PPD: pago en parcialidades o diferido; PUE: pago en una sola exhibición."
    ),
    "c_FormaPago (99 with PPD).": "c_FormaPago (99 con PPD).",
    "ISO alpha-3 country of a foreign receiver.": "País ISO alfa-3 de un receptor extranjero.",
    "A foreign receiver's tax id.": "El id fiscal de un receptor extranjero.",
    "Show CUSTOMER_ID's CFDI data.": "Muestra los datos CFDI de CUSTOMER_ID.",
    "Set ITEM's SAT keys (checked against SAT's catalogues).": (
        "Define las claves SAT de ITEM (validadas contra los catálogos del SAT)."
    ),
    "c_ClaveUnidad (E48 service, H87 piece...).": "c_ClaveUnidad (E48 servicio, H87 pieza...).",
    "c_ObjetoImp (01, 02...); default by the line's taxes.": (
        "c_ObjetoImp (01, 02...); por omisión, según los impuestos de la línea."
    ),
    "Write issued DOCUMENT as a sealed CFDI, not stamped (for a PAC o2c has no adapter for); "
    "nothing is stored.": (
        "Escribe el DOCUMENT emitido como CFDI sellado, sin timbrar (para un PAC sin adaptador en "
        "o2c); no se guarda nada."
    ),
    "Write the sealed CFDI here instead of stdout.": (
        "Escribe aquí el CFDI sellado en lugar de la salida estándar."
    ),
    "Set the issuer's CFDI data where the seller identity (o2c seller set) lacks it.": (
        "Define los datos CFDI del emisor que falten en su identidad (o2c seller set)."
    ),
    "c_RegimenFiscal (else the seller's tax regime).": (
        "c_RegimenFiscal (si no, el régimen fiscal del emisor)."
    ),
    "Expedition postal code (else the seller's address).": (
        "Código postal del lugar de expedición (si no, el del domicilio del emisor)."
    ),
    "With --run RUN_ID, stamp each issued document of a bill run that has no CFDI in force "
    "yet, with a progress bar; one that is refused is reported and the others go on (the exit "
    "code is 1 when any was refused).": (
        "Con --run RUN_ID, timbra cada documento emitido de una corrida de facturación que aún no "
        "tenga un CFDI vigente, con una barra de progreso; si uno se rechaza, se informa y los "
        "demás continúan (el código de salida es 1 si se rechazó alguno)."
    ),
    "Stamp every issued invoice of this bill run.": (
        "Timbra cada factura emitida de esta corrida de facturación."
    ),
    "The PAC: 'test' (offline; its stamps are not valid before SAT) or MODULE:FACTORY, a "
    "callable returning a PAC adapter.": (
        "El PAC: 'test' (sin conexión; sus timbres no son válidos ante el SAT) o MODULE:FACTORY, "
        "una función que devuelve un adaptador de PAC."
    ),
    "Also write the stamped CFDI to this file.": "Escribe además el CFDI timbrado en este archivo.",
    "An invoice about to be made, to measure too.": "Una factura por emitir, para medirla también.",
    "Rank the customers to call: overdue amount (open less disputed, past the effective due "
    "date), then the age of the oldest overdue item, per currency; with the last contact, "
    "promises and disputes. --format csv or json for a spreadsheet.": (
        "Ordena a los clientes por llamar: importe vencido (lo abierto menos lo disputado, pasada "
        "la fecha de vencimiento efectiva), después la antigüedad de la partida vencida más "
        "antigua, por moneda; con el último contacto, las promesas y las disputas. --format csv o "
        "json para una hoja de cálculo."
    ),
    "Only this customer.": "Solo este cliente.",
    "Add contract CONTRACT_ID, e.g.": "Da de alta el contrato CONTRACT_ID, p. ej.",
    "The customer.": "El cliente.",
    "The rate card it prices from.": "La tarifa con la que se cotiza.",
    "First day (also the cycle anchor).": "Primer día (también el ancla del ciclo).",
    "First day no longer covered (default: open-ended).": (
        "Primer día que ya no cubre (por omisión: sin fin)."
    ),
    "Bill recurring charges before or after the period.": (
        "Factura los cargos recurrentes antes o después del periodo."
    ),
    "Billing currency (default: the customer's).": (
        "Moneda de facturación (por omisión: la del cliente)."
    ),
    "Customer's purchase order number.": "Número de orden de compra del cliente.",
    "Payment terms for this contract, e.g. 'net 15'.": (
        "Condiciones de pago de este contrato, p. ej. 'net 15'."
    ),
    "Billed in advance: issue the first period's invoice now (no bill run bills it again).": (
        "Facturado por adelantado: emite ahora la factura del primer periodo (ninguna corrida de "
        "facturación la vuelve a facturar)."
    ),
    "A recurring charge (subscription, seats); repeat.": (
        "Un cargo recurrente (suscripción, licencias); se puede repetir."
    ),
    "A metered item; repeat.": "Un concepto medido por consumo; se puede repetir.",
    "A time & materials item; repeat.": "Un concepto de tiempo y materiales; se puede repetir.",
    "Amend CONTRACT_ID from a date (a new version; mid-period changes are prorated).": (
        "Modifica CONTRACT_ID a partir de una fecha (una nueva versión; los cambios a mitad de "
        "periodo se prorratean)."
    ),
    "--recurring/--usage/--time replace the lines; --quantity changes one line's quantity.": (
        "--recurring/--usage/--time reemplazan las líneas; --quantity cambia la cantidad de una "
        "línea."
    ),
    "The change applies from.": "Fecha desde la que aplica el cambio.",
    "Price from another rate card.": "Cotiza con otra tarifa.",
    "A new purchase order number.": "Un nuevo número de orden de compra.",
    "Change a recurring line's quantity (seats); repeat.": (
        "Cambia la cantidad de una línea recurrente (licencias); se puede repetir."
    ),
    "End the contract on this date (first day not covered).": (
        "Termina el contrato en esta fecha (primer día sin cubrir)."
    ),
    "Add the contracts of FILE (CSV with , or ; separators, or XLSX), all or none.": (
        "Da de alta los contratos de FILE (CSV separado por , o ;, o XLSX), todos o ninguno."
    ),
    "One row per contract line, grouped by the contract column. Columns: contract, customer, "
    "ratecard, start, kind (recurring, usage or time), item (required); quantity (recurring "
    "lines, default 1), description, end, cycle (weekly, monthly, quarterly, yearly), timing "
    "(advance, arrears), currency (default: the customer's), po, terms. The contract's columns "
    "may be left empty on its later rows. Every problem is listed (line, column, value); "
    "nothing is added when any row has one.": (
        "Una fila por línea de contrato, agrupadas por la columna contract. Columnas: contract, "
        "customer, ratecard, start, kind (recurring, usage o time), item (obligatorias); quantity "
        "(líneas recurrentes, por omisión 1), description, end, cycle (weekly, monthly, quarterly, "
        "yearly), timing (advance, arrears), currency (por omisión: la del cliente), po, terms. "
        "Las columnas del contrato pueden quedar vacías en sus filas siguientes. Se listan todos "
        "los problemas (línea, columna, valor); no se agrega nada si alguna fila tiene uno."
    ),
    "List contracts.": "Lista los contratos.",
    "Only this customer's contracts.": "Solo los contratos de este cliente.",
    "Show CONTRACT_ID with every version.": "Muestra CONTRACT_ID con todas sus versiones.",
    "Credit INVOICE: all that is left, some lines (--line) or a net amount (--amount).": (
        "Acredita INVOICE: todo lo que queda, algunas líneas (--line) o un importe neto (--amount)."
    ),
    "`--line 2 --amount 1650` credits 1,650.00 net on line 2 only. Units of a tiered line "
    "(`--line 3:4125`) are credited at what the invoice charged for them, the last units "
    "billed (top tier) first.": (
        "`--line 2 --amount 1650` acredita 1,650.00 netos solo en la línea 2. Las unidades de una "
        "línea escalonada (`--line 3:4125`) se acreditan al precio que la factura cobró por ellas, "
        "primero las últimas unidades facturadas (el escalón más alto)."
    ),
    "Above the approval policy's limit the credit note waits for another person's approval.": (
        "Por encima del límite de la política de aprobación, la nota de crédito espera la "
        "aprobación de otra persona."
    ),
    "The invoice to credit.": "La factura a acreditar.",
    "Credit invoice line N (what is left) or N:QTY; repeat per line. With --amount: the lines "
    "the amount is credited on.": (
        "Acredita la línea N de la factura (lo que queda) o N:QTY; repita por línea. Con --amount: "
        "las líneas en las que se acredita el importe."
    ),
    "Credit this net amount on the --line lines (all lines without --line), spread by their net.": (
        "Acredita este importe neto en las líneas de --line (todas las líneas sin --line), "
        "repartido según su neto."
    ),
    "Reason code.": "Código de motivo.",
    "Keep it as a draft instead of issuing it.": "Lo deja como borrador en lugar de emitirlo.",
    "Add customer CUSTOMER_ID (--name, --country and --currency are required).": (
        "Da de alta al cliente CUSTOMER_ID (--name, --country y --currency son obligatorios)."
    ),
    'Example: `o2c customer add C-MX-1 --name "Tortillería La Esperanza SA de CV" --country '
    "MX --currency MXN --tax-id TLE010101AB1 --locale es_MX`": (
        'Ejemplo: `o2c customer add C-MX-1 --name "Tortillería La Esperanza SA de CV" --country '
        "MX --currency MXN --tax-id TLE010101AB1 --locale es_MX`"
    ),
    "Legal name shown on documents.": "Razón social que aparece en los documentos.",
    "ISO country code (MX, DE, US...).": "Código de país ISO (MX, DE, US...).",
    "Billing currency (MXN, EUR, USD...).": "Moneda de facturación (MXN, EUR, USD...).",
    "Tax region within the country, if any.": "Región fiscal dentro del país, si la hay.",
    "Tax id: an RFC for MX, a VAT id for the EU (checked), other ids as given.": (
        "Id fiscal: un RFC para MX, un número de IVA intracomunitario para la UE (validado), otros "
        "ids tal como se dan."
    ),
    "Company or individual (Mexican withholdings).": (
        "Persona moral o física (retenciones en México)."
    ),
    "Billing address: street and number.": "Domicilio de facturación: calle y número.",
    "Billing address: city.": "Domicilio de facturación: ciudad.",
    "Billing address: postal code.": "Domicilio de facturación: código postal.",
    "Document locale, e.g. es_MX, de_DE, en_US (add: from the country if not given).": (
        "Configuración regional de los documentos, p. ej. es_MX, de_DE, en_US (add: la del país si "
        "no se indica)."
    ),
    "Where documents are e-mailed: one address, or several separated by commas.": (
        "A dónde se envían los documentos por correo: una dirección, o varias separadas por comas."
    ),
    "How documents reach the customer (o2c invoice send needs email).": (
        "Cómo llegan los documentos al cliente (o2c invoice send requiere email)."
    ),
    "What o2c invoice send attaches: the PDF, or the PDF and the UBL e-invoice.": (
        "Qué adjunta o2c invoice send: el PDF, o el PDF y la factura electrónica UBL."
    ),
    "Payment terms: 'net 30', 'eom+15'...": "Condiciones de pago: 'net 30', 'eom+15'...",
    "IANA zone, e.g. America/Mexico_City.": "Zona IANA, p. ej. America/Mexico_City.",
    "Credit limit, e.g. '50000 MXN'.": "Límite de crédito, p. ej. '50000 MXN'.",
    "Invoices need a PO.": "Las facturas requieren una orden de compra.",
    "Collection segment (selects the dunning policy).": (
        "Segmento de cobranza (elige la política de recordatorios)."
    ),
    "Peppol endpoint EAS scheme of UBL e-invoices (0088 GLN, 0204, 9930...).": (
        "Esquema EAS del endpoint Peppol de las facturas electrónicas UBL (0088 GLN, 0204, "
        "9930...)."
    ),
    "Peppol endpoint id within the scheme.": "Id del endpoint Peppol dentro del esquema.",
    "Change details of customer CUSTOMER_ID (only the options given change).": (
        "Cambia datos del cliente CUSTOMER_ID (solo cambian las opciones indicadas)."
    ),
    "Issued documents keep the customer as it was when they were issued.": (
        "Los documentos emitidos conservan al cliente como era cuando se emitieron."
    ),
    "Add the customers of FILE (CSV with , or ; separators, or XLSX), all or none.": (
        "Da de alta los clientes de FILE (CSV separado por , o ;, o XLSX), todos o ninguno."
    ),
    "Columns (header row, any order, any case): id, name, country, currency (required); "
    "region, tax_id, person_type, street, city, postal_code, locale, terms, time_zone, "
    "credit_limit (in the customer's currency), po_required (true/false), segment, email "
    "(addresses separated by commas), endpoint_scheme and endpoint_id (the Peppol endpoint, an "
    "EAS code and an id). Without a locale, the country's is taken. Every row is checked first "
    "and every problem listed (line, column, value); nothing is added when any row has one.": (
        "Columnas (fila de encabezados, en cualquier orden, mayúsculas o minúsculas): id, name, "
        "country, currency (obligatorias); region, tax_id, person_type, street, city, postal_code, "
        "locale, terms, time_zone, credit_limit (en la moneda del cliente), po_required "
        "(true/false), segment, email (direcciones separadas por comas), endpoint_scheme y "
        "endpoint_id (el endpoint Peppol, un código EAS y un id). Sin locale se toma la del país. "
        "Primero se revisa cada fila y se listan todos los problemas (línea, columna, valor); no "
        "se agrega nada si alguna fila tiene uno."
    ),
    "List customers by id.": "Lista los clientes por id.",
    "Only customers whose id or name contains this.": (
        "Solo los clientes cuyo id o nombre contiene este texto."
    ),
    "Show every detail of customer CUSTOMER_ID, and its credit against its limit.": (
        "Muestra todos los datos del cliente CUSTOMER_ID y su crédito frente a su límite."
    ),
    "PostgreSQL books: database roles and append-only records.": (
        "Libros en PostgreSQL: roles de base de datos y registros de solo inserción."
    ),
    "Create the book's database roles and make its records append-only.": (
        "Crea los roles de base de datos del libro y hace sus registros de solo inserción."
    ),
    "Creates reader, writer, approver and owner group roles for the book (grant them to your "
    "users' login roles: GRANT o2c_SCHEMA_writer TO luis) and triggers that refuse any UPDATE "
    "or DELETE of issued documents, the journal and the audit trail to all but the owner. Run "
    "it as the user who created the book (it needs CREATEROLE), and again after upgrading o2c. "
    "Safe to repeat.": (
        "Crea los roles de grupo lector, escritor, aprobador y propietario del libro (otórguelos a "
        "los roles de inicio de sesión de sus usuarios: GRANT o2c_SCHEMA_writer TO luis) y "
        "triggers que impiden a todos salvo al propietario cualquier UPDATE o DELETE de documentos "
        "emitidos, del diario y de la bitácora de auditoría. Ejecútelo con el usuario que creó el "
        "libro (requiere CREATEROLE), y de nuevo después de actualizar o2c. Se puede repetir sin "
        "riesgo."
    ),
    "Accepted for scripts; a retry changes nothing anyway (existing roles are kept, grants and "
    "triggers re-applied).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (los roles existentes se "
        "conservan; los permisos y triggers se vuelven a aplicar)."
    ),
    "Charge more on INVOICE, e.g. `--line 1:50.00` (net, taxed like line 1).": (
        "Cobra un cargo adicional sobre INVOICE, p. ej. `--line 1:50.00` (neto, con los impuestos "
        "de la línea 1)."
    ),
    "The invoice to add to.": "La factura a la que se agrega el cargo.",
    "N:AMOUNT: charge AMOUNT more (net) on invoice line N, taxed as that line.": (
        "N:AMOUNT: cobra AMOUNT adicional (neto) sobre la línea N de la factura, con los impuestos "
        "de esa línea."
    ),
    "Customers in Mexico, Germany, France and the US; contracts with flat, per-unit, tiered, "
    "volume, package and time-and-materials pricing; usage and time; two monthly bill runs, "
    "payments, a credit note, a dispute and an extension. Run it again to see the summary "
    "only.": (
        "Clientes en México, Alemania, Francia y EE. UU.; contratos con precio fijo, por unidad, "
        "escalonado, por volumen, por paquete y por tiempo y materiales; consumo y tiempo; dos "
        "corridas de facturación mensuales, pagos, una nota de crédito, una disputa y una "
        "prórroga. Ejecútelo de nuevo para ver solo el resumen."
    ),
    "Where to build the demo book (default: o2c-demo.db, never your ./o2c.db).": (
        "Dónde crear el libro de demostración (por omisión: o2c-demo.db, nunca su ./o2c.db)."
    ),
    "Accepted for scripts; a retry changes nothing anyway (an existing demo book is only shown).": (
        "Se acepta para scripts; repetir no cambia nada de todos modos (un libro de demostración "
        "existente solo se muestra)."
    ),
}

MX: Final[dict[str, str]] = {
    "Void DOCUMENT, or wait for approval when it is issued and above the void limit.": (
        "Cancela DOCUMENT, o espera aprobación cuando está emitido y supera el límite de "
        "cancelación."
    ),
    "Request the cancellation of DOCUMENT's CFDI (recorded, audited); the o2c document itself "
    "stays as it is (void or credit it as usual).": (
        "Solicita la cancelación del CFDI de DOCUMENT (registrada y auditada); el documento de o2c "
        "queda como está (cancélelo o acredítelo como de costumbre)."
    ),
}
