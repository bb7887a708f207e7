"""``o2c cfdi`` and ``o2c invoice render --as cfdi``: master data refused in one line naming
field and value, stamping with a test CSD and the offline PAC, cancellation with reasons."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from o2c.book import Book
from o2c.ids import CustomerId
from o2c.io.cfdi import CfdiItem, verify_cfdi
from tests.book.clock import FakeClock
from tests.book.factories import monthly_contract
from tests.book.test_permissions import CARD
from tests.cli.conftest import Invoke
from tests.io.cfdi.cases import BUYER, BUYER_CFDI, PASSWORD, csd_files, prepare_mx_book


@pytest.fixture
def mx_book(book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A book with the MX seller, buyer and keys and an issued invoice; the CSD files."""
    clock = FakeClock(dt.datetime(2026, 10, 31, 18, 0, tzinfo=dt.UTC))
    with Book.open(book_path, actor="ana", clock=clock) as book:
        number = str(prepare_mx_book(book).number)
    cer, key = csd_files()
    (tmp_path / "csd.cer").write_bytes(cer)
    (tmp_path / "csd.key").write_bytes(key)
    monkeypatch.setenv("O2C_CSD_PASSWORD", PASSWORD)
    return number, tmp_path


def _csd_args(folder: Path) -> list[str]:
    return ["--cert", str(folder / "csd.cer"), "--key", str(folder / "csd.key")]


def test_stamp_then_render_as_cfdi(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    number, folder = mx_book
    out = folder / "stamped.xml"
    result = o2c("cfdi", "stamp", number, *_csd_args(folder), "-o", str(out), fmt="json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert (row["document"], row["type"], row["pac"], row["cancel_reason"]) == (
        number,
        "I",
        "SPR190613I52",
        "",
    )
    stamped = out.read_bytes()
    assert verify_cfdi(stamped) == []
    assert b'Total="9533.33"' in stamped
    rendered = folder / "rendered.xml"
    result = o2c("invoice", "render", number, "--as", "cfdi", "-o", str(rendered))
    assert result.exit_code == 0, result.output
    assert rendered.read_bytes() == stamped
    listed = json.loads(o2c("cfdi", "show", number, fmt="json").stdout)
    assert [r["uuid"] for r in listed] == [row["uuid"]]


def test_render_as_cfdi_before_stamping_says_what_to_do(
    o2c: Invoke, mx_book: tuple[str, Path]
) -> None:
    number, folder = mx_book
    result = o2c("invoice", "render", number, "--as", "cfdi", "-o", str(folder / "x.xml"))
    assert result.exit_code == 1
    assert f"o2c cfdi stamp {number}" in result.stderr
    assert "Traceback" not in result.output
    assert not (folder / "x.xml").exists()


def test_seal_writes_an_unstamped_sealed_cfdi(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    number, folder = mx_book
    out = folder / "sealed.xml"
    result = o2c("cfdi", "seal", number, *_csd_args(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    sealed = out.read_bytes()
    assert verify_cfdi(sealed) == []
    assert b"TimbreFiscalDigital" not in sealed
    # Fecha is the local time at the expedition place (44100, Guadalajara), no offset.
    found = re.search(rb'Fecha="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"', sealed)
    assert found is not None
    fecha = dt.datetime.fromisoformat(found.group(1).decode())
    local = dt.datetime.now(ZoneInfo("America/Mexico_City")).replace(tzinfo=None)
    assert abs(local - fecha) < dt.timedelta(hours=1)


def test_bad_rfc_is_refused_in_one_line(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    result = o2c(
        "cfdi", "customer", "set", str(BUYER.id), "--regime", "601", "--postal-code", "42501",
        "--use", "G03", "--rfc", "EKU9003173C8",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "customer.rfc" in result.stderr
    assert "EKU9003173C8" in result.stderr
    assert "Traceback" not in result.output


def test_regime_not_allowed_for_use_is_refused(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    result = o2c(
        "cfdi", "customer", "set", str(BUYER.id), "--regime", "601", "--postal-code", "42501",
        "--use", "D01",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "customer.use: expected a CFDI use that regime 601 may receive" in result.stderr


def test_customer_item_and_seller_set_and_show(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    result = o2c(
        "cfdi", "customer", "set", str(BUYER.id), "--regime", "601", "--postal-code", "42501",
        "--use", "g01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = json.loads(o2c("cfdi", "customer", "show", str(BUYER.id), fmt="json").stdout)
    assert (shown["use"], shown["regime"], shown["payment_method"]) == ("G01", "601", "PPD")
    assert o2c("cfdi", "item", "set", "SUPPORT", "--product-key", "81112100",
               "--unit-key", "e48").exit_code == 0  # fmt: skip
    bad = o2c("cfdi", "item", "set", "SUPPORT", "--product-key", "1", "--unit-key", "E48")
    assert bad.exit_code == 1
    assert "items[SUPPORT].product_key" in bad.stderr
    assert o2c("cfdi", "seller", "set", "--postal-code", "44100").exit_code == 0
    refused = o2c("cfdi", "seller", "set", "--regime", "601")
    assert refused.exit_code == 1
    assert "seller.regime" in refused.stderr


def test_cancel_with_reason_01_needs_the_substitute(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    number, folder = mx_book
    assert o2c("cfdi", "stamp", number, *_csd_args(folder)).exit_code == 0
    refused = o2c("cfdi", "cancel", number, "--reason", "01")
    assert refused.exit_code == 1
    assert "substitute" in refused.stderr
    done = o2c("cfdi", "cancel", number, "--reason", "02", fmt="json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["cancel_reason"] == "02"
    audit = o2c("audit", "log", fmt="json")
    assert "cancel_cfdi" in audit.stdout


def test_wrong_key_password_is_one_line(
    o2c: Invoke, mx_book: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    number, folder = mx_book
    monkeypatch.setenv("O2C_CSD_PASSWORD", "wrong")
    result = o2c("cfdi", "stamp", number, *_csd_args(folder))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: key:")
    assert "Traceback" not in result.output


def test_foreign_currency_takes_the_exchange_rate_option(
    o2c: Invoke, mx_book: tuple[str, Path]
) -> None:
    number, folder = mx_book
    result = o2c("cfdi", "stamp", number, *_csd_args(folder), "--exchange-rate", "18.5")
    assert result.exit_code == 1
    assert "exchange_rate: expected no exchange rate for a peso document" in result.stderr


def test_payment_complement_from_the_cli(o2c: Invoke, mx_book: tuple[str, Path]) -> None:
    number, folder = mx_book
    assert o2c("cfdi", "stamp", number, *_csd_args(folder)).exit_code == 0
    paid = o2c("payment", "record", "--customer", str(BUYER.id), "--amount", "5000.00 MXN",
               "--date", "2026-11-15", fmt="json")  # fmt: skip
    assert paid.exit_code == 0, paid.output
    payment_id = json.loads(paid.stdout)["id"]
    allocated = o2c("payment", "apply", payment_id, "--to", f"{number}=5000.00",
                    "--date", "2026-11-15")  # fmt: skip
    assert allocated.exit_code == 0, allocated.output
    out = folder / "pago.xml"
    done = o2c("payment", "complement", payment_id, *_csd_args(folder), "-o", str(out),
               fmt="json")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["type"] == "P"
    xml = out.read_bytes()
    assert verify_cfdi(xml) == []
    assert b'ImpSaldoAnt="9533.33" ImpPagado="5000.00" ImpSaldoInsoluto="4533.33"' in xml


def test_stamp_a_whole_bill_run(o2c: Invoke, mx_book: tuple[str, Path], book_path: Path) -> None:
    number, folder = mx_book
    clock = FakeClock(dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC))
    with Book.open(book_path, actor="ana", clock=clock) as book:
        book.import_rate_card("std.toml", text=CARD)
        for customer_id, seats in (("C-EKU", "3"), ("C-EKU2", "2")):
            if customer_id != "C-EKU":
                book.add_customer(attrs.evolve(BUYER, id=CustomerId(customer_id)))
            book.add_contract(
                monthly_contract(f"K-{customer_id}", customer_id, (("SEAT", seats, "100.00"),))
            )
        book.set_cfdi_item("SEAT", CfdiItem("81112100", "E48"))
        run = book.bill_run("2026-10")
    assert len(run.document_ids) == 2
    # C-EKU2 has no CFDI data: its invoice is refused, the other one is stamped.
    result = o2c("cfdi", "stamp", "--run", str(run.run_id), *_csd_args(folder), fmt="json")
    assert result.exit_code == 1
    assert result.stdout.strip(), result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 1
    assert "stamped 1, already stamped 0, refused 1" in result.stderr
    assert "customers[C-EKU2].cfdi" in result.stderr
    # Once its data is set, a second run stamps only what is left.
    assert o2c("cfdi", "customer", "set", "C-EKU2", "--regime", "601", "--postal-code",
               "42501", "--use", "G03").exit_code == 0  # fmt: skip
    again = o2c("cfdi", "stamp", "--run", str(run.run_id), *_csd_args(folder), fmt="json")
    assert again.exit_code == 0, again.output
    assert "stamped 1, already stamped 1, refused 0" in again.stderr
    assert number not in again.stdout  # the invoice outside the run is left alone


def test_outcome_lines_are_spanish_under_a_mexican_locale(
    o2c: Invoke, mx_book: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("O2C_LANG", "es_MX.UTF-8")
    result = o2c("cfdi", "item", "set", "SUPPORT", "--product-key", "81112100", "--unit-key", "E48")
    assert result.exit_code == 0, result.output
    assert "Claves SAT de SUPPORT guardadas" in result.stderr
    helped = o2c("cfdi", "--help")
    assert "CFDI 4.0 de México: datos del SAT, sellado, timbrado con un PAC" in helped.stdout


def test_a_usd_invoice_takes_the_rate_the_book_kept(
    o2c: Invoke, mx_book: tuple[str, Path], book_path: Path
) -> None:
    # A peso book (functional currency MXN) keeps each USD document's rate: 18.25 on the
    # issue date becomes TipoCambio when no --exchange-rate is given.
    _number, folder = mx_book
    from tests.io.cfdi.cases import USD, invoice, line

    clock = FakeClock(dt.datetime(2026, 10, 31, 18, 0, tzinfo=dt.UTC))
    with Book.open(book_path, actor="ana", clock=clock) as book:
        book.set_functional_currency("MXN")
        book.set_rate("USD", "MXN", "18.25", effective=dt.date(2026, 10, 1))
        buyer = attrs.evolve(BUYER, id=CustomerId("C-USD"), currency=USD)
        book.add_customer(buyer)
        book.set_cfdi_customer("C-USD", BUYER_CFDI)
        draft = invoice(
            [line("CONSULTING", "10", "150.00", currency=USD)], buyer=buyer, issued=False
        )
        usd_invoice = str(book.create_invoice(draft, issue_date=dt.date(2026, 10, 31)).number)
    out = folder / "usd.xml"
    result = o2c("cfdi", "stamp", usd_invoice, *_csd_args(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    xml = out.read_bytes()
    assert b'Moneda="USD"' in xml
    assert b'TipoCambio="18.250000"' in xml
    assert verify_cfdi(xml) == []
