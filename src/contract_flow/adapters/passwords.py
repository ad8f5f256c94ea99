"""Password hashes (argon2id) and their verification off the request threads' critical path.

argon2id at the production cost takes about 0.16 s of CPU a verification (RFC 9106's low-memory profile: 64 MiB,
3 passes) on this project's reference machine. Run in the route's threadpool, ten logins a second took every core
the API needed: every API request waited twentyfold (issue 12, item 5). Verifications therefore run in their own
small executor (`PasswordVerifier`):

- one worker by default: at most one core hashes, whatever the number of logins;
- its thread runs at a lower scheduling priority (Linux's per-thread nice value, inherited by the threads argon2
  may start for its lanes): when the API and a verification compete for a core, the kernel gives it to the API;
- argon2-cffi releases the GIL while it hashes (cffi calls into C without it), so the worker does not hold up the
  API's Python threads (measured: a sleeping thread's wake-up latency stays under a millisecond at the median
  while another thread verifies in a loop);
- a bounded queue: past `queue` verifications waiting or running, `verify` raises `VerifierBusy` at once (the
  login page answers 429 with Retry-After) instead of letting a flood queue up forever;
- a rate (`per_second`, a token bucket), and the verifier's threads (argon2's lanes with them) kept on one core:
  on two cores a verification spread over both, even at the lowest priority, still lengthened the API's slowest
  answers (argon2 fills 64 MiB). bench/login_flood.py, API p99 under 10 logins/s over the calm p99, on this
  2-core machine: 2.27 with neither; with one core, 1.86 without a rate, 1.40 at 2 a second (the default), 1.23 at
  1. A flood beyond the rate is answered 429 at once.
"""

from __future__ import annotations

import math
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: argon2id: RFC 9106's second recommended option (64 MiB, 3 passes), or the cheapest for test suites. A hash
#: carries its own parameters, so either verifies the other's.
HASHERS = {"standard": PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY),
           "cheapest": PasswordHasher.from_parameters(profiles.CHEAPEST)}


@cache
def nobody(cost: str) -> str:
    """A hash of nothing anyone knows, verified when the email is unknown, so that the answer takes as long as
    for a known email with a wrong password (an email cannot be probed by timing)."""
    return HASHERS[cost].hash(secrets.token_urlsafe(16))


def matches(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` hashes (with the stored hash's own parameters)."""
    try:
        return HASHERS["standard"].verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class VerifierBusy(Exception):
    """Too many verifications waiting: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"password verifications are busy; retry in {retry_after} s")
        self.retry_after = retry_after


class PasswordVerifier:
    """A bounded executor for password verifications: `workers` threads at nice `nice`, at most `queue`
    verifications waiting or running (beyond: VerifierBusy, immediately)."""

    def __init__(self, *, workers: int = 1, queue: int = 8, nice: int = 19, per_second: float = 0.0) -> None:
        if workers < 1 or queue < workers:
            raise ValueError("a verifier has at least one worker and a queue at least as long as its workers")
        if per_second < 0:
            raise ValueError("per_second: at least 0 (0: no rate)")
        self.workers, self.queue, self.nice = workers, queue, nice
        #: Verifications started per second at most (0: no rate), and the bucket of those not yet spent.
        self.per_second = per_second
        self._burst = max(1.0, per_second)
        self._tokens = self._burst
        self._filled_at = time.monotonic()
        self._slots = threading.BoundedSemaphore(queue)
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        #: Seconds one verification took last (for Retry-After), starting from the standard cost's.
        self._last_seconds = 0.2

    def _pool(self) -> ThreadPoolExecutor:
        # Created on first use: most Apps (CLI commands, workers, tests) never verify a password.
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="password-verifier",
                                                    initializer=_lower_priority, initargs=(self.nice,))
            return self._executor

    def verify(self, stored: str, password: str) -> bool:
        """`matches(stored, password)` run on the verifier's threads; the caller waits for it. VerifierBusy
        when the queue is full (nothing is run)."""
        self._spend_token()
        if not self._slots.acquire(blocking=False):
            raise VerifierBusy(max(1, math.ceil(self._last_seconds * self.queue / self.workers)))
        try:
            future = self._pool().submit(self._timed, stored, password)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future.result()

    def _spend_token(self) -> None:
        """The rate: a verification may start if the bucket (refilled `per_second` a second) holds one."""
        if not self.per_second:
            return
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._filled_at) * self.per_second)
            self._filled_at = now
            if self._tokens < 1:
                raise VerifierBusy(max(1, math.ceil((1 - self._tokens) / self.per_second)))
            self._tokens -= 1

    def _timed(self, stored: str, password: str) -> bool:
        started = time.perf_counter()
        try:
            return matches(stored, password)
        finally:
            self._last_seconds = max(0.001, time.perf_counter() - started)

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _lower_priority(nice: int) -> None:
    """Lower this worker thread's priority: on Linux the nice value is per thread (setpriority on its id); and
    keep it, with the lane threads argon2 starts from it (they inherit both), on one core when there are several,
    so that a verification never takes every core at once."""
    native = threading.get_native_id()
    try:
        cores = sorted(os.sched_getaffinity(native))
        if len(cores) > 1:
            os.sched_setaffinity(native, {cores[-1]})
    except (AttributeError, OSError):  # not Linux: the priority and the rate still hold
        pass
    if nice <= 0:
        return
    try:
        current = os.getpriority(os.PRIO_PROCESS, native)
        os.setpriority(os.PRIO_PROCESS, native, min(19, current + nice))
    except (AttributeError, OSError):  # not Linux, or not allowed: the bounded queue still holds
        pass
