"""`make run` says how to start (issue 15, item 9): `contract-flow up --welcome` prints the pages' URL and one
demo login per role with the password, then the API's documents and a token per demo user, each of which works;
a port already in use is one line naming the port and the setting to change, exit 2, no traceback. Run as the
Makefile runs them: the installed console script in its own process."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contract_flow.bootstrap import bootstrap
from contract_flow.cli.demo_data import DEMO_PASSWORD, USERS, load_demo
from contract_flow.labels import label
from contract_flow.settings import Settings
from tests.support.processes import CONTRACT_FLOW, Process


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port some other server listens on."""
    other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    other.bind(("127.0.0.1", 0))
    other.listen(1)
    try:
        yield int(other.getsockname()[1])
    finally:
        other.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "CONTRACT_FLOW_DATABASE_URL": database_url}


@pytest.mark.parametrize(("lang", "words"), [("fr", "est déjà utilisé"), ("en", "is already in use")])
def test_a_port_in_use_is_one_line_naming_it_and_the_setting_to_change(
        taken_port: int, tmp_path: Path, lang: str, words: str) -> None:
    result = subprocess.run([CONTRACT_FLOW, "--lang", lang, "up", "--port", str(taken_port), "--no-mail"],
                            check=False, capture_output=True, text=True, timeout=60,
                            env=_env(f"sqlite:///{tmp_path / 'none.sqlite'}"))
    assert result.returncode == 2, result
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert words in line
    assert f"port {taken_port}" in line
    assert f"PORT={taken_port + 1}" in line
    assert "CONTRACT_FLOW_PORT" in line
    assert "Traceback" not in result.stderr


def test_the_port_setting_is_read_from_the_environment(taken_port: int, tmp_path: Path) -> None:
    result = subprocess.run([CONTRACT_FLOW, "--lang", "en", "up", "--no-mail"], check=False, capture_output=True,
                            text=True, timeout=60, env={**_env(f"sqlite:///{tmp_path / 'none.sqlite'}"),
                                             "CONTRACT_FLOW_PORT": str(taken_port)})
    assert result.returncode == 2
    assert f"port {taken_port} is already in use" in result.stderr


@pytest.fixture
def demo_database(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = bootstrap(Settings(database_url=url, environment="test"))
    try:
        load_demo(app)
    finally:
        app.close()
    return url


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_start_text_gives_the_pages_a_login_per_role_then_a_working_token_each(
        demo_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    port = free_port()
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", demo_database)
    log = tmp_path / "up.log"
    with Process(["--lang", lang, "up", "--port", str(port), "--no-mail", "--welcome"], {}, log) as up:
        up.wait_for_log("Ctrl-C")
        text = log.read_text()
        url = f"http://127.0.0.1:{port}"
        lines = text.splitlines()
        pages = next(index for index, line in enumerate(lines) if f"{url}/login" in line)
        password = next(index for index, line in enumerate(lines) if DEMO_PASSWORD in line)
        api = next(index for index, line in enumerate(lines) if f"{url}/docs" in line)
        assert pages < password < api, text
        logins = lines[password + 1: password + 1 + len(USERS)]
        for (email, _, role), line in zip(USERS, logins, strict=True):
            assert label("role", role, lang) in line, text
            assert email in line, text
        tokens = dict(re.findall(r"^\s+(\S+@\S+)\s+(\S{20,})$", "\n".join(lines[api + 1:]), re.MULTILINE))
        assert set(tokens) == {email for email, _, _ in USERS}, text

        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/login").status_code == 200
            for email, token in tokens.items():
                answer = client.get("/api/v1/programmes", headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code == 200, (email, answer.text)
