"""Every example script runs as a user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(("script", "args", "expect"), [
    ("leveraged_maker.py", ["2"], "APR net"),
    ("devnet_snapshot.py", [], "1 JSON-RPC request"),
    ("deposit_redeem.py", [], "books reconcile to the unit: True"),
])
def test_example_runs(script: str, args: list[str], expect: str) -> None:
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert expect in proc.stdout
