#!/usr/bin/env python3
"""End-to-end smoke test of the production-like stack on a throw-away anvil.

usage: /work/main/.venv/bin/python contracts/smoke_devnet.py [--anvil PATH]

Deploys DSU, USDC, SimpleReserve, MockPyth, PythFactory (+ one KeeperOracle), MarketEngine, MarketCore, Market,
MarketFactory, Multicall3 and MultiInvoker from perennial_sdk/artifacts, then:
  1. commits an unrequested Pyth price (keeper) and opens a maker position through MultiInvoker
     [APPROVE, UPDATE_POSITION with USDC wrap];
  2. commits the requested version through MultiInvoker COMMIT_PRICE and runs the settlement callbacks
     (keeper earns the sync and async fees);
  3. opens a long directly on the market, lets its requested version time out and commits it invalid
     (position unchanged, settlement fee still charged);
  4. reads state through Multicall3.aggregate3 and claims the protocol fee with CLAIM_FEE.
Exit status 0 iff every check passes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from eth_abi import encode
from web3 import Web3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from perennial_sdk.abi import abi
from perennial_sdk.devnet import AnvilNotFoundError, Transactor, find_anvil, launch_anvil
from perennial_sdk.devnet._tx import function_data

FEED = bytes.fromhex("ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace")  # ETH/USD id
ORACLE_ID = FEED
MAX = 2**256 - 1
U = 10**6
GRANULARITY = 10


class Chain:
    """Deploy / send / rpc over the SDK's devnet transactor (unlocked dev accounts, typed reverts)."""

    def __init__(self, w3: Web3) -> None:
        self.w3 = w3
        self.tx = Transactor(w3)
        self.deployer = w3.eth.accounts[0]

    def rpc(self, method: str, params: list[Any]) -> Any:
        return self.tx.rpc(method, *params)

    def deploy(self, name: str, *args: Any) -> Any:
        return self.at(name, self.tx.deploy(name, *args, sender=self.deployer))

    def at(self, name: str, address: str) -> Any:
        return self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi(name))

    def send(self, fn: Any, sender: str) -> Any:
        return self.tx.send(fn.address, function_data(fn), sender=sender, label=fn.fn_name)


class Smoke:
    def __init__(self, chain: Chain) -> None:
        self.c = chain
        self.w3: Web3 = chain.w3
        self.owner, self.alice, self.bob, self.keeper = chain.w3.eth.accounts[:4]
        self.failures: list[str] = []

    def check(self, cond: bool, what: str) -> None:
        print(("  ok   " if cond else "  FAIL ") + what)
        if not cond:
            self.failures.append(what)

    def mine_at(self, ts: int) -> None:
        self.c.rpc("evm_setNextBlockTimestamp", [ts])
        self.c.rpc("evm_mine", [])

    def set_next(self, ts: int) -> None:
        self.c.rpc("evm_setNextBlockTimestamp", [ts])

    def price_update(self, price: int, publish: int) -> bytes:
        # int64 price with expo -8
        return bytes(self.pyth.functions.createPriceFeedUpdateData(
            FEED, price, 0, -8, price, 0, publish, publish - 1
        ).call())

    def run(self) -> int:
        c, o = self.c, self.owner
        dsu = c.deploy("DSU")
        usdc = c.deploy("USDC")
        reserve = c.deploy("SimpleReserve", dsu.address, usdc.address)
        c.send(dsu.functions.updateMinter(reserve.address, True), o)
        self.pyth = c.deploy("MockPyth", 60, 1)
        pyth_factory = c.deploy("PythFactory", self.pyth.address, 30)
        t0 = self.w3.eth.get_block("latest")["timestamp"] // 100 * 100 + 1000
        self.mine_at(t0)
        c.send(pyth_factory.functions.updateParameter(GRANULARITY, 100_000, 2, 7), o)
        c.send(pyth_factory.functions.updateFeeConfig((300_000, 100_000, 2 * U)), o)
        c.send(pyth_factory.functions.create(ORACLE_ID, FEED), o)
        keeper_oracle = c.at("KeeperOracle", pyth_factory.functions.oracles(ORACLE_ID).call())

        engine = c.deploy("MarketEngine")
        core = c.deploy("MarketCore", engine.address)
        impl = c.deploy("Market", core.address)
        factory = c.deploy("MarketFactory", impl.address)
        c.send(factory.functions.updateParameter(
            (50_000, 50 * U, 500_000, 10 * U, 1_000, 100_000, 0, 1_000, 3600)), o)
        c.send(factory.functions.create((dsu.address, keeper_oracle.address)), o)
        market = c.at("Market", factory.functions.markets(keeper_oracle.address).call())
        c.send(keeper_oracle.functions.register(market.address), o)
        c.send(market.functions.updateParameter((100_000, 200_000, 1_000, 2_000, 300_000, 10, 10, 100_000, False, False)), o)
        c.send(market.functions.updateRiskParameter((
            100_000, 50_000, (1_000, 2_000, 4_000, 10 * U), (500, 1_000, 10 * U), 1_000 * U, 500_000, 5 * U,
            (0, U, 200_000, 500_000), (315_360 * U, -400_000, 400_000), 5 * U, 2 * U, 3600, False)), o)
        multicall = c.deploy("Multicall3")
        invoker = c.deploy("MultiInvoker", usdc.address, dsu.address, factory.address, reserve.address)

        # users
        c.send(usdc.functions.mint(self.alice, 5_000 * U), o)
        c.send(usdc.functions.approve(invoker.address, MAX), self.alice)
        c.send(factory.functions.updateOperator(invoker.address, True), self.alice)
        c.send(dsu.functions.mint(self.bob, 5_000 * 10**18), o)
        c.send(dsu.functions.approve(market.address, MAX), self.bob)

        print("1. unrequested commit + maker through MultiInvoker (USDC wrap)")
        self.set_next(t0 + 5)
        v0 = t0
        self._send_value(
            pyth_factory.functions.commit([ORACLE_ID], v0, self.price_update(2000_00000000, v0 + 3)), self.keeper, 1
        )
        latest = keeper_oracle.functions.latest().call()
        self.check(latest[0] == v0 and latest[1] == 2000 * U and latest[2], f"latest version {latest}")
        self.check(market.functions.position().call()[0] == v0, "market synced to the committed version")

        fee = (0, "0x0000000000000000000000000000000000000000")
        inv = [
            (8, encode(["address"], [market.address])),
            (1, encode(
                ["address", "uint256", "uint256", "uint256", "int256", "bool", "(uint256,address)", "(uint256,address)"],
                [market.address, 1 * U, 0, 0, 1_000 * U, True, fee, fee])),
        ]
        self.set_next(t0 + 12)
        c.send(invoker.functions.invoke(self.alice, inv), self.alice)
        v1 = t0 + 20  # ceil((t0 + 12) / 10) * 10
        self.check(keeper_oracle.functions.next().call() == v1, f"version {v1} requested")
        self.check(market.functions.locals(self.alice).call()[2] == 1_000 * U, "alice collateral 1000 (wrapped)")
        self.check(usdc.functions.balanceOf(self.alice).call() == 4_000 * U, "alice paid 1000 USDC")

        print("2. requested commit through COMMIT_PRICE + settlement callbacks")
        self.set_next(t0 + 25)
        commit = encode(["address", "uint256", "bytes32[]", "uint256", "bytes", "bool"],
                        [pyth_factory.address, 1, [ORACLE_ID], v1, self.price_update(2010_00000000, v1 + 4), True])
        dsu_before = dsu.functions.balanceOf(self.keeper).call()
        self._send_value(invoker.functions.invoke(self.keeper, [(6, commit)]), self.keeper, 1)
        self.check(tuple(keeper_oracle.functions.latest().call()) == (v1, 2010 * U, True), "requested version committed")
        receipt = keeper_oracle.functions.at(v1).call()[1]
        self.check(tuple(receipt) == (400_000, 100_000), f"receipt settlement 0.3 + 0.1 x 1 callback, oracle fee 0.1: {receipt}")
        c.send(pyth_factory.functions.settle([ORACLE_ID], [v1], [10]), self.keeper)
        earned = dsu.functions.balanceOf(self.keeper).call() - dsu_before
        self.check(earned == 400_000 * 10**12, f"keeper earned sync + async fee ({earned / 1e18} DSU)")
        pos = market.functions.positions(self.alice).call()
        self.check(pos[0] == v1 and pos[1] == 1 * U, f"alice maker 1 settled at {v1}: {pos}")

        print("3. long on the market, requested version times out -> invalid")
        self.set_next(t0 + 31)
        c.send(market.functions.update(self.bob, 0, U // 2, 0, 500 * U, False), self.bob)
        v2 = t0 + 40
        self.check(keeper_oracle.functions.next().call() == v2, f"version {v2} requested")
        self.set_next(v2 + 31)  # past timeout 30
        self._send_value(pyth_factory.functions.commit([ORACLE_ID], v2, b""), self.keeper, 0)
        ver = keeper_oracle.functions.latest().call()
        self.check(ver[0] == v2 and not ver[2] and ver[1] == 2010 * U, f"invalid version at previous price: {ver}")
        c.send(market.functions.settle(self.bob), self.keeper)
        bob_pos = market.functions.positions(self.bob).call()
        bob_loc = market.functions.locals(self.bob).call()
        self.check(bob_pos[2] == 0, f"bob long not opened: {bob_pos}")
        self.check(bob_loc[2] == 500 * U - 400_000, f"bob paid only the settlement fee: {bob_loc[2] / 1e6}")

        print("4. Multicall3 reads + CLAIM_FEE")
        calls = [
            (market.address, False, market.functions.position()._encode_transaction_data()),
            (market.address, False, market.functions.locals(self.alice)._encode_transaction_data()),
        ]
        res = multicall.functions.aggregate3(calls).call()
        self.check(all(r[0] for r in res) and len(res) == 2, "aggregate3 read position + locals")
        g = market.functions["global"]().call()
        protocol_fee = g[2]
        self.check(protocol_fee > 0, f"protocol fee accrued {protocol_fee / 1e6}")
        c.send(factory.functions.updateOperator(invoker.address, True), o)
        before = dsu.functions.balanceOf(o).call()
        claim = encode(["address", "bool"], [market.address, False])
        c.send(invoker.functions.invoke(o, [(10, claim)]), o)
        got = dsu.functions.balanceOf(o).call() - before
        self.check(got == protocol_fee * 10**12, f"owner claimed the protocol fee {got / 1e18}")

        print("5. delta updates with a referrer (referral fee from the protocol parameter)")
        c.send(factory.functions.updateParameter(
            (50_000, 50 * U, 500_000, 10 * U, 1_000, 100_000, 400_000, 1_000, 3600)), o)
        self.check(factory.functions.referralFees(self.keeper).call() == 400_000, "default referral fee 0.4")
        self.set_next(v2 + 45)
        latest_v = v2 + 44
        self._send_value(
            pyth_factory.functions.commit([ORACLE_ID], latest_v, self.price_update(2000_00000000, latest_v + 3)),
            self.keeper, 1,
        )
        self.set_next(v2 + 46)
        c.send(market.functions.update(self.bob, U // 2, 0, self.keeper), self.bob)  # taker delta + collateral
        c.send(market.functions.update(self.alice, U // 2, 0, 0, self.keeper), self.alice)  # maker + taker delta
        v3 = v2 + 50
        self.set_next(v3 + 3)
        self._send_value(
            pyth_factory.functions.commit([ORACLE_ID], v3, self.price_update(2000_00000000, v3 + 3)), self.keeper, 1
        )
        c.send(pyth_factory.functions.settle([ORACLE_ID], [v3], [10]), self.keeper)
        self.check(market.functions.positions(self.bob).call()[2] == U // 2, "bob long 0.5 via taker delta")
        self.check(market.functions.positions(self.alice).call()[1] == U * 3 // 2, "alice maker 1.5 via maker delta")
        # flat taker fee 0.5 * 2000 * 0.002 = 2.0, maker fee 0.5 * 2000 * 0.001 = 1.0; referrer gets 40 %
        claimable = market.functions.locals(self.keeper).call()[3]
        self.check(claimable == 1_200_000, f"referrer claimable {claimable / 1e6} == 1.2")
        before = dsu.functions.balanceOf(self.keeper).call()
        c.send(market.functions.claimFee(self.keeper), self.keeper)
        got = dsu.functions.balanceOf(self.keeper).call() - before
        self.check(got == 1_200_000 * 10**12, "referrer claimed its fee")

        print(f"{len(self.failures)} failed")
        return 1 if self.failures else 0

    def _send_value(self, fn: Any, sender: str, value: int) -> Any:
        tx = fn.transact({"from": sender, "gas": 25_000_000, "value": value})
        rcpt = self.w3.eth.wait_for_transaction_receipt(tx)
        if rcpt["status"] != 1:
            raise RuntimeError(f"reverted: {fn.fn_name}")
        return rcpt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--anvil", default=None, help="anvil executable (default: PATH, then .tools)")
    args = ap.parse_args()
    try:
        binary = Path(args.anvil) if args.anvil else find_anvil()
    except AnvilNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    with launch_anvil(anvil_path=binary) as node:
        return Smoke(Chain(node.web3())).run()


if __name__ == "__main__":
    sys.exit(main())
