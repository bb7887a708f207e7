"""Invoice accuracy as of the report date, voids, and refund turnaround from the credit.

Issue 25: October showed 1.0000 (4/4) though one of its invoices was corrected on Nov 5,
because corrections counted only up to the range's last day; a voided invoice counted
as accurate; and a refund no approval held read 0 days however long the customer waited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.calendar import Period
from o2c.kpi import Correction, KpiInputs, invoice_accuracy, kpi_report, refund_timing

OCT_31, NOV_30 = dt.date(2026, 10, 31), dt.date(2026, 11, 30)
OCTOBER = ["I-1", "I-2", "I-3", "I-4"]
NOV5 = [Correction("I-3", "CN-1", dt.date(2026, 11, 5), billing_error=True)]


def _figures(
    issued: list[str],
    corrections: list[Correction],
    *,
    as_of: dt.date,
    voided: dict[str, dt.date] | None = None,
) -> tuple[str, str, str]:
    kpi = invoice_accuracy(issued, corrections, as_of=as_of, voided=voided)
    return str(kpi.value), str(kpi.numerator), str(kpi.denominator)


def test_invoice_accuracy_counts_a_later_correction_in_the_invoices_month() -> None:
    assert _figures(OCTOBER, NOV5, as_of=OCT_31) == ("1.0000", "4", "4")
    assert _figures(OCTOBER, NOV5, as_of=NOV_30) == ("0.7500", "3", "4")


def test_kpi_report_of_october_as_of_november_counts_the_november_correction() -> None:
    october = Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    for as_of, expected in ((None, "1.0000"), (OCT_31, "1.0000"), (NOV_30, "0.7500")):
        inputs = KpiInputs(
            period=october, currency="USD", issued=tuple(OCTOBER), corrections=tuple(NOV5),
            as_of=as_of,
        )  # fmt: skip
        [accuracy] = [k for k in kpi_report(inputs) if k.name == "invoice_accuracy"]
        assert str(accuracy.value) == expected, as_of


def test_voided_invoice_is_not_accurate() -> None:
    voided = {"I-2": dt.date(2026, 10, 20)}
    assert _figures(OCTOBER, [], as_of=OCT_31, voided=voided) == ("0.7500", "3", "4")
    # Voided after the report date: still accurate as of it.
    assert _figures(OCTOBER, [], as_of=dt.date(2026, 10, 19), voided=voided) == (
        "1.0000",
        "4",
        "4",
    )
    both = _figures(OCTOBER, NOV5, as_of=NOV_30, voided=voided)
    assert both == ("0.5000", "2", "4")
    kpi = invoice_accuracy(OCTOBER, [], voided=voided)
    assert kpi.formula == (
        "invoices issued in the range, neither voided nor corrected for a billing-error "
        "reason by the report date / invoices issued in the range"
    )


def test_refund_no_approval_held_turns_around_from_the_day_its_credit_arose() -> None:
    paid = dt.date(2026, 10, 30)
    direct = refund_timing("R1", paid, credit_on=dt.date(2026, 10, 25))
    assert (direct.requested_on, direct.paid_on) == (dt.date(2026, 10, 25), paid)
    held = refund_timing("R2", paid, dt.date(2026, 10, 26), credit_on=dt.date(2026, 10, 25))
    assert held.requested_on == dt.date(2026, 10, 26)  # from the approval request
    assert refund_timing("R3", paid).requested_on == paid  # nothing known: the day paid
    inputs = KpiInputs(
        period=Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1)),
        currency="USD",
        refunds=(direct, held),
    )
    report = {k.name: k for k in kpi_report(inputs)}
    mean = report["refund_turnaround_mean"]
    # 5 days (Oct 25 -> 30) and 4 days (requested Oct 26 -> 30).
    assert (str(mean.value), str(mean.numerator), str(mean.denominator)) == ("4.50", "9", "2")
    assert report["refund_turnaround_median"].value == Decimal("4.50")
