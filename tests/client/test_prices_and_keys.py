"""Price sources (Hermes over a loopback stub, MockPyth encoding) and key handling."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from eth_abi.abi import decode
from eth_account import Account

from perennial_sdk.client import (
    HermesPriceSource,
    MockPythPriceSource,
    signer_from_env,
    signer_from_key,
    signer_from_keystore,
)
from perennial_sdk.errors import InputError, RpcError

from .http_stub import JsonHandler, serve

FEED = "0x" + "ab" * 32


class _Hermes(JsonHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        _Hermes.requests.append(self.path)
        if not url.path.startswith("/v2/updates/price/"):
            self.answer(404)
            return
        publish_time = int(url.path.rsplit("/", 1)[1])
        ids = parse_qs(url.query)["ids[]"]
        if publish_time == 13:
            self.answer(503)
            return
        body = {
            "binary": {"encoding": "hex", "data": ["504e4155" + "00" * 8]},
            "parsed": [{"id": i.removeprefix("0x"), "price": {"price": "301234567890", "expo": -8,
                                                             "publish_time": publish_time}} for i in ids],
        }
        self.answer(200, body)


@pytest.fixture
def hermes() -> Iterator[str]:
    with serve(_Hermes) as url:
        yield url


def test_hermes_source_fetches_update_data_and_exact_price(hermes: str) -> None:
    update = HermesPriceSource(hermes).update(FEED, 1_700_000_002)
    assert update.data.hex().startswith("504e4155")
    assert update.price == 3_012_345_678  # 3012.34567890 truncated to 6 decimals
    assert update.publish_time == 1_700_000_002
    assert "ids%5B%5D=0x" + "ab" * 32 in _Hermes.requests[-1] or "ids[]=0x" in _Hermes.requests[-1]


def test_hermes_errors_are_typed(hermes: str) -> None:
    with pytest.raises(RpcError, match="HTTP 503"):
        HermesPriceSource(hermes).update(FEED, 13)
    with pytest.raises(RpcError, match="request failed"):
        HermesPriceSource("http://127.0.0.1:9", timeout=0.5).update(FEED, 1)


def test_mock_pyth_update_data_matches_the_contracts_encoding() -> None:
    source = MockPythPriceSource()
    source.set(FEED, 3_000_123_456)
    update = source.update(FEED, 1_000)
    feed, prev = decode(["(bytes32,(int64,uint64,int32,uint256),(int64,uint64,int32,uint256))", "uint64"], update.data)
    assert feed[0] == bytes.fromhex("ab" * 32) and feed[1] == (3_000_123_456, 0, -6, 1_000) and prev == 999
    with pytest.raises(InputError, match="no price set"):
        source.update("0x" + "cd" * 32, 1)


def test_keys_never_show_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    account = Account.create()
    key = account.key.hex()
    signer = signer_from_key(key)
    assert key.removeprefix("0x") not in repr(signer) + str(signer)
    assert signer.address == account.address
    monkeypatch.setenv("PERENNIAL_PRIVATE_KEY", key)
    assert signer_from_env().address == account.address
    with pytest.raises(InputError) as info:
        signer_from_key("0x1234" + key[6:-2])
    assert key[6:20] not in str(info.value) and "redacted" in repr(info.value.value)
    keystore = tmp_path / "key.json"
    keystore.write_text(json.dumps(Account.encrypt(account.key, "pw", iterations=2)))
    assert signer_from_keystore(keystore, "pw").address == account.address
    with pytest.raises(InputError, match="password"):
        signer_from_keystore(keystore, "wrong")
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(signer)
