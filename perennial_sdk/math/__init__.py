"""Pure, exact Perennial V2.4 market math on raw 6-decimal integers (no I/O)."""

from perennial_sdk.math.checkpoint import CheckpointResult, accumulate_checkpoint
from perennial_sdk.math.invariant import (
    UpdateContext,
    effective_collateral,
    validate_update,
    worst_case_magnitude,
)
from perennial_sdk.math.state import (
    CheckpointState,
    GlobalState,
    LocalState,
    OrderState,
    ParamSet,
    PositionState,
    VersionState,
)
from perennial_sdk.math.version import VersionResult, accumulate_version, apply_global_fees

__all__ = [
    "CheckpointResult",
    "CheckpointState",
    "GlobalState",
    "LocalState",
    "OrderState",
    "ParamSet",
    "PositionState",
    "UpdateContext",
    "VersionResult",
    "VersionState",
    "accumulate_checkpoint",
    "accumulate_version",
    "apply_global_fees",
    "effective_collateral",
    "validate_update",
    "worst_case_magnitude",
]
