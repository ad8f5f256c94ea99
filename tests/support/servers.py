"""Throwaway PostgreSQL and Redis servers for the test suite.

Every server started here is private to one test run: it lives in a temporary
directory, listens on a free loopback port picked at start, and is stopped (and
its files removed) by whoever started it. Nothing here ever talks to a server
someone else started (e.g. the machine's own PostgreSQL on 5432 or Redis on
6379), and no port is fixed.

Use from Python::

    pg = start_postgres(base_dir)      # initdb + start, database contract_flow_test
    pg.url                             # postgresql+psycopg://postgres@127.0.0.1:PORT/contract_flow_test
    pg.dsn                             # same, libpq form (for psycopg.connect)
    pg.restart(); pg.stop(); pg.close()

    rd = start_redis(base_dir)
    rd.url                             # redis://127.0.0.1:PORT/0
    rd.restart(); rd.kill(); rd.start(); rd.close()

Or as a wrapper around a command (what ``make test`` does)::

    python -m tests.support.servers -- pytest -q

which starts both servers in a fresh temporary directory, runs the command with
``CONTRACT_FLOW_TEST_POSTGRES_URL`` and ``CONTRACT_FLOW_TEST_REDIS_URL`` set,
stops both servers and removes the directory in all cases (normal exit, error,
Ctrl-C, SIGTERM/SIGHUP, which are forwarded to the command), and exits with the
command's exit code.

Details:

* PostgreSQL binaries are taken from ``$CONTRACT_FLOW_PG_BINDIR`` if set, else
  the newest ``/usr/lib/postgresql/<version>/bin`` (Debian), else ``initdb`` on
  PATH. initdb/postgres refuse to run as root, so as root they run as the
  ``postgres`` system user (via ``setpriv``), in a directory owned by that user.
* Servers are direct child processes (no ``pg_ctl``/daemonize) in their own
  session, so a Ctrl-C in the terminal reaches only the test command, and the
  owner stops them in order. They are also started with a parent-death signal
  (``setpriv --pdeathsig``, Linux): if the process that started them dies
  without cleaning up (SIGKILL, crash), the kernel stops them too, so nothing
  is left listening.
* A server that does not become ready within its timeout raises
  :class:`ServerStartError` with the tail of its log.
* A missing binary raises :class:`ServerBinaryMissing`, whose message says to
  run ``make test`` or ``scripts/ensure-system-packages.sh``.

Standard library only.

Why not pytest-postgresql and pytest-redis (issue 11; their executors were tried here, as root, as CI runs):

* ``pytest_postgresql.executors.PostgreSQLExecutor`` drives ``pg_ctl``, which
  refuses root ("pg_ctl: cannot be run as root") and offers no way to run it
  as the ``postgres`` system user; sessions and CI run as root. ``pg_ctl
  start`` also daemonizes the postmaster: it is not our child, so no
  parent-death signal stops it when the wrapper is killed (a CI timeout would
  leave it listening), and ``stop()`` is only ``pg_ctl stop -m fast``, not
  the immediate stop and SIGKILL the crash tests use.
* ``pytest_redis.executor.RedisExecutor`` (mirakuru) does start, stop, kill
  and restart Redis as root. Alone it would replace about a hundred lines of
  this module at the price of five packages (pytest-redis, mirakuru,
  port-for, psutil, and a pytest plugin loaded into every run), two ways of
  running servers instead of one, and the parent-death signal: mirakuru
  builds the command line from the executable, with no room for ``setpriv
  --pdeathsig``. Kept as it is.
* Neither wraps a command with its servers (``python -m tests.support.servers
  -- CMD``, used by ``make test`` and ``make bench``): that stays ours anyway.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType, TracebackType

__all__ = [
    "ENV_POSTGRES_URL",
    "ENV_REDIS_URL",
    "PostgresServer",
    "RedisServer",
    "ServerBinaryMissing",
    "ServerStartError",
    "free_port",
    "libpq_dsn",
    "main",
    "start_postgres",
    "start_redis",
]

ENV_POSTGRES_URL = "CONTRACT_FLOW_TEST_POSTGRES_URL"
ENV_REDIS_URL = "CONTRACT_FLOW_TEST_REDIS_URL"
ENV_PG_BINDIR = "CONTRACT_FLOW_PG_BINDIR"

HOST = "127.0.0.1"
DEFAULT_DATABASE = "contract_flow_test"
POSTGRES_SUPERUSER = "postgres"
POSTGRES_SYSTEM_USER = "postgres"

INSTALL_HINT = (
    "Run `make test` (which installs what the tests need), or install the "
    "system packages with `sudo scripts/ensure-system-packages.sh`."
)

# Max length of a unix socket path (sun_path is 108 bytes on Linux, less elsewhere).
_MAX_SOCKET_PATH = 100
# Attempts with a fresh port when a just-picked free port gets taken before use.
_PORT_ATTEMPTS = 3
_POLL_INTERVAL = 0.02


class ServerBinaryMissing(RuntimeError):
    """A server binary needed by the tests is not installed."""


class ServerStartError(RuntimeError):
    """A server did not start or did not become ready in time."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def libpq_dsn(url: str) -> str:
    """Turn a SQLAlchemy URL (``postgresql+psycopg://...``) into a libpq one."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    return f"{scheme.split('+', 1)[0]}://{rest}"


# --------------------------------------------------------------------------- helpers


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _clean_env() -> dict[str, str]:
    """The environment for server processes: without PG* variables (PGDATA, PGHOST...)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    tail = text.splitlines()[-lines:]
    return "\n".join("    " + line for line in tail) if tail else "    (log is empty)"


def _address_in_use(log: Path) -> bool:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return False
    return "Address already in use" in text or "could not bind" in text


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def _setpriv() -> str | None:
    return shutil.which("setpriv") or next(
        (p for p in ("/usr/bin/setpriv", "/bin/setpriv") if os.access(p, os.X_OK)), None
    )


def _launch_prefix(*, as_user: str | None, death_signal: str | None) -> list[str]:
    """Command prefix that drops to ``as_user`` and/or sets a parent-death signal."""
    setpriv = _setpriv()
    if as_user is not None:
        if setpriv is not None:
            prefix = [
                setpriv,
                f"--reuid={as_user}",
                f"--regid={as_user}",
                "--init-groups",
            ]
            if death_signal:
                prefix.append(f"--pdeathsig={death_signal}")
            return [*prefix, "--"]
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        if os.access(runuser, os.X_OK):
            return [runuser, "-u", as_user, "--"]
        raise ServerBinaryMissing(
            f"Need `setpriv` or `runuser` (util-linux) to run servers as {as_user!r} "
            f"when root. {INSTALL_HINT}"
        )
    if death_signal and setpriv is not None and sys.platform.startswith("linux"):
        return [setpriv, f"--pdeathsig={death_signal}", "--"]
    return []


def _stop_process(proc: subprocess.Popen[bytes] | None, sig: int, timeout: float) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait(timeout=10)


def _traversable_by(path: Path, uid: int, gids: set[int]) -> bool:
    """Whether a user can reach ``path`` (execute bit on it and every parent)."""
    for p in (path, *path.parents):
        try:
            st = p.stat()
        except OSError:
            return False
        mode = st.st_mode
        if st.st_uid == uid:
            ok = mode & stat.S_IXUSR
        elif st.st_gid in gids:
            ok = mode & stat.S_IXGRP
        else:
            ok = mode & stat.S_IXOTH
        if not ok:
            return False
    return True


# --------------------------------------------------------------------------- PostgreSQL


def find_postgres_bindir() -> Path:
    """Directory holding initdb/postgres/createdb; raises ServerBinaryMissing."""
    override = os.environ.get(ENV_PG_BINDIR)
    if override:
        bindir = Path(override)
        if (bindir / "initdb").exists() and (bindir / "postgres").exists():
            return bindir
        raise ServerBinaryMissing(f"${ENV_PG_BINDIR}={override} has no initdb/postgres. {INSTALL_HINT}")

    def version_key(p: Path) -> tuple[int, ...]:
        parts = p.parent.parent.name.split(".")
        return tuple(int(x) if x.isdigit() else -1 for x in parts)

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version_key)
    for initdb in reversed(debian):
        if (initdb.parent / "postgres").exists():
            return initdb.parent
    on_path = shutil.which("initdb")
    if on_path and (Path(on_path).parent / "postgres").exists():
        return Path(on_path).parent
    raise ServerBinaryMissing(
        "PostgreSQL server binaries (initdb, postgres) not found in "
        f"/usr/lib/postgresql/*/bin or on PATH. {INSTALL_HINT}"
    )


class PostgresServer:
    """A private PostgreSQL cluster in its own directory, on 127.0.0.1:``port``.

    Create it with :func:`start_postgres`. ``stop()``/``start()``/``restart()``
    keep the cluster and the port; ``close()`` stops it and deletes its files.
    """

    def __init__(
        self,
        base_dir: Path,
        *,
        port: int | None = None,
        database: str = DEFAULT_DATABASE,
        start_timeout: float = 60.0,
    ) -> None:
        self.bindir = find_postgres_bindir()
        self.port = port if port is not None else free_port()
        self.database = database
        self.start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._as_user = POSTGRES_SYSTEM_USER if _is_root() else None
        self.dir = self._make_dir(Path(base_dir))
        self.data_dir = self.dir / "data"
        self.log_path = self.dir / "postgres.log"
        sock_dir = self.dir / "sock"
        if len(str(sock_dir / ".s.PGSQL.65535")) <= _MAX_SOCKET_PATH:
            self.socket_dir: Path | None = sock_dir
        else:
            self.socket_dir = None  # path too long for a unix socket: TCP only
        self._initialized = False

    # ----------------------------------------------------------- public API
    @property
    def url(self) -> str:
        """SQLAlchemy URL (psycopg 3 driver)."""
        return f"postgresql+psycopg://{POSTGRES_SUPERUSER}@{HOST}:{self.port}/{self.database}"

    @property
    def dsn(self) -> str:
        """libpq URL, for ``psycopg.connect``."""
        return libpq_dsn(self.url)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> PostgresServer:
        """Start the server (initdb and create the database the first time)."""
        if self.running:
            return self
        if not self._initialized:
            self._initdb()
        self._spawn()
        self._wait_ready()
        if not self._initialized:
            self._createdb()
            self._initialized = True
        return self

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server, keeping its files (like ``pg_ctl stop -m MODE``).

        ``immediate`` (default) is the quickest but, as ``synchronous_commit``
        is off, loses the last few hundred milliseconds of commits; ``fast``
        disconnects clients and checkpoints, so all committed data survives.
        """
        signals = {"immediate": signal.SIGQUIT, "fast": signal.SIGINT, "smart": signal.SIGTERM}
        if mode not in signals:
            raise ValueError(f"mode must be one of {sorted(signals)}, not {mode!r}")
        _stop_process(self._proc, signals[mode], timeout=30)
        self._proc = None

    def restart(self, mode: str = "fast") -> PostgresServer:
        """Stop (``fast`` by default: committed data is kept) and start again, same port."""
        self.stop(mode)
        return self.start()

    def kill(self) -> None:
        """SIGKILL the postmaster (its backends exit by themselves)."""
        _stop_process(self._proc, signal.SIGKILL, timeout=10)
        self._proc = None

    def close(self) -> None:
        """Stop and delete the server's directory."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<PostgresServer {HOST}:{self.port} dir={self.dir} running={self.running}>"

    # ----------------------------------------------------------- internals
    def _make_dir(self, base_dir: Path) -> Path:
        base_dir.mkdir(parents=True, exist_ok=True)
        if self._as_user is None:
            return Path(tempfile.mkdtemp(prefix="postgres-", dir=base_dir))
        try:
            pw = pwd.getpwnam(self._as_user)
        except KeyError:
            raise ServerBinaryMissing(
                f"Running as root, PostgreSQL must run as the {self._as_user!r} system "
                f"user, which does not exist. {INSTALL_HINT}"
            ) from None
        gids = set(os.getgrouplist(self._as_user, pw.pw_gid))
        parent = base_dir.resolve()
        if not _traversable_by(parent, pw.pw_uid, gids):
            # e.g. pytest's /tmp/pytest-of-root is 0700: use the system temp dir.
            parent = Path(tempfile.gettempdir()).resolve()
            if not _traversable_by(parent, pw.pw_uid, gids):
                raise ServerStartError(
                    f"Neither {base_dir} nor {parent} is reachable by the "
                    f"{self._as_user!r} user; cannot host a PostgreSQL data dir."
                )
        path = Path(tempfile.mkdtemp(prefix="contract-flow-postgres-", dir=parent))
        os.chown(path, pw.pw_uid, pw.pw_gid)
        return path

    def _prefix(self, death_signal: str | None = None) -> list[str]:
        return _launch_prefix(as_user=self._as_user, death_signal=death_signal)

    def _initdb(self) -> None:
        cmd = [
            *self._prefix(),
            str(self.bindir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            POSTGRES_SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]
        try:
            res = subprocess.run(
                cmd,
                check=False,
                cwd=self.dir,
                env=_clean_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=self.start_timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise ServerStartError(f"initdb timed out after {self.start_timeout}s") from exc
        if res.returncode != 0:
            raise ServerStartError(
                f"initdb failed (exit {res.returncode}): {' '.join(cmd)}\n"
                f"{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
            )

    def _spawn(self) -> None:
        settings = {
            "port": str(self.port),
            "listen_addresses": HOST,
            "unix_socket_directories": str(self.socket_dir) if self.socket_dir else "",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "200",
        }
        if self.socket_dir is not None and not self.socket_dir.exists():
            self.socket_dir.mkdir(mode=0o700)
            if self._as_user is not None:
                pw = pwd.getpwnam(self._as_user)
                os.chown(self.socket_dir, pw.pw_uid, pw.pw_gid)
        cmd = [*self._prefix(death_signal="QUIT"), str(self.bindir / "postgres")]
        cmd += ["-D", str(self.data_dir)]
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                cmd,
                cwd=self.dir,
                env=_clean_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _pidfile_ready(self) -> bool:
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
        except OSError:
            return False
        # Line 8 is the postmaster status (PostgreSQL >= 10), "ready" once it accepts.
        return len(lines) >= 8 and lines[7].strip() == "ready"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            assert self._proc is not None
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self._proc = None
                raise ServerStartError(
                    f"PostgreSQL exited with code {code} while starting on "
                    f"{HOST}:{self.port} (dir {self.dir}). Last log lines:\n"
                    f"{_log_tail(self.log_path)}"
                )
            if self._pidfile_ready() and _port_open(self.port):
                return
            if time.monotonic() > deadline:
                self.stop()
                raise ServerStartError(
                    f"PostgreSQL did not become ready on {HOST}:{self.port} within "
                    f"{self.start_timeout}s (dir {self.dir}). Last log lines:\n"
                    f"{_log_tail(self.log_path)}"
                )
            time.sleep(_POLL_INTERVAL)

    def _createdb(self) -> None:
        cmd = [
            str(self.bindir / "createdb"),
            "--no-password",
            "-h",
            HOST,
            "-p",
            str(self.port),
            "-U",
            POSTGRES_SUPERUSER,
            self.database,
        ]
        res = subprocess.run(
            cmd,
            check=False,
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if res.returncode != 0:
            raise ServerStartError(
                f"createdb {self.database} failed (exit {res.returncode}): {res.stderr.strip()}"
            )


def start_postgres(
    base_dir: Path,
    *,
    database: str = DEFAULT_DATABASE,
    start_timeout: float = 60.0,
) -> PostgresServer:
    """Start a throwaway PostgreSQL on a free port, with ``database`` created.

    The caller must ``close()`` it. Retries with a new port if the picked port
    got taken before the server could bind it.
    """
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        server = PostgresServer(base_dir, database=database, start_timeout=start_timeout)
        try:
            return server.start()
        except ServerStartError:
            retry = attempt < _PORT_ATTEMPTS and _address_in_use(server.log_path)
            server.close()
            if not retry:
                raise
        except BaseException:
            server.close()
            raise
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- Redis


def find_redis_server() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    for candidate in ("/usr/bin/redis-server", "/usr/local/bin/redis-server"):
        if os.access(candidate, os.X_OK):
            return candidate
    raise ServerBinaryMissing(f"redis-server not found on PATH. {INSTALL_HINT}")


class RedisServer:
    """A private, non-persistent Redis on 127.0.0.1:``port``.

    Create it with :func:`start_redis`. ``stop()`` (SIGTERM), ``kill()``
    (SIGKILL), ``start()`` and ``restart()`` keep the port, so clients holding
    ``url`` can reconnect; data is not persisted across restarts. ``close()``
    stops it and deletes its directory.
    """

    def __init__(self, base_dir: Path, *, port: int | None = None, start_timeout: float = 20.0) -> None:
        self.binary = find_redis_server()
        self.port = port if port is not None else free_port()
        self.start_timeout = start_timeout
        base_dir = Path(base_dir)
        base_dir.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="redis-", dir=base_dir))
        self.log_path = self.dir / "redis.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> RedisServer:
        if self.running:
            return self
        cmd = [
            *_launch_prefix(as_user=None, death_signal="TERM"),
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.dir),
            "--daemonize",
            "no",
        ]
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                cmd,
                cwd=self.dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def ping(self, timeout: float = 0.5) -> bool:
        """Whether the server answers PING (standard library only)."""
        try:
            with socket.create_connection((HOST, self.port), timeout=timeout) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def _server_pid(self) -> int | None:
        """``process_id`` from INFO of whatever answers on the port, or None."""
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as sock:
                sock.sendall(b"INFO server\r\n")
                data = b""
                while True:
                    header, sep, body = data.partition(b"\r\n")
                    # Bulk reply: b"$<length>\r\n<body>\r\n" (an error starts with "-").
                    if sep and (not header.startswith(b"$") or len(body) >= int(header[1:]) + 2):
                        break
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
        except (OSError, ValueError):
            return None
        for line in body.decode(errors="replace").splitlines():
            if line.startswith("process_id:"):
                return int(line.partition(":")[2])
        return None

    def stop(self) -> None:
        """Graceful shutdown (SIGTERM); no data is saved."""
        _stop_process(self._proc, signal.SIGTERM, timeout=10)
        self._proc = None

    def kill(self) -> None:
        """Crash it (SIGKILL)."""
        _stop_process(self._proc, signal.SIGKILL, timeout=10)
        self._proc = None

    def restart(self) -> RedisServer:
        """Stop and start again on the same port (empty dataset)."""
        self.stop()
        return self.start()

    def close(self) -> None:
        """Kill it (nothing to save) and delete its directory."""
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RedisServer {HOST}:{self.port} dir={self.dir} running={self.running}>"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            assert self._proc is not None
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self._proc = None
                raise ServerStartError(
                    f"redis-server exited with code {code} while starting on "
                    f"{HOST}:{self.port} (dir {self.dir}). Last log lines:\n"
                    f"{_log_tail(self.log_path)}"
                )
            # Check the answer comes from our process, not from something else on the port.
            if self._server_pid() == self._proc.pid:
                return
            if time.monotonic() > deadline:
                self.kill()
                raise ServerStartError(
                    f"redis-server did not answer PING on {HOST}:{self.port} within "
                    f"{self.start_timeout}s (dir {self.dir}). Last log lines:\n"
                    f"{_log_tail(self.log_path)}"
                )
            time.sleep(_POLL_INTERVAL)


def start_redis(base_dir: Path, *, start_timeout: float = 20.0) -> RedisServer:
    """Start a throwaway Redis on a free port; the caller must ``close()`` it."""
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        server = RedisServer(base_dir, start_timeout=start_timeout)
        try:
            return server.start()
        except ServerStartError:
            retry = attempt < _PORT_ATTEMPTS and _address_in_use(server.log_path)
            server.close()
            if not retry:
                raise
        except BaseException:
            server.close()
            raise
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- wrapper


class _Terminated(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


USAGE = f"""\
usage: python -m tests.support.servers -- CMD [ARGS...]

Start throwaway PostgreSQL and Redis servers in a temporary directory, run CMD
with these environment variables set:
    {ENV_POSTGRES_URL}
    {ENV_REDIS_URL}
then stop the servers and remove the directory. Exits with CMD's exit code."""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--":
        args = args[1:]
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 0 if args else 2

    child: subprocess.Popen[bytes] | None = None
    forward = (signal.SIGTERM, signal.SIGHUP)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if child is None:
            raise _Terminated(signum)  # still starting: unwind to the cleanup
        if signum != signal.SIGINT:
            # Ctrl-C in a terminal already reaches CMD (same process group);
            # forwarding SIGINT too would interrupt its own cleanup.
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in forward}
    previous[signal.SIGINT] = signal.getsignal(signal.SIGINT)
    tmp = Path(tempfile.mkdtemp(prefix="contract-flow-test-"))
    if _is_root():
        tmp.chmod(0o755)  # the postgres user must reach its data dir inside
    pg: PostgresServer | None = None
    rd: RedisServer | None = None
    try:
        t0 = time.monotonic()
        pg = start_postgres(tmp)
        t1 = time.monotonic()
        rd = start_redis(tmp)
        t2 = time.monotonic()
        print(
            f"test servers: PostgreSQL {HOST}:{pg.port} ({t1 - t0:.1f}s), "
            f"Redis {HOST}:{rd.port} ({t2 - t1:.1f}s), in {tmp}",
            file=sys.stderr,
            flush=True,
        )
        env = dict(os.environ)
        env[ENV_POSTGRES_URL] = pg.url
        env[ENV_REDIS_URL] = rd.url
        try:
            child = subprocess.Popen(args, env=env)
        except OSError as exc:
            print(f"cannot run {args[0]!r}: {exc}", file=sys.stderr)
            return 127
        if previous[signal.SIGINT] is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, on_signal)
        code = child.wait()
        return code if code >= 0 else 128 - code
    except _Terminated as exc:
        return 128 + exc.signum
    except KeyboardInterrupt:
        return 130
    except (ServerBinaryMissing, ServerStartError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        # Don't let a second Ctrl-C/SIGTERM cut the cleanup short.
        for sig in (*forward, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        try:
            if rd is not None:
                rd.close()
            if pg is not None:
                pg.close()
            shutil.rmtree(tmp, ignore_errors=True)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
