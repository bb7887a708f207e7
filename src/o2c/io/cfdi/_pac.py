"""Stamping by a PAC behind a small adapter interface, SAT's cancellation reasons, and a
test PAC that validates like a real one and stamps without any network.

A real PAC (Finkok, SW Sapien, Diverza... satcfdi.pacs has clients for several) is wrapped
in a class with :class:`Pac`'s two methods; o2c only ever calls those.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import uuid
from collections.abc import Callable
from typing import Final, Protocol

import attrs
from lxml import etree

from o2c.errors import ValidationError
from o2c.io.cfdi._verify import CFDI_NS, TFD_NS, parse_cfdi, verify_cfdi

__all__ = [
    "CancelReason",
    "Cancellation",
    "CfdiRecord",
    "Pac",
    "Stamp",
    "TestPac",
    "stamp_of",
]

_C: Final = "{" + CFDI_NS + "}"
_T: Final = "{" + TFD_NS + "}"


class CancelReason(enum.Enum):
    """SAT's reasons to cancel a CFDI (Motivo de cancelación)."""

    #: Issued with errors, with a relation: the substitute CFDI's UUID is required.
    ERRORS_WITH_RELATION = "01"
    #: Issued with errors, without a relation.
    ERRORS_WITHOUT_RELATION = "02"
    #: The operation was not carried out.
    NOT_CARRIED_OUT = "03"
    #: A nominative operation included in a global invoice.
    IN_GLOBAL_INVOICE = "04"

    @classmethod
    def of(cls, code: str) -> CancelReason:
        """The reason of SAT code ``code`` (``"01"`` .. ``"04"``).

        Raises:
            ValidationError: Another code.
        """
        for reason in cls:
            if reason.value == code:
                return reason
        raise ValidationError("reason", code, "a SAT cancellation reason: 01, 02, 03 or 04")


@attrs.frozen(slots=True)
class Stamp:
    """What a PAC returns for a stamped CFDI.

    Attributes:
        uuid: The folio fiscal (TimbreFiscalDigital UUID), upper case.
        stamped_at: FechaTimbrado (Mexico City time, naive, as the PAC writes it).
        pac: The PAC's RFC (RfcProvCertif).
        xml: The stamped CFDI with its TimbreFiscalDigital.
    """

    uuid: str
    stamped_at: dt.datetime
    pac: str
    xml: bytes


@attrs.frozen(slots=True)
class Cancellation:
    """A PAC's acknowledgement of a cancellation request.

    Attributes:
        uuid: The cancelled CFDI.
        reason: SAT's reason.
        substitute: The substitute's UUID (reason 01).
        status: What SAT answered (``"accepted"``, or ``"pending"`` while the receiver
            may still refuse it).
    """

    uuid: str
    reason: CancelReason
    substitute: str | None
    status: str


@attrs.frozen(slots=True)
class CfdiRecord:
    """A stamped CFDI as the book keeps it.

    Attributes:
        uuid: The folio fiscal.
        source: The document number (or payment id) it was stamped for.
        cfdi_type: I (Ingreso), E (Egreso) or P (Pago).
        pac: The PAC that stamped it.
        stamped_at: The stamp date (FechaTimbrado, time-zone aware).
        stamped_by: Who stamped it.
        cancel_reason: SAT's reason, once a cancellation was requested.
        substitute: The substitute's UUID (reason 01).
        cancelled_at: When the cancellation was requested.
        cancelled_by: Who requested it.
    """

    uuid: str
    source: str
    cfdi_type: str
    pac: str
    stamped_at: dt.datetime
    stamped_by: str
    cancel_reason: CancelReason | None = None
    substitute: str | None = None
    cancelled_at: dt.datetime | None = None
    cancelled_by: str | None = None

    @property
    def cancelled(self) -> bool:
        """Whether a cancellation was requested."""
        return self.cancel_reason is not None


class Pac(Protocol):
    """A PAC (Proveedor Autorizado de Certificación)."""

    @property
    def name(self) -> str:
        """The PAC's RFC or name, recorded with each stamp."""
        ...

    def stamp(self, xml: bytes) -> Stamp:
        """Stamp a sealed CFDI; raise :class:`~o2c.errors.ValidationError` when refused."""
        ...

    def cancel(
        self, uuid: str, *, rfc: str, reason: CancelReason, substitute: str | None
    ) -> Cancellation:
        """Ask SAT to cancel CFDI ``uuid`` issued by ``rfc``."""
        ...


def stamp_of(xml: bytes) -> tuple[str, dt.datetime, str]:
    """The UUID, stamp date and PAC RFC of a stamped CFDI.

    Raises:
        ValidationError: ``xml`` has no TimbreFiscalDigital.
    """
    root = parse_cfdi(xml)
    tfd = root.find(f"{_C}Complemento/{_T}TimbreFiscalDigital")
    if tfd is None:
        raise ValidationError("cfdi", "no TimbreFiscalDigital", "a stamped CFDI")
    return (
        tfd.get("UUID", "").upper(),
        dt.datetime.fromisoformat(tfd.get("FechaTimbrado", "")),
        tfd.get("RfcProvCertif", ""),
    )


class TestPac:
    """A PAC for tests and demos: checks what a PAC checks, stamps offline.

    It validates the CFDI against SAT's XSDs, its totals and its seal (refusing with a
    :class:`~o2c.errors.ValidationError` listing the problems) and adds a
    TimbreFiscalDigital 1.1 whose UUID is derived from the seal (the same CFDI always
    gets the same UUID) and whose SAT seal is a placeholder: its stamps are not valid
    before SAT.

    Args:
        clock: Returns FechaTimbrado (Mexico City time).
        rfc: The RFC it stamps under.
    """

    __test__ = False  # not a pytest test class

    SAT_CERTIFICATE: Final = "00001000000000000000"

    def __init__(self, clock: Callable[[], dt.datetime], rfc: str = "SPR190613I52") -> None:
        self._clock = clock
        self._rfc = rfc
        self.cancelled: list[Cancellation] = []

    @property
    def name(self) -> str:
        """The PAC's RFC."""
        return self._rfc

    def stamp(self, xml: bytes) -> Stamp:
        """Validate and stamp ``xml``."""
        problems = verify_cfdi(xml)
        if problems:
            raise ValidationError(
                "cfdi", problems[0], "a CFDI a PAC accepts: " + "; ".join(problems)
            )
        root = parse_cfdi(xml)
        seal = root.get("Sello", "")
        folio = str(uuid.UUID(bytes=hashlib.sha256(seal.encode()).digest()[:16], version=4))
        folio = folio.upper()
        at = self._clock().replace(tzinfo=None, microsecond=0)
        complement = root.find(f"{_C}Complemento")
        if complement is None:
            complement = etree.SubElement(root, f"{_C}Complemento")
            addenda = root.find(f"{_C}Addenda")
            if addenda is not None:
                addenda.addprevious(complement)
        xsi = "http://www.w3.org/2001/XMLSchema-instance"
        tfd = etree.SubElement(
            complement,
            f"{_T}TimbreFiscalDigital",
            nsmap={"tfd": TFD_NS, "xsi": xsi},
        )
        tfd.set(
            f"{{{xsi}}}schemaLocation",
            f"{TFD_NS} http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/"
            "TimbreFiscalDigitalv11.xsd",
        )
        tfd.set("Version", "1.1")
        tfd.set("UUID", folio)
        tfd.set("FechaTimbrado", at.isoformat())
        tfd.set("RfcProvCertif", self._rfc)
        tfd.set("SelloCFD", seal)
        tfd.set("NoCertificadoSAT", self.SAT_CERTIFICATE)
        tfd.set("SelloSAT", base64.b64encode(hashlib.sha256(seal.encode()).digest()).decode())
        stamped = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        return Stamp(uuid=folio, stamped_at=at, pac=self._rfc, xml=stamped)

    def cancel(
        self, uuid: str, *, rfc: str, reason: CancelReason, substitute: str | None
    ) -> Cancellation:
        """Accept the cancellation (reason 01 must name its substitute)."""
        if reason is CancelReason.ERRORS_WITH_RELATION and not substitute:
            raise ValidationError("substitute", substitute, "the substitute's UUID with reason 01")
        done = Cancellation(uuid=uuid, reason=reason, substitute=substitute, status="accepted")
        self.cancelled.append(done)
        return done
