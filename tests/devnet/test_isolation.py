"""The plugin's isolation: test, class and opt-out. Tests in this file run in order."""

from __future__ import annotations

from typing import Any

import pytest

from perennial_sdk.devnet import Chain

ADDRESS = "0x00000000000000000000000000000000000000d4"
OTHER = "0x00000000000000000000000000000000000000e5"

_seen: dict[str, Any] = {}


def test_first_changes_state(chain: Chain) -> None:
    _seen["block"] = chain.block_number()
    _seen["timestamp"] = chain.timestamp()
    chain.set_balance(ADDRESS, 777)
    chain.set_code(ADDRESS, b"\x00")
    _seen["travelled_to"] = chain.time_travel(seconds=10 * 86_400)
    assert chain.balance(ADDRESS) == 777


def test_second_sees_none_of_it(chain: Chain) -> None:
    assert chain.balance(ADDRESS) == 0
    assert bytes(chain.w3.eth.get_code(chain.w3.to_checksum_address(ADDRESS))) == b""
    if _seen:  # the first test ran just before
        assert chain.block_number() == _seen["block"]
        assert chain.timestamp() < _seen["travelled_to"]


class TestNoIsolationOptOut:
    @pytest.mark.no_isolation
    def test_keeps_its_change(self, chain: Chain) -> None:
        chain.set_balance(OTHER, 5)
        _seen["kept"] = True

    def test_next_test_sees_it(self, chain: Chain) -> None:
        if _seen.get("kept"):
            assert chain.balance(OTHER) == 5


def test_class_snapshot_reverted_it(chain: Chain) -> None:
    assert chain.balance(OTHER) == 0


@pytest.fixture(scope="module")
def funded(chain: Chain) -> str:
    chain.set_balance(ADDRESS, 31337)
    return ADDRESS


def test_module_fixture_state_is_visible(chain: Chain, funded: str) -> None:
    assert chain.balance(funded) == 31337
    chain.set_balance(funded, 1)


def test_module_fixture_state_survives_each_test(chain: Chain, funded: str) -> None:
    assert chain.balance(funded) == 31337


def test_pure_tests_do_not_start_anvil(request: pytest.FixtureRequest) -> None:
    assert "anvil" not in request.fixturenames
    assert request.node.get_closest_marker("devnet") is None


def test_devnet_tests_get_the_marker(request: pytest.FixtureRequest, w3: object) -> None:
    assert request.node.get_closest_marker("devnet") is not None
