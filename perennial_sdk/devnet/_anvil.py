"""Find, install, launch and stop a local anvil node.

anvil always binds 127.0.0.1. Each launched process runs in its own process group (so a
terminal Ctrl-C goes to us, not to it), and on Linux gets ``PR_SET_DEATHSIG=SIGKILL`` so it
dies with the thread that launched it even when that process is SIGKILLed. Live handles are
also closed at interpreter exit and on SIGTERM/SIGHUP (when those signals have their default
handler), so a crashed or interrupted test run does not leave anvil behind.
"""

from __future__ import annotations

__all__ = [
    "ANVIL_NPM_PACKAGE",
    "DEFAULT_MNEMONIC",
    "AnvilHandle",
    "anvil_install_command",
    "find_anvil",
    "install_anvil",
    "launch_anvil",
    "tools_dir",
]

import atexit
import contextlib
import ctypes
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, Self

from ._errors import (
    AnvilInstallError,
    AnvilNotFoundError,
    AnvilStartError,
    DevnetValueError,
)
from ._ports import HOST, PortLease, lease_free_port, try_lease

if TYPE_CHECKING:
    from web3 import Web3

ANVIL_NPM_PACKAGE = "@foundry-rs/anvil"
DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"
TOOLS_DIR_ENV = "PERENNIAL_TOOLS_DIR"

_STARTUP_TIMEOUT_S = 30.0
_FORK_STARTUP_TIMEOUT_S = 120.0
_START_ATTEMPTS = 5
_LOG_TAIL_LINES = 40


# --------------------------------------------------------------------------- locating anvil


def _project_root() -> Path | None:
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


def tools_dir() -> Path:
    """Folder holding the project-local npm install of anvil.

    ``$PERENNIAL_TOOLS_DIR`` if set, else ``<project root>/.tools`` for a source checkout,
    else ``./.tools`` under the current directory.
    """
    env = os.environ.get(TOOLS_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    root = _project_root()
    return (root if root is not None else Path.cwd()) / ".tools"


def anvil_install_command(tools: Path | None = None) -> str:
    """The shell command that installs anvil into the tools folder."""
    return f"npm install --prefix {tools or tools_dir()} {ANVIL_NPM_PACKAGE}"


def _platform_package() -> str | None:
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform)
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    if system is None or arch is None:
        return None
    return f"anvil-{system}-{arch}"


def _native_binary(node_modules: Path) -> Path | None:
    """The real anvil binary inside an npm install, skipping the node wrapper script."""
    scope = node_modules / "@foundry-rs"
    exe = "anvil.exe" if sys.platform == "win32" else "anvil"
    package = _platform_package()
    candidates = [scope / package / "bin" / exe] if package else []
    candidates += sorted(scope.glob(f"anvil-*/bin/{exe}"))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unwrap_npm_shim(path: Path) -> Path:
    """If ``path`` is the npm ``bin.mjs`` wrapper, return the native binary next to it."""
    real = path.resolve()
    if real.name.endswith((".mjs", ".js")) and real.parent.parent.name == "@foundry-rs":
        native = _native_binary(real.parent.parent.parent)
        if native is not None:
            return native
    return path


def find_anvil(*, install: bool = False) -> Path:
    """Path of an anvil executable: ``anvil`` on PATH, else the npm install in ``tools_dir()``.

    Prefers the native binary over npm's node wrapper, so signals reach anvil itself.
    With ``install=True`` runs ``install_anvil()`` when nothing is found.
    Raises AnvilNotFoundError (with the install command) when there is none.
    """
    searched: list[str] = ["PATH"]
    on_path = shutil.which("anvil")
    if on_path:
        return _unwrap_npm_shim(Path(on_path))
    tools = tools_dir()
    node_modules = tools / "node_modules"
    searched.append(str(node_modules))
    native = _native_binary(node_modules)
    if native is not None:
        return native
    shim = node_modules / ".bin" / "anvil"
    if shim.exists() and os.access(shim, os.X_OK):
        return shim
    if install:
        return install_anvil(tools=tools)
    raise AnvilNotFoundError(searched, anvil_install_command(tools))


def install_anvil(*, tools: Path | None = None, timeout: float = 600.0) -> Path:
    """Run ``npm install --prefix <tools> @foundry-rs/anvil`` and return the installed binary.

    Raises AnvilInstallError when npm is missing or the install fails.
    """
    tools = tools or tools_dir()
    command = anvil_install_command(tools)
    searched = [str(tools / "node_modules")]
    npm = shutil.which("npm")
    if npm is None:
        raise AnvilInstallError(searched, command, "npm is not on PATH")
    tools.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(tools), ANVIL_NPM_PACKAGE],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AnvilInstallError(
            searched, command, f"npm did not finish within {timeout}s"
        ) from None
    output = (done.stdout or "") + (done.stderr or "")
    if done.returncode != 0:
        raise AnvilInstallError(searched, command, _tail(output))
    native = _native_binary(tools / "node_modules")
    if native is not None:
        return native
    shim = tools / "node_modules" / ".bin" / "anvil"
    if shim.exists():
        return shim
    raise AnvilInstallError(searched, command, "npm succeeded but no anvil binary was installed")


# --------------------------------------------------------------------------- logs


_KEY_LINE = re.compile(r"^(\s*\(\d+\)\s+)0x[0-9a-fA-F]{64}\s*$", re.MULTILINE)
_MNEMONIC_LINE = re.compile(r"^(\s*Mnemonic:\s*).*$", re.MULTILINE)


def _redact(text: str, secrets: Sequence[str]) -> str:
    """Hide the dev private keys, the mnemonic and secrets (e.g. a fork URL with an API key)."""
    text = _KEY_LINE.sub(r"\1<private key redacted>", text)
    text = _MNEMONIC_LINE.sub(r"\1<redacted>", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def _tail(text: str, lines: int = _LOG_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _redact_url(url: str) -> str:
    """Scheme and host of a URL only (paths and queries often carry API keys)."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@?#]*@)?([^/?#]*)", url)
    if match is None:
        return "<redacted>"
    return f"{match.group(1)}{match.group(3)}/..."


# --------------------------------------------------------------------------- process hygiene


_LIVE: set[AnvilHandle] = set()
_LIVE_LOCK = threading.RLock()  # re-entrant: the signal handler may interrupt a holder
_ATEXIT_INSTALLED = False
_SIGNALS_INSTALLED = False
_PREVIOUS_HANDLERS: dict[int, Any] = {}


def _close_all_at_exit() -> None:
    with _LIVE_LOCK:
        handles = list(_LIVE)
    for handle in handles:
        try:
            handle.close(timeout=5.0)
        except Exception:  # noqa: BLE001 - best effort while the interpreter exits
            handle._emergency_stop(grace=0.0)


def _on_fatal_signal(signum: int, frame: FrameType | None) -> None:
    with _LIVE_LOCK:
        handles = list(_LIVE)
    for handle in handles:
        handle._emergency_stop(grace=2.0)
    previous = _PREVIOUS_HANDLERS.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_exit_hooks() -> None:
    global _ATEXIT_INSTALLED, _SIGNALS_INSTALLED
    if not _ATEXIT_INSTALLED:
        _ATEXIT_INSTALLED = True
        atexit.register(_close_all_at_exit)
    if _SIGNALS_INSTALLED or threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread
    _SIGNALS_INSTALLED = True
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        current = signal.getsignal(signum)
        if current is signal.SIG_IGN or current is None:
            continue
        _PREVIOUS_HANDLERS[int(signum)] = current
        signal.signal(signum, _on_fatal_signal)


def _deathsig_preexec() -> Callable[[], None] | None:
    """A preexec_fn making the child receive SIGKILL when the launching thread dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid()
    pr_set_deathsig = 1
    sigkill = int(signal.SIGKILL)

    def preexec() -> None:
        prctl(pr_set_deathsig, sigkill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), sigkill)

    return preexec


# --------------------------------------------------------------------------- the handle


class AnvilHandle:
    """A running anvil process started by ``launch_anvil``.

    ``close()`` stops it (SIGTERM, then SIGKILL) and returns its logs (dev keys redacted).
    Usable as a context manager.
    """

    def __init__(
        self,
        *,
        process: subprocess.Popen[bytes],
        lease: PortLease,
        workdir: Path,
        log_path: Path,
        binary: Path,
        chain_id: int,
        accounts: int,
        fork_url: str | None,
        fork_block: int | None,
    ) -> None:
        self._process = process
        self._lease = lease
        self._workdir = workdir
        self._log_path = log_path
        self._lock = threading.Lock()
        self._final_logs: str | None = None
        self._secrets = [fork_url] if fork_url else []
        self.binary = binary
        self.host = HOST
        self.port = lease.port
        self.url = f"http://{HOST}:{lease.port}"
        self.pid = process.pid
        self.chain_id = chain_id
        self.accounts = accounts
        self.fork_url = fork_url
        self.fork_block = fork_block

    @property
    def running(self) -> bool:
        """True while the anvil process is alive."""
        return self._final_logs is None and self._process.poll() is None

    def logs(self) -> str:
        """Everything anvil has printed so far (dev keys and fork URL redacted)."""
        if self._final_logs is not None:
            return self._final_logs
        return _redact(_read_text(self._log_path), self._secrets)

    def web3(self, *, timeout: float = 30.0) -> Web3:
        """A Web3 over HTTP to this node.

        web3's automatic request retries are off (a retried ``evm_revert`` or transaction is not
        safe), and proxy settings from the environment are ignored (the node is local).
        """
        import requests
        from web3 import HTTPProvider, Web3

        session = requests.Session()
        session.trust_env = False
        provider = HTTPProvider(
            self.url,
            request_kwargs={"timeout": timeout},
            session=session,
            exception_retry_configuration=None,
        )
        return Web3(provider)

    def close(self, *, timeout: float = 10.0) -> str:
        """Stop anvil (SIGTERM, then SIGKILL after ``timeout`` seconds) and return its logs.

        Idempotent: later calls return the same logs. SIGTERM lets anvil write ``dump_state``.
        """
        with self._lock:
            if self._final_logs is not None:
                return self._final_logs
            try:
                _stop_process_group(self._process, grace=timeout)
                logs = _redact(_read_text(self._log_path), self._secrets)
            finally:
                self._lease.release()
                shutil.rmtree(self._workdir, ignore_errors=True)
                with _LIVE_LOCK:
                    _LIVE.discard(self)
            self._final_logs = logs
            return logs

    def _emergency_stop(self, *, grace: float) -> None:
        """Stop the process without locks or file work (signal handlers, dying interpreter)."""
        with contextlib.suppress(Exception):  # nothing better to do while dying
            _stop_process_group(self._process, grace=grace)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        fork = (
            ""
            if self.fork_url is None
            else f", fork={_redact_url(self.fork_url)}@{self.fork_block}"
        )
        state = "running" if self.running else "stopped"
        return f"AnvilHandle(url={self.url!r}, pid={self.pid}, chain_id={self.chain_id}{fork}, {state})"


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _exited_unreaped(pid: int) -> bool:
    """True once ``pid`` has exited, without reaping it (its pid stays reserved)."""
    waitid = getattr(os, "waitid", None)
    if waitid is None:  # pragma: no cover - platforms without waitid
        return False
    try:
        return waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _stop_process_group(process: subprocess.Popen[bytes], *, grace: float) -> None:
    """SIGTERM the process group, wait up to ``grace`` seconds, then SIGKILL what is left.

    The leader is reaped only after the group is killed, so its pid (the group id) cannot be
    reused by an unrelated process while we signal the group.
    """
    if process.returncode is not None:
        return
    pgid = process.pid  # start_new_session=True: the leader's pid is the group id
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    delay = 0.002
    while not _exited_unreaped(pgid):
        if time.monotonic() >= deadline:
            break
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    _signal_group(pgid, signal.SIGKILL)  # stragglers, e.g. anvil under npm's node wrapper
    process.wait()


# --------------------------------------------------------------------------- launching


def _rpc_chain_id(port: int, timeout: float = 1.0) -> int | None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []})
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
        reply = json.loads(conn.getresponse().read())
        return int(reply["result"], 16)
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def _rpc_fork_block(port: int) -> int | None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "anvil_nodeInfo", "params": []})
    conn = http.client.HTTPConnection(HOST, port, timeout=10.0)
    try:
        conn.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
        reply = json.loads(conn.getresponse().read())
        value = reply["result"]["forkConfig"]["forkBlockNumber"]
        return None if value is None else int(value)
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def _state_json(state: bytes) -> bytes:
    """anvil state as JSON text: accepts anvil_dumpState output (gzip) or plain JSON."""
    if state[:2] == b"\x1f\x8b":
        return gzip.decompress(state)
    return state


class _PortTaken(Exception):
    pass


def _check_args(
    *,
    port: int | None,
    fork_url: str | None,
    fork_block: int | None,
    chain_id: int | None,
    block_time: float | None,
    code_size_limit: int | None,
    accounts: int,
    balance: int,
    startup_timeout: float | None,
) -> None:
    if port is not None and not 1 <= port <= 65535:
        raise DevnetValueError("port", port, "must be in 1..65535")
    if fork_block is not None and fork_url is None:
        raise DevnetValueError("fork_block", fork_block, "needs fork_url")
    if fork_block is not None and fork_block < 0:
        raise DevnetValueError("fork_block", fork_block, "must be >= 0")
    if fork_url is not None and not re.match(r"^(https?|wss?)://", fork_url):
        raise DevnetValueError(
            "fork_url", _redact_url(fork_url), "must be an http(s):// or ws(s):// URL"
        )
    if chain_id is not None and chain_id <= 0:
        raise DevnetValueError("chain_id", chain_id, "must be > 0")
    if block_time is not None and block_time <= 0:
        raise DevnetValueError("block_time", block_time, "must be > 0 seconds")
    if code_size_limit is not None and code_size_limit <= 0:
        raise DevnetValueError("code_size_limit", code_size_limit, "must be > 0 bytes")
    if accounts < 0:
        raise DevnetValueError("accounts", accounts, "must be >= 0")
    if balance < 0:
        raise DevnetValueError("balance", balance, "must be >= 0 ether")
    if startup_timeout is not None and startup_timeout <= 0:
        raise DevnetValueError("startup_timeout", startup_timeout, "must be > 0 seconds")


def launch_anvil(
    *,
    port: int | None = None,
    fork_url: str | None = None,
    fork_block: int | None = None,
    chain_id: int | None = 31337,
    block_time: float | None = None,
    code_size_limit: int | None = None,
    load_state: Path | str | bytes | None = None,
    dump_state: Path | str | None = None,
    accounts: int = 10,
    balance: int = 10_000,
    anvil_path: Path | str | None = None,
    extra_args: Sequence[str] = (),
    startup_timeout: float | None = None,
    watchdog: bool = True,
) -> AnvilHandle:
    """Start anvil on 127.0.0.1 and wait until it answers ``eth_chainId``.

    port: fixed port, or None to lease a free one (retried if another process takes it first).
    fork_url / fork_block: fork a remote chain, pinned at ``fork_block`` when given.
    chain_id: chain id; None keeps anvil's default (the forked chain's id when forking).
    block_time: interval mining in seconds; None mines a block per transaction.
    code_size_limit: max contract code size in bytes (anvil's default is 24576).
    load_state: start from a state: a JSON file path, or bytes from ``Chain.dump_state()``.
    dump_state: file anvil writes its state to when it is closed.
    accounts / balance: number of funded dev accounts and their balance in whole ether.
    anvil_path: the executable; default ``find_anvil()``.
    extra_args: more anvil command line arguments.
    startup_timeout: seconds to wait for readiness (default 30, 120 when forking).
    watchdog: on Linux, kill anvil when the launching thread dies (PR_SET_DEATHSIG). Launch from
        a thread that outlives the node (e.g. the main thread) or pass False.

    Raises DevnetValueError for bad arguments, AnvilNotFoundError when there is no anvil and
    AnvilStartError (with anvil's log tail; the process is killed) when it does not come up.
    """
    _check_args(
        port=port,
        fork_url=fork_url,
        fork_block=fork_block,
        chain_id=chain_id,
        block_time=block_time,
        code_size_limit=code_size_limit,
        accounts=accounts,
        balance=balance,
        startup_timeout=startup_timeout,
    )
    if isinstance(load_state, (str, Path)) and not Path(load_state).is_file():
        raise DevnetValueError("load_state", str(load_state), "no such file")
    binary = Path(anvil_path) if anvil_path is not None else find_anvil()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise AnvilNotFoundError([str(binary)], anvil_install_command())
    timeout = startup_timeout or (_FORK_STARTUP_TIMEOUT_S if fork_url else _STARTUP_TIMEOUT_S)

    workdir = Path(tempfile.mkdtemp(prefix="perennial-anvil-"))
    try:
        args: list[str] = ["--accounts", str(accounts), "--balance", str(balance)]
        if chain_id is not None:
            args += ["--chain-id", str(chain_id)]
        if fork_url is not None:
            args += ["--fork-url", fork_url]
            if fork_block is not None:
                args += ["--fork-block-number", str(fork_block)]
        if block_time is not None:
            args += ["--block-time", f"{block_time:g}"]
        if code_size_limit is not None:
            args += ["--code-size-limit", str(code_size_limit)]
        if isinstance(load_state, bytes):
            state_file = workdir / "load-state.json"
            state_file.write_bytes(_state_json(load_state))
            args += ["--load-state", str(state_file)]
        elif load_state is not None:
            args += ["--load-state", str(load_state)]
        if dump_state is not None:
            args += ["--dump-state", str(dump_state)]
        args += list(extra_args)

        _install_exit_hooks()
        secrets = [fork_url] if fork_url else []
        attempts = 1 if port is not None else _START_ATTEMPTS
        for attempt in range(attempts):
            lease = _lease(port, binary, args)
            log_path = workdir / f"anvil-{attempt}.log"
            try:
                process, answered = _start(
                    binary, args, lease.port, log_path, timeout, watchdog, secrets
                )
            except _PortTaken:
                lease.release()
                continue
            except BaseException:
                lease.release()
                raise
            handle = AnvilHandle(
                process=process,
                lease=lease,
                workdir=workdir,
                log_path=log_path,
                binary=binary,
                chain_id=answered,
                accounts=accounts,
                fork_url=fork_url,
                fork_block=_rpc_fork_block(lease.port) if fork_url else None,
            )
            with _LIVE_LOCK:
                _LIVE.add(handle)
            return handle
        raise AnvilStartError(
            "port_in_use",
            command=[str(binary), *_redacted_args(args, secrets)],
            returncode=None,
            logs_tail="",
            detail=f"every leased port was taken by another process ({attempts} attempts)",
        )
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _redacted_args(args: Sequence[str], secrets: Sequence[str]) -> list[str]:
    return [_redact(arg, secrets) for arg in args]


def _lease(port: int | None, binary: Path, args: Sequence[str]) -> PortLease:
    if port is None:
        return lease_free_port(HOST)
    lease = try_lease(port, HOST)
    if lease is None:
        raise AnvilStartError(
            "port_in_use",
            command=[str(binary), "--port", str(port)],
            returncode=None,
            logs_tail="",
            detail=f"{HOST}:{port} is already in use",
        )
    return lease


def _start(
    binary: Path,
    args: Sequence[str],
    port: int,
    log_path: Path,
    timeout: float,
    watchdog: bool,
    secrets: Sequence[str],
) -> tuple[subprocess.Popen[bytes], int]:
    """Spawn anvil and wait for readiness; on any failure the process is stopped first."""
    command = [str(binary), "--host", HOST, "--port", str(port), *args]
    env = {k: v for k, v in os.environ.items() if k != "ANVIL_IP_ADDR"}
    env["NO_COLOR"] = "1"
    shown = [str(binary), "--host", HOST, "--port", str(port), *_redacted_args(args, secrets)]
    with open(log_path, "wb") as log:
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                # only prctl + getppid run in the child; no locks are taken there
                preexec_fn=_deathsig_preexec() if watchdog else None,  # noqa: PLW1509
            )
        except OSError as exc:
            raise AnvilStartError(
                "spawn_failed", command=shown, returncode=None, logs_tail="", detail=str(exc)
            ) from exc

    def fail(reason: str, detail: str = "") -> AnvilStartError:
        _stop_process_group(process, grace=1.0)
        logs = _redact(_read_text(log_path), secrets)
        return AnvilStartError(
            reason,
            command=shown,
            returncode=process.returncode,
            logs_tail=_tail(logs),
            detail=detail,
        )

    listening = f"Listening on {HOST}:{port}"
    deadline = time.monotonic() + timeout
    delay = 0.005
    try:
        while True:
            if process.poll() is not None:
                text = _read_text(log_path)
                if "Address already in use" in text or "os error 98" in text:
                    raise _PortTaken()
                raise fail("exited")
            if listening in _read_text(log_path):
                answered = _rpc_chain_id(port)
                if answered is not None and process.poll() is None:
                    return process, answered
            if time.monotonic() >= deadline:
                raise fail("timeout", f"no answer to eth_chainId within {timeout:g}s")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.1)
    except _PortTaken:
        _stop_process_group(process, grace=0.0)
        raise
    except AnvilStartError:
        raise
    except BaseException:  # e.g. KeyboardInterrupt while waiting
        _stop_process_group(process, grace=1.0)
        raise
