"""Administration in Chromium (issue 15, items 5 and 10): the programme lead adds a user with the keyboard alone at a
phone's 375 px (the new user's login link is emailed), and the user opens it and chooses a password; the lead adds a
programme and uploads its calendar, reads the weeks and the trial ends it moves, then saves it. Every page fits a
phone and a desktop with a label on every field, in French and in English; screenshots under tests/artifacts/."""

from __future__ import annotations

import re

from playwright.sync_api import FilePayload, ViewportSize, expect

from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App
from contract_flow.services.programmes import programme_entry
from contract_flow.services.users import user_entry
from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import Shot, check, visit
from tests.e2e.browser.test_browser_scenarios import tab_to
from tests.support.smtp_sink import SmtpSink
from tests.support.world import World

CALENDAR = b'[[school]]\nfrom = "2026-09-14"\nto = "2026-10-02"\n\n[[school]]\nfrom = "2027-01-04"\nto = "2027-01-29"\n'
NEW_PASSWORD = "le mot de passe de Nina"


def test_a_lead_adds_a_user_with_the_keyboard_alone_who_then_chooses_a_password(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.one.user("programme_lead").email)
    visit(visitor, shot, "users", "/admin/users")
    page = visit(visitor, shot, "user-new", "/admin/users/new")
    with SmtpSink() as sink:
        app.mailer = SmtpMailer("127.0.0.1", sink.port)
        tab_to(page, page.get_by_label("Nom complet *"))
        page.keyboard.type("Nina Tutrice")
        tab_to(page, page.get_by_label("Adresse e-mail *"), limit=2)
        page.keyboard.type("nina.tutrice@cfa.example")
        tab_to(page, page.get_by_label("Rôle *"), limit=2)
        page.keyboard.type("tuteur")  # a select chooses the option typed
        expect(page.get_by_label("Rôle *")).to_have_value("tutor")
        tab_to(page, page.get_by_label("Envoyer un lien de connexion par e-mail"), limit=3)
        expect(page.get_by_label("Envoyer un lien de connexion par e-mail")).to_be_checked()
        tab_to(page, page.get_by_role("button", name="Ajouter un utilisateur"), limit=3)
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Un lien de connexion a été envoyé à "
                                                           "nina.tutrice@cfa.example.")
        check(page, shot, "user-added")
        body = sink.wait_for(1)[0].get_body(("plain",)).get_content()
    assert user_entry(app, "nina.tutrice@cfa.example").role.value == "tutor"
    link = re.search(r"https?://\S+/login/link\?token=\S+", body)
    assert link is not None
    newcomer = page.context.browser.new_context() if page.context.browser else None
    assert newcomer is not None
    other = newcomer.new_page()
    other.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    other.goto(link.group(0))
    expect(other.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    check(other, shot, "login-link")
    other.get_by_label("Mot de passe *").fill(NEW_PASSWORD)
    other.get_by_label("Le même mot de passe, à nouveau *").fill(NEW_PASSWORD)
    other.get_by_role("button", name="Enregistrer et me connecter").click()
    expect(other.get_by_role("status")).to_contain_text("Votre mot de passe est enregistré.")
    assert other.url.endswith("/tutor")
    newcomer.close()


def test_a_lead_adds_a_programme_and_saves_its_calendar_after_the_preview(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    visitor.log_in(world.one.user("programme_lead").email)
    page = visit(visitor, shot, "programmes", "/admin/programmes")
    page = visit(visitor, shot, "programme-new", "/admin/programmes/new")
    page.get_by_label("Code *").fill("meca2")
    page.get_by_label("Intitulé *").fill("Mécatronique, seconde promotion en alternance")
    page.get_by_label("Début de la formation *").fill("2026-09-01")
    page.get_by_label("Places *").fill("24")
    page.get_by_role("button", name="Ajouter une formation").click()
    expect(page.get_by_role("status")).to_contain_text("La formation meca2 a été ajoutée")
    check(page, shot, "programme")
    page.get_by_label("Fichier du calendrier").set_input_files(
        FilePayload(name="meca2.toml", mimeType="text/plain", buffer=CALENDAR))
    page.get_by_role("button", name="Prévisualiser").click()
    preview = page.get_by_role("region", name="Aperçu : 2 périodes d'école")
    expect(preview).to_contain_text("Année 1 (01/09/2026 – 31/08/2027) : 46 semaines en entreprise, 7 à l'école")
    expect(preview).to_contain_text("Aucune fin de période d'essai ne change.")
    preview.locator("summary").click()
    expect(preview.locator("tbody tr").first).to_contain_text("31/08/2026")  # the Monday of the start's week
    check(page, shot, "calendar-preview")
    assert programme_entry(app, "meca2").calendar_version is None  # nothing saved yet
    preview.get_by_role("button", name="Enregistrer ce calendrier").click()
    expect(page.get_by_role("status")).to_contain_text("Le calendrier de meca2 est enregistré (2 périodes d'école")
    assert programme_entry(app, "meca2").school_periods == 2
    # In English too.
    page.get_by_role("button", name="EN", exact=True).click()
    page = visit(visitor, shot, "programmes-en", "/admin/programmes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    expect(page.locator("main")).to_contain_text("24 seats: 0 taken, 24 free")
    visit(visitor, shot, "users-en", "/admin/users")
