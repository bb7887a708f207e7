"""Render the reference workload's invoices to UBL 2.1 and print documents/s and the total.

Each invoice of ``../shared/bench`` (1-5 lines, IVA 16 % exclusive, rounded per line half
up) becomes an issued :class:`o2c.billing.Document` of a Mexican seller to a Mexican
company (with its RFC and address), built before the clock starts. The figure is
:func:`o2c.io.ubl.write_ubl` alone: the lxml tree (parties, payment means, VAT breakdown,
totals, lines with units) serialized to UTF-8 bytes, as ``o2c invoice render --as ubl``
does for a bill run's invoices. ``--validate K`` checks the first K outputs against the
OASIS UBL 2.1 XSD after the timed run (needs the ``dev`` extra).

Usage: ``python benchmarks/ubl.py [--n 100000] [--workload FILE] [--validate 100]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import generate, records

from o2c.billing import CustomerSnapshot, Document, DocumentLine, LineTax, draft_document, issue
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io.ubl import write_ubl
from o2c.money import Currency, Money
from o2c.parties import Address, BankAccount, Seller
from o2c.tax import TaxProfile

RATE = Decimal("0.16")
SELLER = Seller(
    "Servicios Ejemplo SA de CV",
    Address("Av. Juárez 10", "Guadalajara", "44100", "MX", "JAL"),
    TaxProfile("MX", tax_id="EKU9003173C9"),
    # An account, so every document also carries its payment means.
    bank_accounts=(BankAccount("DE89370400440532013000", "COBADEFFXXX"),),
)


def documents(workload: Path, mxn: Currency) -> list[Document]:
    """Every invoice of the workload as an issued document (built untimed)."""
    address = Address("Av. Reforma 1", "Ciudad de México", "06600", "MX")
    customers = {
        c["id"]: CustomerSnapshot(CustomerId(c["id"]), c["name"], address, "AAA010101AAA", "MX")
        for c in records(workload, "customer")
    }
    out = []
    for invoice in records(workload, "invoice"):
        lines = []
        for number, row in enumerate(invoice["lines"], start=1):
            price = Money(Decimal(row["unit_price"]), mxn)
            net = (price * Decimal(row["qty"])).round()
            tax = LineTax("MX-IVA-16", "S", RATE, (net * RATE).round(), tax="MX-IVA")
            lines.append(
                DocumentLine(
                    number,
                    ItemCode(row["sku"]),
                    row["sku"],
                    Decimal(row["qty"]),
                    price,
                    net,
                    (tax,),
                )
            )
        draft = draft_document(
            DocumentId(invoice["id"]),
            customers[invoice["customer"]],
            mxn,
            lines,
            payment_terms="net 30",
        )
        out.append(issue(draft, invoice["id"], dt.date.fromisoformat(invoice["date"])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="invoices (default 100000)")
    parser.add_argument("--workload", type=Path, help="an existing workload file")
    parser.add_argument("--validate", type=int, default=0, help="XSD-check the first K outputs")
    args = parser.parse_args()
    mxn = Currency.of("MXN")
    with tempfile.TemporaryDirectory() as tmp:
        workload = args.workload or generate(args.n, Path(tmp) / "workload.jsonl")
        started = time.perf_counter()
        docs = documents(workload, mxn)
        built = time.perf_counter() - started
    units = {str(line.item): "each" for line in docs[0].lines}
    started, cpu = time.perf_counter(), time.process_time()
    total_bytes = 0
    kept: list[bytes] = []
    for doc in docs:
        xml = write_ubl(doc, SELLER, units=units)
        total_bytes += len(xml)
        if len(kept) < args.validate:
            kept.append(xml)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    n = len(docs)
    print(f"documents built (untimed): {n} in {built:.1f} s")
    print(
        f"ubl: {n} documents in {elapsed:.1f} s ({elapsed / 60:.2f} min): "
        f"{n / elapsed:,.0f} documents/s, {total_bytes / n / 1024:.1f} KiB each "
        f"(CPU {cpu:.1f} s: {n / cpu:,.0f} documents per CPU second; the rest is waiting "
        "for a shared core)"
    )
    if kept:
        from peppol.xsd import validate_xsd

        bad = [i for i, xml in enumerate(kept) if not validate_xsd(xml)[0]]
        print(f"xsd: {len(kept) - len(bad)}/{len(kept)} valid")
        if bad:
            raise SystemExit(f"invalid UBL for documents {bad[:10]}")


if __name__ == "__main__":
    main()
