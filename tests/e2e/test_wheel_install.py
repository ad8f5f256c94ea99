"""The wheel, installed elsewhere: a fresh virtual environment outside the checkout, commands run from another
directory (issue 11, item 5: the configuration was read from the checkout, the database created wherever the
command ran).

The project's dependencies come from a wheelhouse kept under the temporary directory, keyed by pyproject.toml:
built once (from the package index), reused offline by later runs. The wheel itself is built each time, from a
copy of the sources, so that no `build/` or `*.egg-info` lands in the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.rules import rules_with_next_smic

ROOT = Path(__file__).resolve().parents[2]
#: What the wheel must carry besides code: the configuration, the migrations, the pages and their assets.
PACKAGE_DATA = [
    "contract_flow/configs/default.toml", "contract_flow/configs/production.toml",
    "contract_flow/configs/reminders.toml", "contract_flow/configs/rules/fr.toml",
    "contract_flow/configs/programmes/mecatronique.toml", "contract_flow/migrations/env.py",
    "contract_flow/templates/web/login.html",
]
PIP_TIMEOUT = 600  # the first run fills the wheelhouse from the index


@dataclass(frozen=True)
class Installed:
    bin: Path
    wheel: Path
    base: Path  # a directory of the test's own, outside the checkout

    def env(self, **extra: str) -> dict[str, str]:
        """A user's environment: no CONTRACT_FLOW_* of the test run, a home of its own (so the default data
        directory is inside the test's directory), the venv first on PATH."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CONTRACT_FLOW_", "XDG_", "VIRTUAL_ENV", "PYTHON"))}
        env.update(HOME=str(self.base / "home"), PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}", **extra)
        return env

    def run(self, *args: str, cwd: Path, env: dict[str, str]) -> str:
        result = subprocess.run([str(self.bin / "contract-flow"), *args], cwd=cwd, env=env, capture_output=True,
                                text=True, check=False, timeout=120)
        assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result.stdout


def _pip(*args: str, python: str = sys.executable) -> None:
    result = subprocess.run([python, "-m", "pip", "--disable-pip-version-check", *args], capture_output=True,
                            text=True, check=False, timeout=PIP_TIMEOUT)
    assert result.returncode == 0, f"pip {' '.join(args)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def _build_wheel(into: Path) -> Path:
    """The wheel of the sources as they are now, built from a copy (the checkout stays clean)."""
    source = into / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "src" / "contract_flow", source / "src" / "contract_flow", ignore=ignore)
    shutil.copytree(ROOT / "workers", source / "workers", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(into / "dist"), str(source))
    (wheel,) = (into / "dist").glob("contract_flow-*.whl")
    return wheel


def _wheelhouse(wheel: Path) -> Path:
    """The dependencies as wheels, built once per pyproject.toml and kept: later runs install offline."""
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    house = Path(tempfile.gettempdir()) / f"contract-flow-wheelhouse-{key}"
    if not house.is_dir():
        # Filled aside and renamed into place: a run interrupted half-way leaves no partial wheelhouse behind.
        partial = Path(tempfile.mkdtemp(prefix=f"{house.name}-", dir=house.parent))
        _pip("wheel", "--quiet", "--wheel-dir", str(partial), str(wheel))
        for own in partial.glob("contract_flow-*.whl"):
            own.unlink()
        try:
            partial.rename(house)
        except OSError:  # another run got there first: theirs is as good
            shutil.rmtree(partial)
    return house


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("installed")
    assert not base.resolve().is_relative_to(ROOT), "the test directory must be outside the checkout"
    wheel = _build_wheel(base / "build")
    house = _wheelhouse(wheel)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    _pip("install", "--quiet", "--no-index", "--find-links", str(house), str(wheel),
         python=str(venv / "bin" / "python"))
    (base / "home").mkdir()
    return Installed(venv / "bin", wheel, base)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, deadline: float) -> tuple[int, str]:
    """The answer to GET `url`, waiting (until `deadline`) for the server to listen."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.URLError as exc:
            if isinstance(exc, urllib.error.HTTPError) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_wheel_carries_the_configuration_the_migrations_and_the_pages(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    assert [name for name in PACKAGE_DATA if name not in names] == []


def test_the_installed_wheel_works_from_another_directory_with_the_packaged_configuration(
        installed: Installed) -> None:
    elsewhere = installed.base / "elsewhere"
    elsewhere.mkdir()
    env = installed.env()
    data_dir = installed.base / "home" / ".local" / "share" / "contract-flow"  # XDG's default data home

    out = installed.run("db", "upgrade", cwd=elsewhere, env=env)
    database = data_dir / "contract-flow.sqlite"
    assert f"database {database} (SQLite) at revision " in out
    assert database.is_file()

    assert "12 cases created" in installed.run("demo", cwd=elsewhere, env=env)
    pay = json.loads(installed.run("rules", "pay", "--birth-date", "2005-03-10", "--contract-start", "2026-09-01",
                                   "--on", "2026-09-01", "--json", cwd=elsewhere, env=env))
    # D6222-26 3°: 53 % of the SMIC of the arrêté du 22 mai 2026 (1 867,02 €), from the packaged fr.toml.
    assert (pay["reference_amount"], pay["minimum_monthly_gross"]) == ("1867.02", "989.52")

    port = _free_port()
    server = subprocess.Popen([str(installed.bin / "contract-flow"), "serve", "--port", str(port)], cwd=elsewhere,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/health", deadline)
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "sqlite"})
        status, login = _get(f"http://127.0.0.1:{port}/login", deadline)
        assert status == 200
        assert '<form method="post" action="/login"' in login
        assert 'type="password"' in login
        stylesheets = re.findall(r'href="(/static/[^"]+)"', login)
        assert stylesheets, "the login page links no stylesheet"
        assert _get(f"http://127.0.0.1:{port}{stylesheets[0]}", deadline)[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    # Uvicorn stops cleanly on SIGTERM, then ends by that signal (exit -15) as a well-behaved server does.
    assert "Application shutdown complete" in output, output
    # Nothing was written where the commands ran: the data directory holds it all.
    assert list(elsewhere.iterdir()) == []


def test_a_site_configuration_directory_overrides_the_packaged_files_one_by_one(installed: Installed) -> None:
    elsewhere = installed.base / "site-elsewhere"
    elsewhere.mkdir()
    site = installed.base / "site-config"
    (site / "rules").mkdir(parents=True)
    data_dir = installed.base / "site-data"
    (site / "default.toml").write_text(f'environment = "development"\ndata_dir = "{data_dir}"\n', encoding="utf-8")
    # The site's rule set has next January's SMIC (1 900 €); reminders.toml and programmes stay the package's.
    rules_with_next_smic(installed.base).replace(site / "rules" / "fr.toml")
    env = installed.env(CONTRACT_FLOW_CONFIG_DIR=str(site))

    out = installed.run("db", "upgrade", cwd=elsewhere, env=env)
    assert f"database {data_dir / 'contract-flow.sqlite'} (SQLite) at revision " in out
    pay = json.loads(installed.run("rules", "pay", "--birth-date", "2005-03-10", "--contract-start", "2026-09-01",
                                   "--on", "2027-01-15", "--json", cwd=elsewhere, env=env))
    assert pay["reference_amount"] == "1900.00"  # the site's fr.toml, not the package's 1 867,02 €
    # The programme file the site does not override is the package's: the brochure's calendar, whose school
    # weeks L6222-18's 45 company days skip (a calendar-less programme would end the trial in early November).
    trial = json.loads(installed.run("rules", "trial-end", "--contract-start", "2026-09-01", "--programme",
                                     "mecatronique", "--json", cwd=elsewhere, env=env))
    assert (trial["trial_end"], trial["company_days_counted"]) == ("2027-01-07", 45)
    assert list(elsewhere.iterdir()) == []
