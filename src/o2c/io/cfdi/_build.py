"""Write an issued o2c document as a sealed CFDI 4.0: Ingreso (invoice, debit note) or
Egreso (credit note, related to its invoice's UUID with TipoRelacion 01).

satcfdi builds the Comprobante (its nodes, the grouped tax summary and totals), writes the
original string with SAT's XSLT and signs it; o2c maps its document, seller and CFDI master
data onto it, checks everything a PAC would refuse first (catalogue codes, RFC check
digits, regimes per CFDI use, Anexo 20 tax limits), and checks that the totals satcfdi
recomputes equal the document's own to the cent before the seal is applied.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from o2c.billing import Document, DocumentKind, DocumentLine, DocumentStatus
from o2c.errors import InvalidState, InvariantViolation, ValidationError
from o2c.io.cfdi._csd import Csd
from o2c.io.cfdi._master import (
    CfdiCustomer,
    CfdiItem,
    CfdiSeller,
    catalog_name,
    check_customer,
    check_item,
    check_seller,
    refuse,
)
from o2c.io.cfdi._taxes import ConceptTax, concept_taxes
from o2c.parties import Seller

__all__ = ["CfdiIssuer", "CfdiReceiver", "cfdi_type", "issuer_of", "receiver_of", "write_cfdi"]

_RATE_PLACES: Final = Decimal("0.000001")
#: Egreso relation: "Nota de crédito de los documentos relacionados".
CREDIT_RELATION: Final = "01"


@attrs.frozen(slots=True)
class CfdiIssuer:
    """The Emisor and the expedition place, resolved from the seller and its CFDI data."""

    rfc: str
    name: str
    regime: str
    postal_code: str


@attrs.frozen(slots=True)
class CfdiReceiver:
    """The Receptor, resolved from the document's customer snapshot and its CFDI data."""

    rfc: str
    name: str
    data: CfdiCustomer


def issuer_of(seller: Seller, data: CfdiSeller | None) -> CfdiIssuer:
    """The issuer: the CFDI data where given, else the seller's tax profile and address."""
    data = data or CfdiSeller()
    return CfdiIssuer(
        rfc=(seller.tax.tax_id or "").upper(),
        name=data.legal_name or seller.legal_name,
        regime=data.regime or (seller.tax.regime or ""),
        postal_code=data.postal_code or seller.address.postal_code,
    )


def receiver_of(document: Document, data: CfdiCustomer) -> CfdiReceiver:
    """The receiver of ``document``: its customer's RFC and name unless ``data`` overrides."""
    snapshot = document.customer
    return CfdiReceiver(
        rfc=(data.rfc or snapshot.tax_id or "").upper(),
        name=data.legal_name or snapshot.legal_name,
        data=data,
    )


def cfdi_type(document: Document) -> str:
    """c_TipoDeComprobante of a document: I (invoice, debit note) or E (credit note)."""
    return "E" if document.kind is DocumentKind.CREDIT_NOTE else "I"


def _problems(
    document: Document,
    issuer: CfdiIssuer,
    receiver: CfdiReceiver,
    items: Mapping[str, CfdiItem],
) -> list[ValidationError]:
    problems = list(
        check_seller(rfc=issuer.rfc, regime=issuer.regime, postal_code=issuer.postal_code)
    )
    problems += check_customer(receiver.data, rfc=receiver.rfc)
    seen: set[str] = set()
    for index, line in enumerate(document.lines):
        code = str(line.item)
        item = items.get(code)
        if item is None:
            problems.append(
                ValidationError(
                    f"lines[{index}].item",
                    code,
                    "an item with SAT keys (o2c cfdi item set ITEM --product-key --unit-key)",
                )
            )
        elif code not in seen:
            problems += check_item(item, field=f"items[{code}]")
        seen.add(code)
        if "|" in line.description:
            problems.append(
                ValidationError(
                    f"lines[{index}].description", line.description, "a text without '|'"
                )
            )
    if catalog_name("c_Moneda", document.currency.code) is None:
        problems.append(
            ValidationError("currency", document.currency.code, "a currency of c_Moneda")
        )
    return problems


def _tax_nodes(taxes: Sequence[ConceptTax]) -> dict[str, Any] | None:
    from satcfdi.create.cfd import cfdi40

    traslados = [
        cfdi40.Traslado(
            impuesto=t.impuesto,
            tipo_factor=t.factor,
            tasa_o_cuota=t.rate,
            importe=t.amount,
            base=t.base,
        )
        for t in taxes
        if not t.withheld
    ]
    retenciones = [
        cfdi40.Retencion(
            impuesto=t.impuesto,
            tipo_factor=t.factor,
            tasa_o_cuota=t.rate,
            importe=t.amount,
            base=t.base,
        )
        for t in taxes
        if t.withheld
    ]
    if not traslados and not retenciones:
        return None
    return dict(cfdi40.Impuestos(traslados=traslados or None, retenciones=retenciones or None))


def _concept(index: int, line: DocumentLine, item: CfdiItem, decimals: int) -> Any:
    from satcfdi.create.cfd import cfdi40

    taxes = concept_taxes(index, line, decimals)
    tax_object = item.tax_object or ("02" if taxes else "01")
    if (tax_object == "02") != bool(taxes):
        raise ValidationError(
            f"lines[{index}].tax_object",
            tax_object,
            "02 for a line with taxes, 01, 03 or 04 for one without (c_ObjetoImp)",
        )
    net = line.net.amount
    if line.unit_price is None or line.quantity <= 0:
        quantity, unit_price = Decimal(1), net
    else:
        quantity, unit_price = line.quantity, line.unit_price.amount
    # satcfdi writes Importe = Cantidad x ValorUnitario rounded to the currency (in the
    # half-up context write_cfdi sets); what the line's discounts took off that is the
    # concept's Descuento, so its Base is the line's net.
    amount = round(quantity * unit_price, decimals)
    discount = amount - net
    if discount < 0:
        raise ValidationError(
            f"lines[{index}].net",
            str(net),
            f"at most quantity x unit price ({amount}); a surcharge is its own line",
        )
    return cfdi40.Concepto(
        clave_prod_serv=item.product_key,
        cantidad=quantity,
        clave_unidad=item.unit_key,
        descripcion=line.description or str(line.item),
        valor_unitario=unit_price,
        objeto_imp=tax_object,
        no_identificacion=str(line.item)[:100],
        descuento=discount or None,
        impuestos=_tax_nodes(taxes),
    )


def _exchange(document: Document, exchange_rate: Decimal | None) -> Decimal | None:
    if document.currency.code == "MXN":
        if exchange_rate not in (None, Decimal(1)):
            raise ValidationError(
                "exchange_rate", str(exchange_rate), "no exchange rate for a peso document"
            )
        return None
    if exchange_rate is None or exchange_rate <= 0:
        raise ValidationError(
            "exchange_rate",
            None if exchange_rate is None else str(exchange_rate),
            f"the pesos per {document.currency.code} (TipoCambio) for a"
            f" {document.currency.code} document",
        )
    rate = exchange_rate.quantize(_RATE_PLACES)
    if rate != exchange_rate:
        raise ValidationError("exchange_rate", str(exchange_rate), "at most six decimals")
    return rate


def _check_totals(document: Document, built: Any) -> None:
    impuestos = built.get("Impuestos") or {}
    discount = built.get("Descuento") or Decimal(0)
    totals = document.totals
    pairs = (
        ("net", built["SubTotal"] - discount, totals.net.amount),
        ("tax", impuestos.get("TotalImpuestosTrasladados") or Decimal(0), totals.tax.amount),
        (
            "withheld",
            impuestos.get("TotalImpuestosRetenidos") or Decimal(0),
            totals.withheld.amount,
        ),
        ("payable", built["Total"], totals.payable.amount),
    )
    for name, cfdi, ours in pairs:
        if cfdi != ours:
            raise InvariantViolation(
                f"{document.number}: the CFDI's {name} {cfdi} differs from the document's"
                f" {ours}; nothing was sealed"
            )


def write_cfdi(
    document: Document,
    *,
    seller: Seller,
    customer: CfdiCustomer,
    items: Mapping[str, CfdiItem],
    csd: Csd,
    issued_at: dt.datetime,
    seller_data: CfdiSeller | None = None,
    exchange_rate: Decimal | None = None,
    related_uuid: str | None = None,
) -> bytes:
    """Write issued ``document`` as a CFDI 4.0 sealed with ``csd``.

    Args:
        document: An issued invoice, debit note (Ingreso) or credit note (Egreso).
        seller: The seller identity the document was issued under (RFC, legal name).
        customer: The customer's CFDI data (regime, tax postal code, CFDI use, payment).
        items: The SAT keys of each item on the document, by item code.
        csd: The issuer's CSD; its RFC must be the seller's.
        issued_at: Fecha: the local time at the expedition place (naive).
        seller_data: The issuer's CFDI data (regime, expedition postal code) where the
            seller identity lacks it.
        exchange_rate: Pesos per unit of the document's currency (TipoCambio); required
            for a document not in MXN.
        related_uuid: For a credit note, the UUID of the stamped invoice it credits.

    Returns:
        The sealed CFDI, UTF-8 XML.

    Raises:
        InvalidState: ``document`` is not issued.
        ValidationError: Master data a PAC would refuse (all problems in one message,
            the first one's field and value), a missing exchange rate or related UUID.
        InvariantViolation: The CFDI's totals differ from the document's.
    """

    if document.status is not DocumentStatus.ISSUED or document.number is None:
        raise InvalidState(
            f"{document.number or document.id} is {document.status.value}: only issued"
            " documents become CFDIs",
            document_id=str(document.id),
        )
    issuer = issuer_of(seller, seller_data)
    receiver = receiver_of(document, customer)
    refuse(_problems(document, issuer, receiver, items))
    if csd.rfc != issuer.rfc:
        raise ValidationError("csd", csd.rfc, f"a CSD of the issuer's RFC {issuer.rfc}")
    kind = cfdi_type(document)
    if kind == "E" and not related_uuid:
        raise ValidationError(
            "related_uuid",
            related_uuid,
            f"the UUID of the stamped invoice {document.number} credits (stamp it first)",
        )
    decimals = -int(document.currency.exponent.as_tuple().exponent)
    with decimal.localcontext() as context:
        # Importe = Cantidad x ValorUnitario rounds half up, as o2c rounds line amounts
        # (satcfdi rounds with the context's mode, half-even by default).
        context.rounding = decimal.ROUND_HALF_UP
        built = _comprobante(
            document,
            customer,
            issuer,
            receiver,
            items,
            kind,
            decimals,
            exchange_rate=exchange_rate,
            related_uuid=related_uuid,
            issued_at=issued_at,
        )
    _check_totals(document, built)
    built.sign(csd.signer)
    return bytes(built.xml_bytes())


def _comprobante(
    document: Document,
    customer: CfdiCustomer,
    issuer: CfdiIssuer,
    receiver: CfdiReceiver,
    items: Mapping[str, CfdiItem],
    kind: str,
    decimals: int,
    *,
    exchange_rate: Decimal | None,
    related_uuid: str | None,
    issued_at: dt.datetime,
) -> Any:
    from satcfdi.create.cfd import cfdi40

    relations = None
    if related_uuid:
        relations = cfdi40.CfdiRelacionados(
            tipo_relacion=CREDIT_RELATION, cfdi_relacionado=[related_uuid]
        )
    concepts = [
        _concept(i, line, items[str(line.item)], decimals) for i, line in enumerate(document.lines)
    ]
    rate = _exchange(document, exchange_rate)
    method = "PUE" if kind == "E" else customer.payment_method
    form = customer.payment_form
    if kind == "E" and form == "99":
        form = "17"  # compensación: the credit settles part of the invoice's balance
    return cfdi40.Comprobante(
        emisor=cfdi40.Emisor(rfc=issuer.rfc, nombre=issuer.name, regimen_fiscal=issuer.regime),
        lugar_expedicion=issuer.postal_code,
        receptor=cfdi40.Receptor(
            rfc=receiver.rfc,
            nombre=receiver.name,
            domicilio_fiscal_receptor=customer.postal_code,
            regimen_fiscal_receptor=customer.regime,
            uso_cfdi=customer.use,
            residencia_fiscal=customer.tax_residence or None,
            num_reg_id_trib=customer.foreign_tax_id or None,
        ),
        conceptos=concepts,
        moneda=document.currency.code,
        tipo_de_comprobante=kind,
        exportacion="01",
        folio=document.number,
        forma_pago=form,
        metodo_pago=method,
        tipo_cambio=rate,
        cfdi_relacionados=relations,
        fecha=issued_at.replace(tzinfo=None, microsecond=0),
    )
