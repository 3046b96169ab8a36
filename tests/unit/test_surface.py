"""The public surface is pinned: sorted __all__, every name importable, no key or web3 at import."""

from __future__ import annotations

import subprocess
import sys

import perennial_sdk
from perennial_sdk import errors


def test_all_is_sorted_and_complete() -> None:
    assert perennial_sdk.__all__ == sorted(perennial_sdk.__all__)
    for name in perennial_sdk.__all__:
        assert hasattr(perennial_sdk, name), name


def test_import_needs_no_key_and_no_web3() -> None:
    code = "import sys, perennial_sdk; print('web3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={})
    assert out.stdout.strip() == "False"


def test_every_invariant_error_has_a_class() -> None:
    names = {
        "MarketOverCloseError", "MarketInvalidProtectionError", "MarketStalePriceError", "MarketClosedError",
        "MarketMakerOverLimitError", "MarketNotSingleSidedError", "MarketIntentPriceDeviationError",
        "MarketOperatorNotAllowedError", "MarketExceedsPendingIdLimitError", "MarketInsufficientMarginError",
        "MarketProtectedError", "MarketEfficiencyUnderLimitError", "MarketInsufficientLiquidityError",
        "MarketInsufficientCollateralError", "MarketSettleOnlyError", "MarketInvalidReferrerError",
    }
    for name in names:
        cls = errors.CONTRACT_ERRORS[name]
        assert issubclass(cls, errors.MarketError) and cls.name == name
        assert isinstance(errors.contract_error(name, source="revert"), cls)
