"""Where Perennial lives: chain id → deployment addresses and protocol version.

Addresses are the proxies recorded by equilibria-xyz/perennial-v2 ``packages/deploy/deployments``.
Markets are discovered from the factory's ``MarketCreated`` events, not from a hard-coded list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perennial_sdk.errors import InputError

__all__ = ["ARBITRUM", "DEPLOYMENTS", "PERENNIAL", "ChainDeployment", "deployment_for"]

MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"


@dataclass(frozen=True, slots=True)
class ChainDeployment:
    """The protocol contracts on one chain. ``markets`` may list known markets; more are discovered."""

    chain_id: int
    name: str
    protocol_version: str
    market_factory: str
    multi_invoker: str
    oracle_factory: str | None = None
    keeper_factory: str | None = None
    vault_factory: str | None = None
    multicall3: str = MULTICALL3
    usdc: str | None = None
    markets: tuple[str, ...] = field(default=())
    from_block: int = 0
    """The first block to scan for ``MarketCreated`` events."""


ARBITRUM = ChainDeployment(
    chain_id=42161,
    name="arbitrum",
    protocol_version="2.3+ (check the market implementation: see spec §0 and §12)",
    market_factory="0xDaD8A103473dfd47F90168A0E46766ed48e26EC7",
    multi_invoker="0x431603567EcBb4aa1Ce5a4fdBe5554cAEa658832",
    oracle_factory="0x8CDa59615C993f925915D3eb4394BAdB3feEF413",
    keeper_factory="0xFeB35f293D2114DF6b284876dc8fbfcFfB873B7C",  # PythFactory: commit with HermesPriceSource
    vault_factory="0xad3565680aEcEe27A39249D8c2D55dAc79BE5Ad0",
    usdc="0xaf88d065e77c8cC2239327C5EDb3A432268e5831",
)
PERENNIAL = ChainDeployment(
    chain_id=1424,
    name="perennial",
    protocol_version="2.4",
    market_factory="0xC27399bE9E39f7F6b1f94fBd512F5c2aD2b5eDb7",
    multi_invoker="0xB3DC5187B1Fb6F1b41852cFeBE06d370384110eF",
    oracle_factory="0x49bCb3e1b0bA6A68EE1f1941EB56Ac7F46B67e09",
    keeper_factory="0xfFE829F928Cb8C07961bfFF04512ac0749d65d27",  # StorkFactory: commit with StorkPriceSource
    vault_factory="0xAEf566ca7E84d1E736f999765a804687f39D9094",  # MakerVaultFactory
    usdc="0x39CD9EF9E511ec008247aD5DA01245D84a9521be",
)
DEPLOYMENTS: dict[int, ChainDeployment] = {d.chain_id: d for d in (ARBITRUM, PERENNIAL)}
"""Known live deployments by chain id (the devnet builds its own from ``perennial_sdk.devnet``)."""


def deployment_for(chain_id: int) -> ChainDeployment:
    """The registered deployment of ``chain_id``; raises :class:`InputError` for an unknown chain."""
    try:
        return DEPLOYMENTS[chain_id]
    except KeyError:
        known = ", ".join(f"{d.name} ({d.chain_id})" for d in DEPLOYMENTS.values())
        raise InputError(
            f"no Perennial deployment registered for chain {chain_id}; known: {known}", field="chain_id",
            value=chain_id,
        ) from None
