"""How the CLI prints: Rich for people, JSON (`--json`) for programs, one line on stderr for errors."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

from contract_flow.jsonable import jsonable

console = Console()
errors = Console(stderr=True)


def to_json(data: Any) -> str:
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2)


def print_json(data: Any) -> None:
    # Plain print: Rich would wrap long lines and colour the JSON, which breaks programs reading it.
    print(to_json(data))


#: The word before an error's line, in the reader's language (French puts a space before the colon).
ERROR_WORD = {"fr": "erreur :", "en": "error:"}


def error(message: str, language: str = "en") -> None:
    errors.print(f"{ERROR_WORD.get(language, ERROR_WORD['en'])} {message}", markup=False, highlight=False,
                 soft_wrap=True)
