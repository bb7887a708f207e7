"""A real SMTP server for delivery tests: aiosmtpd on 127.0.0.1, a free port per test.

The :func:`mailbox` fixture starts :class:`aiosmtpd.controller.Controller` and yields a
:class:`Mailbox` whose ``messages`` are the e-mails the server received, parsed back with
the standard library (headers decoded, attachments as parts).
"""

from __future__ import annotations

import email
import email.policy
import io
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from o2c.io.delivery import SmtpSettings

__all__ = [
    "Mailbox",
    "attachment",
    "attachment_names",
    "body_text",
    "free_port",
    "mailbox",
    "pdf_text",
    "refused",
]


def free_port() -> int:
    """A TCP port nothing listens on (bound and released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """What the test's SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"

    @property
    def smtp(self) -> SmtpSettings:
        """Settings that reach this server (no TLS, no login)."""
        return SmtpSettings("127.0.0.1", self.port, starttls=False, timeout=5.0)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 for the test, and what it received."""
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def refused() -> SmtpSettings:
    """Settings of a port where nothing listens: the connection is refused."""
    return SmtpSettings("127.0.0.1", free_port(), starttls=False, timeout=5.0)


def body_text(message: EmailMessage) -> str:
    """The plain-text body."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def attachment_names(message: EmailMessage) -> list[str]:
    """The attached files' names, in order."""
    return [str(p.get_filename()) for p in message.iter_attachments()]


def attachment(message: EmailMessage, name: str) -> bytes:
    """The content of the attachment called ``name``."""
    for part in message.iter_attachments():
        if part.get_filename() == name:
            return bytes(part.get_content())
    raise AssertionError(f"no attachment {name}: {attachment_names(message)}")


def pdf_text(data: bytes) -> str:
    """The text of a PDF, every page (opened with pypdf)."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
