"""Issue 12, item 9 and "Headers": no Content-Security-Policy, framing or caching headers; 405 answers without
`Allow`; the confirmation page's Cancel link accepting "/<tab>/evil.example" (Chromium follows it off-site).

Sources: CSP Level 3 (W3C), RFC 7034 (X-Frame-Options), Referrer Policy (W3C), RFC 9111 5.2.2.5 (no-store),
RFC 9110 15.5.6 (a 405 "MUST generate an Allow header field"), WHATWG URL (tabs and newlines removed from a URL,
"\\" read as "/" in special schemes)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from contract_flow.asgi import create_app
from contract_flow.http.headers import API_POLICY, PAGE_POLICY
from contract_flow.web.forms import local_path
from contract_flow.web.routes.case import IRREVERSIBLE
from tests.e2e.api.conftest import Stage
from tests.e2e.web.conftest import csrf_of, log_in

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "contract_flow" / "templates" / "web"
EVERY_ANSWER = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}


@pytest.fixture
def advisor(stage: Stage) -> Iterator[TestClient]:
    client = TestClient(create_app(stage.app), raise_server_exceptions=False)
    with client:
        log_in(client, stage.world.one.user("advisor").email)
        yield client


def _assert_hardened(answer: object, policy: str | None, *, cached: bool = False) -> None:
    headers = answer.headers  # type: ignore[attr-defined]
    for name, value in EVERY_ANSWER.items():
        assert headers.get(name) == value, (name, dict(headers))
    if policy is not None:
        assert headers.get("content-security-policy") == policy
    assert (headers.get("cache-control") == "no-store") is not cached, dict(headers)


def test_the_page_policy_is_strict() -> None:
    directives = dict(part.strip().split(" ", 1) for part in PAGE_POLICY.split(";"))
    assert directives == {"default-src": "'self'", "base-uri": "'none'", "form-action": "'self'",
                          "frame-ancestors": "'none'", "object-src": "'none'"}
    assert "unsafe" not in PAGE_POLICY


def test_pages_and_api_answers_carry_the_security_headers(stage: Stage, advisor: TestClient) -> None:
    one = stage.world.one
    anonymous = stage.client
    _assert_hardened(anonymous.get("/login"), PAGE_POLICY)
    for path in ("/board", f"/cases/{one.case_id}", "/risk", "/import"):
        answer = advisor.get(path)
        assert answer.status_code == 200, path
        _assert_hardened(answer, PAGE_POLICY)
    _assert_hardened(advisor.get("/cases/987654"), PAGE_POLICY)  # an error page too
    for path in (f"/api/v1/cases/{one.case_id}", "/api/v1/cases", "/api/v1/board", "/api/v1/health"):
        answer = anonymous.get(path, headers=stage.world.as_("advisor"))
        assert answer.status_code == 200, path
        _assert_hardened(answer, API_POLICY)
    _assert_hardened(anonymous.get("/api/v1/cases"), API_POLICY)  # 401
    _assert_hardened(anonymous.post("/api/v1/health", content=b" " * 70_000), API_POLICY)  # 413


def test_static_files_may_be_cached_and_are_never_sniffed(stage: Stage) -> None:
    answer = stage.client.get("/static/app.css")
    assert answer.status_code == 200
    _assert_hardened(answer, None, cached=True)


def test_the_templates_hold_no_inline_script_style_or_handler() -> None:
    """What the policy would block: inline <script> and <style>, style="..." and on...= attributes, javascript:
    URLs (htmx's own style and eval are turned off in base.html's htmx-config)."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle\s*=", r"\son[a-z]+\s*=",
                        r"javascript:", r"hx-on"):
            found += [f"{template.name}: {match.group(0)}" for match in re.finditer(pattern, text, re.IGNORECASE)]
    assert found == []
    base = (TEMPLATES / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("POST", "/api/v1/health", "GET"),
    ("DELETE", "/api/v1/cases", "GET, POST"),
    ("PUT", "/api/v1/cases/1/facts", "PATCH"),
    ("PUT", "/static/app.css", "GET, HEAD"),
    ("PUT", "/login", "GET, POST"),
    ("DELETE", "/cases/1", "GET"),
], ids=["health", "cases", "facts", "static", "login-page", "case-page"])
def test_a_405_names_the_allowed_methods(stage: Stage, method: str, path: str, allowed: str) -> None:
    answer = stage.client.request(method, path, headers=stage.world.as_("advisor"))
    assert answer.status_code == 405
    assert answer.headers["allow"] == allowed


# -- local paths ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("target", "kept"), [
    ("/board", True), ("/cases/12?tab=history", True), ("/lead", True), ("/board?programme=m%C3%A9ca", True),
    ("/\t/evil.example", False), ("/\n/evil.example", False), ("/\r/evil.example", False),
    ("//evil.example", False), ("/\\evil.example", False), ("\\/evil.example", False),
    ("https://evil.example", False), ("javascript:alert(1)", False), ("/ /evil.example", False),
    ("/\x00/evil.example", False), ("/\x7f", False), ("/\u2028/evil.example", False), ("/é", False),
    ("evil.example", False), ("", False), (None, False),
])
def test_only_a_path_of_this_site_is_a_return_path(target: str | None, kept: bool) -> None:
    assert local_path(target) == (target if kept else None)


def test_the_confirmation_cancel_link_never_leaves_the_site(stage: Stage, advisor: TestClient) -> None:
    case = stage.world.one.case_id
    token = csrf_of(advisor.get(f"/cases/{case}").text)
    with stage.kept():
        for target in ("/\t/evil.example", "/\\evil.example", "//evil.example", "/\n/evil.example"):
            answer = advisor.post(f"/cases/{case}/move", data={
                "csrf_token": token, "trigger": sorted(IRREVERSIBLE)[0], "return_to": target})
            assert answer.status_code == 200, answer.text[:300]
            assert "evil.example" not in answer.text
            assert f'href="/cases/{case}"' in answer.text


def test_a_login_never_sends_the_browser_off_site(stage: Stage, advisor: TestClient) -> None:
    answer = advisor.get("/login", params={"next": "/\t/evil.example"}, follow_redirects=False)
    assert answer.status_code == 303
    assert "evil.example" not in answer.headers["location"]
