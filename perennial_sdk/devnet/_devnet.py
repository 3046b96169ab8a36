"""``Devnet``: anvil with the Perennial protocol deployed, funded accounts and keeper/time controls.

A deployment is built once per configuration and cached as an anvil state dump, keyed by the
artifacts (their ``sourceHash`` and file contents), the deploy configuration and the cache format.
A warm start is then: start anvil with ``--load-state`` (or ``anvil_loadState`` into a running
node), no transaction replayed.

    with Devnet.start() as dn:
        alice = dn.accounts[1]
        dn.send(dn.market("ETH").functions.update(alice, 0, 1_000_000, 0, 1_000_000_000, False), alice)
        dn.commit_requested("ETH", 3_010_000_000)     # keeper commits the order's version
"""

from __future__ import annotations

__all__ = ["BASE_TIMESTAMP", "CACHE_DIR_ENV", "Devnet", "DevnetConfig", "cache_dir"]

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from eth_typing import ChecksumAddress
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.types import TxReceipt

from perennial_sdk import abi as abi_files
from perennial_sdk import presets
from perennial_sdk.client._prices import MockPythPriceSource
from perennial_sdk.client._stork import DevStorkPriceSource

from ._anvil import AnvilHandle, _state_json, launch_anvil, tools_dir
from ._chain import Chain, SnapshotId
from ._deploy import Deployment, OracleConfig, _check_markets, deploy_protocol
from ._errors import DevnetRPCError, DevnetValueError
from ._keeper import Commit, Keeper
from ._reads import MarketReader
from ._tx import Transactor, function_data

BASE_TIMESTAMP = 1_750_000_000
"""Genesis time of a built deployment (2025-06-15); a loaded devnet continues from its dump's time."""

CACHE_DIR_ENV = "PERENNIAL_DEVNET_CACHE"
_CACHE_FORMAT = 1
_DEPLOY_CODE = ("_deploy.py", "_devnet.py", "_keeper.py", "_tx.py")
"""Modules whose code shapes a built deployment: part of the cache key."""
_CACHE_KEEP = 8
_DEV_ETH = 10_000 * 10**18
_MAX_UINT = 2**256 - 1
_UNCHANGED = _MAX_UINT
"""``Market.update`` magic value: leave this position side unchanged."""


def cache_dir() -> Path:
    """Where built deployments are cached: ``$PERENNIAL_DEVNET_CACHE``, else ``<tools_dir>/devnet-cache``
    (the project's ``.tools``), else ``~/.cache/perennial-sdk/devnet`` when that is not writable."""
    env = os.environ.get(CACHE_DIR_ENV)
    candidates = [Path(env).expanduser()] if env else [tools_dir() / "devnet-cache"]
    candidates.append(Path.home() / ".cache" / "perennial-sdk" / "devnet")
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return candidate
    return Path(tempfile.gettempdir()) / "perennial-sdk-devnet"


def _artifacts_digest() -> str:
    """sha256 over every artifact file (ABI + bytecode) and the deploy code, in name order."""
    root = Path(abi_files.__file__).resolve().parent / "artifacts"
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in [*sorted(root.glob("*.json")), *(here / f for f in _DEPLOY_CODE)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class DevnetConfig:
    """What a deployment is built from (and cached by): markets, initial prices, oracle settings,
    funded accounts and their DSU / USDC (raw 6-decimal amounts)."""

    markets: tuple[str, ...] = presets.MARKETS
    prices: tuple[tuple[str, int], ...] = ()
    oracle: OracleConfig = field(default_factory=OracleConfig)
    accounts: int = 10
    dsu: int = 1_000_000 * 10**6
    usdc: int = 1_000_000 * 10**6
    chain_id: int = 31337

    def __post_init__(self) -> None:
        _check_markets(list(self.markets), dict(self.prices))
        if not 1 <= self.accounts <= 10:
            raise DevnetValueError("accounts", self.accounts, "must be in 1..10 (anvil's dev accounts)")
        for name in ("dsu", "usdc"):
            if getattr(self, name) < 0:
                raise DevnetValueError(name, getattr(self, name), "must be >= 0")

    @classmethod
    def of(
        cls, markets: Sequence[str], prices: Mapping[str, int] | None, oracle: OracleConfig | None = None
    ) -> DevnetConfig:
        """A configuration for these markets, initial prices and oracle settings (others default)."""
        if isinstance(markets, str):
            raise DevnetValueError("markets", markets, "give a sequence of names, e.g. ('ETH',)")
        return cls(
            markets=tuple(markets), prices=tuple(sorted((prices or {}).items())), oracle=oracle or OracleConfig()
        )

    def key(self) -> str:
        """Cache key: artifacts (``sourceHash`` and contents), the deploy code, this configuration."""
        payload = {
            "format": _CACHE_FORMAT,
            "source_hash": abi_files.manifest().get("sourceHash"),
            "artifacts": _artifacts_digest(),
            "markets": list(self.markets),
            "prices": [list(p) for p in self.prices],
            "oracle": self.oracle.model_dump(),
            "accounts": self.accounts,
            "dsu": self.dsu,
            "usdc": self.usdc,
            "chain_id": self.chain_id,
            "base_timestamp": BASE_TIMESTAMP,
        }
        text = json.dumps(payload, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


# --------------------------------------------------------------------------- building and caching


def _setup(w3: Web3, config: DevnetConfig, *, gas_price: int | None) -> tuple[Deployment, list[ChecksumAddress]]:
    """Deploy, then fund and approve the dev accounts; ETH balances are reset to 10,000 ether."""
    accounts = [Web3.to_checksum_address(a) for a in w3.eth.accounts[: config.accounts]]
    if len(accounts) < config.accounts:
        raise DevnetValueError("accounts", config.accounts, f"the node has only {len(accounts)} unlocked accounts")
    deployment = deploy_protocol(
        w3, deployer=accounts[0], markets=config.markets, prices=dict(config.prices),
        oracle=config.oracle, gas_price=gas_price,
    )
    tx = Transactor(w3, gas_price=gas_price)
    for account in accounts:
        _fund(w3, tx, deployment, account, dsu=config.dsu, usdc=config.usdc, approve=True)
    chain = Chain(w3)
    if gas_price == 0:
        for account in accounts:
            chain.set_balance(account, _DEV_ETH)
    return deployment.model_copy(update={"block": w3.eth.block_number}), accounts


def _fund(
    w3: Web3, tx: Transactor, deployment: Deployment, account: str, *, dsu: int, usdc: int, approve: bool
) -> None:
    owner = deployment.owner

    def send(contract: str, address: str, sender: str, name: str, *args: Any) -> None:
        fn = w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi_files.abi(contract)).functions[name](*args)
        tx.send_raw(fn.address, function_data(fn), sender=sender, label=f"{contract}.{name}", preflight=False)

    account = Web3.to_checksum_address(account)
    if dsu:
        send("DSU", deployment.dsu, owner, "mint", account, dsu * 10**12)
    if usdc:
        send("USDC", deployment.usdc, owner, "mint", account, usdc)
    if approve:
        for info in deployment.markets.values():
            send("DSU", deployment.dsu, account, "approve", info.market, _MAX_UINT)
        send("DSU", deployment.dsu, account, "approve", deployment.multi_invoker, _MAX_UINT)
        send("USDC", deployment.usdc, account, "approve", deployment.multi_invoker, _MAX_UINT)


@dataclass(frozen=True)
class _Cached:
    state: Path
    deployment: Deployment
    accounts: tuple[ChecksumAddress, ...]


def _cache_paths(config: DevnetConfig, directory: Path | None) -> tuple[Path, Path]:
    root = directory or cache_dir()
    key = config.key()
    return root / f"{key}.state.json", root / f"{key}.meta.json"


def _read_cache(config: DevnetConfig, directory: Path | None) -> _Cached | None:
    state, meta = _cache_paths(config, directory)
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        if not state.is_file():
            return None
        deployment = Deployment.model_validate(data["deployment"])
        accounts = tuple(Web3.to_checksum_address(a) for a in data["accounts"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _Cached(state, deployment, accounts)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_cache(
    config: DevnetConfig, directory: Path | None, state: bytes, deployment: Deployment,
    accounts: Sequence[str],
) -> _Cached | None:
    state_path, meta_path = _cache_paths(config, directory)
    meta = {"deployment": deployment.model_dump(mode="json"), "accounts": list(accounts), "config_key": config.key()}
    try:
        _atomic_write(state_path, _state_json(state))
        _atomic_write(meta_path, json.dumps(meta, indent=1).encode())
        _prune(state_path.parent)
    except OSError:
        return None
    return _Cached(state_path, deployment, tuple(Web3.to_checksum_address(a) for a in accounts))


def _prune(directory: Path) -> None:
    metas = sorted(directory.glob("*.meta.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for meta in metas[_CACHE_KEEP:]:
        key = meta.name.removesuffix(".meta.json")
        for path in (meta, directory / f"{key}.state.json"):
            with contextlib.suppress(OSError):
                path.unlink()


def _build(config: DevnetConfig, anvil_path: Path | str | None) -> tuple[bytes, Deployment, list[ChecksumAddress]]:
    """Deploy on a private anvil at ``BASE_TIMESTAMP`` with free gas; returns its dumped state."""
    with launch_anvil(
        anvil_path=anvil_path, chain_id=config.chain_id, accounts=config.accounts,
        extra_args=["--timestamp", str(BASE_TIMESTAMP), "--block-base-fee-per-gas", "0"],
    ) as node:
        w3 = node.web3()
        deployment, accounts = _setup(w3, config, gas_price=0)
        return Chain(w3).dump_state(), deployment, accounts


def _load_or_build(
    config: DevnetConfig, *, cache: bool, directory: Path | None, anvil_path: Path | str | None
) -> tuple[Path | bytes, Deployment, tuple[ChecksumAddress, ...]]:
    if cache:
        found = _read_cache(config, directory)
        if found is not None:
            return found.state, found.deployment, found.accounts
    state, deployment, accounts = _build(config, anvil_path)
    if cache:
        written = _write_cache(config, directory, state, deployment, accounts)
        if written is not None:
            return written.state, written.deployment, written.accounts
    return state, deployment, tuple(accounts)


# --------------------------------------------------------------------------- the devnet


class Devnet:
    """A devnet with the protocol deployed.

    ``w3``, ``chain`` (snapshots, time), ``deployment`` (addresses), ``accounts`` (funded dev
    accounts, unlocked in anvil: 10,000 ETH, DSU and USDC, DSU approved to every market and the
    MultiInvoker; ``accounts[0]`` is the owner, coordinator and default ``keeper``).
    Keys are never held here; ``dev_accounts()`` derives anvil's public dev keys when you need them.
    """

    def __init__(
        self,
        w3: Web3,
        deployment: Deployment,
        *,
        accounts: Sequence[str] = (),
        handle: AnvilHandle | None = None,
        keeper: str | None = None,
    ) -> None:
        self.w3 = w3
        self.chain = Chain(w3)
        self.deployment = deployment
        self.accounts: tuple[ChecksumAddress, ...] = tuple(Web3.to_checksum_address(a) for a in accounts)
        self.handle = handle
        self.tx = Transactor(w3)
        self.keeper: ChecksumAddress = Web3.to_checksum_address(keeper or deployment.owner)
        self._keeper = Keeper(w3, deployment, keeper=self.keeper, tx=self.tx)
        self._contracts: dict[tuple[str, str], Contract] = {}

    # -- lifecycle --------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        *,
        markets: Sequence[str] = presets.MARKETS,
        prices: Mapping[str, int] | None = None,
        oracle: OracleConfig | None = None,
        port: int | None = None,
        fresh: bool = False,
        cache: bool = True,
        cache_directory: Path | str | None = None,
        anvil_path: Path | str | None = None,
    ) -> Devnet:
        """Launch anvil with the protocol deployed (markets: preset names; prices: initial raw
        6-decimal prices; oracle: keeper oracle settings, default ``OracleConfig()``).

        Warm (default): start anvil from the cached state of this configuration. Cold (no cache
        entry, ``fresh=True`` or ``cache=False``): deploy on the new node with transactions, at
        ``BASE_TIMESTAMP``, and cache its state unless ``cache=False``. Either way the chain goes
        on from the deployment's time, so the initial prices are fresh (``sync_clock()`` moves it
        to the wall clock). Close it with ``close()`` or use it as a context manager.
        """
        config = DevnetConfig.of(markets, prices, oracle)
        directory = Path(cache_directory) if cache_directory is not None else None
        found = _read_cache(config, directory) if cache and not fresh else None
        if found is not None:
            handle = launch_anvil(
                port=port, anvil_path=anvil_path, chain_id=config.chain_id, accounts=config.accounts,
                load_state=found.state, extra_args=["--block-base-fee-per-gas", "0"],
            )
            try:
                devnet = cls(handle.web3(), found.deployment, accounts=found.accounts, handle=handle)
                devnet._after_load()
            except BaseException:
                handle.close()
                raise
            return devnet
        # cold: deploy on the new node itself (as a build would), then cache its state
        handle = launch_anvil(
            port=port, anvil_path=anvil_path, chain_id=config.chain_id, accounts=config.accounts,
            extra_args=["--timestamp", str(BASE_TIMESTAMP), "--block-base-fee-per-gas", "0"],
        )
        try:
            w3 = handle.web3()
            deployment, accounts = _setup(w3, config, gas_price=0)
            if cache:
                _write_cache(config, directory, Chain(w3).dump_state(), deployment, accounts)
            return cls(w3, deployment, accounts=accounts, handle=handle)
        except BaseException:
            handle.close()
            raise

    @classmethod
    def attach(
        cls,
        w3: Web3,
        *,
        markets: Sequence[str] = presets.MARKETS,
        prices: Mapping[str, int] | None = None,
        oracle: OracleConfig | None = None,
        fresh: bool = False,
        cache: bool = True,
        cache_directory: Path | str | None = None,
        anvil_path: Path | str | None = None,
    ) -> Devnet:
        """Put the protocol on a running anvil (e.g. the pytest session's).

        On a chain with the configuration's chain id the cached state is merged in with
        ``anvil_loadState`` (this resets the node's block number and time to the deployment's).
        ``fresh=True``, or another chain id (a fork), deploys with transactions instead.
        """
        config = DevnetConfig.of(markets, prices, oracle)
        directory = Path(cache_directory) if cache_directory is not None else None
        if fresh or w3.eth.chain_id != config.chain_id:
            deployed, funded = _setup(w3, config, gas_price=None)
            return cls(w3, deployed, accounts=funded)
        state, deployment, accounts = _load_or_build(
            config, cache=cache, directory=directory, anvil_path=anvil_path
        )
        data = state.read_bytes() if isinstance(state, Path) else state
        Chain(w3).load_state(data)
        devnet = cls(w3, deployment, accounts=accounts)
        devnet._after_load()
        node_accounts = [Web3.to_checksum_address(a) for a in w3.eth.accounts[: config.accounts]]
        for account in node_accounts:
            if account not in devnet.accounts:  # a node with another mnemonic: fund its accounts too
                devnet.fund(account, dsu=config.dsu, usdc=config.usdc)
        devnet.accounts = tuple(dict.fromkeys([*devnet.accounts, *node_accounts]))
        return devnet

    @classmethod
    def load(cls, path: Path | str, *, port: int | None = None, anvil_path: Path | str | None = None) -> Devnet:
        """Start anvil from a state written by ``dump_state(path)`` (and its ``.deployment.json``)."""
        state_path = Path(path)
        meta_path = _sidecar(state_path)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            deployment = Deployment.model_validate(meta["deployment"])
            accounts = [Web3.to_checksum_address(a) for a in meta["accounts"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DevnetValueError("path", str(path), f"no readable deployment next to it ({meta_path}): {exc}") from exc
        handle = launch_anvil(
            port=port, anvil_path=anvil_path, chain_id=deployment.chain_id, load_state=state_path,
            extra_args=["--block-base-fee-per-gas", "0"],
        )
        try:
            devnet = cls(handle.web3(), deployment, accounts=accounts, handle=handle)
            devnet._after_load()
        except BaseException:
            handle.close()
            raise
        return devnet

    def _after_load(self) -> None:
        """Check the contracts are there; continue the clock from the loaded state's time."""
        if not self.w3.eth.get_code(Web3.to_checksum_address(self.deployment.factory)):
            raise DevnetRPCError("anvil_loadState", "the loaded state has no MarketFactory code")
        self.chain.set_time(self.chain.timestamp() + 1)

    @property
    def url(self) -> str | None:
        """The RPC URL of the devnet's own anvil (None when attached to another node)."""
        return self.handle.url if self.handle is not None else None

    def close(self) -> None:
        """Stop the devnet's own anvil (attached devnets leave the node running)."""
        if self.handle is not None:
            self.handle.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.url or str(self.w3.provider)
        return f"Devnet({where}, chain_id={self.deployment.chain_id}, markets={list(self.deployment.markets)})"

    # -- contracts --------------------------------------------------------------------------

    def contract(self, name: str, address: str) -> Contract:
        """A web3 contract for artifact ``name`` at ``address`` (cached)."""
        key = (name, Web3.to_checksum_address(address))
        found = self._contracts.get(key)
        if found is None:
            found = self.w3.eth.contract(address=key[1], abi=abi_files.abi(name))
            self._contracts[key] = found
        return found

    def market(self, name: str) -> Contract:
        """The ``Market`` contract of market ``name`` (e.g. ``"ETH"``)."""
        return self.contract("Market", self.deployment.market(name).market)

    def oracle(self, name: str) -> Contract:
        """The ``KeeperOracle`` of market ``name`` (on Perennial's own bytecode: the one behind its ``Oracle``)."""
        return self.contract("KeeperOracle", self.deployment.market(name).provider)

    def price_source(self) -> MockPythPriceSource | DevStorkPriceSource:
        """A client :class:`~perennial_sdk.client.PriceSource` this deployment's keeper factory accepts
        (MockPyth data, or Stork values signed with the devnet publisher key), holding each market's
        latest price under its feed id (``deployment.markets[name].feed_id``); ``set`` changes them."""
        source: MockPythPriceSource | DevStorkPriceSource
        if self.deployment.price_feed == "stork":
            source = DevStorkPriceSource()
        else:
            source = MockPythPriceSource(fee_per_update=self.deployment.oracle.update_fee_wei)
        for name, info in self.deployment.markets.items():
            source.set(info.feed_id, self.latest_price(name))
        return source

    def reader(self, name: str) -> MarketReader:
        """Typed reads (pydantic models) of market ``name``."""
        return MarketReader(self.w3, self.deployment.market(name).market, tx=self.tx)

    @property
    def factory(self) -> Contract:
        """The ``MarketFactory``."""
        return self.contract("MarketFactory", self.deployment.factory)

    @property
    def keeper_factory(self) -> Contract:
        """The keeper factory (``PythFactory``; on Perennial's own bytecode its ``StorkFactory``, whose
        keeper surface — ``commit``, ``settle``, ``current``, ``parameter``, ``oracles`` — is the same)."""
        return self.contract("PythFactory", self.deployment.keeper_factory)

    @property
    def pyth(self) -> Contract:
        """The ``MockPyth`` (DevnetValueError on a Stork deployment, which has none)."""
        if self.deployment.pyth is None:
            raise DevnetValueError("pyth", None, f"this deployment's price feed is {self.deployment.price_feed}")
        return self.contract("MockPyth", self.deployment.pyth)

    @property
    def dsu(self) -> Contract:
        """The DSU token (18 decimals, the markets' collateral)."""
        return self.contract("DSU", self.deployment.dsu)

    @property
    def usdc(self) -> Contract:
        """The USDC token (6 decimals)."""
        return self.contract("USDC", self.deployment.usdc)

    @property
    def multi_invoker(self) -> Contract:
        """The ``MultiInvoker`` (a factory extension: an operator of every account)."""
        return self.contract("MultiInvoker", self.deployment.multi_invoker)

    @property
    def multicall(self) -> Contract:
        """``Multicall3``."""
        return self.contract("Multicall3", self.deployment.multicall3)

    # -- transactions -----------------------------------------------------------------------

    def send(self, fn: ContractFunction, sender: str, *, value: int = 0, preflight: bool = True) -> TxReceipt:
        """Send a bound contract call from an unlocked ``sender`` (``eth_sendTransaction``).

        A revert raises the typed error from :mod:`perennial_sdk.revert`, e.g.
        ``MarketInsufficientMarginError``; with ``preflight`` (default) it is raised before sending,
        so the chain does not change at all.
        """
        return self.tx.send(
            fn.address, function_data(fn), sender=sender, value=value, preflight=preflight,
            label=f"{fn.fn_name}",
        )

    def update(
        self,
        market: str,
        account: str,
        *,
        maker: int | None = None,
        long: int | None = None,
        short: int | None = None,
        collateral: int = 0,
        protect: bool = False,
        sender: str | None = None,
        referrer: str | None = None,
    ) -> TxReceipt:
        """``Market.update`` with absolute targets (None leaves a side unchanged), collateral delta,
        ``protect`` (liquidation) and an optional referrer; sent by ``sender`` (default ``account``)."""
        targets = [_UNCHANGED if v is None else v for v in (maker, long, short)]
        args: list[Any] = [Web3.to_checksum_address(account), *targets, collateral, protect]
        if referrer is not None:
            args.append(Web3.to_checksum_address(referrer))
        fn = self.market(market).functions.update(*args)
        return self.send(fn, sender or account)

    def settle(self, market: str, account: str, *, sender: str | None = None) -> TxReceipt:
        """``Market.settle(account)``, sent by ``sender`` (default the keeper)."""
        fn = self.market(market).functions.settle(Web3.to_checksum_address(account))
        return self.send(fn, sender or self.keeper)

    # -- prices and time --------------------------------------------------------------------

    def commit_price(self, market: str, price: int, *, at: int | None = None) -> list[Commit]:
        """Commit ``price`` (raw 6-decimal) to ``market``'s keeper oracle through PythFactory:
        every outstanding requested version first (then their settlement callbacks), then a fresh
        unrequested version (at the next block's time − 1, or at version ``at``)."""
        return self._keeper.commit_price(market, price, at=at)

    def commit_requested(self, market: str, price: int, *, settle: bool = True) -> list[Commit]:
        """Commit every outstanding requested version of ``market`` at ``price`` (time moves to
        each version + validFrom when needed; past the timeout a version is committed invalid), and
        run their settlement callbacks unless ``settle=False``."""
        return self._keeper.commit_requested(market, price, settle=settle)

    def requested(self, market: str) -> list[int]:
        """Outstanding requested versions of ``market``, oldest first."""
        return self._keeper.outstanding(market)

    def latest_price(self, market: str) -> int:
        """The latest committed price of ``market`` (raw 6-decimal)."""
        return self._keeper.latest(market)[1]

    def refresh_prices(self) -> list[Commit]:
        """Commit every market's latest price again as a fresh version (staleness reset)."""
        return [c for name in self.deployment.markets for c in self.commit_price(name, self.latest_price(name))]

    def sync_clock(self) -> int:
        """Move the chain to the wall clock when it is behind, then refresh every price.

        Returns the chain time. Used by ``devnet up``; tests keep the deterministic deploy time.
        """
        now = int(time.time())
        if now > self.chain.timestamp():
            self.chain.time_travel(to_timestamp=now)
        self.refresh_prices()
        return self.chain.timestamp()

    def now(self) -> int:
        """Timestamp of the latest block."""
        return self.chain.timestamp()

    def advance_time(self, seconds: int) -> int:
        """Mine a block ``seconds`` later; returns its timestamp."""
        return self.chain.time_travel(seconds=seconds)

    # -- balances ---------------------------------------------------------------------------

    def mint(self, account: str, amount: int, *, token: str = "DSU") -> None:
        """Mint ``amount`` (raw 6-decimal: 1_000_000 = 1 token) of DSU or USDC to ``account``."""
        if amount < 0:
            raise DevnetValueError("amount", amount, "must be >= 0 (raw 6-decimal)")
        if token == "DSU":
            _fund(self.w3, self.tx, self.deployment, account, dsu=amount, usdc=0, approve=False)
        elif token == "USDC":
            _fund(self.w3, self.tx, self.deployment, account, dsu=0, usdc=amount, approve=False)
        else:
            raise DevnetValueError("token", token, "must be 'DSU' or 'USDC'")

    def fund(self, account: str, *, dsu: int = 0, usdc: int = 0, eth: int | None = None, approve: bool = True) -> None:
        """Mint DSU / USDC (raw 6-decimal) to ``account``, set its ETH (wei) when given, and approve
        DSU to every market and DSU / USDC to the MultiInvoker (an impersonated address can send
        the approvals too)."""
        if dsu < 0 or usdc < 0:
            raise DevnetValueError("dsu/usdc", {"dsu": dsu, "usdc": usdc}, "must be >= 0 (raw 6-decimal)")
        if eth is not None:
            self.chain.set_balance(account, eth)
        if approve and Web3.to_checksum_address(account) not in self.w3.eth.accounts:
            with self.chain.impersonate(account):
                _fund(self.w3, self.tx, self.deployment, account, dsu=dsu, usdc=usdc, approve=True)
            return
        _fund(self.w3, self.tx, self.deployment, account, dsu=dsu, usdc=usdc, approve=approve)

    def balance(self, account: str, token: str = "DSU") -> int:
        """Token balance in the token's own units (DSU: 18 decimals, USDC: 6)."""
        contract = {"DSU": self.dsu, "USDC": self.usdc}.get(token)
        if contract is None:
            raise DevnetValueError("token", token, "must be 'DSU' or 'USDC'")
        return int(self.tx.read(contract.functions.balanceOf(Web3.to_checksum_address(account))))

    # -- state ------------------------------------------------------------------------------

    def snapshot(self) -> SnapshotId:
        """``evm_snapshot``."""
        return self.chain.snapshot()

    def revert(self, snapshot_id: SnapshotId) -> None:
        """``evm_revert`` (consumes the snapshot)."""
        self.chain.revert(snapshot_id)

    def dump_state(self, path: Path | str) -> Path:
        """Write the chain state (anvil JSON) to ``path`` and the deployment next to it
        (``<stem>.deployment.json``); ``Devnet.load(path)`` starts from them."""
        target = Path(path)
        _atomic_write(target, _state_json(self.chain.dump_state()))
        meta = {"deployment": self.deployment.model_dump(mode="json"), "accounts": list(self.accounts)}
        _atomic_write(_sidecar(target), json.dumps(meta, indent=1).encode())
        return target


def _sidecar(state: Path) -> Path:
    return state.with_name(state.stem + ".deployment.json")

