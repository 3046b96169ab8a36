"""Perennial's own bytecode on anvil: replay a network's hardhat-deploy records at their real addresses.

Point ``PERENNIAL_DEPLOYMENTS_DIR`` (or ``directory``) at one network's folder of
equilibria-xyz/perennial-v2 ``packages/deploy/deployments`` (e.g. ``perennial``). Nothing from it is
shipped with the SDK: the records are read at run time from the user's copy.

Every contract in those records was deployed by one EOA with plain CREATE, so impersonating it and
setting its nonce (recovered by searching the CREATE address) before each deployment lands each
contract at its real address, which satisfies library links and immutables without touching
bytecode. Proxies whose implementation was upgraded later point at the ``<Name>Impl`` record.

The real MarketFactory then creates real Markets. What the records call outside themselves is
replaced by small devnet stand-ins from this SDK: the collateral token (DSU), USDC and its reserve,
the price oracle (our KeeperOracle + PythFactory over MockPyth, registered with the real
OracleFactory by one storage write) and the MultiInvoker (ours, as a factory extension; the real
one's initializer needs a Chainlink feed and DSU at their mainnet addresses).
"""

from __future__ import annotations

__all__ = [
    "RECORDS_ENV",
    "Record",
    "create_address",
    "deploy_records",
    "load_records",
    "oracle_factory_of",
    "records_devnet",
    "register_oracle",
]

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rlp  # type: ignore[import-untyped]
from eth_abi.abi import encode as abi_encode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3 import Web3

from perennial_sdk import presets
from perennial_sdk.abi import abi_type

from ._deploy import DEFAULT_PRICES, PYTH_FEEDS, Deployment, MarketInfo, OracleConfig
from ._errors import DevnetValueError
from ._keeper import Keeper
from ._tx import Transactor, function_data, struct_arg

RECORDS_ENV = "PERENNIAL_DEPLOYMENTS_DIR"
_REQUIRED = ("MarketFactory", "MarketFactoryImpl", "MarketImpl", "OracleFactory", "OracleFactoryImpl", "ProxyAdmin")
_INSTANCES_SLOT = keccak(text="equilibria.root.Factory.instances")


@dataclass(frozen=True, slots=True)
class Record:
    """One hardhat-deploy record: where it lives, what it is, and the deployer's nonce that created it."""

    name: str
    address: str
    abi: list[dict[str, Any]]
    bytecode: str
    args: list[Any]
    deployer: str
    nonce: int


def create_address(deployer: str, nonce: int) -> str:
    """The address a plain CREATE from ``deployer`` at ``nonce`` yields."""
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(deployer[2:]), nonce]))[12:])


def load_records(directory: str | Path, *, max_nonce: int = 100_000) -> dict[str, Record]:
    """Every ``*.json`` record of ``directory`` with its recovered deployment nonce."""
    root = Path(directory)
    files = sorted(root.glob("*.json"))
    if not files:
        raise DevnetValueError("directory", str(root), "holds no hardhat-deploy *.json records")
    out: dict[str, Record] = {}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "bytecode" not in data or "receipt" not in data:
            continue
        address = to_checksum_address(data["address"])
        deployer = to_checksum_address(data["receipt"]["from"])
        nonce = next((n for n in range(max_nonce) if create_address(deployer, n) == address), None)
        if nonce is None:
            raise DevnetValueError("record", path.name, f"was not created by {deployer} with a nonce < {max_nonce}")
        out[path.stem] = Record(path.stem, address, data["abi"], data["bytecode"], list(data.get("args") or []),
                                deployer, nonce)
    missing = [n for n in _REQUIRED if n not in out]
    if missing:
        raise DevnetValueError("directory", str(root), f"lacks the records {', '.join(missing)}")
    return out


def register_oracle(w3: Web3, oracle_factory: str, oracle: str) -> None:
    """Mark ``oracle`` as an instance of the real OracleFactory (the real MarketFactory only accepts
    those): one storage write to root's ``Factory.instances`` mapping."""
    slot = keccak(abi_encode(["address", "bytes32"], [to_checksum_address(oracle), _INSTANCES_SLOT]))
    w3.provider.make_request("anvil_setStorageAt", [  # type: ignore[arg-type]
        to_checksum_address(oracle_factory), "0x" + slot.hex(), "0x" + "00" * 31 + "01"])


def oracle_factory_of(w3: Web3, market_factory: str) -> str | None:
    """The real MarketFactory's ``oracleFactory()`` (None for the SDK's own factory, which has none)."""
    response = w3.provider.make_request("eth_call", [  # type: ignore[arg-type]
        {"to": to_checksum_address(market_factory), "data": "0x" + keccak(text="oracleFactory()")[:4].hex()}, "latest"])
    result = response.get("result") if isinstance(response, dict) else None
    if not result or len(result) < 66:
        return None
    return to_checksum_address("0x" + str(result)[-40:])


def _norm(value: Any, kind: str) -> Any:
    if kind.endswith("[]"):
        return [_norm(v, kind[:-2]) for v in value]
    if kind.startswith(("uint", "int")):
        return int(value)
    if kind.startswith("bytes"):
        return bytes.fromhex(str(value)[2:])
    return value


def _creation_data(record: Record, args: list[Any]) -> str:
    ctor = next((i for i in record.abi if i.get("type") == "constructor"), None)
    types = [abi_type(p) for p in ctor["inputs"]] if ctor else []
    encoded = abi_encode(types, [_norm(a, t) for a, t in zip(args, types)]).hex() if types else ""
    return record.bytecode + encoded


def deploy_records(
    w3: Web3, directory: str | Path, *, owner: str | None = None, markets: Sequence[str] = presets.MARKETS,
    oracle: OracleConfig | None = None,
) -> Deployment:
    """Deploy the records at their addresses, then markets through the real MarketFactory.

    ``owner`` (default: the node's first account) becomes the factory owner and the markets'
    coordinator. Returns a :class:`Deployment` that the rest of the devnet tools and the client use.
    """
    records = load_records(directory)
    tx = Transactor(w3, gas=29_000_000)
    owner_address = to_checksum_address(owner or w3.eth.accounts[0])
    admin = records["ProxyAdmin"].address.lower()
    proxies = {n for n, r in records.items() if len(r.args) == 3 and str(r.args[1]).lower() == admin}
    deployer = records["MarketFactory"].deployer
    tx.rpc("anvil_impersonateAccount", deployer)
    tx.rpc("anvil_setBalance", deployer, hex(10**21))
    order = sorted((n for n in records if n not in proxies), key=lambda n: records[n].nonce)
    order += sorted(proxies, key=lambda n: records[n].nonce)
    failed: dict[str, str] = {}
    for name in order:
        record = records[name]
        args = list(record.args)
        if name in proxies and f"{name}Impl" in records:  # upgraded proxies: the implementation of record
            args[0] = records[f"{name}Impl"].address
        tx.rpc("anvil_setNonce", deployer, hex(record.nonce))
        try:
            tx.send_raw(None, _creation_data(record, args), sender=deployer, label=name)
        except Exception as exc:  # noqa: BLE001 - a record whose initializer needs absent externals
            failed[name] = str(exc)[:200]
    for name in _REQUIRED:
        if name in failed:
            raise DevnetValueError("record", name, f"failed to deploy: {failed[name]}")

    def contract(abi: list[dict[str, Any]], address: str) -> Any:
        return w3.eth.contract(address=to_checksum_address(address), abi=abi)

    def send(fn: Any, sender: str = owner_address) -> None:
        tx.send_raw(fn.address, function_data(fn), sender=sender, label=fn.fn_name, preflight=False)

    from perennial_sdk import abi as abi_files

    factory_address = records["MarketFactory"].address
    real_factory = contract(records["MarketFactoryImpl"].abi, factory_address)
    send(real_factory.functions.updatePendingOwner(owner_address), sender=deployer)
    send(real_factory.functions.acceptOwner())
    ours = contract(abi_files.abi("MarketFactory"), factory_address)  # the same V2.4 surface
    send(ours.functions.updateParameter(struct_arg("MarketFactory", "updateParameter", presets.PROTOCOL)))

    config = oracle or OracleConfig()
    pyth = tx.deploy("MockPyth", config.pyth_valid_time_period, config.update_fee_wei, sender=owner_address)
    pyth_factory_address = tx.deploy("PythFactory", pyth, config.timeout, sender=owner_address)
    pyth_factory = contract(abi_files.abi("PythFactory"), pyth_factory_address)
    send(pyth_factory.functions.updateParameter(config.granularity, config.oracle_fee, config.valid_from,
                                                config.valid_to))
    send(pyth_factory.functions.updateFeeConfig((config.sync_fee, config.async_fee, config.max_settlement_fee)))
    dsu = tx.deploy("DSU", sender=owner_address)
    usdc = tx.deploy("USDC", sender=owner_address)
    reserve = tx.deploy("SimpleReserve", dsu, usdc, sender=owner_address)
    send(contract(abi_files.abi("DSU"), dsu).functions.updateMinter(reserve, True))

    infos: dict[str, MarketInfo] = {}
    oracle_factory = records["OracleFactory"].address
    market_param = struct_arg("Market", "updateParameter", presets.market_parameter())
    for name in markets:
        feed = bytes.fromhex(PYTH_FEEDS[name][2:])
        send(pyth_factory.functions.create(feed, feed))
        keeper_oracle = to_checksum_address(tx.read(pyth_factory.functions.oracles(feed)))
        register_oracle(w3, oracle_factory, keeper_oracle)
        send(ours.functions.create((dsu, keeper_oracle)))
        market_address = to_checksum_address(tx.read(ours.functions.markets(keeper_oracle)))
        market = contract(abi_files.abi("Market"), market_address)
        send(contract(abi_files.abi("KeeperOracle"), keeper_oracle).functions.register(market_address))
        send(market.functions.updateParameter(market_param))
        send(market.functions.updateCoordinator(owner_address))
        send(market.functions.updateRiskParameter(struct_arg("Market", "updateRiskParameter",
                                                             presets.risk_parameter(name))))
        infos[name] = MarketInfo(name=name, market=market_address, oracle=keeper_oracle,
                                 oracle_id=PYTH_FEEDS[name], pyth_feed=PYTH_FEEDS[name])
    multicall = tx.deploy("Multicall3", sender=owner_address)
    invoker = tx.deploy("MultiInvoker", usdc, dsu, factory_address, reserve, sender=owner_address)
    send(ours.functions.updateExtension(invoker, True))

    implementation = records["MarketImpl"].address
    deployment = Deployment(
        chain_id=w3.eth.chain_id, owner=owner_address, coordinator=owner_address, engine=implementation,
        core=implementation, market_implementation=implementation, factory=factory_address, dsu=dsu, usdc=usdc,
        reserve=reserve, pyth=pyth, pyth_factory=pyth_factory_address, multicall3=multicall, multi_invoker=invoker,
        markets=infos, oracle=config, source_hash=f"records:{Path(directory).name}",
    )
    keeper = Keeper(w3, deployment, keeper=owner_address, tx=tx)
    for name in markets:
        keeper.commit_price(name, DEFAULT_PRICES[name])
    return deployment.model_copy(update={"block": w3.eth.block_number})


def records_devnet(w3: Web3, directory: str | Path | None = None, *, accounts: int = 10) -> Any:
    """A :class:`Devnet` on ``w3`` with Perennial's real bytecode (``directory`` or ``$PERENNIAL_DEPLOYMENTS_DIR``),
    its dev accounts funded with DSU/USDC and approved like the default devnet's."""
    from ._devnet import Devnet, _fund

    folder = directory or os.environ.get(RECORDS_ENV)
    if not folder:
        raise DevnetValueError(RECORDS_ENV, None, "is not set: point it at a deployments/<network> folder")
    deployment = deploy_records(w3, folder)
    tx = Transactor(w3)
    funded = [to_checksum_address(a) for a in w3.eth.accounts[:accounts]]
    for account in funded:
        _fund(w3, tx, deployment, account, dsu=1_000_000 * 10**6, usdc=1_000_000 * 10**6, approve=True)
    return Devnet(w3, deployment, accounts=funded)
