"""The rule set and the programme calendar the rules tests read: the real files, loaded once."""

from __future__ import annotations

import pytest

from contract_flow.domain.rules import ProgrammeCalendar, RuleSet
from contract_flow.rulefiles import load_programme_calendar, load_ruleset


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="session")
def mecatronique() -> ProgrammeCalendar:
    return load_programme_calendar("mecatronique")
