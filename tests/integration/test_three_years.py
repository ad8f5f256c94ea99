"""Three years of a contract lived day by day: what is delivered, and when, is exactly what the policies say."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import holidays
import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App, bootstrap
from contract_flow.domain.context import PARIS
from contract_flow.domain.dates import add_months
from contract_flow.domain.reviews import Party, SkillLevel
from contract_flow.domain.states import CaseState
from contract_flow.services.cases import set_facts, show
from contract_flow.services.legal_impact import apply_impact
from contract_flow.services.reminders import ledger, run_once
from contract_flow.services.reviews import log_review, plan_review
from contract_flow.settings import Settings
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.rules import rules_with_next_smic
from tests.support.smtp_sink import SmtpSink

START, END = date(2026, 9, 1), date(2029, 8, 31)
CHANNELS = ("app", "email")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def expect(day: date, kind: str, *roles: str, before: date | None = None) -> list[tuple[date, str, str, str]]:
    """`kind` to `roles` on both channels, on `day` if it is a working day, else on the next one (or the one before
    if the next is not before `before`, the day it announces)."""
    return [(working_day(day, before), kind, role, channel) for role in roles for channel in CHANNELS]


PUBLIC_HOLIDAYS = holidays.country_holidays("FR", years=range(2026, 2031))


def _off(day: date) -> bool:
    return day.weekday() >= 5 or day in PUBLIC_HOLIDAYS


def working_day(day: date, before: date | None = None) -> date:
    """reminders.toml [working_hours]: Monday to Friday, French public holidays off."""
    later = day
    while _off(later):
        later += timedelta(days=1)
    if before is None or later < before or later == day:
        return later
    earlier = day
    while _off(earlier):
        earlier -= timedelta(days=1)
    return earlier


#: The day an operator adds next January's SMIC to the rule set and runs `rules impact --apply` (issue 10).
SMIC_ADDED_ON = date(2026, 12, 18)


@pytest.mark.parametrize("smic_change", [False, True], ids=["one rule set", "a SMIC added mid-contract"])
def test_a_contract_lived_day_by_day_gets_exactly_the_reminders_the_policies_say(
        app: App, people: People, clock: FixedClock, smic_change: bool, database_url: str, tmp_path: Path) -> None:
    first_app = app
    case_id = open_candidate(app)
    set_facts(app, case_id, {"advisor": people.advisor, "tutor": people.tutor}, actor_email=people.advisor)
    clock.set(at(date(2026, 6, 15)))
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    set_facts(app, case_id, {"contract.employer_email": "rh@industrie.example"}, actor_email=people.advisor)
    contract = show(app, case_id).case.contract
    assert contract.trial_end is not None
    assert contract.opco_filing_due is not None
    assert contract.pay_schedule is not None

    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        delivered: list[tuple[date, str, str, str]] = []
        review_id: int | None = None
        day = START
        while day <= END + timedelta(days=3):
            clock.set(at(day))
            if smic_change and day == SMIC_ADDED_ON:
                app = bootstrap(Settings(database_url=database_url, environment="test",
                                         rules_file=rules_with_next_smic(tmp_path)), clock=clock)
                app.mailer = SmtpMailer("127.0.0.1", sink.port)
                assert [impact.case_id for impact in apply_impact(app)] == [case_id]
            _, report = run_once(app, at(day))
            sent = set(report.sent)
            if sent:  # what the engine did in this sweep (the trial passed) is told at the beat's next one
                sent |= set(run_once(app, at(day) + timedelta(minutes=1))[1].sent)
            delivered += [(day, row.kind, row.recipient_role, row.channel)
                          for row in ledger(app, case_id) if row.id in sent and row.channel != "engine"]
            if day == date(2027, 5, 3):  # the tutor, reminded that no review is planned, plans one
                review_id = plan_review(app, case_id, planned_at=at(date(2027, 5, 20), 14), place="Salle B12",
                                        actor_email=people.tutor).id
            if day == date(2027, 5, 20):  # logged in the evening, after the meeting
                assert review_id is not None
                clock.set(at(day, 17))
                log_review(app, review_id, attended={Party.APPRENTICE, Party.MENTOR, Party.TUTOR},
                           skills={"Optimisation": SkillLevel.ACQUIRED}, mentor_observations="Bonne autonomie.",
                           tutor_observations="Progrès nets.", next_steps="Mission 2.", actor_email=people.tutor)
            day += timedelta(days=1)
        sink.wait_for(len([d for d in delivered if d[3] == "email"]), timeout=10)

    trial_end = contract.trial_end
    signed_schedule = contract.pay_schedule
    contract = show(app, case_id).case.contract  # as kept at the end: re-computed when the SMIC was added
    assert contract.pay_schedule is not None
    reviews_due = [add_months(START, 2 + 6 * n) for n in range(6)]  # 2 months, then each semester
    pay_changes = [date.fromisoformat(period["from"]) for period in contract.pay_schedule[1:]]
    expected = [
        *expect(START + timedelta(days=3), "opco_filing", "employer", "advisor",
                before=contract.opco_filing_due + timedelta(days=1)),
        *expect(contract.opco_filing_due + timedelta(days=1), "opco_overdue", "advisor"),
        *expect(trial_end - timedelta(days=7), "trial_ending", "apprentice", "mentor", "advisor",
                before=trial_end + timedelta(days=1)),
        # The engine made the contract active the day after the trial's last day: the three are told.
        *expect(trial_end + timedelta(days=1), "trial_passed", "apprentice", "mentor", "advisor"),
        # 1 May 2027 is a public holiday: the tutor is reminded on Monday 3 May, and plans the review that day.
        *[item for due in reviews_due for item in expect(due, "review_unplanned", "tutor")],
        # One invitation 14 days before the review of 20 May, one reminder 2 days before: no more.
        *expect(date(2027, 5, 6), "review_invitation", "apprentice", "mentor", "tutor"),
        *expect(date(2027, 5, 18), "review_reminder", "apprentice", "mentor", "tutor"),
        # 30 days before each change; a period the new SMIC added after its 30 days had begun: on the day it was added
        *[item for change in pay_changes
          for item in ([(max(working_day(change - timedelta(days=30), change + timedelta(days=1)), SMIC_ADDED_ON),
                         "pay_change", role, channel) for role in ("employer", "apprentice") for channel in CHANNELS]
                       if smic_change else
                       expect(change - timedelta(days=30), "pay_change", "employer", "apprentice",
                              before=change + timedelta(days=1)))],
    ]
    # The deadlines the signature kept: the medical visit (R6222-40-1) 14 days before and the day after, never
    # recorded here; the hiring aid's filing a month before its 6 months, the OPCO filing never recorded either.
    assert contract.medical_visit_due is not None
    assert contract.hiring_aid_filing_due is not None
    expected += [
        *expect(contract.medical_visit_due - timedelta(days=14), "medical_visit", "employer", "advisor",
                before=contract.medical_visit_due + timedelta(days=1)),
        *expect(contract.medical_visit_due + timedelta(days=1), "medical_visit_overdue", "employer", "advisor"),
        *expect(add_months(contract.hiring_aid_filing_due, -1), "hiring_aid_filing", "employer",
                before=contract.hiring_aid_filing_due + timedelta(days=1)),
    ]
    if contract.participation_amount:  # L6332-14, R6332-25-1: invoiced the day after the trial's last day
        expected += expect(trial_end + timedelta(days=1), "participation_invoice", "advisor")
    assert sorted(delivered) == sorted(expected)
    assert [d for d, *_ in delivered] == sorted(d for d, *_ in delivered)  # delivered in due order
    assert len(sink.messages) == len([d for d in delivered if d[3] == "email"])  # once each
    assert show(app, case_id).case.state is CaseState.ACTIVE  # the trial passed by itself
    passed = [e for e in show(app, case_id).history if e.trigger == "pass_trial"]
    assert [e.at.astimezone(PARIS).date() for e in passed] == [trial_end + timedelta(days=1)]
    assert all(row.status in ("sent", "cancelled") for row in ledger(app, case_id)
               if row.due_at <= at(END))
    # what the employer was told of each new minimum is the amount the contract keeps at the end
    kept = {period["from"]: period["minimum_monthly_gross"] for period in contract.pay_schedule}
    told = {row.payload["from"]: row.payload["amount"] for row in ledger(app, case_id)
            if row.kind == "pay_change" and row.status == "sent" and row.recipient_role == "employer"}
    assert told == {start: amount for start, amount in kept.items() if start != START.isoformat()}
    if smic_change:
        assert kept["2027-01-01"] == "1007.00"  # 53 % of the 1 900 € added for 1 January 2027
        assert "2027-01-01" not in {period["from"] for period in signed_schedule or []}
        app.close()
    assert first_app is not None
