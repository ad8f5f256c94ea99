"""The TDB's status of the cases and the reconciliation with the public systems (issue 16, items 3 and 4), on SQLite
and PostgreSQL: a contract filed without a DECA number 30 days later, a case the TDB refused in the CFA's latest push
(the earlier pushes' refusals no longer count), a learner the TDB counts ABANDON while the engine still follows them;
an advisor sees their cases (and those nobody advises), the programme lead the CFA, another CFA's staff nothing of
it, a tutor is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import tdb_push_error_table, tdb_push_table
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import Forbidden, NotFound
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_status import TdbStatus
from contract_flow.services.cases import advance, set_facts
from contract_flow.services.directory import add_user
from contract_flow.services.filing import file_contract, record_opco_decision
from contract_flow.services.tdb_status import (
    ABANDON_FOLLOWED,
    DECA_MISSING,
    TDB_REJECTED,
    case_tdb_status,
    reconcile,
    tdb_status_counts,
)
from tests.conftest import People
from tests.support.cases import open_candidate, walk

FILED_ON = date(2026, 8, 25)
ON = date(2026, 12, 15)  # 112 days after the filing, 105 days after the training's start (1 September 2026)
OTHER_ADVISOR = "hugo.conseil@cfa.example"


def paris(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def _push(app: App, started: date, errors: list[tuple[int, str, str, str]]) -> None:
    """A finished push of the CFA with its errors, as helper "tdb"'s ledger records them."""
    with app.uow() as uow:
        push_id = uow.execute(sa.insert(tdb_push_table).values(
            cfa_code="imt-mines-ales", started_at=paris(started), finished_at=paris(started, 13), as_of=started,
            trigger="cli", by="system", endpoint="prod", status="partial", items_sent=3,
            items_with_errors=len(errors), batches=1, answer="OK").returning(tdb_push_table.c.id)).scalar_one()
        for case_id, field, message, source in errors:
            uow.execute(sa.insert(tdb_push_error_table).values(
                push_id=push_id, case_id=case_id, id_erp_apprenant=str(case_id), field=field, message=message,
                source=source))
        uow.commit()


@pytest.fixture
def world(app: App, people: People, clock: FixedClock) -> dict[str, int]:
    add_user(app, OTHER_ADVISOR, name="Hugo Conseil", role="advisor", cfa_code="imt-mines-ales")
    clock.set(paris(date(2026, 8, 20)))
    searching = open_candidate(app, first_name="Inès", last_name="Abadie", email="ines@example.org")
    set_facts(app, searching, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, searching, "apply", advisor=people.advisor, lead=people.lead)
    signed = open_candidate(app)
    set_facts(app, signed, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, signed, "trial", advisor=people.advisor, lead=people.lead)
    accepted = open_candidate(app, first_name="Noé", last_name="Bernard", email="noe@example.org")
    set_facts(app, accepted, {"advisor": OTHER_ADVISOR}, actor_email=people.advisor)
    walk(app, accepted, "trial", advisor=people.advisor, lead=people.lead)
    left = open_candidate(app, first_name="Éva", last_name="Costa", email="eva@example.org")
    advance(app, left, "withdraw", actor_email=people.advisor)  # 20 August: before the training started
    clock.set(paris(FILED_ON))
    file_contract(app, signed, filed_on=FILED_ON, actor_email=people.advisor)
    file_contract(app, accepted, filed_on=FILED_ON, actor_email=people.advisor)
    record_opco_decision(app, accepted, decision="accepted", decided_on=FILED_ON, deca_number="030202609000123",
                         actor_email=people.advisor)
    _push(app, date(2026, 11, 3), [(signed, "nom_apprenant", "old refusal", "tdb")])
    _push(app, date(2026, 12, 3), [(accepted, "formation_rncp", "RNCP inconnu", "tdb"),
                                   (signed, "email_contact", "not an email", "local")])
    clock.set(paris(ON))
    return {"searching": searching, "signed": signed, "accepted": accepted, "left": left}


def test_the_three_kinds_listed_for_the_programme_lead(app: App, people: People, world: dict[str, int]) -> None:
    found = reconcile(app, actor_email=people.lead)
    assert found.on == ON
    assert [(item.case_id, item.since) for item in found.of_kind(DECA_MISSING)] == [(world["signed"], FILED_ON)]
    assert "112 days ago" in str(found.of_kind(DECA_MISSING)[0].reason)
    rejected = found.of_kind(TDB_REJECTED)
    assert sorted((item.case_id, item.reason.key) for item in rejected) == sorted([
        (world["signed"], "recon_tdb_not_sent"), (world["accepted"], "recon_tdb_rejected")])
    assert all("old refusal" not in str(item.reason) for item in rejected)  # an earlier push's refusal is gone
    abandon = found.of_kind(ABANDON_FOLLOWED)
    assert [(item.case_id, item.state, item.since) for item in abandon] == [
        (world["searching"], CaseState.APPLY, date(2026, 11, 30))]


def test_an_advisor_sees_their_cases_and_those_nobody_advises(app: App, people: People,
                                                              world: dict[str, int]) -> None:
    mine = {item.case_id for item in reconcile(app, actor_email=people.advisor).items}
    assert mine == {world["searching"], world["signed"]}
    theirs = {item.case_id for item in reconcile(app, actor_email=OTHER_ADVISOR).items}
    assert theirs == {world["accepted"]}


def test_another_cfa_is_not_found_and_a_tutor_is_refused(app: App, people: People, world: dict[str, int]) -> None:
    with pytest.raises(NotFound):
        reconcile(app, actor_email=people.lead, cfa_code="another-cfa")
    with pytest.raises(Forbidden):
        reconcile(app, actor_email=people.tutor)
    assert reconcile(app, actor_email="system", cfa_code="another-cfa").items == ()
    assert len(reconcile(app, actor_email="system", cfa_code="imt-mines-ales").items) == 4


def test_before_30_days_after_the_filing_no_deca_is_missing(app: App, people: People, world: dict[str, int]) -> None:
    assert reconcile(app, actor_email=people.lead, on=date(2026, 9, 23)).of_kind(DECA_MISSING) == []
    assert len(reconcile(app, actor_email=people.lead, on=date(2026, 9, 24)).of_kind(DECA_MISSING)) == 1


def test_a_case_status_with_the_engine_beside_it(app: App, people: People, world: dict[str, int]) -> None:
    searching = case_tdb_status(app, world["searching"], actor_email=people.advisor)
    assert searching.comparison.result.status is TdbStatus.ABANDON
    assert not searching.comparison.agrees
    assert searching.comparison.explanation.key == "tdb_abandon_followed"
    running = case_tdb_status(app, world["signed"], actor_email=people.advisor)
    assert running.comparison.result.status is TdbStatus.APPRENTI
    assert running.comparison.agrees
    assert running.contracts == ((date(2026, 9, 1), date(2029, 8, 31), None),)
    earlier = case_tdb_status(app, world["searching"], actor_email=people.advisor, on=date(2026, 10, 1))
    assert earlier.comparison.result.status is TdbStatus.INSCRIT


def test_the_board_counts_per_tdb_status(app: App, people: People, world: dict[str, int]) -> None:
    counts = tdb_status_counts(app, "imt-mines-ales", today=ON)
    # Éva left before the training started: the feed does not send her, the TDB does not count her
    assert counts["mecatronique"] == {TdbStatus.INSCRIT: 0, TdbStatus.APPRENTI: 2, TdbStatus.RUPTURANT: 0,
                                      TdbStatus.ABANDON: 1, TdbStatus.FIN_DE_FORMATION: 0}
    left = case_tdb_status(app, world["left"], actor_email=people.lead)
    assert not left.sent
    before = tdb_status_counts(app, "imt-mines-ales", today=date(2026, 8, 31))
    assert sum(before["mecatronique"].values()) == 0  # nothing is sent before the training starts
