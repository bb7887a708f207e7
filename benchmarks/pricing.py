"""Price 300,000 usage-rated lines under mixed price models and print lines/s.

Each line is rated with :func:`o2c.pricing.rate` (exact amount plus explanation steps)
and rounded to the minor unit (rounding point 1). The workload is generated here,
deterministically from a seed; nothing external is read. The floor is the same number of
lines priced as bare ``Decimal`` ``qty * price`` then quantized, measured in the same run.

Usage: ``python benchmarks/pricing.py [--lines 300000] [--seed 7] [--repeat 5] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from decimal import ROUND_HALF_UP, Decimal

from o2c.money import Currency, Money, sum_money
from o2c.pricing import (
    Graduated,
    Package,
    Percentage,
    PerUnit,
    PriceModel,
    Tier,
    Volume,
    rate,
)

MODELS: tuple[PriceModel, ...] = (
    PerUnit(unit_price="0.00042"),
    PerUnit(unit_price="12.50", free_units=3, minimum="25"),
    Graduated(tiers=[Tier(10000, "0", "10"), Tier(100000, "0.002"), Tier(None, "0.001")]),
    Graduated(tiers=[Tier(100, "1.20"), Tier(1000, "0.95"), Tier(None, "0.80", "5")]),
    Volume(tiers=[Tier(100, "0.50"), Tier(1000, "0.40", "5"), Tier(None, "0.25", "20")]),
    Package(size=1000, price="8.00", free_units=500),
    Percentage(percent="2.9", fixed_fee="0.30", transaction_minimum="0.50"),
)


def workload(lines: int, seed: int) -> list[tuple[PriceModel, Decimal]]:
    """Deterministic (model, quantity) pairs; a fifth of quantities are fractional."""
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        model = MODELS[rng.randrange(len(MODELS))]
        if rng.random() < 0.2:
            quantity = Decimal(rng.randrange(0, 5_000_000)).scaleb(-3)
        else:
            quantity = Decimal(rng.choice((rng.randrange(0, 200), rng.randrange(0, 300_000))))
        out.append((model, quantity))
    return out


def price_all(lines: list[tuple[PriceModel, Decimal]], currency: Currency) -> Money:
    nets = [rate(model, quantity, currency=currency).net() for model, quantity in lines]
    return sum_money(nets, currency)


def floor(lines: list[tuple[PriceModel, Decimal]]) -> Decimal:
    cent = Decimal("0.01")
    price = Decimal("0.0042")
    total = Decimal(0)
    for _model, quantity in lines:
        total += (quantity * price).quantize(cent, rounding=ROUND_HALF_UP)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args()
    usd = Currency.of("USD")
    lines = workload(args.lines, args.seed)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(price_all, lines, usd)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
        return
    # Best of several runs: the machine is shared, and the minimum is the least disturbed.
    best = floor_s = cpu = float("inf")
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        total = price_all(lines, usd)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        start = time.perf_counter()
        floor(lines)
        floor_s = min(floor_s, time.perf_counter() - start)
    rate_per_s = args.lines / best
    print(
        f"priced {args.lines:,} lines in {best:.3f} s: {rate_per_s:,.0f} lines/s"
        f" (best of {args.repeat})"
    )
    # CPU time is what this process used; on a shared machine it shows the speed the
    # code would have alone, where wall time also counts other processes' turns.
    print(f"CPU time {cpu:.3f} s: {args.lines / cpu:,.0f} lines per CPU second")
    print(f"total {total}")
    print(f"floor (bare Decimal qty*price, quantize): {floor_s:.3f} s; ratio {best / floor_s:.1f}x")
    print("target: > 100,000 lines/s:", "met" if rate_per_s > 100_000 else "NOT met")


if __name__ == "__main__":
    main()
