"""A deterministic simulator of one Perennial V2.4 market (``Market.sol``, spec §3-§6).

State transitions follow ``Market.sol`` step for step: every ``update`` and ``settle`` loads a
context, settles the market and the account against the oracle (processing pending orders, then
syncing to the latest version), applies the order, runs ``InvariantLib.validate`` and stores. A
rejected update raises the contract's error and changes nothing (the transaction is rolled back).

Accounts are any hashable string (a name or an address). Amounts are raw 6-decimal integers.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from perennial_sdk import errors, models
from perennial_sdk.math.checkpoint import CheckpointResult, accumulate_checkpoint
from perennial_sdk.math.invariant import UpdateContext, validate_update
from perennial_sdk.math.order import (
    MAGIC_CLOSE,
    MAGIC_UNCHANGED,
    MAGIC_WITHDRAW_ALL,
    order_from,
    resolve_magic,
)
from perennial_sdk.math.state import (
    CheckpointState,
    GlobalState,
    LocalState,
    OrderState,
    ParamSet,
    PositionState,
    VersionState,
)
from perennial_sdk.math.version import VersionResult, accumulate_version, apply_global_fees
from perennial_sdk.math.views import AccountView, MarketView
from perennial_sdk.sim.oracle import SimOracle

__all__ = ["MAGIC_CLOSE", "MAGIC_UNCHANGED", "MAGIC_WITHDRAW_ALL", "SimMarket"]


_ZERO_VERSION = VersionState()
_EMPTY_ORDER = OrderState()
"""A sync's order (never mutated; accumulation does not read its timestamp)."""
_ZERO_CHECKPOINT = CheckpointState()

Event = dict[str, Any]


class _Context:
    """``IMarket.Context`` plus the settlement context (the in-memory copy a transaction works on)."""

    __slots__ = (
        "account",
        "checkpoint",
        "current_timestamp",
        "glob",
        "latest_price",
        "latest_timestamp",
        "latest_valid",
        "local",
        "local_pending",
        "local_position",
        "order_price",
        "order_timestamp",
        "pending",
        "position",
        "version",
    )

    account: str
    latest_price: int
    latest_valid: bool
    latest_timestamp: int
    current_timestamp: int
    glob: GlobalState
    local: LocalState
    position: PositionState
    local_position: PositionState
    pending: OrderState
    local_pending: OrderState
    version: VersionState
    checkpoint: CheckpointState
    order_price: int
    order_timestamp: int


class SimMarket:
    """One market: parameters, an oracle timeline, and every account's state.

    Writes: :meth:`update` (absolute sizes, like ``Market.update(account, newMaker, newLong,
    newShort, collateral, protect)``), :meth:`update_delta` (maker and taker deltas), :meth:`settle`,
    :meth:`update_parameter`, :meth:`update_risk_parameter`, :meth:`claim_fee`.
    Reads mirror the contract views and return :mod:`perennial_sdk.models` objects.
    """

    def __init__(
        self,
        protocol: models.ProtocolParameter,
        parameter: models.MarketParameter,
        risk_parameter: models.RiskParameter,
        oracle: SimOracle | None = None,
        *,
        record_events: bool = True,
        owner: str = "owner",
        coordinator: str = "coordinator",
        validate_parameters: bool = True,
    ) -> None:
        if validate_parameters:
            parameter.validate_for(protocol)
            risk_parameter.validate_for(protocol)
        self.protocol = protocol
        self._parameter = parameter
        self._risk = risk_parameter.stored()
        self.ps = ParamSet.build(protocol, parameter, risk_parameter)
        self.oracle = oracle if oracle is not None else SimOracle()
        self.record_events = record_events
        self.owner = owner
        self.coordinator = coordinator
        self.events: list[Event] = []
        self.token_balance = 0
        """Collateral tokens held by the market (raw 6 decimals): deposits − withdrawals − claims."""
        self.operators: set[tuple[str, str]] = set()
        self.referral_fees: dict[str, int] = {}
        self._global = GlobalState()
        self._position = PositionState()
        self._pending = OrderState()
        self._locals: dict[str, LocalState] = {}
        self._positions: dict[str, PositionState] = {}
        self._pendings: dict[str, OrderState] = {}
        self._versions: dict[int, VersionState] = {}
        self._pending_order: dict[int, OrderState] = {}
        self._pending_orders: dict[str, dict[int, OrderState]] = {}
        self._checkpoints: dict[str, dict[int, CheckpointState]] = {}
        self._liquidators: dict[tuple[str, int], str] = {}
        self._referrers: dict[tuple[str, int], str] = {}
        self._journal: list[tuple[dict[Any, Any], Any, Any]] = []
        self._tx_events: list[Event] = []

    # ----------------------------------------------------------------------------- writes
    def settle(self, account: str) -> None:
        """``Market.settle(account)``: process every ready order, then sync to the latest version."""
        self._run(self._settle_tx, account)

    def settle_market(self) -> None:
        """Settle the market only (``settle(address(0))``, what a keeper's commit triggers, spec §7).

        Processes every ready global order and syncs the global position to the latest version;
        no account is touched (address(0) holds nothing, so its checkpoint is not written).
        """
        self._run(self._settle_market_tx)

    def update(
        self,
        account: str,
        new_maker: int | None = None,
        new_long: int | None = None,
        new_short: int | None = None,
        collateral: int = 0,
        protect: bool = False,
        *,
        sender: str | None = None,
        referrer: str | None = None,
    ) -> None:
        """Absolute-size update; ``None`` keeps a size (``MAGIC_UNCHANGED``), ``MAGIC_CLOSE`` closes max.

        Raises the contract's error (e.g. ``MarketInsufficientMarginError``) and leaves the state
        untouched when the market would revert.
        """
        self._run(
            self._update_tx, account,
            MAGIC_UNCHANGED if new_maker is None else new_maker,
            MAGIC_UNCHANGED if new_long is None else new_long,
            MAGIC_UNCHANGED if new_short is None else new_short,
            collateral, protect, account if sender is None else sender, referrer,
        )

    def update_delta(
        self,
        account: str,
        maker_amount: int = 0,
        taker_amount: int = 0,
        collateral: int = 0,
        *,
        sender: str | None = None,
        referrer: str | None = None,
    ) -> None:
        """``update(account, makerAmount, takerAmount, collateral, referrer)``: signed deltas."""
        self._run(
            self._update_delta_tx, account, maker_amount, taker_amount, collateral,
            account if sender is None else sender, referrer,
        )

    def update_parameter(self, parameter: models.MarketParameter) -> None:
        """``updateParameter``: applies from the next settlement on, retroactively to unsettled intervals."""
        parameter.validate_for(self.protocol)
        self._parameter = parameter
        self.ps = ParamSet.build(self.protocol, parameter, self._risk)

    def update_risk_parameter(self, risk_parameter: models.RiskParameter) -> None:
        """``updateRiskParameter``: validates, stores, and re-marks the adiabatic exposure (spec §2.1)."""
        from perennial_sdk.math.curves import adiabatic_compute

        risk_parameter.validate_for(self.protocol)
        new = risk_parameter.stored()
        old = self.ps
        skew = self._position.long - self._position.short
        price = abs(self._global.latest_price)
        change = adiabatic_compute(
            int(new.taker_fee.scale), int(new.taker_fee.adiabatic_fee), 0, skew, price
        ) - adiabatic_compute(old.taker_scale, old.taker_adiabatic, 0, skew, price)
        self._global.exposure -= change
        self._risk = new
        self.ps = ParamSet.build(self.protocol, self._parameter, new)

    def claim_fee(self, account: str) -> int:
        """``claimFee(account)``: pay out the protocol/oracle/risk fee (if the role) and claimable."""
        amount = 0
        if account == self.owner:
            amount += self._global.protocol_fee
            self._global.protocol_fee = 0
        if account == "oracle":
            amount += self._global.oracle_fee
            self._global.oracle_fee = 0
        if account == self.coordinator:
            amount += self._global.risk_fee
            self._global.risk_fee = 0
        local = self._locals.get(account)
        if local is not None:
            amount += local.claimable
            local.claimable = 0
        self.token_balance -= amount
        return amount

    def approve_operator(self, account: str, operator: str, enabled: bool = True) -> None:
        """``MarketFactory.updateOperator`` on behalf of ``account``."""
        if enabled:
            self.operators.add((account, operator))
        else:
            self.operators.discard((account, operator))

    # ----------------------------------------------------------------------------- reads
    def parameter(self) -> models.MarketParameter:
        return self._parameter

    def risk_parameter(self) -> models.RiskParameter:
        return self._risk

    def global_(self) -> models.Global:
        return self._global.to_model()

    def position(self) -> models.Position:
        return self._position.to_model()

    def positions(self, account: str) -> models.Position:
        return self._positions.get(account, PositionState()).to_model()

    def pending(self) -> models.Order:
        return self._pending.to_model()

    def pendings(self, account: str) -> models.Order:
        return self._pendings.get(account, OrderState()).to_model()

    def pending_order(self, order_id: int) -> models.Order:
        return self._pending_order.get(order_id, OrderState()).to_model()

    def pending_orders(self, account: str, order_id: int) -> models.Order:
        return self._pending_orders.get(account, {}).get(order_id, OrderState()).to_model()

    def versions(self, timestamp: int) -> models.Version:
        return self._versions.get(timestamp, _ZERO_VERSION).to_model()

    def checkpoints(self, account: str, timestamp: int) -> models.Checkpoint:
        return self._checkpoints.get(account, {}).get(timestamp, _ZERO_CHECKPOINT).to_model()

    def locals(self, account: str) -> models.Local:
        return self._locals.get(account, LocalState()).to_model()

    def accounts(self) -> list[str]:
        """Every account that has touched the market."""
        return list(self._locals)

    def view(self) -> MarketView:
        """An immutable copy of the market for analytics (see :mod:`perennial_sdk.analytics`)."""
        latest_ts = self.oracle.latest_timestamp
        rec = self.oracle.record(latest_ts)
        current = self._pending_order.get(self._global.current_id, OrderState())
        return MarketView(
            ps=self.ps, glob=self._global.copy(), position=self._position.copy(), pending=self._pending.copy(),
            current_order=current.copy(), version=self._versions.get(self._position.timestamp, _ZERO_VERSION).copy(),
            latest_price=rec.price if rec.price else self._global.latest_price, latest_timestamp=latest_ts,
            latest_valid=rec.valid, current_timestamp=self.oracle.current_timestamp,
        )

    def account_view(self, account: str) -> AccountView:
        """An immutable copy of one account for analytics."""
        local = self._locals.get(account) or LocalState()
        position = self._positions.get(account) or PositionState()
        orders = self._pending_orders.get(account, {})
        current = orders.get(local.current_id, OrderState())
        max_pending = position.max_magnitude_along(
            orders[i] for i in range(local.latest_id + 1, local.current_id + 1) if i in orders
        )
        return AccountView(
            account=account, local=local.copy(), position=position.copy(),
            pending=(self._pendings.get(account) or OrderState()).copy(), current_order=current.copy(),
            checkpoint=self._checkpoints.get(account, {}).get(position.timestamp, _ZERO_CHECKPOINT).copy(),
            max_pending_magnitude=max_pending,
        )

    # raw hot-path reads (no copies, do not mutate)
    def raw_global(self) -> GlobalState:
        return self._global

    def raw_position(self) -> PositionState:
        return self._position

    def raw_local(self, account: str) -> LocalState:
        return self._locals.get(account) or LocalState()

    def raw_local_position(self, account: str) -> PositionState:
        return self._positions.get(account) or PositionState()

    def raw_pending(self) -> OrderState:
        return self._pending

    def raw_local_pending(self, account: str) -> OrderState:
        return self._pendings.get(account) or OrderState()

    def raw_version(self, timestamp: int) -> VersionState:
        return self._versions.get(timestamp, _ZERO_VERSION)

    # ----------------------------------------------------------------------------- transactions
    def _run(self, fn: Any, *args: Any) -> None:
        self._journal.clear()
        self._tx_events = []
        try:
            fn(*args)
        except (errors.ContractError, errors.FixedPointError, ZeroDivisionError) as exc:
            for store, key, old in reversed(self._journal):
                if old is None:
                    store.pop(key, None)
                else:
                    store[key] = old
            self._journal.clear()
            self._tx_events = []
            if isinstance(exc, ZeroDivisionError):
                raise errors.FixedPointError("division by zero", operation="Market") from exc
            if isinstance(exc, errors.ContractError) and exc.source != "sim":
                exc.source = "sim"
            raise
        self._journal.clear()
        if self.record_events:
            self.events.extend(self._tx_events)
        self._tx_events = []

    def _put(self, store: dict[Any, Any], key: Any, value: Any) -> None:
        self._journal.append((store, key, store.get(key)))
        store[key] = value

    def _load(self, account: str) -> _Context:
        c = _Context()
        c.account = account
        latest_ts = self.oracle.latest_timestamp
        rec = self.oracle.record(latest_ts)
        c.latest_timestamp, c.latest_price, c.latest_valid = latest_ts, rec.price, rec.valid
        c.current_timestamp = self.oracle.current_timestamp
        c.glob = self._global.copy()
        c.position = self._position.copy()
        c.pending = self._pending.copy()
        local = self._locals.get(account)
        c.local = local.copy() if local is not None else LocalState()
        lp = self._positions.get(account)
        c.local_position = lp.copy() if lp is not None else PositionState()
        lpend = self._pendings.get(account)
        c.local_pending = lpend.copy() if lpend is not None else OrderState()
        return c

    def _store(self, c: _Context) -> None:
        self._global = c.glob
        self._position = c.position
        self._pending = c.pending
        self._locals[c.account] = c.local
        self._positions[c.account] = c.local_position
        self._pendings[c.account] = c.local_pending

    def _settle_tx(self, account: str) -> None:
        c = self._load(account)
        self._settle(c)
        self._store(c)

    def _settle_market_tx(self) -> None:
        c = _Context()
        latest_ts = self.oracle.latest_timestamp
        c.latest_timestamp = latest_ts
        c.glob = self._global.copy()
        c.position = self._position.copy()
        c.pending = self._pending.copy()
        self._settle_global(c)
        self._global, self._position, self._pending = c.glob, c.position, c.pending

    def _settle_global(self, c: _Context) -> None:
        self._process_ready_global(c)
        if not self.ps.settle and c.latest_timestamp > c.position.timestamp:
            self._process_global(c, c.glob.latest_id, c.latest_timestamp, None)

    def _process_ready_global(self, c: _Context) -> None:
        """Load the settlement context and process every global order the oracle has a version for."""
        c.version = self._versions.get(c.position.timestamp, _ZERO_VERSION)
        c.order_timestamp = c.position.timestamp
        price = self.oracle.record(c.position.timestamp).price
        c.order_price = price if price != 0 else c.glob.latest_price
        glob = c.glob
        while glob.current_id != glob.latest_id:
            nxt = self._pending_order.get(glob.latest_id + 1)
            if nxt is None or nxt.timestamp > c.latest_timestamp:
                break
            self._process_global(c, glob.latest_id + 1, nxt.timestamp, nxt)

    def _settle(self, c: _Context) -> None:
        """``Market._settle``: ready global orders, ready local orders, then global and local sync."""
        acct_ckpts = self._checkpoints.get(c.account)
        if acct_ckpts is None:
            acct_ckpts = self._checkpoints[c.account] = {}
        c.checkpoint = acct_ckpts.get(c.local_position.timestamp, _ZERO_CHECKPOINT)
        self._process_ready_global(c)
        latest_ts = c.latest_timestamp
        glob, local = c.glob, c.local
        orders = self._pending_orders.get(c.account, {})
        while local.current_id != local.latest_id:
            nxt = orders.get(local.latest_id + 1)
            if nxt is None or nxt.timestamp > latest_ts:
                break
            self._process_local(c, local.latest_id + 1, nxt.timestamp, nxt)
        if self.ps.settle:
            return
        if latest_ts > c.position.timestamp:
            self._process_global(c, glob.latest_id, latest_ts, None)
        if latest_ts > c.local_position.timestamp:
            self._process_local(c, local.latest_id, latest_ts, OrderState(timestamp=latest_ts))

    def _process_global(self, c: _Context, order_id: int, timestamp: int, order: OrderState | None) -> None:
        """Process the global order ``order_id`` at ``timestamp``; ``None`` is a sync (an empty order)."""
        rec = self.oracle.record(timestamp)
        price = rec.price if rec.price != 0 else c.glob.latest_price
        sync = order is None
        if order is None:
            order = _EMPTY_ORDER
        else:
            c.pending.sub(order)
            if not rec.valid and not order.is_empty():
                order = order.copy()
                order.invalidate()
        version, result = accumulate_version(
            c.version, c.glob, c.position, order, c.order_price, c.order_timestamp, price, timestamp,
            rec.valid, rec.settlement_fee, self.ps,
        )
        apply_global_fees(c.glob, order_id, result, self.ps.risk_fee, rec.oracle_fee)
        if sync:
            c.position.timestamp = timestamp
        else:
            c.position.apply(order)
        c.order_price, c.order_timestamp = price, timestamp
        c.version = version
        self._put(self._versions, timestamp, version)
        if self.record_events:
            self._tx_events.append(
                _position_processed(order_id, OrderState(timestamp=timestamp) if sync else order, result)
            )

    def _process_local(self, c: _Context, order_id: int, timestamp: int, order: OrderState) -> None:
        v_from = self._versions.get(c.local_position.timestamp, _ZERO_VERSION)
        v_to = self._versions.get(timestamp, _ZERO_VERSION)
        c.local_pending.sub(order)
        if not v_to.valid and not order.is_empty():
            order = order.copy()
            order.invalidate()
        checkpoint, result = accumulate_checkpoint(c.checkpoint, c.local_position, order, v_from, v_to)
        c.local.collateral += result.net
        c.local.latest_id = order_id
        c.local_position.apply(order)
        c.checkpoint = checkpoint
        self._put(self._checkpoints[c.account], timestamp, checkpoint)
        if self.record_events:
            self._tx_events.append(_account_position_processed(c.account, order_id, order, result))
        if result.liquidation_fee:
            self._credit(c, self._liquidators.get((c.account, order_id)), result.liquidation_fee)
        if result.subtractive_fee:
            self._credit(c, self._referrers.get((c.account, order_id)), result.subtractive_fee)

    def _credit(self, c: _Context, receiver: str | None, amount: int) -> None:
        if receiver is None:
            receiver = ""  # address(0)
        if receiver == c.account:
            c.local.claimable += amount
            return
        other = self._locals.get(receiver)
        updated = other.copy() if other is not None else LocalState()
        updated.claimable += amount
        self._put(self._locals, receiver, updated)

    def _update_tx(
        self, account: str, new_maker: int, new_long: int, new_short: int, collateral: int, protect: bool,
        sender: str, referrer: str | None,
    ) -> None:
        c = self._load(account)
        self._settle(c)
        current = c.local_position.plus(c.local_pending)
        maker, long, short, collateral = resolve_magic(
            current, c.local_pending, c.local.collateral, new_maker, new_long, new_short, collateral
        )
        order = order_from(
            c.current_timestamp, current, collateral, maker, long, short, protect, self._referral_fee(referrer)
        )
        self._apply(c, current, order, sender, referrer)

    def _update_delta_tx(
        self, account: str, maker_amount: int, taker_amount: int, collateral: int, sender: str,
        referrer: str | None,
    ) -> None:
        c = self._load(account)
        self._settle(c)
        current = c.local_position.plus(c.local_pending)
        new_maker = current.maker + maker_amount
        if new_maker < 0:
            raise errors.UFixed6UnderflowError(left=current.maker, right=-maker_amount)
        new_taker = current.long - current.short + taker_amount
        order = order_from(
            c.current_timestamp, current, collateral, new_maker, max(new_taker, 0), max(-new_taker, 0), False,
            self._referral_fee(referrer),
        )
        self._apply(c, current, order, sender, referrer)

    def _referral_fee(self, referrer: str | None) -> int:
        if not referrer:
            return 0
        return self.referral_fees.get(referrer, self.ps.referral_fee)

    def _apply(
        self, c: _Context, current_local: PositionState, order: OrderState, sender: str, referrer: str | None
    ) -> None:
        """``Market._update``: advance ids, add the order, move collateral, validate, store."""
        ps = self.ps
        if ps.settle:
            raise errors.MarketSettleOnlyError(source="sim")
        account = c.account
        acct_orders = self._pending_orders.setdefault(account, {})
        order_local = acct_orders.get(c.local.current_id, OrderState()).copy()
        order_global = self._pending_order.get(c.glob.current_id, OrderState()).copy()
        liquidator = self._liquidators.get((account, c.local.current_id))
        order_referrer = self._referrers.get((account, c.local.current_id))
        # max pending magnitude over the unsettled ids (before this order)
        # max pending magnitude over the unsettled ids (before this order)
        max_pending = c.local_position.max_magnitude_along(
            acct_orders[i] for i in range(c.local.latest_id + 1, c.local.current_id + 1) if i in acct_orders
        )

        if c.current_timestamp > order_local.timestamp:
            order_local = OrderState(timestamp=c.current_timestamp)
            liquidator = order_referrer = None
            c.local.current_id += 1
        if c.current_timestamp > order_global.timestamp:
            order_global = OrderState(timestamp=c.current_timestamp)
            c.glob.current_id += 1

        current_global = c.position.plus(c.pending)
        current_global.apply(order)
        current_local.apply(order)
        order_local.add(order)
        order_global.add(order)
        c.pending.add(order)
        c.local_pending.add(order)
        c.local.collateral += order.collateral
        if order.protection:
            liquidator = sender
        if order.maker_referral or order.taker_referral:
            if order_referrer is None:
                order_referrer = referrer
            if order_referrer != referrer:
                raise errors.MarketInvalidReferrerError(source="sim")
        if not order.is_empty():
            self.oracle.request(c.current_timestamp)

        ctx = UpdateContext(
            ps=ps, latest_price=c.latest_price, latest_valid=c.latest_valid, latest_timestamp=c.latest_timestamp,
            current_timestamp=c.current_timestamp, global_current_id=c.glob.current_id,
            global_latest_id=c.glob.latest_id, local_current_id=c.local.current_id,
            local_latest_id=c.local.latest_id, local_collateral=c.local.collateral,
            latest_local=c.local_position, pending_local=c.local_pending, current_global=current_global,
            current_local=current_local, max_pending_magnitude=max_pending,
            sender_allowed=sender == account or (account, sender) in self.operators,
        )
        validate_update(ctx, order, source="sim")
        if self.record_events:
            self._tx_events.append(
                {"event": "OrderCreated", "account": account, "order": order.copy(), "liquidator": liquidator}
            )

        self._pending_order[c.glob.current_id] = order_global
        acct_orders[c.local.current_id] = order_local
        key = (account, c.local.current_id)
        if liquidator is None:
            self._liquidators.pop(key, None)
        else:
            self._liquidators[key] = liquidator
        if order_referrer is None:
            self._referrers.pop(key, None)
        else:
            self._referrers[key] = order_referrer
        self.token_balance += order.collateral
        self._store(c)


def _position_processed(order_id: int, order: OrderState, r: VersionResult) -> Event:
    return {"event": "PositionProcessed", "orderId": order_id, "order": order.copy(), **asdict(r)}


def _account_position_processed(account: str, order_id: int, order: OrderState, r: CheckpointResult) -> Event:
    return {
        "event": "AccountPositionProcessed", "account": account, "orderId": order_id, "order": order.copy(),
        **asdict(r),
    }
