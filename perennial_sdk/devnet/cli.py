"""``perennial-sdk devnet up``: a local Perennial devnet that runs until Ctrl-C."""

from __future__ import annotations

__all__ = ["devnet_up"]

import signal
import sys
import threading
from types import FrameType
from typing import TextIO

from ._chain import dev_accounts
from ._devnet import Devnet
from ._errors import DevnetError
from ._real import start_records_devnet


def _print_devnet(devnet: Devnet, out: TextIO) -> None:
    d = devnet.deployment
    pid = devnet.handle.pid if devnet.handle is not None else None
    print(f"RPC URL    {devnet.url}", file=out)
    print(f"chain id   {d.chain_id}", file=out)
    print(f"anvil pid  {pid}", file=out)
    print(f"time       {devnet.now()} (moved to the wall clock; prices refreshed)", file=out)
    print(file=out)
    print("contracts", file=out)
    for name, address in d.addresses().items():
        print(f"  {name:<24} {address}", file=out)
    print(file=out)
    feed = "Pyth feed id" if d.price_feed == "pyth" else "Stork asset id"
    print(f"markets (price, keeper oracle id, {feed})", file=out)
    for name, info in d.markets.items():
        price = devnet.latest_price(name)
        print(f"  {name:<4} {price / 1e6:>12,.2f}  {info.oracle_id}  {info.feed_id}", file=out)
    print(file=out)
    print(f"keeper oracle: granularity {d.oracle.granularity}s, publish window "
          f"[+{d.oracle.valid_from}s, +{d.oracle.valid_to}s], timeout {d.oracle.timeout}s", file=out)
    print(f"owner / coordinator / keeper: {d.owner}", file=out)
    print(file=out)
    print("funded test accounts (10,000 ETH, 1,000,000 DSU and USDC each; DSU approved to every market)", file=out)
    print("These are anvil's PUBLIC dev keys (mnemonic 'test test ... junk'): anyone knows them.", file=out)
    print("Never use them, or send funds to them, on a real network.", file=out)
    keys = {a.address: a.key.hex() for a in dev_accounts(len(devnet.accounts))}
    for i, address in enumerate(devnet.accounts):
        key = keys.get(address)
        shown = ("0x" + key.removeprefix("0x")) if key else "(not a dev key)"
        print(f"  ({i}) {address}  {shown}", file=out)
    print(file=out)
    print("Ctrl-C to stop.", file=out, flush=True)


def devnet_up(port: int | None = None, records: str | None = None) -> int:
    """Start a devnet (warm start from the cached deployment, or Perennial's own bytecode from the
    hardhat-deploy records in ``records``), print its RPC URL, chain id, every deployed address and
    the funded dev accounts with their (public) keys, then serve until Ctrl-C / SIGTERM and stop
    anvil. Returns the exit code."""
    try:
        devnet = start_records_devnet(records, port=port) if records else Devnet.start(port=port)
    except DevnetError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    previous = None

    def on_term(signum: int, frame: FrameType | None) -> None:
        stop.set()

    try:
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, on_term)
        devnet.sync_clock()
        _print_devnet(devnet, sys.stdout)
        while not stop.wait(0.5):
            if devnet.handle is not None and not devnet.handle.running:
                print("anvil exited", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        devnet.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("devnet stopped", flush=True)
    return 0
