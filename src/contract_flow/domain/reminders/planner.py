"""Planning a case's reminders: a pure function of its facts, its reviews and the policies.

The plan is the full list of reminders the case's current situation calls for, past-due ones included (delivery
is late-tolerant). Each carries an idempotency key built from what it is about (kind, the date it anchors on,
recipient, channel): when facts change, the keys that left the plan are cancelled, new ones are added, and a key
already sent is never sent again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise

from contract_flow.domain.case import Case, Part
from contract_flow.domain.context import PARIS
from contract_flow.domain.dates import add_months
from contract_flow.domain.reminders.policies import ReminderPolicies
from contract_flow.domain.reviews import Review, ReviewState, review_schedule
from contract_flow.domain.rules.dates import age_on
from contract_flow.domain.states import SEARCH_STEPS, CaseState

ADULT_AGE = 18  # Code civil art. 414: a minor's legal representative is copied on what concerns them


class ReminderKind(StrEnum):
    SEARCH_STALE = "search_stale"
    SEARCH_WINDOW = "search_window"
    SEARCH_WINDOW_ENDED = "search_window_ended"
    OPCO_FILING = "opco_filing"
    OPCO_OVERDUE = "opco_overdue"
    TRIAL_ENDING = "trial_ending"
    TRIAL_PASS = "trial_pass"  # not a message: the engine moves the case to `active`
    REVIEW_INVITATION = "review_invitation"
    REVIEW_UNPLANNED = "review_unplanned"
    REVIEW_UNLOGGED = "review_unlogged"
    PAY_CHANGE = "pay_change"
    BREAK_NUDGE = "break_nudge"
    BREAK_ADVISOR = "break_advisor"
    MEDICAL_VISIT = "medical_visit"
    MEDICAL_VISIT_OVERDUE = "medical_visit_overdue"
    OPCO_SILENCE = "opco_silence"
    HIRING_AID_FILING = "hiring_aid_filing"
    PARTICIPATION_INVOICE = "participation_invoice"


ENGINE = "engine"
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


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


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
            payload: dict[str, str] | None = None) -> None:
        people = self.people()
        due = _at(day, self.policies.send_time)
        for role in roles:
            email = people.get(role)
            if not email:
                continue  # nobody to tell yet: the plan is redone when the address is recorded
            data = {"case_id": str(self.case_id), "candidate": self.case.candidate.full_name,
                    "role": role, **(payload or {})}
            self.copy_legal_representative(role, day, data)
            for channel in self.policies.channels:
                key = f"{self.case_id}/{kind}/{anchor}/{role}/{email}/{channel}"
                self.items.append(PlannedReminder(key, self.case_id, kind, role, email, channel, due, data))

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
    elif state in (CaseState.TRIAL, CaseState.ACTIVE):
        _contract(p, state)
    elif state in (CaseState.ENDED_IN_TRIAL, CaseState.TERMINATED) and facts.case.contract.ended_on is not None:
        _after_break(p, facts.case.contract.ended_on)
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
    for days in policies.window_days_before:
        p.add(ReminderKind.SEARCH_WINDOW, f"{window_end.isoformat()}-{days}", ("apprentice", "advisor"),
              window_end - timedelta(days=days), {"window_end": window_end.isoformat(), "days": str(days)})
    if policies.window_advisor_at_end:
        p.add(ReminderKind.SEARCH_WINDOW_ENDED, window_end.isoformat(), ("advisor",), window_end,
              {"window_end": window_end.isoformat()})


def _contract(p: _Plan, state: CaseState) -> None:
    terms, policies = p.case.contract, p.policies
    if terms.start_date is None:
        return
    if terms.opco_filed_on is None:
        p.add(ReminderKind.OPCO_FILING, terms.start_date.isoformat(), ("employer", "advisor"),
              terms.start_date + timedelta(days=policies.opco_remind_days_after_start),
              {"start": terms.start_date.isoformat(),
               "due": terms.opco_filing_due.isoformat() if terms.opco_filing_due else ""})
        if policies.opco_escalate and terms.opco_filing_due is not None:
            p.add(ReminderKind.OPCO_OVERDUE, terms.opco_filing_due.isoformat(), ("advisor",),
                  terms.opco_filing_due + timedelta(days=1), {"due": terms.opco_filing_due.isoformat()})
    if state is CaseState.TRIAL and terms.trial_end is not None:
        end = terms.trial_end.isoformat()
        p.add(ReminderKind.TRIAL_ENDING, end, ("apprentice", "mentor", "advisor"),
              terms.trial_end - timedelta(days=policies.trial_days_before), {"trial_end": end})
        # The trial ends at the end of its last day: the case becomes active as that day ends.
        p.engine(ReminderKind.TRIAL_PASS, end, _at(terms.trial_end + timedelta(days=1), time(0, 5)),
                 {"trial_end": end})
    _medical_visit(p)
    _opco_decision(p)
    _hiring_aid(p)
    _participation(p)
    _reviews(p)
    _pay_changes(p)


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
    p.add(ReminderKind.MEDICAL_VISIT, due.isoformat(), ("employer", "advisor"),
          due - timedelta(days=policies.medical_visit_days_before), payload)
    if policies.medical_visit_remind_overdue:
        p.add(ReminderKind.MEDICAL_VISIT_OVERDUE, due.isoformat(), ("employer", "advisor"),
              due + timedelta(days=1), payload)


def _opco_decision(p: _Plan) -> None:
    """D6224-2: the OPCO decides within 20 days of the complete file, and its silence is a refusal (CRPA L231-4).
    The advisor, while the filing is recorded (opco_decision_due is set from it) and no decision is."""
    terms = p.case.contract
    due = terms.opco_decision_due
    if due is None or terms.opco_filed_on is None:
        return
    p.add(ReminderKind.OPCO_SILENCE, due.isoformat(), ("advisor",),
          due - timedelta(days=p.policies.opco_decision_days_before),
          {"filed_on": terms.opco_filed_on.isoformat(), "due": due.isoformat()})


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
          {"due": due.isoformat(), "concluded": concluded.isoformat() if concluded else ""})


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
    """Invitations to the three parties (with an iCalendar file), then the advisor if it is not logged."""
    policies = p.policies
    local = review.planned_at.astimezone(PARIS)
    when = local.isoformat(timespec="minutes")
    details = {"review_id": str(review.id), "planned_at": when, "place": review.place,
               "due": review.due_by.isoformat(), "sequence": str(review.version - 1)}
    for days in policies.review_invite_days_before:
        day = local.date() - timedelta(days=days)
        for party, email in review.participants.items():
            for channel in policies.channels:
                anchor = f"r{review.id}@{when}-{days}"
                key = f"{p.case_id}/{ReminderKind.REVIEW_INVITATION}/{anchor}/{party}/{email}/{channel}"
                data = {"case_id": str(p.case_id), "candidate": p.case.candidate.full_name, "role": str(party),
                        "days": str(days), **details}
                p.copy_legal_representative(str(party), day, data)
                p.items.append(PlannedReminder(
                    key, p.case_id, ReminderKind.REVIEW_INVITATION, str(party), email, channel,
                    _at(day, policies.send_time), data))
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
               "age_band": period["age_band"]})


def _after_break(p: _Plan, ended: date) -> None:
    limit = p.facts.resume_window_end or add_months(ended, 6)
    month = p.policies.break_nudge_every_months
    while add_months(ended, month) < limit:
        day = add_months(ended, month)
        p.add(ReminderKind.BREAK_NUDGE, f"{ended.isoformat()}+{month}m", ("apprentice",), day,
              {"ended_on": ended.isoformat(), "window_end": limit.isoformat()})
        month += p.policies.break_nudge_every_months
    advisor_day = add_months(ended, p.policies.break_advisor_at_months)
    p.add(ReminderKind.BREAK_ADVISOR, f"{ended.isoformat()}+{p.policies.break_advisor_at_months}m", ("advisor",),
          advisor_day, {"ended_on": ended.isoformat(), "window_end": limit.isoformat()})
