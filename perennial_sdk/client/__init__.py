"""Typed client for Perennial V2.4: one-request snapshots, safe transactions, batched rebalances."""

from perennial_sdk.client._chains import (
    ARBITRUM,
    DEPLOYMENTS,
    PERENNIAL,
    ChainDeployment,
    deployment_for,
)
from perennial_sdk.client._client import PerennialClient, PositionUpdate, PriceCommit, TxRequest
from perennial_sdk.client._events import DecodedEvent, decode_logs
from perennial_sdk.client._history import AccountHistory, realized_history
from perennial_sdk.client._prices import (
    HermesPriceSource,
    MockPythPriceSource,
    PriceSource,
    PriceUpdate,
)
from perennial_sdk.client._recording import RecordingHTTPProvider
from perennial_sdk.client._snapshot import (
    AccountMetrics,
    AccountSnapshot,
    MarketMetrics,
    MarketSnapshot,
    Snapshot,
)
from perennial_sdk.client._stork import (
    DEVNET_STORK_KEY,
    DevStorkPriceSource,
    StorkPriceSource,
    encode_stork_update,
    sign_stork_value,
    stork_asset_id,
)
from perennial_sdk.client._tx import (
    FeePolicy,
    NonceManager,
    TransactionSender,
    TransientRpcError,
    TxResult,
)
from perennial_sdk.client.keys import Signer, signer_from_env, signer_from_key, signer_from_keystore

__all__ = [
    "ARBITRUM",
    "DEPLOYMENTS",
    "DEVNET_STORK_KEY",
    "PERENNIAL",
    "AccountHistory",
    "AccountMetrics",
    "AccountSnapshot",
    "ChainDeployment",
    "DecodedEvent",
    "DevStorkPriceSource",
    "FeePolicy",
    "HermesPriceSource",
    "MarketMetrics",
    "MarketSnapshot",
    "MockPythPriceSource",
    "NonceManager",
    "PerennialClient",
    "PositionUpdate",
    "PriceCommit",
    "PriceSource",
    "PriceUpdate",
    "RecordingHTTPProvider",
    "Signer",
    "Snapshot",
    "StorkPriceSource",
    "TransactionSender",
    "TransientRpcError",
    "TxRequest",
    "TxResult",
    "decode_logs",
    "deployment_for",
    "encode_stork_update",
    "realized_history",
    "sign_stork_value",
    "signer_from_env",
    "signer_from_key",
    "signer_from_keystore",
    "stork_asset_id",
]
