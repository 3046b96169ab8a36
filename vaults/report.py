"""Backtest reports: APR breakdown, drawdown, a JSON result and PNG plots (floats are fine here)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from vaults.backtest import BacktestResult
from vaults.devnet_demo import DevnetDemoResult

__all__ = ["format_summary", "summary", "write_json", "write_plot"]

YEAR = 31_536_000


def _apr(amount: int, capital: float, seconds: int) -> float:
    return 0.0 if capital <= 0 or seconds <= 0 else amount / 1e6 / capital * YEAR / seconds


def summary(result: BacktestResult | DevnetDemoResult) -> dict[str, Any]:
    """Headline numbers: APR split into funding, interest, fee income, fees paid and price PnL."""
    seconds = result.times[-1] - result.times[0] if len(result.times) > 1 else 0
    capital = result.equity[0] / 1e6
    # drawdown on the share price when there is one (deposits and payouts are not performance)
    curve = getattr(result, "share_price", None) or result.equity
    peak, drawdown = float("-inf"), 0.0
    for e in curve:
        peak = max(peak, e)
        drawdown = max(drawdown, (peak - e) / peak if peak > 0 else 0.0)
    net = result.equity[-1] - result.equity[0] - result.flows
    return {
        "days": seconds / 86_400,
        "deposit": capital,
        "final_equity": result.equity[-1] / 1e6,
        "net_pnl": net / 1e6,
        "apr_net": _apr(net, capital, seconds),
        "apr_funding": _apr(result.funding, capital, seconds),
        "apr_interest": _apr(result.interest, capital, seconds),
        "apr_fee_income": _apr(result.fee_income, capital, seconds),
        "apr_fees_paid": -_apr(result.fees_paid, capital, seconds),
        "apr_price_pnl": _apr(result.price_pnl, capital, seconds),
        "max_drawdown": drawdown,
        "rebalances": result.rebalances,
        "rebalance_cost": result.fees_paid / 1e6,
        "trader_orders": result.trader_orders,
        "rejected_orders": result.rejected_orders,
        "prices": _prices(result),
    }


def _prices(result: BacktestResult | DevnetDemoResult) -> dict[str, tuple[float, float]]:
    return {name: (p[0] / 1e6, p[-1] / 1e6) for name, p in result.prices.items() if p}


def format_summary(s: dict[str, Any]) -> str:
    """A plain-text table of :func:`summary`."""

    def pct(x: float) -> str:
        return f"{100 * x:+8.2f} %"

    lines = [
        f"period            {s['days']:.1f} days; prices "
        + ", ".join(f"{n} {a:,.2f} -> {b:,.2f}" for n, (a, b) in s["prices"].items()),
        f"deposit           {s['deposit']:,.2f}",
        f"final equity      {s['final_equity']:,.2f}   (net {s['net_pnl']:+,.2f})",
        f"APR net           {pct(s['apr_net'])}",
        f"  funding         {pct(s['apr_funding'])}",
        f"  interest        {pct(s['apr_interest'])}",
        f"  fee income      {pct(s['apr_fee_income'])}",
        f"  fees paid       {pct(s['apr_fees_paid'])}",
        f"  price PnL       {pct(s['apr_price_pnl'])}",
        f"max drawdown      {100 * s['max_drawdown']:.2f} %",
        f"rebalances        {s['rebalances']} (cost {s['rebalance_cost']:,.2f})",
        f"trader orders     {s['trader_orders']} ({s['rejected_orders']} rejected by the market)",
    ]
    return "\n".join(lines)


Result = BacktestResult | DevnetDemoResult


def write_json(result: Result, path: str | Path) -> None:
    """The summary, the configuration and the per-market series, as JSON."""
    data: dict[str, Any] = {
        "summary": summary(result),
        "config": asdict(result.config),
        "series": {"time": result.times, "equity": result.equity, "price": result.prices, "maker": result.maker,
                   "funding_rate": result.funding_rate, "leverage": result.leverage, "delta": result.delta},
    }
    if isinstance(result, DevnetDemoResult):
        data["transactions_by_vault"] = result.transactions
        data["depositors"] = result.depositors
        data["ledger_reconciled"] = result.reconciled
        data["series"]["share_price"] = result.share_price
    Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


Panel = tuple[str, list[tuple[str | None, list[float]]]]


def _plot(path: str | Path, title: str, days: list[float], panels: list[Panel]) -> bool:
    """Stacked line panels sharing the x axis (days) as a PNG; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 2.75 * len(panels)), sharex=True)
    for ax, (ylabel, lines) in zip(axes, panels):
        for label, values in lines:
            ax.plot(days, values, label=label)
        ax.set_ylabel(ylabel)
        if any(label for label, _ in lines):
            ax.legend(loc="upper left")
    axes[-1].set_xlabel("days")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def write_plot(result: Result, path: str | Path, title: str) -> bool:
    """Equity, leverage and net delta, prices and maker sizes (indexed) and funding rates as a PNG."""
    names = list(result.prices)
    days = [(t - result.times[0]) / 86_400 for t in result.times]
    return _plot(path, title, days, [
        ("vault equity", [(None, [e / 1e6 for e in result.equity])]),
        ("leverage (×) and net delta (× equity)", [("leverage", [x / 1e6 for x in result.leverage]),
                                                    ("delta", [x / 1e6 for x in result.delta])]),
        ("price (start = 100)", [(n, [100 * p / (result.prices[n][0] or 1) for p in result.prices[n]]) for n in names]),
        ("vault maker (% of max)", [(n, [100 * m / (max(result.maker[n]) or 1) for m in result.maker[n]]) for n in names]),
        ("funding rate %/yr", [(n, [100 * r / 1e6 for r in result.funding_rate[n]]) for n in names]),
    ])
