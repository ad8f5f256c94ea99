"""The CLI's help in the reader's language (issue 15, item 6): French by default, English with `--lang en`.

Typer builds each command's help from the code's English (docstrings, `help=`) when the command tree is made, so
the French is put in place on that tree before it runs: `help_fr.json` maps each English text, exactly, to its
French. Keyed by the English, a help text changed in the code without its French is found by the test that walks
every command and option (tests/unit/test_cli_help_words.py) rather than shown in English to a French reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

import typer.rich_utils

from contract_flow.labels import DEFAULT_LANGUAGE, LANGUAGES

#: Typer's own words around the help (its panel titles, a default, a required option), in French: English
#: module constants Typer reads each time it draws a help.
TYPER_FR = {"ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
            "COMMANDS_PANEL_TITLE": "Commandes", "ERRORS_PANEL_TITLE": "Erreur",
            "DEFAULT_STRING": "[par défaut : {}]", "REQUIRED_LONG_STRING": "[obligatoire]",
            "ENVVAR_STRING": "[variable d'environnement : {}]", "DEPRECATED_STRING": "(obsolète) ",
            "ABORTED_TEXT": "Abandon."}
#: The help of `--help` itself, which Click makes when it parses.
HELP_OPTION_FR = "Afficher cette aide et quitter."


@lru_cache(maxsize=1)
def french() -> dict[str, str]:
    """English help text -> its French."""
    pairs: dict[str, str] = json.loads(files("contract_flow.cli").joinpath("help_fr.json").read_text("utf-8"))
    return pairs


def language_asked(argv: Sequence[str]) -> str:
    """The language the command line asks for (its last `--lang X` or `--lang=X`, the root's or the command's),
    else the default: what `--help` is shown in, before Typer parses anything. A value that is no language is
    left to the parser to refuse."""
    chosen = DEFAULT_LANGUAGE
    for position, argument in enumerate(argv):
        if argument == "--":
            break
        value = argument.removeprefix("--lang=") if argument.startswith("--lang=") else (
            argv[position + 1] if argument == "--lang" and position + 1 < len(argv) else None)
        if value in LANGUAGES:
            chosen = value
    return chosen


def commands(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """The command and every command under it, each with its path ("invoices list")."""
    yield path, command
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        yield from commands(sub, f"{path} {name}".strip())


def _help_option_in_french(command: Any) -> None:
    made = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = made(ctx)
        if option is not None:
            option.help = HELP_OPTION_FR
        return option

    command.get_help_option = get_help_option


def helps(command: Any) -> Iterator[tuple[str, Any, str]]:
    """(where, the command or parameter, its help text) for every command and parameter of the tree with help."""
    for path, each in commands(command):
        if each.help:
            yield path or "contract-flow", each, each.help
        for parameter in each.params:
            if getattr(parameter, "help", None):
                yield f"{path} {parameter.opts[0] if parameter.opts else parameter.name}".strip(), parameter, \
                    parameter.help


def in_language(command: Any, language: str) -> Any:
    """The command tree with its help in `language` (the code's own English for "en"): each text with a French
    in help_fr.json is replaced by it."""
    if language != "fr":
        return command
    words = french()
    for _, found, text in helps(command):
        found.help = words.get(text, text)
    for _, each in commands(command):
        _help_option_in_french(each)
    for name, title in TYPER_FR.items():
        setattr(typer.rich_utils, name, title)
    return command
