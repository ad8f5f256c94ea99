"""Programme codes through the API (issue 10): stored in lower case, found whatever their capitals; a programme
lists its calendar's version and school periods."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.api.conftest import World


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_a_case_opens_and_lists_under_its_programme_code_in_any_capitals(world: World, client: TestClient) -> None:
    advisor = world.as_("advisor")
    opened = ok(client.post("/api/v1/cases", json={
        "programme": "MecaTronique", "first_name": "Inès", "last_name": "Petit", "birth_date": "2005-12-19",
        "email": "ines.petit@example.org"}, headers=advisor), 201)
    listed = ok(client.get("/api/v1/cases", params={"programme": "MECATRONIQUE", "limit": 100}, headers=advisor))
    assert opened["id"] in [item["id"] for item in listed["items"]]
    assert {item["programme"] for item in listed["items"]} == {"mecatronique"}


def test_a_programme_added_in_capitals_is_stored_in_lower_case_and_has_no_calendar_yet(
        world: World, client: TestClient) -> None:
    lead = world.as_("programme_lead")
    added = ok(client.post("/api/v1/programmes", json={"code": "ROBOTIQUE", "name": "Robotique",
                                                       "start_date": "2027-09-01"}, headers=lead), 201)
    assert (added["code"], added["calendar_version"], added["school_periods"]) == ("robotique", None, 0)
    again = client.post("/api/v1/programmes", json={"code": "Robotique", "name": "Robotique",
                                                    "start_date": "2027-09-01"}, headers=lead)
    assert again.status_code == 422
    assert again.json()["message"] == "code: programme robotique already exists"
    listed = {p["code"]: p for p in ok(client.get("/api/v1/programmes", headers=lead))}
    assert listed["mecatronique"]["school_periods"] == 20  # the brochure's calendar, given by the world
