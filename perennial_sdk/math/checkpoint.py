"""Local settlement of one account at one version: ``CheckpointLib.accumulate`` (spec §5)."""

from __future__ import annotations

from dataclasses import dataclass

from perennial_sdk.fixed import B
from perennial_sdk.math.state import CheckpointState, OrderState, PositionState, VersionState

__all__ = ["CheckpointResult", "accumulate_checkpoint"]


@dataclass(slots=True)
class CheckpointResult:
    """``CheckpointAccumulationResult``: the ``AccountPositionProcessed`` event body."""

    collateral: int = 0
    price_override: int = 0
    trade_fee: int = 0
    offset: int = 0
    settlement_fee: int = 0
    liquidation_fee: int = 0
    subtractive_fee: int = 0
    solver_fee: int = 0

    @property
    def net(self) -> int:
        """The change of ``local.collateral``: PnL and accruals minus every fee."""
        return (
            self.collateral + self.price_override - self.trade_fee - self.offset - self.settlement_fee
            - self.liquidation_fee
        )


def accumulate_checkpoint(
    prev: CheckpointState, frm: PositionState, o: OrderState, v_from: VersionState, v_to: VersionState
) -> tuple[CheckpointState, CheckpointResult]:
    """Settle an account from version ``v_from`` to ``v_to`` with its order ``o`` at ``v_to``.

    ``frm`` is the account's settled position before ``o``; ``prev`` its checkpoint at ``v_from``.
    Returns the checkpoint to store at ``v_to`` and the result; apply ``result.net`` to the
    account's collateral and credit ``result.liquidation_fee`` / ``subtractive_fee`` to their receivers.
    """
    r = CheckpointResult()
    coll = 0
    if frm.maker:
        coll += (v_to.maker_value - v_from.maker_value) * frm.maker // B
    if frm.long:
        coll += (v_to.long_value - v_from.long_value) * frm.long // B
    if frm.short:
        coll += (v_to.short_value - v_from.short_value) * frm.short // B
    r.collateral = coll

    m_total = o.maker_pos + o.maker_neg
    tp = o.long_pos + o.short_neg
    tn = o.short_pos + o.long_neg
    t_total = tp + tn
    if m_total or t_total:
        maker_fee = -(v_to.maker_fee * m_total // B)
        taker_fee = -(v_to.taker_fee * t_total // B)
        maker_sub = maker_fee * o.maker_referral // m_total if m_total else 0
        taker_sub = taker_fee * o.taker_referral // t_total if t_total else 0
        r.trade_fee = maker_fee + taker_fee
        r.subtractive_fee = maker_sub + taker_sub
        r.offset = -(
            v_to.maker_offset * m_total // B + v_to.taker_pos_offset * tp // B + v_to.taker_neg_offset * tn // B
        )
    r.settlement_fee = -(v_to.settlement_fee * o.orders)
    if o.protection:
        r.liquidation_fee = -v_to.liquidation_fee

    nxt = CheckpointState(
        trade_fee=r.trade_fee + r.offset,
        settlement_fee=r.settlement_fee + r.liquidation_fee,
        transfer=o.collateral,
        collateral=prev.collateral - prev.trade_fee - prev.settlement_fee + prev.transfer + coll + r.price_override,
    )
    return nxt, r
