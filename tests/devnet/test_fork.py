"""Fork mode, with another local anvil as the forked chain (nothing leaves the machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from perennial_sdk.devnet import AnvilHandle, AnvilNotFoundError, Chain, find_anvil, launch_anvil

try:
    find_anvil()
except AnvilNotFoundError as exc:
    pytest.skip(f"devnet unavailable: {exc}", allow_module_level=True)

ADDRESS = "0x0000000000000000000000000000000000000a07"


@pytest.fixture(scope="module")
def upstream() -> Iterator[AnvilHandle]:
    """A local chain to fork: ADDRESS holds 1 wei at block 3 and 2 wei from block 5 on."""
    with launch_anvil(chain_id=777) as node:
        chain = Chain(node.web3())
        chain.mine(2)
        chain.set_balance(ADDRESS, 1)
        chain.mine(2)  # blocks 3, 4 (anvil_ cheats edit the latest block's state in place)
        chain.set_balance(ADDRESS, 2)
        chain.mine()  # block 5
        yield node


def test_fork_pinned_at_a_block(upstream: AnvilHandle) -> None:
    secret_url = f"{upstream.url}/?apikey=s3cret-key"  # anvil ignores the query
    with launch_anvil(fork_url=secret_url, fork_block=3, chain_id=None) as node:
        chain = Chain(node.web3())
        assert node.fork_block == 3
        assert node.chain_id == 777  # the forked chain's id
        assert chain.block_number() == 3
        assert chain.balance(ADDRESS) == 1
        chain.set_balance(ADDRESS, 50)  # local change, upstream untouched
    assert Chain(upstream.web3()).balance(ADDRESS) == 2
    assert "s3cret" not in repr(node)
    logs = node.close()
    assert "s3cret" not in logs  # fork URLs may carry API keys: redacted
    assert "<redacted>" in logs


def test_plugin_fork_fixture(upstream: AnvilHandle, tmp_path: Path) -> None:
    (tmp_path / "test_inner_fork.py").write_text(
        textwrap.dedent(
            f'''
            def test_fork(fork, chain):
                assert fork.block == 3
                assert fork.chain_id == 777
                assert "{upstream.url}" not in repr(fork)
                assert chain.balance("{ADDRESS}") == 1
            '''
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--fork-block", "3"],
        cwd=tmp_path,
        env={**os.environ, "PERENNIAL_FORK_URL": upstream.url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
