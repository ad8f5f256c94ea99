"""French by default, English too: one flat catalogue per language, read from the files `locales/<lang>/*.toml`
(one per area of the pages; a key is `<file>.<table>.<key>` without the file part: tables are unique across
files), the same keys in both languages (a test checks it, and that every key a template uses exists). The names
of the engine's codes (reminder kinds, ledger statuses, channels, roles) come from `contract_flow.labels`, shared
with the CLI and the API, under their own keys (`reminder_kind.trial_ending`, `role.mentor`)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from contract_flow import labels
from contract_flow.formatting import format_day, format_moment, format_money, format_number, format_percent
from contract_flow.labels import DEFAULT_LANGUAGE, choose_language
from contract_flow.wording import elide_template, is_worded, reason_text

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LOCALES", "Translator", "catalogue", "choose_language"]

LANGUAGES = ("fr", "en")
LOCALES = Path(__file__).resolve().parent / "locales"


@cache
def catalogue(language: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with path.open("rb") as handle:
            found = _flatten(tomllib.load(handle))
        twice = texts.keys() & found.keys()
        if twice:
            raise ValueError(f"{path}: keys already defined in another file: {', '.join(sorted(twice))}")
        texts.update(found)
    shared = labels.catalogue(language)
    twice = texts.keys() & shared.keys()
    if twice:
        raise ValueError(f"{LOCALES / language}: keys already defined by contract_flow.labels: "
                         f"{', '.join(sorted(twice))}")
    texts.update(shared)
    return texts


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


class Translator:
    """`t("key", name=...)` in templates; a missing key shows itself (and fails the catalogue test)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._texts = catalogue(language)

    def __call__(self, key: str, **values: Any) -> str:
        text = self._texts.get(key)
        if text is None:
            return f"[{key}]"
        if values and self.language == "fr":
            text = elide_template(text, values)  # «Dossier de {name}» for Inès: «Dossier d'Inès»
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._texts

    def reason(self, reason: str) -> str:
        """A guard's reason or an input's rule (domain.reasons) in this language; English only if it has no words."""
        return reason_text(reason, self.language)

    @staticmethod
    def worded(reason: str) -> bool:
        """Whether `reason` has words in this language (else a page marks it lang="en")."""
        return is_worded(reason)

    # Numbers, money and dates come from the one formatter (Babel), as in the emails; "—" stands for no value.
    def date(self, value: date | None) -> str:
        """A day in a table: "04/02/2027" in both languages (fr_FR and en_GB write the day first)."""
        return "—" if value is None else format_day(value, self.language, "short")

    def moment(self, value: datetime | None) -> str:
        """An instant as Paris wall time, where the CFA is: "20/10/2026 16:00", "20/10/2026, 16:00"."""
        return "—" if value is None else format_moment(value, self.language, "short")

    def money(self, value: Any) -> str:
        """"1 234,50 €" (U+202F between groups, U+00A0 before €), "€1,234.50"."""
        return "—" if value is None else format_money(value, self.language)

    def percent(self, points: Any) -> str:
        """"53 %", "53%": a percentage in points, as the rule set writes them."""
        return "—" if points is None else format_percent(points, self.language)

    def number(self, value: Any) -> str:
        return "—" if value is None else format_number(value, self.language)
