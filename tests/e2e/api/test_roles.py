"""A day of each role over HTTP, on a fresh world per test (SQLite and PostgreSQL): what they list, read and do,
the shapes of the answers, ETag and If-Match, Location on a new case."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel

from contract_flow.adapters.clock import FixedClock
from contract_flow.api.schemas import (
    BoardOut,
    CaseDetail,
    CasePage,
    CaseSummaryOut,
    EventOut,
    InboxItemOut,
    MovedOut,
    ProgrammeOut,
    ReminderOut,
    ReviewOut,
    VersionOut,
)
from contract_flow.bootstrap import App
from contract_flow.services.directory import issue_token
from tests.conftest import snapshot
from tests.e2e.api.conftest import MISSING, World, paris
from tests.support.cases import PATH

NEW_CASE = {"programme": "mecatronique", "first_name": "Zoé", "last_name": "Nouvelle", "birth_date": "2005-03-03",
            "email": "zoe.nouvelle@example.org", "track": "excellence"}


def shaped(model: type[BaseModel], payload: Any) -> Any:
    """The payload has exactly the model's fields, and the model accepts it."""
    assert set(payload) == set(model.model_fields), (model.__name__, sorted(payload))
    model.model_validate(payload)
    return payload


def same_instants(left: dict[str, Any], right: dict[str, Any]) -> bool:
    """Equal, times compared as instants (a time written now keeps the clock's offset, Paris here; read back from
    the database it is UTC)."""
    def instant(value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", value):
            return datetime.fromisoformat(value)
        return value
    return {k: instant(v) for k, v in left.items()} == {k: instant(v) for k, v in right.items()}


def etag_version(response: Any) -> int:
    match = re.fullmatch(r'"(\d+)"', response.headers["ETag"])
    assert match, response.headers["ETag"]
    return int(match.group(1))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def open_via_api(client: TestClient, world: World) -> tuple[int, str]:
    """A new case of CFA 1, opened by its advisor; its id and ETag."""
    created = client.post("/api/v1/cases", json=NEW_CASE, headers=world.as_("advisor"))
    assert created.status_code == 201, created.text
    return created.json()["id"], created.headers["ETag"]


# -- advisor ---------------------------------------------------------------------------------------------------

def test_an_advisor_lists_and_reads_the_cases_of_their_cfa(world: World, client: TestClient) -> None:
    advisor = world.as_("advisor")

    page = shaped(CasePage, ok(client.get("/api/v1/cases", headers=advisor)))
    assert {item["id"] for item in page["items"]} == {world.one.case_id, world.one.neighbour_id}
    assert (page["total"], page["limit"], page["offset"]) == (2, 50, 0)
    for item in page["items"]:
        shaped(CaseSummaryOut, item)
        assert item["programme"] == "mecatronique"
    in_trial = ok(client.get("/api/v1/cases", params={"state": "trial"}, headers=advisor))
    assert [item["id"] for item in in_trial["items"]] == [world.one.case_id]
    second = ok(client.get("/api/v1/cases", params={"limit": 1, "offset": 1}, headers=advisor))
    assert (len(second["items"]), second["total"]) == (1, 2)

    response = client.get(f"/api/v1/cases/{world.one.case_id}", headers=advisor)
    case = shaped(CaseDetail, ok(response))
    assert etag_version(response) == case["version"]
    assert case["state"] == "trial"
    assert case["step"] is None
    assert case["facts"]["tutor"] == world.one.user("tutor").email
    assert case["facts"]["contract"]["mentor_email"] == world.one.user("mentor").email
    assert case["facts"]["candidate"]["email"] == world.one.user("apprentice").email
    assert "pass_trial" in case["blocked"]
    assert "break_trial" in case["blocked"]  # needs contract.ended_by
    for event in case["history"]:
        shaped(EventOut, event)
    assert [e["trigger"] for e in case["history"] if e["trigger"] in {t for t, _ in PATH}] == [t for t, _ in PATH]

    history = ok(client.get(f"/api/v1/cases/{world.one.case_id}/history", headers=advisor))
    assert history == case["history"]


def test_an_advisor_opens_a_case_and_moves_it_with_if_match(app: App, world: World, client: TestClient) -> None:
    advisor = world.as_("advisor")

    created = client.post("/api/v1/cases", json=NEW_CASE, headers=advisor)
    body = shaped(VersionOut, ok(created, 201))
    assert body == {"id": body["id"], "version": 1, "state": "reflect"}
    assert created.headers["Location"] == f"/api/v1/cases/{body['id']}"
    assert created.headers["ETag"] == '"1"'
    fetched = client.get(created.headers["Location"], headers=advisor)
    assert ok(fetched)["state"] == "reflect"
    assert fetched.headers["ETag"] == '"1"'

    facts = {"project.target_job": "technicien mécatronique", "project.mobility_area": "Occitanie"}
    recorded = client.patch(f"{created.headers['Location']}/facts", json={"facts": facts, "reason": "entretien"},
                            headers={**advisor, "If-Match": fetched.headers["ETag"]})
    assert shaped(VersionOut, ok(recorded)) == {"id": body["id"], "version": 2, "state": "reflect"}
    assert recorded.headers["ETag"] == '"2"'

    # The ETag read before the facts is stale now: refused before anything, nothing changed.
    before = snapshot(app)
    stale = client.post(f"{created.headers['Location']}/transitions", json={"trigger": "start_applying"},
                        headers={**advisor, "If-Match": fetched.headers["ETag"]})
    assert stale.status_code == 409
    assert stale.json() | {"message": "-", "message_text": "-"} == {
        "error": "conflict", "message": "-", "message_text": "-", "field": "If-Match", "version": 2}
    assert snapshot(app) == before

    moved = client.post(f"{created.headers['Location']}/transitions", json={"trigger": "start_applying"},
                        headers={**advisor, "If-Match": f'W/{recorded.headers["ETag"]}'})
    result = shaped(MovedOut, ok(moved))
    shaped(EventOut, result["event"])
    assert (result["event"]["from_state"], result["event"]["to_state"], result["event"]["trigger"]) == (
        "reflect", "apply", "start_applying")
    assert result["event"]["actor"] == world.one.user("advisor").email
    assert result["version"] == etag_version(moved) == 3

    applied = client.post(f"{created.headers['Location']}/applications",
                          json={"company": "Industrie SA", "siret": "73282932000074", "applied_on": "2026-10-19"},
                          headers={**advisor, "If-Match": moved.headers["ETag"]})
    assert ok(applied, 201) == {"id": body["id"], "version": 4, "state": "apply"}
    case = ok(client.get(created.headers["Location"], headers=advisor))
    assert [(a["company"], a["siret"], a["applied_on"]) for a in case["facts"]["applications"]] == [
        ("Industrie SA", "73282932000074", "2026-10-19")]
    assert [e["trigger"] for e in case["history"]] == ["record_facts", "start_applying", "record_facts"]


def test_an_advisor_reads_the_board_and_a_ledger(world: World, client: TestClient) -> None:
    advisor = world.as_("advisor")

    board = shaped(BoardOut, ok(client.get("/api/v1/board", headers=advisor)))
    assert board["counts"] == {"mecatronique": {"trial": 1, "reflect": 1}}
    for risk in board["at_risk"]:
        assert risk["case_id"] in {world.one.case_id, world.one.neighbour_id}

    ledger = ok(client.get(f"/api/v1/cases/{world.one.case_id}/reminders", headers=advisor))
    for row in ledger:
        shaped(ReminderOut, row)
        assert row["case_id"] == world.one.case_id
    sent = {(row["kind"], row["recipient"], row["channel"]) for row in ledger if row["status"] == "sent"}
    assert ("review_invitation", world.one.user("apprentice").email, "app") in sent


# -- programme lead --------------------------------------------------------------------------------------------

def test_a_programme_lead_validates_the_job_project_the_advisor_may_not(
        world: World, client: TestClient) -> None:
    advisor, lead = world.as_("advisor"), world.as_("programme_lead")
    case_id, _ = open_via_api(client, world)
    for trigger, facts in PATH[:4]:  # reflect -> decide
        ok(client.post(f"/api/v1/cases/{case_id}/transitions", json={"trigger": trigger, "facts": facts},
                       headers=advisor))
    read = client.get(f"/api/v1/cases/{case_id}", headers=lead)
    assert ok(read)["state"] == "decide"
    assert "validate" in read.json()["allowed"]

    refused = client.post(f"/api/v1/cases/{case_id}/transitions", json={"trigger": "validate"},
                          headers={**advisor, "If-Match": read.headers["ETag"]})
    assert refused.status_code == 422
    assert refused.json()["error"] == "transition_refused"
    assert any("programme lead" in reason for reason in refused.json()["reasons"])

    validated = client.post(f"/api/v1/cases/{case_id}/transitions",
                            json={"trigger": "validate", "reason": "projet cohérent"},
                            headers={**lead, "If-Match": read.headers["ETag"]})
    event = ok(validated)["event"]
    assert (event["from_state"], event["to_state"], event["actor"], event["reason"]) == (
        "decide", "sign", world.one.user("programme_lead").email, "projet cohérent")
    assert etag_version(validated) == etag_version(read) + 1


def test_a_programme_lead_adds_a_programme_to_their_cfa(world: World, client: TestClient) -> None:
    lead = world.as_("programme_lead")
    added = ok(client.post("/api/v1/programmes", json={"code": "robotique", "name": "Robotique",
                                                       "start_date": "2027-09-01", "seats": 24}, headers=lead), 201)
    assert shaped(ProgrammeOut, added) == {"code": "robotique", "name": "Robotique", "cfa_code": world.one.code,
                                           "start_date": "2027-09-01", "years": 3, "seats": 24,
                                           "calendar_version": None, "school_periods": 0, "level": None}
    listed = ok(client.get("/api/v1/programmes", headers=lead))
    assert {p["code"] for p in listed} == {"mecatronique", "robotique"}
    assert {p["code"] for p in ok(client.get("/api/v1/programmes", headers=world.as_("advisor", 2)))} == {"autre"}
    # The others see the programmes of the cases they see: not CFA two's, nor the new one (no case of theirs).
    for role in ("tutor", "mentor", "apprentice"):
        seen = {p["code"] for p in ok(client.get("/api/v1/programmes", headers=world.as_(role)))}
        assert seen == {"mecatronique"}, role


# -- tutor -----------------------------------------------------------------------------------------------------

def test_a_tutor_sees_only_their_apprentices_and_plans_and_logs_a_review(
        app: App, world: World, client: TestClient, clock: FixedClock) -> None:
    tutor = world.as_("tutor")
    page = ok(client.get("/api/v1/cases", headers=tutor))
    assert [item["id"] for item in page["items"]] == [world.one.case_id]
    for hidden in (world.one.neighbour_id, world.two.case_id):
        assert client.get(f"/api/v1/cases/{hidden}", headers=tutor).status_code == 404
    reviews = ok(client.get(f"/api/v1/cases/{world.one.case_id}/reviews", headers=tutor))
    assert [(shaped(ReviewOut, r)["id"], r["state"]) for r in reviews] == [
        (world.one.held_review_id, "held"), (world.one.planned_review_id, "planned")]

    planned = ok(client.post(f"/api/v1/cases/{world.one.case_id}/reviews",
                             json={"planned_at": "2027-10-20T14:00:00+02:00", "place": "https://visio.example/b12"},
                             headers=tutor), 201)
    shaped(ReviewOut, planned)
    assert (planned["state"], planned["due_by"], planned["place"]) == ("planned", "2027-11-01",
                                                                       "https://visio.example/b12")
    assert planned["participants"] == {"apprentice": world.one.user("apprentice").email,
                                       "mentor": world.one.user("mentor").email,
                                       "tutor": world.one.user("tutor").email}

    clock.set(paris(2027, 10, 20, 16))
    # A year on, the tutor's token has expired (api_token_days): they use a new one.
    tutor = {"Authorization": f"Bearer {issue_token(app, world.one.user('tutor').email)}"}
    log = {"attended": ["apprentice", "tutor"], "skills": {"Prototypage": "acquired", "Modélisation": "2"},
           "tutor_observations": "Progrès nets.", "next_steps": "Autonomie sur la cellule."}
    stale = client.post(f"/api/v1/reviews/{planned['id']}/log", json=log,
                        headers={**tutor, "If-Match": f'"{planned["version"] + 1}"'})
    assert stale.status_code == 409
    assert stale.json()["field"] == "If-Match"
    held = ok(client.post(f"/api/v1/reviews/{planned['id']}/log", json=log,
                          headers={**tutor, "If-Match": f'"{planned["version"]}"'}))
    assert held["state"] == "held"
    assert held["attended"] == {"apprentice": True, "mentor": False, "tutor": True}
    assert held["skills"] == {"Prototypage": "acquired", "Modélisation": "in_progress"}
    assert ok(client.get(f"/api/v1/reviews/{planned['id']}", headers=tutor)) == held


# -- mentor ----------------------------------------------------------------------------------------------------

def test_a_mentor_records_an_absence_that_moves_the_trial_end_and_acknowledges_the_review(
        world: World, client: TestClient) -> None:
    mentor = world.as_("mentor")
    assert [i["id"] for i in ok(client.get("/api/v1/cases", headers=mentor))["items"]] == [world.one.case_id]
    read = client.get(f"/api/v1/cases/{world.one.case_id}", headers=mentor)
    trial_end = ok(read)["facts"]["contract"]["trial_end"]

    recorded = client.post(f"/api/v1/cases/{world.one.case_id}/absences",
                           json={"from": "2026-10-12", "to": "2026-10-14", "reason": "arrêt maladie"},
                           headers={**mentor, "If-Match": read.headers["ETag"]})
    event = shaped(EventOut, ok(recorded, 201))
    assert (event["trigger"], event["from_state"], event["to_state"]) == ("record_absence", "trial", "trial")
    assert event["actor"] == world.one.user("mentor").email
    assert event["facts"]["absence.from"] == "2026-10-12"
    assert etag_version(recorded) == etag_version(read) + 1

    again = client.get(f"/api/v1/cases/{world.one.case_id}", headers=mentor)
    moved = ok(again)["facts"]["contract"]["trial_end"]
    assert moved > trial_end
    assert event["facts"]["trial_end"] == f"{trial_end} → {moved}"
    assert same_instants(again.json()["history"][-1], event)
    assert again.headers["ETag"] == recorded.headers["ETag"]

    acknowledged = ok(client.post(f"/api/v1/reviews/{world.one.held_review_id}/ack", headers=mentor))
    assert set(acknowledged["acknowledged"]) == {"mentor"}
    twice = client.post(f"/api/v1/reviews/{world.one.held_review_id}/ack", headers=mentor)
    assert twice.status_code == 422
    forbidden = client.patch(f"/api/v1/cases/{world.one.case_id}/facts",
                             json={"facts": {"contract.weekly_hours": "30"}}, headers=mentor)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "forbidden"


# -- apprentice ------------------------------------------------------------------------------------------------

def test_an_apprentice_reads_their_case_and_inbox_and_marks_a_message_read(
        world: World, client: TestClient) -> None:
    apprentice = world.as_("apprentice")
    assert [i["id"] for i in ok(client.get("/api/v1/cases", headers=apprentice))["items"]] == [world.one.case_id]
    case = ok(client.get(f"/api/v1/cases/{world.one.case_id}", headers=apprentice))
    assert case["facts"]["candidate"]["email"] == world.one.user("apprentice").email

    items = ok(client.get("/api/v1/inbox", headers=apprentice))
    for item in items:
        shaped(InboxItemOut, item)
        assert item["case_id"] == world.one.case_id
    [invitation] = [item for item in items if item["id"] == world.one.message_id]
    assert invitation["kind"] == "review_invitation"
    assert invitation["read_at"] is None
    unread = ok(client.get("/api/v1/inbox", params={"unread": True}, headers=apprentice))
    assert world.one.message_id in {item["id"] for item in unread}

    read = ok(client.post(f"/api/v1/inbox/{world.one.message_id}/read", headers=apprentice))
    assert read["read_at"] is not None
    assert same_instants({**read, "read_at": None}, invitation)
    unread = ok(client.get("/api/v1/inbox", params={"unread": True}, headers=apprentice))
    assert world.one.message_id not in {item["id"] for item in unread}
    again = ok(client.post(f"/api/v1/inbox/{world.one.message_id}/read", headers=apprentice))
    assert same_instants(again, read)  # idempotent: the first reading's time stays

    acknowledged = ok(client.post(f"/api/v1/reviews/{world.one.held_review_id}/ack", headers=apprentice))
    assert set(acknowledged["acknowledged"]) == {"apprentice"}


def test_an_apprentice_cannot_read_another_case_which_looks_missing(world: World, client: TestClient) -> None:
    apprentice = world.as_("apprentice")
    missing = client.get(f"/api/v1/cases/{MISSING}", headers=apprentice)
    assert missing.status_code == 404
    for other in (world.one.neighbour_id, world.two.case_id):
        response = client.get(f"/api/v1/cases/{other}", headers=apprentice)
        assert response.status_code == 404
        assert response.json() == {"error": "not_found", "message": f"case {other} not found",
                                   "message_text": f"dossier {other} introuvable", "field": None}  # French by default
        assert missing.json()["message"] == f"case {MISSING} not found"
    tutors_message = world.one.messages["tutor"]
    assert client.post(f"/api/v1/inbox/{tutors_message}/read", headers=apprentice).status_code == 404
    assert client.get(f"/api/v1/reviews/{world.two.held_review_id}", headers=apprentice).status_code == 404
