"""Every error the SDK raises, as one tree.

    PerennialError
    ├── InputError (ValueError)                 bad input, caught before any RPC or state change
    │   ├── FixedPointError (ArithmeticError)   division by zero, overflow, >6 decimals, floats
    │   │   └── UFixed6UnderflowError           also a ContractError (the root library's error)
    │   ├── InvalidParameterError               a parameter outside the contracts' `validate` bounds
    │   └── ScenarioError                       a malformed scenario file
    └── ContractError                           a Perennial custom error, by its contract name
        ├── MarketError                         Market.sol / InvariantLib errors (one class each)
        ├── StorageError                        *StorageInvalidError (a value wider than its slot)
        └── FactoryError, OracleError, ...      (added by the client layer)

A :class:`ContractError` is raised the same way whether it was predicted off-chain (``source =
"preflight"`` or ``"sim"``) or decoded from an on-chain revert (``source = "revert"``), so one
``except MarketInsufficientMarginError`` covers both.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "CONTRACT_ERRORS",
    "CheckpointStorageInvalidError",
    "ContractError",
    "FixedPointError",
    "GlobalStorageInvalidError",
    "InputError",
    "InvalidParameterError",
    "LocalStorageInvalidError",
    "MarketClosedError",
    "MarketCollateralBelowLimitError",
    "MarketEfficiencyUnderLimitError",
    "MarketError",
    "MarketExceedsPendingIdLimitError",
    "MarketInsufficientCollateralError",
    "MarketInsufficientLiquidityError",
    "MarketInsufficientMarginError",
    "MarketIntentPriceDeviationError",
    "MarketInvalidIntentFeeError",
    "MarketInvalidMarketParameterError",
    "MarketInvalidProtectionError",
    "MarketInvalidReferrerError",
    "MarketInvalidRiskParameterError",
    "MarketMakerOverLimitError",
    "MarketNotCoordinatorError",
    "MarketNotOperatorError",
    "MarketNotSingleSidedError",
    "MarketOperatorNotAllowedError",
    "MarketOverCloseError",
    "MarketParameterStorageInvalidError",
    "MarketProtectedError",
    "MarketSettleOnlyError",
    "MarketStalePriceError",
    "OrderStorageInvalidError",
    "PerennialError",
    "PositionStorageGlobalInvalidError",
    "PositionStorageLocalInvalidError",
    "ProtocolParameterStorageInvalidError",
    "RiskParameterStorageInvalidError",
    "ScenarioError",
    "StorageError",
    "UFixed6UnderflowError",
    "VersionStorageInvalidError",
    "contract_error",
]


class PerennialError(Exception):
    """Base of every error raised by this SDK."""

    code: ClassVar[str] = "perennial_error"


class InputError(PerennialError, ValueError):
    """Bad input, detected before any RPC call or state change.

    Carries ``field`` (dotted path), ``limit`` (the bound that was crossed) and ``value`` (what was given).
    """

    code: ClassVar[str] = "input_error"

    def __init__(self, message: str, *, field: str | None = None, limit: Any = None, value: Any = None) -> None:
        self.field = field
        self.limit = limit
        self.value = value
        super().__init__(message)


class FixedPointError(InputError, ArithmeticError):
    """Fixed-point arithmetic that the contracts would revert on (or a lossy conversion)."""

    code: ClassVar[str] = "fixed_point"

    def __init__(self, message: str, *, operation: str, left: Any = None, right: Any = None) -> None:
        self.operation = operation
        self.left = left
        self.right = right
        super().__init__(f"{operation}: {message}", field=operation, value=left)


class InvalidParameterError(InputError):
    """A protocol / market / risk parameter outside the bounds the contracts' ``validate`` enforces.

    ``contract_error`` is the name of the revert the contract would raise for it.
    """

    code: ClassVar[str] = "invalid_parameter"

    def __init__(self, *, field: str, limit: Any, value: Any, rule: str, contract_error: str) -> None:
        self.rule = rule
        self.contract_error = contract_error
        super().__init__(
            f"{field} = {value} violates {rule} (limit {limit}); the contract reverts {contract_error}",
            field=field,
            limit=limit,
            value=value,
        )


class ScenarioError(InputError):
    """A scenario file that does not follow tests/vectors/README.md."""

    code: ClassVar[str] = "scenario"


class ContractError(PerennialError):
    """A Perennial custom error. ``name`` is the Solidity error name, ``args`` its arguments."""

    code: ClassVar[str] = "contract_error"
    name: ClassVar[str] = "ContractError"
    signature: ClassVar[str] = "ContractError()"

    def __init__(self, *args: Any, source: str = "revert", detail: str | None = None) -> None:
        self.args_ = args
        self.source = source
        self.detail = detail
        text = f"{self.name}({', '.join(map(str, args))})"
        if detail:
            text += f": {detail}"
        super().__init__(text)


class MarketError(ContractError):
    """An error raised by ``Market.sol`` or its ``InvariantLib``."""


class StorageError(ContractError):
    """A value that does not fit its packed storage slot (``*StorageInvalidError``)."""


class UFixed6UnderflowError(ContractError, FixedPointError):
    """UFixed6 subtraction below zero (root library ``UFixed6UnderflowError(int256)``)."""

    name: ClassVar[str] = "UFixed6UnderflowError"
    signature: ClassVar[str] = "UFixed6UnderflowError(int256)"

    def __init__(self, *, left: int, right: int, source: str = "sim") -> None:
        self.left = left
        self.right = right
        self.args_ = (left - right,)
        self.source = source
        self.detail = None
        self.operation = "UFixed6.sub"
        self.field = "UFixed6.sub"
        self.limit = 0
        self.value = left - right
        Exception.__init__(self, f"UFixed6UnderflowError: {left} - {right} is below zero (raw 6-decimal values)")


class MarketInsufficientLiquidityError(MarketError):
    """The order would socialize the market (makers cannot cover the skew)."""

    name: ClassVar[str] = "MarketInsufficientLiquidityError"
    signature: ClassVar[str] = "MarketInsufficientLiquidityError()"



class MarketInsufficientMarginError(MarketError):
    """Collateral is below the margin requirement of the worst-case position."""

    name: ClassVar[str] = "MarketInsufficientMarginError"
    signature: ClassVar[str] = "MarketInsufficientMarginError()"



class MarketInsufficientCollateralError(MarketError):
    """Effective collateral would be negative."""

    name: ClassVar[str] = "MarketInsufficientCollateralError"
    signature: ClassVar[str] = "MarketInsufficientCollateralError()"



class MarketProtectedError(MarketError):
    """A liquidation is pending for this account; only protected orders are accepted."""

    name: ClassVar[str] = "MarketProtectedError"
    signature: ClassVar[str] = "MarketProtectedError()"



class MarketMakerOverLimitError(MarketError):
    """The global maker position would exceed the risk parameter makerLimit."""

    name: ClassVar[str] = "MarketMakerOverLimitError"
    signature: ClassVar[str] = "MarketMakerOverLimitError()"



class MarketClosedError(MarketError):
    """The market is closed: positions can only decrease."""

    name: ClassVar[str] = "MarketClosedError"
    signature: ClassVar[str] = "MarketClosedError()"



class MarketCollateralBelowLimitError(MarketError):
    """Collateral below the limit."""

    name: ClassVar[str] = "MarketCollateralBelowLimitError"
    signature: ClassVar[str] = "MarketCollateralBelowLimitError()"



class MarketOperatorNotAllowedError(MarketError):
    """The sender is neither the account nor an approved operator."""

    name: ClassVar[str] = "MarketOperatorNotAllowedError"
    signature: ClassVar[str] = "MarketOperatorNotAllowedError()"



class MarketNotSingleSidedError(MarketError):
    """An account may hold only one of maker, long or short."""

    name: ClassVar[str] = "MarketNotSingleSidedError"
    signature: ClassVar[str] = "MarketNotSingleSidedError()"



class MarketOverCloseError(MarketError):
    """The pending closes exceed the settled position."""

    name: ClassVar[str] = "MarketOverCloseError"
    signature: ClassVar[str] = "MarketOverCloseError()"



class MarketExceedsPendingIdLimitError(MarketError):
    """Too many unsettled orders (maxPendingGlobal / maxPendingLocal)."""

    name: ClassVar[str] = "MarketExceedsPendingIdLimitError"
    signature: ClassVar[str] = "MarketExceedsPendingIdLimitError()"



class MarketNotCoordinatorError(MarketError):
    """Only the coordinator or the factory owner may do this."""

    name: ClassVar[str] = "MarketNotCoordinatorError"
    signature: ClassVar[str] = "MarketNotCoordinatorError()"



class MarketNotOperatorError(MarketError):
    """Only the account or its operator may do this."""

    name: ClassVar[str] = "MarketNotOperatorError"
    signature: ClassVar[str] = "MarketNotOperatorError()"



class MarketInvalidProtectionError(MarketError):
    """The liquidation is not allowed (account maintained, or not a full close)."""

    name: ClassVar[str] = "MarketInvalidProtectionError"
    signature: ClassVar[str] = "MarketInvalidProtectionError()"



class MarketStalePriceError(MarketError):
    """The latest oracle version is invalid or older than staleAfter."""

    name: ClassVar[str] = "MarketStalePriceError"
    signature: ClassVar[str] = "MarketStalePriceError()"



class MarketEfficiencyUnderLimitError(MarketError):
    """maker / major would fall below the risk parameter efficiencyLimit."""

    name: ClassVar[str] = "MarketEfficiencyUnderLimitError"
    signature: ClassVar[str] = "MarketEfficiencyUnderLimitError()"



class MarketInvalidMarketParameterError(MarketError):
    """Invalid market parameter."""

    name: ClassVar[str] = "MarketInvalidMarketParameterError"
    signature: ClassVar[str] = "MarketInvalidMarketParameterError(uint256)"



class MarketInvalidRiskParameterError(MarketError):
    """Invalid risk parameter."""

    name: ClassVar[str] = "MarketInvalidRiskParameterError"
    signature: ClassVar[str] = "MarketInvalidRiskParameterError(uint256)"



class MarketInvalidReferrerError(MarketError):
    """A different referrer was already set for this order id."""

    name: ClassVar[str] = "MarketInvalidReferrerError"
    signature: ClassVar[str] = "MarketInvalidReferrerError()"



class MarketSettleOnlyError(MarketError):
    """The market is in settle-only mode."""

    name: ClassVar[str] = "MarketSettleOnlyError"
    signature: ClassVar[str] = "MarketSettleOnlyError()"



class MarketInvalidIntentFeeError(MarketError):
    """Intent fee above 100%."""

    name: ClassVar[str] = "MarketInvalidIntentFeeError"
    signature: ClassVar[str] = "MarketInvalidIntentFeeError()"



class MarketIntentPriceDeviationError(MarketError):
    """Intent price too far from the oracle price."""

    name: ClassVar[str] = "MarketIntentPriceDeviationError"
    signature: ClassVar[str] = "MarketIntentPriceDeviationError()"



class GlobalStorageInvalidError(StorageError):
    """A Global field does not fit its storage width."""

    name: ClassVar[str] = "GlobalStorageInvalidError"
    signature: ClassVar[str] = "GlobalStorageInvalidError()"



class LocalStorageInvalidError(StorageError):
    """A Local field does not fit its storage width."""

    name: ClassVar[str] = "LocalStorageInvalidError"
    signature: ClassVar[str] = "LocalStorageInvalidError()"



class MarketParameterStorageInvalidError(StorageError):
    """The market parameter is out of bounds."""

    name: ClassVar[str] = "MarketParameterStorageInvalidError"
    signature: ClassVar[str] = "MarketParameterStorageInvalidError()"



class PositionStorageLocalInvalidError(StorageError):
    """A local position does not fit its storage width."""

    name: ClassVar[str] = "PositionStorageLocalInvalidError"
    signature: ClassVar[str] = "PositionStorageLocalInvalidError()"



class PositionStorageGlobalInvalidError(StorageError):
    """The global position does not fit its storage width."""

    name: ClassVar[str] = "PositionStorageGlobalInvalidError"
    signature: ClassVar[str] = "PositionStorageGlobalInvalidError()"



class RiskParameterStorageInvalidError(StorageError):
    """The risk parameter is out of bounds."""

    name: ClassVar[str] = "RiskParameterStorageInvalidError"
    signature: ClassVar[str] = "RiskParameterStorageInvalidError()"



class VersionStorageInvalidError(StorageError):
    """A Version field does not fit its storage width."""

    name: ClassVar[str] = "VersionStorageInvalidError"
    signature: ClassVar[str] = "VersionStorageInvalidError()"



class CheckpointStorageInvalidError(StorageError):
    """A Checkpoint field does not fit its storage width."""

    name: ClassVar[str] = "CheckpointStorageInvalidError"
    signature: ClassVar[str] = "CheckpointStorageInvalidError()"



class OrderStorageInvalidError(StorageError):
    """An Order field does not fit its storage width."""

    name: ClassVar[str] = "OrderStorageInvalidError"
    signature: ClassVar[str] = "OrderStorageInvalidError()"



class ProtocolParameterStorageInvalidError(StorageError):
    """The protocol parameter is out of bounds."""

    name: ClassVar[str] = "ProtocolParameterStorageInvalidError"
    signature: ClassVar[str] = "ProtocolParameterStorageInvalidError()"


CONTRACT_ERRORS: dict[str, type[ContractError]] = {
    cls.name: cls
    for cls in (
        UFixed6UnderflowError,
        MarketInsufficientLiquidityError,
        MarketInsufficientMarginError,
        MarketInsufficientCollateralError,
        MarketProtectedError,
        MarketMakerOverLimitError,
        MarketClosedError,
        MarketCollateralBelowLimitError,
        MarketOperatorNotAllowedError,
        MarketNotSingleSidedError,
        MarketOverCloseError,
        MarketExceedsPendingIdLimitError,
        MarketNotCoordinatorError,
        MarketNotOperatorError,
        MarketInvalidProtectionError,
        MarketStalePriceError,
        MarketEfficiencyUnderLimitError,
        MarketInvalidMarketParameterError,
        MarketInvalidRiskParameterError,
        MarketInvalidReferrerError,
        MarketSettleOnlyError,
        MarketInvalidIntentFeeError,
        MarketIntentPriceDeviationError,
        GlobalStorageInvalidError,
        LocalStorageInvalidError,
        MarketParameterStorageInvalidError,
        PositionStorageLocalInvalidError,
        PositionStorageGlobalInvalidError,
        RiskParameterStorageInvalidError,
        VersionStorageInvalidError,
        CheckpointStorageInvalidError,
        OrderStorageInvalidError,
        ProtocolParameterStorageInvalidError,
    )
}
"""Every contract error class by its Solidity name."""


def contract_error(name: str, *args: Any, source: str = "revert", detail: str | None = None) -> ContractError:
    """Build the typed exception for a contract error name (unknown names give a plain ContractError)."""
    cls = CONTRACT_ERRORS.get(name)
    if cls is None:
        cls = type(name, (ContractError,), {"name": name, "signature": f"{name}()", "__module__": __name__})
    if cls is UFixed6UnderflowError:
        value = int(args[0]) if args else 0
        return UFixed6UnderflowError(left=0, right=-value, source=source)
    return cls(*args, source=source, detail=detail)
