"""``PerennialClient``: typed reads (one-request snapshots) and safe writes for Perennial V2.4."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from perennial_sdk.client._chains import ChainDeployment
from perennial_sdk.client._snapshot import LENS_ADDRESS, Snapshot, decode_snapshot, lens_call
from perennial_sdk import abi as abi_files
from perennial_sdk.errors import InputError, RpcError
from perennial_sdk.revert import decode_revert

__all__ = ["PerennialClient"]

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

    def __repr__(self) -> str:
        who = getattr(self.account, "address", None)
        return f"PerennialClient(chain={self.deployment.name!r}, account={who!r})"

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
