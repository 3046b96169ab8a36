"""Errors raised by the local devnet tooling (anvil process and chain helpers).

Every error carries a stable ``code`` and the data the message is rendered from::

    DevnetError                                    code
    ├── DevnetValueError (ValueError)              bad argument, caught before any process or RPC
    ├── AnvilNotFoundError (FileNotFoundError)     no anvil binary; the message has the install command
    │   └── AnvilInstallError                      the npm install of anvil failed
    ├── AnvilStartError (RuntimeError)             anvil did not come up; the message has its log tail
    └── DevnetRPCError (RuntimeError)              an anvil/evm RPC call failed or answered oddly
        └── SnapshotError                          evm_revert refused the snapshot id
"""

from __future__ import annotations

__all__ = [
    "AnvilInstallError",
    "AnvilNotFoundError",
    "AnvilStartError",
    "DevnetError",
    "DevnetRPCError",
    "DevnetValueError",
    "SnapshotError",
]

from typing import ClassVar


class DevnetError(Exception):
    """Base class of every devnet error."""

    code: ClassVar[str] = "devnet_error"


class DevnetValueError(DevnetError, ValueError):
    """An argument is invalid or ambiguous; raised before anything is started or sent."""

    code: ClassVar[str] = "devnet_value_error"

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}={value!r}: {reason}")


class AnvilNotFoundError(DevnetError, FileNotFoundError):
    """No anvil executable was found; the message names where we looked and how to install it."""

    code: ClassVar[str] = "anvil_not_found"

    def __init__(self, searched: list[str], install_command: str, detail: str = "") -> None:
        self.searched = searched
        self.install_command = install_command
        self.detail = detail
        where = ", ".join(searched) if searched else "nowhere"
        text = (
            f"anvil executable not found (looked in: {where}). Install it with: {install_command}"
        )
        if detail:
            text = f"{text}\n{detail}"
        super().__init__(text)


class AnvilInstallError(AnvilNotFoundError):
    """Installing anvil from npm failed; ``output_tail`` holds the end of npm's output."""

    code: ClassVar[str] = "anvil_install_failed"

    def __init__(self, searched: list[str], install_command: str, output_tail: str) -> None:
        self.output_tail = output_tail
        super().__init__(
            searched,
            install_command,
            detail=f"the install command failed:\n{output_tail}" if output_tail else "",
        )


class AnvilStartError(DevnetError, RuntimeError):
    """anvil exited or did not answer in time during startup. The process has been killed.

    ``reason`` is one of ``"exited"``, ``"timeout"``, ``"port_in_use"``, ``"spawn_failed"``.
    """

    code: ClassVar[str] = "anvil_start_failed"

    def __init__(
        self,
        reason: str,
        *,
        command: list[str],
        returncode: int | None,
        logs_tail: str,
        detail: str = "",
    ) -> None:
        self.reason = reason
        self.command = command
        self.returncode = returncode
        self.logs_tail = logs_tail
        self.detail = detail
        head = f"anvil failed to start ({reason}"
        if returncode is not None:
            head += f", exit code {returncode}"
        head += ")"
        if detail:
            head += f": {detail}"
        body = logs_tail.rstrip() or "<no output>"
        super().__init__(f"{head}\n--- anvil log tail ---\n{body}\n--- end of anvil log ---")


class DevnetRPCError(DevnetError, RuntimeError):
    """An RPC call to the devnet failed (error response or unexpected result)."""

    code: ClassVar[str] = "devnet_rpc_error"

    def __init__(self, method: str, message: str) -> None:
        self.method = method
        self.rpc_message = message
        super().__init__(f"{method}: {message}")


class SnapshotError(DevnetRPCError):
    """``evm_revert`` did not revert: the id is unknown or already consumed.

    anvil deletes a snapshot when reverting to it, and every snapshot taken after it.
    """

    code: ClassVar[str] = "snapshot_error"

    def __init__(self, snapshot_id: str) -> None:
        self.snapshot_id = snapshot_id
        super().__init__(
            "evm_revert",
            f"snapshot {snapshot_id} is unknown or already consumed "
            "(a revert consumes its snapshot and all later ones)",
        )
