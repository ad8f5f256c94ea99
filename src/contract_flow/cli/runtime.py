"""The CLI's one App per process, built from `--config` and `--now` given to the root command, and the language
it prints in for people (`--lang`, French by default as the pages)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from contract_flow.bootstrap import App, bootstrap
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.values import parse_date
from contract_flow.labels import DEFAULT_LANGUAGE, LANGUAGES


@dataclass
class _Options:
    config: Path | None = None
    now: datetime | None = None
    app: App | None = None
    language: str = DEFAULT_LANGUAGE


options = _Options()


def configure(config: Path | None, now: str | None) -> None:
    if options.app is not None:
        options.app.close()
    options.app = None
    options.config = config
    options.now = parse_moment("--now", now) if now else None
    from contract_flow.settings import config_path, get_settings

    if config is not None:
        previous = os.environ.get("CONTRACT_FLOW_CONFIG")
        os.environ["CONTRACT_FLOW_CONFIG"] = str(config)
        if not config_path().is_file():  # a bare name is also looked up in the configuration directories
            if previous is None:  # a refused option changes nothing
                del os.environ["CONTRACT_FLOW_CONFIG"]
            else:
                os.environ["CONTRACT_FLOW_CONFIG"] = previous
            raise InvalidInput("--config", Reason("not_a_file", file=str(config)))
    # One command, one reading of the settings (a process normally runs one command; tests run many).
    get_settings.cache_clear()


def set_language(text: str) -> None:
    """The root command's `--lang`: what every command prints for people is in it (JSON keeps the codes). A
    language refused is refused in French, the default, not in an earlier command's language."""
    options.language = DEFAULT_LANGUAGE
    options.language = parse_language(text)


def parse_language(text: str) -> str:
    if text not in LANGUAGES:
        raise InvalidInput("--lang", Reason("not_a_language", typed=Typed(text), choices=LANGUAGES))
    return text


def language(override: str | None = None) -> str:
    """A command's own `--lang` if given, else the root command's."""
    return parse_language(override) if override is not None else options.language


#: A command's own `--lang`, for those that print labels (the root command's applies to every command).
LangOption = Annotated[str | None, typer.Option("--lang", metavar="fr|en", help=(
    "Language of the labels, dates and words printed: fr or en (default: the one given before the command, "
    "else fr). --json keeps the codes and adds labels in it."))]


def parse_moment(field: str, text: str) -> datetime:
    """An ISO date or date-time; a date means midday in Paris, a naive time is Paris time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, Reason("not_a_moment", typed=Typed(text))) from None
    if len(text) == 10:
        moment = moment.replace(hour=12)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.astimezone(UTC)


def get_app() -> App:
    if options.app is None:
        from contract_flow.adapters.clock import FixedClock

        clock = FixedClock(options.now) if options.now else None
        options.app = bootstrap(clock=clock)
    return options.app


def option_date(field: str, text: str | None) -> date | None:
    return parse_date(field, text) if text is not None else None


#: Who acts, for the commands that change a case: a user (`--as EMAIL`), whom the access policy judges exactly as on
#: the pages and the API, or the operator (`--operator`), a trusted batch job acting on every case.
AsOption = Annotated[str | None, typer.Option("--as", help="Email of the user acting: the same rules apply to them "
                                                           "as on the pages and the API.")]
OperatorOption = Annotated[bool, typer.Option("--operator", help="Act as the operator (a trusted batch job, "
                                                                 "recorded as `system`): every case of every CFA.")]


def acting(as_email: str | None, operator: bool) -> str:
    """The actor a command names: exactly one of `--as EMAIL` or `--operator`."""
    from contract_flow.services.common import OPERATOR

    if operator and as_email is not None:
        raise InvalidInput("--operator", Reason("one_of_options", first="--as EMAIL", second="--operator"))
    if operator:
        return OPERATOR
    if as_email is None:
        raise InvalidInput("--as", Reason("as_missing"))
    return as_email
