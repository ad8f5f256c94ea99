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
