"""The issuer's CSD (Certificado de Sello Digital): SAT's certificate and its private key.

satcfdi's :class:`~satcfdi.models.Signer` reads the ``.cer`` (DER) and the ``.key``
(DER, PKCS#8, encrypted with the key's password) that SAT hands out and signs the original
string; :class:`Csd` wraps it so no satcfdi type appears in o2c's signatures.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from o2c.errors import ValidationError

if TYPE_CHECKING:
    from satcfdi.models import Signer

__all__ = ["Csd", "load_csd"]


class Csd:
    """A loaded CSD: the certificate number, the RFC it belongs to, and the signing key."""

    __slots__ = ("_signer",)

    def __init__(self, signer: Signer) -> None:
        self._signer = signer

    @property
    def number(self) -> str:
        """The certificate number (NoCertificado, 20 digits)."""
        return str(self._signer.certificate_number)

    @property
    def rfc(self) -> str:
        """The RFC the certificate was issued to."""
        return str(self._signer.rfc)

    @property
    def signer(self) -> Signer:
        """satcfdi's signer (for code that calls satcfdi directly)."""
        return self._signer

    def __repr__(self) -> str:
        return f"Csd(number={self.number!r}, rfc={self.rfc!r})"


def load_csd(certificate: bytes | Path, key: bytes | Path, password: str) -> Csd:
    """Load a CSD from its ``.cer`` and ``.key`` (bytes or paths) and the key's password.

    Raises:
        ValidationError: A file cannot be read, the password is wrong, or the key does
            not belong to the certificate (the field names which).
    """
    from satcfdi.models import Signer

    def read(value: bytes | Path, field: str) -> bytes:
        if isinstance(value, bytes):
            return value
        try:
            return Path(value).read_bytes()
        except OSError as exc:
            raise ValidationError(field, str(value), f"a readable file ({exc.strerror})") from None

    cer = read(certificate, "certificate")
    der = read(key, "key")
    try:
        signer = Signer.load(certificate=cer, key=der, password=password)
    except ValueError as exc:
        raise ValidationError(
            "key",
            str(key) if isinstance(key, Path) else "<key>",
            f"the CSD's private key (.key, DER) with its password ({exc})",
        ) from None
    except Exception as exc:  # pyOpenSSL and satcfdi raise their own error types
        raise ValidationError(
            "certificate",
            str(certificate) if isinstance(certificate, Path) else "<certificate>",
            f"a CSD certificate (.cer, DER) whose key is the one given ({exc})",
        ) from None
    return Csd(signer)
