"""``perennial-sdk``: command-line entry points.

    perennial-sdk replay SCENARIO.json [--out OUT.json] [--target sim|devnet] [--compare EXPECTED.json]
    perennial-sdk devnet up [--port N] [--records DIR]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from perennial_sdk import errors

__all__ = ["main"]


def _replay(args: argparse.Namespace) -> int:
    from perennial_sdk.sim.replay import load_scenario, replay_scenario

    scenario = load_scenario(args.scenario)
    if args.target == "sim":
        result = replay_scenario(scenario)
    else:
        devnet_replay = importlib.import_module("perennial_sdk.devnet.replay")
        result = devnet_replay.replay_on_devnet(scenario)
    if args.compare:
        from perennial_sdk.sim.replay import diff_outputs

        with open(args.compare, encoding="utf-8") as fh:
            differences = diff_outputs(result, json.load(fh))
        for line in differences[:50]:
            print(line)
        print(f"{len(differences)} differences against {args.compare}")
        if differences:
            return 1
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        reverts = sum(1 for o in result["out"] if o.get("reverted"))
        print(
            f"{args.scenario}: {len(scenario.steps)} steps, {len(result['out'])} outputs, "
            f"{len(result['events'])} events, {reverts} reverts -> {args.out}"
        )
    else:
        print(text)
    return 0


def _devnet_up(args: argparse.Namespace) -> int:
    devnet_cli = importlib.import_module("perennial_sdk.devnet.cli")
    return int(devnet_cli.devnet_up(port=args.port, records=args.records))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="perennial-sdk", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    replay = sub.add_parser("replay", help="replay a market scenario and write the vectors' output format")
    replay.add_argument("scenario", help="scenario JSON (format: tests/vectors/README.md)")
    replay.add_argument("--out", help="write the result here instead of stdout")
    replay.add_argument("--target", choices=("sim", "devnet"), default="sim", help="simulator or devnet contracts")
    replay.add_argument("--compare", help="an expected output (e.g. NAME.evm.json): print the differences")
    replay.set_defaults(func=_replay)
    devnet = sub.add_parser("devnet", help="local Perennial devnet on anvil")
    devnet_sub = devnet.add_subparsers(dest="devnet_command", required=True)
    up = devnet_sub.add_parser("up", help="start anvil, deploy the protocol, print RPC URL and keys")
    up.add_argument("--port", type=int, default=None)
    up.add_argument("--records", default=None, metavar="DIR",
                    help="Perennial's own bytecode: a deployments/<network> folder of equilibria-xyz/perennial-v2")
    up.set_defaults(func=_devnet_up)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except errors.PerennialError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
