"""Pages in a real browser: Debian's Chromium (/usr/bin/chromium, installed by `make test`) driven by Playwright,
against the app served by a real uvicorn server on a free loopback port, on the world of tests/support/world.py.

Every test gets a fresh browser context (its own cookies) and saves screenshots of what it saw under
tests/artifacts/ (ignored by git): `shot(page, "board")`.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from tests.support.world import PASSWORD, World

CHROMIUM = "/usr/bin/chromium"
#: As the machine's notes say: without the background-networking flags Chromium tries Google's hosts at start.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """One database for the browser: the same pages run on both in tests/e2e/web, through TestClient."""
    path = tmp_path / "browser.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


class LiveServer:
    """uvicorn serving the app in a thread of this process (the app and its clock are the test's own)."""

    def __init__(self, app: App) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(create_app(app), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()


@pytest.fixture
def live(app: App, world: World) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    fresh.set_default_timeout(10_000)
    # A page load waits for the app in this process's thread: near the end of a full run on two busy cores, one
    # load once took over 10 s (CI, test_browser_finding). Loads get more room; expectations keep their 10 s.
    fresh.set_default_navigation_timeout(30_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as tests/artifacts/<test>-<name>.png."""
    test = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)

    def save(page: Page, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{test}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@dataclass
class Visitor:
    """A person at the browser: logs in through the form, as anyone would."""

    page: Page
    live: LiveServer

    def open(self, path: str) -> Page:
        self.page.goto(self.live.url + path)
        return self.page

    def log_in(self, email: str, password: str = PASSWORD) -> Page:
        self.open("/login")
        self.page.get_by_label("Adresse e-mail").fill(email)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.get_by_role("button", name="Se connecter").click()
        self.page.wait_for_load_state()
        return self.page


@pytest.fixture
def visitor(page: Page, live: LiveServer) -> Visitor:
    return Visitor(page, live)
