"""The daily retention job (issue 16, item 6): the beat schedules it every night at 03:30 in Paris, and its thin task
runs the use case as the beat, on SQLite and PostgreSQL: a candidate who withdrew 24 months ago is anonymised and
logged as done by the beat; run again, nothing more."""

from __future__ import annotations

from datetime import date

import pytest
from celery.schedules import crontab

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.queue import RUN_RETENTION, celery_config
from contract_flow.bootstrap import App
from contract_flow.services.cases import advance
from contract_flow.services.retention import anonymisation_log
from contract_flow.settings import Settings
from tests.conftest import People
from tests.support.cases import open_candidate
from tests.support.retention import traces
from tests.support.world import paris
from workers import tasks

pytestmark = pytest.mark.postgres


def test_the_beat_runs_the_retention_every_night() -> None:
    entry = celery_config(Settings(environment="test"))["beat_schedule"]["anonymise-what-is-due"]
    assert entry["task"] == RUN_RETENTION
    assert entry["schedule"] == crontab(hour=3, minute=30)
    assert tasks.run_retention.name == RUN_RETENTION  # the worker's task of that name


def test_the_task_anonymises_what_is_due_as_the_beat(app: App, people: People, clock: FixedClock,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = open_candidate(app, first_name="Aurélien", last_name="Brocéliande", email="aurelien.b@example.org")
    clock.set(paris(2026, 3, 10, 10))
    advance(app, case_id, "withdraw", actor_email=people.advisor, reason="parti à l'étranger")
    monkeypatch.setattr(tasks, "services", lambda: app)
    clock.set(paris(2028, 3, 9, 4))
    assert tasks.run_retention() == 0  # kept through the day before
    clock.set(paris(2028, 3, 10, 3, 30))
    assert tasks.run_retention() == 1
    assert traces(app, ("Aurélien", "Brocéliande", "aurelien.b@example.org", "parti à l'étranger")) == []
    [entry] = anonymisation_log(app, actor_email="system")
    assert (entry.case_id, entry.by, entry.why, entry.due_on) == (case_id, "beat", "retention", date(2028, 3, 10))
    assert tasks.run_retention() == 0
