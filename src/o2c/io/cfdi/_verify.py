"""Check a CFDI the way a PAC does before stamping it: SAT's XSDs, the seal, the totals.

* The schemas are SAT's own cfdv40.xsd, Pagos20.xsd and TimbreFiscalDigitalv11.xsd (with
  the catalogue and data-type schemas they import), as satcfdi ships them; they are
  compiled once into one lxml schema.
* The seal: the original string is re-derived from the XML with SAT's XSLT (through
  satcfdi) and the Sello verified with the certificate in the XML (SHA-256 with RSA).
* The totals: SubTotal, Descuento, the tax summary and Total recomputed from the concepts
  as Anexo 20 defines them, which must come out equal (a PAC recomputes them too).

XML is parsed with entities and network access off (no XXE, no billion laughs).
"""

from __future__ import annotations

import base64
import functools
from decimal import Decimal
from pathlib import Path
from typing import Final

from lxml import etree

from o2c.errors import ValidationError

__all__ = ["CFDI_NS", "PAGOS_NS", "TFD_NS", "check_totals", "parse_cfdi", "verify_cfdi"]

CFDI_NS: Final = "http://www.sat.gob.mx/cfd/4"
PAGOS_NS: Final = "http://www.sat.gob.mx/Pagos20"
TFD_NS: Final = "http://www.sat.gob.mx/TimbreFiscalDigital"
_C: Final = "{" + CFDI_NS + "}"
_SCHEMAS: Final = (
    (CFDI_NS, "4/cfdv40.xsd"),
    (PAGOS_NS, "Pagos/Pagos20.xsd"),
    (TFD_NS, "TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd"),
)
#: Largest CFDI o2c parses (a CFDI of thousands of concepts is a few MB).
MAX_CFDI_BYTES: Final = 20_000_000


def _schema_root() -> Path:
    import satcfdi.transform as transform

    return Path(transform.__file__).parent / "schemas" / "www.sat.gob.mx" / "sitio_internet" / "cfd"


@functools.cache
def _schema() -> etree.XMLSchema:
    root = _schema_root()
    xs = "http://www.w3.org/2001/XMLSchema"
    wrapper = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for namespace, path in _SCHEMAS:
        etree.SubElement(
            wrapper,
            f"{{{xs}}}import",
            namespace=namespace,
            schemaLocation=(root / path).as_uri(),
        )
    return etree.XMLSchema(wrapper)


def parse_cfdi(xml: bytes) -> etree._Element:
    """Parse a CFDI safely (no DTD, no entities, no network).

    Raises:
        ValidationError: Not well-formed XML, too large, or it declares a DTD.
    """
    if len(xml) > MAX_CFDI_BYTES:
        raise ValidationError("cfdi", f"{len(xml)} bytes", f"at most {MAX_CFDI_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False
    )
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValidationError("cfdi", str(exc), "well-formed XML") from None
    if root.getroottree().docinfo.doctype:
        raise ValidationError("cfdi", "DOCTYPE", "XML without a DOCTYPE")
    return root


def _d(value: str | None) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def check_totals(root: etree._Element) -> list[str]:
    """Recompute a Comprobante's totals from its concepts; the discrepancies, if any."""
    problems: list[str] = []
    concepts = root.findall(f"{_C}Conceptos/{_C}Concepto")
    subtotal = sum((_d(c.get("Importe")) for c in concepts), Decimal(0))
    discount = sum((_d(c.get("Descuento")) for c in concepts), Decimal(0))
    transferred = sum(
        (_d(t.get("Importe")) for t in root.iterfind(f"{_C}Conceptos/{_C}Concepto//{_C}Traslado")),
        Decimal(0),
    )
    withheld = sum(
        (_d(t.get("Importe")) for t in root.iterfind(f"{_C}Conceptos/{_C}Concepto//{_C}Retencion")),
        Decimal(0),
    )
    summary = root.find(f"{_C}Impuestos")
    said_transferred = _d(None if summary is None else summary.get("TotalImpuestosTrasladados"))
    said_withheld = _d(None if summary is None else summary.get("TotalImpuestosRetenidos"))
    checks = (
        ("SubTotal", _d(root.get("SubTotal")), subtotal),
        ("Descuento", _d(root.get("Descuento")), discount),
        ("TotalImpuestosTrasladados", said_transferred, transferred),
        ("TotalImpuestosRetenidos", said_withheld, withheld),
        ("Total", _d(root.get("Total")), subtotal - discount + transferred - withheld),
    )
    for name, said, computed in checks:
        if said != computed:
            problems.append(f"{name} {said} != {computed} recomputed from the concepts")
    return problems


def _seal_problems(root: etree._Element) -> list[str]:
    from satcfdi.cfdi import CFDI
    from satcfdi.models import Certificate

    try:
        certificate = Certificate.load_certificate(base64.b64decode(root.get("Certificado", "")))
    except Exception as exc:  # satcfdi and pyOpenSSL raise their own error types
        return [f"Certificado is not a certificate ({exc})"]
    if certificate.certificate_number != root.get("NoCertificado"):
        return ["NoCertificado is not the number of the certificate"]
    original = CFDI.from_xml(root).cadena_original()
    sello = base64.b64decode(root.get("Sello", ""))
    if not certificate.verify_sha256(original.encode(), sello):
        return ["Sello does not verify with the certificate (the XML changed after sealing?)"]
    return []


def verify_cfdi(xml: bytes, *, check_seal: bool = True) -> list[str]:
    """Check a CFDI 4.0 (Ingreso, Egreso or Pago) against SAT's XSDs, its seal and totals.

    Returns:
        The problems found, one line each; empty when the CFDI passes.

    Raises:
        ValidationError: ``xml`` is not well-formed XML.
    """
    root = parse_cfdi(xml)
    schema = _schema()
    if not schema.validate(root):
        return [f"XSD line {e.line}: {e.message}" for e in schema.error_log]
    problems: list[str] = []
    if root.get("TipoDeComprobante") in ("I", "E"):
        problems += check_totals(root)
    if check_seal:
        problems += _seal_problems(root)
    return problems
