"""Sessions and API tokens from the command line: `user token [--list | --revoke ID]`, `user sessions
[--revoke]`, `user deactivate`, `user activate`, `user role` (issue 12, item 4). Bad input: one line, exit 2,
nothing changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App, bootstrap
from contract_flow.cli import app as cli_app
from contract_flow.domain.errors import NotAuthenticated
from contract_flow.services.access import authenticate
from contract_flow.settings import Settings
from tests.conftest import snapshot

runner = CliRunner()
EMAIL = "conseil@cfa.example"
NOW = ["--now", "2026-03-02T10:00:00+01:00"]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", url)
    assert runner.invoke(cli_app, ["db", "upgrade"]).exit_code == 0
    added = runner.invoke(cli_app, [*NOW, "user", "add", EMAIL, "--name", "Claire Conseil", "--role", "advisor",
                                    "--password-stdin"], input="un mot de passe long\n")
    assert added.exit_code == 0, added.output
    assert "expires 2026-05-31 09:00 UTC" in added.output
    return url


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli_app, [*NOW, *args])
    return result.exit_code, result.output


def data(*args: str) -> object:
    code, output = cli(*args, "--json")
    assert code == 0, output
    return json.loads(output)


def opened(url: str) -> App:
    """The database as the server at --now's moment sees it."""
    return bootstrap(Settings(database_url=url, environment="test"),
                     clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))


def test_a_token_is_printed_once_alone_on_stdout_with_its_expiry_on_stderr(database: str) -> None:
    result = runner.invoke(cli_app, [*NOW, "user", "token", EMAIL])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(token.split()) == 1
    assert "API token 2, expires 2026-05-31 09:00 UTC (shown once, keep it):" in result.stderr
    app = opened(database)
    try:
        assert authenticate(app, token).email == EMAIL
    finally:
        app.close()


def test_tokens_are_listed_and_one_is_revoked(database: str) -> None:
    issued = data("user", "token", EMAIL)
    assert set(issued) == {"id", "token", "expires_at"}  # type: ignore[arg-type]
    listed = data("user", "token", EMAIL, "--list")
    assert [(t["id"], t["state"], t["expires_at"], t["last_used_at"], t["revoked_at"])  # type: ignore[index]
            for t in listed] == [  # type: ignore[attr-defined]
        (1, "active", "2026-05-31T09:00:00+00:00", None, None), (2, "active", "2026-05-31T09:00:00+00:00", None, None)]
    assert data("user", "token", EMAIL, "--revoke", "2")["state"] == "revoked"  # type: ignore[index]
    code, table = cli("user", "token", EMAIL, "--list")
    assert code == 0
    assert "revoked" in table
    assert "2026-05-31" in table
    app = opened(database)
    try:
        with pytest.raises(NotAuthenticated):
            authenticate(app, issued["token"])  # type: ignore[index]
    finally:
        app.close()


# (arguments, the one line's words, exit code): each refused, nothing changed.
REFUSED = [
    (["user", "token", EMAIL, "--revoke", "99"], "token 99 of conseil@cfa.example", 2),
    (["user", "token", "personne@cfa.example", "--list"], "personne@cfa.example", 2),
    (["user", "token", EMAIL, "--list", "--revoke", "1"], "--revoke : indiquez --list ou --revoke ID, pas les deux", 2),
    (["user", "sessions", "personne@cfa.example", "--revoke"], "personne@cfa.example", 2),
    (["user", "deactivate", "pas-un-email"], "email", 2),
    (["user", "role", EMAIL, "system"], "role : system est le moteur lui-même, pas un utilisateur", 2),
    (["user", "role", EMAIL, "chef"], "role : «\u00a0chef\u00a0» n'est pas l'un de : advisor, programme_lead", 2),
]


@pytest.mark.parametrize(("args", "words", "exit_code"), REFUSED)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
        database: str, args: list[str], words: str, exit_code: int) -> None:
    app = opened(database)
    before = snapshot(app)
    code, output = cli(*args)
    assert code == exit_code, output
    assert len(output.strip().splitlines()) == 1
    assert words in output
    assert snapshot(app) == before
    app.close()


def test_sessions_revoke_deactivate_activate_and_role_say_what_they_did(database: str) -> None:
    assert data("user", "sessions", EMAIL) == {
        "email": EMAIL, "active": True, "session_version": 1, "deactivated_at": None, "done": "unchanged"}
    assert data("user", "sessions", EMAIL, "--revoke")["session_version"] == 2  # type: ignore[index]
    deactivated = data("user", "deactivate", EMAIL)
    assert deactivated == {"email": EMAIL, "active": False, "session_version": 3,
                           "deactivated_at": "2026-03-02T09:00:00+00:00", "done": "deactivated"}
    assert [t["state"] for t in data("user", "token", EMAIL, "--list")] == ["revoked"]  # type: ignore[attr-defined,index]
    code, output = cli("user", "token", EMAIL)
    assert (code, output.strip()) == (2, "erreur : email : l'utilisateur conseil@cfa.example est désactivé : "
                                         "`contract-flow user activate` d'abord")
    code, output = cli("user", "activate", EMAIL)
    assert (code, output.strip()) == (0, f"{EMAIL}: active, session version 4; reactivated")
    code, output = cli("user", "role", EMAIL, "programme_lead")
    assert (code, output.strip()) == (0, f"{EMAIL}: active, session version 5; role changed: every session ended")
