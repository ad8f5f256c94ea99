"""Reading the rule files: `rules/fr.toml`, `programmes/<code>.toml` (its calendar, its dossier training, its
reviews' skill list) and `reminders.toml`.

Where they are (the package's `configs/`, or a site's `CONTRACT_FLOW_CONFIG_DIR`) is `contract_flow.configfiles`.

The I/O side of `contract_flow.domain.rules`, which stays pure. The default files are parsed once per process;
a file given by path is read each time (it may be edited between two calls, e.g. in tests).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from contract_flow import configfiles
from contract_flow.domain.dossier import Training, parse_training
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.invoices import ProgrammeFunding
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.reminders import ReminderPolicies, parse_policies
from contract_flow.domain.reviews import parse_skill_list
from contract_flow.domain.rules import ProgrammeCalendar, RuleSet, RuleSetError, parse_calendar, parse_ruleset
from contract_flow.domain.rules.fields import shown

#: The rule set shipped with the package (a site's own is `settings.rules_file`).
DEFAULT_RULES_FILE = configfiles.PACKAGED_DIR / configfiles.RULES
#: The programme files shipped with the package (a site's `programmes/` is searched first: configfiles).
PROGRAMMES_DIR = configfiles.PACKAGED_DIR / configfiles.PROGRAMMES
_PROGRAMME_CODE = re.compile(r"[a-z0-9][a-z0-9_-]*")  # anything else (a dot, a slash) is a file path
T = TypeVar("T")


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; RuleSetError naming the file when it is missing or not valid TOML."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise RuleSetError(Reason("file_not_found", file=str(path))) from None
    except (OSError, UnicodeDecodeError) as error:
        raise RuleSetError(Reason("file_unreadable", file=str(path), error=str(error))) from None
    except tomllib.TOMLDecodeError as error:
        raise RuleSetError(Reason("file_not_toml", file=str(path), error=str(error))) from None


def _parse_file(path: Path, parse: Callable[[dict[str, Any]], T]) -> T:
    """`parse` applied to the file; every refusal names the file, then the entry (`fr.toml: smic[2]: ...`)."""
    data = read_toml(path)
    try:
        return parse(data)
    except RuleSetError as error:
        raise RuleSetError(Reason("in_file", file=str(path), problem=error.said)) from None


@lru_cache(maxsize=1)
def _default_ruleset() -> RuleSet:
    return _parse_file(DEFAULT_RULES_FILE, parse_ruleset)


def load_ruleset(path: Path | str | None = None) -> RuleSet:
    """The rule set in `path`, by default the packaged `rules/fr.toml` (parsed once per process)."""
    if path is None or Path(path).resolve() == DEFAULT_RULES_FILE.resolve():
        return _default_ruleset()
    return _parse_file(Path(path), parse_ruleset)


@lru_cache(maxsize=32)
def _programme_calendar(code: str) -> ProgrammeCalendar:
    path = configfiles.programme_file(code)
    if path is None:
        known = ", ".join(configfiles.programme_codes()) or "none"
        places = " or ".join(str(directory) for directory in configfiles.programme_dirs())
        raise RuleSetError(Reason("no_programme_file", typed=Typed(code), places=places, known=known))
    return _parse_file(path, parse_calendar)


def load_programme_calendar(code_or_path: str | Path) -> ProgrammeCalendar:
    """The school periods of a programme, by code (`programmes/<code>.toml`, the site's first; cached) or by
    file path.

    The file may be a whole programme file or a calendar-only file holding just its `[[school]]` periods.
    """
    if isinstance(code_or_path, str) and _PROGRAMME_CODE.fullmatch(code_or_path):
        return _programme_calendar(code_or_path)
    return _parse_file(Path(code_or_path), parse_calendar)


def _flat(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """`{"cfa_address": {"town": "Alès"}}` (a TOML sub-table) -> `{"cfa_address.town": "Alès"}`, the dossier's keys."""
    found: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            found.update(_flat(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = value
    return found


@lru_cache(maxsize=32)
def _training_in(path: Path) -> Training | None:
    table = read_toml(path).get("training")
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise RuleSetError(Reason("file_training_table", file=str(path)))
    try:
        return parse_training(_flat(table))
    except InvalidInput as error:  # its field is already "training.<key>"
        raise RuleSetError(Reason("in_file", file=str(path), problem=error.said)) from None


def load_programme_training(code: str) -> Training | None:
    """The training section of the dossier as `programmes/<code>.toml` gives it (its `[training]` table: the CFA's
    SIRET, UAI, name and address, the diploma's RNCP and diploma codes, title, type and hours), the site's file
    first; None when the programme has no file or the file no `[training]`. A wrong value is refused naming the
    file and the field."""
    path = configfiles.programme_file(code) if _PROGRAMME_CODE.fullmatch(code) else None
    return None if path is None else _training_in(path)


@lru_cache(maxsize=32)
def _funding_in(path: Path) -> ProgrammeFunding | None:
    table = read_toml(path).get("funding")
    if table is None:
        return None
    if not isinstance(table, Mapping) or "npec" not in table or not isinstance(table.get("source", ""), str):
        raise RuleSetError(Reason("file_funding_table", file=str(path)))
    try:
        npec = Decimal(str(table["npec"]))
    except InvalidOperation:
        raise RuleSetError(Reason("file_npec_not_amount", file=str(path), value=shown(table["npec"]))) from None
    if not npec.is_finite() or npec <= 0:
        raise RuleSetError(Reason("file_npec_not_positive", file=str(path), value=str(npec)))
    return ProgrammeFunding(npec, str(table.get("source", "")) or f"NPEC {path.stem} : {npec} €")


def load_programme_funding(code: str) -> ProgrammeFunding | None:
    """The programme's NPEC (the yearly funding level of its certification, which a break during the trial
    prorates: R6332-25-1) from `programmes/<code>.toml`'s `[funding]`, the site's file first; None when the
    programme has no file or the file no `[funding]`."""
    path = configfiles.programme_file(code) if _PROGRAMME_CODE.fullmatch(code) else None
    return None if path is None else _funding_in(path)


@lru_cache(maxsize=32)
def _skills_in(path: Path) -> tuple[str, ...] | None:
    listed = read_toml(path).get("skills")
    if listed is None:
        return None
    if not isinstance(listed, list) or not listed or not all(isinstance(name, str) for name in listed):
        raise RuleSetError(Reason("file_skills_list", file=str(path)))
    try:
        return parse_skill_list(listed)
    except InvalidInput as error:
        raise RuleSetError(Reason("file_skills_wrong", file=str(path), problem=error.rule)) from None


def load_programme_skills(code: str) -> tuple[str, ...] | None:
    """The skills a tripartite review of the programme assesses (`programmes/<code>.toml`'s `skills`, the site's
    file first), in the file's order; None when the programme has no file or the file no list (any skill is then
    typed freely). A blank, overlong or repeated name is refused naming the file."""
    path = configfiles.programme_file(code) if _PROGRAMME_CODE.fullmatch(code) else None
    return None if path is None else _skills_in(path)


@lru_cache(maxsize=32)
def _tdb_in(path: Path) -> tuple[dict[str, object] | None, Training | None]:
    table = read_toml(path).get("tdb")
    if table is not None and not isinstance(table, Mapping):
        raise RuleSetError(Reason("file_tdb_table", file=str(path)))
    return (dict(table) if table is not None else None), _training_in(path)


def load_programme_tdb(code: str) -> tuple[Path | None, dict[str, object] | None, Training | None]:
    """What the Tableau de bord's feed reads of `programmes/<code>.toml` (the site's file first): the file, its
    `[tdb]` table (the establishments' UAI and SIRET) and its `[training]` (the RNCP and diploma codes); Nones when
    the programme has no file (domain.tdb_feed.programme_feed then refuses naming the setting missing)."""
    path = configfiles.programme_file(code) if _PROGRAMME_CODE.fullmatch(code) else None
    if path is None:
        return None, None, None
    return (path, *_tdb_in(path))


def load_reminder_policies(path: Path | str) -> ReminderPolicies:
    """reminders.toml (`settings.reminders_file`), parsed; a wrong value is refused naming the file and the key."""
    data = read_toml(Path(path))
    try:
        return parse_policies(data)
    except InvalidInput as error:
        raise RuleSetError(Reason("in_file", file=str(path), problem=error.said)) from None
