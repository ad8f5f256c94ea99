"""The Tableau de bord's page /tdb/pushes (issue 16, item 1), SQLite and PostgreSQL: staff push now to a stand-in
TDB over HTTP and read the push with its errors, each linked to the case and to where its field is fixed; without a
key the page says which setting to set and records nothing; the feed downloads as JSON and .xlsx; French by
default, English on request; other roles are refused."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from pydantic import SecretStr

from contract_flow.bootstrap import App
from tests.e2e.web.conftest import Site
from tests.support.tdb_server import TdbStandIn
from tests.support.world import World

KEY = "imt-key"


@pytest.fixture
def tdb(app: App) -> Iterator[TdbStandIn]:
    with TdbStandIn(keys={KEY}) as running:
        app.settings = app.settings.model_copy(update={"tdb_url": running.url,
                                                       "tdb_keys": {"imt-mines-ales": SecretStr(KEY)}})
        yield running


def test_staff_push_now_and_read_each_error_linked_to_its_case_and_field(
        site: Site, world: World, tdb: TdbStandIn) -> None:
    case_id = world.one.case_id
    tdb.refuse[str(case_id)] = ("siret_employeur_2", "SIRET inconnu du répertoire")
    advisor = site.as_("advisor")
    empty = advisor.get("/tdb/pushes")
    assert empty.status_code == 200
    assert "Aucun envoi au TDB pour l&#39;instant." in empty.text
    assert 'href="/tdb/pushes"' in empty.text  # in the navigation
    answer = site.post_form(advisor, "/tdb/pushes", "/tdb/pushes", {})
    listed = answer.text  # type: ignore[attr-defined]
    assert "Envoi n° 1" in listed
    assert "envoyé, avec des erreurs" in listed
    assert f'href="/cases/{case_id}"' in listed
    assert f'href="/cases/{case_id}/dossier#section-employer"' in listed
    assert "SIRET inconnu du répertoire" in listed
    assert "réponse du TDB" in listed
    assert len(tdb.batches) == 1
    lead = site.as_("programme_lead")
    site.post_form(lead, "/tdb/pushes", "/language", {"lang": "en", "next": "/"})
    english = lead.get("/tdb/pushes").text
    assert "Pushes to the Tableau de bord" in english
    assert "sent, with errors" in english


def test_without_a_key_the_page_names_the_setting_and_nothing_is_recorded(app: App, site: Site) -> None:
    app.settings = app.settings.model_copy(update={"tdb_url": "http://127.0.0.1:9"})
    advisor = site.as_("advisor")
    answer = site.post_form(advisor, "/tdb/pushes", "/tdb/pushes", {})
    text = answer.text  # type: ignore[attr-defined]
    assert "aucune clé du TDB n&#39;est configurée pour le CFA imt-mines-ales" in text
    assert "CONTRACT_FLOW_TDB_KEYS" in text
    assert "Aucun envoi au TDB pour l&#39;instant." in text


def test_the_feed_downloads_as_json_and_xlsx(site: Site, world: World) -> None:
    lead = site.as_("programme_lead")
    items = lead.get("/tdb/export?format=json").json()
    assert str(world.one.case_id) in {item["id_erp_apprenant"] for item in items}
    sheet = lead.get("/tdb/export?format=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("nom_apprenant", "prenom_apprenant")
    assert len(rows) == 1 + len(items)


@pytest.mark.parametrize("role", ["tutor", "mentor", "apprentice"])
def test_other_roles_are_refused(site: Site, role: str) -> None:
    client = site.as_(role)
    assert client.get("/tdb/pushes").status_code == 403
    assert client.get("/tdb/export").status_code == 403
