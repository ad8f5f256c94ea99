"""Web passwords from the command line: `user add --password[-stdin]`, `user password`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_flow.bootstrap import bootstrap
from contract_flow.cli import app as cli_app
from contract_flow.services.logins import log_in
from contract_flow.settings import Settings

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", url)
    assert runner.invoke(cli_app, ["db", "upgrade"]).exit_code == 0
    return url


def login_works(url: str, email: str, password: str) -> bool:
    app = bootstrap(Settings(database_url=url, environment="test"))
    try:
        return log_in(app, email, password, "127.0.0.1") is not None
    finally:
        app.close()


def test_a_user_added_with_a_password_on_stdin_can_log_in(database: str) -> None:
    result = runner.invoke(cli_app, ["user", "add", "tuteur@cfa.example", "--name", "Thomas Tuteur", "--role",
                                     "tutor", "--password-stdin"], input="un mot de passe long\n")
    assert result.exit_code == 0, result.output
    assert login_works(database, "tuteur@cfa.example", "un mot de passe long")
    assert not login_works(database, "tuteur@cfa.example", "un autre mot de passe")


def test_the_password_is_asked_twice_and_not_echoed(database: str) -> None:
    result = runner.invoke(cli_app, ["user", "add", "maitre@industrie.example", "--name", "Marie Maître", "--role",
                                     "mentor", "--password"], input="un mot de passe long\nun mot de passe long\n")
    assert result.exit_code == 0, result.output
    assert "un mot de passe long" not in result.output
    assert login_works(database, "maitre@industrie.example", "un mot de passe long")


def test_a_short_password_is_refused_naming_the_field_and_adds_no_user(database: str) -> None:
    result = runner.invoke(cli_app, ["user", "add", "tuteur@cfa.example", "--name", "Thomas Tuteur", "--role",
                                     "tutor", "--password-stdin"], input="court\n")
    assert result.exit_code == 2
    assert "password : un mot de passe a de 12 à 256 caractères (celui-ci en a 5)" in result.output
    listed = runner.invoke(cli_app, ["user", "add", "tuteur@cfa.example", "--name", "Thomas Tuteur", "--role",
                                     "tutor"])
    assert listed.exit_code == 0, "the refused command left no user behind"


def test_user_password_sets_and_changes_a_password(database: str) -> None:
    assert runner.invoke(cli_app, ["user", "add", "conseil@cfa.example", "--name", "Claire", "--role",
                                   "advisor"]).exit_code == 0
    assert not login_works(database, "conseil@cfa.example", "premier mot de passe")  # API only so far
    assert runner.invoke(cli_app, ["user", "password", "conseil@cfa.example", "--password-stdin"],
                         input="premier mot de passe\n").exit_code == 0
    assert login_works(database, "conseil@cfa.example", "premier mot de passe")
    assert runner.invoke(cli_app, ["user", "password", "conseil@cfa.example", "--password-stdin"],
                         input="second mot de passe\n").exit_code == 0
    assert not login_works(database, "conseil@cfa.example", "premier mot de passe")
    assert login_works(database, "conseil@cfa.example", "second mot de passe")
    unknown = runner.invoke(cli_app, ["user", "password", "nobody@cfa.example", "--password-stdin"],
                            input="second mot de passe\n")
    assert unknown.exit_code == 2  # an unknown user is bad input, as for every command
    assert "nobody@cfa.example" in unknown.output
