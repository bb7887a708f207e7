"""``o2c cfdi``: Mexico's CFDI 4.0: master data, sealing, stamping and cancellation.

Needs the ``mx`` extra (``pip install 'o2c[mx]'``, satcfdi). The CSD's key password is
read from the environment variable named by ``--password-env`` (``O2C_CSD_PASSWORD`` by
default) or asked for; it is never a command-line argument (shell history, ``ps``).
"""

from __future__ import annotations

import importlib
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._i18n import _
from o2c.cli._output import force_option
from o2c.cli._rendering import emit_bytes
from o2c.errors import ValidationError

if TYPE_CHECKING:
    from o2c.book import Book
    from o2c.io.cfdi import CfdiRecord, Csd, Pac

__all__ = ["cfdi", "record_row"]

#: The environment variable holding the CSD key's password, by default.
PASSWORD_ENV = "O2C_CSD_PASSWORD"


@click.group("cfdi", cls=NounGroup)
def cfdi() -> None:
    """Mexico's CFDI 4.0: SAT master data, seal, stamp through a PAC, cancel.

    Needs the mx extra: pip install 'o2c[mx]'.
    """


def _needs_extra() -> None:
    try:
        importlib.import_module("satcfdi")
    except ImportError:
        raise click.ClickException(_("CFDI needs the mx extra: pip install 'o2c[mx]'")) from None


def _rate(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationError("exchange_rate", value, "a number such as 18.2345") from None


def _document_rate(book: Book, document: str) -> Decimal | None:
    # The rate the FX area kept for the document (its functional amounts, issue 19), when
    # the book has one and the functional currency is the peso: CFDI's TipoCambio.
    finder = getattr(book, "document_rate", None)
    if finder is None:
        return None
    quote = finder(document)
    if quote is None or getattr(quote.quote, "code", "") != "MXN":
        return None
    rate: Decimal = (quote.numerator / quote.denominator).quantize(Decimal("0.000001"))
    return rate


def record_row(record: CfdiRecord) -> dict[str, object]:
    """A stamped CFDI as a row for ``o2c cfdi show``."""
    return {
        "uuid": record.uuid,
        "document": record.source,
        "type": record.cfdi_type,
        "pac": record.pac,
        "stamped_at": record.stamped_at.isoformat(),
        "stamped_by": record.stamped_by,
        "cancel_reason": "" if record.cancel_reason is None else record.cancel_reason.value,
        "substitute": record.substitute or "",
        "cancelled_at": "" if record.cancelled_at is None else record.cancelled_at.isoformat(),
    }


def _csd(cert: Path, key: Path, password_env: str) -> Csd:
    from o2c.io.cfdi import load_csd

    password = os.environ.get(password_env)
    if password is None:
        password = click.prompt(_("CSD key password"), hide_input=True)
    return load_csd(cert, key, password)


def _pac(name: str, obj: Context) -> Pac:
    """The PAC named ``test`` (offline, for trials) or ``module:factory`` (an adapter)."""
    if name == "test":
        from o2c.io.cfdi import TestPac

        return TestPac(obj.now)
    module_name, _sep, attribute = name.partition(":")
    if not attribute:
        raise click.BadParameter(
            _("'test' or MODULE:FACTORY (a callable returning a PAC adapter)"), param_hint="--pac"
        )
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise click.BadParameter(f"{name}: {exc}", param_hint="--pac") from None
    pac: Pac = factory()
    return pac


_csd_options = [
    click.option(
        "--cert",
        required=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="The CSD certificate (.cer) SAT issued to the seller.",
    ),
    click.option(
        "--key",
        required=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="The CSD private key (.key).",
    ),
    click.option(
        "--password-env",
        default=PASSWORD_ENV,
        show_default=True,
        help="The environment variable holding the key's password (else it is asked for).",
    ),
    click.option(
        "--exchange-rate",
        help="Pesos per unit of the document's currency (TipoCambio); for a document not"
        " in MXN, unless the book kept the document's rate.",
    ),
]


def _with_csd_options(function: Any) -> Any:
    for option in reversed(_csd_options):
        function = option(function)
    return function


# -- master data ------------------------------------------------------------------------


@cfdi.group("customer", cls=NounGroup)
def cfdi_customer() -> None:
    """A customer's CFDI data: regime, tax postal code, CFDI use, payment method."""


@cfdi_customer.command("set")
@click.argument("customer_id")
@click.option("--regime", required=True, help="c_RegimenFiscal of the customer (601, 612...).")
@click.option("--postal-code", required=True, help="Postal code of the customer's tax domicile.")
@click.option("--use", "use", required=True, help="c_UsoCFDI (G03, G01, S01...).")
@click.option("--name", default="", help="The legal name exactly as registered with SAT.")
@click.option("--rfc", default="", help="RFC, when not the customer's tax id (XEXX010101000).")
@click.option(
    "--payment-method",
    type=click.Choice(["PPD", "PUE"]),
    default="PPD",
    show_default=True,
    help="PPD: paid later or in instalments; PUE: paid at issue.",
)
@click.option("--payment-form", default="99", show_default=True, help="c_FormaPago (99 with PPD).")
@click.option("--tax-residence", default="", help="ISO alpha-3 country of a foreign receiver.")
@click.option("--foreign-tax-id", default="", help="A foreign receiver's tax id.")
@idempotency_option
@pass_context
def cfdi_customer_set(
    obj: Context,
    customer_id: str,
    regime: str,
    postal_code: str,
    use: str,
    name: str,
    rfc: str,
    payment_method: str,
    payment_form: str,
    tax_residence: str,
    foreign_tax_id: str,
    idempotency_key: str | None,
) -> None:
    """Set CUSTOMER_ID's CFDI data (checked against SAT's catalogues)."""
    _needs_extra()
    from o2c.io.cfdi import CfdiCustomer

    data = CfdiCustomer(
        regime=regime.strip(),
        postal_code=postal_code.strip(),
        use=use.strip().upper(),
        legal_name=name.strip(),
        rfc=rfc.strip().upper(),
        payment_method=payment_method,
        payment_form=payment_form.strip(),
        tax_residence=tax_residence.strip().upper(),
        foreign_tax_id=foreign_tax_id.strip(),
    )
    obj.book().set_cfdi_customer(customer_id, data, idempotency_key=idempotency_key)
    obj.note(_("CFDI data of {customer} set").format(customer=customer_id))


@cfdi_customer.command("show")
@click.argument("customer_id")
@pass_context
def cfdi_customer_show(obj: Context, customer_id: str) -> None:
    """Show CUSTOMER_ID's CFDI data."""
    _needs_extra()
    import attrs

    found = obj.book().cfdi_customer(customer_id)
    if found is None:
        raise click.ClickException(
            _("{customer} has no CFDI data: o2c cfdi customer set {customer} ...").format(
                customer=customer_id
            )
        )
    obj.emit({"customer": customer_id, **attrs.asdict(found)})


@cfdi.group("item", cls=NounGroup)
def cfdi_item() -> None:
    """An item's SAT keys: ClaveProdServ, ClaveUnidad, ObjetoImp."""


@cfdi_item.command("set")
@click.argument("item")
@click.option("--product-key", required=True, help="c_ClaveProdServ (80101500...).")
@click.option("--unit-key", required=True, help="c_ClaveUnidad (E48 service, H87 piece...).")
@click.option(
    "--tax-object", default="", help="c_ObjetoImp (01, 02...); default by the line's taxes."
)
@idempotency_option
@pass_context
def cfdi_item_set(
    obj: Context,
    item: str,
    product_key: str,
    unit_key: str,
    tax_object: str,
    idempotency_key: str | None,
) -> None:
    """Set ITEM's SAT keys (checked against SAT's catalogues)."""
    _needs_extra()
    from o2c.io.cfdi import CfdiItem

    data = CfdiItem(product_key.strip(), unit_key.strip().upper(), tax_object.strip())
    obj.book().set_cfdi_item(item, data, idempotency_key=idempotency_key)
    obj.note(_("SAT keys of {item} set").format(item=item))


@cfdi.group("seller", cls=NounGroup)
def cfdi_seller() -> None:
    """The issuer's CFDI data: regime and expedition postal code."""


@cfdi_seller.command("set")
@click.option("--regime", default="", help="c_RegimenFiscal (else the seller's tax regime).")
@click.option(
    "--postal-code", default="", help="Expedition postal code (else the seller's address)."
)
@click.option("--name", default="", help="The legal name exactly as registered with SAT.")
@idempotency_option
@pass_context
def cfdi_seller_set(
    obj: Context, regime: str, postal_code: str, name: str, idempotency_key: str | None
) -> None:
    """Set the issuer's CFDI data where the seller identity (o2c seller set) lacks it."""
    _needs_extra()
    from o2c.io.cfdi import CfdiSeller

    data = CfdiSeller(regime=regime.strip(), postal_code=postal_code.strip(), legal_name=name)
    obj.book().set_cfdi_seller(data, idempotency_key=idempotency_key)
    obj.note(_("CFDI data of the seller set"))


# -- documents --------------------------------------------------------------------------


@cfdi.command("seal")
@click.argument("document")
@_with_csd_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the sealed CFDI here instead of stdout.",
)
@force_option
@pass_context
def cfdi_seal(
    obj: Context,
    document: str,
    cert: Path,
    key: Path,
    password_env: str,
    exchange_rate: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Write issued DOCUMENT as a sealed CFDI, not stamped (for a PAC o2c has no adapter
    for); nothing is stored."""
    _needs_extra()
    book = obj.book()
    rate = _rate(exchange_rate) or _document_rate(book, document)
    data = book.seal_cfdi(document, _csd(cert, key, password_env), exchange_rate=rate)
    if emit_bytes(data, output, force=force, binary=False):
        obj.note(_("wrote {path}").format(path=output))


@cfdi.command("stamp")
@click.argument("document", required=False)
@click.option(
    "--run", "run_id", metavar="RUN_ID", help="Stamp every issued invoice of this bill run."
)
@_with_csd_options
@click.option(
    "--pac",
    "pac_name",
    default="test",
    show_default=True,
    help="The PAC: 'test' (offline; its stamps are not valid before SAT) or"
    " MODULE:FACTORY, a callable returning a PAC adapter.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the stamped CFDI to this file.",
)
@force_option
@idempotency_option
@pass_context
def cfdi_stamp(
    obj: Context,
    document: str | None,
    run_id: str | None,
    cert: Path,
    key: Path,
    password_env: str,
    exchange_rate: str | None,
    pac_name: str,
    output: Path | None,
    force: bool,
    idempotency_key: str | None,
) -> None:
    """Seal issued DOCUMENT, have the PAC stamp it and record its UUID.

    With --run RUN_ID, stamp each issued document of a bill run that has no CFDI in force
    yet, with a progress bar; one that is refused is reported and the others go on (the
    exit code is 1 when any was refused).
    """
    _needs_extra()
    if (document is None) == (run_id is None):
        raise click.UsageError(_("give a DOCUMENT or --run RUN_ID (not both)"))
    book = obj.book()
    if run_id is not None:
        if output is not None:
            raise click.UsageError(_("--run stamps many documents: -o writes one"))
        _stamp_run(obj, run_id, _csd(cert, key, password_env), _pac(pac_name, obj), exchange_rate)
        return
    assert document is not None
    rate = _rate(exchange_rate) or _document_rate(book, document)
    record = book.stamp_cfdi(
        document,
        _csd(cert, key, password_env),
        _pac(pac_name, obj),
        exchange_rate=rate,
        idempotency_key=idempotency_key,
    )
    if output is not None:
        emit_bytes(book.cfdi_xml(record.source), output, force=force, binary=False)
        obj.note(_("wrote {path}").format(path=output))
    obj.emit(record_row(record))


def _stamp_run(obj: Context, run_id: str, csd: Csd, pac: Pac, exchange_rate: str | None) -> None:
    """Stamp the issued documents of bill run ``run_id`` that have no CFDI in force."""
    from o2c.errors import O2CError

    book = obj.book()
    documents = [d for d in book.list_documents(bill_run=run_id) if d.number is not None]
    if not documents:
        raise click.ClickException(
            _("bill run {run} has no issued documents to stamp").format(run=run_id)
        )
    todo = [d for d in documents if not any(not r.cancelled for r in book.cfdi_records(str(d.id)))]
    rows: list[dict[str, object]] = []
    refused: list[tuple[str, str]] = []
    with click.progressbar(todo, label=_("Stamping"), file=sys.stderr) as bar:
        for doc in bar:
            number = str(doc.number)
            try:
                rate = _rate(exchange_rate) or _document_rate(book, number)
                rows.append(record_row(book.stamp_cfdi(number, csd, pac, exchange_rate=rate)))
            except O2CError as exc:
                refused.append((number, str(exc)))
    obj.emit(rows, columns=["uuid", "document", "type", "pac", "stamped_at", "stamped_by"])
    obj.note(
        _("stamped {stamped}, already stamped {skipped}, refused {refused}").format(
            stamped=len(rows), skipped=len(documents) - len(todo), refused=len(refused)
        )
    )
    for number, reason in refused:
        obj.note(f"{number}: {reason}")
    if refused:
        raise click.exceptions.Exit(1)


@cfdi.command("cancel")
@click.argument("document")
@click.option(
    "--reason",
    required=True,
    type=click.Choice(["01", "02", "03", "04"]),
    help="SAT's reason: 01 errors, replaced (give --substitute); 02 errors; 03 not carried"
    " out; 04 in a global invoice.",
)
@click.option("--substitute", help="With --reason 01: the UUID of the replacing CFDI.")
@click.option("--pac", "pac_name", default="test", show_default=True, help="The PAC.")
@idempotency_option
@pass_context
def cfdi_cancel(
    obj: Context,
    document: str,
    reason: str,
    substitute: str | None,
    pac_name: str,
    idempotency_key: str | None,
) -> None:
    """Request the cancellation of DOCUMENT's CFDI (recorded, audited); the o2c document
    itself stays as it is (void or credit it as usual)."""
    _needs_extra()
    record = obj.book().cancel_cfdi(
        document,
        reason,
        _pac(pac_name, obj),
        substitute=substitute,
        idempotency_key=idempotency_key,
    )
    obj.emit(record_row(record))


@cfdi.command("show")
@click.argument("document")
@pass_context
def cfdi_show(obj: Context, document: str) -> None:
    """List the CFDIs stamped for DOCUMENT (cancelled ones too)."""
    _needs_extra()
    rows = [record_row(r) for r in obj.book().cfdi_records(document)]
    obj.emit(
        rows,
        columns=[
            "uuid",
            "document",
            "type",
            "pac",
            "stamped_at",
            "stamped_by",
            "cancel_reason",
            "substitute",
            "cancelled_at",
        ],
    )


@cfdi.command("complement")
@click.argument("payment_id")
@_with_csd_options
@click.option(
    "--form",
    "payment_form",
    help="FormaDePagoP (c_FormaPago); by default from the payment's method (transfer 03).",
)
@click.option("--pac", "pac_name", default="test", show_default=True, help="The PAC.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the stamped complement to this file.",
)
@force_option
@idempotency_option
@pass_context
def cfdi_complement(
    obj: Context,
    payment_id: str,
    cert: Path,
    key: Path,
    password_env: str,
    exchange_rate: str | None,
    payment_form: str | None,
    pac_name: str,
    output: Path | None,
    force: bool,
    idempotency_key: str | None,
) -> None:
    """Stamp the Pagos 2.0 complement of PAYMENT_ID, applied to stamped PPD invoices: each
    invoice's installment, previous balance, amount paid and remaining balance come from
    the ledger."""
    _needs_extra()
    book = obj.book()
    record = book.stamp_payment_complement(
        payment_id,
        _csd(cert, key, password_env),
        _pac(pac_name, obj),
        exchange_rate=_rate(exchange_rate),
        payment_form=payment_form,
        idempotency_key=idempotency_key,
    )
    if output is not None:
        emit_bytes(book.payment_complement_xml(payment_id), output, force=force, binary=False)
        obj.note(_("wrote {path}").format(path=output))
    obj.emit(record_row(record))
