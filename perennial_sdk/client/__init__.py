"""Typed client for Perennial V2.4: one-request snapshots, safe transactions, batched rebalances."""

from perennial_sdk.client._chains import ARBITRUM, DEPLOYMENTS, PERENNIAL, ChainDeployment, deployment_for
from perennial_sdk.client._client import PerennialClient
from perennial_sdk.client._recording import RecordingHTTPProvider
from perennial_sdk.client._snapshot import AccountMetrics, AccountSnapshot, MarketMetrics, MarketSnapshot, Snapshot

__all__ = [
    "ARBITRUM",
    "DEPLOYMENTS",
    "PERENNIAL",
    "AccountMetrics",
    "AccountSnapshot",
    "ChainDeployment",
    "MarketMetrics",
    "MarketSnapshot",
    "PerennialClient",
    "RecordingHTTPProvider",
    "Snapshot",
    "deployment_for",
]
