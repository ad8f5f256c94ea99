"""The packaged reminders.toml parsed into the policies, wrong values refused by name; the quiet hours of emails."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.configfiles import PACKAGED_DIR
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reminders import ReminderPolicies, defer_past_quiet_hours, parse_policies

CONFIG = PACKAGED_DIR / "reminders.toml"
DEFAULTS = ReminderPolicies()


def config() -> dict[str, Any]:
    with CONFIG.open("rb") as file:
        return tomllib.load(file)


def test_configs_reminders_toml_parses_into_the_documented_defaults() -> None:
    assert parse_policies(config()) == DEFAULTS


@pytest.mark.parametrize(("name", "value"), [
    ("send_time", time(9)), ("channels", ("email", "app")), ("quiet_start", time(20)), ("quiet_end", time(8)),
    ("stale_apprentice_days", 14), ("stale_advisor_days", 28), ("window_days_before", (30, 7)),
    ("window_advisor_at_end", True), ("opco_remind_days_after_start", 3), ("opco_escalate", True),
    ("trial_days_before", 7), ("review_first_within_months", 2), ("review_cadence_months", 6),
    ("review_invite_days_before", 14), ("review_remind_days_before", (2,)), ("review_unlogged_after_days", 7),
    ("pay_change_days_before", 30),
    ("break_nudge_every_months", 1), ("break_advisor_at_months", 5),
    ("retry_backoff_seconds", (60, 300, 1800, 7200)), ("claim_timeout_seconds", 300), ("sweep_batch", 10_000),
    ("send_batch", 100), ("mark_sent_every", 10),
    ("medical_visit_days_before", 14), ("medical_visit_remind_overdue", True), ("opco_decision_days_before", 0),
    ("hiring_aid_months_before", 1), ("participation_days_after_trial_end", 1), ("billing_email", None),
    ("notice_expires_after_days", 14), ("working_start", time(9)), ("working_weekdays", frozenset(range(5))),
    ("public_holidays_off", True), ("any_day_sections", frozenset()),
])
def test_the_defaults_are_the_values_the_issue_and_the_config_comments_document(name: str, value: object) -> None:
    assert getattr(DEFAULTS, name) == value


def _leaves(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for key, value in data.items():
        found.extend(_leaves(value, (*prefix, key)) if isinstance(value, dict) else [(*prefix, key)])
    return found


def _other(value: Any) -> Any:
    """A different valid value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value[:1]
    if isinstance(value, list):
        return [*value, 1]
    if value == "" or "@" in value:  # an address, or none
        return "facturation@cfa.example"
    return "10:15"


@pytest.mark.parametrize("path", _leaves(config()), ids=".".join)
def test_every_value_in_the_config_file_is_read(path: tuple[str, ...]) -> None:
    data = copy.deepcopy(config())
    table = data
    for name in path[:-1]:
        table = table[name]
    table[path[-1]] = _other(table[path[-1]])
    assert parse_policies(data) != DEFAULTS


def test_an_empty_file_gives_the_defaults() -> None:
    assert parse_policies({}) == DEFAULTS


@pytest.mark.parametrize(("written", "kept"), [
    pytest.param("", None, id="empty: the advisor invoices"),
    pytest.param("   ", None, id="blanks: the advisor invoices"),
    pytest.param(" Facturation@CFA.example ", "facturation@cfa.example", id="an address, trimmed and lowered"),
])
def test_the_billing_address_is_an_address_or_none(written: str, kept: str | None) -> None:
    assert parse_policies({"participation": {"billing_email": written}}).billing_email == kept


REFUSALS = [
    pytest.param({"stale_search": {"apprentice_after_days": -1}}, "stale_search.apprentice_after_days",
                 id="stale_search.apprentice_after_days = -1"),
    pytest.param({"stale_search": {"advisor_after_days": 0}}, "stale_search.advisor_after_days",
                 id="stale_search.advisor_after_days = 0"),
    pytest.param({"stale_search": {"apprentice_after_days": "14"}}, "stale_search.apprentice_after_days",
                 id="stale_search.apprentice_after_days as text"),
    pytest.param({"stale_search": {"apprentice_after_days": True}}, "stale_search.apprentice_after_days",
                 id="stale_search.apprentice_after_days = true"),
    pytest.param({"stale_search": {"apprentice_after_days": 14.5}}, "stale_search.apprentice_after_days",
                 id="stale_search.apprentice_after_days = 14.5"),
    pytest.param({"search_window": {"days_before": [30, -7]}}, "search_window.days_before",
                 id="search_window.days_before with a negative day"),
    pytest.param({"search_window": {"days_before": 30}}, "search_window.days_before",
                 id="search_window.days_before not a list"),
    pytest.param({"opco_filing": {"remind_days_after_start": -3}}, "opco_filing.remind_days_after_start",
                 id="opco_filing.remind_days_after_start = -3"),
    pytest.param({"trial_end": {"days_before": 0}}, "trial_end.days_before", id="trial_end.days_before = 0"),
    pytest.param({"reviews": {"first_within_months": 0}}, "reviews.first_within_months",
                 id="reviews.first_within_months = 0"),
    pytest.param({"reviews": {"cadence_months": 0}}, "reviews.cadence_months", id="reviews.cadence_months = 0"),
    pytest.param({"reviews": {"invite_days_before": 14.5}}, "reviews.invite_days_before",
                 id="reviews.invite_days_before with a fraction"),
    pytest.param({"reviews": {"invite_days_before": [14, 2]}}, "reviews.invite_days_before",
                 id="reviews.invite_days_before as the former list"),
    pytest.param({"reviews": {"remind_days_before": [2.5]}}, "reviews.remind_days_before",
                 id="reviews.remind_days_before with a fraction"),
    pytest.param({"reviews": {"invite_days_before": 7, "remind_days_before": [7]}}, "reviews.remind_days_before",
                 id="a review reminder not after the invitation"),
    pytest.param({"opco_filing": {"remind_days_after_start": 6}}, "opco_filing.remind_days_after_start",
                 id="an OPCO filing reminder that may come after the filing deadline, its expiry"),
    pytest.param({"notices": {"expires_after_days": 0}}, "notices.expires_after_days",
                 id="a notice expiring when it is due"),
    pytest.param({"working_hours": {"start": "9h"}}, "working_hours.start", id="working_hours.start not a time"),
    pytest.param({"working_hours": {"days": ["lundi"]}}, "working_hours.days", id="working_hours.days in French"),
    pytest.param({"working_hours": {"days": []}}, "working_hours.days", id="working_hours.days empty"),
    pytest.param({"working_hours": {"saturday": True}}, "working_hours.saturday",
                 id="an unknown working-hours setting"),
    pytest.param({"working_hours": {"public_holidays": "FR"}}, "working_hours.public_holidays",
                 id="working_hours.public_holidays not true or false"),
    pytest.param({"opco_filing": {"working_days": "no"}}, "opco_filing.working_days",
                 id="a section's working_days not true or false"),
    pytest.param({"reviews": {"unlogged_after_days": 0}}, "reviews.unlogged_after_days",
                 id="reviews.unlogged_after_days = 0"),
    pytest.param({"pay_change": {"days_before": -30}}, "pay_change.days_before", id="pay_change.days_before = -30"),
    pytest.param({"after_break": {"nudge_every_months": 0}}, "after_break.nudge_every_months",
                 id="after_break.nudge_every_months = 0"),
    pytest.param({"after_break": {"advisor_at_months": 0}}, "after_break.advisor_at_months",
                 id="after_break.advisor_at_months = 0"),
    pytest.param({"delivery": {"retry_backoff_seconds": ["60"]}}, "delivery.retry_backoff_seconds",
                 id="delivery.retry_backoff_seconds as text"),
    pytest.param({"delivery": {"send_batch": 0}}, "delivery.send_batch", id="delivery.send_batch = 0"),
    pytest.param({"delivery": {"mark_sent_every": 0}}, "delivery.mark_sent_every",
                 id="delivery.mark_sent_every = 0"),
    pytest.param({"quiet_hours": {"start": "8pm"}}, "quiet_hours.start", id="quiet_hours.start = 8pm"),
    pytest.param({"quiet_hours": {"end": "24:00"}}, "quiet_hours.end", id="quiet_hours.end = 24:00"),
    pytest.param({"channels": ["email", "sms"]}, "channels", id="channels with sms"),
    pytest.param({"reminder_policies": {"send_time": "09:00"}}, "reminder_policies", id="an unknown section"),
    pytest.param({"reviews": "each semester"}, "reviews", id="a section that is not a table"),
    pytest.param({"send_time": "9h"}, "send_time", id="send_time = 9h"),
    pytest.param({"stale_search": {"apprentice_after_dayz": 7}}, "stale_search.apprentice_after_dayz",
                 id="an unknown key inside a known section"),
    pytest.param({"search_window": {"advisor_at_end": "false"}}, "search_window.advisor_at_end",
                 id="search_window.advisor_at_end as text"),
    pytest.param({"opco_filing": {"escalate_when_overdue": 0}}, "opco_filing.escalate_when_overdue",
                 id="opco_filing.escalate_when_overdue = 0"),
    pytest.param({"medical_visit": {"days_before": 0}}, "medical_visit.days_before",
                 id="medical_visit.days_before = 0"),
    pytest.param({"medical_visit": {"remind_when_overdue": "yes"}}, "medical_visit.remind_when_overdue",
                 id="medical_visit.remind_when_overdue as text"),
    pytest.param({"medical_visit": {"days_befor": 14}}, "medical_visit.days_befor",
                 id="medical_visit: an unknown key"),
    pytest.param({"opco_decision": {"days_before": -1}}, "opco_decision.days_before",
                 id="opco_decision.days_before = -1"),
    pytest.param({"opco_decision": {"remind_on_day": 20}}, "opco_decision.remind_on_day",
                 id="opco_decision: an unknown key"),
    pytest.param({"hiring_aid": {"months_before": 0}}, "hiring_aid.months_before",
                 id="hiring_aid.months_before = 0"),
    pytest.param({"hiring_aid": {"months_before": 1.5}}, "hiring_aid.months_before",
                 id="hiring_aid.months_before = 1.5"),
    pytest.param({"participation": {"days_after_trial_end": -1}}, "participation.days_after_trial_end",
                 id="participation.days_after_trial_end = -1"),
    pytest.param({"participation": {"billing_email": "facturation"}}, "participation.billing_email",
                 id="participation.billing_email not an address"),
    pytest.param({"participation": {"billing_email": False}}, "participation.billing_email",
                 id="participation.billing_email = false"),
    pytest.param({"participation": {"billing": "facturation@cfa.example"}}, "participation.billing",
                 id="participation: an unknown key"),
]


@pytest.mark.parametrize(("data", "key"), REFUSALS)
def test_a_wrong_value_is_refused_naming_its_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_policies(data)
    assert refused.value.field == key
    assert str(refused.value).startswith(f"{key}:")


# --- Quiet hours: 20:00-08:00 in Paris, whatever the offset of the day.

def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


QUIET = [
    pytest.param(datetime(2026, 6, 10, 21, 30, tzinfo=PARIS), datetime(2026, 6, 11, 8, tzinfo=PARIS),
                 id="21:30 goes to 08:00 the next day"),
    pytest.param(datetime(2026, 6, 10, 20, 0, tzinfo=PARIS), datetime(2026, 6, 11, 8, tzinfo=PARIS),
                 id="20:00 exactly is quiet"),
    pytest.param(datetime(2026, 6, 10, 23, 59, 59, tzinfo=PARIS), datetime(2026, 6, 11, 8, tzinfo=PARIS),
                 id="23:59:59 goes to 08:00 the next day"),
    pytest.param(datetime(2026, 6, 10, 0, 0, tzinfo=PARIS), datetime(2026, 6, 10, 8, tzinfo=PARIS),
                 id="midnight goes to 08:00 the same day"),
    pytest.param(datetime(2026, 6, 10, 5, 0, tzinfo=PARIS), datetime(2026, 6, 10, 8, tzinfo=PARIS),
                 id="05:00 goes to 08:00 the same day"),
    pytest.param(datetime(2026, 6, 10, 7, 59, 59, tzinfo=PARIS), datetime(2026, 6, 10, 8, tzinfo=PARIS),
                 id="07:59:59 goes to 08:00"),
    pytest.param(datetime(2026, 12, 31, 22, 0, tzinfo=PARIS), datetime(2027, 1, 1, 8, tzinfo=PARIS),
                 id="New Year's Eve 22:00 goes to 1 January 08:00"),
    pytest.param(_utc(2026, 6, 10, 18, 30), _utc(2026, 6, 11, 6, 0),
                 id="18:30 UTC is 20:30 in Paris (summer): quiet, 06:00 UTC the next day"),
    pytest.param(_utc(2026, 6, 10, 19, 30), _utc(2026, 6, 11, 6, 0),
                 id="19:30 UTC is 21:30 in Paris (summer): 06:00 UTC the next day"),
    pytest.param(_utc(2026, 1, 10, 19, 30), _utc(2026, 1, 11, 7, 0),
                 id="19:30 UTC is 20:30 in Paris (winter): 07:00 UTC the next day"),
    pytest.param(_utc(2026, 3, 29, 0, 30), _utc(2026, 3, 29, 6, 0),
                 id="DST 2026-03-29 01:30 CET, before the change: 08:00 CEST (06:00 UTC)"),
    pytest.param(_utc(2026, 3, 29, 1, 30), _utc(2026, 3, 29, 6, 0),
                 id="DST 2026-03-29 03:30 CEST, after the change: 08:00 CEST (06:00 UTC)"),
    pytest.param(_utc(2026, 3, 28, 21, 0), _utc(2026, 3, 29, 6, 0),
                 id="DST 2026-03-28 22:00 CET goes to 08:00 CEST the next day (06:00 UTC)"),
    pytest.param(_utc(2026, 10, 25, 0, 30), _utc(2026, 10, 25, 7, 0),
                 id="DST 2026-10-25 02:30 CEST (first time): 08:00 CET (07:00 UTC)"),
    pytest.param(_utc(2026, 10, 25, 1, 30), _utc(2026, 10, 25, 7, 0),
                 id="DST 2026-10-25 02:30 CET (second time): 08:00 CET (07:00 UTC)"),
    pytest.param(_utc(2026, 10, 24, 18, 30), _utc(2026, 10, 25, 7, 0),
                 id="DST 2026-10-24 20:30 CEST goes to 08:00 CET the next day (07:00 UTC)"),
]

OUTSIDE = [
    pytest.param(datetime(2026, 6, 10, 8, 0, tzinfo=PARIS), id="08:00 exactly"),
    pytest.param(datetime(2026, 6, 10, 9, 0, tzinfo=PARIS), id="09:00, the send time"),
    pytest.param(datetime(2026, 6, 10, 19, 59, 59, tzinfo=PARIS), id="19:59:59"),
    pytest.param(_utc(2026, 1, 10, 18, 30), id="18:30 UTC is 19:30 in Paris (winter)"),
    pytest.param(_utc(2026, 3, 29, 7, 0), id="DST 2026-03-29 09:00 CEST"),
    pytest.param(_utc(2026, 10, 25, 8, 0), id="DST 2026-10-25 09:00 CET"),
    pytest.param(_utc(2026, 10, 25, 18, 59), id="DST 2026-10-25 19:59 CET"),
]


@pytest.mark.parametrize(("moment", "deferred"), QUIET)
def test_an_email_due_in_the_quiet_hours_waits_until_eight_in_paris(moment: datetime, deferred: datetime) -> None:
    result = defer_past_quiet_hours(moment, DEFAULTS)
    assert result == deferred
    assert result.astimezone(PARIS).time() == time(8)
    assert result.utcoffset() == moment.utcoffset()


@pytest.mark.parametrize("moment", OUTSIDE)
def test_an_instant_outside_the_quiet_hours_is_left_as_it_is(moment: datetime) -> None:
    assert defer_past_quiet_hours(moment, DEFAULTS) == moment


def test_quiet_hours_that_do_not_cross_midnight_end_the_same_day() -> None:
    policies = ReminderPolicies(quiet_start=time(12), quiet_end=time(14))
    assert defer_past_quiet_hours(datetime(2026, 6, 10, 13, tzinfo=PARIS), policies) == \
        datetime(2026, 6, 10, 14, tzinfo=PARIS)
    assert defer_past_quiet_hours(datetime(2026, 6, 10, 15, tzinfo=PARIS), policies) == \
        datetime(2026, 6, 10, 15, tzinfo=PARIS)


# Hypothesis takes naive bounds and attaches the time zone itself.
INSTANTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31),  # noqa: DTZ001
                        timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(INSTANTS)
def test_a_deferred_instant_is_never_earlier_never_quiet_and_at_most_one_night_later(moment: datetime) -> None:
    result = defer_past_quiet_hours(moment, DEFAULTS)
    local = moment.astimezone(PARIS)
    quiet = local.time() >= time(20) or local.time() < time(8)
    if not quiet:
        assert result == moment
        return
    assert result > moment
    assert result.astimezone(PARIS).time() == time(8)
    assert result - moment <= timedelta(hours=13)  # 20:00 to 08:00, plus the hour a DST night may add
    next_day = local.date() + timedelta(days=1)
    assert result.astimezone(PARIS).date() == (local.date() if local.time() < time(8) else next_day)
