"""The names people read for the engine's codes, in French and English: reminder kinds, ledger statuses (and why
a row expired), channels, roles, a case's states and its moves (triggers). One catalogue,
`labels/<language>.toml`, read by the pages (merged into web.i18n's catalogue, keys `<group>.<code>`), the CLI's
tables and the API, where codes stay codes and a `<field>_label` stands beside each (`labelled`). A test checks
that every code of the enums has a name in both languages.

Also here because every way in needs it: which language a person reads (`choose_language`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from contract_flow.formatting import LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "GROUPS", "LABELLED_FIELDS", "LANGUAGES", "Group", "catalogue", "choose_language",
           "label", "labelled"]
DEFAULT_LANGUAGE = "fr"
FILES = Path(__file__).resolve().parent
Group = Literal["reminder_kind", "reminder_status", "reminder_reason", "channel", "role", "state", "trigger",
                "tdb_status"]
GROUPS: tuple[Group, ...] = ("reminder_kind", "reminder_status", "reminder_reason", "channel", "role", "state",
                             "trigger", "tdb_status")
#: The fields of a ledger row or an inbox message whose codes get a label beside them, and their group.
LABELLED_FIELDS: dict[str, Group] = {"kind": "reminder_kind", "status": "reminder_status",
                                     "reason": "reminder_reason", "channel": "channel", "recipient_role": "role"}


@cache
def catalogue(language: str) -> dict[str, str]:
    """`{"<group>.<code>": name}` for one language; a table that is no group is refused, naming the file."""
    if language not in LANGUAGES:
        raise ValueError(f"no labels in language {language!r}: only in {', '.join(LANGUAGES)}")
    path = FILES / f"{language}.toml"
    with path.open("rb") as handle:
        tables = tomllib.load(handle)
    unknown = sorted(set(tables) - set(GROUPS))
    if unknown:
        raise ValueError(f"{path}: {', '.join(unknown)} is no group of labels ({', '.join(GROUPS)})")
    return {f"{group}.{code}": str(name) for group, names in tables.items() for code, name in names.items()}


def label(group: Group, code: str, language: str) -> str:
    """The name of `code` in `language`; a code the catalogue does not know (a row older than a renamed kind) is
    shown as it is rather than hidden."""
    return catalogue(language).get(f"{group}.{code}", code)


def labelled(record: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The record (already plain data) with `<field>_label` right after each labelled field it has:
    `{"kind": "trial_ending", "kind_label": "Fin de la période d'essai à venir", ...}`; no code, no label (None)."""
    result: dict[str, Any] = {}
    for field, value in record.items():
        result[field] = value
        group = LABELLED_FIELDS.get(field)
        if group is not None:
            result[f"{field}_label"] = label(group, str(value), language) if value is not None else None
    return result


def choose_language(*candidates: str | None, accept_language: str | None = None) -> str:
    """The first supported language among the candidates (the person's choice, their setting), then the first the
    browser accepts (`Accept-Language`, in its order), else French."""
    for candidate in candidates:
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
