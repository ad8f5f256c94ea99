"""`contract-flow up`: the whole embedded default in one command (what `make run` starts).

The HTTP API in this process; a reminder worker and a beat as child processes (the filesystem broker needs no
server); a local mail catcher keeping emails in <data_dir>/mail. Ctrl-C stops them all. The port is taken first
(cli/welcome.py): one already in use is one line naming it and the setting to change, before anything starts;
with --welcome (`make run`) how to start is printed then: the pages' URL and logins, the API's tokens.
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from contract_flow.bootstrap import App
from contract_flow.cli import runtime
from contract_flow.cli.output import console, errors
from contract_flow.cli.runtime import get_app
from contract_flow.cli.welcome import PORT_SETTING, base_url, listening_socket, welcome_lines
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.settings import DEVELOPMENT_SECRET, Settings

CONTRACT_FLOW = str(Path(sys.executable).parent / "contract-flow")


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when `up` ends, however it ends (uvicorn re-raises the signal it caught,
    which ends this process before any cleanup code runs)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_PR_SET_PDEATHSIG = 1


def warn_if_rules_lag(app: App) -> None:
    """One line on stderr when the rule set's SMIC disagrees with OpenFisca-France or cannot be checked: a missed
    revaluation under-states every minimum pay (`contract-flow rules check` says what to add)."""
    from contract_flow.reference import startup_warning

    warning = startup_warning(app.settings.rules_file, runtime.language())
    if warning is not None:
        errors.print(warning, markup=False, highlight=False, soft_wrap=True)


def listens_on_loopback_only(host: str) -> bool:
    """Whether `host` is a loopback address (127.0.0.0/8, ::1) or `localhost`: only this machine can connect.
    Any other host (0.0.0.0, ::, a name, a LAN address) may be reached by others."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def refuse_public_secret(settings: Settings, host: str) -> None:
    """The development secret is public (it is in the source): whoever can reach the server could sign a session
    cookie for any user with it. It is refused on any address but loopback (production refuses it anywhere:
    settings.py); so is a previous secret equal to it. InvalidInput: one line, exit 2."""
    if listens_on_loopback_only(host):
        return
    if settings.secret_key == DEVELOPMENT_SECRET or DEVELOPMENT_SECRET in settings.previous_secret_keys:
        raise InvalidInput("--host", Reason("public_host_development_secret", host=host, command=(
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`")))


def up(
    host: Annotated[str, typer.Option(help="Address the API listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the pages and the API.", envvar=PORT_SETTING,
                                      min=1, max=65535)] = 8000,
    mail: Annotated[bool, typer.Option(help="Keep emails in <data_dir>/mail (a local SMTP server) instead of "
                                             "sending them.")] = True,
    welcome: Annotated[bool, typer.Option(help="Print how to start: the pages' URL and a demo login per role "
                                               "with the password, then a fresh API token per demo user.")]
    = False,
) -> None:
    """Serve the pages and the API with a reminder worker and beat, on the configured (embedded by default)
    setup."""
    import uvicorn

    from contract_flow.adapters.mailcatcher import MailCatcher
    from contract_flow.asgi import create_served_app

    app = get_app()
    refuse_public_secret(app.settings, host)
    listening = listening_socket(host, port)  # a port in use: one line, exit 2, nothing started
    warn_if_rules_lag(app)
    children = [
        # preexec_fn runs before any thread of ours exists here (the mail catcher's is started after). Their
        # banners (stdout) would bury how to start; their logs (stderr) still show.
        subprocess.Popen([CONTRACT_FLOW, *args], start_new_session=True, preexec_fn=_die_with_parent,  # noqa: PLW1509
                         stdout=subprocess.DEVNULL)
        for args in (["worker", "--loglevel", "WARNING"], ["beat", "--loglevel", "WARNING"])
    ]
    catcher = None
    if mail:
        catcher = MailCatcher(app.settings.data_dir / "mail", app.settings.smtp_host, app.settings.smtp_port)
        catcher.start()
    if welcome:
        # Plain print: Rich would wrap the tokens at the terminal's width.
        print("\n".join(welcome_lines(app, base_url(host, port), runtime.language(),
                                      catcher.folder if catcher else None)), flush=True)
    else:
        console.print(f"API on {base_url(host, port)}/docs (OpenAPI: /openapi.json); a worker and a beat deliver "
                      f"the reminders{f'; emails are kept in {catcher.folder}' if catcher else ''}. Ctrl-C stops "
                      "everything.")
    try:
        uvicorn.Server(uvicorn.Config(create_served_app(app), log_level="warning")).run(sockets=[listening])
    finally:
        listening.close()
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(child.pid, signal.SIGKILL)
        if catcher is not None:
            catcher.stop()
