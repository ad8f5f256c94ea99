"""The password verifier's rate: at most `per_second` verifications start a second, the rest refused at once."""

from __future__ import annotations

import os

import pytest

from contract_flow.adapters.passwords import HASHERS, PasswordVerifier, VerifierBusy


def test_a_verification_beyond_the_rate_is_refused_at_once_and_one_is_allowed_again_later() -> None:
    stored = HASHERS["cheapest"].hash("un mot de passe assez long")
    verifier = PasswordVerifier(per_second=1000.0)
    try:
        assert verifier.verify(stored, "un mot de passe assez long")
    finally:
        verifier.close()
    slow = PasswordVerifier(per_second=0.01)  # one in the bucket, the next in 100 s
    try:
        assert slow.verify(stored, "un mot de passe assez long")
        with pytest.raises(VerifierBusy) as busy:
            slow.verify(stored, "un mot de passe assez long")
        assert busy.value.retry_after >= 90
    finally:
        slow.close()


def test_no_rate_verifies_every_time_and_a_negative_rate_is_refused() -> None:
    stored = HASHERS["cheapest"].hash("un mot de passe assez long")
    verifier = PasswordVerifier(per_second=0)
    try:
        assert all(verifier.verify(stored, "un mot de passe assez long") for _ in range(20))
    finally:
        verifier.close()
    with pytest.raises(ValueError, match="per_second"):
        PasswordVerifier(per_second=-1)


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="one core: nothing to keep apart")
def test_the_verifier_hashes_on_one_core_only() -> None:
    stored = HASHERS["cheapest"].hash("un mot de passe assez long")
    verifier = PasswordVerifier()
    try:
        verifier.verify(stored, "x" * 12)
        cores = verifier._pool().submit(lambda: os.sched_getaffinity(0)).result()
    finally:
        verifier.close()
    assert len(cores) == 1
