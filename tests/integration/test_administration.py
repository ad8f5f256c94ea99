"""Administration for staff (issue 15, item 5), on SQLite and PostgreSQL: a single-CFA installation names no CFA
(its staff see its programmes, also a staff user recorded without a CFA), the programme lead manages their own
CFA's users and programmes only, a deactivated user can no longer log in nor use their tokens, a new user chooses
their password through the emailed link (once), a calendar is previewed without saving anything."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.adapters.tables import person_table
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from contract_flow.domain.rules import parse_calendar
from contract_flow.services.access import authenticate, principal_of
from contract_flow.services.directory import (
    activate_user,
    add_programme,
    add_user,
    change_role,
    deactivate_user,
    set_calendar,
)
from contract_flow.services.login_links import choose_password, link_holder, send_login_link
from contract_flow.services.logins import log_in
from contract_flow.services.programmes import edit_programme, managed_programmes, programme_entry
from contract_flow.services.users import edit_user, list_users, user_entry
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink

PASSWORD = "un mot de passe long"


def test_a_single_cfa_installation_names_no_cfa_and_its_staff_see_its_programmes(app: App) -> None:
    add_programme(app, "mkx", name="Mécatronique X", start_date=date(2026, 9, 1), years=3, seats=40)
    advisor = add_user(app, "claire@cfa.example", name="Claire Conseil", role="advisor")
    assert advisor.cfa_code == app.settings.default_cfa
    # A staff user recorded before staff got the default CFA (no CFA at all) works for it too.
    legacy = add_user(app, "ancien@cfa.example", name="Ancien Conseil", role="advisor", password=PASSWORD)
    with app.engine.begin() as connection:
        connection.execute(sa.update(person_table).where(person_table.c.id == legacy.id).values(cfa_code=None))
    assert principal_of(app, legacy.id, None).cfa_code == app.settings.default_cfa
    with TestClient(create_app(app)) as client:
        for user in (advisor, legacy):
            answer = client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {user.token}"})
            assert answer.status_code == 200
            assert [p["code"] for p in answer.json()] == ["mkx"]


def test_the_default_cfa_is_a_setting(app: App) -> None:
    app.settings.default_cfa = "cfa-du-sud"
    info = add_programme(app, "mkx", name="Mécatronique X", start_date=date(2026, 9, 1), years=3, seats=40)
    user = add_user(app, "claire@cfa.example", name="Claire Conseil", role="programme_lead")
    assert (info.cfa_code, user.cfa_code) == ("cfa-du-sud", "cfa-du-sud")
    assert [p.code for p in managed_programmes(app, actor_email=user.email)] == ["mkx"]


def test_a_deactivated_user_can_no_longer_log_in_nor_use_their_tokens(app: App, people: People) -> None:
    added = add_user(app, "nouvelle@cfa.example", name="Nouvelle Conseil", role="advisor", cfa_code="imt-mines-ales",
                     password=PASSWORD)
    assert added.token is not None
    assert authenticate(app, added.token).email == added.email
    assert log_in(app, added.email, PASSWORD, "127.0.0.1") == added.id
    session_version = principal_of(app, added.id, None).session_version
    state = deactivate_user(app, added.email, actor_email=people.lead)
    assert (state.active, state.done) == (False, "deactivated")
    with pytest.raises(NotAuthenticated):
        authenticate(app, added.token)
    assert log_in(app, added.email, PASSWORD, "127.0.0.1") is None
    with pytest.raises(NotAuthenticated):
        principal_of(app, added.id, session_version)
    assert not user_entry(app, added.email, actor_email=people.lead).active
    # Reactivated, they log in again; their old token stays revoked.
    activate_user(app, added.email, actor_email=people.lead)
    assert log_in(app, added.email, PASSWORD, "127.0.0.1") == added.id
    with pytest.raises(NotAuthenticated):
        authenticate(app, added.token)


def test_a_programme_lead_manages_their_own_cfa_only_and_not_themselves(app: App, people: People) -> None:
    add_user(app, "autre@ailleurs.example", name="Autre Responsable", role="programme_lead", cfa_code="ailleurs")
    before = snapshot(app)
    with pytest.raises(NotFound):
        deactivate_user(app, people.advisor, actor_email="autre@ailleurs.example")
    with pytest.raises(NotFound):
        user_entry(app, people.advisor, actor_email="autre@ailleurs.example")
    with pytest.raises(NotFound):
        programme_entry(app, "mecatronique", actor_email="autre@ailleurs.example")
    with pytest.raises(Forbidden):
        deactivate_user(app, people.tutor, actor_email=people.advisor)
    with pytest.raises(Forbidden):
        list_users(app, actor_email=people.advisor)
    with pytest.raises(InvalidInput, match="yourself"):
        deactivate_user(app, people.lead, actor_email=people.lead)
    with pytest.raises(InvalidInput, match="yourself"):
        change_role(app, people.lead, "advisor", actor_email=people.lead)
    with pytest.raises(InvalidInput) as moved:
        change_role(app, people.advisor, "advisor", cfa_code="ailleurs", actor_email=people.lead)
    assert moved.value.field == "cfa"
    with pytest.raises(InvalidInput) as elsewhere:
        add_user(app, "x@cfa.example", name="X", role="tutor", cfa_code="ailleurs", actor_email=people.lead)
    assert elsewhere.value.field == "cfa"
    assert snapshot(app) == before
    # Their own CFA's users, found by a part of the name or email; the other CFA's lead is not listed.
    listed = list_users(app, actor_email=people.lead)
    assert {u.email for u in listed} == {people.advisor, people.lead, people.tutor, people.mentor, people.apprentice}
    assert [u.email for u in list_users(app, actor_email=people.lead, search="THOMAS")] == [people.tutor]
    assert len(list_users(app)) == 6  # the operator sees every CFA's
    edited = edit_user(app, people.tutor, name="Thomas Tuteur-Martin", language="en", actor_email=people.lead)
    assert (edited.name, edited.language) == ("Thomas Tuteur-Martin", "en")


def test_a_programme_is_edited_within_what_its_cases_allow(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    entry = programme_entry(app, "MECATRONIQUE", actor_email=people.lead)
    assert (entry.cases, entry.seats_taken, entry.seats_free) == (1, 1, 39)
    before = snapshot(app)
    with pytest.raises(InvalidInput) as seats:
        edit_programme(app, "mecatronique", seats=0, actor_email=people.lead)
    assert seats.value.field == "seats"
    with pytest.raises(InvalidInput) as start:
        edit_programme(app, "mecatronique", start_date=date(2026, 10, 1), actor_email=people.lead)
    assert start.value.field == "start_date"
    with pytest.raises(Forbidden):
        edit_programme(app, "mecatronique", seats=30, actor_email=people.advisor)
    assert snapshot(app) == before
    edited = edit_programme(app, "mecatronique", name="Mécatronique (FISA)", seats=1, level=7,
                            actor_email=people.lead)
    assert (edited.name, edited.seats, edited.seats_free) == ("Mécatronique (FISA)", 1, 0)


def test_a_calendar_preview_says_which_trial_ends_move_and_saves_nothing(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    three_weeks = parse_calendar({"school": [{"from": "2026-09-14", "to": "2026-10-02"}]})
    before = snapshot(app)
    preview = set_calendar(app, "mecatronique", three_weeks, actor_email=people.lead, save=False)
    assert [moved.case_id for moved in preview.moved] == [case_id]
    assert snapshot(app) == before
    saved = set_calendar(app, "mecatronique", three_weeks, actor_email=people.lead)
    assert saved.moved == preview.moved
    with pytest.raises(Forbidden):
        set_calendar(app, "mecatronique", three_weeks, actor_email=people.advisor, save=False)


def test_a_new_user_chooses_their_password_through_the_emailed_link_once(app: App, people: People) -> None:
    add_user(app, "nouveau@cfa.example", name="Nouveau Tuteur", role="tutor", cfa_code="imt-mines-ales",
             actor_email=people.lead)
    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        sent = send_login_link(app, "nouveau@cfa.example", base_url="https://cfa.example/",
                               actor_email=people.lead)
        assert sent.sent
        message = sink.wait_for(1)[0]
    assert message["To"].addresses[0].addr_spec == "nouveau@cfa.example"
    assert message["Subject"] == "Votre accès à contract-flow"
    body = message.get_body(("plain",)).get_content()
    url = re.search(r"https://cfa\.example/login/link\?token=\S+", body)
    assert url is not None
    assert url.group(0) == sent.url
    token = url.group(0).split("token=")[1]
    assert link_holder(app, token).email == "nouveau@cfa.example"
    assert log_in(app, "nouveau@cfa.example", PASSWORD, "127.0.0.1") is None
    holder = choose_password(app, token, PASSWORD)
    assert log_in(app, "nouveau@cfa.example", PASSWORD, "127.0.0.1") == holder.person_id
    with pytest.raises(InvalidInput) as used:
        choose_password(app, token, "un autre mot de passe")
    assert used.value.field == "token"
    with pytest.raises(InvalidInput):
        link_holder(app, token[:-2] + "xx")
    with pytest.raises(NotFound):
        send_login_link(app, "nouveau@cfa.example", actor_email="nobody@cfa.example")
