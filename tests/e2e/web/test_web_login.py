"""Login, logout, sessions and CSRF of the web pages."""

from __future__ import annotations

from tests.e2e.web.conftest import Site, csrf_of, log_in
from tests.support.world import PASSWORD


def test_a_user_logs_in_lands_on_their_page_and_logs_out(site: Site) -> None:
    client = site.anonymous()
    assert client.get("/board", follow_redirects=False).headers["location"] == "/login?next=/board"
    session = log_in(client, site.world.one.user("advisor").email).headers["set-cookie"].lower()
    assert session.startswith("contract_flow_session=")
    assert "httponly" in session
    assert "samesite=lax" in session
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/board"
    page = client.get("/board")
    answer = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert answer.headers["location"] == "/login"
    assert client.get("/board", follow_redirects=False).status_code == 303


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(site: Site) -> None:
    client = site.anonymous()
    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"email": site.world.one.user("tutor").email, "password": "not-the-one!!",
                                        "csrf_token": token})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD,
                                          "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "E-mail ou mot de passe incorrect." in wrong.text
    assert "E-mail ou mot de passe incorrect." in unknown.text


def test_a_form_without_the_sessions_csrf_token_is_refused(site: Site) -> None:
    client = site.anonymous()
    client.get("/login")
    answer = client.post("/login", data={"email": site.world.one.user("tutor").email, "password": PASSWORD,
                                         "csrf_token": "forged"})
    assert answer.status_code == 403
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_login_never_redirects_to_another_site(site: Site) -> None:
    client = site.anonymous()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"email": site.world.one.user("tutor").email, "password": PASSWORD,
                                         "csrf_token": token, "next": "//evil.example/"}, follow_redirects=False)
    assert answer.headers["location"] == "/"


def test_pages_speak_english_when_asked(site: Site) -> None:
    client = site.as_("advisor")
    page = client.get("/board")
    client.post("/language", data={"lang": "en", "next": "/board", "csrf_token": csrf_of(page.text)})
    assert 'lang="en"' in client.get("/board").text
