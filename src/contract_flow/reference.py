"""The rule set's SMIC checked against the community reference, OpenFisca-France's parameter files.

A SMIC revaluation missed by `configs/rules/fr.toml` silently under-states every minimum pay (the SMIC changes
once or twice a year, sometimes mid-year under L3231-5). OpenFisca-France (PyPI `openfisca-france`) keeps the
French legal parameters, each value with the décret or arrêté it comes from. Only its YAML files are read: the
package is found with `importlib.util.find_spec` (which does not run it) and OpenFisca's engine is never
imported, so `pip install --no-deps` is enough. Every monthly SMIC in force from `COMPARED_FROM` on must agree.

One module for the CLI (`contract-flow rules check`), the test suite, `up` / `serve` and the advisor's board.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules import RuleSet, RuleSetError
from contract_flow.domain.rules.ruleset import DatedSeries, SmicEntry
from contract_flow.formatting import format_day, format_money
from contract_flow.rulefiles import load_ruleset
from contract_flow.wording import reason_text

PACKAGE = "openfisca-france"
MODULE = "openfisca_france"
SMIC_DIR = "parameters/marche_travail/salaire_minimum/smic"
MONTHLY_FILE = f"{SMIC_DIR}/smic_b_mensuel.yaml"
HOURLY_FILE = f"{SMIC_DIR}/smic_b_horaire.yaml"
#: The first release holding the SMIC of 1 June 2026 (arrêté du 22 mai 2026): an older one cannot vouch for it.
MINIMUM_VERSION = "176.1.8"
INSTALL = f"pip install --no-deps '{PACKAGE}>={MINIMUM_VERSION}'"
#: The rule set's history starts in 2023 (enough for every 3-year contract still running from 2026 on).
COMPARED_FROM = date(2023, 1, 1)
CENT = Decimal("0.01")


class ReferenceUnreadable(Exception):
    """The reference is missing, too old, or its files are not in the expected format: it cannot vouch. Its one
    argument is a Reason (str(error) its English)."""


#: What the checker says, in each language: its English is the one the API, `--json` and the logs keep (amounts
#: with a dot, ISO days); French writes them as people do. The TOML to paste stays as TOML.
WORDS = {
    "en": {"check": "rules check: {line}", "warning": "warning: {line}",
           "agrees": "{file} agrees with {package} {version} on the SMIC from {compared} (newest: {amount} from "
                     "{day})",
           "lags": "{file} lags behind {package} {version}: the SMIC from {day} is {amount} ({text}){more}; run "
                   "`contract-flow rules check`",
           "more": " and {count} more",
           "message": "smic {day}: {package} {version} has {amount} ({text}); {file} {has}: {action}",
           "has": "has {amount} from its entry of {entry}", "has_none": "has no SMIC in force",
           "add": "add", "change": "change it to"},
    "fr": {"check": "vérification des règles : {line}", "warning": "avertissement : {line}",
           "agrees": "{file} concorde avec {package} {version} sur le SMIC depuis le {compared} (le plus récent : "
                     "{amount} à partir du {day})",
           "lags": "{file} est en retard sur {package} {version} : le SMIC à partir du {day} est de {amount} ({text})"
                   "{more} ; lancez `contract-flow rules check`",
           "more": " et {count} autre(s)",
           "message": "smic {day} : {package} {version} a {amount} ({text}) ; {file} {has} : {action}",
           "has": "a {amount} depuis son entrée du {entry}", "has_none": "n'a aucun SMIC en vigueur",
           "add": "ajoutez", "change": "remplacez-la par"},
}


def _day(day: date | None, language: str) -> str:
    return "" if day is None else day.isoformat() if language == "en" else format_day(day, language, "short")


def _amount(amount: Decimal, language: str) -> str:
    return f"{amount:.2f}" if language == "en" else format_money(amount, language)


@dataclass(frozen=True, slots=True)
class ReferenceValue:
    """One value of an OpenFisca parameter: from its date, with the text OpenFisca cites for it."""

    effective_from: date
    amount: Decimal | None  # None: OpenFisca's `value: null`, the parameter stops
    text: str
    href: str | None


@dataclass(frozen=True, slots=True)
class Reference:
    """The monthly gross SMIC as one installed OpenFisca-France release knows it."""

    version: str
    file: Path
    monthly: tuple[ReferenceValue, ...]  # date order
    hourly: dict[date, Decimal]
    #: OpenFisca's `last_value_still_valid_on`: the reference vouches for its newest value up to this day.
    vouched_until: date

    def on(self, day: date) -> ReferenceValue | None:
        position = bisect_right([value.effective_from for value in self.monthly], day) - 1
        return self.monthly[position] if position >= 0 else None


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """A day on which the reference's SMIC is not the rule set's, and the TOML that makes them agree."""

    kind: Literal["missing", "different"]  # no rule set entry from that day / an entry with another amount
    effective_from: date
    reference_amount: Decimal
    reference_text: str
    reference_href: str | None
    rule_amount: Decimal | None  # the rule set's amount in force that day, if any
    rule_entry_from: date | None  # the start of that rule set entry
    toml: str

    def message(self, rules_file: Path | str, version: str, language: str = "en") -> str:
        """What is wrong, in one sentence in `language`, then the TOML to paste."""
        words = WORDS[language]
        has = (words["has"].format(amount=_amount(self.rule_amount, language),
                                   entry=_day(self.rule_entry_from, language))
               if self.rule_amount is not None else words["has_none"])
        said = words["message"].format(
            day=_day(self.effective_from, language), package=PACKAGE, version=version,
            amount=_amount(self.reference_amount, language), text=self.reference_text, file=rules_file, has=has,
            action=words["add" if self.kind == "missing" else "change"])
        return f"{said}\n{self.toml}"


@dataclass(frozen=True, slots=True)
class RulesCheck:
    """The rule set's identity, its newest SMIC, the reference's version and where they disagree."""

    rules_file: Path
    rules_sha256: str
    newest_entries: dict[str, date]  # series name -> effective_from of its newest entry
    newest_smic: SmicEntry
    reference: Reference | None
    reference_problem: str | None  # why the reference cannot vouch (not installed, too old, unreadable)
    discrepancies: tuple[Discrepancy, ...]
    unconfirmed: tuple[SmicEntry, ...]  # rule set entries newer than what the reference vouches for

    @property
    def agrees(self) -> bool:
        return self.reference is not None and not self.discrepancies

    def summary(self, language: str = "en") -> str:
        """One line in `language`: what an operator must know (and do)."""
        words = WORDS[language]
        if self.reference is None:
            return words["check"].format(line=reason_text(self.reference_problem or "", language))
        if not self.discrepancies:
            return words["check"].format(line=words["agrees"].format(
                file=self.rules_file, package=PACKAGE, version=self.reference.version,
                compared=_day(COMPARED_FROM, language), amount=_amount(self.newest_smic.monthly_gross, language),
                day=_day(self.newest_smic.effective_from, language)))
        first = self.discrepancies[0]
        more = words["more"].format(count=len(self.discrepancies) - 1) if len(self.discrepancies) > 1 else ""
        return words["check"].format(line=words["lags"].format(
            file=self.rules_file, package=PACKAGE, version=self.reference.version,
            day=_day(first.effective_from, language), amount=_amount(first.reference_amount, language),
            text=first.reference_text, more=more))

    def messages(self, language: str = "en") -> list[str]:
        version = self.reference.version if self.reference is not None else "?"
        return [discrepancy.message(self.rules_file, version, language) for discrepancy in self.discrepancies]

    def as_data(self) -> dict[str, Any]:
        """The `rules check --json` answer."""
        reference = self.reference
        return {
            "agrees": self.agrees,
            "rules": {
                "file": str(self.rules_file),
                "sha256": self.rules_sha256,
                "newest_entries": self.newest_entries,
                "smic": {"effective_from": self.newest_smic.effective_from, "until": self.newest_smic.until,
                         "monthly_gross": self.newest_smic.monthly_gross, "source": self.newest_smic.source},
            },
            "reference": {
                "package": PACKAGE,
                "installed": reference is not None,
                "version": reference.version if reference is not None else None,
                "file": str(reference.file) if reference is not None else None,
                "vouched_until": reference.vouched_until if reference is not None else None,
                "compared_from": COMPARED_FROM,
                "problem": self.reference_problem,
                "install": INSTALL,
            },
            "discrepancies": [
                {"kind": d.kind, "effective_from": d.effective_from, "reference_amount": d.reference_amount,
                 "reference_text": d.reference_text, "reference_href": d.reference_href,
                 "rule_amount": d.rule_amount, "rule_entry_from": d.rule_entry_from, "toml": d.toml}
                for d in self.discrepancies
            ],
            "unconfirmed": [{"effective_from": e.effective_from, "monthly_gross": e.monthly_gross,
                             "source": e.source} for e in self.unconfirmed],
            "summary": self.summary(),
        }


# --- Reading the reference ----------------------------------------------------------------------------------


class _ExactLoader(yaml.SafeLoader):
    """YAML with numbers as Decimal: 1801.80 stays 1801.80, not a binary float."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_ExactLoader.add_constructor("tag:yaml.org,2002:int", _decimal)


def _load_yaml(path: Path) -> dict[Any, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ExactLoader)  # a SafeLoader: no arbitrary objects
    except (OSError, ValueError, yaml.YAMLError) as error:  # ValueError: a date such as 2026-13-01
        raise ReferenceUnreadable(Reason("reference_unreadable", path=str(path), problem=str(error))) from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise ReferenceUnreadable(Reason("reference_no_values_mapping", path=str(path)))
    return data


def _as_date(path: Path, raw: object) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ReferenceUnreadable(Reason("reference_not_a_date", path=str(path), typed=repr(raw))) from None


def _cited(raw: object) -> tuple[str, str | None]:
    """OpenFisca's `reference` for a date: a text, a {title, href} mapping, or a list of them."""
    if isinstance(raw, list):
        cited = [_cited(item) for item in raw]
        return "; ".join(text for text, _ in cited), next((href for _, href in cited if href), None)
    if isinstance(raw, dict):
        href = raw.get("href")
        return " ".join(str(raw.get("title", "")).split()), str(href) if href else None
    return " ".join(str(raw or "").split()), None


def _values(path: Path, data: dict[Any, Any]) -> dict[date, Decimal | None]:
    values: dict[date, Decimal | None] = {}
    for raw_day, raw in data["values"].items():
        amount = raw.get("value") if isinstance(raw, dict) else raw
        if amount is not None and not isinstance(amount, Decimal):
            raise ReferenceUnreadable(Reason("reference_not_a_number", path=str(path), key=str(raw_day),
                                             typed=repr(amount)))
        values[_as_date(path, raw_day)] = amount
    return values


def read_reference(package_dir: Path, version: str) -> Reference:
    """The SMIC files of an OpenFisca-France tree (the installed package's directory, or a test's)."""
    monthly_path = package_dir / MONTHLY_FILE
    data = _load_yaml(monthly_path)
    metadata: dict[Any, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    references = {_as_date(monthly_path, day): _cited(raw) for day, raw in (metadata.get("reference") or {}).items()}
    monthly = tuple(
        ReferenceValue(day, amount, *references.get(day, ("(no reference cited)", None)))
        for day, amount in sorted(_values(monthly_path, data).items())
    )
    if not monthly:
        raise ReferenceUnreadable(Reason("reference_no_values", path=str(monthly_path)))
    hourly_path = package_dir / HOURLY_FILE
    hourly = ({day: amount for day, amount in _values(hourly_path, _load_yaml(hourly_path)).items() if amount}
              if hourly_path.is_file() else {})
    still_valid = metadata.get("last_value_still_valid_on")
    vouched = _as_date(monthly_path, still_valid) if still_valid else monthly[-1].effective_from
    return Reference(version, monthly_path, monthly, hourly, max(vouched, monthly[-1].effective_from))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split(".")[:3])


def installed_reference() -> Reference:
    """The installed openfisca-france's SMIC; ReferenceUnreadable saying how to install it when it cannot vouch."""
    spec = importlib.util.find_spec(MODULE)  # finds the package without running it (nor openfisca_core)
    if spec is None or not spec.submodule_search_locations:
        raise ReferenceUnreadable(Reason("reference_missing", package=PACKAGE, install=INSTALL))
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    if _version_key(version) < _version_key(MINIMUM_VERSION):
        raise ReferenceUnreadable(Reason("reference_too_old", package=PACKAGE, version=version,
                                         minimum=MINIMUM_VERSION, install=INSTALL))
    return read_reference(Path(next(iter(spec.submodule_search_locations))), version)


# --- Comparing ----------------------------------------------------------------------------------------------


def _in_force(entries: Sequence[SmicEntry], day: date) -> SmicEntry | None:
    for entry in entries:
        if entry.effective_from <= day and (entry.until is None or day <= entry.until):
            return entry
    return None


def _source(reference: Reference, value: ReferenceValue) -> str:
    """The reference's text, with the hourly rate as the rule file writes it (`(12,31 €/h)`)."""
    hourly = reference.hourly.get(value.effective_from)
    return f"{value.text} ({f'{hourly.quantize(CENT):.2f}'.replace('.', ',')} €/h)" if hourly else value.text


def _toml(reference: Reference, value: ReferenceValue, day: date, until: date | None, note: str) -> str:
    amount = (value.amount or Decimal(0)).quantize(CENT, ROUND_HALF_UP)
    lines = [f"# {note}", "[[smic]]", f'effective_from = "{day}"']
    if until is not None:
        lines.append(f'until = "{until}"')
    source = _source(reference, value).replace("\\", "\\\\").replace('"', '\\"')
    lines += [f'monthly_gross = "{amount}"', f'source = "{source}"']
    return "\n".join(lines)


def compare(entries: Sequence[SmicEntry], reference: Reference, since: date = COMPARED_FROM) -> list[Discrepancy]:
    """Every day from `since` on where the reference or the rule set changes the SMIC must give the same amount.

    Rule set changes after the day the reference vouches for are not compared (see `unconfirmed`).
    """
    starts = sorted({since}
                    | {value.effective_from for value in reference.monthly if value.effective_from >= since}
                    | {e.effective_from for e in entries if since <= e.effective_from <= reference.vouched_until})
    found = []
    for day in starts:
        value = reference.on(day)
        if value is None or value.amount is None:
            continue
        expected = value.amount.quantize(CENT, ROUND_HALF_UP)
        rule = _in_force(entries, day)
        if rule is not None and rule.monthly_gross == expected:
            continue
        later = [start for start in starts if start > day]
        next_change = min([*later, *(e.effective_from for e in entries if e.effective_from > day)], default=None)
        until = next_change - timedelta(days=1) if next_change is not None else None
        if rule is not None and rule.effective_from == day:
            kind: Literal["missing", "different"] = "different"
            toml = _toml(reference, value, day, rule.until, f"replace the [[smic]] entry from {day} with:")
        else:
            kind = "missing"
            note = (f'set until = "{day - timedelta(days=1)}" on the [[smic]] entry from {rule.effective_from}, '
                    "then add:" if rule is not None else "add:")
            toml = _toml(reference, value, day, until, note)
        found.append(Discrepancy(kind, day, expected, value.text, value.href,
                                 rule.monthly_gross if rule is not None else None,
                                 rule.effective_from if rule is not None else None, toml))
    return found


def _newest_entries(ruleset: RuleSet) -> dict[str, date]:
    series: list[DatedSeries[Any]] = [ruleset.smic, ruleset.pay_grid, ruleset.exemption, ruleset.age_limits,
                                      *ruleset.derogations.values(), *ruleset.durations.values()]
    return {one.name: one.entries[-1].effective_from for one in series if one.entries}


def check_rules(rules_file: Path | str, reference: Reference | None = None) -> RulesCheck:
    """The rule file against `reference` (by default the installed openfisca-france); RuleSetError if the rule
    file itself is malformed."""
    path = Path(rules_file)
    ruleset = load_ruleset(path)
    problem = None
    if reference is None:
        try:
            reference = installed_reference()
        except ReferenceUnreadable as error:
            problem = error.args[0]  # a Reason: worded in the reader's language
    entries = ruleset.smic.entries
    return RulesCheck(
        rules_file=path,
        rules_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        newest_entries=_newest_entries(ruleset),
        newest_smic=entries[-1],
        reference=reference,
        reference_problem=problem,
        discrepancies=tuple(compare(entries, reference)) if reference is not None else (),
        unconfirmed=tuple(e for e in entries if reference is not None and e.effective_from > reference.vouched_until),
    )


@lru_cache(maxsize=8)
def check_once(rules_file: Path) -> RulesCheck:
    """`check_rules`, once per process and rule file: the board shows it on every request."""
    return check_rules(rules_file)


def startup_warning(rules_file: Path, language: str = "en") -> str | None:
    """The one line `up` and `serve` print when the rule set cannot be vouched for, in `language` ("warning: rules
    check: ..."); None when it agrees."""
    words = WORDS[language]
    try:
        check = check_once(Path(rules_file))
    except RuleSetError as error:
        return words["warning"].format(line=words["check"].format(line=reason_text(error.said, language)))
    return None if check.agrees else words["warning"].format(line=check.summary(language))
