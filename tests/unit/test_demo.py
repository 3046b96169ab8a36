"""The README's main command runs end to end and writes its report."""

from __future__ import annotations

import json
from pathlib import Path

from vaults.backtest import BacktestConfig, run_backtest
from vaults.cli import main


def test_backtest_writes_report_json_and_plot(tmp_path: Path, capsys: object) -> None:
    assert main(["backtest", "--days", "3", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "backtest.json").read_text())
    assert data["summary"]["trader_orders"] > 0
    assert len(data["series"]["equity"]) == 3 * 24 + 1
    assert (tmp_path / "backtest.png").stat().st_size > 10_000


def test_vault_books_reconcile_with_its_collateral() -> None:
    result = run_backtest(BacktestConfig(days=5, seed=3))
    attributed = result.funding + result.interest + result.fee_income + result.price_pnl - result.fees_paid
    net = result.equity[-1] - result.equity[0]
    # the attribution is by share of the maker side; it explains the equity change to within 0.2 %
    assert abs(attributed - net) <= max(abs(net) // 500, 20 * 10**6), (attributed, net)
    assert result.rebalances >= 1 and all(sizes[-1] > 0 for sizes in result.maker.values())


def test_readme_python_example_runs() -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "SimMarket(" in b]
    assert len(blocks) == 1
    exec(compile(blocks[0], "README.md", "exec"), {"print": lambda *a: None})


def test_readme_opens_with_the_two_commands() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text().splitlines()
    block = readme[readme.index("```bash") + 1 : readme.index("```bash") + 3]
    assert [line.split()[0:2] for line in block] == [["./run", "demo"], ["./run", "test"]]
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "./run test" in ci


def test_backtest_on_csv_price_paths(tmp_path: Path) -> None:
    from vaults.paths import load_price_csv

    for name, start in (("ETH", 3_000), ("BTC", 60_000), ("SOL", 150)):
        rows = "\n".join(f"{i},{start * (1 + (i % 7 - 3) / 100):.6f}" for i in range(49))
        (tmp_path / f"{name}.csv").write_text("step,price\n" + rows + "\n")
    args = [f"--prices={n}={tmp_path / n}.csv" for n in ("ETH", "BTC", "SOL")]
    assert main(["backtest", *args, "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "backtest.json").read_text())
    assert len(data["series"]["equity"]) == 49
    assert data["series"]["price"]["ETH"][:3] == load_price_csv(tmp_path / "ETH.csv")[:3]
