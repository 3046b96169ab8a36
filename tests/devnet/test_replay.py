"""The four recorded Market.sol scenarios replay on the devnet contracts with zero differences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from web3 import Web3

from perennial_sdk import cli, errors
from perennial_sdk.devnet import Chain
from perennial_sdk.devnet.replay import replay_on_devnet
from perennial_sdk.sim.replay import Scenario, load_scenario
from perennial_sdk.sim.replay import diff_outputs as diff

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
SCENARIOS = sorted(p.name.removesuffix(".json") for p in VECTORS.glob("*.json") if not p.name.endswith(".evm.json"))




def test_all_four_scenarios_present() -> None:
    assert len(SCENARIOS) == 4


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_replays_exactly_on_the_devnet(w3: Web3, chain: Chain, name: str) -> None:
    block = chain.block_number()
    ours = replay_on_devnet(load_scenario(VECTORS / f"{name}.json"), w3=w3)
    evm = json.loads((VECTORS / f"{name}.evm.json").read_text())
    differences = diff(ours, evm)
    assert differences == [], "\n".join(differences[:40])
    assert len(ours["events"]) == len(evm["events"]) > 0
    assert chain.block_number() == block  # the replay ran inside a snapshot


def test_an_unexpected_revert_is_a_scenario_error(w3: Web3) -> None:
    data = json.loads((VECTORS / "scenario4_reverts.json").read_text())
    step = next(s for s in data["steps"] if s.get("expectRevert"))
    del step["expectRevert"]
    with pytest.raises(errors.ScenarioError) as info:
        replay_on_devnet(Scenario.model_validate(data), w3=w3)
    assert info.value.field == step["name"]
    assert "reverted with Market" in str(info.value)


def test_replay_cli_targets_the_devnet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`perennial-sdk replay --target devnet` (in-process: the CLI starts and stops its own anvil)."""
    out = tmp_path / "out.json"
    code = cli.main(["replay", str(VECTORS / "scenario4_reverts.json"), "--target", "devnet", "--out", str(out)])
    assert code == 0, capsys.readouterr()
    assert "reverts ->" in capsys.readouterr().out
    evm = json.loads((VECTORS / "scenario4_reverts.evm.json").read_text())
    assert diff(json.loads(out.read_text()), evm) == []
