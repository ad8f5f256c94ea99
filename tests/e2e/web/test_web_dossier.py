"""The contract dossier's page (issue 14, item 9), on SQLite and PostgreSQL: section by section in the form's order,
each section the reader fills a form of its own with a label on every field, selects for the code lists, date
inputs, what is missing marked; a section posted is saved, a refused value shown next to its field with what was
typed (nothing saved), a stale version said so; the mentor fills only the employer's and the mentors' sections, the
apprentice her own; the case page, the mentor's and the apprentice's pages link to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.domain.dossier import Section
from contract_flow.services.dossier import show_dossier
from tests.conftest import snapshot
from tests.e2e.api.test_api_dossier import to_sign
from tests.e2e.web.conftest import Site, csrf_of

pytestmark = pytest.mark.postgres


@dataclass
class Form:
    action: str
    controls: list[dict[str, str]] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """The forms of a page with their controls, and every label's `for`."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.labels: set[str] = set()
        self.controls: dict[str, dict[str, str]] = {}
        self._form: Form | None = None
        self._select: dict[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(found.get("action", ""))
            self.forms.append(self._form)
        elif tag == "label":
            self.labels.add(found.get("for", ""))
        elif tag in ("input", "select", "textarea"):
            if found.get("type") == "hidden":
                if self._form is not None:
                    self._form.hidden[found["name"]] = found.get("value", "")
                return
            control = {"tag": tag, **found, "options": ""}
            if self._form is not None:
                self._form.controls.append(control)
            if "id" in found:
                self.controls[found["id"]] = control
            if tag == "select":
                self._select = control
        elif tag == "option" and self._select is not None:
            self._select["options"] += f"{found.get('value', '')}|"
            if "selected" in found:
                self._select["value"] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def form(self, section: Section) -> Form | None:
        return next((form for form in self.forms if form.action.endswith(f"/dossier/{section.value}")), None)


def _ident(section: Section, key: str) -> str:
    return f"f-{section.value}-{key.replace('.', '-')}"


def post(site: Site, client: TestClient, case_id: int, section: Section, values: dict[str, str],
         version: str | None = None) -> Any:
    """Post the section's form as the page drew it, with `values` typed over it."""
    page = client.get(f"/cases/{case_id}/dossier").text
    form = Page(page).form(section)
    assert form is not None, f"no form for {section}"
    data = {control["name"]: control.get("value", "") for control in form.controls if control.get("name")}
    data.update(values)
    data.update({"csrf_token": csrf_of(page), "version": version if version is not None else form.hidden["version"]})
    return client.post(f"/cases/{case_id}/dossier/{section.value}", data=data, follow_redirects=False)


def test_the_advisor_fills_every_section_each_field_labelled_with_selects_and_dates(site: Site) -> None:
    case_id = to_sign(site.app, site.world, site.world.one.neighbour_id)
    client = site.as_("advisor")
    answer = client.get(f"/cases/{case_id}/dossier")
    assert answer.status_code == 200
    page = Page(answer.text)
    assert [form.action.rsplit("/", 1)[-1] for form in page.forms if "/dossier/" in form.action] == [
        section.value for section in Section]  # the form's order
    for form in page.forms:
        for control in form.controls:
            assert control["id"] in page.labels, f"{form.action}: {control} has no label"
    employer_type = page.controls[_ident(Section.EMPLOYER, "employer_type")]
    assert employer_type["tag"] == "select"
    assert employer_type["options"].startswith("|11|12|13|")
    assert "12 — Entreprise inscrite uniquement au registre du commerce et des sociétés</option>" in answer.text
    assert page.controls[_ident(Section.CONTRACT, "start_date")]["type"] == "date"
    assert page.controls[_ident(Section.CONTRACT, "start_date")]["value"] == "2026-11-16"
    assert page.controls[_ident(Section.CONTRACT, "risky_work")]["options"] == "|yes|no|"
    assert page.controls[_ident(Section.MENTORS, "2.last_name")]["value"] == ""  # the second mentor's place
    first_name = page.controls[_ident(Section.APPRENTICE, "first_name")]
    assert ("readonly" in first_name, "name" in first_name, first_name["value"]) == (True, False, "Nina")
    idcc = re.search(r'<div class="field is-missing">\s*<label for="f-employer-idcc_code">', answer.text)
    assert idcc is not None
    assert re.search(r'id="h-f-employer-idcc_code">\s*<span class="badge warn">à remplir</span>', answer.text)
    assert "Donnée du cas : la modifier ici la modifie aussi sur le cas." in answer.text  # the SIRET, the case's
    assert re.search(r"<h2 id=\"refusals-title\">Ce qui empêche la signature</h2>\s*<ul>\s*<li>\d+ champ\(s\) "
                     r"requis par le formulaire restent à remplir", answer.text)


def test_a_section_posted_is_saved_and_the_page_says_so(site: Site) -> None:
    case_id = to_sign(site.app, site.world, site.world.one.neighbour_id)
    client = site.as_("advisor")
    saved = post(site, client, case_id, Section.EMPLOYER, {
        "idcc_code": "3248", "idcc_name": "Métallurgie", "naf_code": "28.99B", "employer_type": "12",
        "public": "no", "headcount": "250", "address.street": "rue de la Mine", "address.postcode": "30100",
        "address.town": "Alès"})
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/cases/{case_id}/dossier#section-employer"
    page = client.get(saved.headers["location"]).text
    assert "Section « L&#39;employeur » enregistrée (version 1)." in page
    part = show_dossier(site.app, case_id, actor_email="system").sections[Section.EMPLOYER]
    assert (part.version, part.data["idcc_code"], part.data["headcount"], part.data["public"]) == (
        1, "3248", "250", "no")
    assert Page(page).controls[_ident(Section.EMPLOYER, "employer_type")]["value"] == "12"
    again = post(site, client, case_id, Section.EMPLOYER, {})
    assert again.status_code == 303
    assert "Section « L&#39;employeur » : rien n&#39;a changé." in client.get(f"/cases/{case_id}/dossier").text


def test_a_refused_value_is_shown_next_to_its_field_with_what_was_typed_and_nothing_saved(site: Site) -> None:
    case_id = to_sign(site.app, site.world, site.world.one.neighbour_id)
    client = site.as_("advisor")
    before = snapshot(site.app)
    refused = post(site, client, case_id, Section.EMPLOYER, {"idcc_code": "ABCD", "naf_code": "28.99B"})
    assert refused.status_code == 422
    page = Page(refused.text)
    idcc = page.controls[_ident(Section.EMPLOYER, "idcc_code")]
    assert (idcc["value"], idcc["aria-invalid"]) == ("ABCD", "true")
    assert "e-f-employer-idcc_code" in idcc["aria-describedby"].split()
    error = re.search(r'<p class="error" id="e-f-employer-idcc_code" role="alert">([^<]+)<span>([^<]+)'
                      r'</span></p>', refused.text)
    assert error is not None
    assert error.group(1) == "Valeur refusée (Code IDCC de la convention collective) : "
    assert error.group(2) == "«\u00a0ABCD\u00a0» n&#39;est pas un code IDCC : 4 chiffres (9999 sans convention " \
                             "collective, 9998 pendant sa négociation)"
    assert page.controls[_ident(Section.EMPLOYER, "naf_code")]["value"] == "28.99B"  # what was typed, kept
    assert snapshot(site.app) == before


def test_a_stale_version_is_said_and_what_was_typed_kept(site: Site) -> None:
    case_id = to_sign(site.app, site.world, site.world.one.neighbour_id)
    client = site.as_("advisor")
    assert post(site, client, case_id, Section.EMPLOYER, {"naf_code": "28.99B"}).status_code == 303
    before = snapshot(site.app)
    stale = post(site, client, case_id, Section.EMPLOYER, {"naf_code": "25.62A"}, version="0")
    assert stale.status_code == 409
    assert ("Cette section a été modifiée par quelqu&#39;un d&#39;autre depuis que vous l&#39;avez ouverte (version 0, "
            "elle est maintenant à la version 1).") in stale.text
    page = Page(stale.text)
    assert page.controls[_ident(Section.EMPLOYER, "naf_code")]["value"] == "25.62A"
    assert page.form(Section.EMPLOYER) is not None
    assert page.form(Section.EMPLOYER).hidden["version"] == "1"  # type: ignore[union-attr]
    assert snapshot(site.app) == before


def test_the_mentor_fills_only_the_employer_and_mentor_sections_of_their_case(site: Site) -> None:
    case_id = to_sign(site.app, site.world, site.world.one.neighbour_id)
    mentor = site.as_("mentor")
    home = mentor.get("/mentor").text
    assert f'href="/cases/{case_id}/dossier#section-employer"' in home
    answer = mentor.get(f"/cases/{case_id}/dossier")
    assert answer.status_code == 200
    page = Page(answer.text)
    assert [form.action.rsplit("/", 1)[-1] for form in page.forms if "/dossier/" in form.action] == [
        "employer", "mentors"]
    assert "Section en lecture seule" in answer.text
    email = page.controls[_ident(Section.MENTORS, "1.email")]
    assert "readonly" in email  # the mentor's email opens the case: CFA staff change it
    assert "name" not in email
    saved = post(site, mentor, case_id, Section.MENTORS, {
        "1.birth_date": "1980-03-02", "1.job": "Ingénieure", "1.diploma": "Diplôme d'ingénieur",
        "1.diploma_level": "7", "1.diploma_in_field": "yes", "1.experience_years": "10",
        "1.eligibility_attested": "yes"})
    assert saved.status_code == 303, saved.text
    part = show_dossier(site.app, case_id, actor_email="system").sections[Section.MENTORS]
    assert (part.data["1.job"], part.updated_by) == ("Ingénieure", site.world.one.user("mentor").email)
    before = snapshot(site.app)
    token = csrf_of(answer.text)
    refused = mentor.post(f"/cases/{case_id}/dossier/training", data={
        "csrf_token": token, "version": "0", "training_hours": "1700"}, follow_redirects=False)
    assert refused.status_code == 403
    assert snapshot(site.app) == before


def test_the_apprentice_fills_her_identity_and_finds_it_from_her_page(site: Site) -> None:
    client = site.as_("apprentice")
    case_id = site.world.one.case_id
    assert f'href="/cases/{case_id}/dossier#section-apprentice"' in client.get("/me").text
    page = Page(client.get(f"/cases/{case_id}/dossier").text)
    assert [form.action.rsplit("/", 1)[-1] for form in page.forms if "/dossier/" in form.action] == ["apprentice"]
    saved = post(site, client, case_id, Section.APPRENTICE, {"phone": "06 98 76 54 32"})
    assert saved.status_code == 303, saved.text
    assert show_dossier(site.app, case_id, actor_email="system").sections[Section.APPRENTICE].data["phone"] == (
        "+33698765432")


def test_the_case_page_links_to_the_dossier_and_the_tutor_does_not_read_it(site: Site) -> None:
    case_id = site.world.one.case_id
    assert f'href="/cases/{case_id}/dossier"' in site.as_("advisor").get(f"/cases/{case_id}").text
    tutor = site.as_("tutor")
    assert f'href="/cases/{case_id}/dossier"' not in tutor.get(f"/cases/{case_id}").text
    assert tutor.get(f"/cases/{case_id}/dossier").status_code == 403
    assert site.as_("advisor").get(f"/cases/{site.world.two.case_id}/dossier").status_code == 404


def test_odd_posts_are_refused_without_a_server_error_and_change_nothing(site: Site) -> None:
    case_id = to_sign(site.app, site.world, site.world.one.neighbour_id)
    client = site.as_("advisor")
    token = csrf_of(client.get(f"/cases/{case_id}/dossier").text)
    before = snapshot(site.app)
    for action, data, status in (
            ("employer", {"version": "1" * 40}, 422), ("employer", {"version": "²"}, 422),
            ("nosuch", {"version": "0"}, 404), ("pay", {"version": "0", "1.rate": "9" * 400}, 422),
            ("mentors", {"version": "0", "1.experience_years": "-3"}, 422),
            ("contract", {"version": "0", "start_date": "9999-12-31"}, 422)):
        answer = client.post(f"/cases/{case_id}/dossier/{action}", data={"csrf_token": token, **data},
                             follow_redirects=False)
        assert answer.status_code == status, (action, data, answer.text[:300])
    assert client.post(f"/cases/{case_id}/dossier/employer", data={"version": "0"}).status_code == 403  # no CSRF
    assert snapshot(site.app) == before
