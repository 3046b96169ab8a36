#!/usr/bin/env python3
"""Replay the market scenario vectors on our contracts (anvil) and diff against the recorded EVM outputs.

usage: /work/main/.venv/bin/python contracts/replay_vectors.py [--vectors DIR] [--anvil PATH] [--out DIR] [NAME ...]

A thin wrapper over ``perennial_sdk.devnet.replay.replay_on_devnet`` (one anvil for all scenarios, each replayed
inside a snapshot): writes NAME.out.json (the NAME.evm.json format) to --out and prints the differences.
Exit status 0 iff every scenario has zero differences. Same as
``perennial-sdk replay --target devnet NAME.json`` per scenario.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perennial_sdk.devnet import AnvilNotFoundError, find_anvil, launch_anvil
from perennial_sdk.devnet.replay import replay_on_devnet
from perennial_sdk.sim.replay import load_scenario

DEFAULT_VECTORS = Path("/work/shared/vectors")
if not DEFAULT_VECTORS.exists():
    DEFAULT_VECTORS = ROOT / "tests" / "vectors"


def diff(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every differing leaf between the recorded output and ours."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        res: list[str] = []
        for k in expected:
            res.extend([f"{path}.{k}: missing"] if k not in actual else diff(expected[k], actual[k], f"{path}.{k}"))
        res.extend(f"{path}.{k}: unexpected" for k in actual if k not in expected)
        return res
    if isinstance(expected, list) and isinstance(actual, list):
        res = [f"{path}: length {len(actual)} != expected {len(expected)}"] if len(expected) != len(actual) else []
        for i, (e, a) in enumerate(zip(expected, actual)):
            res.extend(diff(e, a, f"{path}[{i}]"))
        return res
    return [] if expected == actual else [f"{path}: {actual!r} != expected {expected!r}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="scenario names (default: all)")
    ap.add_argument("--vectors", type=Path, default=DEFAULT_VECTORS)
    ap.add_argument("--anvil", default=None, help="anvil executable (default: PATH, then .tools)")
    ap.add_argument("--out", type=Path, default=None, help="directory for NAME.out.json (default: a temp dir)")
    args = ap.parse_args()
    try:
        binary = Path(args.anvil) if args.anvil else find_anvil()
    except AnvilNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    names = args.names or sorted(
        p.name[: -len(".json")] for p in args.vectors.glob("*.json") if not p.name.endswith(".evm.json")
    )
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="replay_vectors_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    with launch_anvil(anvil_path=binary) as node:
        w3 = node.web3()
        for name in names:
            actual = replay_on_devnet(load_scenario(args.vectors / f"{name}.json"), w3=w3)
            expected = json.loads((args.vectors / f"{name}.evm.json").read_text())
            (out_dir / f"{name}.out.json").write_text(json.dumps(actual, indent=1) + "\n")
            diffs = diff(expected, actual)
            total += len(diffs)
            print(f"{name}: {len(diffs)} differences")
            for d in diffs[:40]:
                print(f"  {d}")
    print(f"outputs in {out_dir}")
    print(f"TOTAL: {total} differences")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
