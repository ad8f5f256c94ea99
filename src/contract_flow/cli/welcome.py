"""How to start, as `contract-flow up --welcome` (what `make run` calls) prints it once the port is its own.

First the pages: their URL and one login per role of the demo with the demo's password; then the API: its
documents and a fresh token per demo user. A port already taken is told in one line naming the port and the
setting that changes it (`make run PORT=...`, `contract-flow up --port ...`, CONTRACT_FLOW_PORT), before anything
else starts: no traceback, no worker left behind.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from contract_flow.cli import runtime
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.labels import label

if TYPE_CHECKING:
    from contract_flow.bootstrap import App

#: The environment variable `up --port` reads (the Makefile's PORT passes it on the command line).
PORT_SETTING = "CONTRACT_FLOW_PORT"

_IN_USE = {
    "fr": "le port {port} est déjà utilisé sur {host} (un autre contract-flow ?) : arrêtez-le, ou choisissez un "
          "autre port avec `make run PORT={other}` (ou `contract-flow up --port {other}`, ou {setting}={other})",
    "en": "port {port} is already in use on {host} (another contract-flow?): stop it, or choose another port "
          "with `make run PORT={other}` (or `contract-flow up --port {other}`, or {setting}={other})",
}
_CANNOT_LISTEN = {
    "fr": "impossible d'écouter sur {host}:{port} ({reason}) : choisissez une autre adresse (--host) ou un autre "
          "port (`make run PORT={other}`, ou {setting}={other})",
    "en": "cannot listen on {host}:{port} ({reason}): choose another address (--host) or port "
          "(`make run PORT={other}`, or {setting}={other})",
}
_TEXTS = {
    "fr": {"pages": "Pages : {url}/login",
           "logins": "Connectez-vous avec le mot de passe {password}, un compte par rôle :",
           "api": "API : documentation sur {url}/docs (OpenAPI : {url}/openapi.json) ; un jeton par compte "
                  "(en-tête Authorization: Bearer JETON) :",
           "no_demo": "Pas de données de démonstration : créez un compte avec `contract-flow user add` "
                      "(il affiche son jeton d'API).",
           "mail": "Les e-mails envoyés sont gardés dans {folder}.",
           "stop": "Ctrl-C arrête tout."},
    "en": {"pages": "Pages: {url}/login",
           "logins": "Log in with the password {password}, one account per role:",
           "api": "API: documents at {url}/docs (OpenAPI: {url}/openapi.json); one token per account "
                  "(header Authorization: Bearer TOKEN):",
           "no_demo": "No demo data: add a user with `contract-flow user add` (it prints their API token).",
           "mail": "Emails sent are kept in {folder}.",
           "stop": "Ctrl-C stops everything."},
}


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening, for the server to serve on; InvalidInput("--port") in one line
    when the port is taken (or the address cannot be used)."""
    language = runtime.language()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a restart reuses a closing port
    words = {"host": host, "port": port, "other": port + 1, "setting": PORT_SETTING}
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InvalidInput("--port", _IN_USE[language].format(**words)) from None
        reason = exc.strerror or str(exc)
        raise InvalidInput("--port", _CANNOT_LISTEN[language].format(reason=reason, **words)) from None
    return sock


def base_url(host: str, port: int) -> str:
    """The URL a browser on this machine opens: a wildcard address is reached through loopback."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host.strip(), host.strip())
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def welcome_lines(app: App, url: str, language: str, mail_folder: Path | None = None) -> list[str]:
    """The pages' URL and one demo login per role with the password, then the API's documents and a fresh token
    per demo user (the demo users that exist; none: how to add one); where the emails are kept, if they are."""
    from contract_flow.cli.demo_data import DEMO_PASSWORD, USERS
    from contract_flow.services.directory import issue_token

    texts = _TEXTS[language]
    tokens: list[tuple[str, str, str]] = []
    for email, _, role in USERS:
        try:
            tokens.append((role, email, issue_token(app, email)))
        except (NotFound, InvalidInput):  # not loaded, or deactivated since: no login to offer
            continue
    lines = [texts["pages"].format(url=url)]
    last = [texts["mail"].format(folder=mail_folder)] if mail_folder is not None else []
    last.append(texts["stop"])
    if not tokens:
        return [*lines, texts["no_demo"], *last]
    width = max(len(label("role", role, language)) for role, _, _ in tokens)
    lines.append(texts["logins"].format(password=DEMO_PASSWORD))
    lines += [f"  {label('role', role, language):<{width}}  {email}" for role, email, _ in tokens]
    lines.append(texts["api"].format(url=url))
    lines += [f"  {email:<28} {token}" for _, email, token in tokens]
    return [*lines, *last]
