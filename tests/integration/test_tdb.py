"""The Tableau de bord's feed and its push (issue 16, items 1 and 2), on SQLite and PostgreSQL, pushed over HTTP to
a stand-in TDB (tests/support/tdb_server.py) that checks the key, the batch size and every field as the TDB does:
the learners and their contracts as the TDB takes them, batches of the configured size, a bad key refused and not
retried, a 5xx retried, a slow answer timed out, the items refused by us or by the TDB recorded with their case and
field, the monthly push made once by two beats racing for it, and a CFA without key or settings told which setting
is missing."""

from __future__ import annotations

import io
import json
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import sqlalchemy as sa
from celery.schedules import crontab
from openpyxl import load_workbook
from pydantic import SecretStr

from contract_flow import rulefiles
from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.queue import PUSH_TDB, celery_config
from contract_flow.adapters.tables import case_table, contract_table, tdb_push_error_table, tdb_push_table
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import Forbidden, InvalidInput, NotNow, OutOfScope
from contract_flow.domain.tdb_feed import FIELDS
from contract_flow.domain.tdb_status import TdbStatus
from contract_flow.services.cases import advance, set_facts
from contract_flow.services.retention import erase_person
from contract_flow.services.tdb import (
    ExportCounts,
    export_feed,
    feed_request,
    latest_rejections,
    list_pushes,
    push_due,
    push_feed,
)
from contract_flow.services.tdb_status import ABANDON_FOLLOWED, case_tdb_status, reconcile, tdb_status_counts
from contract_flow.settings import Settings
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.tdb_server import TdbStandIn, item_errors
from workers import tasks

KEY = "imt-secret-key"
CFA = "imt-mines-ales"
ON = date(2026, 10, 15)


def paris(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def tdb(app: App) -> Iterator[TdbStandIn]:
    with TdbStandIn(keys={KEY}) as running:
        app.settings = app.settings.model_copy(update={
            "tdb_url": running.url, "tdb_keys": {CFA: SecretStr(KEY)}, "tdb_backoff_seconds": 0.01,
            "tdb_timeout_seconds": 5.0, "tdb_retries": 2})
        yield running


def learners(app: App, people: People, clock: FixedClock) -> dict[str, int]:
    """Four candidates of the brochure's programme: one in its trial, one whose contract the apprentice broke in
    the trial (searching again), one who never found an employer, one who withdrew before the training started."""
    clock.set(paris(date(2026, 8, 10)))
    ids = {
        "trial": open_candidate(app),
        "broken": open_candidate(app, first_name="Hugo", last_name="Lefèvre", email="hugo@example.org"),
        "searching": open_candidate(app, first_name="Inès", last_name="Benali", email="ines@example.org"),
        "withdrawn": open_candidate(app, first_name="Zoé", last_name="Roux", email="zoe@example.org"),
    }
    for name in ("trial", "broken", "searching", "withdrawn"):
        set_facts(app, ids[name], {"advisor": people.advisor}, actor_email=people.advisor)
    advance(app, ids["withdrawn"], "withdraw", actor_email=people.advisor, reason="a place elsewhere")
    for name in ("trial", "broken"):
        walk(app, ids[name], "trial", advisor=people.advisor, lead=people.lead)
    clock.set(paris(date(2026, 9, 20)))
    advance(app, ids["broken"], "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "apprentice"})
    return ids


def exported(app: App, actor: str, on: date = ON) -> tuple[list[dict[str, object]], ExportCounts]:
    out = io.BytesIO()
    counts = export_feed(app, feed_request(app, actor_email=actor, on=on), out)
    return json.loads(out.getvalue()), counts


def test_the_feed_holds_each_learner_from_the_training_start_with_contracts_breaks_and_the_programme(
        app: App, people: People, clock: FixedClock) -> None:
    ids = learners(app, people, clock)
    items, counts = exported(app, people.advisor)
    by_case = {int(str(item["id_erp_apprenant"])): item for item in items}
    assert sorted(by_case) == sorted([ids["trial"], ids["broken"], ids["searching"]])  # the withdrawn one: not
    assert all(item_errors(item) == [] for item in items)  # as the TDB checks them
    trial = by_case[ids["trial"]]
    assert (trial["nom_apprenant"], trial["prenom_apprenant"], trial["date_de_naissance_apprenant"]) == \
        ("MARTIN", "Léa", "2004-05-12")
    assert (trial["etablissement_responsable_uai"], trial["etablissement_formateur_siret"]) == \
        ("0300063F", "18009202500055")
    assert (trial["formation_rncp"], trial["formation_cfd"], trial["annee_scolaire"]) == \
        ("RNCP37412", "17025203", "2026-2027")
    assert (trial["date_entree_formation"], trial["date_fin_formation"]) == ("2026-09-01", "2029-08-31")
    assert trial["date_inscription_formation"] == "2026-08-10"
    assert (trial["contrat_date_debut"], trial["contrat_date_fin"], trial["siret_employeur"]) == \
        ("2026-09-01", "2029-08-31", "73282932000074")
    assert "contrat_date_rupture" not in trial
    broken = by_case[ids["broken"]]
    assert (broken["contrat_date_rupture"], broken["cause_rupture_contrat"]) == ("2026-09-20", "démission")
    assert not any(key.startswith("contrat_") for key in by_case[ids["searching"]])
    assert counts.refused == 0
    # The same feed a day before the break: the break is not known yet.
    before, _ = exported(app, people.advisor, date(2026, 9, 19))
    assert "contrat_date_rupture" not in next(i for i in before if i["id_erp_apprenant"] == str(ids["broken"]))


def test_the_xlsx_has_the_tdb_columns_and_one_row_per_learner(app: App, people: People, clock: FixedClock) -> None:
    learners(app, people, clock)
    out = io.BytesIO()
    counts = export_feed(app, feed_request(app, actor_email=people.lead, on=ON), out, "xlsx")
    rows = list(load_workbook(io.BytesIO(out.getvalue()), read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == FIELDS
    assert len(rows) == 1 + counts.items == 4
    assert {row[FIELDS.index("nom_apprenant")] for row in rows[1:]} == {"MARTIN", "LEFÈVRE", "BENALI"}


def test_a_push_sends_batches_with_the_key_and_records_them(app: App, people: People, clock: FixedClock,
                                                            tdb: TdbStandIn) -> None:
    learners(app, people, clock)
    app.settings = app.settings.model_copy(update={"tdb_batch_size": 2})
    clock.set(paris(ON))
    result = push_feed(app, actor_email=people.advisor, trigger="cli")
    assert (result.status, result.items_sent, result.batches) == ("sent", 3, 2)
    assert [len(batch) for batch in tdb.batches] == [2, 1]
    assert {request.authorization for request in tdb.requests} == {f"Bearer {KEY}"}
    assert {request.path for request in tdb.requests} == {"/api/v3/dossiers-apprenants"}
    [view] = list_pushes(app, actor_email=people.lead)
    assert (view.status, view.trigger, view.by, view.as_of, view.items_sent, view.errors) == \
        ("sent", "cli", people.advisor, ON, 3, ())


def test_a_bad_key_is_refused_once_and_never_retried(app: App, people: People, clock: FixedClock,
                                                     tdb: TdbStandIn) -> None:
    learners(app, people, clock)
    app.settings = app.settings.model_copy(update={"tdb_keys": {CFA: SecretStr("wrong")}})
    result = push_feed(app, actor_email=people.advisor, trigger="api")
    assert (result.status, result.items_sent) == ("refused", 0)
    assert result.answer.startswith("403")
    assert [request.status for request in tdb.requests] == [403]
    assert "wrong" not in result.answer


def test_a_5xx_is_retried_with_backoff_then_the_push_goes_through(app: App, people: People, clock: FixedClock,
                                                                    tdb: TdbStandIn) -> None:
    learners(app, people, clock)
    tdb.fail_next(2, 503)
    waits: list[float] = []
    result = push_feed(app, actor_email=people.advisor, trigger="cli", sleep=waits.append)
    assert (result.status, result.items_sent) == ("sent", 3)
    assert [request.status for request in tdb.requests] == [503, 503, 200]
    assert waits == [0.01, 0.02]


def test_a_tdb_down_beyond_the_retries_fails_the_push(app: App, people: People, clock: FixedClock,
                                                      tdb: TdbStandIn) -> None:
    learners(app, people, clock)
    tdb.fail_next(5, 502)
    result = push_feed(app, actor_email=people.advisor, trigger="cli", sleep=lambda _: None)
    assert (result.status, result.items_sent) == ("failed", 0)
    assert len(tdb.requests) == 3  # the first try and tdb_retries=2
    assert "502 after 3 attempts" in result.answer


def test_a_slow_answer_times_out_and_is_retried(app: App, people: People, clock: FixedClock,
                                                tdb: TdbStandIn) -> None:
    learners(app, people, clock)
    tdb.slow_seconds = 1.0
    app.settings = app.settings.model_copy(update={"tdb_timeout_seconds": 0.2, "tdb_retries": 1})
    result = push_feed(app, actor_email=people.advisor, trigger="cli", sleep=lambda _: None)
    assert result.status == "failed"
    assert "ReadTimeout after 2 attempts" in result.answer
    assert len(tdb.requests) == 2


def test_items_refused_by_us_or_by_the_tdb_are_recorded_with_their_case_and_field(
        app: App, people: People, clock: FixedClock, tdb: TdbStandIn) -> None:
    ids = learners(app, people, clock)
    with app.uow() as uow:  # an employer's SIRET as an old import left it: not 14 digits
        uow.execute(sa.update(contract_table).where(contract_table.c.case_id == ids["trial"])
                    .values(employer_siret="7328293200"))
        uow.commit()
    tdb.refuse[str(ids["searching"])] = ("email_contact", "adresse email inconnue du référentiel")
    result = push_feed(app, actor_email=people.advisor, trigger="page")
    assert (result.status, result.items_sent, result.items_with_errors) == ("partial", 2, 2)
    assert str(ids["trial"]) not in {item["id_erp_apprenant"] for item in tdb.batches[0]}  # set aside, not sent
    with app.uow(write=False) as uow:
        rows = {(row.case_id, row.field, row.source) for row in uow.execute(sa.select(tdb_push_error_table))}
        rejections = latest_rejections(uow, CFA)
    assert rows == {(ids["trial"], "siret_employeur", "local"), (ids["searching"], "email_contact", "tdb")}
    assert sorted(rejections) == sorted([(ids["trial"], "siret_employeur", "a SIRET: 14 digits"),
                                         (ids["searching"], "email_contact",
                                          "adresse email inconnue du référentiel")])


def test_the_monthly_push_is_made_once_by_two_beats_racing_for_it(app: App, people: People, clock: FixedClock,
                                                                  tdb: TdbStandIn) -> None:
    learners(app, people, clock)
    clock.set(paris(date(2026, 11, 2)))
    results: list[object] = []
    barrier = threading.Barrier(2)

    def beat() -> None:
        barrier.wait(timeout=10)
        results.extend(push_due(app))

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 1
    with app.uow(write=False) as uow:
        pushes = uow.execute(sa.select(tdb_push_table.c.month_key, tdb_push_table.c.status,
                                       tdb_push_table.c.by)).all()
    assert [tuple(push) for push in pushes] == [(f"{CFA}:2026-11", "sent", "beat")]
    assert len(tdb.batches) == 1
    assert push_due(app) == []  # the next day of the window: done for the month
    clock.set(paris(date(2026, 11, 6)))  # out of the window
    assert push_due(app) == []


def test_a_cfa_without_key_or_address_is_told_which_setting_to_set_and_nothing_is_recorded(
        app: App, people: People, clock: FixedClock) -> None:
    learners(app, people, clock)
    with pytest.raises(NotNow) as no_url:
        push_feed(app, actor_email=people.advisor, trigger="cli")
    assert no_url.value.field == "tdb_url"
    app.settings = app.settings.model_copy(update={"tdb_url": "http://127.0.0.1:9"})
    with pytest.raises(NotNow) as no_key:
        push_feed(app, actor_email=people.advisor, trigger="cli")
    assert no_key.value.field == "tdb_keys"
    assert CFA in no_key.value.rule
    with app.uow(write=False) as uow:
        assert uow.execute(sa.select(sa.func.count()).select_from(tdb_push_table)).scalar_one() == 0


def test_a_programme_without_its_tdb_settings_is_refused_naming_the_setting(
        app: App, people: People, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    learners(app, people, clock)
    site = tmp_path / "site" / "programmes"
    site.mkdir(parents=True)
    text = (rulefiles.PROGRAMMES_DIR / "mecatronique.toml").read_text(encoding="utf-8")
    (site / "mecatronique.toml").write_text(text.replace('formateur_uai = "0300063F"\n', ""), encoding="utf-8")
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG_DIR", str(tmp_path / "site"))
    with pytest.raises(InvalidInput) as refused:
        exported(app, people.advisor)
    assert refused.value.field.endswith("mecatronique.toml: tdb.formateur_uai")


def test_staff_see_their_own_cfa_only_and_others_are_refused(app: App, people: People, clock: FixedClock) -> None:
    learners(app, people, clock)
    with pytest.raises(OutOfScope):
        feed_request(app, actor_email=people.advisor, cfa_code="another-cfa")
    with pytest.raises(Forbidden):
        feed_request(app, actor_email=people.mentor)
    with app.uow(write=False) as uow:
        assert uow.execute(sa.select(sa.func.count()).select_from(case_table)).scalar_one() == 4


def test_the_beat_runs_the_monthly_push_hourly_within_its_window_and_the_task_pushes_once(
        app: App, people: People, clock: FixedClock, tdb: TdbStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = celery_config(Settings(environment="test"))["beat_schedule"]["push-the-tdb-feed"]
    assert entry["task"] == PUSH_TDB == tasks.push_tdb.name
    assert entry["schedule"] == crontab(minute=20, hour="7-19", day_of_month="1-5")
    learners(app, people, clock)
    monkeypatch.setattr(tasks, "services", lambda: app)
    clock.set(paris(date(2026, 12, 1)))
    assert tasks.push_tdb() == 1
    assert tasks.push_tdb() == 0  # the next hour: the month is taken
    assert len(tdb.batches) == 1


def test_a_monthly_push_refused_by_a_programme_s_settings_is_recorded_as_failed_naming_the_setting(
        app: App, people: People, clock: FixedClock, tdb: TdbStandIn, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    learners(app, people, clock)
    site = tmp_path / "site" / "programmes"
    site.mkdir(parents=True)
    text = (rulefiles.PROGRAMMES_DIR / "mecatronique.toml").read_text(encoding="utf-8")
    (site / "mecatronique.toml").write_text(text.replace('responsable_siret = "18009202500055"\n', ""),
                                            encoding="utf-8")
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG_DIR", str(tmp_path / "site"))
    clock.set(paris(date(2026, 12, 1)))
    assert push_due(app) == []
    [view] = list_pushes(app, actor_email=people.advisor)
    assert (view.status, view.trigger, view.items_sent) == ("failed", "beat", 0)
    assert view.answer is not None
    assert "tdb.responsable_siret" in view.answer
    assert tdb.requests == []


def test_an_anonymised_learner_is_no_longer_sent_nor_counted(app: App, people: People, clock: FixedClock) -> None:
    """Retention (issue 16, item 6) and the feed: once a learner is anonymised, the feed never sends its
    placeholders (they would overwrite the learner the TDB keeps), and our statuses agree: not sent, not counted."""
    ids = learners(app, people, clock)
    clock.set(paris(ON))
    counted = tdb_status_counts(app, today=ON)["mecatronique"]
    erase_person(app, "ines@example.org", actor_email=people.advisor)
    items, _ = exported(app, people.advisor)
    assert sorted(int(str(item["id_erp_apprenant"])) for item in items) == sorted([ids["trial"], ids["broken"]])
    assert "ines@example.org" not in json.dumps(items)
    assert "BENALI" not in json.dumps(items)
    assert not case_tdb_status(app, ids["searching"], actor_email=people.advisor, on=ON).sent
    assert case_tdb_status(app, ids["trial"], actor_email=people.advisor, on=ON).sent
    after = tdb_status_counts(app, today=ON)["mecatronique"]
    assert sum(after.values()) == sum(counted.values()) - 1


def test_the_board_s_counts_are_each_case_s_status_with_several_contracts_on_one_case(
        app: App, people: People, clock: FixedClock) -> None:
    """The counts group the cases in the database by what their status reads, and a case with several contracts
    started apart: whatever the grouping, each case counts once, under the status its own page gives."""
    ids = learners(app, people, clock)
    with app.uow() as uow:  # hired again on 5 October, after the break of 20 September: the case's second contract
        broken = uow.execute(sa.select(contract_table).where(
            contract_table.c.case_id == ids["broken"])).mappings().one()
        uow.execute(sa.insert(contract_table).values(
            {**{key: value for key, value in broken.items() if key != "id"}, "start_date": date(2026, 10, 5),
             "ended_on": None, "ended_by": None, "termination_reason": None}))
        # written past the repository: what it keeps said, as a use case's write would
        uow.execute(sa.update(contract_table).where(contract_table.c.id == broken["id"]).values(superseded=True))
        uow.tally_changed([ids["broken"]])
        uow.commit()
    for on in (date(2026, 10, 1), ON, date(2027, 6, 1)):
        expected: dict[str, int] = {}
        for case_id in ids.values():
            status = case_tdb_status(app, case_id, actor_email=people.lead, on=on)
            if status.sent:
                name = status.comparison.result.status.value
                expected[name] = expected.get(name, 0) + 1
        counts = tdb_status_counts(app, CFA, today=on)["mecatronique"]
        assert {status.value: number for status, number in counts.items() if number} == expected, on
    assert case_tdb_status(app, ids["broken"], actor_email=people.lead, on=ON).comparison.result.status.value == \
        "APPRENTI"


def test_the_reconciliation_finds_the_abandon_of_a_broken_contract_and_of_a_search_among_the_groups(
        app: App, people: People, clock: FixedClock) -> None:
    """The reconciliation reads only the cases of the groups the TDB counts ABANDON: one searching since the
    training started (no contract), one searching again after a contract broken in its trial (one contract, 181
    days after its last day), one hired again (two contracts: APPRENTI, never listed)."""
    ids = learners(app, people, clock)
    hired_again = open_candidate(app, first_name="Paul", last_name="Girard", email="paul@example.org")
    clock.set(paris(date(2026, 8, 10)))
    walk(app, hired_again, "trial", advisor=people.advisor, lead=people.lead)
    with app.uow() as uow:  # its first contract broken on 20 September, its second from 5 October
        first = uow.execute(sa.select(contract_table).where(contract_table.c.case_id == hired_again)).mappings().one()
        uow.execute(sa.update(contract_table).where(contract_table.c.id == first["id"]).values(
            ended_on=date(2026, 9, 20), ended_by="apprentice"))
        uow.execute(sa.insert(contract_table).values(
            {**{key: value for key, value in first.items() if key != "id"}, "start_date": date(2026, 10, 5)}))
        uow.execute(sa.update(contract_table).where(contract_table.c.id == first["id"]).values(superseded=True))
        uow.tally_changed([hired_again])
        uow.commit()
    clock.set(paris(date(2026, 9, 25)))
    advance(app, ids["broken"], "resume_search", actor_email=people.advisor)

    def abandoned(on: date) -> list[int]:
        return [item.case_id for item in reconcile(app, actor_email=people.lead, on=on).of_kind(ABANDON_FOLLOWED)]

    def judged_one_by_one(on: date) -> list[int]:
        found = []
        for case_id in sorted([*ids.values(), hired_again]):
            status = case_tdb_status(app, case_id, actor_email=people.lead, on=on)
            if status.sent and status.comparison.abandon_while_followed:
                found.append(case_id)
        return found

    days = [date(2026, 11, 29), date(2026, 11, 30), date(2027, 3, 18), date(2027, 3, 19), date(2027, 3, 20),
            date(2027, 9, 1)]
    for on in days:
        assert abandoned(on) == judged_one_by_one(on), on
    assert abandoned(days[0]) == []  # 89 days after the training's start
    assert abandoned(days[1]) == [ids["searching"]]
    assert abandoned(days[-1]) == [ids["broken"], ids["searching"]]  # 180 days after the break, too
    assert case_tdb_status(app, hired_again, actor_email=people.lead, on=days[-1]).comparison.agrees


def test_the_board_counts_are_the_cases_statuses_counted_one_by_one(
        app: App, people: People, clock: FixedClock) -> None:
    """The board reads the statuses by groups of cases, kept as the cases change (adapters/tdb_tally.py); they are
    each case's status as its own page computes it, on days before and after the break."""
    ids = learners(app, people, clock)
    seen: set[TdbStatus] = set()
    for day in (date(2026, 9, 1), date(2026, 9, 25), ON, date(2027, 1, 15), date(2027, 9, 1)):
        views = [case_tdb_status(app, case_id, actor_email=people.advisor, on=day) for case_id in ids.values()]
        one_by_one = Counter(view.comparison.result.status for view in views if view.sent)
        counted = tdb_status_counts(app, today=day)["mecatronique"]
        assert {status: number for status, number in counted.items() if number} == dict(one_by_one), day
        seen |= set(one_by_one)
    assert seen >= {TdbStatus.APPRENTI, TdbStatus.RUPTURANT, TdbStatus.INSCRIT}
