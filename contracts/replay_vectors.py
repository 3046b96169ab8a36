#!/usr/bin/env python3
"""Replay the market scenario vectors on our contracts (anvil) and diff against the recorded EVM outputs.

usage: /work/main/.venv/bin/python contracts/replay_vectors.py [--vectors DIR] [--anvil PATH] [--out DIR] [NAME ...]

For each DIR/NAME.json (default: every scenario in the vectors directory) this script
  * starts its own anvil on a free loopback port (killed by PID at the end),
  * deploys MarketEngine, MarketCore, Market (implementation), MarketFactory, TestOracle and DSU from perennial_sdk/artifacts,
    creates the market through the factory and applies the scenario's protocol / market / risk parameters,
  * impersonates the fixed accounts A=0x..aaaa, B=0x..BbBB, C=0x..CcCc, D=0x..D00d (funded with ETH and DSU),
  * replays every step (oracle versions + status, parameter updates, updates, settles, reads),
  * decodes the PositionProcessed / AccountPositionProcessed events in emission order,
  * writes NAME.out.json (same format as NAME.evm.json) to --out and prints the differences.
Exit status 0 iff every scenario has zero differences.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address
from web3 import Web3

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "perennial_sdk" / "artifacts"
DEFAULT_VECTORS = Path("/work/shared/vectors")
if not DEFAULT_VECTORS.exists():
    DEFAULT_VECTORS = ROOT / "tests" / "vectors"
DEFAULT_ANVIL = ROOT / ".tools" / "node_modules" / ".bin" / "anvil"

ACCOUNTS = {
    "A": to_checksum_address("0x000000000000000000000000000000000000aaaa"),
    "B": to_checksum_address("0x000000000000000000000000000000000000bbbb"),
    "C": to_checksum_address("0x000000000000000000000000000000000000cccc"),
    "D": to_checksum_address("0x000000000000000000000000000000000000d00d"),
}
GAS = 25_000_000


def fmt6(raw: int) -> str:
    sign = "-" if raw < 0 else ""
    a = abs(raw)
    return f"{sign}{a // 1_000_000}.{a % 1_000_000:06d}"


def load_artifact(name: str) -> dict[str, Any]:
    return json.loads((ARTIFACTS / f"{name}.json").read_text())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Anvil:
    def __init__(self, binary: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "--host", "127.0.0.1", "--port", str(self.port), "--silent", "--gas-limit", "100000000"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        w3 = Web3(Web3.HTTPProvider(self.url))
        for _ in range(200):
            if self.proc.poll() is None and w3.is_connected():
                break
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("anvil did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Chain:
    def __init__(self, url: str) -> None:
        self.w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 120}))
        self.deployer = self.w3.eth.accounts[0]
        self.errors: dict[str, str] = {}
        for f in ARTIFACTS.glob("*.json"):
            if f.name.startswith("_"):
                continue
            for item in json.loads(f.read_text())["abi"]:
                if item["type"] == "error":
                    sig = f"{item['name']}({','.join(i['type'] for i in item['inputs'])})"
                    self.errors["0x" + keccak(text=sig)[:4].hex()] = item["name"]
        self.logs: list[Any] = []

    def rpc(self, method: str, params: list[Any]) -> Any:
        resp = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        if "error" in resp:
            raise RuntimeError(f"{method}: {resp['error']}")
        return resp.get("result")

    def deploy(self, name: str, *args: Any) -> Any:
        art = load_artifact(name)
        factory = self.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
        tx = factory.constructor(*args).transact({"from": self.deployer, "gas": GAS})
        rcpt = self.w3.eth.wait_for_transaction_receipt(tx)
        assert rcpt["status"] == 1, f"deploy {name} failed"
        return self.w3.eth.contract(address=rcpt["contractAddress"], abi=art["abi"])

    def at(self, name: str, address: str) -> Any:
        return self.w3.eth.contract(address=address, abi=load_artifact(name)["abi"])

    def send(self, fn: Any, sender: str) -> Any:
        tx = fn.transact({"from": sender, "gas": GAS})
        rcpt = self.w3.eth.wait_for_transaction_receipt(tx)
        if rcpt["status"] != 1:
            raise RuntimeError(f"transaction reverted: {fn.fn_name} ({self.simulate(fn, sender)})")
        self.logs.extend(rcpt["logs"])
        return rcpt

    def simulate(self, fn: Any, sender: str) -> str | None:
        """eth_call the transaction: None if it succeeds, else the decoded custom error name (or raw data)."""
        tx = {"from": sender, "to": fn.address, "data": fn._encode_transaction_data(), "gas": hex(GAS)}
        resp = self.w3.provider.make_request("eth_call", [tx, "latest"])  # type: ignore[arg-type]
        if "error" not in resp:
            return None
        data = resp["error"].get("data") or ""
        if isinstance(data, dict):
            data = data.get("data", "")
        sel = str(data)[:10].lower()
        return self.errors.get(sel, str(data) or resp["error"].get("message", "revert"))


def decode_events(chain: Chain, market: Any) -> list[dict[str, Any]]:
    pp = market.events.PositionProcessed()
    app = market.events.AccountPositionProcessed()
    pp_topic = "0x" + keccak(text=_event_sig(market.abi, "PositionProcessed")).hex()
    app_topic = "0x" + keccak(text=_event_sig(market.abi, "AccountPositionProcessed")).hex()
    out: list[dict[str, Any]] = []
    for log in chain.logs:
        if log["address"] != market.address or not log["topics"]:
            continue
        topic = "0x" + bytes(log["topics"][0]).hex()
        if topic == pp_topic:
            ev = pp.process_log(log)["args"]
            entry: dict[str, Any] = {"event": "PositionProcessed", "orderId": str(ev["orderId"])}
            for k, v in ev["accumulationResult"].items():
                entry[k] = fmt6(v)
            out.append(entry)
        elif topic == app_topic:
            ev = app.process_log(log)["args"]
            entry = {
                "event": "AccountPositionProcessed",
                "account": to_checksum_address(ev["account"]),
                "orderId": str(ev["orderId"]),
            }
            for k, v in ev["accumulationResult"].items():
                entry[k] = fmt6(v)
            out.append(entry)
    return out


def _canonical_type(inp: dict[str, Any]) -> str:
    t = inp["type"]
    if t.startswith("tuple"):
        return "(" + ",".join(_canonical_type(c) for c in inp["components"]) + ")" + t[len("tuple"):]
    return t


def _event_sig(abi: list[dict[str, Any]], name: str) -> str:
    item = next(i for i in abi if i["type"] == "event" and i["name"] == name)
    return f"{name}({','.join(_canonical_type(i) for i in item['inputs'])})"


def read_state(market: Any, accounts: list[str], read: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    g = market.functions.global_().call() if hasattr(market.functions, "global_") else market.functions["global"]().call()
    out["global"] = {
        "currentId": str(g[0]),
        "latestId": str(g[1]),
        "protocolFee": fmt6(g[2]),
        "oracleFee": fmt6(g[3]),
        "riskFee": fmt6(g[4]),
        "latestPrice": fmt6(g[5]),
        "exposure": fmt6(g[6]),
        "pValue": fmt6(g[7][0]),
        "pSkew": fmt6(g[7][1]),
    }
    p = market.functions.position().call()
    out["position"] = {"timestamp": str(p[0]), "maker": fmt6(p[1]), "long": fmt6(p[2]), "short": fmt6(p[3])}
    for name in accounts:
        loc = market.functions.locals(ACCOUNTS[name]).call()
        out[f"local{name}"] = {
            "currentId": str(loc[0]),
            "latestId": str(loc[1]),
            "collateral": fmt6(loc[2]),
            "claimable": fmt6(loc[3]),
        }
    version_fields = [
        "makerValue", "longValue", "shortValue", "makerFee", "takerFee", "makerOffset",
        "takerPosOffset", "takerNegOffset", "settlementFee", "liquidationFee",
    ]
    for t in read.get("versions", []):
        v = market.functions.versions(int(t)).call()
        entry: dict[str, Any] = {"valid": bool(v[0]), "price": fmt6(v[1])}
        for i, k in enumerate(version_fields):
            entry[k] = fmt6(v[2 + i][0])
        out[f"version{t}"] = entry
    for name, t in read.get("checkpoints", []):
        c = market.functions.checkpoints(ACCOUNTS[name], int(t)).call()
        out[f"checkpoint{name}{t}"] = {
            "tradeFee": fmt6(c[0]),
            "settlementFee": fmt6(c[1]),
            "transfer": fmt6(c[2]),
            "collateral": fmt6(c[3]),
        }
    return out


def _risk_tuple(r: dict[str, Any]) -> tuple[Any, ...]:
    tf, mf, uc, pc = r["takerFee"], r["makerFee"], r["utilizationCurve"], r["pController"]
    return (
        r["margin"], r["maintenance"],
        (tf["linearFee"], tf["proportionalFee"], tf["adiabaticFee"], tf["scale"]),
        (mf["linearFee"], mf["proportionalFee"], mf["scale"]),
        r["makerLimit"], r["efficiencyLimit"], r["liquidationFee"],
        (uc["minRate"], uc["maxRate"], uc["targetRate"], uc["targetUtilization"]),
        (pc["k"], pc["min"], pc["max"]),
        r["minMargin"], r["minMaintenance"], r["staleAfter"], bool(r["makerReceiveOnly"]),
    )


def _market_tuple(m: dict[str, Any]) -> tuple[Any, ...]:
    return (
        m["fundingFee"], m["interestFee"], m["makerFee"], m["takerFee"], m["riskFee"],
        m["maxPendingGlobal"], m["maxPendingLocal"], m["maxPriceDeviation"], bool(m["closed"]), bool(m["settle"]),
    )


def _protocol_tuple(p: dict[str, Any]) -> tuple[Any, ...]:
    return (
        p["maxFee"], p["maxLiquidationFee"], p["maxCut"], p["maxRate"], p["minMaintenance"],
        p["minEfficiency"], p["referralFee"], p["minScale"], p["maxStaleAfter"],
    )


def replay(chain: Chain, scenario: dict[str, Any]) -> dict[str, Any]:
    dep = chain.deployer
    chain.logs = []

    engine = chain.deploy("MarketEngine")
    core = chain.deploy("MarketCore", engine.address)
    impl = chain.deploy("Market", core.address)
    factory = chain.deploy("MarketFactory", impl.address)
    oracle = chain.deploy("TestOracle")
    dsu = chain.deploy("DSU")

    chain.send(factory.functions.updateParameter(_protocol_tuple(scenario["protocol"])), dep)
    chain.send(factory.functions.create((dsu.address, oracle.address)), dep)
    market = chain.at("Market", factory.functions.markets(oracle.address).call())
    chain.send(market.functions.updateParameter(_market_tuple(scenario["market"])), dep)
    chain.send(market.functions.updateRiskParameter(_risk_tuple(scenario["risk"])), dep)
    chain.logs = []

    used = set()
    for step in scenario["steps"]:
        if "update" in step:
            used.add(step["update"][0])
            if len(step["update"]) > 6:
                used.add(step["update"][6])
        used.update(step.get("settle", []))
    accounts = ["A", "B"] if used <= {"A", "B"} else ["A", "B", "C", "D"]

    for name, addr in ACCOUNTS.items():
        chain.rpc("anvil_impersonateAccount", [addr])
        chain.rpc("anvil_setBalance", [addr, hex(10**21)])
        chain.send(dsu.functions.mint(addr, 10**12 * 10**18), dep)
        chain.send(dsu.functions.approve(market.address, 2**256 - 1), addr)
    chain.logs = []

    out: list[dict[str, Any]] = []
    for step in scenario["steps"]:
        orc = step.get("oracle", {})
        for ts, price, valid, sfee, ofee in orc.get("versions", []):
            chain.send(oracle.functions.setVersion(int(ts), int(price), bool(valid), int(sfee), int(ofee)), dep)
        if "status" in orc:
            chain.send(oracle.functions.setStatus(int(orc["status"][0]), int(orc["status"][1])), dep)
        if "marketParam" in step:
            chain.send(market.functions.updateParameter(_market_tuple(step["marketParam"])), dep)
        if "riskParam" in step:
            chain.send(market.functions.updateRiskParameter(_risk_tuple(step["riskParam"])), dep)

        entry: dict[str, Any] = {"step": step["name"]}
        if "update" in step:
            u = step["update"]
            account = ACCOUNTS[u[0]]
            sender = ACCOUNTS[u[6]] if len(u) > 6 and u[6] else account
            fn = market.functions.update(account, int(u[1]), int(u[2]), int(u[3]), int(u[4]), bool(u[5]))
            reason = chain.simulate(fn, sender)
            if reason is not None:
                if not step.get("expectRevert"):
                    print(f"  unexpected revert in step {step['name']!r}: {reason}", file=sys.stderr)
                entry["reverted"] = True
                entry["reason"] = reason
            else:
                chain.send(fn, sender)
        for name in step.get("settle", []):
            chain.send(market.functions.settle(ACCOUNTS[name]), dep)
        if "read" in step:
            entry.update(read_state(market, accounts, step["read"]))
        if "update" in step or "read" in step:
            out.append(entry)

    return {"out": out, "events": decode_events(chain, market)}


def diff(expected: Any, actual: Any, path: str = "") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        res: list[str] = []
        for k in expected:
            if k not in actual:
                res.append(f"{path}.{k}: missing")
            else:
                res.extend(diff(expected[k], actual[k], f"{path}.{k}"))
        for k in actual:
            if k not in expected:
                res.append(f"{path}.{k}: unexpected")
        return res
    if isinstance(expected, list) and isinstance(actual, list):
        res = []
        if len(expected) != len(actual):
            res.append(f"{path}: length {len(actual)} != expected {len(expected)}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            res.extend(diff(e, a, f"{path}[{i}]"))
        return res
    return [] if expected == actual else [f"{path}: {actual!r} != expected {expected!r}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="scenario names (default: all)")
    ap.add_argument("--vectors", type=Path, default=DEFAULT_VECTORS)
    ap.add_argument("--anvil", default=os.environ.get("ANVIL", str(DEFAULT_ANVIL)))
    ap.add_argument("--out", type=Path, default=None, help="directory for NAME.out.json (default: a temp dir)")
    args = ap.parse_args()

    anvil_bin = args.anvil if Path(args.anvil).exists() else shutil.which("anvil")
    if not anvil_bin:
        print("anvil not found: npm install --prefix .tools @foundry-rs/anvil", file=sys.stderr)
        return 2
    names = args.names or sorted(
        p.name[: -len(".json")] for p in args.vectors.glob("*.json") if not p.name.endswith(".evm.json")
    )
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="replay_vectors_"))
    out_dir.mkdir(parents=True, exist_ok=True)

    anvil = Anvil(anvil_bin)
    total = 0
    try:
        chain = Chain(anvil.url)
        for name in names:
            scenario = json.loads((args.vectors / f"{name}.json").read_text())
            expected = json.loads((args.vectors / f"{name}.evm.json").read_text())
            actual = replay(chain, scenario)
            (out_dir / f"{name}.out.json").write_text(json.dumps(actual, indent=1) + "\n")
            diffs = diff(expected, actual)
            total += len(diffs)
            print(f"{name}: {len(diffs)} differences")
            for d in diffs[:40]:
                print(f"  {d}")
    finally:
        anvil.stop()
    print(f"outputs in {out_dir}")
    print(f"TOTAL: {total} differences")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
