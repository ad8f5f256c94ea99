"""Where the settings and rule files come from (docs/operations.md, "Configuration"): `--config` /
`CONTRACT_FLOW_CONFIG`, else the site's directory (`CONTRACT_FLOW_CONFIG_DIR`) file by file, else the package; the
embedded default's files under an absolute data_dir, never the current directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_flow import configfiles
from contract_flow.rulefiles import load_programme_calendar
from contract_flow.settings import Settings, config_path, user_data_dir


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "site"
    (directory / "rules").mkdir(parents=True)
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG_DIR", str(directory))
    monkeypatch.delenv("CONTRACT_FLOW_CONFIG", raising=False)
    return directory


@pytest.fixture
def no_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTRACT_FLOW_CONFIG_DIR", raising=False)
    monkeypatch.delenv("CONTRACT_FLOW_CONFIG", raising=False)


def test_the_packaged_configuration_is_found_inside_the_package_whatever_the_current_directory(
        no_site: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Path(configfiles.__file__).parent / "configs" == configfiles.PACKAGED_DIR
    assert config_path() == configfiles.PACKAGED_DIR / "default.toml"
    assert configfiles.find("rules/fr.toml").is_file()


# (file the site has, relative path asked, expected origin)
OVERRIDES = [
    ("rules/fr.toml", "rules/fr.toml", "site"),
    ("rules/fr.toml", "reminders.toml", "package"),  # one file overridden, the others stay the package's
    ("reminders.toml", "reminders.toml", "site"),
    ("default.toml", "default.toml", "site"),
]


@pytest.mark.parametrize(("provided", "asked", "origin"), OVERRIDES)
def test_a_file_in_the_site_directory_wins_over_the_packaged_one_of_the_same_name(
        site: Path, provided: str, asked: str, origin: str) -> None:
    (site / provided).write_text("", encoding="utf-8")
    expected = (site if origin == "site" else configfiles.PACKAGED_DIR) / asked
    assert configfiles.find(asked) == expected


def test_the_settings_file_is_the_sites_then_config_wins_over_it(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "default.toml").write_text('environment = "test"\n', encoding="utf-8")
    assert config_path() == site / "default.toml"
    chosen = tmp_path / "chosen.toml"
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG", str(chosen))  # what --config sets
    assert config_path() == chosen


def test_the_settings_name_the_sites_rule_and_reminder_files_when_it_has_them(site: Path) -> None:
    (site / "rules" / "fr.toml").write_text("", encoding="utf-8")
    settings = Settings(database_url="sqlite://")
    assert settings.rules_file == site / "rules" / "fr.toml"
    assert settings.reminders_file == configfiles.PACKAGED_DIR / "reminders.toml"


def test_a_programme_code_is_looked_up_in_the_sites_programmes_first(site: Path) -> None:
    (site / "programmes").mkdir()
    (site / "programmes" / "robotique.toml").write_text(
        '[[school]]\nfrom = "2026-10-05"\nto = "2026-10-16"\n', encoding="utf-8")
    assert configfiles.programme_file("robotique") == site / "programmes" / "robotique.toml"
    assert configfiles.programme_file("mecatronique") == configfiles.PACKAGED_DIR / "programmes" / "mecatronique.toml"
    assert configfiles.programme_file("absent") is None
    assert {"robotique", "mecatronique"} <= set(configfiles.programme_codes())
    assert len(load_programme_calendar(site / "programmes" / "robotique.toml").school) == 1


def test_a_site_directory_that_does_not_exist_is_refused_by_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG_DIR", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match=r"CONTRACT_FLOW_CONFIG_DIR: .*missing is not a directory"):
        configfiles.find("rules/fr.toml")


def test_the_default_database_is_an_absolute_file_in_the_data_dir_not_the_current_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTRACT_FLOW_DATA_DIR", "var")  # relative, as `make run` could give it
    settings = Settings()
    assert settings.data_dir == tmp_path / "var"
    assert settings.database_url == f"sqlite:///{tmp_path}/var/contract-flow.sqlite"
    assert settings.broker_dir == tmp_path / "var" / "broker"
    monkeypatch.chdir(tmp_path.parent)  # moving afterwards changes nothing: the path was fixed when read
    assert Path(settings.database_url.removeprefix("sqlite:///")).is_absolute()


# (XDG_DATA_HOME, expected data_dir relative to HOME or absolute)
XDG_CASES = [
    (None, ".local/share/contract-flow"),
    ("/srv/data", "/srv/data/contract-flow"),
    ("relative/data", ".local/share/contract-flow"),  # the XDG specification: a relative value is ignored
]


@pytest.mark.parametrize(("xdg", "expected"), XDG_CASES)
def test_without_a_data_dir_the_xdg_data_home_is_used(
        xdg: str | None, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert user_data_dir() == tmp_path / expected


# (the site has production.toml, expected origin of CONTRACT_FLOW_CONFIG=production.toml)
BARE_NAMES = [(False, "package"), (True, "site")]


@pytest.mark.parametrize(("site_has_it", "origin"), BARE_NAMES)
def test_a_bare_settings_file_name_is_looked_up_in_the_site_then_the_package(
        site: Path, site_has_it: bool, origin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no production.toml here
    if site_has_it:
        (site / "production.toml").write_text('environment = "production"\n', encoding="utf-8")
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG", "production.toml")
    assert config_path() == (site if origin == "site" else configfiles.PACKAGED_DIR) / "production.toml"


def test_a_bare_name_that_is_a_file_in_the_current_directory_is_that_file(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "production.toml").write_text('environment = "production"\n', encoding="utf-8")
    monkeypatch.setenv("CONTRACT_FLOW_CONFIG", "production.toml")
    assert config_path() == Path("production.toml")
