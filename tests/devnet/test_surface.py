"""Pins the public surface of perennial_sdk.devnet and its error tree."""

from __future__ import annotations

from types import ModuleType

from perennial_sdk import devnet, testing


def test_all_is_sorted_and_complete() -> None:
    # "@py_builtins"/"@pytest_ar": pytest rewrites asserts in the plugin's distribution;
    # submodules (replay, cli) appear as attributes once imported and are not re-exported
    public = {
        name
        for name, value in vars(devnet).items()
        if not name.startswith(("_", "@")) and not isinstance(value, ModuleType)
    }

    # isort style (ruff RUF022): CONSTANTS, then Classes, then functions
    def group(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2), name

    assert devnet.__all__ == sorted(devnet.__all__, key=group)
    assert set(devnet.__all__) == public


def test_public_objects_live_at_the_package() -> None:
    for name in devnet.__all__:
        obj = getattr(devnet, name)
        if isinstance(obj, type) or callable(obj):
            assert obj.__module__ == "perennial_sdk.devnet", name


def test_error_tree() -> None:
    assert issubclass(devnet.DevnetValueError, (devnet.DevnetError, ValueError))
    assert issubclass(devnet.AnvilNotFoundError, (devnet.DevnetError, FileNotFoundError))
    assert issubclass(devnet.AnvilInstallError, devnet.AnvilNotFoundError)
    assert issubclass(devnet.AnvilStartError, (devnet.DevnetError, RuntimeError))
    assert issubclass(devnet.SnapshotError, devnet.DevnetRPCError)
    codes = [
        cls.code
        for cls in (
            devnet.DevnetError,
            devnet.DevnetValueError,
            devnet.AnvilNotFoundError,
            devnet.AnvilInstallError,
            devnet.AnvilStartError,
            devnet.DevnetRPCError,
            devnet.SnapshotError,
        )
    ]
    assert len(set(codes)) == len(codes)


def test_plugin_fixtures_have_docstrings() -> None:
    for name in ("anvil", "w3", "chain", "accounts", "fork", "devnet"):
        fixture = getattr(testing, name)
        assert (getattr(fixture, "__doc__", None) or "").strip(), name
