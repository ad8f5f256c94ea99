"""Planning a case's reminders: a pure function of its facts, its reviews and the policies.

The plan is the full list of reminders the case's current situation calls for. Each carries an idempotency key
built from what it is about (kind, the date it anchors on, recipient, channel): when facts change, the keys that
left the plan are cancelled, new ones are added, and a key already sent is never sent again.

Each reminder also says until when its message is true (`expires_at`: the deadline it announces, the meeting it
invites to, the end of the window it counts down; None while the facts that cause it hold, which re-planning
watches), and the steps of one countdown to one person share a `series` (the window's 30 days, 7 days, ended).
Delivery is late-tolerant (what fell due while the workers were down is sent once they are back) but never sends
what is no longer true: `worth_planning` keeps, of the reminders new to the ledger whose moment already passed
when their facts were recorded, only the latest still-true step of each series, and the sender marks `expired` a
row whose expiry passed or whose series has a later step due. A reminder due on a day off waits for the next
working day (policies.on_working_day).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise

from contract_flow.domain.case import Case, Part
from contract_flow.domain.context import PARIS
from contract_flow.domain.dates import add_months
from contract_flow.domain.reminders.policies import ReminderPolicies, on_working_day
from contract_flow.domain.reviews import Review, ReviewState, review_schedule
from contract_flow.domain.rules.dates import age_on
from contract_flow.domain.states import CONTRACT_STATES, ENDED_CONTRACT_STATES, SEARCH_STEPS, CaseState

ADULT_AGE = 18  # Code civil art. 414: a minor's legal representative is copied on what concerns them


class ReminderKind(StrEnum):
    SEARCH_STALE = "search_stale"
    SEARCH_WINDOW = "search_window"
    SEARCH_WINDOW_ENDED = "search_window_ended"
    OPCO_FILING = "opco_filing"
    OPCO_OVERDUE = "opco_overdue"
    CONTRACT_START = "contract_start"  # not a message: the engine moves a signed case into its trial
    TRIAL_ENDING = "trial_ending"
    TRIAL_PASS = "trial_pass"  # not a message: the engine moves the case to `active`
    REVIEW_INVITATION = "review_invitation"  # with its iCalendar file; a rescheduled review: an update of it
    REVIEW_REMINDER = "review_reminder"  # a few days before a review the person was already invited to
    REVIEW_UNPLANNED = "review_unplanned"
    REVIEW_UNLOGGED = "review_unlogged"
    PAY_CHANGE = "pay_change"
    BREAK_NUDGE = "break_nudge"
    BREAK_ADVISOR = "break_advisor"
    MEDICAL_VISIT = "medical_visit"
    MEDICAL_VISIT_OVERDUE = "medical_visit_overdue"
    OPCO_SILENCE = "opco_silence"
    OPCO_REFUSED_BY_SILENCE = "opco_refused_by_silence"  # the day after the OPCO's 20th day, still no answer
    HIRING_AID_FILING = "hiring_aid_filing"
    PARTICIPATION_INVOICE = "participation_invoice"
    # Notices of what happened without the person doing it (the engine, or someone else, moved the case).
    TRIAL_PASSED = "trial_passed"
    CASE_LAPSED = "case_lapsed"


ENGINE = "engine"
#: The kinds that are no message but the engine's own moves (on the channel ENGINE).
ENGINE_KINDS = frozenset({ReminderKind.CONTRACT_START, ReminderKind.TRIAL_PASS})

#: The section of reminders.toml each kind's policy is in (its `working_days` setting applies to it).
SECTION_OF: dict[ReminderKind, str] = {
    ReminderKind.SEARCH_STALE: "stale_search",
    ReminderKind.SEARCH_WINDOW: "search_window",
    ReminderKind.SEARCH_WINDOW_ENDED: "search_window",
    ReminderKind.OPCO_FILING: "opco_filing",
    ReminderKind.OPCO_OVERDUE: "opco_filing",
    ReminderKind.TRIAL_ENDING: "trial_end",
    ReminderKind.REVIEW_INVITATION: "reviews",
    ReminderKind.REVIEW_REMINDER: "reviews",
    ReminderKind.REVIEW_UNPLANNED: "reviews",
    ReminderKind.REVIEW_UNLOGGED: "reviews",
    ReminderKind.PAY_CHANGE: "pay_change",
    ReminderKind.BREAK_NUDGE: "after_break",
    ReminderKind.BREAK_ADVISOR: "after_break",
    ReminderKind.MEDICAL_VISIT: "medical_visit",
    ReminderKind.MEDICAL_VISIT_OVERDUE: "medical_visit",
    ReminderKind.OPCO_SILENCE: "opco_decision",
    ReminderKind.OPCO_REFUSED_BY_SILENCE: "opco_decision",
    ReminderKind.HIRING_AID_FILING: "hiring_aid",
    ReminderKind.PARTICIPATION_INVOICE: "participation",
    ReminderKind.TRIAL_PASSED: "notices",
    ReminderKind.CASE_LAPSED: "notices",
}
#: The CFA's billing address (reminders.toml, participation.billing_email), who invoices the employer participation.
BILLING = "billing"


@dataclass(frozen=True)
class CaseFacts:
    """What the planner reads of a case: the case with all its parts, its reviews and dates from the rules."""

    case: Case
    reviews: tuple[Review, ...] = ()
    #: L6222-12-1: end of the 3 months a candidate may train without an employer.
    search_window_end: date | None = None
    #: L6222-18-2: end of the 6 months of training kept after a break.
    resume_window_end: date | None = None
    review_first_within_months: int | None = None
    review_cadence_months: int | None = None
    legal_representative_email: str | None = None
    #: (review id, email) -> {review version: its date and time (ISO, Paris)} of the invitations sent to that
    #: person for that review: a review moved after one was sent gets an update at once, saying from when to when.
    invited: Mapping[tuple[int, str], Mapping[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedReminder:
    key: str
    case_id: int
    kind: ReminderKind
    recipient_role: str
    recipient: str
    channel: str
    due_at: datetime
    payload: dict[str, str] = field(default_factory=dict)
    #: From this moment the message is no longer true and is not sent (None: true while its facts hold).
    expires_at: datetime | None = None
    #: The countdown this is a step of (one per person and channel): of the steps due, only the latest is sent.
    series: str | None = None


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def _end_of(day: date) -> datetime:
    """A deadline "on `day`" holds until that day is over (Europe/Paris)."""
    return _at(day + timedelta(days=1), time(0))


class _Plan:
    def __init__(self, facts: CaseFacts, policies: ReminderPolicies) -> None:
        self.facts = facts
        self.case = facts.case
        self.policies = policies
        self.items: list[PlannedReminder] = []
        assert self.case.id is not None
        self.case_id = self.case.id

    def people(self) -> dict[str, str | None]:
        people: dict[str, str | None] = {
            "apprentice": self.case.candidate.email,
            "advisor": self.case.advisor_email,
            "tutor": self.case.tutor_email,
            BILLING: self.policies.billing_email,
        }
        if Part.CONTRACT in self.case.loaded:  # in the search steps there is no contract, nor mentor, yet
            contract = self.case.contract
            people["mentor"] = contract.mentor_email
            people["employer"] = contract.employer_email or contract.mentor_email
        return people

    def add(self, kind: ReminderKind, anchor: str, roles: tuple[str, ...], day: date,
            payload: dict[str, str] | None = None, *, expires_at: datetime | None = None,
            series: str | None = None, at: datetime | None = None) -> None:
        """`kind` to each of `roles` on `day` at the send time (or exactly `at`), on every channel; `series` names
        the countdown it is a step of (the same name for its steps), `expires_at` when it stops being true."""
        people = self.people()
        due = self.delivered_at(kind, at or _at(day, self.policies.send_time), expires_at)
        for role in roles:
            email = people.get(role)
            if not email:
                continue  # nobody to tell yet: the plan is redone when the address is recorded
            data = {"case_id": str(self.case_id), "candidate": self.case.candidate.full_name,
                    "role": role, **(payload or {})}
            self.copy_legal_representative(role, day, data)
            for channel in self.policies.channels:
                key = f"{self.case_id}/{kind}/{anchor}/{role}/{email}/{channel}"
                steps = f"{self.case_id}/{series}/{role}/{email}/{channel}" if series else None
                self.items.append(PlannedReminder(key, self.case_id, kind, role, email, channel, due, data,
                                                  expires_at, steps))

    def delivered_at(self, kind: ReminderKind, moment: datetime, expires_at: datetime | None) -> datetime:
        """On a working day unless the kind's section opts out (`working_days = false`)."""
        if SECTION_OF[kind] in self.policies.any_day_sections:
            return moment
        return on_working_day(moment, self.policies, expires_at=expires_at)

    def copy_legal_representative(self, role: str, day: date, data: dict[str, str]) -> None:
        """Code civil art. 414: what concerns a minor apprentice goes to their legal representative too."""
        if role == "apprentice" and self.facts.legal_representative_email and \
                age_on(self.case.candidate.birth_date, day) < ADULT_AGE:
            data["cc"] = self.facts.legal_representative_email

    def engine(self, kind: ReminderKind, anchor: str, moment: datetime, payload: dict[str, str]) -> None:
        key = f"{self.case_id}/{kind}/{anchor}/{ENGINE}"
        self.items.append(PlannedReminder(key, self.case_id, kind, ENGINE, ENGINE, ENGINE, moment,
                                          {"case_id": str(self.case_id), **payload}))


def plan(facts: CaseFacts, policies: ReminderPolicies) -> list[PlannedReminder]:
    """Every reminder the case's situation calls for, in due order."""
    p = _Plan(facts, policies)
    state = CaseState(facts.case.state)
    if state in SEARCH_STEPS:
        _search(p)
    elif state in CONTRACT_STATES:
        _contract(p, state)
    elif state in ENDED_CONTRACT_STATES and facts.case.contract.ended_on is not None:
        _after_break(p, facts.case.contract.ended_on)
    elif state is CaseState.NO_CONTRACT:
        _lapsed(p)
    return sorted(p.items, key=lambda r: (r.due_at, r.key))


def _search(p: _Plan) -> None:
    case, policies = p.case, p.policies
    moved = case.state_since or case.opened_at
    if moved is None:
        return  # a case not saved yet has no date to count from; it is planned again once it is
    since = moved.astimezone(PARIS).date()
    anchor = f"{case.state}@{since.isoformat()}"
    p.add(ReminderKind.SEARCH_STALE, f"{anchor}+{policies.stale_apprentice_days}", ("apprentice",),
          since + timedelta(days=policies.stale_apprentice_days), {"since": since.isoformat(), "step": case.state})
    p.add(ReminderKind.SEARCH_STALE, f"{anchor}+{policies.stale_advisor_days}", ("advisor",),
          since + timedelta(days=policies.stale_advisor_days), {"since": since.isoformat(), "step": case.state})
    if case.previous_contract_end is not None:
        # A search resumed after a break runs in the 6 months of L6222-18-2, not the first 3 months of training.
        _after_break(p, case.previous_contract_end)
        return
    window_end = p.facts.search_window_end
    if window_end is None or case.state not in (CaseState.REFLECT, CaseState.APPLY, CaseState.CONVINCE):
        return  # from an offer on, the search is no longer at risk of lapsing
    # One countdown per person: 30 days, 7 days, then (the advisor) ended; after a gap, only the latest step.
    # `window_end` is the day the search lapses (the guard of `lapse`); people read the last day within it, as
    # the apprentice's page shows it: the messages name that day, and hold until it is over.
    last_day = window_end - timedelta(days=1)
    series = f"search_window@{window_end.isoformat()}"
    for days in policies.window_days_before:
        p.add(ReminderKind.SEARCH_WINDOW, f"{window_end.isoformat()}-{days}", ("apprentice", "advisor"),
              window_end - timedelta(days=days), {"window_end": last_day.isoformat()},
              expires_at=_end_of(last_day), series=series)
    if policies.window_advisor_at_end:
        # On the day it lapses; true until the case moves on (an offer, a lapse), which re-planning sees.
        p.add(ReminderKind.SEARCH_WINDOW_ENDED, window_end.isoformat(), ("advisor",), window_end,
              {"window_end": last_day.isoformat()}, series=series)


def _contract(p: _Plan, state: CaseState) -> None:
    """A signed contract: what its signature set running (the OPCO filing after the start, the medical visit, the
    hiring aid, the pay schedule) from the signature on; what concerns the trial and the follow-up (its end, the
    participation invoiced then, the reviews) once it started; while it waits, the engine's move on its start."""
    terms, policies = p.case.contract, p.policies
    if terms.start_date is None:
        return
    if state is CaseState.SIGNED:
        # The contract starts as its first day begins: the case enters its trial then (L6222-18).
        start = terms.start_date.isoformat()
        p.engine(ReminderKind.CONTRACT_START, start, _at(terms.start_date, time(0, 5)), {"start": start})
    if terms.opco_filed_on is None:
        filing_due = terms.opco_filing_due
        series = f"opco_filing@{terms.start_date.isoformat()}"
        p.add(ReminderKind.OPCO_FILING, terms.start_date.isoformat(), ("employer", "advisor"),
              terms.start_date + timedelta(days=policies.opco_remind_days_after_start),
              {"start": terms.start_date.isoformat(), "due": filing_due.isoformat() if filing_due else ""},
              expires_at=_end_of(filing_due) if filing_due else None, series=series)
        if policies.opco_escalate and filing_due is not None:
            p.add(ReminderKind.OPCO_OVERDUE, filing_due.isoformat(), ("advisor",),
                  filing_due + timedelta(days=1), {"due": filing_due.isoformat()}, series=series)
    if state is CaseState.TRIAL and terms.trial_end is not None:
        end = terms.trial_end.isoformat()
        p.add(ReminderKind.TRIAL_ENDING, end, ("apprentice", "mentor", "advisor"),
              terms.trial_end - timedelta(days=policies.trial_days_before), {"trial_end": end},
              expires_at=_end_of(terms.trial_end))
        # The trial ends at the end of its last day: the case becomes active as that day ends.
        p.engine(ReminderKind.TRIAL_PASS, end, _at(terms.trial_end + timedelta(days=1), time(0, 5)),
                 {"trial_end": end})
    if state is CaseState.ACTIVE and terms.trial_end is not None:
        _trial_passed(p, terms.trial_end)
    _medical_visit(p)
    _opco_decision(p)
    _hiring_aid(p)
    _pay_changes(p)
    if state is not CaseState.SIGNED:
        _participation(p)
        _reviews(p)


def _medical_visit(p: _Plan) -> None:
    """R6222-40-1 (2 months after hiring), R4624-18 (a minor: by the start): the employer contact and the advisor,
    before the visit is due and the day after if it is still not recorded; nothing once its date is recorded."""
    terms, policies = p.case.contract, p.policies
    due = terms.medical_visit_due
    if due is None or terms.medical_visit_on is not None or terms.start_date is None:
        return
    # The rules give a minor the start itself (R4624-18) and an adult a later day: the due date tells which applied.
    payload = {"due": due.isoformat(), "start": terms.start_date.isoformat(),
               "minor": "yes" if due <= terms.start_date else "no"}
    series = f"medical_visit@{due.isoformat()}"
    p.add(ReminderKind.MEDICAL_VISIT, due.isoformat(), ("employer", "advisor"),
          due - timedelta(days=policies.medical_visit_days_before), payload, expires_at=_end_of(due), series=series)
    if policies.medical_visit_remind_overdue:
        p.add(ReminderKind.MEDICAL_VISIT_OVERDUE, due.isoformat(), ("employer", "advisor"),
              due + timedelta(days=1), payload, series=series)


def _opco_decision(p: _Plan) -> None:
    """D6224-2: the OPCO decides within 20 days of the complete file, and its silence is a refusal (CRPA L231-4).
    The advisor, while the filing is recorded (opco_decision_due is set from it) and no answer is: before the 20th
    day ends (`days_before`), then the day after it, when the silence has become a refusal (one countdown: of the
    two, only the latest still due is sent). Nothing once the OPCO's answer is recorded; a new filing, a new
    countdown."""
    terms = p.case.contract
    due = terms.opco_decision_due
    if due is None or terms.opco_filed_on is None or terms.opco_decision is not None:
        return
    payload = {"filed_on": terms.opco_filed_on.isoformat(), "due": due.isoformat()}
    series = f"opco_decision@{terms.opco_filed_on.isoformat()}"
    p.add(ReminderKind.OPCO_SILENCE, due.isoformat(), ("advisor",),
          due - timedelta(days=p.policies.opco_decision_days_before), payload, expires_at=_end_of(due),
          series=series)
    # True while no answer is recorded and the filing stands, which re-planning watches: no expiry.
    p.add(ReminderKind.OPCO_REFUSED_BY_SILENCE, due.isoformat(), ("advisor",), due + timedelta(days=1), payload,
          series=series)


def _hiring_aid(p: _Plan) -> None:
    """The State's hiring aid is lost unless the contract reaches the OPCO within 6 months of its conclusion: the
    employer contact, before that deadline, while no OPCO filing is recorded."""
    terms = p.case.contract
    due = terms.hiring_aid_filing_due
    if due is None or terms.opco_filed_on is not None:
        return
    concluded = terms.signature_date or terms.start_date
    p.add(ReminderKind.HIRING_AID_FILING, due.isoformat(), ("employer",),
          add_months(due, -p.policies.hiring_aid_months_before),
          {"due": due.isoformat(), "concluded": concluded.isoformat() if concluded else ""}, expires_at=_end_of(due))


def _participation(p: _Plan) -> None:
    """L6332-14, R6332-25-1 (décret 2025-585): the CFA invoices the employer participation at the end of the trial;
    the CFA's billing address (the advisor when none is configured), only when an amount is due. The key names the
    amount: a corrected amount is a new invoice to make."""
    terms, policies = p.case.contract, p.policies
    amount = terms.participation_amount
    if amount is None or amount <= 0 or terms.trial_end is None:
        return
    shown = f"{amount:.2f}"
    p.add(ReminderKind.PARTICIPATION_INVOICE, f"{terms.trial_end.isoformat()}@{shown}",
          (BILLING,) if policies.billing_email else ("advisor",),
          terms.trial_end + timedelta(days=policies.participation_days_after_trial_end),
          {"amount": shown, "trial_end": terms.trial_end.isoformat(),
           "start": terms.start_date.isoformat() if terms.start_date else "",
           "employer_name": terms.employer_name or "", "employer_siret": terms.employer_siret or ""})


def _reviews(p: _Plan) -> None:
    terms, policies, facts = p.case.contract, p.policies, p.facts
    if terms.start_date is None or terms.end_date is None:
        return
    due_dates = review_schedule(
        terms.start_date, terms.end_date,
        first_within_months=facts.review_first_within_months or policies.review_first_within_months,
        cadence_months=facts.review_cadence_months or policies.review_cadence_months)
    covered = {review.due_by for review in facts.reviews if review.state is not ReviewState.CANCELLED}
    for due in due_dates:
        if due not in covered:
            p.add(ReminderKind.REVIEW_UNPLANNED, due.isoformat(), ("tutor",), due, {"due": due.isoformat()})
    # Every planned review gets its invitations, even one whose due date left the schedule (a cadence changed).
    for review in facts.reviews:
        if review.state is ReviewState.PLANNED:
            _planned_review(p, review)


def _planned_review(p: _Plan, review: Review) -> None:
    """One invitation per person (with an iCalendar file whose UID is the review's), `invite_days_before` the
    review or at once if it was planned later; a review moved after someone was invited: an update to them at once
    (the same UID, SEQUENCE + 1). Then a reminder `remind_days_before`, unless the invitation came less than a day
    before it (planned two days ahead: the invitation says it all). The advisor if it is not logged."""
    policies = p.policies
    local = review.planned_at.astimezone(PARIS)
    when = local.isoformat(timespec="minutes")
    details = {"review_id": str(review.id), "planned_at": when, "place": review.place,
               "due": review.due_by.isoformat()}
    scheduled = review.scheduled_at  # None: planned before this was recorded, long enough ago
    for party, email in review.participants.items():
        role = str(party)
        sent = p.facts.invited.get((review.id or 0, email), {})
        earlier = sorted(version for version in sent if version < review.version)
        previous = sent[earlier[-1]] if earlier else None
        invite_day = local.date() - timedelta(days=policies.review_invite_days_before)
        if previous is None:
            invite_at = p.delivered_at(ReminderKind.REVIEW_INVITATION, _at(invite_day, policies.send_time),
                                       review.planned_at)
        else:  # the calendars hold the old date: the update goes at once
            invite_at = scheduled or review.planned_at - timedelta(days=policies.review_invite_days_before)
        sent_from = max(invite_at, scheduled) if scheduled is not None else invite_at
        # The calendar event's SEQUENCE: how many invitations to this review this person already received.
        data = {"case_id": str(p.case_id), "candidate": p.case.candidate.full_name, "role": role, **details,
                "sequence": str(len(earlier)), "update": "yes" if previous is not None else "no",
                "previous_planned_at": previous or ""}
        p.copy_legal_representative(role, sent_from.astimezone(PARIS).date(), data)
        for channel in policies.channels:
            # The review's version is in the key: each reschedule is one update, sent once.
            anchor = f"r{review.id}v{review.version}"
            key = f"{p.case_id}/{ReminderKind.REVIEW_INVITATION}/{anchor}/{role}/{email}/{channel}"
            p.items.append(PlannedReminder(key, p.case_id, ReminderKind.REVIEW_INVITATION, role, email, channel,
                                           invite_at, dict(data), review.planned_at))
        for days in policies.review_remind_days_before:
            remind_at = p.delivered_at(ReminderKind.REVIEW_REMINDER,
                                       _at(local.date() - timedelta(days=days), policies.send_time),
                                       review.planned_at)
            if remind_at - sent_from < timedelta(days=1):
                continue  # the invitation or the update is this recent: a reminder would say the same again
            reminder = {key: value for key, value in data.items()
                        if key not in ("update", "previous_planned_at", "sequence")}
            for channel in policies.channels:
                anchor = f"r{review.id}@{when}-{days}"
                key = f"{p.case_id}/{ReminderKind.REVIEW_REMINDER}/{anchor}/{role}/{email}/{channel}"
                p.items.append(PlannedReminder(
                    key, p.case_id, ReminderKind.REVIEW_REMINDER, role, email, channel, remind_at, reminder,
                    review.planned_at, f"{p.case_id}/review_reminder@r{review.id}/{role}/{email}/{channel}"))
    p.add(ReminderKind.REVIEW_UNLOGGED, f"r{review.id}@{when}", ("advisor",),
          local.date() + timedelta(days=policies.review_unlogged_after_days), details)


def _pay_changes(p: _Plan) -> None:
    schedule = p.case.contract.pay_schedule or []
    for previous, period in pairwise(schedule):
        start = date.fromisoformat(period["from"])
        p.add(ReminderKind.PAY_CHANGE, period["from"], ("employer", "apprentice"),
              start - timedelta(days=p.policies.pay_change_days_before),
              {"from": period["from"], "amount": period["minimum_monthly_gross"],
               "previous_amount": previous["minimum_monthly_gross"], "percent": period["percent"],
               "reference": period["reference"], "contract_year": period["contract_year"],
               "age_band": period["age_band"]}, expires_at=_end_of(start))


def _after_break(p: _Plan, ended: date) -> None:
    limit = p.facts.resume_window_end or add_months(ended, 6)
    month = p.policies.break_nudge_every_months
    # The monthly nudges are one series: after a gap, the latest alone.
    while add_months(ended, month) < limit:
        day = add_months(ended, month)
        p.add(ReminderKind.BREAK_NUDGE, f"{ended.isoformat()}+{month}m", ("apprentice",), day,
              {"ended_on": ended.isoformat(), "window_end": limit.isoformat()},
              expires_at=_end_of(limit), series=f"break_nudge@{ended.isoformat()}")
        month += p.policies.break_nudge_every_months
    advisor_day = add_months(ended, p.policies.break_advisor_at_months)
    p.add(ReminderKind.BREAK_ADVISOR, f"{ended.isoformat()}+{p.policies.break_advisor_at_months}m", ("advisor",),
          advisor_day, {"ended_on": ended.isoformat(), "window_end": limit.isoformat()}, expires_at=_end_of(limit))


def _trial_passed(p: _Plan, trial_end: date) -> None:
    """L6222-18: the trial ended without a break, so the contract goes on (the engine moved the case itself):
    the apprentice, the mentor and the advisor are told, on the first day after it."""
    day = trial_end + timedelta(days=1)
    start = p.case.contract.start_date
    p.add(ReminderKind.TRIAL_PASSED, trial_end.isoformat(), ("apprentice", "mentor", "advisor"), day,
          {"trial_end": trial_end.isoformat(), "start": start.isoformat() if start else ""},
          expires_at=_at(day, p.policies.send_time) + timedelta(days=p.policies.notice_expires_after_days))


def _lapsed(p: _Plan) -> None:
    """The 3-month window without an employer ended (L6222-12-1) and the case was closed without a contract: the
    apprentice (and the advisor, who may not be the one who closed it) are told at once."""
    moved = p.case.state_since
    if moved is None:
        return
    day = moved.astimezone(PARIS).date()
    window_end = p.facts.search_window_end
    last_day = window_end - timedelta(days=1) if window_end else None  # as people read it (see _search)
    p.add(ReminderKind.CASE_LAPSED, day.isoformat(), ("apprentice", "advisor"), day,
          {"window_end": last_day.isoformat() if last_day else "", "lapsed_on": day.isoformat()},
          at=moved, expires_at=moved + timedelta(days=p.policies.notice_expires_after_days))


def worth_planning(new: Iterable[PlannedReminder], now: datetime) -> list[PlannedReminder]:
    """Of reminders new to the ledger (or planned again), those worth writing at `now`: whatever is due later;
    of what is already due (its facts were recorded late: an import, a contract signed after its start, a review
    planned two days ahead), nothing past its expiry and, of each series, the latest step only. The engine's own
    moves always stay (the trial passes even if it is recorded late)."""
    kept: list[PlannedReminder] = []
    latest: dict[str, PlannedReminder] = {}
    for item in new:
        if item.channel == ENGINE or item.due_at > now:
            kept.append(item)
        elif item.expires_at is not None and item.expires_at <= now:
            continue
        elif item.series is None:
            kept.append(item)
        elif item.series not in latest or latest[item.series].due_at < item.due_at:
            latest[item.series] = item
    kept.extend(latest.values())
    return sorted(kept, key=lambda r: (r.due_at, r.key))
