"""Deploy the Perennial V2.4-compatible protocol from perennial_sdk/artifacts onto a devnet.

Order (contracts/README.md): MarketEngine → MarketCore → Market (implementation) → MarketFactory
(+ protocol parameter) → MockPyth + PythFactory (+ keeper parameter, fee config, one KeeperOracle
per market) → tokens → markets (create, register, parameters) → Multicall3, MultiInvoker
(factory extension) → an initial price per market, committed through the keeper path. The tokens
come before the markets because ``MarketFactory.create`` needs the collateral token's address.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_PRICES",
    "PYTH_FEEDS",
    "Deployment",
    "MarketInfo",
    "OracleConfig",
    "deploy_protocol",
]

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from eth_typing import ChecksumAddress
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from web3 import Web3

from perennial_sdk import abi as abi_files
from perennial_sdk import presets

from ._errors import DevnetValueError
from ._tx import Transactor, function_data, struct_arg

if TYPE_CHECKING:
    from perennial_sdk.client import ChainDeployment


def _checksum(value: str) -> str:
    if not Web3.is_address(value):
        raise ValueError(f"{value!r} is not an address")
    return str(Web3.to_checksum_address(value))


def _bytes32(value: str) -> str:
    text = value.lower()
    if not text.startswith("0x"):
        text = "0x" + text
    if len(text) != 66 or any(c not in "0123456789abcdef" for c in text[2:]):
        raise ValueError(f"{value!r} is not a 0x-prefixed 32-byte hex string")
    return text


Address = Annotated[str, AfterValidator(_checksum)]
Bytes32 = Annotated[str, AfterValidator(_bytes32)]

PYTH_FEEDS: dict[str, str] = {
    "ETH": "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace",
    "BTC": "0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43",
    "SOL": "0xef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d",
}
"""Pyth price feed ids (mainnet ``Crypto.X/USD``) of the preset markets; also their keeper oracle ids."""

DEFAULT_PRICES: dict[str, int] = {"ETH": 3_000_000_000, "BTC": 60_000_000_000, "SOL": 150_000_000}
"""Initial prices, raw 6-decimal (3000, 60000 and 150 USD)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OracleConfig(_Model):
    """Keeper oracle settings (spec §2.4, Arbitrum values; fees are raw 6-decimal USD).

    A requested version ``T`` is committed from a price published in ``[T + valid_from,
    T + valid_to]``; after ``T + timeout`` it can only be committed invalid. The settlement fee of a
    requested version is ``sync_fee + async_fee × callbacks``, scaled down to ``max_settlement_fee``.
    """

    granularity: int = Field(5, ge=1, le=2**16 - 1)
    oracle_fee: int = Field(0, ge=0, le=1_000_000)
    valid_from: int = Field(2, ge=0, le=2**16 - 1)
    valid_to: int = Field(7, ge=0, le=2**16 - 1)
    timeout: int = Field(30, ge=1)
    sync_fee: int = Field(250_000, ge=0)
    async_fee: int = Field(100_000, ge=0)
    max_settlement_fee: int = Field(2_000_000, ge=0)
    pyth_valid_time_period: int = Field(60, ge=0)
    update_fee_wei: int = Field(1, ge=0)
    expo: int = Field(-8, ge=-18, le=0)

    @model_validator(mode="after")
    def _window(self) -> OracleConfig:
        if self.valid_from > self.valid_to:
            raise ValueError(f"valid_from ({self.valid_from}) must be <= valid_to ({self.valid_to})")
        return self


class MarketInfo(_Model):
    """One deployed market: the market, its oracle, the keeper oracle behind it and the feed it reads.

    ``oracle`` is what ``Market.oracle()`` returns. On the SDK's contracts that is the keeper oracle
    itself; on Perennial's own bytecode it is an ``Oracle`` that routes to ``keeper_oracle`` (the
    instance of the keeper factory that keepers commit to).
    """

    name: str
    market: Address
    oracle: Address
    oracle_id: Bytes32
    feed_id: Bytes32
    """The price feed the keeper factory verifies: a Pyth feed id, or a Stork encoded asset id."""
    keeper_oracle: Address | None = None

    @property
    def provider(self) -> str:
        """The keeper oracle keepers commit to (``keeper_oracle``, else ``oracle``)."""
        return self.keeper_oracle or self.oracle


class Deployment(_Model):
    """Addresses and settings of a protocol deployment on a devnet (JSON round-trip:
    ``to_json()`` / ``Deployment.from_json(text)``)."""

    chain_id: int
    owner: Address
    coordinator: Address
    engine: Address
    core: Address
    market_implementation: Address
    factory: Address
    dsu: Address
    usdc: Address
    reserve: Address
    keeper_factory: Address
    """The keeper factory prices are committed through (PythFactory, or Perennial's StorkFactory)."""
    pyth: Address | None = None
    """MockPyth, when ``price_feed`` is ``"pyth"``."""
    stork: Address | None = None
    """The Stork verifier (the SDK's MockStork), when ``price_feed`` is ``"stork"``."""
    price_feed: Literal["pyth", "stork"] = "pyth"
    multicall3: Address
    multi_invoker: Address
    markets: dict[str, MarketInfo]
    oracle: OracleConfig = OracleConfig()
    source_hash: str = ""
    block: int = 0
    """The block the deployment finished at."""

    def to_json(self) -> str:
        """The deployment as JSON text."""
        return self.model_dump_json(indent=1)

    @classmethod
    def from_json(cls, text: str | bytes) -> Deployment:
        """Read a deployment written by ``to_json()``."""
        return cls.model_validate_json(text)

    def market(self, name: str) -> MarketInfo:
        """The deployed market ``name``; DevnetValueError names the deployed ones otherwise."""
        try:
            return self.markets[name]
        except KeyError:
            raise DevnetValueError(
                "market", name, f"not deployed (deployed: {', '.join(self.markets) or 'none'})"
            ) from None

    def addresses(self) -> dict[str, str]:
        """Every deployed contract by a readable name (markets as ``market.ETH``, ``oracle.ETH``)."""
        out = {} if self.engine == self.market_implementation else {"MarketEngine": self.engine, "MarketCore": self.core}
        out |= {
            "Market (implementation)": self.market_implementation,
            "MarketFactory": self.factory,
            "DSU": self.dsu,
            "USDC": self.usdc,
            "SimpleReserve": self.reserve,
            "PythFactory" if self.price_feed == "pyth" else "StorkFactory": self.keeper_factory,
            "Multicall3": self.multicall3,
            "MultiInvoker": self.multi_invoker,
        }
        if self.pyth:
            out["MockPyth"] = self.pyth
        if self.stork:
            out["MockStork"] = self.stork
        for name, info in self.markets.items():
            out[f"market.{name}"] = info.market
            out[f"oracle.{name}"] = info.oracle
            if info.keeper_oracle:
                out[f"keeper_oracle.{name}"] = info.keeper_oracle
        return out

    def chain_deployment(self) -> ChainDeployment:
        """This deployment as a :class:`perennial_sdk.client.ChainDeployment` for ``PerennialClient``."""
        from perennial_sdk.client import ChainDeployment

        return ChainDeployment(
            chain_id=self.chain_id,
            name="devnet",
            protocol_version="2.4 (devnet contracts)",
            market_factory=self.factory,
            multi_invoker=self.multi_invoker,
            keeper_factory=self.keeper_factory,
            multicall3=self.multicall3,
            usdc=self.usdc,
            markets=tuple(info.market for info in self.markets.values()),
        )


def _check_markets(markets: Sequence[str], prices: Mapping[str, int] | None) -> dict[str, int]:
    if isinstance(markets, str):
        raise DevnetValueError("markets", markets, "give a sequence of names, e.g. ('ETH',)")
    if not markets:
        raise DevnetValueError("markets", markets, "deploy at least one market")
    if len(set(markets)) != len(markets):
        raise DevnetValueError("markets", markets, "names must be unique")
    for name in markets:
        if name not in presets.MARKETS:
            raise DevnetValueError("markets", name, f"no preset; choose from {', '.join(presets.MARKETS)}")
    chosen = {name: DEFAULT_PRICES[name] for name in markets}
    for name, price in (prices or {}).items():
        if name not in chosen:
            raise DevnetValueError(f"prices.{name}", price, "not one of the deployed markets")
        if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
            raise DevnetValueError(f"prices.{name}", price, "must be a positive raw 6-decimal int")
        chosen[name] = price
    return chosen


def deploy_protocol(
    w3: Web3,
    *,
    deployer: str,
    markets: Sequence[str] = presets.MARKETS,
    prices: Mapping[str, int] | None = None,
    coordinator: str | None = None,
    oracle: OracleConfig | None = None,
    gas_price: int | None = None,
) -> Deployment:
    """Deploy the protocol with the preset parameters and commit an initial price per market.

    deployer: an unlocked account; it becomes the factory owner (and the coordinator unless
        ``coordinator`` is given) and the minter of DSU/USDC.
    markets: preset names (``presets.MARKETS``); prices: initial raw 6-decimal prices
        (default ``DEFAULT_PRICES``); oracle: keeper oracle settings (default ``OracleConfig()``).
    Protocol parameter ``presets.PROTOCOL``; per market ``presets.market_parameter()`` and
    ``presets.risk_parameter(name)``. The MultiInvoker is a factory extension (an operator of
    every account). Reverts raise their typed ContractError.
    """
    from ._keeper import Keeper

    initial = _check_markets(markets, prices)
    config = oracle or OracleConfig()
    owner = Web3.to_checksum_address(deployer)
    coord = Web3.to_checksum_address(coordinator) if coordinator else owner
    tx = Transactor(w3, gas_price=gas_price)

    def contract(name: str, address: str) -> Any:
        return w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi_files.abi(name))

    def send(fn: Any, sender: str = owner, label: str = "") -> None:
        tx.send_raw(fn.address, function_data(fn), sender=sender, label=label or fn.fn_name, preflight=False)

    # 1-4: market engine, core, implementation, factory + protocol parameter
    engine = tx.deploy("MarketEngine", sender=owner)
    core = tx.deploy("MarketCore", engine, sender=owner)
    implementation = tx.deploy("Market", core, sender=owner)
    factory_address = tx.deploy("MarketFactory", implementation, sender=owner)
    factory = contract("MarketFactory", factory_address)
    protocol = struct_arg("MarketFactory", "updateParameter", presets.PROTOCOL)
    send(factory.functions.updateParameter(protocol))

    # 5: oracle: MockPyth + PythFactory, keeper parameter, fee config, one KeeperOracle per market
    pyth = tx.deploy("MockPyth", config.pyth_valid_time_period, config.update_fee_wei, sender=owner)
    pyth_factory_address = tx.deploy("PythFactory", pyth, config.timeout, sender=owner)
    pyth_factory = contract("PythFactory", pyth_factory_address)
    send(pyth_factory.functions.updateParameter(
        config.granularity, config.oracle_fee, config.valid_from, config.valid_to
    ))
    send(pyth_factory.functions.updateFeeConfig(
        (config.sync_fee, config.async_fee, config.max_settlement_fee)
    ))
    oracles: dict[str, ChecksumAddress] = {}
    for name in initial:
        feed = bytes.fromhex(PYTH_FEEDS[name][2:])
        send(pyth_factory.functions.create(feed, feed), label=f"create oracle {name}")
        oracles[name] = Web3.to_checksum_address(tx.read(pyth_factory.functions.oracles(feed)))

    # 7 (before the markets, which need the token): DSU, USDC, reserve
    dsu = tx.deploy("DSU", sender=owner)
    usdc = tx.deploy("USDC", sender=owner)
    reserve = tx.deploy("SimpleReserve", dsu, usdc, sender=owner)
    send(contract("DSU", dsu).functions.updateMinter(reserve, True))

    # 6: markets: create, register with the oracle, parameters (risk by the coordinator)
    infos: dict[str, MarketInfo] = {}
    market_param = struct_arg("Market", "updateParameter", presets.market_parameter())
    for name, oracle_address in oracles.items():
        send(factory.functions.create((dsu, oracle_address)), label=f"create market {name}")
        market_address = Web3.to_checksum_address(tx.read(factory.functions.markets(oracle_address)))
        market = contract("Market", market_address)
        send(contract("KeeperOracle", oracle_address).functions.register(market_address))
        send(market.functions.updateParameter(market_param))
        send(market.functions.updateCoordinator(coord))
        risk = struct_arg("Market", "updateRiskParameter", presets.risk_parameter(name))
        send(market.functions.updateRiskParameter(risk), sender=coord)
        infos[name] = MarketInfo(
            name=name, market=market_address, oracle=oracle_address,
            oracle_id=PYTH_FEEDS[name], feed_id=PYTH_FEEDS[name],
        )

    # 8: periphery
    multicall = tx.deploy("Multicall3", sender=owner)
    invoker = tx.deploy("MultiInvoker", usdc, dsu, factory_address, reserve, sender=owner)
    send(factory.functions.updateExtension(invoker, True))

    deployment = Deployment(
        chain_id=w3.eth.chain_id, owner=owner, coordinator=coord, engine=engine, core=core,
        market_implementation=implementation, factory=factory_address, dsu=dsu, usdc=usdc,
        reserve=reserve, pyth=pyth, keeper_factory=pyth_factory_address, multicall3=multicall,
        multi_invoker=invoker, markets=infos, oracle=config,
        source_hash=str(abi_files.manifest().get("sourceHash", "")),
    )
    keeper = Keeper(w3, deployment, keeper=owner, tx=tx)
    for name, price in initial.items():
        keeper.commit_price(name, price)
    return deployment.model_copy(update={"block": w3.eth.block_number})
