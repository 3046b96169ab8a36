"""The four market scenarios recorded from the real Market.sol replay with zero differences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from perennial_sdk.sim import replay_scenario
from perennial_sdk.sim.replay import diff_outputs as diff
from perennial_sdk.sim.replay import load_scenario

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
SCENARIOS = sorted(p.name.removesuffix(".json") for p in VECTORS.glob("*.json") if not p.name.endswith(".evm.json"))




def test_all_four_scenarios_present() -> None:
    assert SCENARIOS == [
        "scenario1_example", "scenario2_rounding", "scenario3_receiveonly_closed", "scenario4_reverts"
    ]


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_replays_exactly(name: str) -> None:
    ours = replay_scenario(load_scenario(VECTORS / f"{name}.json"))
    evm = json.loads((VECTORS / f"{name}.evm.json").read_text())
    differences = diff(ours, evm)
    assert differences == [], "\n".join(differences[:40])
    assert len(ours["events"]) == len(evm["events"]) > 0


def test_diff_detects_a_single_changed_field() -> None:
    evm = json.loads((VECTORS / "scenario2_rounding.evm.json").read_text())
    ours = replay_scenario(load_scenario(VECTORS / "scenario2_rounding.json"))
    ours["out"][3]["localB"]["collateral"] = "0.000001"
    assert len(diff(ours, evm)) == 1


def test_replay_cli_writes_the_evm_format(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-m", "perennial_sdk.cli", "replay", str(VECTORS / "scenario4_reverts.json"), "--out", str(out)],
        capture_output=True, text=True, check=True,
    )
    assert "reverts" in proc.stdout
    evm = json.loads((VECTORS / "scenario4_reverts.evm.json").read_text())
    assert diff(json.loads(out.read_text()), evm) == []


def test_replay_cli_reports_a_bad_scenario(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"protocol": {}}')
    proc = subprocess.run(
        [sys.executable, "-m", "perennial_sdk.cli", "replay", str(bad)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "ScenarioError" in proc.stderr
