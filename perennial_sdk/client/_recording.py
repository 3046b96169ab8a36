"""A recording HTTP provider: counts every JSON-RPC request that goes over the wire, by method."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from web3 import HTTPProvider
from web3.types import RPCEndpoint, RPCResponse

__all__ = ["RecordingHTTPProvider"]


class RecordingHTTPProvider(HTTPProvider):
    """``HTTPProvider`` that records each request's method (batch requests count once, as one HTTP POST)."""

    def __init__(self, endpoint_uri: str, **kwargs: Any) -> None:
        kwargs.setdefault("exception_retry_configuration", None)
        super().__init__(endpoint_uri, **kwargs)
        self.methods: Counter[str] = Counter()
        self.http_requests = 0
        self._lock = threading.Lock()

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        with self._lock:
            self.methods[str(method)] += 1
            self.http_requests += 1
        return super().make_request(method, params)

    def make_batch_request(self, requests: Any) -> Any:
        with self._lock:
            self.http_requests += 1
            for method, _ in requests:
                self.methods[str(method)] += 1
        return super().make_batch_request(requests)

    def reset(self) -> None:
        """Forget what was recorded."""
        with self._lock:
            self.methods.clear()
            self.http_requests = 0
