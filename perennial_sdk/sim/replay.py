"""Scenario replay: the vector format of ``tests/vectors/README.md`` in, the same output format out.

``replay_scenario(scenario)`` runs a scenario on :class:`~perennial_sdk.sim.SimMarket` and returns
``{"out": [...], "events": [...]}`` exactly as the real ``Market.sol`` harness wrote ``NAME.evm.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from perennial_sdk import errors, models
from perennial_sdk.fixed import format6
from perennial_sdk.sim.market import Event, SimMarket
from perennial_sdk.sim.oracle import SimOracle

__all__ = [
    "Scenario",
    "account_address",
    "diff_outputs",
    "format_events",
    "load_scenario",
    "replay_scenario",
    "scenario_accounts",
    "snake_case",
    "state_fields",
]

_NAMED_ADDRESSES = {"A": "aaaa", "B": "bbbb", "C": "cccc", "D": "d00d", "E": "eeee", "F": "ffff"}


def account_address(name: str) -> str:
    """The checksummed address a scenario account name stands for (A → 0x…aaaa, D → 0x…d00d)."""
    from eth_utils.address import to_checksum_address

    if name.startswith("0x") and len(name) == 42:
        return to_checksum_address(name)
    tail = _NAMED_ADDRESSES.get(name) or name.encode().hex()[-8:].rjust(4, "0")
    return to_checksum_address("0x" + tail.rjust(40, "0"))


class _Oracle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    versions: list[tuple[int, int, bool, int, int]] = Field(default_factory=list)
    status: tuple[int, int] | None = None


class _Read(BaseModel):
    model_config = ConfigDict(extra="forbid")
    versions: list[int] = Field(default_factory=list)
    checkpoints: list[tuple[str, int]] = Field(default_factory=list)


class Step(BaseModel):
    """One scenario step (see tests/vectors/README.md)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    name: str
    oracle: _Oracle | None = None
    update: list[Any] | None = None
    expect_revert: bool = Field(False, alias="expectRevert")
    settle: list[str] = Field(default_factory=list)
    market_param: models.MarketParameter | None = Field(None, alias="marketParam")
    risk_param: models.RiskParameter | None = Field(None, alias="riskParam")
    read: _Read | None = None


class Scenario(BaseModel):
    """A market scenario: parameters and steps (raw 6-decimal integers)."""

    model_config = ConfigDict(extra="forbid")
    protocol: models.ProtocolParameter
    market: models.MarketParameter
    risk: models.RiskParameter
    steps: list[Step]
    accounts: list[str] | None = None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises :class:`~perennial_sdk.errors.ScenarioError`."""
    try:
        with open(path, encoding="utf-8") as fh:
            return Scenario.model_validate(json.load(fh))
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise errors.ScenarioError(f"cannot load scenario {path}: {exc}", field=str(path)) from exc


def scenario_accounts(scenario: Scenario) -> list[str]:
    """The accounts whose locals a read step reports (A, B or A…D, as the recorded harness did)."""
    if scenario.accounts is not None:
        return scenario.accounts
    used: set[str] = set()
    for step in scenario.steps:
        if step.update:
            used.add(str(step.update[0]))
            if len(step.update) > 6:
                used.add(str(step.update[6]))
        used.update(step.settle)
        if step.read:
            used.update(a for a, _ in step.read.checkpoints)
    letters = sorted(u for u in used if len(u) == 1)
    if len(used) > 2 and letters:
        last = max(letters[-1], "D")
        letters = [chr(c) for c in range(ord("A"), ord(last) + 1)]
    return letters + sorted(u for u in used if len(u) != 1)


def state_fields(market: SimMarket, accounts: list[str], read: _Read | None) -> dict[str, Any]:
    """A read step's output: global, position, locals, the requested versions and checkpoints."""
    g = market.raw_global()
    p = market.raw_position()
    out: dict[str, Any] = {
        "global": {
            "currentId": str(g.current_id), "latestId": str(g.latest_id),
            "protocolFee": format6(g.protocol_fee), "oracleFee": format6(g.oracle_fee),
            "riskFee": format6(g.risk_fee), "latestPrice": format6(g.latest_price),
            "exposure": format6(g.exposure), "pValue": format6(g.p_value), "pSkew": format6(g.p_skew),
        },
        "position": {
            "timestamp": str(p.timestamp), "maker": format6(p.maker), "long": format6(p.long),
            "short": format6(p.short),
        },
    }
    for name in accounts:
        loc = market.raw_local(name)
        out[f"local{name}"] = {
            "currentId": str(loc.current_id), "latestId": str(loc.latest_id),
            "collateral": format6(loc.collateral), "claimable": format6(loc.claimable),
        }
    if read:
        for t in read.versions:
            v = market.raw_version(t)
            out[f"version{t}"] = {
                "valid": v.valid, "price": format6(v.price), "makerValue": format6(v.maker_value),
                "longValue": format6(v.long_value), "shortValue": format6(v.short_value),
                "makerFee": format6(v.maker_fee), "takerFee": format6(v.taker_fee),
                "makerOffset": format6(v.maker_offset), "takerPosOffset": format6(v.taker_pos_offset),
                "takerNegOffset": format6(v.taker_neg_offset), "settlementFee": format6(v.settlement_fee),
                "liquidationFee": format6(v.liquidation_fee),
            }
        for name, t in read.checkpoints:
            ck = market.checkpoints(name, t)
            out[f"checkpoint{name}{t}"] = {
                "tradeFee": format6(ck.trade_fee), "settlementFee": format6(ck.settlement_fee),
                "transfer": format6(ck.transfer), "collateral": format6(ck.collateral),
            }
    return out


_POSITION_FIELDS = (
    "tradeFee", "subtractiveFee", "tradeOffset", "tradeOffsetMaker", "tradeOffsetMarket", "adiabaticExposure",
    "adiabaticExposureMaker", "adiabaticExposureMarket", "fundingMaker", "fundingLong", "fundingShort",
    "fundingFee", "interestMaker", "interestLong", "interestShort", "interestFee", "pnlMaker", "pnlLong",
    "pnlShort", "settlementFee", "liquidationFee",
)
_ACCOUNT_FIELDS = (
    "collateral", "priceOverride", "tradeFee", "offset", "settlementFee", "liquidationFee", "subtractiveFee",
    "solverFee",
)


def snake_case(name: str) -> str:
    """camelCase → snake_case (event field names)."""
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in name)


def format_events(events: list[Event]) -> list[dict[str, str]]:
    """The vectors' decoded-event format (decimal strings) of the simulator's processing events."""
    out: list[dict[str, str]] = []
    for ev in events:
        if ev["event"] not in ("PositionProcessed", "AccountPositionProcessed"):
            continue
        if ev["event"] == "PositionProcessed":
            row = {"event": "PositionProcessed", "orderId": str(ev["orderId"])}
            row.update({f: format6(ev[snake_case(f)]) for f in _POSITION_FIELDS})
        else:
            row = {"event": ev["event"], "account": account_address(ev["account"]), "orderId": str(ev["orderId"])}
            row.update({f: format6(ev[snake_case(f)]) for f in _ACCOUNT_FIELDS})
        out.append(row)
    return out


def diff_outputs(ours: Any, expected: Any, path: str = "") -> list[str]:
    """Every differing leaf between a replay output and an expected one (e.g. ``NAME.evm.json``)."""
    if isinstance(ours, dict) and isinstance(expected, dict):
        out: list[str] = []
        for key in sorted(set(ours) | set(expected)):
            if key not in ours:
                out.append(f"{path}.{key}: missing from the replay")
            elif key not in expected:
                out.append(f"{path}.{key}: not in the expected output")
            else:
                out += diff_outputs(ours[key], expected[key], f"{path}.{key}")
        return out
    if isinstance(ours, list) and isinstance(expected, list):
        out = [f"{path}: {len(ours)} items vs {len(expected)}"] if len(ours) != len(expected) else []
        for i, (a, b) in enumerate(zip(ours, expected)):
            out += diff_outputs(a, b, f"{path}[{i}]")
        return out
    return [] if ours == expected else [f"{path}: replay {ours!r} != expected {expected!r}"]


def replay_scenario(scenario: Scenario) -> dict[str, Any]:
    """Run ``scenario`` on the simulator; returns ``{"out": [...], "events": [...]}``."""
    oracle = SimOracle()
    market = SimMarket(scenario.protocol, scenario.market, scenario.risk, oracle)
    accounts = scenario_accounts(scenario)
    out: list[dict[str, Any]] = []
    for step in scenario.steps:
        if step.oracle:
            for t, price, valid, settlement_fee, oracle_fee in step.oracle.versions:
                oracle.commit(t, price, valid=valid, settlement_fee=settlement_fee, oracle_fee=oracle_fee)
            if step.oracle.status:
                oracle.set_status(*step.oracle.status)
        if step.market_param is not None:
            market.update_parameter(step.market_param)
        if step.risk_param is not None:
            market.update_risk_parameter(step.risk_param)
        entry: dict[str, Any] | None = None
        if step.update is not None:
            entry = {"step": step.name}
            account, maker, long, short, collateral, protect = step.update[:6]
            sender = step.update[6] if len(step.update) > 6 else None
            try:
                market.update(account, maker, long, short, collateral, protect, sender=sender)
            except errors.ContractError as exc:
                if not step.expect_revert:
                    raise errors.ScenarioError(
                        f"step {step.name!r} reverted with {exc.name} but expectRevert is not set", field=step.name
                    ) from exc
                entry.update({"reverted": True, "reason": exc.name})
        for account in step.settle:
            market.settle(account)
        if step.read is not None:
            entry = {"step": step.name, **state_fields(market, accounts, step.read)}
        if entry is not None:
            out.append(entry)
    return {"out": out, "events": format_events(market.events)}
