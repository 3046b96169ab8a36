"""Simulator throughput: prints `sim_versions_per_second N` and `replay_scenario_ms N`.

One market (ETH preset), 5 accounts (a maker and four takers), a random price walk, one oracle
version per step settled by the keeper's ``settle(address(0))`` (``SimMarket.settle_market``), and an
order from a random taker every 4th version (which settles the market and that account).
Events are not recorded (the backtest setting). Run: `.venv/bin/python bench/sim_bench.py`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from perennial_sdk import errors, presets
from perennial_sdk.sim import SimMarket, SimOracle, replay_scenario
from perennial_sdk.sim.replay import load_scenario

U = 10**6
ROOT = Path(__file__).resolve().parents[1]


def run_versions(n_versions: int, *, order_every: int = 4, seed: int = 1) -> tuple[float, int, int]:
    rng = random.Random(seed)
    oracle = SimOracle(granularity=10)
    market = SimMarket(
        presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter("ETH"), oracle, record_events=False
    )
    price = 3_000 * U
    t = 1_000
    oracle.advance(t, price, settlement_fee=300_000)
    market.update("maker", 1_000 * U, 0, 0, 5_000_000 * U)
    takers = ("t1", "t2", "t3", "t4")
    orders = rejected = 0
    start = time.perf_counter()
    for i in range(n_versions):
        t += 10
        price += price * rng.randint(-30, 30) // 10_000
        oracle.advance(t, price, settlement_fee=300_000)
        if i % order_every == 0:
            who = rng.choice(takers)
            size = rng.randint(0, 60) * U
            position = market.raw_local_position(who)
            deposit = 1_000_000 * U if market.raw_local(who).collateral == 0 else 0
            # traders keep their side (a flip needs a settled close first) and sometimes close
            is_long = position.long > 0 or (position.short == 0 and who in ("t1", "t2"))
            try:
                if rng.random() < 0.2:
                    market.update(who, 0, 0, 0, deposit)
                elif is_long:
                    market.update(who, 0, size, 0, deposit)
                else:
                    market.update(who, 0, 0, size, deposit)
                orders += 1
            except errors.ContractError:
                rejected += 1
        else:
            market.settle_market()
    return time.perf_counter() - start, orders, rejected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--versions", type=int, default=50_000)
    parser.add_argument("--replays", type=int, default=30)
    args = parser.parse_args()
    run_versions(2_000)  # warm-up
    elapsed, orders, rejected = run_versions(args.versions)
    print(f"sim_versions_per_second {args.versions / elapsed:.0f}")
    print(f"sim_orders {orders} sim_rejected {rejected}")
    scenario = load_scenario(ROOT / "tests" / "vectors" / "scenario2_rounding.json")
    samples = []
    for _ in range(args.replays):
        t0 = time.perf_counter()
        replay_scenario(scenario)
        samples.append((time.perf_counter() - t0) * 1000)
    print(f"replay_scenario_ms {statistics.median(samples):.2f}")


if __name__ == "__main__":
    main()
