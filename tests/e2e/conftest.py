"""Fixtures of the API and web tests: the world of two CFAs (tests/support/world.py)."""

from __future__ import annotations

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from tests.support.world import World, build_world


@pytest.fixture
def world(app: App, clock: FixedClock) -> World:
    return build_world(app, clock)
