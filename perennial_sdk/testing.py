"""pytest plugin: a local anvil devnet with per-test isolation.

Registered through the ``pytest11`` entry point ``perennial_sdk``, so installing the SDK makes
the fixtures available everywhere; ``-p no:perennial_sdk`` turns it off.

Fixtures: ``anvil`` (the node), ``w3``, ``chain``, ``accounts``, ``fork``; ``devnet`` (the
Perennial protocol deployed on the session's anvil, from the warm-start cache), ``prices`` (market
prices through the keeper path), ``clock`` (block time); with ``--fork-url``, ``fork_prices`` (the
forked chain's Pyth contract replaced by MockPyth).

Isolation: a test that uses the devnet runs between an ``evm_snapshot`` and an ``evm_revert``,
and so does each module and class containing such tests, so state made by a module- or
class-scoped fixture lasts exactly that long. Reverts run in LIFO order during teardown; each
scope takes a new snapshot when it starts (a revert consumes its snapshot). Mark a test, class
or module with ``@pytest.mark.no_isolation`` to let its changes stay for the tests after it
(until the enclosing scope reverts).

Hypothesis: the examples of one ``@given`` test share one snapshot; wrap the body in
``with chain.isolate():`` to give every example a fresh chain.

Caveat: a session-scoped fixture that changes chain state must be set up before the first
module snapshot that should keep it, i.e. be requested by the first devnet test of a module
(or by ``devnet``); otherwise the module's revert removes its state while its value stays cached.
``devnet`` itself is set up before the snapshot of any module or class that uses it. Once set up
it stays on the session's node: later modules see the deployed contracts (the dev accounts keep
their 10,000 ether; their nonces and token balances are the deployment's).

Options: ``--fork-url URL`` (or ``$PERENNIAL_FORK_URL``), ``--fork-block N`` (or
``$PERENNIAL_FORK_BLOCK``), ``--fork-pyth ADDRESS`` (or ``$PERENNIAL_FORK_PYTH``; the forked
chain's Pyth contract, default by chain id), ``--install-anvil`` (npm-install anvil when it is
missing).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3

    from perennial_sdk.devnet import (
        AnvilHandle,
        Chain,
        Clock,
        Devnet,
        PriceControl,
        PythPriceControl,
    )

FORK_URL_ENV = "PERENNIAL_FORK_URL"
FORK_BLOCK_ENV = "PERENNIAL_FORK_BLOCK"
FORK_PYTH_ENV = "PERENNIAL_FORK_PYTH"

_MARKERS = {
    "devnet": "uses the anvil devnet of the perennial_sdk plugin (added automatically)",
    "no_isolation": "do not snapshot/revert the devnet around this test, class or module",
}

# Third-party deprecations raised while importing our dependencies, which users cannot act on.
# Kept out of the test run even under ``filterwarnings = error``.
_DEPENDENCY_WARNINGS: tuple[tuple[str, type[Warning]], ...] = (
    # web3 7 imports websockets.legacy (deprecated in websockets 14) at import time
    ("websockets.legacy is deprecated", DeprecationWarning),
)

_DEVNET_SCOPES: pytest.StashKey[tuple[set[str], set[str]]] = pytest.StashKey()


@dataclass(frozen=True)
class ForkInfo:
    """Where the session's anvil forked from. ``url`` is left out of repr (it may hold a key)."""

    url: str = field(repr=False)
    block: int | None
    chain_id: int


# --------------------------------------------------------------------------- hooks


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("perennial_sdk", "Perennial SDK devnet (anvil)")
    group.addoption(
        "--fork-url",
        dest="perennial_fork_url",
        default=None,
        metavar="URL",
        help=f"fork this RPC endpoint in the session's anvil (default: ${FORK_URL_ENV})",
    )
    group.addoption(
        "--fork-block",
        dest="perennial_fork_block",
        type=int,
        default=None,
        metavar="N",
        help=f"pin the fork at block N (default: ${FORK_BLOCK_ENV}, else the latest block)",
    )
    group.addoption(
        "--fork-pyth",
        dest="perennial_fork_pyth",
        default=None,
        metavar="ADDRESS",
        help=f"the forked chain's Pyth contract for fork_prices (default: ${FORK_PYTH_ENV}, else by chain id)",
    )
    group.addoption(
        "--install-anvil",
        dest="perennial_install_anvil",
        action="store_true",
        default=False,
        help="run `npm install @foundry-rs/anvil` into the project's .tools when anvil is missing",
    )


def pytest_configure(config: pytest.Config) -> None:
    known = {str(line).split(":", 1)[0].strip() for line in config.getini("markers")}
    for name, text in _MARKERS.items():
        if name not in known:
            config.addinivalue_line("markers", f"{name}: {text}")
    for message, category in _DEPENDENCY_WARNINGS:  # appended last: wins over an ini "error"
        config.addinivalue_line("filterwarnings", f"ignore:{message}:{category.__name__}")
    _fork_settings(config)  # bad fork options are a usage error before collection


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "anvil" in getattr(item, "fixturenames", ()):
            item.add_marker("devnet")


# --------------------------------------------------------------------------- fixtures


def _devnet_module() -> ModuleType:
    """perennial_sdk.devnet, imported lazily (web3 is slow to import) and without the
    dependency warnings above, even under ``-W error``."""
    with warnings.catch_warnings():
        for message, category in _DEPENDENCY_WARNINGS:
            warnings.filterwarnings("ignore", message=message, category=category)
        import perennial_sdk.devnet as devnet_module
    return devnet_module


def _fork_settings(config: pytest.Config) -> tuple[str | None, int | None]:
    url = config.getoption("perennial_fork_url") or os.environ.get(FORK_URL_ENV) or None
    block = config.getoption("perennial_fork_block")
    if block is None and os.environ.get(FORK_BLOCK_ENV):
        try:
            block = int(os.environ[FORK_BLOCK_ENV])
        except ValueError:
            raise pytest.UsageError(f"${FORK_BLOCK_ENV} must be an integer block number") from None
    if block is not None and url is None:
        raise pytest.UsageError("--fork-block needs --fork-url (or $PERENNIAL_FORK_URL)")
    return (str(url) if url else None), (int(block) if block is not None else None)


@pytest.fixture(scope="session")
def anvil(pytestconfig: pytest.Config) -> Iterator[AnvilHandle]:
    """A local anvil node for the whole session (127.0.0.1, 10 funded dev accounts).

    Chain id 31337, or the forked chain's when --fork-url is given. Tests that use it are
    skipped, with the install command as reason, when anvil is not installed.
    """
    dn = _devnet_module()
    fork_url, fork_block = _fork_settings(pytestconfig)
    try:
        binary = dn.find_anvil(install=bool(pytestconfig.getoption("perennial_install_anvil")))
    except dn.AnvilNotFoundError as exc:
        pytest.skip(f"devnet unavailable: {exc}")
    handle: AnvilHandle = dn.launch_anvil(
        anvil_path=binary,
        fork_url=fork_url,
        fork_block=fork_block,
        chain_id=None if fork_url else 31337,
    )
    try:
        yield handle
    finally:
        handle.close()


@pytest.fixture(scope="session")
def w3(anvil: AnvilHandle) -> Web3:
    """A Web3 connected to the session's anvil over HTTP."""
    return anvil.web3()


@pytest.fixture(scope="session")
def chain(w3: Web3) -> Chain:
    """Devnet controls for the session's anvil: snapshot/revert, time_travel, mine,
    set_balance, set_code, set_storage_at, impersonate, dump_state/load_state."""
    result: Chain = _devnet_module().Chain(w3)
    return result


@pytest.fixture(scope="session")
def accounts(anvil: AnvilHandle) -> list[LocalAccount]:
    """The funded dev accounts of the session's anvil, as eth-account LocalAccounts
    (the standard test mnemonic; 10,000 ether each at session start)."""
    result: list[LocalAccount] = _devnet_module().dev_accounts(anvil.accounts)
    return result


@pytest.fixture(scope="session")
def fork(anvil: AnvilHandle) -> ForkInfo:
    """Fork details (url, pinned block, chain id). Skips the test when no --fork-url is given."""
    if anvil.fork_url is None:
        pytest.skip(f"no fork: pass --fork-url URL or set ${FORK_URL_ENV}")
    return ForkInfo(url=anvil.fork_url, block=anvil.fork_block, chain_id=anvil.chain_id)


@pytest.fixture(scope="session")
def devnet(anvil: AnvilHandle, w3: Web3, chain: Chain) -> Devnet:
    """The Perennial V2.4 protocol deployed on the session's anvil: a ``perennial_sdk.devnet.Devnet``
    (``deployment`` addresses, ``market(name)``, funded ``accounts``, ``send`` with typed reverts,
    ``commit_price`` / ``commit_requested``, ``advance_time``, ``fund``).

    Markets ETH, BTC and SOL with the preset parameters. The deployment is loaded from the
    warm-start cache (built once per artifacts/configuration); with ``--fork-url`` it is deployed
    with transactions on the fork; with ``$PERENNIAL_DEPLOYMENTS_DIR`` Perennial's own bytecode is
    deployed from its hardhat-deploy records at the real addresses (``perennial_sdk.devnet._real``).
    Each test runs isolated (snapshot/revert) from that state.
    """
    dn = _devnet_module()
    records = os.environ.get("PERENNIAL_DEPLOYMENTS_DIR")
    if records and anvil.fork_url is None:  # Perennial's own bytecode, from its deployment records
        from perennial_sdk.devnet._real import records_devnet

        real: Devnet = records_devnet(w3, records)
        return real
    result: Devnet = dn.Devnet.attach(w3, fresh=anvil.fork_url is not None, anvil_path=anvil.binary)
    return result


@pytest.fixture(scope="session")
def prices(devnet: Devnet) -> PriceControl:
    """Market prices through the keeper path: ``prices.set("ETH", 3_100_000_000)`` commits the
    outstanding requested versions and a fresh one (MockPyth update → PythFactory.commit);
    ``prices.commit_requested(market, price)`` commits only the orders' versions; ``prices.get``."""
    from perennial_sdk.devnet import PriceControl

    return PriceControl(devnet)


@pytest.fixture(scope="session")
def clock(chain: Chain) -> Clock:
    """The chain's block time: ``clock.now()``, ``clock.advance(seconds)``, ``clock.travel_to(ts)``,
    ``clock.next_block_at(ts)`` (reverted with the test like every chain change)."""
    from perennial_sdk.devnet import Clock

    return Clock(chain)


@pytest.fixture
def fork_prices(fork: ForkInfo, w3: Web3, pytestconfig: pytest.Config) -> PythPriceControl:
    """With ``--fork-url``: the forked chain's Pyth contract replaced by MockPyth (``anvil_setCode``),
    so ``fork_prices.set(feed_id, price)`` stores a price and ``fork_prices.update_data(...)`` makes
    update data the forked keeper factories accept. Skipped without a fork URL, or when the chain's
    Pyth address is unknown (pass ``--fork-pyth``)."""
    from perennial_sdk.devnet import PYTH_ADDRESSES, PythPriceControl

    address = (
        pytestconfig.getoption("perennial_fork_pyth")
        or os.environ.get(FORK_PYTH_ENV)
        or PYTH_ADDRESSES.get(fork.chain_id)
    )
    if not address:
        pytest.skip(f"no Pyth address known for chain {fork.chain_id}: pass --fork-pyth ADDRESS")
    control = PythPriceControl(w3, str(address))
    control.install()
    return control


# --------------------------------------------------------------------------- isolation


def _restart_clock(chain: Chain) -> None:
    """Restart the node's clock one second after the latest block.

    Time passes on anvil's clock between blocks (e.g. while tests that mine nothing run), and
    would make the deployment's prices stale; every protocol test and module starts at the same
    point instead: one second after the state it was given.
    """
    chain.set_time(chain.timestamp() + 1)


def _devnet_scopes(session: pytest.Session) -> tuple[set[str], set[str]]:
    """Node ids of the modules and classes that hold at least one test using the node, and of
    those holding at least one test using the deployed protocol (``devnet``)."""
    scopes = session.stash.get(_DEVNET_SCOPES, None)
    if scopes is None:
        scopes = (set(), set())
        for item in session.items:
            names = getattr(item, "fixturenames", ())
            if "anvil" not in names:
                continue
            for kind in (pytest.Module, pytest.Class):
                parent = item.getparent(kind)
                if parent is not None:
                    scopes[0].add(parent.nodeid)
                    if "devnet" in names:
                        scopes[1].add(parent.nodeid)
        session.stash[_DEVNET_SCOPES] = scopes
    return scopes


def _scope_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    node = request.node
    if node.get_closest_marker("no_isolation") is not None:
        yield
        return
    node_scopes, protocol_scopes = _devnet_scopes(request.session)
    if node.nodeid not in node_scopes:
        yield
        return
    try:
        devnet_chain: Chain = request.getfixturevalue("chain")
        if node.nodeid in protocol_scopes:  # deploy before the snapshot, so the revert keeps it
            request.getfixturevalue("devnet")
            _restart_clock(devnet_chain)
    except pytest.skip.Exception:  # no anvil: the devnet tests skip themselves
        yield
        return
    snapshot_id = devnet_chain.snapshot()
    yield
    devnet_chain.revert(snapshot_id)


@pytest.fixture(scope="module", autouse=True)
def _devnet_module_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Snapshot the devnet before a module with devnet tests, revert after it."""
    yield from _scope_isolation(request)


@pytest.fixture(scope="class", autouse=True)
def _devnet_class_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Snapshot the devnet before a test class with devnet tests, revert after it."""
    if request.cls is None:
        yield
        return
    yield from _scope_isolation(request)


@pytest.fixture(autouse=True)
def _devnet_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Snapshot the devnet before each devnet test, revert after it (unless no_isolation)."""
    if "anvil" not in request.fixturenames or request.node.get_closest_marker("no_isolation"):
        yield
        return
    devnet_chain: Chain = request.getfixturevalue("chain")
    if "devnet" in request.fixturenames:
        _restart_clock(devnet_chain)
    snapshot_id = devnet_chain.snapshot()
    yield
    devnet_chain.revert(snapshot_id)
