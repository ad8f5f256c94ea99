"""Real Celery worker and beat processes for the tests, started as a user would: `contract-flow worker`."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

CONTRACT_FLOW = str(Path(sys.executable).parent / "contract-flow")


class Process:
    """One `contract-flow ...` process in its own session, so a kill reaches its children (prefork pool)."""

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path) -> None:
        self.args = args
        self.env = {**os.environ, **env}
        self.log = log
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        with self.log.open("ab") as out:
            self._proc = subprocess.Popen([CONTRACT_FLOW, *self.args], env=self.env, stdin=subprocess.DEVNULL,
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def kill(self) -> None:
        """`kill -9` the process and its children, as a crash would."""
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait(timeout=30)
            self._proc = None

    def stop(self, timeout: float = 30.0) -> None:
        """A warm shutdown (SIGTERM), then a kill if it takes too long."""
        if self._proc is None:
            return
        try:
            os.killpg(self._proc.pid, signal.SIGTERM)
            self._proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
        self._proc = None

    def wait_for_log(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.exists() and text in self.log.read_text(errors="replace"):
                return
            if self._proc is not None and self._proc.poll() is not None:
                break
            time.sleep(0.1)
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else "(no log)"
        raise AssertionError(f"{self.args[0]} did not log {text!r} within {timeout}s:\n{tail}")

    def __enter__(self) -> Self:
        return self if self.running else self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
