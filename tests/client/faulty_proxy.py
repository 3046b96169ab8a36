"""A loopback JSON-RPC proxy that injects faults between a client and anvil (test tooling only).

Per request, with probability ``rate``, one fault of ``modes`` is injected:

* ``http_502``: answer 502 without forwarding (the node never saw it);
* ``drop_before``: close the connection without forwarding;
* ``drop_after``: forward, let the node process it, then close without answering;
* ``slow_after``: forward, then answer only after the client's timeout (it sees a timeout).

``on_send_raw`` lets a test race the client (e.g. consume its nonce) right before a raw
transaction is forwarded. Every decision comes from a seeded RNG; the proxy stops with ``close()``.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("http_502", "drop_before", "drop_after", "slow_after")


class FaultyProxy:
    def __init__(self, upstream: str, *, rate: float = 0.3, seed: int = 0, slow_seconds: float = 1.5,
                 modes: tuple[str, ...] = MODES) -> None:
        self.upstream = upstream
        self.rate = rate
        self.rng = random.Random(seed)
        self.slow_seconds = slow_seconds
        self.modes = modes
        self.faults: Counter[str] = Counter()
        self.requests = 0
        self.enabled = True
        self.on_send_raw: Callable[[dict[str, Any]], None] | None = None
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                proxy.handle(self, body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _forward(self, body: bytes) -> bytes:
        req = urllib.request.Request(self.upstream, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            data: bytes = resp.read()
            return data

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        with self._lock:
            self.requests += 1
            mode = self.rng.choice(self.modes) if self.enabled and self.rng.random() < self.rate else None
        try:
            request = json.loads(body)
        except json.JSONDecodeError:
            request = {}
        if isinstance(request, dict) and request.get("method") == "eth_sendRawTransaction" and self.on_send_raw:
            self.on_send_raw(request)
        if mode is not None:
            self.faults[mode] += 1
        if mode == "http_502":
            handler.send_response(502)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if mode == "drop_before":
            handler.close_connection = True
            handler.connection.close()
            return
        answer = self._forward(body)
        if mode == "drop_after":
            handler.close_connection = True
            handler.connection.close()
            return
        if mode == "slow_after":
            time.sleep(self.slow_seconds)
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(answer)))
            handler.end_headers()
            handler.wfile.write(answer)
        except OSError:
            pass

    @property
    def total_faults(self) -> int:
        return sum(self.faults.values())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
