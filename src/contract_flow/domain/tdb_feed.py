"""The Tableau de bord de l'apprentissage's item for one learner (TDB API v3, PUBLIC-SYSTEMS.md §2; issue 16, item 1).

A learner is a case from its training's start, with or without a contract, broken or ended. Its item is built from
the case's facts, its contracts (up to four, with the break dates and causes in the TDB's words) and its programme's
configuration (`programmes/<code>.toml`: the `[tdb]` establishments, the `[training]` RNCP and diploma codes), then
checked field by field against the TDB's own formats before it is sent: an item the TDB would store with errors is
recorded here with them instead, naming the field.

The TDB computes the learner's status from the dates (INSCRIT, APPRENTI, RUPTURANT, ABANDON, FIN_DE_FORMATION): we
send dates, not statuses. Pure: the caller reads the rows and the files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from typing import Any, NamedTuple

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.identifiers import siret_problem, uai_problem
from contract_flow.domain.rules.dates import contract_end

#: The TDB v3 fields, in the order of the .xlsx file's columns (PUBLIC-SYSTEMS.md §2).
CONTRACT_FIELDS = ("contrat_date_debut", "contrat_date_fin", "contrat_date_rupture", "cause_rupture_contrat",
                   "siret_employeur")
SUFFIXES = ("", "_2", "_3", "_4")
FIELDS: tuple[str, ...] = (
    "nom_apprenant", "prenom_apprenant", "date_de_naissance_apprenant", "annee_scolaire", "id_erp_apprenant",
    "date_inscription_formation", "date_entree_formation", "date_fin_formation",
    "etablissement_responsable_uai", "etablissement_responsable_siret",
    "etablissement_formateur_uai", "etablissement_formateur_siret",
    "statut_apprenant", "email_contact", "tel_apprenant", "adresse_apprenant", "code_postal_apprenant",
    "sexe_apprenant", "nir_apprenant", "ine_apprenant", "code_commune_insee_apprenant",
    "code_commune_insee_de_naissance_apprenant", "rqth_apprenant", "date_rqth_apprenant",
    "responsable_apprenant_mail1", "responsable_apprenant_mail2",
    "libelle_court_formation", "annee_formation", "formation_rncp", "formation_cfd",
    "duree_theorique_formation_mois", "formation_presentielle", "obtention_diplome_formation",
    "date_obtention_diplome_formation", "date_exclusion_formation", "cause_exclusion_formation",
    *(f"{name}{suffix}" for suffix in SUFFIXES for name in CONTRACT_FIELDS),
    "derniere_situation", "dernier_organisme_uai", "type_cfa",
)
REQUIRED = frozenset({
    "nom_apprenant", "prenom_apprenant", "date_de_naissance_apprenant", "annee_scolaire", "id_erp_apprenant",
    "date_inscription_formation", "date_entree_formation", "date_fin_formation",
    "etablissement_responsable_uai", "etablissement_formateur_uai",
    "etablissement_responsable_siret", "etablissement_formateur_siret",
})
#: At most this many learners in one request body (PUBLIC-SYSTEMS.md §2).
MAX_BATCH = 2000

#: The causes of a break as the TDB words them (PUBLIC-SYSTEMS.md §2).
DEMISSION = "démission"
RESILIATION = "résiliation"
FORCE_MAJEURE = "force majeure"
DIPLOME = "obtention du diplôme"
FAUTE_LOURDE = "faute lourde"
INAPTITUDE = "inaptitude constatée par la médecine du travail"
CAUSES = (DEMISSION, RESILIATION, FORCE_MAJEURE, DIPLOME, FAUTE_LOURDE, INAPTITUDE)

#: Our grounds for a break after the trial (domain.case.TerminationReason, L6222-18, L6222-18-1) in the TDB's words.
#: The TDB has no word for the death of a sole-trader mentor nor for the exclusion from the CFA: both are dismissals
#: by the employer's side (L6222-18 2°, L6222-18-1), so «résiliation».
TERMINATION_CAUSES: Mapping[str, str] = {
    "mutual_agreement": RESILIATION,  # L6222-18: résiliation amiable, signed by both parties
    "dismissal_force_majeure": FORCE_MAJEURE,
    "dismissal_serious_misconduct": FAUTE_LOURDE,
    "dismissal_unfitness": INAPTITUDE,  # inaptitude found by the occupational physician (L6222-18 2°)
    "dismissal_sole_mentor_death": RESILIATION,
    "resignation_after_mediator": DEMISSION,  # D6222-21-1: the apprentice resigns after the mediator
    "exclusion_from_cfa": RESILIATION,
    "diploma_obtained": DIPLOME,  # L6222-19
}
#: A break during the trial (L6222-18, either party, no ground): the apprentice's is a resignation, the employer's a
#: termination.
TRIAL_CAUSES: Mapping[str, str] = {"apprentice": DEMISSION, "employer": RESILIATION}

_DATE = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_INSEE = r"([0-9]{2}|2A|2B)[0-9]{3}"
#: Each field's format as the TDB checks it (PUBLIC-SYSTEMS.md §2), with the rule said when it is broken.
FORMATS: dict[str, tuple[re.Pattern[str], str]] = {}


def _format(names: Sequence[str], pattern: str, rule: str) -> None:
    for name in names:
        FORMATS[name] = (re.compile(pattern, re.ASCII), rule)


_format([name for name in FIELDS if name.startswith(("date_", "contrat_date_"))], _DATE, "a date YYYY-MM-DD")
_format(["annee_scolaire"], r"[0-9]{4}-[0-9]{4}", "YYYY-YYYY, two consecutive or equal years")
_format(["etablissement_responsable_uai", "etablissement_formateur_uai", "dernier_organisme_uai"],
        r"[0-9]{7}[A-Z]", "a UAI: 7 digits and a capital letter")
_format(["etablissement_responsable_siret", "etablissement_formateur_siret",
         *(f"siret_employeur{suffix}" for suffix in SUFFIXES)], r"[0-9]{14}", "a SIRET: 14 digits")
_format(["email_contact", "responsable_apprenant_mail1", "responsable_apprenant_mail2"], _EMAIL, "an email address")
_format(["code_postal_apprenant"], r"[0-9]{5}", "5 digits")
_format(["sexe_apprenant"], r"[MF]", "M or F")
_format(["nir_apprenant"], r"[0-9]{13}|[0-9]{15}", "13 or 15 digits")
_format(["code_commune_insee_apprenant", "code_commune_insee_de_naissance_apprenant"], _INSEE,
        "a commune's INSEE code: 2 digits (or 2A, 2B) then 3 digits")
_format(["formation_rncp"], r"(RNCP)?[0-9]{2,5}", "an RNCP code: RNCP then 2 to 5 digits")
_format(["formation_cfd"], r"[A-Z0-9]{8}", "a diploma code (CFD): 8 capital letters or digits")
_format(["type_cfa"], r"0[1-9]|10", "\"01\" to \"10\"")
_format([f"cause_rupture_contrat{suffix}" for suffix in SUFFIXES], "|".join(re.escape(c) for c in CAUSES),
        "one of the TDB's causes: " + ", ".join(CAUSES))
#: The fields whose format admits no character JSON escapes (a quote, a backslash, a control character): codes,
#: dates, the TDB's causes. A value that passed its check is written as it is between quotes (a test generates
#: values from each format to hold this).
PLAIN_FIELDS = frozenset(name for name in FORMATS if name not in (
    "email_contact", "responsable_apprenant_mail1", "responsable_apprenant_mail2"))
#: Fields whose value is a number in a range, or a boolean.
RANGES: dict[str, tuple[int, int]] = {"statut_apprenant": (0, 3), "annee_formation": (0, 5),
                                      "duree_theorique_formation_mois": (1, 48)}
STATUSES = frozenset({0, 2, 3})
BOOLEANS = frozenset({"rqth_apprenant", "formation_presentielle", "obtention_diplome_formation"})
TEXTS = frozenset({"nom_apprenant", "prenom_apprenant", "id_erp_apprenant", "libelle_court_formation"})

Item = dict[str, object]


def field_problem(name: str, value: object) -> str | None:
    """Why `value` is not what the TDB takes in field `name`, or None when it is."""
    if value is None or value == "":
        return "required" if name in REQUIRED else None
    if name in RANGES:
        return _number_problem(name, value)
    if name in BOOLEANS:
        return None if isinstance(value, bool) else "true or false"
    if not isinstance(value, str):
        return "text"
    return _text_problem(name, value)


def _number_problem(name: str, value: object) -> str | None:
    low, high = RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"a whole number from {low} to {high}"
    if name == "statut_apprenant" and value not in STATUSES:
        return "0 (abandon), 2 (inscrit) or 3 (apprenti)"
    return None


def _text_problem(name: str, value: str) -> str | None:
    if name in TEXTS:
        if not value.strip():
            return "required"
        return "in capitals" if name == "nom_apprenant" and value != value.upper() else None
    rule = FORMATS.get(name)
    if rule is not None and not rule[0].fullmatch(value):
        return rule[1]
    if name == "annee_scolaire" and int(value[5:]) - int(value[:4]) not in (0, 1):
        return "YYYY-YYYY, two consecutive or equal years"
    return None


def problems(item: Mapping[str, object], names: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """Each field of `item` (or of `names`) the TDB would refuse, with why; required fields missing included."""
    found = []
    for name in names if names is not None else (*REQUIRED, *(key for key in item if key not in REQUIRED)):
        if name not in FIELDS:
            found.append((name, "not a field of the TDB"))
            continue
        problem = field_problem(name, item.get(name))
        if problem is not None:
            found.append((name, problem))
    return found


# -- the programme's part ------------------------------------------------------------------------------------------

#: The `[tdb]` settings of a programme file, each the TDB field it fills.
ESTABLISHMENT_SETTINGS: Mapping[str, str] = {
    "responsable_uai": "etablissement_responsable_uai",
    "responsable_siret": "etablissement_responsable_siret",
    "formateur_uai": "etablissement_formateur_uai",
    "formateur_siret": "etablissement_formateur_siret",
}


@dataclass(frozen=True)
class ProgrammeFeed:
    """What every learner of a programme shares in the feed: its establishments and its training."""

    code: str
    start_date: date
    years: int
    fields: Mapping[str, object]


def programme_feed(code: str, *, name: str, start_date: date, years: int, tdb: Mapping[str, object] | None,
                   rncp_code: str | None, diploma_code: str | None, setting: str) -> ProgrammeFeed:
    """The programme's part of each item, from its file's `[tdb]` table (the responsible and training
    establishments' UAI and SIRET, optionally `type_cfa`) and its `[training]` RNCP and diploma codes. A missing
    or wrong value is refused naming the setting (`setting` is the file), never replaced by a default: the TDB
    files a learner under these establishments."""
    table = dict(tdb or {})
    fields: dict[str, object] = {}
    for key, field in ESTABLISHMENT_SETTINGS.items():
        value = table.get(key)
        where = f"{setting}: tdb.{key}"
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(where, f"required: the {field.replace('_', ' ')} the TDB files the learners under")
        value = value.strip().upper().replace(" ", "")
        refused = uai_problem(value) if key.endswith("uai") else siret_problem(value)
        if refused is not None:
            raise InvalidInput(where, refused)
        fields[field] = value
    for key, field, value in (("rncp_code", "formation_rncp", rncp_code),
                              ("diploma_code", "formation_cfd", diploma_code)):
        if not value:
            raise InvalidInput(f"{setting}: training.{key}", f"required: the TDB's {field}")
        problem = field_problem(field, value)
        if problem is not None:
            raise InvalidInput(f"{setting}: training.{key}", problem)
        fields[field] = value
    type_cfa = table.get("type_cfa")
    if type_cfa is not None:
        problem = field_problem("type_cfa", type_cfa)
        if problem is not None:
            raise InvalidInput(f"{setting}: tdb.type_cfa", problem)
        fields["type_cfa"] = type_cfa
    if not 1 <= years * 12 <= 48:
        raise InvalidInput(f"{setting}: years", "the TDB takes a theoretical length of 1 to 48 months")
    fields["duree_theorique_formation_mois"] = years * 12
    fields["libelle_court_formation"] = name[:80]
    fields["date_entree_formation"] = start_date.isoformat()
    return ProgrammeFeed(code, start_date, years, fields)


def frame(programme: ProgrammeFeed, programme_year: int, on: date) -> Item:
    """The fields all the programme's learners entering year `programme_year` share on `on`: the training's end (the
    cycle's last day: a case entering year n has `years - n + 1` years left from the programme's start, as
    LegalRules.training_cycle_end), the school year and the year of the training reached on `on` (within the
    training: before its start, its first; after its end, its last), its years counted from its start's day (a
    training starting on 1 September runs its school years from September to August)."""
    remaining = max(1, programme.years - programme_year + 1)
    end = contract_end(programme.start_date, remaining)
    within = min(max(on, programme.start_date), end)
    elapsed = within.year - programme.start_date.year - (
        (within.month, within.day) < (programme.start_date.month, programme.start_date.day))
    fields = dict(programme.fields)
    fields["date_fin_formation"] = end.isoformat()
    first = programme.start_date.year + max(0, elapsed)
    fields["annee_scolaire"] = f"{first}-{first + 1}"
    fields["annee_formation"] = min(programme.years, max(1, programme_year) + max(0, elapsed))
    return fields


# -- the learner's part --------------------------------------------------------------------------------------------

class ContractFacts(NamedTuple):
    """A contract as the feed reads it: dates as ISO text; `termination_reason` and `ended_by` as stored."""

    start: str
    end: str | None = None
    ended_on: str | None = None
    termination_reason: str | None = None
    ended_by: str | None = None
    employer_siret: str | None = None


def break_cause(termination_reason: str | None, ended_by: str | None) -> str | None:
    """The TDB's word for why a contract broke; None for a contract that ended at its term (or runs on)."""
    if termination_reason:
        return TERMINATION_CAUSES.get(termination_reason, RESILIATION)
    if ended_by:
        return TRIAL_CAUSES.get(ended_by, RESILIATION)
    return None


#: The fields a learner's own part always has (the programme's part was checked once, by programme_feed).
LEARNER_FIELDS = ("nom_apprenant", "prenom_apprenant", "date_de_naissance_apprenant", "id_erp_apprenant",
                  "date_inscription_formation")


#: The five fields of the first to the fourth contract, each name written once: the feed fills them for a million
#: learners, and a name joined anew for each would be a new string to build and hash every time.
_CONTRACT_KEYS = tuple(tuple(name + suffix for name in CONTRACT_FIELDS) for suffix in SUFFIXES)


def contract_values(contract: ContractFacts, on: str) -> tuple[str | None, ...]:
    """A contract's five fields (CONTRACT_FIELDS' order) on the day `on`, None where the field is left out: its end
    when it has one, its break and the break's cause once the break is known (on or before `on`) and has a cause,
    its employer's SIRET when known."""
    start, end, ended_on, termination_reason, ended_by, employer_siret = contract
    cause = break_cause(termination_reason, ended_by) if ended_on and ended_on <= on else None
    return (start, end or None, ended_on if cause is not None else None, cause, employer_siret or None)


def learner_fields(*, case_id: int, last_name: str, first_name: str, birth_date: str, registered_on: str,
                   email: str | None, legal_representative_email: str | None, contracts: Sequence[ContractFacts],
                   on: str) -> Item:
    """The learner's own part of the item: the case's facts and its last four contracts (oldest first; a break
    after `on` is not known yet on `on`). The feed builds many at once with learner_columns, which a test holds to
    this."""
    own: Item = {"nom_apprenant": last_name.strip().upper(), "prenom_apprenant": first_name.strip(),
                 "date_de_naissance_apprenant": birth_date, "id_erp_apprenant": str(case_id),
                 "date_inscription_formation": registered_on}
    if email:
        own["email_contact"] = email
    if legal_representative_email:
        own["responsable_apprenant_mail1"] = legal_representative_email
    for keys, contract in zip(_CONTRACT_KEYS, contracts[-4:], strict=False):
        for key, value in zip(keys, contract_values(contract, on), strict=True):
            if value is not None:
                own[key] = value
    return own


#: The fields of a learner's own part, in the order learner_fields writes them.
OWN_FIELDS: tuple[str, ...] = (*LEARNER_FIELDS, "email_contact", "responsable_apprenant_mail1",
                               *(key for keys in _CONTRACT_KEYS for key in keys))
_ALWAYS = frozenset(LEARNER_FIELDS)
#: The learners' own parts as columns: a field -> each learner's value, None where the learner's part leaves the
#: field out (learner_fields' `if`); a field no learner has is not a column.
Columns = dict[str, list[Any]]


def learner_columns(*, case_ids: Sequence[int], last_names: Sequence[str], first_names: Sequence[str],
                    birth_dates: Sequence[str], registered_on: Sequence[str], emails: Sequence[str | None],
                    legal_representative_emails: Sequence[str | None],
                    first_contract: Sequence[Sequence[str | None]], several: Mapping[int, Sequence[ContractFacts]],
                    on: str) -> Columns:
    """learner_fields for many learners at once, a field at a time (the monthly feed makes a million: per learner,
    the loop of learner_fields costs more than reading the rows). Each argument is a column, one value a learner;
    `first_contract` is the six columns of ContractFacts of each learner's only contract (None where it has none),
    and `several` the contracts, oldest first, of the few learners that have more than one, by position."""
    count = len(case_ids)
    columns: Columns = {
        "nom_apprenant": list(map(str.upper, map(str.strip, last_names))),
        "prenom_apprenant": list(map(str.strip, first_names)),
        "date_de_naissance_apprenant": list(birth_dates),
        "id_erp_apprenant": list(map(str, case_ids)),
        "date_inscription_formation": list(registered_on),
        "email_contact": _or_none(emails),
        "responsable_apprenant_mail1": _or_none(legal_representative_emails),
    }
    starts, ends, ended_on, reasons, parties, sirets = first_contract
    breaks: list[str | None] = [None] * count
    causes: list[str | None] = [None] * count
    for position in compress(range(count), ended_on):  # the few contracts that ended
        _, _, breaks[position], causes[position], _ = contract_values(
            ContractFacts(starts[position] or "", None, ended_on[position], reasons[position], parties[position]), on)
    first_keys = _CONTRACT_KEYS[0]
    for key, column in zip(first_keys, (starts, ends, breaks, causes, sirets), strict=True):
        columns[key] = _or_none(column)
    for position, contracts in several.items():
        kept = contracts[-4:]
        for index, keys in enumerate(_CONTRACT_KEYS):
            if index >= len(kept) and keys[0] not in columns:
                break  # no learner of the batch has this contract, nor the next ones
            values = contract_values(kept[index], on) if index < len(kept) else (None,) * len(keys)
            for key, value in zip(keys, values, strict=True):
                if value is not None or key in columns:
                    columns.setdefault(key, [None] * count)[position] = value
    return {name: columns[name] for name in OWN_FIELDS if name in columns and (name in _ALWAYS or any(columns[name]))}


def _or_none(values: Sequence[str | None]) -> list[str | None]:
    """The values, None for an empty one (a field left out); the copy alone when none is empty, the usual case."""
    return list(values) if "" not in values else [value or None for value in values]


def column_owns(columns: Columns) -> list[Item]:
    """The learners' own parts as learner_fields writes them (a field a learner has, the five it always has)."""
    names = list(columns)
    always = [name in _ALWAYS for name in names]
    return [{name: value for name, value, kept in zip(names, values, always, strict=True) if kept or value}
            for values in zip(*columns.values(), strict=True)]


def learner_item(shared: Item, **facts: Any) -> Item:
    """The learner's whole item: the programme's `frame`, then the learner's own part (`learner_fields`)."""
    return {**shared, **learner_fields(**facts)}


def _text_check(name: str) -> Callable[[object], bool]:
    """A fast yes/no for a text field of the learner's own part: the same rule as field_problem's."""
    rule = FORMATS.get(name)
    if rule is not None:
        match = rule[0].fullmatch
        return lambda value: isinstance(value, str) and match(value) is not None
    if name == "nom_apprenant":
        return lambda value: isinstance(value, str) and bool(value.strip()) and value == value.upper()
    return lambda value: isinstance(value, str) and bool(value.strip())


#: One check per field a learner's own part may hold: the feed checks every learner with these (a dict lookup and
#: one call a field: a million learners a run), and says why with field_problem when one fails.
LEARNER_CHECKS: dict[str, Callable[[object], bool]] = {
    name: _text_check(name) for name in (
        *LEARNER_FIELDS, "email_contact", "responsable_apprenant_mail1",
        *(f"{field}{suffix}" for suffix in SUFFIXES for field in CONTRACT_FIELDS))}


def learner_problems(own: Item) -> list[tuple[str, str]]:
    """The fields of a learner's own part (learner_fields) the TDB would refuse, with why; [] for most."""
    checks = LEARNER_CHECKS
    for name, value in own.items():
        check = checks.get(name)
        if check is None or not check(value):
            break
    else:
        return []
    found = []
    for name, value in own.items():
        problem = field_problem(name, value) if name in FIELDS else "not a field of the TDB"
        if problem is not None:
            found.append((name, problem))
    return found


#: Each field's format over a whole column of values joined by newlines (none of the formats takes a newline), so
#: that a batch of 2,000 learners is checked a field at a time by one regular expression; a column that fails is
#: then checked learner by learner to say which and why.
_COLUMN_FORMATS: dict[str, re.Pattern[str]] = {
    name: re.compile(f"(?:{pattern.pattern})(?:\n(?:{pattern.pattern}))*", re.ASCII)
    for name, (pattern, _) in FORMATS.items()}


def _column_ok(name: str, values: list[object]) -> bool:
    try:
        joined = "\n".join(values)  # type: ignore[arg-type]  # a value that is not text: TypeError, checked below
    except TypeError:
        return False
    pattern = _COLUMN_FORMATS.get(name)
    if pattern is not None:
        return pattern.fullmatch(joined) is not None
    if name not in LEARNER_FIELDS:
        return False
    # texts: none blank; the last names in capitals (a column is in capitals when each of its values is)
    return all(map(str.strip, values)) and (name != "nom_apprenant" or joined == joined.upper())  # type: ignore[arg-type]


def batch_problems(owns: Sequence[Item]) -> dict[int, list[tuple[str, str]]]:
    """The learners' own parts (learner_fields) the TDB would refuse, by position, each with its fields and why:
    each field checked over the whole batch at once, then, only for a field that fails, learner by learner."""
    columns: dict[str, list[object]] = {}
    for own in owns:
        for name, value in own.items():
            column = columns.get(name)
            if column is None:
                columns[name] = [value]
            else:
                column.append(value)
    if all(_column_ok(name, values) for name, values in columns.items()):
        return {}
    return _each_learner(owns)


def column_problems(columns: Columns) -> dict[int, list[tuple[str, str]]]:
    """batch_problems of the learners held as columns (learner_columns): a field's column checked at once, the
    values a learner leaves out aside."""
    for name, values in columns.items():
        if name in PLAIN_FIELDS:
            try:
                # each different value once: a column of dates or SIRETs has few (contracts' starts, employers)
                present = set(values)
            except TypeError:  # a value that cannot be one (none, from the feed): each learner is checked
                return _each_learner(column_owns(columns))
            if name not in _ALWAYS:
                present.difference_update((None, ""))
        else:  # names, ids, emails: each learner's own
            present = values if name in _ALWAYS else list(filter(None, values))  # type: ignore[assignment]
        if present and not _column_ok(name, list(present)):
            return _each_learner(column_owns(columns))
    return {}


def _each_learner(owns: Sequence[Item]) -> dict[int, list[tuple[str, str]]]:
    found = {}
    for position, own in enumerate(owns):
        problems_of = learner_problems(own)
        if problems_of:
            found[position] = problems_of
    return found
