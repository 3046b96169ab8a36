"""The delta-hedged maker examples run as scripts and print their report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("script", "title"), [
    ("delta_neutral_maker.py", "DeltaNeutralMaker"),
    ("hedged_maker.py", "HedgedMaker + PaperHedger"),
])
def test_example_runs(script: str, title: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), "3"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert title in proc.stdout and "3 simulated days" in proc.stdout
    line = next(x for x in proc.stdout.splitlines() if x.startswith("max |net delta x price| / NAV"))
    assert float(line.rsplit(" ", 1)[1].rstrip("%")) <= 2.0
    assert "steps 73" in proc.stdout
