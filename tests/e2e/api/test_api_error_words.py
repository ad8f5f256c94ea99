"""The API's refusals keep their English for programs (`message`, `reasons`) and say it in the caller's language
beside it (`message_text`, `reasons_text`: Accept-Language, else French), as the pages and the CLI do."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import snapshot
from tests.e2e.api.conftest import World


def test_a_refused_move_gives_its_reasons_in_english_and_in_the_callers_language(
        client: TestClient, world: World) -> None:
    path = f"/api/v1/cases/{world.one.neighbour_id}/transitions"
    before = snapshot(client.app.state.services)  # type: ignore[attr-defined]
    french = client.post(path, json={"trigger": "start_applying"}, headers=world.as_("advisor"))
    assert french.status_code == 422
    body = french.json()
    assert body["reasons"] == ["needs a professional project (brochure, step 1 «Réfléchir»): target job (fact "
                               "project.target_job), mobility area (fact project.mobility_area)"]
    assert body["reasons_text"] == ["il faut un projet professionnel (brochure, étape 1 « Réfléchir ») : métier visé "
                                    "(fait project.target_job), zone de mobilité (fait project.mobility_area)"]
    assert body["message"].startswith(f"case {world.one.neighbour_id}: start_applying refused: needs a")
    assert body["message_text"].startswith(
        f"dossier {world.one.neighbour_id} : « Passer aux candidatures » refusé : il faut un projet")
    english = client.post(path, json={"trigger": "start_applying"},
                          headers={**world.as_("advisor"), "Accept-Language": "en-GB,en;q=0.8"})
    assert english.json()["reasons_text"] == body["reasons"]
    assert snapshot(client.app.state.services) == before  # type: ignore[attr-defined]


def test_a_malformed_value_names_its_field_and_rule_in_both(client: TestClient, world: World) -> None:
    answer = client.patch(f"/api/v1/cases/{world.one.neighbour_id}/facts",
                          json={"facts": {"offer.start_date": "31/02/2027"}}, headers=world.as_("advisor"))
    assert answer.status_code == 422
    body = answer.json()
    assert body["field"] == "offer.start_date"
    assert body["message"] == "offer.start_date: '31/02/2027' is not a date (expected YYYY-MM-DD, a day that exists)"
    assert body["message_text"] == ("offer.start_date : «\xa031/02/2027\xa0» n'est pas une date (attendu : AAAA-MM-JJ, "
                                    "un jour qui existe)")


def test_a_request_the_api_cannot_read_is_worded_in_the_callers_language_too(client: TestClient, world: World) -> None:
    """pydantic's refusals (a number out of range, a field missing, a value not among the allowed ones, a body that
    is not JSON) name the field and the rule in French by default and in English on request, never pydantic's
    English under a French caller; `errors` keeps every one of them in English for programs."""
    before = snapshot(client.app.state.services)  # type: ignore[attr-defined]
    headers = world.as_("advisor")
    too_many = client.get("/api/v1/cases?limit=100000", headers=headers)
    assert too_many.status_code == 422
    body = too_many.json()
    assert (body["field"], body["message"]) == ("limit", "limit: should be less than or equal to 500")
    assert body["message_text"] == "limit : doit être inférieur ou égal à 500"
    assert body["errors"] == [{"field": "limit", "message": "should be less than or equal to 500"}]
    english = client.get("/api/v1/cases?limit=abc", headers={**headers, "Accept-Language": "en"}).json()
    assert english["message_text"] == "limit: should be a valid integer"

    missing = client.post(f"/api/v1/cases/{world.one.neighbour_id}/transitions", json={}, headers=headers).json()
    assert (missing["field"], missing["message_text"]) == ("trigger", "trigger : champ obligatoire")
    unknown = client.post(f"/api/v1/cases/{world.one.case_id}/opco-decision",
                          json={"decision": "maybe", "decided_on": "2026-10-19"}, headers=headers).json()
    assert unknown["field"] == "decision"
    # the choices are listed, not in pydantic's English («'accepted' or 'refused'»)
    assert unknown["message_text"] == "decision : doit être l'une des valeurs : accepted, refused"
    not_json = client.post(f"/api/v1/cases/{world.one.neighbour_id}/transitions", content=b"{not json",
                           headers={**headers, "Content-Type": "application/json"}).json()
    assert (not_json["field"], not_json["message_text"]) == (
        "body", "body : le corps de la requête n'est pas du JSON valide")
    assert snapshot(client.app.state.services) == before  # type: ignore[attr-defined]
