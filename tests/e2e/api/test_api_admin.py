"""Administration over HTTP (issue 15, item 5), on SQLite and PostgreSQL: the programme lead lists, adds (with a
login link emailed), edits, deactivates and reactivates their CFA's users and reads and edits their programmes;
422 naming the field, 404 for another CFA's, 403 for an advisor, nothing changed by a refusal; a deactivated
user's token is refused at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.services.directory import add_programme, add_user, issue_token
from tests.conftest import People, snapshot
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(app: App, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(app, email)}"}


def test_a_lead_manages_their_cfas_users_over_http(app: App, people: People, client: TestClient) -> None:
    lead = bearer(app, people.lead)
    listed = client.get("/api/v1/users", headers=lead, params={"q": "thomas"})
    assert listed.status_code == 200
    assert [user["email"] for user in listed.json()] == [people.tutor]
    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        added = client.post("/api/v1/users", headers=lead, json={
            "email": "nina.tutrice@cfa.example", "name": "Nina Tutrice", "role": "tutor"})
        assert added.status_code == 201, added.text
        assert len(sink.wait_for(1)) == 1
    body = added.json()
    assert (body["role"], body["cfa_code"], body["web_login"], body["login_link_sent"]) == (
        "tutor", "imt-mines-ales", False, True)
    patched = client.patch("/api/v1/users/nina.tutrice@cfa.example", headers=lead,
                           json={"role": "advisor", "language": "en"})
    assert (patched.json()["role"], patched.json()["language"]) == ("advisor", "en")
    token = bearer(app, "nina.tutrice@cfa.example")
    assert client.get("/api/v1/programmes", headers=token).status_code == 200
    gone = client.post("/api/v1/users/nina.tutrice@cfa.example/deactivate", headers=lead)
    assert gone.json()["active"] is False
    assert client.get("/api/v1/programmes", headers=token).status_code == 401
    back = client.post("/api/v1/users/nina.tutrice@cfa.example/activate", headers=lead)
    assert back.json()["active"] is True
    assert client.get("/api/v1/programmes", headers=token).status_code == 401  # old tokens stay revoked


def test_refusals_name_the_field_and_change_nothing(app: App, people: People, client: TestClient) -> None:
    add_user(app, "autre@ailleurs.example", name="Autre", role="programme_lead", cfa_code="ailleurs")
    add_programme(app, "autre", name="Autre", start_date=app.clock.now().date(), years=3, seats=10,
                  cfa_code="ailleurs")
    lead, advisor = bearer(app, people.lead), bearer(app, people.advisor)
    before = snapshot(app)
    taken = client.post("/api/v1/users", headers=lead, json={"email": people.tutor, "name": "X", "role": "tutor"})
    assert taken.status_code == 422
    assert taken.json()["field"] == "email"
    assert client.post("/api/v1/users/autre@ailleurs.example/deactivate", headers=lead).status_code == 404
    assert client.post(f"/api/v1/users/{people.lead}/deactivate", headers=lead).status_code == 422
    assert client.get("/api/v1/users", headers=advisor).status_code == 403
    assert client.patch("/api/v1/programmes/autre", headers=lead, json={"seats": 5}).status_code == 404
    assert client.patch("/api/v1/programmes/mecatronique", headers=advisor, json={"seats": 5}).status_code == 403
    zero = client.patch("/api/v1/programmes/mecatronique", headers=lead, json={"seats": 0})
    assert zero.status_code == 422
    assert zero.json()["field"] == "seats"
    assert snapshot(app) == before
    edited = client.patch("/api/v1/programmes/MECATRONIQUE", headers=lead, json={"seats": 36, "name": "Méca"})
    assert edited.status_code == 200
    assert (edited.json()["seats"], edited.json()["seats_free"], edited.json()["name"]) == (36, 36, "Méca")
    assert client.get("/api/v1/programmes/mecatronique", headers=lead).json()["seats_taken"] == 0
