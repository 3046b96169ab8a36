"""vaults.ledger survives a process killed at any point: replaying the script with the same keys
gives exactly the state of a run that never crashed ("no deposit lost, nothing double-counted").

For every crash point k (every step boundary and every fault point *inside* each operation's
transaction, e.g. after a checkpoint has updated half the queue), a child process runs the script
on a SQLite file and kills itself at point k — ``os._exit`` or ``SIGKILL``, no cleanup, no
rollback, the WAL left as it was. The test then reopens the file, replays the whole script with the
same keys and compares shares, locked shares, pending deposits, claimables, totals and the full
operation history with a run that never crashed.

To stay fast, the test starts one interpreter per batch of crash points (``child.py --fork``), which
forks one process per point; each forked process opens the SQLite file itself and is the one that
dies. ``test_crash_during_the_replay_too`` runs the plain one-process-per-crash form.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from vaults.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import json
import os
import signal
import sys

from vaults.ledger import Ledger


def run(ledger, steps, point):
    for i, step in enumerate(steps):
        point(f"step{i}:{step['op']}")
        op = step["op"]
        if op == "deposit":
            ledger.request_deposit(step["who"], step["amount"], key=step["key"])
        elif op == "redeem":
            ledger.request_redeem(step["who"], step["shares"], key=step["key"])
        elif op == "claim":
            ledger.claim(step["who"], key=step["key"])
        else:
            ledger.checkpoint(step["nav"], checkpoint_id=step["key"])
    point("end")


def crash_at(path, steps, k, mode):
    """Run the script on ``path`` and die at fault point ``k`` (never returns if it is reached)."""
    seen = []

    def point(name):
        seen.append(name)
        if len(seen) - 1 == k:
            sys.stderr.write(f"crash at {k}: {name}\n")
            sys.stderr.flush()
            if mode == "sigkill":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(86)

    ledger = Ledger(path)
    ledger._fault_hook = point
    run(ledger, steps, point)
    print(json.dumps(seen))


if __name__ == "__main__":
    # child.py DB STEPS K MODE: run and crash at K.
    # child.py --fork PREFIX STEPS K1,K2,... : for each K fork a process that crashes at K on
    # PREFIX<K>.sqlite (SIGKILL for odd K, os._exit for even K); print {K: exit code}
    # (one interpreter start for all K: the children are real processes, killed for real).
    if sys.argv[1] == "--fork":
        prefix, steps_file, ks = sys.argv[2:]
        with open(steps_file) as f:
            steps = json.load(f)
        codes = {}
        for k in map(int, ks.split(",")):
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    crash_at(f"{prefix}{k}.sqlite", steps, k, "sigkill" if k % 2 else "exit")
                finally:
                    os._exit(0)  # reached only if point k does not exist
            codes[k] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        print(json.dumps(codes))
    else:
        path, steps_file, k, mode = sys.argv[1:]
        with open(steps_file) as f:
            crash_at(path, json.load(f), int(k), mode)
'''

_namespace: dict[str, Any] = {"__name__": "ledger_crash_child"}
exec(compile(CHILD, "ledger_crash_child", "exec"), _namespace)  # noqa: S102 -- the child script, run in-process
run_script: Callable[[Ledger, list[dict[str, Any]], Callable[[str], None]], None] = _namespace[
    "run"
]

DEPOSITORS = ("alice", "bob", "carol")

# (op, who, amount/shares) or ("checkpoint", pnl on the share NAV in raw units)
PLAN: list[tuple[Any, ...]] = [
    ("deposit", "alice", 1_000_000_000),
    ("deposit", "bob", 2_500_000_000),
    ("checkpoint", 0),
    ("deposit", "carol", 777_777_777),
    ("redeem", "alice", 400_000_000),
    ("deposit", "bob", 3),
    ("checkpoint", 105_000_001),
    ("claim", "alice"),
    ("redeem", "bob", 1_000_000_000),
    ("deposit", "alice", 123_456_789),
    ("redeem", "carol", 111_111_111),
    ("checkpoint", -210_987_653),
    ("claim", "bob"),
    ("claim", "carol"),
    ("redeem", "alice", 600_000_000),
    ("checkpoint", 7),
    ("claim", "alice"),
]


def resolve(plan: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Turn PnL into fixed NAVs (what the caller reads at each rebalance's receipt block)."""
    reference = Ledger()
    steps: list[dict[str, Any]] = []
    for i, entry in enumerate(plan):
        op = entry[0]
        step: dict[str, Any] = {"op": op, "key": f"{op}-{i}"}
        if op == "deposit":
            step.update(who=entry[1], amount=entry[2])
        elif op == "redeem":
            step.update(who=entry[1], shares=entry[2])
        elif op == "claim":
            step.update(who=entry[1])
        else:
            step.update(nav=reference.totals().book_assets + entry[1])
        run_script(reference, [step], lambda _: None)
        steps.append(step)
    return steps


def state(ledger: Ledger) -> tuple[Any, ...]:
    return (
        ledger.totals(),
        [ledger.balance(who) for who in DEPOSITORS],
        ledger.history(),
        ledger.share_price(),
    )


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return resolve(PLAN)


def test_crash_at_every_point_then_replay_equals_a_clean_run(
    steps: list[dict[str, Any]], tmp_path: Path
) -> None:
    clean = Ledger(tmp_path / "clean.sqlite")
    points: list[str] = []
    clean._fault_hook = points.append
    run_script(clean, steps, points.append)
    expected = state(clean)
    assets = clean.totals().book_assets
    clean.reconcile(assets).check()
    # every operation's transaction has inner fault points, and the checkpoints fault per queue entry
    assert len(points) > 3 * len(steps)
    assert sum(p.startswith("checkpoint:") for p in points) >= 10

    steps_file = tmp_path / "steps.json"
    steps_file.write_text(json.dumps(steps))
    child = tmp_path / "child.py"
    child.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

    workers = max(2, min(4, os.cpu_count() or 2))
    batches = [list(range(len(points)))[w::workers] for w in range(workers)]

    def fork_batch(ks: list[int]) -> dict[int, int]:
        proc = subprocess.run(
            [sys.executable, str(child), "--fork", str(tmp_path / "crash"), str(steps_file)]
            + [",".join(map(str, ks))],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        for k in ks:
            assert f"crash at {k}: {points[k]}" in proc.stderr
        return {int(k): code for k, code in json.loads(proc.stdout.splitlines()[-1]).items()}

    with ThreadPoolExecutor(workers) as pool:
        codes: dict[int, int] = {}
        for batch in pool.map(fork_batch, batches):
            codes.update(batch)
    assert sorted(codes) == list(range(len(points)))

    for k in range(len(points)):
        assert codes[k] == (-signal.SIGKILL if k % 2 else 86), (k, points[k], codes[k])
        with Ledger(tmp_path / f"crash{k}.sqlite") as crashed:  # the file the dead process left
            crashed.reconcile(crashed.totals().book_assets).check()  # consistent even mid-script
            run_script(crashed, steps, lambda _: None)  # replay everything, same keys
            assert state(crashed) == expected, f"crash at {k} ({points[k]})"
            crashed.reconcile(assets).check()


def test_crash_during_the_replay_too(steps: list[dict[str, Any]], tmp_path: Path) -> None:
    """Two crashes in a row (the second during the replay of the first) still converge."""
    clean = Ledger()
    run_script(clean, steps, lambda _: None)
    expected = state(clean)
    steps_file = tmp_path / "steps.json"
    steps_file.write_text(json.dumps(steps))
    child = tmp_path / "child.py"
    child.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    db = tmp_path / "twice.sqlite"
    for k in (25, 40):  # plain child processes, each SIGKILLed mid-script
        proc = subprocess.run(
            [sys.executable, str(child), str(db), str(steps_file), str(k), "sigkill"],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert proc.stdout == "" and f"crash at {k}" in proc.stderr
    with Ledger(db) as crashed:
        run_script(crashed, steps, lambda _: None)
        assert state(crashed) == expected
