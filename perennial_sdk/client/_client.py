"""``PerennialClient``: typed reads (one-request snapshots) and safe writes for Perennial V2.4.

Every write is build → pre-flight (the math layer's invariants, raising the contract's error
name) → simulate (``eth_call``) → sign → send → wait → decode events (:mod:`._tx`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import encode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from perennial_sdk import abi as abi_files
from perennial_sdk.client._chains import ChainDeployment
from perennial_sdk.client._events import decode_logs
from perennial_sdk.client._history import AccountHistory, realized_history
from perennial_sdk.client._prices import PriceSource, PriceUpdate
from perennial_sdk.client._snapshot import LENS_ADDRESS, Snapshot, decode_snapshot, lens_call
from perennial_sdk.client._tx import TransactionSender, TransientRpcError, TxResult
from perennial_sdk.errors import ContractError, InputError, RpcError
from perennial_sdk.math.order import MAGIC_UNCHANGED, MAGIC_WITHDRAW_ALL
from perennial_sdk.math.preflight import preflight_update
from perennial_sdk.revert import decode_revert

__all__ = ["PerennialClient", "PositionUpdate", "PriceCommit", "TxRequest"]

MAX_UINT = 2**256 - 1


_call = abi_files.encode_call


@dataclass(frozen=True, slots=True)
class _KeeperPath:
    """Where a market's prices are committed: the keeper ``factory``, its ``keeper_oracle`` instance,
    the ``oracle_id`` and the ``underlying_id`` (the price feed the factory verifies), ``validFrom``."""

    factory: str
    keeper_oracle: str
    oracle_id: str
    underlying_id: str
    valid_from: int


@dataclass(frozen=True, slots=True)
class TxRequest:
    """A transaction built (and pre-flighted) but not sent: send it with :meth:`PerennialClient.send`,
    or hand ``to``/``data``/``value`` to any signer or a multisig."""

    to: str
    data: str
    value: int = 0


@dataclass(frozen=True, slots=True)
class PositionUpdate:
    """One market's leg of a rebalance: absolute sizes (None = unchanged) and a collateral delta (raw 6)."""

    market: str
    maker: int | None = None
    long: int | None = None
    short: int | None = None
    collateral: int = 0
    wrap: bool = False

    def reduces(self, current_maker: int, current_long: int, current_short: int) -> bool:
        """True when no size grows (the leg frees margin)."""
        return all(
            new is None or new <= cur
            for new, cur in ((self.maker, current_maker), (self.long, current_long), (self.short, current_short))
        )


@dataclass(frozen=True, slots=True)
class PriceCommit:
    """Commit a fresh price for ``market`` first (keeper path), so staleness and margin see it."""

    market: str
    source: PriceSource

_MARKET_CREATED = "0x" + keccak(text="MarketCreated(address,(address,address))").hex()


class PerennialClient:
    """A client bound to a ``Web3`` and a deployment. Never reads the environment or the RPC at init.

    ``markets``: the markets to read (default: discovered from the factory's ``MarketCreated`` events,
    cached). Writes need an ``account`` (an eth-account ``LocalAccount``; see :mod:`perennial_sdk.client.keys`).
    """

    def __init__(
        self,
        w3: Any,
        deployment: ChainDeployment,
        *,
        markets: Sequence[str] | None = None,
        account: Any | None = None,
    ) -> None:
        self.w3 = w3
        self.deployment = deployment
        self._markets = [to_checksum_address(m) for m in markets] if markets is not None else None
        self.account = account

        self._sender: TransactionSender | None = None
        self._oracle_info: dict[str, _KeeperPath] = {}

    def __repr__(self) -> str:
        who = getattr(self.account, "address", None)
        return f"PerennialClient(chain={self.deployment.name!r}, account={who!r})"

    @property
    def sender(self) -> TransactionSender:
        """The transaction sender of the client's account (raises if the client has none)."""
        if self.account is None:
            raise InputError("this client has no account; pass account=Signer(...) to write", field="account")
        if self._sender is None:
            self._sender = TransactionSender(self.w3, self.account)
        return self._sender

    # ------------------------------------------------------------------------------- markets
    def markets(self, *, refresh: bool = False) -> list[str]:
        """Every market of the factory (from its ``MarketCreated`` events, once; then cached)."""
        if self._markets is None or refresh:
            logs = self.w3.eth.get_logs({
                "address": to_checksum_address(self.deployment.market_factory),
                "topics": [_MARKET_CREATED], "fromBlock": self.deployment.from_block, "toBlock": "latest",
            })
            found = [to_checksum_address("0x" + bytes(log["topics"][1])[-20:].hex()) for log in logs]
            known = [to_checksum_address(m) for m in self.deployment.markets]
            self._markets = list(dict.fromkeys(known + found))
        return list(self._markets)

    # ------------------------------------------------------------------------------- reads
    def snapshot(
        self,
        account: str | None = None,
        *,
        markets: Sequence[str] | None = None,
        settle: bool = True,
        block: int | str = "latest",
    ) -> Snapshot:
        """Every market (and ``account`` in each) in ONE ``eth_call``; settled first unless ``settle=False``.

        The account defaults to the client's signer. Market metrics (funding, interest, utilization,
        capacity) and account metrics (margin, maintenance, headroom, liquidation price, max
        withdrawable) come from :mod:`perennial_sdk.analytics`.
        """
        who = account or (self.account.address if self.account is not None else None)
        addresses = list(markets) if markets is not None else self.markets()
        if not addresses:
            raise InputError("no markets to read", field="markets", limit=1, value=0)
        tx, _ = lens_call(
            self.deployment.market_factory, [to_checksum_address(m) for m in addresses],
            to_checksum_address(who) if who else None, self.deployment.multi_invoker, self.deployment.usdc, settle,
        )
        code = abi_files.artifact("Lens")["deployedBytecode"]
        override = {LENS_ADDRESS: {"code": code if code.startswith("0x") else "0x" + code}}
        block_id = hex(block) if isinstance(block, int) else block
        # straight to the provider: exactly one JSON-RPC request, no middleware round trips
        response = self.w3.provider.make_request("eth_call", [{**tx, "gas": hex(300_000_000)}, block_id, override])
        if "error" in response:
            error = response["error"]
            data = error.get("data") if isinstance(error, dict) else None
            if isinstance(data, dict):
                data = data.get("data")
            if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
                raise decode_revert(data)
            raise RpcError(f"eth_call (snapshot) failed: {error}")
        raw = bytes.fromhex(str(response["result"])[2:])
        return decode_snapshot(raw, to_checksum_address(who) if who else None)

    def history(self, market: str, account: str | None = None, *, from_block: int = 0,
                to_block: int | str = "latest") -> AccountHistory:
        """Realized funding, interest, price PnL, fee income and fees paid by ``account`` over a block range."""
        who = to_checksum_address(account or self.sender.address)
        address = to_checksum_address(market)
        logs = self._read("eth_getLogs", [{"address": address, "fromBlock": hex(from_block),
                                            "toBlock": hex(to_block) if isinstance(to_block, int) else to_block}])
        before = hex(from_block - 1) if from_block > 0 else "earliest"

        def sizes(data: str) -> tuple[int, int, int]:
            raw = bytes.fromhex(str(self._read("eth_call", [{"to": address, "data": data}, before]))[2:])
            words = [int.from_bytes(raw[i : i + 32], "big") for i in range(0, 128, 32)] if len(raw) >= 128 else [0] * 4
            return words[1], words[2], words[3]

        end = int(self._read("eth_blockNumber", []), 16) if to_block == "latest" else int(to_block)
        return realized_history(
            address, who, decode_logs(logs),
            global_position=sizes(_call("position()")), account_position=sizes(_call("positions(address)", who)),
            from_block=from_block, to_block=end,
        )

    # ------------------------------------------------------------------------------- writes
    def approve_operator(self, operator: str | None = None, enabled: bool = True) -> TxResult:
        """``MarketFactory.updateOperator(operator, enabled)`` (default operator: the MultiInvoker)."""
        target = to_checksum_address(operator or self.deployment.multi_invoker)
        return self.sender.send(self.deployment.market_factory, _call("updateOperator(address,bool)", target, enabled))

    def approve_collateral(self, spender: str, token: str | None = None, amount: int = MAX_UINT) -> TxResult:
        """ERC-20 ``approve(spender, amount)`` of the collateral token (default: unlimited)."""
        token_address = token or self._token()
        return self.sender.send(token_address, _call("approve(address,uint256)", to_checksum_address(spender), amount))

    def send(self, request: TxRequest) -> TxResult:
        """Simulate, sign once, send and decode a built transaction (see :mod:`._tx`)."""
        return self.sender.send(request.to, request.data, value=request.value)

    def _who(self, account: str | None) -> str:
        if account is not None:
            return to_checksum_address(account)
        if self.account is None:
            raise InputError("pass account=... or give the client a signer", field="account")
        return to_checksum_address(self.account.address)

    def update(
        self,
        market: str,
        *,
        maker: int | None = None,
        long: int | None = None,
        short: int | None = None,
        collateral: int = 0,
        account: str | None = None,
        protect: bool = False,
        snapshot: Snapshot | None = None,
        preflight: bool = True,
    ) -> TxResult:
        """``Market.update(account, newMaker, newLong, newShort, collateral, protect)``; None keeps a size.

        Pre-flight on a fresh snapshot (one request) raises the contract's typed error before any
        transaction; then the call is simulated, signed once, sent and its events decoded.
        """
        return self.send(self.build_update(
            market, maker=maker, long=long, short=short, collateral=collateral, account=account, protect=protect,
            snapshot=snapshot, preflight=preflight,
        ))

    def build_update(
        self,
        market: str,
        *,
        maker: int | None = None,
        long: int | None = None,
        short: int | None = None,
        collateral: int = 0,
        account: str | None = None,
        protect: bool = False,
        snapshot: Snapshot | None = None,
        preflight: bool = True,
    ) -> TxRequest:
        """The pre-flighted ``Market.update`` transaction of :meth:`update`, not sent."""
        who = self._who(account)
        signer = to_checksum_address(self.account.address) if self.account is not None else who
        sizes = [MAGIC_UNCHANGED if v is None else v for v in (maker, long, short)]
        if preflight:
            snap = snapshot or self.snapshot(who, markets=[market])
            view = snap.market(market).view(snap.protocol_parameter)
            acct = snap.account_in(market)
            sender_allowed = who == signer or acct.operator_approved
            preflight_update(
                view, acct.view(), new_maker=sizes[0], new_long=sizes[1], new_short=sizes[2], collateral=collateral,
                protect=protect, sender_allowed=sender_allowed or protect,
            )
        data = _call("update(address,uint256,uint256,uint256,int256,bool)", who, *sizes, collateral, protect)
        return TxRequest(to_checksum_address(market), data)

    def deposit(self, market: str, amount: int) -> TxResult:
        """Deposit ``amount`` (raw 6 decimals) as collateral; needs a collateral approval of the market."""
        if amount <= 0:
            raise InputError("deposit must be > 0", field="amount", limit=1, value=amount)
        return self.update(market, collateral=amount)

    def withdraw(self, market: str, amount: int | None = None) -> TxResult:
        """Withdraw ``amount`` (raw 6 decimals), or everything when None."""
        if amount is not None and amount <= 0:
            raise InputError("withdrawal must be > 0", field="amount", limit=1, value=amount)
        return self.update(market, collateral=MAGIC_WITHDRAW_ALL if amount is None else -amount)

    def close(self, market: str) -> TxResult:
        """Close the position (maker, long and short to 0)."""
        return self.update(market, maker=0, long=0, short=0)

    def liquidate(self, market: str, account: str) -> TxResult:
        """Liquidate ``account`` (a protected full close); the fee accrues to this client's claimable."""
        return self.update(market, maker=0, long=0, short=0, account=account, protect=True)

    def settle(self, market: str, account: str | None = None) -> TxResult:
        """``Market.settle(account)``."""
        who = to_checksum_address(account or self.sender.address)
        return self.sender.send(market, _call("settle(address)", who))

    def claim_fee(self, market: str, account: str | None = None) -> TxResult:
        """``Market.claimFee(account)``: claimable (liquidation / referral) and role fees."""
        who = to_checksum_address(account or self.sender.address)
        return self.sender.send(market, _call("claimFee(address)", who))

    def commit_price(self, market: str, source: PriceSource, *, version: int | None = None) -> TxResult:
        """Commit a price through the keeper factory (a requested ``version`` or, by default, a fresh one)."""
        keeper = self._oracle(market)
        version, update = self._price_update(market, source, version)
        data = _call("commit(bytes32[],uint256,bytes)", [bytes.fromhex(keeper.oracle_id[2:])], version, update.data)
        return self.sender.send(keeper.factory, data, value=update.fee)

    def rebalance(self, updates: Sequence[PositionUpdate], *, commits: Sequence[PriceCommit] = (),
                  snapshot: Snapshot | None = None) -> TxResult:
        """ONE MultiInvoker transaction: price commits, approvals, then reducing legs, then increasing legs.

        Every leg is pre-flighted against the snapshot (with the committed prices as the latest
        version); a leg the market would reject raises its typed error before anything is sent.
        """
        return self.send(self.build_rebalance(updates, commits=commits, snapshot=snapshot))

    def build_rebalance(self, updates: Sequence[PositionUpdate], *, commits: Sequence[PriceCommit] = (),
                        snapshot: Snapshot | None = None, account: str | None = None) -> TxRequest:
        """The pre-flighted MultiInvoker transaction of :meth:`rebalance`, not sent."""
        who = self._who(account)
        markets = list(dict.fromkeys([u.market for u in updates] + [c.market for c in commits]))
        snap = snapshot or self.snapshot(who, markets=markets)
        invocations: list[tuple[int, bytes]] = []
        value = 0
        committed: dict[str, tuple[int, int]] = {}
        for c in commits:
            keeper = self._oracle(c.market)
            version, update = self._price_update(c.market, c.source, None)
            args = encode(["address", "uint256", "bytes32[]", "uint256", "bytes", "bool"],
                          [keeper.factory, update.fee, [bytes.fromhex(keeper.oracle_id[2:])], version, update.data,
                           True])
            invocations.append((6, args))
            value += update.fee
            committed[c.market.lower()] = (version, update.price)
        for market in dict.fromkeys(u.market for u in updates if u.collateral > 0):
            invocations.append((8, encode(["address"], [to_checksum_address(market)])))  # APPROVE: invoker → market
        ordered = sorted(
            updates,
            key=lambda u: not u.reduces(*self._current_sizes(snap, u.market)),
        )
        for u in ordered:
            view = snap.market(u.market).view(snap.protocol_parameter)
            if u.market.lower() in committed:
                version, price = committed[u.market.lower()]
                view = dataclasses.replace(view, latest_timestamp=version, latest_price=price, latest_valid=True)
            acct = snap.account_in(u.market)
            sizes = [MAGIC_UNCHANGED if v is None else v for v in (u.maker, u.long, u.short)]
            preflight_update(view, acct.view(), new_maker=sizes[0], new_long=sizes[1], new_short=sizes[2],
                             collateral=u.collateral, sender_allowed=acct.operator_approved)
            fee = ("0x" + "00" * 20, 0)
            args = encode(
                ["address", "uint256", "uint256", "uint256", "int256", "bool", "(address,uint256)", "(address,uint256)"],
                [to_checksum_address(u.market), *sizes, u.collateral, u.wrap, fee, fee],
            )
            invocations.append((1, args))
        data = _call("invoke(address,(uint8,bytes)[])", who, invocations)
        return TxRequest(to_checksum_address(self.deployment.multi_invoker), data, value)

    # ------------------------------------------------------------------------------- helpers
    def _price_update(self, market: str, source: PriceSource, version: int | None) -> tuple[int, PriceUpdate]:
        """(version, update data) for a commit: a fresh version (``min(now, current − 1)``) by default.

        A source that serves only its latest value (Stork) answers with its own publish time; a
        fresh commit then goes to the version that time is valid for (``publish_time − validFrom``).
        """
        keeper = self._oracle(market)
        fresh = version is None
        if version is None:
            block = self._read("eth_getBlockByNumber", ["latest", False])
            now = int(block["timestamp"], 16)
            current = int(self._read("eth_call", [{"to": keeper.factory, "data": _call("current()")}, "latest"]), 16)
            version = min(now, current - 1)
        update = source.update(keeper.underlying_id, version + keeper.valid_from)
        if fresh and update.publish_time != version + keeper.valid_from:
            version = min(version, update.publish_time - keeper.valid_from)
        return version, update

    def _oracle(self, market: str) -> _KeeperPath:
        """The keeper path of ``market``'s oracle (cached).

        ``Market.oracle()`` is either a keeper oracle (the SDK's devnet contracts) or Perennial's
        ``Oracle``, which routes to the keeper oracle of its current epoch (``oracles(global().current)``).
        The keeper oracle's ``factory()`` is the keeper factory; its ``ids`` / ``toUnderlyingId`` give
        the oracle id and the price feed it verifies.
        """
        key = market.lower()
        if key not in self._oracle_info:
            rpc = self.sender.rpc if self.account is not None else self._read

            def word(to: str, data: str, index: int = 0) -> str:
                result = str(rpc("eth_call", [{"to": to, "data": data}, "latest"]))[2:]
                return result[64 * index : 64 * (index + 1)]

            oracle = to_checksum_address("0x" + word(market, _call("oracle()"))[-40:])
            provider = oracle
            try:
                current = int(word(oracle, _call("global()")), 16)
                epoch = word(oracle, _call("oracles(uint256)", current))
                if len(epoch) == 64 and int(epoch, 16) != 0:
                    provider = to_checksum_address("0x" + epoch[-40:])
            except ContractError:
                pass  # not an Oracle (no ``oracles(uint256)``): the market's oracle is the keeper oracle
            except RpcError as exc:  # the key-less read path reports a revert as an RpcError
                if isinstance(exc, TransientRpcError) or "revert" not in str(exc).lower():
                    raise
            factory = to_checksum_address("0x" + word(provider, _call("factory()"))[-40:])
            oracle_id = "0x" + word(factory, _call("ids(address)", provider))
            underlying = "0x" + word(factory, _call("toUnderlyingId(bytes32)", bytes.fromhex(oracle_id[2:])))
            valid_from = word(factory, _call("parameter()"), 4)  # KeeperOracleParameter.validFrom
            self._oracle_info[key] = _KeeperPath(factory, provider, oracle_id, underlying,
                                                 int(valid_from, 16) if valid_from else 0)
        return self._oracle_info[key]

    def _read(self, method: str, params: list[Any]) -> Any:
        response = self.w3.provider.make_request(method, params)
        if "error" in response:
            raise RpcError(f"{method}: {response['error']}")
        return response["result"]

    def _token(self) -> str:
        market = self.markets()[0]
        return to_checksum_address("0x" + str(self._read("eth_call", [{"to": market, "data": _call("token()")}, "latest"]))[-40:])

    @staticmethod
    def _current_sizes(snap: Snapshot, market: str) -> tuple[int, int, int]:
        acct = snap.account_in(market).view().current_position()
        return acct.maker, acct.long, acct.short
