"""The OPCO's answer in the plan (D6224-2, CRPA L231-4): the advisor is warned by the 20th day, then told the day
after that the silence is a refusal; nothing once an answer is recorded; a new filing, a new countdown."""

from __future__ import annotations

from datetime import date
from typing import Any

from contract_flow.domain.case import Case
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import ADVISOR, K, contract_case, matching, paris, planned

FILED_ON = date(2026, 9, 3)
DUE = date(2026, 9, 23)  # a Wednesday: filed on + 20 days


def filed(**changes: Any) -> Case:
    return contract_case(CaseState.TRIAL, **{"opco_filed_on": FILED_ON, "opco_decision_due": DUE, **changes})


def test_the_day_after_the_20th_the_advisor_is_told_the_silence_is_a_refusal() -> None:
    reminders = planned(filed())
    refusal = matching(reminders, K.OPCO_REFUSED_BY_SILENCE)
    assert {(r.recipient_role, r.recipient, r.channel) for r in refusal} == {
        ("advisor", ADVISOR, "email"), ("advisor", ADVISOR, "app")}
    assert {r.due_at for r in refusal} == {paris(date(2026, 9, 24))}
    assert {r.expires_at for r in refusal} == {None}  # true until an answer or a new filing is recorded
    assert refusal[0].payload["filed_on"] == "2026-09-03"
    assert refusal[0].payload["due"] == "2026-09-23"
    # One countdown with the warning of the 20th day: of the two, only the latest due is sent.
    warning = matching(reminders, K.OPCO_SILENCE)
    assert {r.due_at for r in warning} == {paris(DUE)}
    assert {r.series for r in warning} == {r.series for r in refusal}
    assert len({r.series for r in refusal}) == 2  # one per channel


def test_no_silence_once_the_opco_answered() -> None:
    for decision in ("accepted", "refused"):
        reminders = planned(filed(opco_decision=decision, opco_decided_on=date(2026, 9, 10)))
        assert matching(reminders, K.OPCO_SILENCE) == []
        assert matching(reminders, K.OPCO_REFUSED_BY_SILENCE) == []


def test_a_new_filing_is_a_new_countdown() -> None:
    before = {r.key for r in matching(planned(filed()), K.OPCO_REFUSED_BY_SILENCE)}
    again = planned(filed(opco_filed_on=date(2026, 9, 25), opco_decision_due=date(2026, 10, 15)))
    after = matching(again, K.OPCO_REFUSED_BY_SILENCE)
    assert before.isdisjoint({r.key for r in after})
    assert {r.due_at for r in after} == {paris(date(2026, 10, 16))}


def test_nothing_before_the_filing() -> None:
    reminders = planned(contract_case(CaseState.TRIAL, opco_decision_due=DUE))
    assert matching(reminders, K.OPCO_REFUSED_BY_SILENCE) == []
