"""Logging in and out in Chromium, by mouse and by keyboard alone, on a phone's width and a desktop's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.browser.conftest import PHONE, Visitor
from tests.support.world import World


def test_a_wrong_password_is_told_and_the_right_one_opens_the_home_page(
        visitor: Visitor, world: World, shot: Callable[[Page, str], Path]) -> None:
    page = visitor.open("/login")
    shot(page, "login")
    page.get_by_label("Adresse e-mail").fill(world.one.user("apprentice").email)
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("E-mail ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(world.one.user("apprentice").email)
    visitor.log_in(world.one.user("apprentice").email)
    expect(page).to_have_url(visitor.live.url + "/me")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(visitor.live.url + "/login")


def test_the_login_form_works_from_the_keyboard_alone(visitor: Visitor, world: World) -> None:
    page = visitor.open("/login")
    expect(page.get_by_label("Adresse e-mail")).to_be_focused()  # the login form is what the page is for
    page.keyboard.type(world.one.user("tutor").email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type("mot-de-passe-de-test")
    page.keyboard.press("Enter")
    expect(page).to_have_url(visitor.live.url + "/tutor")
    page.keyboard.press("Tab")  # on every other page the first stop is the link past the navigation
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_session_cookie_is_http_only_and_same_site(visitor: Visitor, world: World) -> None:
    visitor.log_in(world.one.user("mentor").email)
    cookies = {cookie["name"]: cookie for cookie in visitor.page.context.cookies()}
    session = cookies["contract_flow_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    assert visitor.page.evaluate("document.cookie") == ""


def test_the_login_page_fits_a_phone(visitor: Visitor, shot: Callable[[Page, str], Path]) -> None:
    visitor.page.set_viewport_size(PHONE)
    page = visitor.open("/login")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "login-phone")
