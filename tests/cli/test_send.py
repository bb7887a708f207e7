"""``o2c invoice send``, ``o2c invoice deliveries``, ``o2c invoice smtp``, ``o2c dunning run
--send`` and the customer's e-mail and default locale, against a real SMTP server (aiosmtpd
on 127.0.0.1, :mod:`tests.mailbox`)."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Invoke
from tests.mailbox import Mailbox, attachment, attachment_names, body_text, free_port, mailbox
from tests.mailbox import pdf_text as read_pdf

__all__ = ["mailbox"]

INV_MX = "INV-2026-000002"


def _smtp(o2c: Invoke, port: int) -> None:
    result = o2c(
        "invoice", "smtp", "--host", "127.0.0.1", "--port", str(port), "--no-starttls",
        "--sender", "facturas@ejemplo.example",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def _email(o2c: Invoke, customer: str, address: str, *more: str) -> None:
    result = o2c("customer", "edit", customer, "--email", address, *more)
    assert result.exit_code == 0, result.stderr


def test_invoice_send_emails_the_spanish_invoice_with_its_pdf_and_records_it(
    issued: Invoke, mailbox: Mailbox
) -> None:
    _smtp(issued, mailbox.port)
    _email(issued, "C-MX-1", "pagos@esperanza.example")
    result = issued("invoice", "send", INV_MX)
    assert result.exit_code == 0, result.stderr
    assert f"sent {INV_MX} to pagos@esperanza.example" in result.stderr
    [message] = mailbox.messages
    assert message["Subject"] == f"Factura {INV_MX}"
    assert message["From"] == "facturas@ejemplo.example"
    assert message["To"] == "pagos@esperanza.example"
    assert "Adjunto le enviamos la factura" in body_text(message)
    assert attachment_names(message) == [f"{INV_MX}.pdf"]
    assert INV_MX in read_pdf(attachment(message, f"{INV_MX}.pdf"))
    [row] = json.loads(issued("invoice", "deliveries", INV_MX, fmt="json").stdout)
    assert row["status"] == "sent"
    assert row["message_id"] == message["Message-ID"]
    assert row["recipients"] == "pagos@esperanza.example"


def test_sending_twice_needs_again(issued: Invoke, mailbox: Mailbox) -> None:
    _smtp(issued, mailbox.port)
    _email(issued, "C-MX-1", "pagos@esperanza.example")
    assert issued("invoice", "send", INV_MX).exit_code == 0
    twice = issued("invoice", "send", INV_MX)
    assert twice.exit_code == 1
    assert "sent already" in twice.stderr
    assert "--again" in twice.stderr
    assert len(twice.stderr.strip().splitlines()) == 1
    assert issued("invoice", "send", INV_MX, "--again").exit_code == 0
    assert len(mailbox.messages) == 2


def test_a_refused_connection_is_one_line_and_recorded_failed(issued: Invoke) -> None:
    _smtp(issued, free_port())
    _email(issued, "C-MX-1", "pagos@esperanza.example")
    result = issued("invoice", "send", INV_MX)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert f"{INV_MX} not sent (recorded as failed" in line
    assert "127.0.0.1" in line
    assert "Traceback" not in result.output
    [row] = json.loads(issued("invoice", "deliveries", INV_MX, fmt="json").stdout)
    assert row["status"] == "failed"


def test_ubl_is_attached_when_asked(issued: Invoke, mailbox: Mailbox) -> None:
    seller = issued(
        "seller", "set", "--name", "Ejemplo SA de CV", "--street", "Reforma 1", "--city",
        "CDMX", "--postal-code", "06600", "--country", "MX", "--tax-id", "AAA010101AAA",
        "--email", "cobranza@ejemplo.example",
    )  # fmt: skip
    assert seller.exit_code == 0, seller.stderr
    _smtp(issued, mailbox.port)
    _email(issued, "C-MX-1", "pagos@esperanza.example")
    result = issued("invoice", "send", INV_MX, "--ubl", "--to", "ap@esperanza.example")
    assert result.exit_code == 0, result.stderr
    [message] = mailbox.messages
    assert message["To"] == "ap@esperanza.example"
    assert attachment_names(message) == [f"{INV_MX}.pdf", f"{INV_MX}.xml"]


def test_a_customer_without_email_is_refused_in_one_line(issued: Invoke, mailbox: Mailbox) -> None:
    _smtp(issued, mailbox.port)
    result = issued("invoice", "send", INV_MX)
    assert result.exit_code == 1
    assert "e-mail address" in result.stderr
    assert "--email" in result.stderr
    assert mailbox.messages == []


def test_the_smtp_settings_show_the_password_variable_not_a_password(issued: Invoke) -> None:
    result = issued(
        "invoice", "smtp", "--host", "smtp.example.com", "--user", "billing",
        "--password-env", "O2C_SMTP_PASSWORD", fmt="json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = {r["setting"]: r["value"] for r in json.loads(result.stdout)}
    assert shown["smtp.host"] == "smtp.example.com"
    assert shown["smtp.port"] == "587"
    assert shown["smtp.starttls"] == "True"
    assert shown["smtp.password_env"] == "O2C_SMTP_PASSWORD"
    cleared = issued("invoice", "smtp", "--clear", fmt="json")
    assert json.loads(cleared.stdout) == []


@pytest.mark.parametrize(
    ("country", "currency", "locale"),
    [("MX", "MXN", "es_MX"), ("DE", "EUR", "de_DE"), ("ES", "EUR", "es_ES"),
     ("FR", "EUR", "fr_FR"), ("US", "USD", "en_US"), ("JP", "JPY", "en_US")],
)  # fmt: skip
def test_a_new_customer_gets_the_locale_of_its_country(
    book: Invoke, country: str, currency: str, locale: str
) -> None:
    result = book(
        "customer", "add", f"C-{country}-9", "--name", "Nuevo", "--country", country,
        "--currency", currency, fmt="json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["locale"] == locale


def test_a_given_locale_wins_over_the_country(book: Invoke) -> None:
    result = book(
        "customer", "add", "C-MX-9", "--name", "Expat LLC", "--country", "MX",
        "--currency", "MXN", "--locale", "en_US", fmt="json",
    )  # fmt: skip
    assert json.loads(result.stdout)["locale"] == "en_US"


def test_customer_email_and_delivery_preference(book: Invoke) -> None:
    _email(book, "C-DE-1", "ap@mueller.example, cfo@mueller.example", "--delivery-format", "ubl")
    shown = json.loads(book("customer", "show", "C-DE-1", fmt="json").stdout)
    assert shown["delivery"] == {
        "channel": "email",
        "recipients": ["ap@mueller.example", "cfo@mueller.example"],
        "format": "ubl",
    }
    bad = book("customer", "edit", "C-DE-1", "--email", "not an address")
    assert bad.exit_code == 1
    assert "email" in bad.stderr
    assert "not an address" in bad.stderr


def test_dunning_run_send_emails_the_spanish_letter(issued: Invoke, mailbox: Mailbox) -> None:
    _smtp(issued, mailbox.port)
    _email(issued, "C-MX-1", "pagos@esperanza.example")
    result = issued("dunning", "run", "--as-of", "2026-11-10", "--send")
    assert result.exit_code == 0, result.stderr
    assert "E-mailed 1 letter(s), 0 failed, 1 not sent" in result.stderr  # C-US-1: no e-mail
    [message] = mailbox.messages
    assert message["Subject"] == "Recordatorio de pago"
    assert message["To"] == "pagos@esperanza.example"
    body = body_text(message)
    assert body.startswith("Apreciable Tortillería La Esperanza SA de CV:")
    assert "Le recordamos amablemente" in body
    assert INV_MX in body


def _bill_october(billing: Invoke) -> str:
    args = ["bill", "run", "--period", "2026-10", "--issue", "--invoice-date", "2026-11-01"]
    result = billing(*args, fmt="json")
    assert result.exit_code == 0, result.stderr
    run: str = json.loads(result.stdout)["run"]
    return run


def test_invoice_send_run_sends_each_invoice_of_a_bill_run_once(
    billing: Invoke, mailbox: Mailbox
) -> None:
    run = _bill_october(billing)
    _smtp(billing, mailbox.port)
    _email(billing, "C-US-1", "ap@acme.example")
    result = billing("invoice", "send", "--run", run)
    assert result.exit_code == 0, result.stderr
    assert f"bill run {run}: 1 sent, 0 failed, 0 sent before" in result.stderr
    [message] = mailbox.messages
    assert message["Subject"].startswith("Invoice INV-")
    again = billing("invoice", "send", "--run", run)
    assert again.exit_code == 0
    assert "0 sent, 0 failed, 1 sent before (--again sends them once more)" in again.stderr
