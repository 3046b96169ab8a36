"""`perennial-vaults run`: one live cycle against the devnet, dry run by default, then executed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perennial_sdk.devnet import Devnet, dev_accounts
from vaults.cli import main
from vaults.risk import Breaker, BreakerTrippedError

pytestmark = pytest.mark.devnet


def test_run_dry_then_execute(devnet: Devnet, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    deployment = tmp_path / "deployment.json"
    deployment.write_text(devnet.deployment.to_json())
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    account = dev_accounts(8)[7]
    devnet.send(devnet.dsu.functions.approve(devnet.deployment.multi_invoker, 2**256 - 1), account.address)
    devnet.refresh_prices()
    args = ["run", "--rpc", str(url), "--deployment", str(deployment), "--weight", "ETH=0.6", "--weight", "BTC=0.4",
            "--leverage", "2"]
    assert main([*args, "--account", account.address]) == 0
    out = capsys.readouterr().out
    assert "would update" in out and "dry run" in out
    before = devnet.w3.eth.get_transaction_count(account.address)
    assert devnet.w3.eth.get_transaction_count(account.address) == before  # nothing was sent
    monkeypatch.setenv("PERENNIAL_PRIVATE_KEY", account.key.hex())
    assert main([*args, "--execute"]) == 0
    report = json.loads(capsys.readouterr().out.split("\n}")[0] + "\n}")
    assert report["sent"] == 1 and report["rejected"] == []
    assert devnet.w3.eth.get_transaction_count(account.address) == before + 1
    assert account.key.hex()[2:] not in capsys.readouterr().out


def test_breaker_trips_after_repeated_failures() -> None:
    breaker = Breaker(max_failures=2)
    breaker.failure("MarketStalePriceError")
    breaker.check()
    breaker.failure("MarketStalePriceError")
    with pytest.raises(BreakerTrippedError, match="2 consecutive failures"):
        breaker.check()
