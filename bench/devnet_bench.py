"""Devnet timings. Run: .venv/bin/python bench/devnet_bench.py [--runs N] [--pairs N]

Prints one ``name value`` line per figure:
  devnet_cold_start_s   anvil + full protocol deploy (3 markets, 10 funded accounts), no cache
                        (median of --cold-runs)
  devnet_warm_start_s   anvil process start + cached deployment load (Devnet.start(); median of
                        --runs; target < 1 s)
  snapshot_revert_ms    one evm_snapshot + evm_revert pair over HTTP on the deployed devnet
                        (median of --pairs; target < 5 ms)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    from perennial_sdk.devnet import AnvilNotFoundError, Devnet, find_anvil
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from perennial_sdk.devnet import AnvilNotFoundError, Devnet, find_anvil


def _timed_start(**kwargs: object) -> float:
    start = time.perf_counter()
    devnet = Devnet.start(**kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    devnet.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="warm starts")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts (full deploys)")
    parser.add_argument("--pairs", type=int, default=200, help="snapshot+revert pairs")
    args = parser.parse_args(argv)
    try:
        binary = find_anvil()
    except AnvilNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="devnet-bench-") as cache:
        cold = statistics.median(
            _timed_start(fresh=True, cache_directory=cache, anvil_path=binary) for _ in range(args.cold_runs)
        )
        print(f"devnet_cold_start_s {cold:.4f}", flush=True)
        warm = statistics.median(
            _timed_start(cache_directory=cache, anvil_path=binary) for _ in range(args.runs)
        )
        print(f"devnet_warm_start_s {warm:.4f}", flush=True)

        with Devnet.start(cache_directory=cache, anvil_path=binary) as devnet:
            chain = devnet.chain
            chain.revert(chain.snapshot())  # open the HTTP connection
            samples = []
            for _ in range(args.pairs):
                start = time.perf_counter()
                chain.revert(chain.snapshot())
                samples.append(time.perf_counter() - start)
    print(f"snapshot_revert_ms {statistics.median(samples) * 1000:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
