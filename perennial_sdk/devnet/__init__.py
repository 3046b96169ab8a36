"""Local devnet for tests and demos: anvil with the Perennial protocol deployed, funded accounts,
keeper-path price commits, time control and typed reverts.

from perennial_sdk.devnet import Devnet

with Devnet.start() as dn:                      # warm start from the cached deployment (< 1 s)
    alice = dn.accounts[1]
    dn.update("ETH", alice, long=1_000_000, collateral=1_000_000_000)
    dn.commit_requested("ETH", 3_010_000_000)   # keeper commits the order's version, settles it
    print(dn.reader("ETH").positions(alice))

Lower level: ``launch_anvil`` / ``Chain`` (snapshots, time, balances, code), ``deploy_protocol``.
Submodules: ``perennial_sdk.devnet.replay`` (vector replay on the contracts),
``perennial_sdk.devnet.cli`` (``perennial-sdk devnet up``).
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
from ._controls import PYTH_ADDRESSES, Clock, PriceControl, PythPriceControl
from ._deploy import (
    DEFAULT_PRICES,
    PYTH_FEEDS,
    Deployment,
    MarketInfo,
    OracleConfig,
    deploy_protocol,
)
from ._devnet import BASE_TIMESTAMP, Devnet, DevnetConfig, cache_dir
from ._errors import (
    AnvilInstallError,
    AnvilNotFoundError,
    AnvilStartError,
    DevnetError,
    DevnetRPCError,
    DevnetValueError,
    SnapshotError,
)
from ._keeper import Commit, Keeper, update_data
from ._markets import add_markets
from ._reads import MarketReader
from ._tx import Transactor

__all__ = [
    "ANVIL_NPM_PACKAGE",
    "BASE_TIMESTAMP",
    "DEFAULT_MNEMONIC",
    "DEFAULT_PRICES",
    "PYTH_ADDRESSES",
    "PYTH_FEEDS",
    "AnvilHandle",
    "AnvilInstallError",
    "AnvilNotFoundError",
    "AnvilStartError",
    "Chain",
    "Clock",
    "Commit",
    "Deployment",
    "Devnet",
    "DevnetConfig",
    "DevnetError",
    "DevnetRPCError",
    "DevnetValueError",
    "Keeper",
    "MarketInfo",
    "MarketReader",
    "OracleConfig",
    "PriceControl",
    "PythPriceControl",
    "SnapshotError",
    "SnapshotId",
    "Transactor",
    "add_markets",
    "anvil_install_command",
    "cache_dir",
    "deploy_protocol",
    "dev_accounts",
    "find_anvil",
    "install_anvil",
    "launch_anvil",
    "tools_dir",
    "update_data",
]

for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj) and getattr(_obj, "__module__", "").startswith(__name__ + "."):
        try:
            _obj.__module__ = __name__
        except (AttributeError, TypeError):
            pass
del _name, _obj
