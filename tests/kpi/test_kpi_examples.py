"""Worked examples: every KPI on a small hand-built October 2026 book (USD)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from o2c.calendar import BusinessCalendar, Period
from o2c.cases import (
    Channel,
    DisputeId,
    DisputeReason,
    InteractionNote,
    NoteId,
    NoteTarget,
    SlaPolicy,
    open_dispute,
    resolve,
)
from o2c.cases import Resolution as Res
from o2c.errors import CurrencyMismatch, ValidationError
from o2c.ids import CustomerId, DocumentId, RefundId
from o2c.kpi import (
    AgingItem,
    Correction,
    DisputeTiming,
    KpiInputs,
    KpiValue,
    RefundTiming,
    Statistic,
    aging_profile,
    aging_shares,
    average_handle_time,
    billing_exception_rate,
    collection_effectiveness_index,
    dispute_resolution_time,
    dso,
    first_contact_resolution,
    invoice_accuracy,
    kpi_report,
    refund_turnaround,
    sla_adherence,
    unapplied_cash,
)
from o2c.ledger import Refund
from o2c.money import Money

OCT_31 = dt.date(2026, 10, 31)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


# -- invoice accuracy --------------------------------------------------------------------

ISSUED = [f"I-{n}" for n in range(1, 9)]
CORRECTIONS = [
    Correction("I-2", "CN-1", d(10, 20), billing_error=True),  # wrong price
    Correction("I-2", "CN-2", d(10, 21), billing_error=True),  # same invoice: counted once
    Correction("I-5", "CN-3", d(10, 22), billing_error=False),  # goodwill: not an error
    Correction("I-7", "CN-4", d(11, 10), billing_error=True),  # after the report date
    Correction("I-0", "CN-5", d(10, 3), billing_error=True),  # invoice issued in September
]


def test_invoice_accuracy_counts_each_invoice_corrected_for_a_billing_error_once() -> None:
    kpi = invoice_accuracy(ISSUED, CORRECTIONS, as_of=OCT_31)
    assert (kpi.value, kpi.numerator, kpi.denominator) == (
        Decimal("0.8750"),
        Decimal(7),
        Decimal(8),
    )
    assert kpi.unit == "ratio"


def test_invoice_accuracy_falls_when_later_corrections_arrive() -> None:
    kpi = invoice_accuracy(ISSUED, CORRECTIONS)
    assert (kpi.value, kpi.numerator, kpi.denominator) == (
        Decimal("0.7500"),
        Decimal(6),
        Decimal(8),
    )


def test_invoice_accuracy_without_invoices_is_undefined() -> None:
    kpi = invoice_accuracy([], CORRECTIONS)
    assert kpi.value is None
    assert not kpi.is_defined
    assert str(kpi) == "invoice_accuracy: n/a (0 / 0)"


# -- billing exceptions --------------------------------------------------------------------


def test_billing_exception_rate_is_exceptions_over_candidates() -> None:
    kpi = billing_exception_rate(40, 3)
    assert (kpi.value, kpi.numerator, kpi.denominator) == (
        Decimal("0.0750"),
        Decimal(3),
        Decimal(40),
    )
    assert billing_exception_rate(3, 1).value == Decimal("0.3333")
    assert billing_exception_rate(0, 0).value is None


def test_billing_exception_rate_refuses_more_exceptions_than_candidates() -> None:
    with pytest.raises(ValidationError, match="at most the 2 candidates"):
        billing_exception_rate(2, 3)
    with pytest.raises(ValidationError):
        billing_exception_rate(-1, 0)


# -- DSO and CEI ---------------------------------------------------------------------------


def test_dso_simple_method() -> None:
    kpi = dso(usd("12345.67"), usd("40000.00"), 30)
    # 12,345.67 × 30 / 40,000.00 = 9.259...
    assert (kpi.value, kpi.unit) == (Decimal("9.26"), "days")
    assert (kpi.numerator, kpi.denominator) == (Decimal("370370.10"), Decimal("40000.00"))
    assert dso(usd("45000.00"), usd("60000.00"), 92).value == Decimal("69.00")


def test_dso_without_sales_is_undefined() -> None:
    assert dso(usd("100.00"), usd("0.00"), 31).value is None


def test_dso_refuses_mixed_currencies_and_empty_ranges() -> None:
    with pytest.raises(CurrencyMismatch):
        dso(usd("1.00"), Money.of("1.00", "MXN"), 31)
    with pytest.raises(ValidationError):
        dso(usd("1.00"), usd("1.00"), 0)


def test_collection_effectiveness_index() -> None:
    kpi = collection_effectiveness_index(
        begin_ar=usd("50000.00"),
        credit_sales=usd("100000.00"),
        end_ar=usd("60000.00"),
        end_current_ar=usd("40000.00"),
    )
    # (50,000 + 100,000 - 60,000) / (50,000 + 100,000 - 40,000) = 90,000 / 110,000
    assert (kpi.value, kpi.numerator, kpi.denominator) == (
        Decimal("0.8182"),
        Decimal("90000.00"),
        Decimal("110000.00"),
    )


def test_cei_is_one_when_everything_due_was_collected() -> None:
    kpi = collection_effectiveness_index(usd("100.00"), usd("50.00"), usd("20.00"), usd("20.00"))
    assert kpi.value == Decimal("1.0000")


def test_cei_refuses_more_current_ar_than_ar() -> None:
    with pytest.raises(ValidationError, match="end_current_ar"):
        collection_effectiveness_index(usd("1.00"), usd("1.00"), usd("1.00"), usd("2.00"))


# -- aging profile and unapplied cash ------------------------------------------------------

AGING_ITEMS = [
    AgingItem(usd("1000.00"), d(11, 15)),  # not yet due
    AgingItem(usd("500.00"), d(10, 31)),  # due today: current
    AgingItem(usd("2000.00"), d(10, 1), disputed=usd("300.00")),  # 30 days; 300 disputed
    AgingItem(usd("1500.00"), d(9, 30)),  # 31 days
    AgingItem(usd("700.00"), d(8, 2)),  # 90 days
    AgingItem(usd("300.00"), d(8, 1)),  # 91 days
    AgingItem(usd("1000.00"), d(11, 10)),  # due Sep 1, extended to Nov 10: current
]


def test_aging_profile_buckets_by_effective_due_date_with_disputes_apart() -> None:
    profile = {k.name: k for k in aging_profile(AGING_ITEMS, OCT_31, "USD")}
    assert {name: k.numerator for name, k in profile.items()} == {
        "aging_current": Decimal("2500.00"),
        "aging_1_30": Decimal("1700.00"),
        "aging_31_60": Decimal("1500.00"),
        "aging_61_90": Decimal("700.00"),
        "aging_over_90": Decimal("300.00"),
        "aging_disputed": Decimal("300.00"),
    }
    assert {name: k.value for name, k in profile.items()} == {
        "aging_current": Decimal("0.3571"),
        "aging_1_30": Decimal("0.2429"),
        "aging_31_60": Decimal("0.2143"),
        "aging_61_90": Decimal("0.1000"),
        "aging_over_90": Decimal("0.0429"),
        "aging_disputed": Decimal("0.0429"),
    }
    assert {k.denominator for k in profile.values()} == {Decimal("7000.00")}


def test_aging_profile_of_nothing_is_undefined() -> None:
    assert all(k.value is None for k in aging_profile([], OCT_31, "USD"))


def test_aging_profile_refuses_a_dispute_larger_than_its_item() -> None:
    with pytest.raises(ValidationError, match=r"aging\.disputed"):
        aging_profile([AgingItem(usd("1.00"), OCT_31, usd("2.00"))], OCT_31, "USD")


def test_unapplied_cash_sums_the_unallocated_payments() -> None:
    kpi = unapplied_cash([usd("150.00"), usd("49.99"), usd("0.01")], "USD")
    assert (kpi.value, kpi.unit, kpi.denominator) == (Decimal("200.00"), "USD", None)
    assert unapplied_cash([], "MXN").value == Decimal(0)


# -- refunds ---------------------------------------------------------------------------

REFUNDS = [
    RefundTiming("R-1", d(10, 1), d(10, 4)),  # 3 days
    RefundTiming("R-2", d(10, 2), d(10, 12)),  # 10 days
    RefundTiming("R-3", d(10, 5), d(10, 6)),  # 1 day
    RefundTiming("R-4", d(10, 20)),  # still pending
]


def test_refund_turnaround_mean_and_median_skip_pending_refunds() -> None:
    mean = refund_turnaround(REFUNDS)
    assert (mean.name, mean.value, mean.numerator, mean.denominator) == (
        "refund_turnaround_mean",
        Decimal("4.67"),
        Decimal(14),
        Decimal(3),
    )
    median = refund_turnaround(REFUNDS, statistic=Statistic.MEDIAN)
    assert (median.name, median.value) == ("refund_turnaround_median", Decimal("3.00"))


def test_refund_turnaround_median_of_an_even_count_is_the_middle_average() -> None:
    refunds = [*REFUNDS, RefundTiming("R-5", d(10, 10), d(10, 17))]  # 7 days
    assert refund_turnaround(refunds, statistic=Statistic.MEDIAN).value == Decimal("5.00")
    assert refund_turnaround(refunds).value == Decimal("5.25")


def test_refund_turnaround_without_paid_refunds_is_undefined() -> None:
    pending = [RefundTiming("R-4", d(10, 20))]
    assert refund_turnaround(pending).value is None
    assert refund_turnaround(pending, statistic=Statistic.MEDIAN).value is None


# -- disputes --------------------------------------------------------------------------

DISPUTES = [
    DisputeTiming("D-1", d(9, 14), d(9, 18), d(9, 17)),  # 3 days, met
    DisputeTiming("D-2", d(10, 1), d(10, 15), d(10, 20)),  # 19 days, missed
    DisputeTiming("D-3", d(10, 22), d(11, 5)),  # active, not due yet: not counted
    DisputeTiming("D-4", d(10, 14), d(10, 28)),  # active past due: missed
    DisputeTiming("D-5", d(10, 8), d(10, 22), d(10, 22)),  # 14 days, met on the due date
    DisputeTiming("D-6", d(10, 27), d(11, 10), d(11, 3)),  # resolved after the report date
]


def test_sla_adherence_counts_only_known_outcomes() -> None:
    kpi = sla_adherence(DISPUTES, OCT_31)
    assert (kpi.value, kpi.numerator, kpi.denominator) == (
        Decimal("0.5000"),
        Decimal(2),
        Decimal(4),
    )


def test_sla_adherence_later_includes_the_late_resolution() -> None:
    kpi = sla_adherence(DISPUTES, d(11, 30))
    # D-3 is now past due and still active: missed; D-6 resolved on time: met.
    assert (kpi.numerator, kpi.denominator) == (Decimal(3), Decimal(6))


def test_dispute_resolution_time_mean_and_median() -> None:
    resolved_in_range = DISPUTES[:5]
    mean = dispute_resolution_time(resolved_in_range)
    assert (mean.value, mean.numerator, mean.denominator) == (
        Decimal("12.00"),
        Decimal(36),
        Decimal(3),
    )
    median = dispute_resolution_time(resolved_in_range, statistic=Statistic.MEDIAN)
    assert median.value == Decimal("14.00")


def test_dispute_resolution_time_in_business_days() -> None:
    # Sep 14 to Sep 17 2026 in Mexico: Sep 15 and 17 (Sep 16 is Independence Day).
    kpi = dispute_resolution_time(DISPUTES[:1], calendar=BusinessCalendar("MX"))
    assert kpi.value == Decimal("2.00")
    assert "business days" in kpi.formula


def test_dispute_kpis_read_dispute_values_directly() -> None:
    opened = open_dispute(
        DisputeId("D-9"),
        document_id=DocumentId("I-1"),
        customer_id=CustomerId("C-1"),
        amount=usd("10.00"),
        reason=DisputeReason.DUPLICATE,
        channel=Channel.PORTAL,
        opened_on=d(10, 5),
        actor="ana",
        policy=SlaPolicy(5),
        calendar=BusinessCalendar("MX"),
    )
    done = resolve(opened, Res.CREDITED, "bo", d(10, 9), credit_note_id=DocumentId("CN-9"))
    assert dispute_resolution_time([done]).value == Decimal("4.00")
    assert sla_adherence([done], OCT_31).value == Decimal("1.0000")


# -- contacts ----------------------------------------------------------------------------


def _note(n: int, minutes: tuple[int, int] | None, fcr: bool) -> InteractionNote:
    start = dt.datetime(2026, 10, n, 9, 0, tzinfo=dt.UTC)
    end = None if minutes is None else start + dt.timedelta(minutes=minutes[0], seconds=minutes[1])
    return InteractionNote(
        NoteId(f"N-{n}"), NoteTarget.CUSTOMER, "C-1", Channel.PHONE, "call", "ana", start, end, fcr
    )


NOTES = [
    _note(1, (12, 30), True),
    _note(2, (5, 0), False),
    _note(3, (7, 30), True),
    _note(4, None, False),
    _note(5, (20, 0), True),
]


def test_first_contact_resolution() -> None:
    kpi = first_contact_resolution(NOTES)
    assert (kpi.value, kpi.numerator, kpi.denominator) == (
        Decimal("0.6000"),
        Decimal(3),
        Decimal(5),
    )
    assert first_contact_resolution([]).value is None


def test_average_handle_time_in_minutes_over_ended_contacts() -> None:
    kpi = average_handle_time(NOTES)
    # (12.5 + 5 + 7.5 + 20) / 4
    assert (kpi.value, kpi.unit, kpi.numerator, kpi.denominator) == (
        Decimal("11.25"),
        "minutes",
        Decimal(45),
        Decimal(4),
    )
    assert average_handle_time(NOTES[3:4]).value is None


def test_kpi_value_prints_figure_and_fraction() -> None:
    kpi = KpiValue("x", Decimal("0.5000"), "ratio", "a / b", Decimal(1), Decimal(2))
    assert str(kpi) == "x: 0.5000 ratio (1 / 2)"


def test_refund_turnaround_reads_ledger_refunds_directly() -> None:
    refund = Refund(
        RefundId("R-9"),
        CustomerId("C-1"),
        "PAY-1",
        usd("80.00"),
        requested_on=d(10, 1),
        requested_by="ana",
        reason="overpaid",
        paid_on=d(10, 8),
    )
    assert refund_turnaround([refund]).value == Decimal("7.00")


def test_aging_shares_of_precomputed_buckets_match_the_item_profile() -> None:
    from_items = aging_profile(AGING_ITEMS, OCT_31, "USD")
    buckets = [(k.name, usd(str(k.numerator))) for k in from_items]
    assert aging_shares(buckets) == from_items
    assert aging_shares([]) == ()


# -- the whole report ----------------------------------------------------------------------


def test_kpi_report_selects_the_range_and_lists_every_kpi() -> None:
    october = Period.month(2026, 10)
    late_refund = RefundTiming("R-6", d(10, 30), d(11, 2))  # paid in November
    early_note = _note(1, (99, 0), False)
    early_note = attrs.evolve(early_note, started=dt.datetime(2026, 9, 30, 9, tzinfo=dt.UTC))
    early_note = attrs.evolve(early_note, ended=early_note.started + dt.timedelta(minutes=99))
    inputs = KpiInputs(
        period=october,
        currency="USD",
        issued=tuple(ISSUED),
        corrections=tuple(CORRECTIONS),
        candidates=40,
        exceptions=3,
        begin_ar=usd("50000.00"),
        end_ar=usd("60000.00"),
        end_current_ar=usd("40000.00"),
        credit_sales=usd("100000.00"),
        aging=tuple(
            (k.name, usd(str(k.numerator))) for k in aging_profile(AGING_ITEMS, OCT_31, "USD")
        ),
        unapplied=(usd("150.00"), usd("49.99"), usd("0.01")),
        refunds=(*REFUNDS, late_refund),
        disputes=tuple(DISPUTES),
        contacts=(*NOTES, early_note),
    )
    report = {k.name: k.value for k in kpi_report(inputs)}
    assert report == {
        "invoice_accuracy": Decimal("0.8750"),
        "billing_exception_rate": Decimal("0.0750"),
        # 60,000 × 31 / 100,000
        "dso": Decimal("18.60"),
        "collection_effectiveness_index": Decimal("0.8182"),
        "aging_current": Decimal("0.3571"),
        "aging_1_30": Decimal("0.2429"),
        "aging_31_60": Decimal("0.2143"),
        "aging_61_90": Decimal("0.1000"),
        "aging_over_90": Decimal("0.0429"),
        "aging_disputed": Decimal("0.0429"),
        "unapplied_cash": Decimal("200.00"),
        "refund_turnaround_mean": Decimal("4.67"),
        "refund_turnaround_median": Decimal("3.00"),
        # D-2 (19 days) and D-5 (14 days) were resolved in October; D-1 in September.
        "dispute_resolution_time_mean": Decimal("16.50"),
        "dispute_resolution_time_median": Decimal("16.50"),
        # Due or resolved in October: D-2 missed, D-4 missed, D-5 met.
        "sla_adherence": Decimal("0.3333"),
        "first_contact_resolution": Decimal("0.6000"),
        "average_handle_time": Decimal("11.25"),
    }


def test_kpi_report_of_an_empty_book_is_undefined_not_an_error() -> None:
    report = kpi_report(KpiInputs(period=Period.month(2026, 10), currency="USD"))
    defined = {k.name: k.value for k in report if k.value is not None}
    assert defined == {"unapplied_cash": Decimal(0)}
