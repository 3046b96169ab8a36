"""Every error the SDK raises, as one tree.

    PerennialError
    ├── RpcError                                the node or the transport failed (retryable or not)
    ├── InputError (ValueError)                 bad input, caught before any RPC or state change
    │   ├── FixedPointError (ArithmeticError)   division by zero, overflow, >6 decimals, floats
    │   │   └── UFixed6UnderflowError           also a ContractError (the root library's error)
    │   ├── InvalidParameterError               a parameter outside the contracts' `validate` bounds
    │   └── ScenarioError                       a malformed scenario file
    └── ContractError                           a Perennial custom error, by its contract name
        ├── MarketError                         Market.sol / InvariantLib errors (one class each)
        ├── StorageError                        *StorageInvalidError (a value wider than its slot)
        ├── FactoryError, OracleError, TokenError, PeripheryError, MathError, PythError
        └── ...                                 one class per custom error in the SDK's ABIs

A :class:`ContractError` is raised the same way whether it was predicted off-chain (``source =
"preflight"`` or ``"sim"``) or decoded from an on-chain revert (``source = "revert"``), so one
``except MarketInsufficientMarginError`` covers both.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "CONTRACT_ERRORS",
    "Adiabatic6ZeroScaleError",
    "CheckpointStorageInvalidError",
    "ContractError",
    "CurveMath6OutOfBoundsError",
    "DivisionByZero",
    "FactoryAlreadyRegisteredError",
    "FactoryCloneFailedError",
    "FactoryError",
    "FactoryInvalidOracleError",
    "FactoryNotOwnerError",
    "Fixed6OverflowError",
    "FixedPointError",
    "GlobalStorageInvalidError",
    "InitializableAlreadyInitializedError",
    "InputError",
    "InstanceNotFactoryError",
    "InstanceNotOwnerError",
    "InsufficientFee",
    "InvalidArgument",
    "InvalidParameterError",
    "InvalidTwapUpdateDataSet",
    "KeeperFactoryAlreadyCreatedError",
    "KeeperFactoryInvalidParameterError",
    "KeeperFactoryInvalidSettleError",
    "KeeperFactoryInvalidVersionError",
    "KeeperFactoryNotCreatedError",
    "KeeperFactoryNotOwnerError",
    "KeeperFactoryVersionOutsideRangeError",
    "KeeperOracleInvalidCallbackError",
    "KeeperOracleInvalidPriceError",
    "KeeperOracleNotBeneficiaryError",
    "KeeperOracleNotFactoryError",
    "KeeperOracleNotMarketError",
    "KeeperOracleNotOracleError",
    "KeeperOracleNotOwnerError",
    "KeeperOracleVersionOutsideRangeError",
    "LocalStorageInvalidError",
    "MarketClosedError",
    "MarketCollateralBelowLimitError",
    "MarketEfficiencyUnderLimitError",
    "MarketError",
    "MarketExceedsPendingIdLimitError",
    "MarketFactoryInvalidReferralFeeError",
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
    "MathError",
    "MockAggregatorNotOwnerError",
    "MultiInvokerInvalidInstanceError",
    "MultiInvokerTransferFailedError",
    "MultiInvokerUnauthorizedError",
    "MultiInvokerUnsupportedActionError",
    "Multicall3CallFailedError",
    "Multicall3ValueMismatchError",
    "NoFreshUpdate",
    "OracleError",
    "OracleProviderUnauthorizedError",
    "OrderStorageInvalidError",
    "PerennialError",
    "PeripheryError",
    "PositionStorageGlobalInvalidError",
    "PositionStorageInvalidError",
    "PositionStorageLocalInvalidError",
    "PriceFeedNotFound",
    "PriceFeedNotFoundWithinRange",
    "ProtocolParameterStorageInvalidError",
    "PythError",
    "ReentrancyGuardReentrantCallError",
    "ReserveTransferFailedError",
    "RiskParameterStorageInvalidError",
    "RpcError",
    "ScenarioError",
    "StalePrice",
    "StorageError",
    "TestOracleNotOwnerError",
    "TokenError",
    "TokenInsufficientAllowanceError",
    "TokenInsufficientBalanceError",
    "TokenNotMinterError",
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


class RpcError(PerennialError):
    """The node or the transport failed (timeouts, 5xx, malformed responses): not a contract revert."""

    code: ClassVar[str] = "rpc_error"


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


class FactoryError(ContractError):
    """A factory or instance error."""


class MathError(ContractError):
    """A root-library math error."""


class OracleError(ContractError):
    """An oracle (KeeperOracle / keeper factory) error."""


class PeripheryError(ContractError):
    """A MultiInvoker / Multicall3 error."""


class PythError(ContractError):
    """An error of the Pyth contract (MockPyth on the devnet)."""


class TokenError(ContractError):
    """A token or reserve error."""


class Adiabatic6ZeroScaleError(MathError):
    """``Adiabatic6ZeroScaleError()``."""

    name: ClassVar[str] = "Adiabatic6ZeroScaleError"
    signature: ClassVar[str] = "Adiabatic6ZeroScaleError()"


class CurveMath6OutOfBoundsError(MathError):
    """``CurveMath6OutOfBoundsError()``."""

    name: ClassVar[str] = "CurveMath6OutOfBoundsError"
    signature: ClassVar[str] = "CurveMath6OutOfBoundsError()"


class DivisionByZero(PythError):
    """``DivisionByZero()``."""

    name: ClassVar[str] = "DivisionByZero"
    signature: ClassVar[str] = "DivisionByZero()"


class FactoryAlreadyRegisteredError(FactoryError):
    """``FactoryAlreadyRegisteredError()``."""

    name: ClassVar[str] = "FactoryAlreadyRegisteredError"
    signature: ClassVar[str] = "FactoryAlreadyRegisteredError()"


class FactoryCloneFailedError(FactoryError):
    """``FactoryCloneFailedError()``."""

    name: ClassVar[str] = "FactoryCloneFailedError"
    signature: ClassVar[str] = "FactoryCloneFailedError()"


class FactoryInvalidOracleError(FactoryError):
    """``FactoryInvalidOracleError()``."""

    name: ClassVar[str] = "FactoryInvalidOracleError"
    signature: ClassVar[str] = "FactoryInvalidOracleError()"


class FactoryNotOwnerError(FactoryError):
    """``FactoryNotOwnerError(address)``."""

    name: ClassVar[str] = "FactoryNotOwnerError"
    signature: ClassVar[str] = "FactoryNotOwnerError(address)"


class Fixed6OverflowError(MathError):
    """``Fixed6OverflowError(uint256)``."""

    name: ClassVar[str] = "Fixed6OverflowError"
    signature: ClassVar[str] = "Fixed6OverflowError(uint256)"


class InitializableAlreadyInitializedError(FactoryError):
    """``InitializableAlreadyInitializedError(uint256)``."""

    name: ClassVar[str] = "InitializableAlreadyInitializedError"
    signature: ClassVar[str] = "InitializableAlreadyInitializedError(uint256)"


class InstanceNotFactoryError(FactoryError):
    """``InstanceNotFactoryError(address)``."""

    name: ClassVar[str] = "InstanceNotFactoryError"
    signature: ClassVar[str] = "InstanceNotFactoryError(address)"


class InstanceNotOwnerError(FactoryError):
    """``InstanceNotOwnerError(address)``."""

    name: ClassVar[str] = "InstanceNotOwnerError"
    signature: ClassVar[str] = "InstanceNotOwnerError(address)"


class InsufficientFee(PythError):
    """``InsufficientFee()``."""

    name: ClassVar[str] = "InsufficientFee"
    signature: ClassVar[str] = "InsufficientFee()"


class InvalidArgument(PythError):
    """``InvalidArgument()``."""

    name: ClassVar[str] = "InvalidArgument"
    signature: ClassVar[str] = "InvalidArgument()"


class InvalidTwapUpdateDataSet(PythError):
    """``InvalidTwapUpdateDataSet()``."""

    name: ClassVar[str] = "InvalidTwapUpdateDataSet"
    signature: ClassVar[str] = "InvalidTwapUpdateDataSet()"


class KeeperFactoryAlreadyCreatedError(OracleError):
    """``KeeperFactoryAlreadyCreatedError()``."""

    name: ClassVar[str] = "KeeperFactoryAlreadyCreatedError"
    signature: ClassVar[str] = "KeeperFactoryAlreadyCreatedError()"


class KeeperFactoryInvalidParameterError(OracleError):
    """``KeeperFactoryInvalidParameterError()``."""

    name: ClassVar[str] = "KeeperFactoryInvalidParameterError"
    signature: ClassVar[str] = "KeeperFactoryInvalidParameterError()"


class KeeperFactoryInvalidSettleError(OracleError):
    """``KeeperFactoryInvalidSettleError()``."""

    name: ClassVar[str] = "KeeperFactoryInvalidSettleError"
    signature: ClassVar[str] = "KeeperFactoryInvalidSettleError()"


class KeeperFactoryInvalidVersionError(OracleError):
    """``KeeperFactoryInvalidVersionError()``."""

    name: ClassVar[str] = "KeeperFactoryInvalidVersionError"
    signature: ClassVar[str] = "KeeperFactoryInvalidVersionError()"


class KeeperFactoryNotCreatedError(OracleError):
    """``KeeperFactoryNotCreatedError()``."""

    name: ClassVar[str] = "KeeperFactoryNotCreatedError"
    signature: ClassVar[str] = "KeeperFactoryNotCreatedError()"


class KeeperFactoryNotOwnerError(OracleError):
    """``KeeperFactoryNotOwnerError()``."""

    name: ClassVar[str] = "KeeperFactoryNotOwnerError"
    signature: ClassVar[str] = "KeeperFactoryNotOwnerError()"


class KeeperFactoryVersionOutsideRangeError(OracleError):
    """``KeeperFactoryVersionOutsideRangeError()``."""

    name: ClassVar[str] = "KeeperFactoryVersionOutsideRangeError"
    signature: ClassVar[str] = "KeeperFactoryVersionOutsideRangeError()"


class KeeperOracleInvalidCallbackError(OracleError):
    """``KeeperOracleInvalidCallbackError()``."""

    name: ClassVar[str] = "KeeperOracleInvalidCallbackError"
    signature: ClassVar[str] = "KeeperOracleInvalidCallbackError()"


class KeeperOracleInvalidPriceError(OracleError):
    """``KeeperOracleInvalidPriceError()``."""

    name: ClassVar[str] = "KeeperOracleInvalidPriceError"
    signature: ClassVar[str] = "KeeperOracleInvalidPriceError()"


class KeeperOracleNotBeneficiaryError(OracleError):
    """``KeeperOracleNotBeneficiaryError()``."""

    name: ClassVar[str] = "KeeperOracleNotBeneficiaryError"
    signature: ClassVar[str] = "KeeperOracleNotBeneficiaryError()"


class KeeperOracleNotFactoryError(OracleError):
    """``KeeperOracleNotFactoryError()``."""

    name: ClassVar[str] = "KeeperOracleNotFactoryError"
    signature: ClassVar[str] = "KeeperOracleNotFactoryError()"


class KeeperOracleNotMarketError(OracleError):
    """``KeeperOracleNotMarketError()``."""

    name: ClassVar[str] = "KeeperOracleNotMarketError"
    signature: ClassVar[str] = "KeeperOracleNotMarketError()"


class KeeperOracleNotOracleError(OracleError):
    """``KeeperOracleNotOracleError()``."""

    name: ClassVar[str] = "KeeperOracleNotOracleError"
    signature: ClassVar[str] = "KeeperOracleNotOracleError()"


class KeeperOracleNotOwnerError(OracleError):
    """``KeeperOracleNotOwnerError()``."""

    name: ClassVar[str] = "KeeperOracleNotOwnerError"
    signature: ClassVar[str] = "KeeperOracleNotOwnerError()"


class KeeperOracleVersionOutsideRangeError(OracleError):
    """``KeeperOracleVersionOutsideRangeError()``."""

    name: ClassVar[str] = "KeeperOracleVersionOutsideRangeError"
    signature: ClassVar[str] = "KeeperOracleVersionOutsideRangeError()"


class MarketFactoryInvalidReferralFeeError(FactoryError):
    """``MarketFactoryInvalidReferralFeeError()``."""

    name: ClassVar[str] = "MarketFactoryInvalidReferralFeeError"
    signature: ClassVar[str] = "MarketFactoryInvalidReferralFeeError()"


class MultiInvokerInvalidInstanceError(PeripheryError):
    """``MultiInvokerInvalidInstanceError()``."""

    name: ClassVar[str] = "MultiInvokerInvalidInstanceError"
    signature: ClassVar[str] = "MultiInvokerInvalidInstanceError()"


class MultiInvokerTransferFailedError(PeripheryError):
    """``MultiInvokerTransferFailedError()``."""

    name: ClassVar[str] = "MultiInvokerTransferFailedError"
    signature: ClassVar[str] = "MultiInvokerTransferFailedError()"


class MultiInvokerUnauthorizedError(PeripheryError):
    """``MultiInvokerUnauthorizedError()``."""

    name: ClassVar[str] = "MultiInvokerUnauthorizedError"
    signature: ClassVar[str] = "MultiInvokerUnauthorizedError()"


class MultiInvokerUnsupportedActionError(PeripheryError):
    """``MultiInvokerUnsupportedActionError()``."""

    name: ClassVar[str] = "MultiInvokerUnsupportedActionError"
    signature: ClassVar[str] = "MultiInvokerUnsupportedActionError()"


class Multicall3CallFailedError(PeripheryError):
    """``Multicall3CallFailedError(uint256,bytes)``."""

    name: ClassVar[str] = "Multicall3CallFailedError"
    signature: ClassVar[str] = "Multicall3CallFailedError(uint256,bytes)"


class Multicall3ValueMismatchError(PeripheryError):
    """``Multicall3ValueMismatchError()``."""

    name: ClassVar[str] = "Multicall3ValueMismatchError"
    signature: ClassVar[str] = "Multicall3ValueMismatchError()"


class NoFreshUpdate(PythError):
    """``NoFreshUpdate()``."""

    name: ClassVar[str] = "NoFreshUpdate"
    signature: ClassVar[str] = "NoFreshUpdate()"


class OracleProviderUnauthorizedError(OracleError):
    """``OracleProviderUnauthorizedError()``."""

    name: ClassVar[str] = "OracleProviderUnauthorizedError"
    signature: ClassVar[str] = "OracleProviderUnauthorizedError()"


class PositionStorageInvalidError(StorageError):
    """``PositionStorageInvalidError()``."""

    name: ClassVar[str] = "PositionStorageInvalidError"
    signature: ClassVar[str] = "PositionStorageInvalidError()"


class PriceFeedNotFound(PythError):
    """``PriceFeedNotFound()``."""

    name: ClassVar[str] = "PriceFeedNotFound"
    signature: ClassVar[str] = "PriceFeedNotFound()"


class PriceFeedNotFoundWithinRange(PythError):
    """``PriceFeedNotFoundWithinRange()``."""

    name: ClassVar[str] = "PriceFeedNotFoundWithinRange"
    signature: ClassVar[str] = "PriceFeedNotFoundWithinRange()"


class ReentrancyGuardReentrantCallError(ContractError):
    """``ReentrancyGuardReentrantCallError()``."""

    name: ClassVar[str] = "ReentrancyGuardReentrantCallError"
    signature: ClassVar[str] = "ReentrancyGuardReentrantCallError()"


class ReserveTransferFailedError(TokenError):
    """``ReserveTransferFailedError()``."""

    name: ClassVar[str] = "ReserveTransferFailedError"
    signature: ClassVar[str] = "ReserveTransferFailedError()"


class StalePrice(PythError):
    """``StalePrice()``."""

    name: ClassVar[str] = "StalePrice"
    signature: ClassVar[str] = "StalePrice()"


class MockAggregatorNotOwnerError(OracleError):
    """``MockAggregatorNotOwnerError()``: only the devnet feed's owner sets its answer."""

    name: ClassVar[str] = "MockAggregatorNotOwnerError"
    signature: ClassVar[str] = "MockAggregatorNotOwnerError()"


class TestOracleNotOwnerError(OracleError):
    """``TestOracleNotOwnerError()``."""

    name: ClassVar[str] = "TestOracleNotOwnerError"
    signature: ClassVar[str] = "TestOracleNotOwnerError()"


class TokenInsufficientAllowanceError(TokenError):
    """``TokenInsufficientAllowanceError()``."""

    name: ClassVar[str] = "TokenInsufficientAllowanceError"
    signature: ClassVar[str] = "TokenInsufficientAllowanceError()"


class TokenInsufficientBalanceError(TokenError):
    """``TokenInsufficientBalanceError()``."""

    name: ClassVar[str] = "TokenInsufficientBalanceError"
    signature: ClassVar[str] = "TokenInsufficientBalanceError()"


class TokenNotMinterError(TokenError):
    """``TokenNotMinterError()``."""

    name: ClassVar[str] = "TokenNotMinterError"
    signature: ClassVar[str] = "TokenNotMinterError()"


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
        Adiabatic6ZeroScaleError,
        CurveMath6OutOfBoundsError,
        DivisionByZero,
        FactoryAlreadyRegisteredError,
        FactoryCloneFailedError,
        FactoryInvalidOracleError,
        FactoryNotOwnerError,
        Fixed6OverflowError,
        InitializableAlreadyInitializedError,
        InstanceNotFactoryError,
        InstanceNotOwnerError,
        InsufficientFee,
        InvalidArgument,
        InvalidTwapUpdateDataSet,
        KeeperFactoryAlreadyCreatedError,
        KeeperFactoryInvalidParameterError,
        KeeperFactoryInvalidSettleError,
        KeeperFactoryInvalidVersionError,
        KeeperFactoryNotCreatedError,
        KeeperFactoryNotOwnerError,
        KeeperFactoryVersionOutsideRangeError,
        KeeperOracleInvalidCallbackError,
        KeeperOracleInvalidPriceError,
        KeeperOracleNotBeneficiaryError,
        KeeperOracleNotFactoryError,
        KeeperOracleNotMarketError,
        KeeperOracleNotOracleError,
        KeeperOracleNotOwnerError,
        KeeperOracleVersionOutsideRangeError,
        MarketFactoryInvalidReferralFeeError,
        MultiInvokerInvalidInstanceError,
        MultiInvokerTransferFailedError,
        MultiInvokerUnauthorizedError,
        MultiInvokerUnsupportedActionError,
        MockAggregatorNotOwnerError,
        Multicall3CallFailedError,
        Multicall3ValueMismatchError,
        NoFreshUpdate,
        OracleProviderUnauthorizedError,
        PositionStorageInvalidError,
        PriceFeedNotFound,
        PriceFeedNotFoundWithinRange,
        ReentrancyGuardReentrantCallError,
        ReserveTransferFailedError,
        StalePrice,
        TestOracleNotOwnerError,
        TokenInsufficientAllowanceError,
        TokenInsufficientBalanceError,
        TokenNotMinterError,
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
