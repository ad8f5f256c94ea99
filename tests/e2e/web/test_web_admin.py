"""Administration for staff on the pages (issue 15, item 5), on SQLite and PostgreSQL: the programme lead lists,
finds and adds users (the new user chooses their password through the emailed link, then is logged in), changes a
role, deactivates (the user's session and tokens end); adds a programme, edits its seats, uploads its calendar,
previews the school and company weeks and the trial ends it moves, then saves it. Errors next to their field with
what was typed; advisors are refused; another CFA's user or programme is not found."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.errors import NotAuthenticated
from contract_flow.services.access import authenticate
from contract_flow.services.directory import add_programme, add_user, set_password
from contract_flow.services.programmes import programme_entry
from contract_flow.services.users import user_entry
from tests.conftest import People, snapshot
from tests.e2e.web.conftest import csrf_of, log_in
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.postgres
PASSWORD = "un mot de passe assez long"
CALENDAR = b'[[school]]\nfrom = "2026-09-14"\nto = "2026-10-02"\n\n[[school]]\nfrom = "2027-01-04"\nto = "2027-01-29"\n'


@pytest.fixture
def browser_of(app: App, people: People) -> Iterator[Callable[[str], TestClient]]:
    opened: list[TestClient] = []

    def browser(email: str) -> TestClient:
        set_password(app, email, PASSWORD)
        client = TestClient(create_app(app), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        log_in(client, email, PASSWORD)
        return client

    yield browser
    for client in opened:
        client.__exit__(None, None, None)


def post(client: TestClient, page: str, action: str, data: dict[str, str], **kwargs: object) -> object:
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False,  # type: ignore[arg-type]
                       **kwargs)


def test_a_lead_adds_a_user_who_chooses_their_password_through_the_emailed_link(
        app: App, people: People, browser_of: Callable[[str], TestClient]) -> None:
    lead = browser_of(people.lead)
    listed = lead.get("/admin/users")
    assert listed.status_code == 200
    assert 'href="/admin/users"' in listed.text
    assert 'href="/admin/programmes"' in listed.text
    assert people.tutor in listed.text
    found = lead.get("/admin/users", params={"q": "THOMAS"})
    assert people.tutor in found.text
    assert people.mentor not in found.text
    # A refusal: the error next to its field, everything typed kept, nothing saved.
    before = snapshot(app)
    refused = post(lead, "/admin/users/new", "/admin/users/new",
                   {"name": "Nina Tutrice", "email": "pas-une-adresse", "role": "tutor", "language": "fr",
                    "send_link": "1"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert 'id="f-email"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="e-email"' in html
    assert 'value="Nina Tutrice"' in html
    assert 'value="pas-une-adresse"' in html
    assert snapshot(app) == before
    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        added = post(lead, "/admin/users/new", "/admin/users/new",
                     {"name": "Nina Tutrice", "email": "nina.tutrice@cfa.example", "role": "tutor",
                      "language": "fr", "send_link": "1"})
        assert added.status_code == 303  # type: ignore[attr-defined]
        message = sink.wait_for(1)[0]
    person = user_entry(app, "nina.tutrice@cfa.example")
    assert (person.role.value, person.cfa_code, person.web_login) == ("tutor", "imt-mines-ales", False)
    shown = lead.get(added.headers["location"])  # type: ignore[attr-defined]
    assert "Un lien de connexion a été envoyé à nina.tutrice@cfa.example." in shown.text
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"http://testserver/login/link\?token=(\S+)", body)
    assert link is not None
    newcomer = TestClient(create_app(app), raise_server_exceptions=False)
    with newcomer:
        form = newcomer.get(f"/login/link?token={link.group(1)}")
        assert form.status_code == 200
        assert "Nina Tutrice" in form.text
        token = csrf_of(form.text)
        mismatch = newcomer.post("/login/link", data={"token": link.group(1), "password": PASSWORD,
                                                      "confirm": PASSWORD + "!", "csrf_token": token})
        assert mismatch.status_code == 422
        assert 'id="e-confirm"' in mismatch.text
        assert PASSWORD not in mismatch.text
        chosen = newcomer.post("/login/link", data={"token": link.group(1), "password": PASSWORD,
                                                    "confirm": PASSWORD, "csrf_token": token},
                               follow_redirects=False)
        assert chosen.status_code == 303
        assert chosen.headers["location"].startswith("/tutor")
        assert newcomer.get("/tutor").status_code == 200
        again = newcomer.get(f"/login/link?token={link.group(1)}")
        assert again.status_code == 410
        assert "plus valable" in again.text
    assert user_entry(app, "nina.tutrice@cfa.example").web_login


def test_a_lead_changes_a_role_and_deactivates_a_user_whose_session_and_tokens_end(
        app: App, people: People, browser_of: Callable[[str], TestClient]) -> None:
    lead = browser_of(people.lead)
    tutor = browser_of(people.tutor)
    token = add_user(app, "jeton@cfa.example", name="Jeton Conseil", role="advisor", cfa_code="imt-mines-ales").token
    assert token is not None
    tutor_id = user_entry(app, people.tutor).id
    page = f"/admin/users/{tutor_id}"
    assert post(lead, page, page, {"name": "Thomas Tuteur", "role": "mentor", "language": "en"}
                ).status_code == 303  # type: ignore[attr-defined]
    assert user_entry(app, people.tutor).role.value == "mentor"
    assert tutor.get("/tutor", follow_redirects=False).status_code == 303  # their session ended: to the login
    jeton_id = user_entry(app, "jeton@cfa.example").id
    jeton = f"/admin/users/{jeton_id}"
    assert post(lead, jeton, f"{jeton}/deactivate", {}).status_code == 303  # type: ignore[attr-defined]
    assert "désactivé" in lead.get(jeton).text
    with pytest.raises(NotAuthenticated):
        authenticate(app, token)
    # The lead's own page offers no deactivation nor role; an advisor is refused; another CFA's user is not found.
    own = lead.get(f"/admin/users/{user_entry(app, people.lead).id}")
    assert "/deactivate" not in own.text
    assert 'id="f-role"' not in own.text
    advisor = browser_of(people.advisor)
    assert advisor.get("/admin/users").status_code == 403
    assert advisor.get("/admin/programmes").status_code == 403
    other = add_user(app, "autre@ailleurs.example", name="Autre", role="advisor", cfa_code="ailleurs")
    assert lead.get(f"/admin/users/{other.id}").status_code == 404
    assert lead.get(f"/admin/users/{2**63}").status_code == 404  # no user, no server error


def test_a_lead_adds_a_programme_and_previews_its_calendar_before_saving_it(
        app: App, people: People, browser_of: Callable[[str], TestClient]) -> None:
    lead = browser_of(people.lead)
    before = snapshot(app)
    refused = post(lead, "/admin/programmes/new", "/admin/programmes/new",
                   {"code": "méca tronique", "name": "Mécatronique FISA", "start": "2026-09-01", "years": "3",
                    "seats": "24", "level": "7"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'id="e-code"' in refused.text
    assert 'value="Mécatronique FISA"' in refused.text
    assert snapshot(app) == before
    added = post(lead, "/admin/programmes/new", "/admin/programmes/new",
                 {"code": "MECA2", "name": "Mécatronique FISA", "start": "2026-09-01", "years": "3", "seats": "24",
                  "level": "7"})
    assert added.headers["location"] == "/admin/programmes/meca2#calendar"  # type: ignore[attr-defined]
    assert programme_entry(app, "meca2").cfa_code == "imt-mines-ales"
    page = lead.get("/admin/programmes/meca2")
    assert "pas de calendrier" in page.text
    token = csrf_of(page.text)
    bad = lead.post("/admin/programmes/meca2/calendar", data={"csrf_token": token, "save": "0"},
                    files={"file": ("cal.toml", b'[[school]]\nfrom = "2026-10-02"\nto = "2026-09-14"\n')})
    assert bad.status_code == 422
    assert 'id="e-file"' in bad.text
    assert 'aria-invalid="true"' in bad.text
    # said in French, naming the period and its dates as the lead writes them (not "to ... is before from ...")
    assert "school[1] : la fin (to, 14/09/2026) est avant le début (from, 02/10/2026)" in unescape(bad.text)
    overlapping = lead.post("/admin/programmes/meca2/calendar", data={"csrf_token": token, "save": "0"}, files={
        "file": ("cal.toml", b'[[school]]\nfrom = 2026-09-01\nto = 2026-09-20\n[[school]]\nfrom = 2026-09-15\n'
                             b'to = 2026-09-30\nsalle = "B12"\n')})
    assert overlapping.status_code == 422
    assert "school[2] : clé inconnue salle (clés possibles : from, note, to)" in unescape(overlapping.text)
    assert "unknown key" not in overlapping.text
    before = snapshot(app)
    preview = lead.post("/admin/programmes/meca2/calendar", data={"csrf_token": token, "save": "0"},
                        files={"file": ("cal.toml", CALENDAR)})
    assert preview.status_code == 200
    assert "Aperçu : 2 périodes d'école" in unescape(preview.text)
    assert "Année 1 (01/09/2026 – 31/08/2027) : 46 semaines en entreprise, 7 à l'école" in unescape(preview.text)
    assert snapshot(app) == before
    hidden = re.search(r'name="calendar_text" value="([^"]*)"', preview.text)
    assert hidden is not None
    saved = lead.post("/admin/programmes/meca2/calendar", data={
        "csrf_token": token, "save": "1", "calendar_text": unescape(hidden.group(1))},
        follow_redirects=False)
    assert saved.status_code == 303
    assert programme_entry(app, "meca2").school_periods == 2
    assert "2 périodes d'école enregistrées" in unescape(lead.get("/admin/programmes/meca2").text)
    # Seats: never below those taken; the list says taken and free.
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    fewer = post(lead, "/admin/programmes/mecatronique", "/admin/programmes/mecatronique",
                 {"name": "Ingénieur Mécatronique", "start": "2026-09-01", "years": "3", "seats": "0", "level": "7"})
    assert fewer.status_code == 422
    assert 'id="e-seats"' in fewer.text
    skills = unescape(lead.get("/admin/programmes/mecatronique").text)  # its file's review skills, read-only
    assert "Compétences évaluées aux entretiens" in skills
    assert "<li>Modélisation</li>" in skills
    listed = lead.get("/admin/programmes")
    assert "40 places : 1 prises, 39 libres" in listed.text
    lead.post("/language", data={"lang": "en", "next": "/admin/programmes", "csrf_token": token})
    assert "40 seats: 1 taken, 39 free" in lead.get("/admin/programmes").text
    add_programme(app, "autre", name="Autre", start_date=programme_entry(app, "meca2").start_date, years=3,
                  seats=10, cfa_code="ailleurs")
    assert lead.get("/admin/programmes/autre").status_code == 404
