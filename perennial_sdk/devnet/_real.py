"""Perennial's own bytecode on anvil: replay a network's hardhat-deploy records at their real addresses.

Point ``PERENNIAL_DEPLOYMENTS_DIR`` (or ``directory``) at one network's folder of
equilibria-xyz/perennial-v2 ``packages/deploy/deployments`` (e.g. ``perennial``). Nothing from it is
shipped with the SDK: the records are read at run time from the user's copy.

Every contract in those records was deployed by one EOA with plain CREATE, so impersonating it and
setting its nonce (recovered by searching the CREATE address) before each deployment lands each
contract at its real address, which satisfies library links and immutables without touching
bytecode. Proxies whose implementation was upgraded later point at the ``<Name>Impl`` record.

What the records call outside themselves is placed first, at the addresses the records name, as
small SDK contracts (``anvil_setCode``): the collateral token (DSU), USDC and the DSU reserve, the
Chainlink ETH/USD feed, the Stork verifier (``MockStork``, trusting the devnet's publisher key) and
the OP-stack gas price oracle predeploy. Then the protocol runs as deployed: the real OracleFactory
creates real ``Oracle``s over the real StorkFactory's real ``KeeperOracle``s, the real MarketFactory
creates real Markets, and the real MultiInvoker batches for the client.
"""

from __future__ import annotations

__all__ = [
    "RECORDS_ENV",
    "STORK_ASSETS",
    "Record",
    "create_address",
    "create_records_market",
    "deploy_records",
    "load_records",
    "records_devnet",
    "start_records_devnet",
]

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rlp  # type: ignore[import-untyped]
from eth_abi.abi import encode as abi_encode
from eth_account import Account
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3 import Web3

from perennial_sdk import abi as abi_files
from perennial_sdk import presets
from perennial_sdk.abi import abi_type, encode_call
from perennial_sdk.client._stork import DEVNET_STORK_KEY, stork_asset_id

from ._chain import Chain
from ._deploy import DEFAULT_PRICES, PYTH_FEEDS, Deployment, MarketInfo, OracleConfig
from ._errors import DevnetValueError
from ._keeper import Keeper
from ._tx import Transactor, function_data, struct_arg

RECORDS_ENV = "PERENNIAL_DEPLOYMENTS_DIR"
_REQUIRED = ("MarketFactory", "MarketFactoryImpl", "MarketImpl", "OracleFactory", "OracleFactoryImpl",
             "StorkFactory", "StorkFactoryImpl", "KeeperOracleImpl", "MultiInvoker", "MultiInvokerImpl",
             "ProxyAdmin")
_OP_GAS_PRICE_ORACLE = "0x420000000000000000000000000000000000000F"
"""The OP-stack GasPriceOracle predeploy that ``GasOracle_Optimism`` reads."""
_ETH_USD = 3_000 * 10**8
_MAX_GRANULARITY = 3_600
_MAX_ORACLE_FEE = 500_000
STORK_ASSETS: dict[str, str] = {"ETH": "ETHUSD", "BTC": "BTCUSD", "SOL": "SOLUSD"}
"""Stork asset names of the preset markets (their underlying ids are ``keccak256(name)``)."""


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

    def arg(self, name: str) -> Any:
        """The constructor argument called ``name`` (e.g. ``"dsu_"``)."""
        ctor = next((i for i in self.abi if i.get("type") == "constructor"), None)
        names = [p["name"] for p in ctor["inputs"]] if ctor else []
        if name not in names:
            raise DevnetValueError(f"{self.name}.constructor", name, f"no such argument (has {', '.join(names)})")
        return self.args[names.index(name)]


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


def oracle_factory_of(w3: Web3, market_factory: str) -> str | None:
    """The real MarketFactory's ``oracleFactory()`` (None for the SDK's own factory, which has none)."""
    response = w3.provider.make_request("eth_call", [  # type: ignore[arg-type]
        {"to": to_checksum_address(market_factory), "data": encode_call("oracleFactory()")}, "latest"])
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


class _Admin:
    """Owner calls by signature on contracts the SDK has no ABI of (the records' own)."""

    def __init__(self, tx: Transactor) -> None:
        self.tx = tx

    def send(self, to: str, signature: str, *args: Any, sender: str) -> None:
        self.tx.send_raw(to_checksum_address(to), encode_call(signature, *args), sender=sender,
                         label=signature.split("(")[0])

    def address(self, to: str, signature: str, *args: Any) -> str:
        raw = self.tx.rpc("eth_call", {"to": to_checksum_address(to), "data": encode_call(signature, *args)}, "latest")
        return to_checksum_address("0x" + str(raw)[-40:])

    def take_ownership(self, contract: str, *, current: str, new: str) -> None:
        """root's two-step ``Ownable``: ``updatePendingOwner`` by the owner, ``acceptOwner`` by the new one."""
        self.send(contract, "updatePendingOwner(address)", new, sender=current)
        self.send(contract, "acceptOwner()", sender=new)


def _etch(w3: Web3, tx: Transactor, name: str, target: str, *args: Any, sender: str, slots: int = 0) -> str:
    """Place contract ``name`` (SDK artifact) at ``target``: deploy it, copy its runtime code and its
    first ``slots`` storage words there (immutables travel with the code)."""
    chain = Chain(w3)
    temporary = tx.deploy(name, *args, sender=sender)
    chain.set_code(target, bytes(w3.eth.get_code(temporary)))
    for slot in range(slots):
        chain.set_storage_at(target, slot, int.from_bytes(w3.eth.get_storage_at(temporary, slot), "big"))
    return to_checksum_address(target)


@dataclass(frozen=True, slots=True)
class _Externals:
    dsu: str
    usdc: str
    reserve: str
    stork: str


def _place_externals(w3: Web3, tx: Transactor, records: dict[str, Record], owner: str) -> _Externals:
    """Mocks at the external addresses the records were deployed against (before the records, whose
    initializers call them)."""
    invoker = records["MultiInvokerImpl"]
    dsu, usdc, reserve = invoker.arg("dsu_"), invoker.arg("usdc_"), invoker.arg("reserve_")
    eth_feed = records["Stork_CommitmentGasOracle"].arg("feed") if "Stork_CommitmentGasOracle" in records else None
    stork = records["StorkFactoryImpl"].arg("stork_")
    _etch(w3, tx, "DSU", dsu, sender=owner, slots=4)  # name, symbol, totalSupply, owner
    _etch(w3, tx, "USDC", usdc, sender=owner, slots=4)
    _etch(w3, tx, "SimpleReserve", reserve, dsu, usdc, sender=owner)
    for token in (dsu, usdc):
        tx.send_raw(token, encode_call("updateMinter(address,bool)", owner, True), sender=owner, label="updateMinter")
    tx.send_raw(dsu, encode_call("updateMinter(address,bool)", reserve, True), sender=owner, label="updateMinter")
    feed = eth_feed or "0x841d7C994aC0Bb17CcD65a021E686e3cFafE2118"
    _etch(w3, tx, "MockAggregator", feed, _ETH_USD, sender=owner, slots=3)
    _etch(w3, tx, "MockStork", stork, Account.from_key(DEVNET_STORK_KEY).address, sender=owner, slots=1)
    _etch(w3, tx, "MockOpGasInfo", _OP_GAS_PRICE_ORACLE, sender=owner)
    return _Externals(to_checksum_address(dsu), to_checksum_address(usdc), to_checksum_address(reserve),
                      to_checksum_address(stork))


def _deploy_all(tx: Transactor, records: dict[str, Record]) -> dict[str, str]:
    """Each record at its nonce (plain records first, then proxies); returns the ones that failed."""
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
        except Exception as exc:  # noqa: BLE001 - reported together below
            failed[name] = str(exc)[:200]
    return failed


def create_records_market(
    w3: Web3, tx: Transactor, deployment: Deployment, name: str, *, oracle_id: str, feed_id: str,
    oracle_factory: str, risk: str | None = None,
) -> MarketInfo:
    """One market the way Perennial creates one: a KeeperOracle (``StorkFactory.create``), an Oracle
    over it (``OracleFactory.create``), both registered, then ``MarketFactory.create`` and the presets'
    parameters (``risk``: the preset whose risk parameter to use, default ``name``)."""
    admin = _Admin(tx)
    owner, keeper_factory = deployment.owner, deployment.keeper_factory
    oid, fid = bytes.fromhex(oracle_id[2:]), bytes.fromhex(feed_id[2:])
    admin.send(keeper_factory, "create(bytes32,bytes32,(address,int16))", oid, fid,
               ("0x" + "00" * 20, 0), sender=owner)
    keeper_oracle = admin.address(keeper_factory, "oracles(bytes32)", oid)
    admin.send(oracle_factory, "create(bytes32,address,string)", oid, keeper_factory, name, sender=owner)
    oracle = admin.address(oracle_factory, "oracles(bytes32)", oid)
    admin.send(keeper_oracle, "register(address)", oracle, sender=owner)
    admin.send(deployment.factory, "create((address,address))", (deployment.dsu, oracle), sender=owner)
    market = admin.address(deployment.factory, "markets(address)", oracle)
    admin.send(oracle, "register(address)", market, sender=owner)
    contract = w3.eth.contract(address=to_checksum_address(market), abi=abi_files.abi("Market"))
    for fn, sender in (
        (contract.functions.updateParameter(struct_arg("Market", "updateParameter", presets.market_parameter())),
         owner),
        (contract.functions.updateCoordinator(deployment.coordinator), owner),
        (contract.functions.updateRiskParameter(
            struct_arg("Market", "updateRiskParameter", presets.risk_parameter(risk or name))), deployment.coordinator),
    ):
        tx.send_raw(market, function_data(fn), sender=sender, label=fn.fn_name)
    return MarketInfo(name=name, market=market, oracle=oracle, oracle_id=oracle_id, feed_id=feed_id,
                      keeper_oracle=keeper_oracle)


def deploy_records(
    w3: Web3, directory: str | Path, *, owner: str | None = None, markets: Sequence[str] = presets.MARKETS,
    oracle: OracleConfig | None = None,
) -> Deployment:
    """Deploy the records at their addresses over mocks of their externals, then markets through the
    real factories (see the module docstring).

    ``owner`` (default: the node's first account) becomes the owner of the market, oracle and keeper
    factories and the markets' coordinator. ``oracle`` sets the keeper parameters (granularity,
    validity window, oracle fee, the settlement-fee cap); the settlement fees themselves come from
    the records' gas oracles. Returns a :class:`Deployment` for the rest of the devnet tools and the
    client. Raises :class:`DevnetValueError` naming any record that did not deploy.
    """
    records = load_records(directory)
    tx = Transactor(w3, gas=29_000_000)
    owner_address = to_checksum_address(owner or w3.eth.accounts[0])
    externals = _place_externals(w3, tx, records, owner_address)
    failed = _deploy_all(tx, records)
    if failed:
        detail = "; ".join(f"{n}: {e}" for n, e in failed.items())
        raise DevnetValueError("records", sorted(failed), f"failed to deploy: {detail}")

    admin = _Admin(tx)
    deployer = records["MarketFactory"].deployer
    factory = records["MarketFactory"].address
    oracle_factory = records["OracleFactory"].address
    keeper_factory = records["StorkFactory"].address
    for contract in (factory, oracle_factory, keeper_factory):
        admin.take_ownership(contract, current=deployer, new=owner_address)

    base = oracle or OracleConfig()
    timeout = int(records["KeeperOracleImpl"].arg("timeout_"))
    config = base.model_copy(update={"timeout": timeout, "sync_fee": 0, "async_fee": 0, "update_fee_wei": 0})
    ours = w3.eth.contract(address=to_checksum_address(factory), abi=abi_files.abi("MarketFactory"))  # the V2.4 surface
    protocol = ours.functions.updateParameter(struct_arg("MarketFactory", "updateParameter", presets.PROTOCOL))
    tx.send_raw(factory, function_data(protocol), sender=owner_address, label="updateParameter")
    admin.send(oracle_factory, "updateParameter((uint256,uint256,uint256))",
               (_MAX_GRANULARITY, config.max_settlement_fee, _MAX_ORACLE_FEE), sender=owner_address)
    admin.send(oracle_factory, "register(address)", keeper_factory, sender=owner_address)
    admin.send(keeper_factory, "updateParameter(uint256,uint256,uint256,uint256)", config.granularity,
               config.oracle_fee, config.valid_from, config.valid_to, sender=owner_address)

    invoker = records["MultiInvoker"].address
    tx.send_raw(factory, function_data(ours.functions.updateExtension(invoker, True)), sender=owner_address,
                label="updateExtension")
    multicall = tx.deploy("Multicall3", sender=owner_address)
    implementation = records["MarketImpl"].address
    deployment = Deployment(
        chain_id=w3.eth.chain_id, owner=owner_address, coordinator=owner_address, engine=implementation,
        core=implementation, market_implementation=implementation, factory=factory, dsu=externals.dsu,
        usdc=externals.usdc, reserve=externals.reserve, keeper_factory=keeper_factory, stork=externals.stork,
        price_feed="stork", multicall3=multicall, multi_invoker=invoker, markets={}, oracle=config,
        source_hash=f"records:{Path(directory).name}",
    )
    infos = {
        name: create_records_market(w3, tx, deployment, name, oracle_id=PYTH_FEEDS[name],
                                    feed_id=stork_asset_id(STORK_ASSETS[name]), oracle_factory=oracle_factory)
        for name in markets
    }
    deployment = deployment.model_copy(update={"markets": infos})
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


def start_records_devnet(directory: str | Path | None = None, *, port: int | None = None,
                         anvil_path: Path | str | None = None) -> Any:
    """Start anvil and deploy Perennial's own bytecode on it (:func:`records_devnet`); the returned
    :class:`Devnet` owns the node (``close()`` or ``with`` stops it)."""
    from ._anvil import launch_anvil

    handle = launch_anvil(port=port, anvil_path=anvil_path)
    try:
        devnet = records_devnet(Web3(Web3.HTTPProvider(handle.url, request_kwargs={"timeout": 60})), directory)
    except BaseException:
        handle.close()
        raise
    devnet.handle = handle
    return devnet
