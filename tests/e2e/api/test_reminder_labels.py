"""Reminders readable over HTTP: codes stay codes, a `<field>_label` beside each in the caller's language (their own
setting, else Accept-Language, else French), and `POST /inbox/read-all` for one's own messages only."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from contract_flow.adapters.tables import person_table
from contract_flow.api.schemas import InboxItemOut, InboxReadAllOut, ReminderOut
from contract_flow.bootstrap import App
from contract_flow.labels import label
from contract_flow.services.directory import add_user
from tests.conftest import snapshot
from tests.e2e.api.conftest import World


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def shaped(model: Any, payload: dict[str, Any]) -> None:
    assert set(payload) == set(model.model_fields), (model.__name__, sorted(payload))
    model.model_validate(payload)


def test_the_ledger_keeps_its_codes_and_labels_them_in_the_users_language(
        app: App, world: World, client: TestClient) -> None:
    path = f"/api/v1/cases/{world.one.case_id}/reminders"
    french = ok(client.get(path, headers=world.as_("advisor")))
    assert french
    for row in french:
        shaped(ReminderOut, row)
        assert row["kind_label"] == label("reminder_kind", row["kind"], "fr")
        assert row["status_label"] == label("reminder_status", row["status"], "fr")
        assert row["channel_label"] == label("channel", row["channel"], "fr")
        assert row["recipient_role_label"] == label("role", row["recipient_role"], "fr")
    invitation = next(row for row in french if row["kind"] == "review_invitation" and row["status"] == "sent")
    assert invitation["kind_label"] == "Invitation à l'entretien tripartite"
    assert invitation["status_label"] == "envoyée"

    english_advisor = add_user(app, "english.advisor@cfa.example", name="Ann English", role="advisor",
                               cfa_code=world.one.code, language="en").token
    english = ok(client.get(path, headers={"Authorization": f"Bearer {english_advisor}"}))
    assert [row["kind"] for row in english] == [row["kind"] for row in french]  # the same codes
    same = next(row for row in english if row["id"] == invitation["id"])
    assert same["kind_label"] == "Three-party review invitation"
    assert same["status_label"] == "sent"
    assert same["channel_label"] == label("channel", same["channel"], "en")


def test_the_users_setting_comes_before_accept_language_which_comes_before_french(
        app: App, world: World, client: TestClient) -> None:
    apprentice = world.as_("apprentice")
    [french] = [item for item in ok(client.get("/api/v1/inbox", headers={**apprentice, "Accept-Language": "en"}))
                if item["id"] == world.one.message_id]
    assert french["kind"] == "review_invitation"
    assert french["kind_label"] == "Invitation à l'entretien tripartite"  # their setting: fr
    shaped(InboxItemOut, french)
    # A person whose setting is no language of ours reads the browser's, else French.
    with app.uow() as uow:
        uow.execute(sa.update(person_table).where(person_table.c.email == world.one.user("apprentice").email)
                    .values(language="de"))
        uow.commit()
    by_browser = ok(client.get("/api/v1/inbox", headers={**apprentice, "Accept-Language": "de-DE, en;q=0.8"}))
    assert {item["kind_label"] for item in by_browser if item["id"] == world.one.message_id} == {
        "Three-party review invitation"}
    neither = ok(client.get("/api/v1/inbox", headers={**apprentice, "Accept-Language": "de"}))
    assert {item["kind_label"] for item in neither if item["id"] == world.one.message_id} == {
        "Invitation à l'entretien tripartite"}
    read = ok(client.post(f"/api/v1/inbox/{world.one.message_id}/read",
                          headers={**apprentice, "Accept-Language": "en"}))
    assert read["kind_label"] == "Three-party review invitation"


def test_read_all_marks_the_callers_messages_read_and_no_one_elses(world: World, client: TestClient) -> None:
    apprentice, tutor = world.as_("apprentice"), world.as_("tutor")
    unread = ok(client.get("/api/v1/inbox", params={"unread": True}, headers=apprentice))
    tutors_unread = ok(client.get("/api/v1/inbox", params={"unread": True}, headers=tutor))
    assert unread
    assert tutors_unread
    answer = ok(client.post("/api/v1/inbox/read-all", headers=apprentice))
    shaped(InboxReadAllOut, answer)
    assert answer == {"marked": len(unread)}
    assert ok(client.get("/api/v1/inbox", params={"unread": True}, headers=apprentice)) == []
    assert ok(client.get("/api/v1/inbox", params={"unread": True}, headers=tutor)) == tutors_unread
    assert ok(client.post("/api/v1/inbox/read-all", headers=apprentice)) == {"marked": 0}


def test_read_all_needs_a_token(app: App, client: TestClient) -> None:
    before = snapshot(app)
    assert client.post("/api/v1/inbox/read-all").status_code == 401
    assert snapshot(app) == before
