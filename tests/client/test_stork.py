"""Stork price updates: the signing scheme checked on chain, the REST source over a loopback stub, and
(on Perennial's own bytecode) a client commit of a latest-only Stork price through the real StorkFactory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from eth_abi.abi import decode
from eth_account import Account
from web3 import Web3

from perennial_sdk.abi import abi
from perennial_sdk.client import (
    DEVNET_STORK_KEY,
    DevStorkPriceSource,
    PerennialClient,
    StorkPriceSource,
    sign_stork_value,
    signer_from_key,
    stork_asset_id,
)
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.devnet._tx import Transactor
from perennial_sdk.errors import InputError, RpcError

from .http_stub import JsonHandler, serve

U = 10**6
ETH = stork_asset_id("ETHUSD")
TOKEN = "c2VjcmV0LXN0b3JrLXRva2Vu"  # what a Basic auth token looks like; must never be printed
_ROW = "((uint64,int192),bytes32,bytes32,bytes32,bytes32,bytes32,uint8)[]"


def test_asset_ids_are_keccak_of_the_name() -> None:
    assert ETH == "0x" + Web3.keccak(text="ETHUSD").hex().removeprefix("0x")
    with pytest.raises(InputError, match="ASCII"):
        stork_asset_id("")


def test_mock_stork_accepts_the_sdk_signature_and_nothing_else(devnet: Devnet) -> None:
    tx = Transactor(devnet.w3)
    publisher = Account.from_key(DEVNET_STORK_KEY).address
    stork = devnet.w3.eth.contract(address=tx.deploy("MockStork", publisher, sender=devnet.deployment.owner),
                                   abi=abi("MockStork"))
    value = sign_stork_value(DEVNET_STORK_KEY, ETH, 1_750_000_123 * 10**9, 3_012_345_678 * 10**12)
    assert stork.functions.storkPublicKey().call() == publisher

    def verify(**changes: Any) -> bool:
        fields = {"key": publisher, "id": value.asset_id, "time": value.timestamp_ns, "q": value.quantized_value,
                  "root": value.publisher_merkle_root, "alg": value.value_compute_alg_hash, "v": value.v} | changes
        return bool(stork.functions.verifyStorkSignatureV1(fields["key"], fields["id"], fields["time"], fields["q"],
                                                           fields["root"], fields["alg"], value.r, value.s,
                                                           fields["v"]).call())

    assert verify()
    assert not verify(q=value.quantized_value + 1)
    assert not verify(time=value.timestamp_ns + 1)
    assert not verify(id=bytes.fromhex(stork_asset_id("BTCUSD")[2:]))
    assert not verify(key=devnet.deployment.owner)
    assert not verify(v=value.v ^ 1)
    other = sign_stork_value("0x" + "11" * 32, ETH, value.timestamp_ns, value.quantized_value)
    assert not bool(stork.functions.verifyStorkSignatureV1(publisher, other.asset_id, other.timestamp_ns,
                                                           other.quantized_value, other.publisher_merkle_root,
                                                           other.value_compute_alg_hash, other.r, other.s,
                                                           other.v).call())


def test_dev_source_encodes_what_the_factory_decodes() -> None:
    source = DevStorkPriceSource()
    source.set(ETH, 3_012_345_678)
    update = source.update(ETH, 1_750_000_009)
    ((row,),) = decode([_ROW], update.data)
    (timestamp_ns, quantized), asset_id, *_ = row
    assert (timestamp_ns, quantized, "0x" + asset_id.hex()) == (1_750_000_009 * 10**9, 3_012_345_678 * 10**12, ETH)
    assert (update.price, update.publish_time, update.fee) == (3_012_345_678, 1_750_000_009, 0)
    assert DEVNET_STORK_KEY[2:] not in repr(source)
    with pytest.raises(InputError, match="no price set"):
        source.update(stork_asset_id("BTCUSD"), 1)
    with pytest.raises(InputError, match="raw 6-decimal"):
        source.set(ETH, 1.5)  # type: ignore[arg-type]


class _Stork(JsonHandler):
    """Stork's ``/v1/prices/latest`` shape, signed with the devnet publisher key."""

    seen: ClassVar[list[tuple[str, str]]] = []
    publish_time: ClassVar[int] = 1_750_000_000
    mode: ClassVar[str] = "ok"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlparse(self.path)
        _Stork.seen.append((self.path, self.headers.get("Authorization", "")))
        if self.headers.get("Authorization") != f"Basic {TOKEN}":
            self.answer(401, {"error": "unauthorized"})
            return
        name = parse_qs(url.query)["assets"][0]
        if _Stork.mode == "malformed":
            self.answer(200, {"data": {name: {"price": "1"}}})
            return
        ident = stork_asset_id("BTCUSD" if _Stork.mode == "wrong-asset" else name)
        stamp = _Stork.publish_time * 10**9 + 123_456_789  # ns, not on a whole second
        value = sign_stork_value(DEVNET_STORK_KEY, ident, stamp, 3_012_345_678_901_234_567_890)
        signed = {
            "public_key": Account.from_key(DEVNET_STORK_KEY).address,
            "encoded_asset_id": ident,
            "price": str(value.quantized_value),
            "timestamped_signature": {"signature": {"r": "0x" + value.r.hex(), "s": "0x" + value.s.hex(),
                                                    "v": hex(value.v)}, "timestamp": stamp, "msg_hash": "0x"},
            "publisher_merkle_root": "0x" + value.publisher_merkle_root.hex(),
            "calculation_alg": {"type": "median", "version": "v1", "checksum": value.value_compute_alg_hash.hex()},
        }
        self.answer(200, {"data": {name: {"timestamp": stamp, "asset_id": name, "price": signed["price"],
                                           "stork_signed_price": signed}}})



@pytest.fixture
def stork_api() -> Iterator[str]:
    _Stork.mode = "ok"
    with serve(_Stork) as url:
        yield url


def test_rest_source_maps_the_signed_price(stork_api: str) -> None:
    source = StorkPriceSource(TOKEN, endpoint=stork_api)
    update = source.update(ETH, 0)
    assert _Stork.seen[-1] == ("/v1/prices/latest?assets=ETHUSD", f"Basic {TOKEN}")
    assert update.price == 3_012_345_678  # 3012.345678901234567890 truncated to 6 decimals, as the factory does
    assert update.publish_time == _Stork.publish_time  # ns floored to the second
    ((row,),) = decode([_ROW], update.data)
    assert row[0] == (_Stork.publish_time * 10**9 + 123_456_789, 3_012_345_678_901_234_567_890)
    assert "0x" + row[1].hex() == ETH
    assert TOKEN not in repr(source)


def test_rest_source_errors_are_typed_and_keep_the_token_out(stork_api: str) -> None:
    for mode, match in (("malformed", "malformed Stork response"), ("wrong-asset", "answered for")):
        _Stork.mode = mode
        with pytest.raises(RpcError, match=match) as caught:
            StorkPriceSource(TOKEN, endpoint=stork_api).update(ETH, 0)
        assert TOKEN not in str(caught.value)
    with pytest.raises(RpcError, match="HTTP 401") as caught:
        StorkPriceSource("wrong", endpoint=stork_api).update(ETH, 0)
    with pytest.raises(InputError, match="no Stork asset name"):
        StorkPriceSource(TOKEN, endpoint=stork_api).update("0x" + "00" * 32, 0)
    with pytest.raises(RpcError, match="request failed"):
        StorkPriceSource(TOKEN, endpoint="http://127.0.0.1:9", timeout=0.5).update(ETH, 0)
    with pytest.raises(InputError, match="token"):
        StorkPriceSource("")


def test_client_commits_a_latest_only_price_through_the_real_stork_factory(devnet: Devnet, stork_api: str) -> None:
    """Stork serves its latest value only: the client commits it at the version its publish time is valid
    for. Runs on Perennial's own bytecode (``$PERENNIAL_DEPLOYMENTS_DIR``), where StorkFactory is real."""
    if devnet.deployment.price_feed != "stork":
        pytest.skip("needs Perennial's StorkFactory: set $PERENNIAL_DEPLOYMENTS_DIR")
    key = dev_accounts(6)[5]
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    client = PerennialClient(Web3(Web3.HTTPProvider(str(url))), devnet.deployment.chain_deployment(),
                             account=signer_from_key(key.key))
    eth = devnet.deployment.markets["ETH"].market
    devnet.advance_time(60)
    _Stork.publish_time = devnet.now() - 1  # published a second ago
    result = client.commit_price(eth, StorkPriceSource(TOKEN, endpoint=stork_api))
    (fulfilled,) = result.events_named("OracleProviderVersionFulfilled")
    valid_from = devnet.deployment.oracle.valid_from
    assert fulfilled.args["version"]["timestamp"] == _Stork.publish_time - valid_from
    assert devnet.latest_price("ETH") == 3_012_345_678
