"""Scenario replay on the devnet contracts: the vector format of ``tests/vectors/README.md`` in, the
output format of :func:`perennial_sdk.sim.replay.replay_scenario` out.

Each replay deploys its own ``MarketEngine``/``MarketCore``/``Market``/``MarketFactory``, a settable
``TestOracle`` and ``DSU``, creates the market with the scenario's parameters, funds and impersonates
the scenario's accounts (A → 0x…aaaa, …), runs every step and decodes the market's
``PositionProcessed`` / ``AccountPositionProcessed`` logs. Formatting is the simulator replay's.
"""

from __future__ import annotations

__all__ = ["replay_on_devnet"]

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from web3 import Web3

from perennial_sdk import abi as abi_files
from perennial_sdk import errors
from perennial_sdk.sim.market import Event, SimMarket
from perennial_sdk.sim.replay import (
    Scenario,
    account_address,
    format_events,
    scenario_accounts,
    snake_case,
    state_fields,
)

from ._anvil import launch_anvil
from ._chain import Chain
from ._reads import MarketReader
from ._tx import Transactor, function_data, struct_arg

_MAX_UINT = 2**256 - 1
_DSU_PER_ACCOUNT = 10**12 * 10**18
_ETH_PER_ACCOUNT = 10**21


def replay_on_devnet(
    scenario: Scenario, *, w3: Web3 | None = None, anvil_path: Path | str | None = None
) -> dict[str, Any]:
    """Replay ``scenario`` on the devnet contracts; returns ``{"out": [...], "events": [...]}``.

    Without ``w3`` a private anvil is started and stopped. With ``w3`` (an anvil node) the replay
    runs inside a snapshot that is reverted afterwards. A step that reverts without
    ``expectRevert`` raises :class:`~perennial_sdk.errors.ScenarioError`, like the simulator.
    """
    if w3 is None:
        with launch_anvil(anvil_path=anvil_path, extra_args=["--block-base-fee-per-gas", "0"]) as node:
            return _Replay(node.web3(), scenario).run()
    with Chain(w3).isolate():
        return _Replay(w3, scenario).run()


class _View:
    """The reads ``sim.replay.state_fields`` makes of a SimMarket, answered from the chain."""

    def __init__(self, reader: MarketReader) -> None:
        self.reader = reader

    def raw_global(self) -> SimpleNamespace:
        g = self.reader.global_()
        return SimpleNamespace(
            current_id=g.current_id, latest_id=g.latest_id, protocol_fee=g.protocol_fee,
            oracle_fee=g.oracle_fee, risk_fee=g.risk_fee, latest_price=g.latest_price,
            exposure=g.exposure, p_value=g.p_accumulator.value, p_skew=g.p_accumulator.skew,
        )

    def raw_position(self) -> Any:
        return self.reader.position()

    def raw_local(self, name: str) -> Any:
        return self.reader.locals(account_address(name))

    def raw_version(self, timestamp: int) -> Any:
        return self.reader.versions(timestamp)

    def checkpoints(self, name: str, timestamp: int) -> Any:
        return self.reader.checkpoints(account_address(name), timestamp)


class _Replay:
    def __init__(self, w3: Web3, scenario: Scenario) -> None:
        self.w3 = w3
        self.scenario = scenario
        self.chain = Chain(w3)
        self.tx = Transactor(w3)
        self.deployer = Web3.to_checksum_address(w3.eth.accounts[0])

    def contract(self, name: str, address: str) -> Any:
        return self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi_files.abi(name))

    def send(self, fn: Any, sender: str | None = None, *, preflight: bool = False) -> None:
        """Send; a revert raises its typed error (decoded from the trace unless preflighted)."""
        self.tx.send_raw(
            fn.address, function_data(fn), sender=sender or self.deployer, label=fn.fn_name, preflight=preflight
        )

    def _names(self) -> list[str]:
        names = list(scenario_accounts(self.scenario))
        for step in self.scenario.steps:
            if step.update is not None and len(step.update) > 6 and step.update[6]:
                names.append(str(step.update[6]))
            names.extend(step.settle)
        return list(dict.fromkeys(names))

    @contextmanager
    def _impersonating(self, addresses: list[str]) -> Iterator[None]:
        for address in addresses:
            self.chain.rpc("anvil_impersonateAccount", address)
        try:
            yield
        finally:
            for address in addresses:
                self.chain.rpc("anvil_stopImpersonatingAccount", address)

    def run(self) -> dict[str, Any]:
        sc = self.scenario
        engine = self.tx.deploy("MarketEngine", sender=self.deployer)
        core = self.tx.deploy("MarketCore", engine, sender=self.deployer)
        implementation = self.tx.deploy("Market", core, sender=self.deployer)
        factory = self.contract("MarketFactory", self.tx.deploy("MarketFactory", implementation, sender=self.deployer))
        oracle = self.contract("TestOracle", self.tx.deploy("TestOracle", sender=self.deployer))
        dsu = self.contract("DSU", self.tx.deploy("DSU", sender=self.deployer))
        self.send(factory.functions.updateParameter(struct_arg("MarketFactory", "updateParameter", sc.protocol)))
        self.send(factory.functions.create((dsu.address, oracle.address)))
        market = self.contract("Market", self.tx.read(factory.functions.markets(oracle.address)))
        self.send(market.functions.updateParameter(struct_arg("Market", "updateParameter", sc.market)))
        self.send(market.functions.updateRiskParameter(struct_arg("Market", "updateRiskParameter", sc.risk)))

        addresses = [account_address(name) for name in self._names()]
        with self._impersonating(addresses):
            for address in addresses:
                self.chain.set_balance(address, _ETH_PER_ACCOUNT)
                self.send(dsu.functions.mint(address, _DSU_PER_ACCOUNT))
                self.send(dsu.functions.approve(market.address, _MAX_UINT), address)
            first_block = self.w3.eth.block_number + 1
            out = self._steps(market, oracle)
        return {"out": out, "events": self._events(market, first_block)}

    def _steps(self, market: Any, oracle: Any) -> list[dict[str, Any]]:
        view = cast(SimMarket, _View(MarketReader(self.w3, market.address, tx=self.tx)))
        accounts = scenario_accounts(self.scenario)
        out: list[dict[str, Any]] = []
        for step in self.scenario.steps:
            if step.oracle:
                for t, price, valid, settlement_fee, oracle_fee in step.oracle.versions:
                    self.send(oracle.functions.setVersion(t, price, valid, settlement_fee, oracle_fee))
                if step.oracle.status:
                    self.send(oracle.functions.setStatus(*step.oracle.status))
            if step.market_param is not None:
                self.send(market.functions.updateParameter(struct_arg("Market", "updateParameter", step.market_param)))
            if step.risk_param is not None:
                self.send(market.functions.updateRiskParameter(
                    struct_arg("Market", "updateRiskParameter", step.risk_param)
                ))
            entry: dict[str, Any] | None = None
            if step.update is not None:
                entry = {"step": step.name}
                account, maker, long, short, collateral, protect = step.update[:6]
                sender = step.update[6] if len(step.update) > 6 and step.update[6] else account
                fn = market.functions.update(
                    account_address(str(account)), int(maker), int(long), int(short), int(collateral), bool(protect)
                )
                try:
                    self.send(fn, account_address(str(sender)), preflight=True)  # a rejected update: no tx
                except errors.ContractError as exc:
                    if not step.expect_revert:
                        raise errors.ScenarioError(
                            f"step {step.name!r} reverted with {exc.name} but expectRevert is not set",
                            field=step.name,
                        ) from exc
                    entry.update({"reverted": True, "reason": exc.name})
            for name in step.settle:
                self.send(market.functions.settle(account_address(name)))
            if step.read is not None:
                entry = {"step": step.name, **state_fields(view, accounts, step.read)}
            if entry is not None:
                out.append(entry)
        return out

    def _events(self, market: Any, first_block: int) -> list[dict[str, str]]:
        processed = {
            "PositionProcessed": market.events.PositionProcessed(),
            "AccountPositionProcessed": market.events.AccountPositionProcessed(),
        }
        topics = {
            "0x" + bytes(Web3.keccak(text=_signature(market.abi, name))).hex(): name for name in processed
        }
        logs = self.w3.eth.get_logs({"address": market.address, "fromBlock": first_block, "toBlock": "latest"})
        events: list[Event] = []
        for log in logs:
            if not log["topics"]:
                continue
            name = topics.get("0x" + bytes(log["topics"][0]).hex())
            if name is None:
                continue
            args = processed[name].process_log(log)["args"]
            event: Event = {"event": name, "orderId": int(args["orderId"])}
            if name == "AccountPositionProcessed":
                event["account"] = Web3.to_checksum_address(args["account"])
            event.update({snake_case(k): int(v) for k, v in dict(args["accumulationResult"]).items()})
            events.append(event)
        return format_events(events)


def _canonical(param: dict[str, Any]) -> str:
    kind: str = param["type"]
    if kind.startswith("tuple"):
        return "(" + ",".join(_canonical(c) for c in param["components"]) + ")" + kind[5:]
    return kind


def _signature(abi: Any, name: str) -> str:
    item = next(i for i in abi if i.get("type") == "event" and i.get("name") == name)
    return f"{name}({','.join(_canonical(i) for i in item['inputs'])})"

