"""Loopback port leases, so parallel launches (threads, xdist workers) never pick the same port.

A lease is held in two places: a set in this process, and a POSIX byte-range lock on byte
``port`` of one shared lock file in the temp directory (other processes). The lock file's
descriptor stays open for the life of the process: closing any descriptor of a file drops
all of this process's record locks on it.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import tempfile
import threading
from pathlib import Path

HOST = "127.0.0.1"

_LOCK = threading.Lock()
_LEASED: set[int] = set()
_LOCK_FD: int | None = None

if sys.platform != "win32":
    import fcntl

    def _lock_file_fd() -> int | None:
        global _LOCK_FD
        if _LOCK_FD is None:
            path = Path(tempfile.gettempdir()) / "perennial-sdk-port-leases.lock"
            try:
                _LOCK_FD = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError:
                return None
        return _LOCK_FD

    def _os_lock(port: int) -> bool:
        fd = _lock_file_fd()
        if fd is None:
            return True
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, port)
        except OSError as exc:  # EACCES/EAGAIN: held elsewhere; other errors: no OS lease
            return exc.errno not in (errno.EACCES, errno.EAGAIN)
        return True

    def _os_unlock(port: int) -> None:
        fd = _lock_file_fd()
        if fd is not None:
            try:
                fcntl.lockf(fd, fcntl.LOCK_UN, 1, port)
            except OSError:
                pass

else:  # pragma: no cover - Windows: leases are process-local only

    def _os_lock(port: int) -> bool:
        return True

    def _os_unlock(port: int) -> None:
        return None


def port_is_free(port: int, host: str = HOST) -> bool:
    """True if a TCP socket can bind ``host:port`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _ephemeral_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


class PortLease:
    """A port reserved for one anvil process until ``release()``."""

    __slots__ = ("_released", "port")

    def __init__(self, port: int) -> None:
        self.port = port
        self._released = False

    def release(self) -> None:
        with _LOCK:
            if self._released:
                return
            self._released = True
            _LEASED.discard(self.port)
            _os_unlock(self.port)

    def __repr__(self) -> str:
        state = "released" if self._released else "held"
        return f"PortLease(port={self.port}, {state})"


def try_lease(port: int, host: str = HOST) -> PortLease | None:
    """Lease ``port`` if nobody here or elsewhere holds it and it binds now, else None."""
    with _LOCK:
        if port in _LEASED:
            return None
        if not _os_lock(port):
            return None
        if not port_is_free(port, host):
            _os_unlock(port)
            return None
        _LEASED.add(port)
        return PortLease(port)


def lease_free_port(host: str = HOST, attempts: int = 64) -> PortLease:
    """Lease a currently free loopback port chosen by the OS."""
    for _ in range(attempts):
        lease = try_lease(_ephemeral_port(host), host)
        if lease is not None:
            return lease
    raise OSError(f"no free port on {host} after {attempts} attempts")
