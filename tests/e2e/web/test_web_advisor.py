"""The advisor's pages: the pipeline board, the cases at risk, the CSV import with its per-row report."""

from __future__ import annotations

import re
from datetime import date

from contract_flow.services.cases import OpenCase, open_case
from contract_flow.services.queries import find_cases
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of


def test_the_board_has_a_column_per_step_with_counts_and_cards_that_open_the_case(site: Site) -> None:
    page = site.as_("advisor").get("/board")
    assert page.status_code == 200
    columns = re.findall(r'<h2 id="col-(\w+)"><span>\d\. [^<]+</span>\s*<span class="badge"[^>]*>(\d+)', page.text)
    assert columns == [("reflect", "1"), ("apply", "0"), ("convince", "0"), ("position", "0"), ("decide", "0"),
                       ("sign", "0")]
    assert f'href="/cases/{site.world.one.neighbour_id}"' in page.text
    assert "Nina Voisin" in page.text
    assert re.search(r'Période d&#39;essai</a> <span class="badge">1</span>', page.text)  # the trial count
    assert "Inès Leroy" not in page.text  # CFA two's case


def test_a_board_column_shows_the_most_recent_cards_and_links_to_the_rest_page_by_page(site: Site) -> None:
    for number in range(30):
        open_case(site.app, OpenCase("mecatronique", f"Prénom{number}", "Nom", date(2005, 1, 1),
                                     f"candidat{number}@example.org"))
    client = site.as_("advisor")
    board = client.get("/board")
    reflect = board.text.split('id="col-reflect"', 1)[1].split("</section>", 1)[0]
    assert reflect.count('class="case-card"') == 25
    assert "Voir les 6 autres" in reflect
    assert 'href="/board?state=reflect"' in reflect
    listing = client.get("/board?state=reflect&programme=mecatronique")
    assert listing.status_code == 200
    assert "Dossiers à l&#39;étape « Réfléchir »" in listing.text
    assert "31 dossier(s)" in listing.text
    assert listing.text.count('<a href="/cases/') == 31
    assert client.get("/board?state=nowhere").status_code == 422
    assert client.get("/board?programme=autre").status_code == 404  # CFA two's programme is not theirs


def test_the_board_is_for_cfa_staff_only(site: Site) -> None:
    for role in ("apprentice", "tutor", "mentor"):
        answer = site.as_(role).get("/board")
        assert answer.status_code == 403, role
        assert "Accès refusé" in answer.text
    assert site.as_("programme_lead").get("/board").status_code == 200
    assert site.as_("apprentice").get("/risk").status_code == 403


def test_the_risk_page_lists_the_cases_at_risk_with_their_kind_and_due_date(site: Site) -> None:
    page = site.as_("advisor").get("/risk")
    assert page.status_code == 200
    rows = page.text.split("<tbody>", 1)[1]
    assert f'href="/cases/{site.world.one.neighbour_id}">Nina Voisin</a>' in rows
    assert "Sans mouvement" in rows
    assert "Aucun mouvement depuis 14 jours ou plus" in rows
    assert "Dépôt du contrat auprès de l&#39;OPCO (D6224-1)" in rows
    assert "07/09/2026" in rows
    assert "Inès Leroy" not in rows
    assert "Hugo Durand" not in rows


CSV = ("programme,first_name,last_name,birth_date,email\n"
       "mecatronique,Alice,Dupont,2005-03-04,alice.dupont@example.org\n"
       "mecatronique,Bob,Durand,04/03/2005,bob.durand@example.org\n"
       "autre,Chloé,Martin,2005-03-04,chloe.martin@example.org\n")


def test_a_csv_import_reports_each_row(site: Site) -> None:
    """A preview first (nothing opened), then the import of that file on confirmation."""
    client = site.as_("advisor")
    form = client.get("/import")
    assert '<label for="f-file">' in form.text
    assert 'enctype="multipart/form-data"' in form.text
    preview = client.post("/import", data={"csrf_token": csrf_of(form.text)},
                          files={"file": ("cases.csv", CSV.encode(), "text/csv")})
    assert preview.status_code == 200
    assert "2 dossier(s) à ouvrir, 0 ligne(s) déjà là, 1 ligne(s) refusée(s)." in preview.text
    assert not [case for case in find_cases(site.app, programme="mecatronique").items
                if case.email == "alice.dupont@example.org"]
    job_id = re.findall(r'action="/import/jobs/(\d+)/confirm"', preview.text)[0]
    answer = client.post(f"/import/jobs/{job_id}/confirm", data={"csrf_token": csrf_of(preview.text)})
    assert answer.status_code == 200
    assert "2 dossier(s) importé(s), 1 ligne(s) refusée(s)." in answer.text
    rows = re.findall(r"<tr(?: class=\"failed\")?><td>(\d)</td>(.*?)</tr>", answer.text, re.S)
    assert [line for line, _ in rows] == ["2", "3", "4"]
    assert "Importée" in rows[0][1]
    assert "/cases/" in rows[0][1]
    assert "Importée" in rows[1][1]  # 04/03/2005: a day as people write it
    assert "Refusée" in rows[2][1]
    # Another CFA's programme is "not found", as everywhere else: said in French, the column named.
    assert "<td>Formation</td>" in rows[2][1]
    assert "la formation « autre » n&#39;existe pas" in rows[2][1]
    imported = find_cases(site.app, programme="mecatronique").items
    assert [case.email for case in imported].count("alice.dupont@example.org") == 1
    assert not find_cases(site.app, programme="autre", state="reflect").items[1:]  # only CFA two's own neighbour


def test_an_import_without_a_file_or_with_a_bad_header_names_the_file_field(site: Site) -> None:
    client = site.as_("advisor")
    token = csrf_of(client.get("/import").text)
    before = snapshot(site.app)
    empty = client.post("/import", data={"csrf_token": token}, files={"file": ("", b"", "text/csv")})
    assert empty.status_code == 422
    assert 'id="e-file"' in empty.text
    header = client.post("/import", data={"csrf_token": token},
                         files={"file": ("x.csv", b"programme,email\nA,a@example.org\n", "text/csv")})
    assert header.status_code == 422
    assert "colonne(s) manquante(s) : prénom, nom, date de naissance" in header.text
    latin = client.post("/import", data={"csrf_token": token},
                        files={"file": ("x.csv", "programme,é\n".encode("latin-1"), "text/csv")})
    assert latin.status_code == 422
    assert "pas en UTF-8" in latin.text
    assert snapshot(site.app) == before


def test_a_too_big_file_gets_a_413_page(site: Site) -> None:
    client = site.as_("advisor")
    token = csrf_of(client.get("/import").text)
    big = CSV.encode() + b"mecatronique,X,Y,2005-03-04,x@example.org\n" * 60_000  # some 2.6 MB
    before = snapshot(site.app)
    answer = client.post("/import", data={"csrf_token": token}, files={"file": ("big.csv", big, "text/csv")})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "Trop volumineux" in answer.text
    assert "2048 KiB" in answer.text
    assert snapshot(site.app) == before
    # Between the API's 64 KiB and the import's 2 MiB: accepted here (a few hundred rows).
    medium = CSV.encode() + b"".join(f"mecatronique,X{i},Y,2005-03-04,x{i}@example.org\n".encode()
                                     for i in range(1_600))
    assert len(medium) > 64 * 1024
    assert client.post("/import", data={"csrf_token": token},
                       files={"file": ("m.csv", medium, "text/csv")}).status_code == 200  # its preview
