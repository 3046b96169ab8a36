"""Devnet timings. Run: .venv/bin/python bench/devnet_bench.py [--runs N] [--pairs N]

Prints one ``name value`` line per figure:
  devnet_cold_start_s   launch anvil and wait until it answers (median of --runs; no deploy yet)
  devnet_warm_start_s   launch anvil with --load-state of a dumped state, process start included
  snapshot_revert_ms    one evm_snapshot + evm_revert pair over HTTP (median of --pairs)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

try:
    from perennial_sdk.devnet import AnvilNotFoundError, Chain, find_anvil, launch_anvil
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from perennial_sdk.devnet import AnvilNotFoundError, Chain, find_anvil, launch_anvil

# A stand-in state until the protocol deployment exists: a few accounts with code and storage.
_STATE_ACCOUNTS = 50


def _timed_launch(**kwargs: object) -> float:
    start = time.perf_counter()
    handle = launch_anvil(**kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    handle.close()
    return elapsed


def _dumped_state() -> bytes:
    with launch_anvil() as handle:
        chain = Chain(handle.web3())
        for i in range(1, _STATE_ACCOUNTS + 1):
            address = f"0x{i:040x}"
            chain.set_balance(address, i * 10**18)
            chain.set_code(address, bytes.fromhex("602a60005260206000f3"))
            chain.set_storage_at(address, 0, i)
        chain.mine(10)
        return chain.dump_state()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="launches per start figure")
    parser.add_argument("--pairs", type=int, default=200, help="snapshot+revert pairs")
    args = parser.parse_args(argv)
    try:
        binary = find_anvil()
    except AnvilNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    _timed_launch(anvil_path=binary)  # warm the page cache for the binary
    cold = statistics.median(_timed_launch(anvil_path=binary) for _ in range(args.runs))
    print(f"devnet_cold_start_s {cold:.4f}", flush=True)

    state = _dumped_state()
    warm = statistics.median(
        _timed_launch(anvil_path=binary, load_state=state) for _ in range(args.runs)
    )
    print(f"devnet_warm_start_s {warm:.4f}", flush=True)

    with launch_anvil(anvil_path=binary) as handle:
        chain = Chain(handle.web3())
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
