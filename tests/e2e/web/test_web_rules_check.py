"""The advisor's board warns when the rule set's SMIC lags behind OpenFisca-France (contract_flow.reference): every
minimum pay computed from it is too low (D6222-26; arrêté du 22 mai 2026, 1 867,02 € from 1 June 2026)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_flow import reference
from tests.e2e.web.conftest import Site, csrf_of
from tests.support.rules import rules_without_june_2026


def test_the_board_has_no_warning_when_the_rule_set_agrees(site: Site) -> None:
    page = site.as_("advisor").get("/board")
    assert page.status_code == 200
    assert 'id="rules-check"' not in page.text


def test_the_board_warns_in_both_languages_when_the_rule_set_lacks_the_june_2026_smic(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site.app.settings, "rules_file", rules_without_june_2026(tmp_path))
    client = site.as_("advisor")
    page = client.get("/board")
    assert page.status_code == 200
    warning = page.text.split('id="rules-check"', 1)[1].split("</section>", 1)[0]
    assert "la référence OpenFisca-France (176.1.8)" in warning
    assert ("SMIC mensuel brut de 1\u202f867,02\u00a0€ à partir du 01/06/2026 (Arrêté du 22 mai 2026 relatif au "
            "relèvement du salaire minimum de croissance)") in warning
    client.post("/language", data={"lang": "en", "next": "/board", "csrf_token": csrf_of(page.text)})
    english = client.get("/board").text.split('id="rules-check"', 1)[1].split("</section>", 1)[0]
    assert "Monthly gross SMIC of €1,867.02 from 01/06/2026 (Arrêté du 22 mai 2026" in english
    assert "contract-flow rules check" in english


def test_the_board_says_when_the_rule_set_cannot_be_checked(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "MODULE", "openfisca_france_not_here")
    # a rule file of its own: the check is computed once per process and rule file
    copy = tmp_path / "fr.toml"
    copy.write_bytes(site.app.settings.rules_file.read_bytes())
    monkeypatch.setattr(site.app.settings, "rules_file", copy)
    warning = site.as_("advisor").get("/board").text.split('id="rules-check"', 1)[1].split("</section>", 1)[0]
    assert "n'ont pas pu être comparés à la référence OpenFisca-France" in warning.replace("&#39;", "'")
    assert "pip install --no-deps" in warning
