"""The reminder policies, parsed from configs/reminders.toml (already read into a dict by the caller)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.rules.public_holidays import french_public_holidays
from contract_flow.domain.values import parse_email

CHANNELS = ("email", "app")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The sections of reminders.toml that plan reminders: each may say `working_days = false` to opt out of the
#: working days (an escalation to staff that must not wait for Monday, say).
REMINDER_SECTIONS = ("stale_search", "search_window", "opco_filing", "trial_end", "reviews", "pay_change",
                     "after_break", "medical_visit", "opco_decision", "hiring_aid", "participation", "notices")
#: D6224-1: the OPCO filing is due 5 working days after the start, never fewer than 5 calendar days.
OPCO_FILING_SHORTEST_DAYS = 5


@dataclass(frozen=True)
class ReminderPolicies:
    send_time: time = time(9)
    channels: tuple[str, ...] = CHANNELS
    quiet_start: time = time(20)
    quiet_end: time = time(8)
    stale_apprentice_days: int = 14
    stale_advisor_days: int = 28
    window_days_before: tuple[int, ...] = (30, 7)
    window_advisor_at_end: bool = True
    opco_remind_days_after_start: int = 3
    opco_escalate: bool = True
    trial_days_before: int = 7
    review_first_within_months: int = 2
    review_cadence_months: int = 6
    #: A planned review: one invitation (with its calendar file) this many days before, or at once if it is
    #: planned later; then a reminder this many days before, unless the invitation came less than a day earlier.
    review_invite_days_before: int = 14
    review_remind_days_before: tuple[int, ...] = (2,)
    review_unlogged_after_days: int = 7
    pay_change_days_before: int = 30
    break_nudge_every_months: int = 1
    break_advisor_at_months: int = 5
    #: R6222-40-1, R4624-18: the medical visit, this many days before it is due, then the day after if not done.
    medical_visit_days_before: int = 14
    medical_visit_remind_overdue: bool = True
    #: D6224-2: the advisor, this many days before the OPCO's 20 days run out (0: on the last of them).
    opco_decision_days_before: int = 0
    #: Hiring aid: the employer, this many months before the 6 months after the conclusion run out.
    hiring_aid_months_before: int = 1
    #: R6332-25-1: the participation invoice, this many days after the trial's last day.
    participation_days_after_trial_end: int = 1
    #: Who invoices the employer participation: None, the case's advisor.
    billing_email: str | None = None
    #: The notices of what happened to a case without the person doing it (the trial passed, the case lapsed):
    #: still worth sending this many days after they were due.
    notice_expires_after_days: int = 14
    #: Working days: a reminder due on another day (or on a French public holiday) waits for the next working
    #: day, at `working_start`; the sections in `any_day_sections` opt out.
    working_start: time = time(9)
    working_weekdays: frozenset[int] = frozenset(range(5))
    public_holidays_off: bool = True
    any_day_sections: frozenset[str] = frozenset()
    retry_backoff_seconds: tuple[int, ...] = (60, 300, 1800, 7200)
    claim_timeout_seconds: int = 300
    sweep_batch: int = 10_000
    send_batch: int = 100
    mark_sent_every: int = 10

    @property
    def max_attempts(self) -> int:
        return len(self.retry_backoff_seconds) + 1


def _name(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def _time(section: str, key: str, text: Any) -> time:
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        raise InvalidInput(_name(section, key), f"{text!r} is not a time (HH:MM)") from None


def _int(section: str, key: str, value: Any, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidInput(_name(section, key), f"{value!r} is not a whole number of at least {minimum}")
    return value


def _ints(section: str, key: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise InvalidInput(_name(section, key), f"{value!r} is not a list of whole numbers")
    return tuple(_int(section, key, item) for item in value)


def _bool(section: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_name(section, key), f"{value!r} is not true or false")
    return value


#: The keys each section may hold: a misspelt one is refused rather than silently left at its default.
_SECTION_KEYS: dict[str, frozenset[str]] = {
    "quiet_hours": frozenset({"start", "end"}),
    "stale_search": frozenset({"apprentice_after_days", "advisor_after_days", "working_days"}),
    "search_window": frozenset({"days_before", "advisor_at_end", "working_days"}),
    "opco_filing": frozenset({"remind_days_after_start", "escalate_when_overdue", "working_days"}),
    "trial_end": frozenset({"days_before", "working_days"}),
    "reviews": frozenset({"first_within_months", "cadence_months", "invite_days_before", "remind_days_before",
                          "unlogged_after_days", "working_days"}),
    "pay_change": frozenset({"days_before", "working_days"}),
    "after_break": frozenset({"nudge_every_months", "advisor_at_months", "working_days"}),
    "medical_visit": frozenset({"days_before", "remind_when_overdue", "working_days"}),
    "opco_decision": frozenset({"days_before", "working_days"}),
    "hiring_aid": frozenset({"months_before", "working_days"}),
    "participation": frozenset({"days_after_trial_end", "billing_email", "working_days"}),
    "notices": frozenset({"expires_after_days", "working_days"}),
    "working_hours": frozenset({"start", "days", "public_holidays"}),
    "delivery": frozenset({"retry_backoff_seconds", "claim_timeout_seconds", "sweep_batch", "send_batch",
                           "mark_sent_every"}),
}


def _weekdays(value: Any) -> frozenset[int]:
    """`days = ["monday", ...]`: at least one, each an English weekday name."""
    name = "working_hours.days"
    if not isinstance(value, list) or not value:
        raise InvalidInput(name, f"{value!r} is not a list of weekdays (e.g. [\"monday\", ..., \"friday\"])")
    days = set()
    for day in value:
        if not isinstance(day, str) or day.strip().lower() not in WEEKDAYS:
            raise InvalidInput(name, f"{day!r} is not a weekday: one of {', '.join(WEEKDAYS)}")
        days.add(WEEKDAYS.index(day.strip().lower()))
    return frozenset(days)


def _optional_email(section: str, key: str, value: Any) -> str | None:
    """An address, or the empty string for none (TOML has no null)."""
    if not isinstance(value, str):
        raise InvalidInput(_name(section, key), f"{value!r} is not an email address (or \"\" for none)")
    return parse_email(_name(section, key), value) if value.strip() else None


def parse_policies(data: Mapping[str, Any]) -> ReminderPolicies:
    """Policies from the parsed TOML; a wrong value is refused naming its key."""
    known = {"send_time", "channels", *_SECTION_KEYS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(unknown[0], "unknown section or key in reminders.toml")

    def section(name: str) -> Mapping[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            raise InvalidInput(name, "must be a table")
        misspelt = sorted(set(value) - _SECTION_KEYS[name])
        if misspelt:
            holds = ", ".join(sorted(_SECTION_KEYS[name]))
            raise InvalidInput(f"{name}.{misspelt[0]}", f"unknown key; {name} holds {holds}")
        return value

    channels = tuple(data.get("channels", CHANNELS))
    bad = [c for c in channels if c not in CHANNELS]
    if bad:
        raise InvalidInput("channels", f"{bad[0]!r} is not one of {', '.join(CHANNELS)}")
    quiet, stale, window = section("quiet_hours"), section("stale_search"), section("search_window")
    opco, trial, reviews = section("opco_filing"), section("trial_end"), section("reviews")
    pay, after, delivery = section("pay_change"), section("after_break"), section("delivery")
    medical, decision = section("medical_visit"), section("opco_decision")
    aid, participation = section("hiring_aid"), section("participation")
    notices, working = section("notices"), section("working_hours")
    default = ReminderPolicies()
    opco_remind = _int("opco_filing", "remind_days_after_start", opco.get("remind_days_after_start", 3))
    if opco_remind > OPCO_FILING_SHORTEST_DAYS:
        raise InvalidInput("opco_filing.remind_days_after_start",
                           f"{opco_remind} days after the start may be after the filing deadline (5 working days, "
                           f"D6224-1), when the reminder no longer holds: at most {OPCO_FILING_SHORTEST_DAYS}")
    invite = _int("reviews", "invite_days_before", reviews.get("invite_days_before", default.review_invite_days_before),
                  1)
    remind = _ints("reviews", "remind_days_before",
                   reviews.get("remind_days_before", list(default.review_remind_days_before)))
    if any(days >= invite for days in remind):
        raise InvalidInput("reviews.remind_days_before",
                           f"{max(remind)} is not fewer days before the review than the invitation "
                           f"(invite_days_before = {invite}): a reminder comes after the invitation")
    any_day = frozenset(name for name in REMINDER_SECTIONS
                        if not _bool(name, "working_days", section(name).get("working_days", True)))
    return ReminderPolicies(
        send_time=_time("", "send_time", data.get("send_time", "09:00")),
        channels=channels,
        quiet_start=_time("quiet_hours", "start", quiet.get("start", "20:00")),
        quiet_end=_time("quiet_hours", "end", quiet.get("end", "08:00")),
        stale_apprentice_days=_int("stale_search", "apprentice_after_days",
                                   stale.get("apprentice_after_days", default.stale_apprentice_days), 1),
        stale_advisor_days=_int("stale_search", "advisor_after_days",
                                stale.get("advisor_after_days", default.stale_advisor_days), 1),
        window_days_before=_ints("search_window", "days_before",
                                 window.get("days_before", list(default.window_days_before))),
        window_advisor_at_end=_bool("search_window", "advisor_at_end", window.get("advisor_at_end", True)),
        opco_remind_days_after_start=opco_remind,
        opco_escalate=_bool("opco_filing", "escalate_when_overdue", opco.get("escalate_when_overdue", True)),
        trial_days_before=_int("trial_end", "days_before", trial.get("days_before", 7), 1),
        review_first_within_months=_int("reviews", "first_within_months", reviews.get("first_within_months", 2), 1),
        review_cadence_months=_int("reviews", "cadence_months", reviews.get("cadence_months", 6), 1),
        review_invite_days_before=invite,
        review_remind_days_before=remind,
        review_unlogged_after_days=_int("reviews", "unlogged_after_days", reviews.get("unlogged_after_days", 7), 1),
        pay_change_days_before=_int("pay_change", "days_before", pay.get("days_before", 30), 1),
        break_nudge_every_months=_int("after_break", "nudge_every_months", after.get("nudge_every_months", 1), 1),
        break_advisor_at_months=_int("after_break", "advisor_at_months", after.get("advisor_at_months", 5), 1),
        medical_visit_days_before=_int("medical_visit", "days_before",
                                       medical.get("days_before", default.medical_visit_days_before), 1),
        medical_visit_remind_overdue=_bool("medical_visit", "remind_when_overdue",
                                           medical.get("remind_when_overdue", True)),
        opco_decision_days_before=_int("opco_decision", "days_before",
                                       decision.get("days_before", default.opco_decision_days_before)),
        hiring_aid_months_before=_int("hiring_aid", "months_before",
                                      aid.get("months_before", default.hiring_aid_months_before), 1),
        participation_days_after_trial_end=_int(
            "participation", "days_after_trial_end",
            participation.get("days_after_trial_end", default.participation_days_after_trial_end)),
        billing_email=_optional_email("participation", "billing_email", participation.get("billing_email", "")),
        notice_expires_after_days=_int("notices", "expires_after_days",
                                       notices.get("expires_after_days", default.notice_expires_after_days), 1),
        working_start=_time("working_hours", "start", working.get("start", "09:00")),
        working_weekdays=_weekdays(working.get("days", list(WEEKDAYS[:5]))),
        public_holidays_off=_bool("working_hours", "public_holidays", working.get("public_holidays", True)),
        any_day_sections=any_day,
        retry_backoff_seconds=_ints("delivery", "retry_backoff_seconds",
                                    delivery.get("retry_backoff_seconds", list(default.retry_backoff_seconds))),
        claim_timeout_seconds=_int("delivery", "claim_timeout_seconds", delivery.get("claim_timeout_seconds", 300), 1),
        sweep_batch=_int("delivery", "sweep_batch", delivery.get("sweep_batch", 10_000), 1),
        send_batch=_int("delivery", "send_batch", delivery.get("send_batch", 100), 1),
        mark_sent_every=_int("delivery", "mark_sent_every", delivery.get("mark_sent_every", 10), 1),
    )


def in_quiet_hours(moment: datetime, policies: ReminderPolicies) -> bool:
    local = moment.astimezone(PARIS).time()
    start, end = policies.quiet_start, policies.quiet_end
    return (local >= start or local < end) if start > end else (start <= local < end)


def defer_past_quiet_hours(moment: datetime, policies: ReminderPolicies) -> datetime:
    """An email due in the quiet hours waits for their end (Europe/Paris): deferred, never dropped."""
    if not in_quiet_hours(moment, policies):
        return moment
    local = moment.astimezone(PARIS)
    end_today = datetime.combine(local.date(), policies.quiet_end, tzinfo=PARIS)
    deferred = end_today if local < end_today else datetime.combine(
        local.date() + timedelta(days=1), policies.quiet_end, tzinfo=PARIS)
    return deferred.astimezone(moment.tzinfo)


def is_working_day(day: date, policies: ReminderPolicies) -> bool:
    """One of the working weekdays ([working_hours] days), and not a French public holiday (L3133-1) unless
    `public_holidays = false`."""
    if day.weekday() not in policies.working_weekdays:
        return False
    return not (policies.public_holidays_off and day in french_public_holidays(day.year, day.year))


#: A year without one working day cannot be configured (at least one weekday), so a search this long always ends.
_LONGEST_SEARCH_DAYS = 366


def on_working_day(moment: datetime, policies: ReminderPolicies, *, expires_at: datetime | None = None) -> datetime:
    """When a reminder due at `moment` is delivered: `moment` itself on a working day (Europe/Paris), else the next
    working day at the start of working hours; if that is already too late (at or after `expires_at`, the meeting
    or the deadline it announces), the last working day before instead, and `moment` itself if there is none."""
    local = moment.astimezone(PARIS)
    if is_working_day(local.date(), policies):
        return moment
    day = local.date()
    for _ in range(_LONGEST_SEARCH_DAYS):
        day += timedelta(days=1)
        if is_working_day(day, policies):
            break
    later = datetime.combine(day, policies.working_start, tzinfo=PARIS).astimezone(moment.tzinfo)
    if expires_at is None or later < expires_at:
        return later
    day = local.date()
    for _ in range(_LONGEST_SEARCH_DAYS):
        day -= timedelta(days=1)
        if is_working_day(day, policies):
            break
    earlier = datetime.combine(day, policies.working_start, tzinfo=PARIS).astimezone(moment.tzinfo)
    return earlier if earlier < moment else moment
