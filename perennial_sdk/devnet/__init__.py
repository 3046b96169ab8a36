"""Local devnet for tests and demos: launch anvil, control its chain, get funded accounts.

from perennial_sdk.devnet import Chain, launch_anvil

with launch_anvil() as node:
    chain = Chain(node.web3())
    chain.time_travel(seconds=3600)
"""

from ._anvil import (
    ANVIL_NPM_PACKAGE,
    DEFAULT_MNEMONIC,
    AnvilHandle,
    anvil_install_command,
    find_anvil,
    install_anvil,
    launch_anvil,
    tools_dir,
)
from ._chain import Chain, SnapshotId, dev_accounts
from ._errors import (
    AnvilInstallError,
    AnvilNotFoundError,
    AnvilStartError,
    DevnetError,
    DevnetRPCError,
    DevnetValueError,
    SnapshotError,
)

__all__ = [
    "ANVIL_NPM_PACKAGE",
    "DEFAULT_MNEMONIC",
    "AnvilHandle",
    "AnvilInstallError",
    "AnvilNotFoundError",
    "AnvilStartError",
    "Chain",
    "DevnetError",
    "DevnetRPCError",
    "DevnetValueError",
    "SnapshotError",
    "SnapshotId",
    "anvil_install_command",
    "dev_accounts",
    "find_anvil",
    "install_anvil",
    "launch_anvil",
    "tools_dir",
]

for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj) and getattr(_obj, "__module__", "").startswith(__name__ + "."):
        try:
            _obj.__module__ = __name__
        except (AttributeError, TypeError):
            pass
del _name, _obj
