"""The legal rules' refusals (domain.rules) worded in both languages (issue 15, item 6).

Their English, str(error) and the API's `message`, is what it has always been (ISO days); the CLI says them in
French by default and in English with `--lang en`, the API's `message_text` in the caller's language. A refusal
the computations raised as a ValueError is still one (InvalidRuleInput), so their callers that catch ValueError
keep catching it; the API answers it 422 as any InvalidInput.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from starlette.requests import Request
from typer.testing import CliRunner, Result

from contract_flow.api.errors import json_error
from contract_flow.cli import app as cli_app
from contract_flow.domain import rules as rules_package
from contract_flow.domain.errors import InvalidInput, InvalidRuleInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules import (
    DateRange,
    PreviousContract,
    ProgrammeCalendar,
    RuleSet,
    RuleSetError,
    TrialBreak,
    check_contract_dates,
    check_eligibility,
    employer_participation,
    minimum_pay,
    parse_calendar,
    pay_schedule,
    trial_end,
    years_counted_from,
)
from contract_flow.http.errors import from_domain
from contract_flow.wording import is_worded, reason_text

runner = CliRunner()
START = date(2026, 9, 1)
BORN = date(2005, 3, 15)
#: Words of the rules' English that a French line must not hold.
ENGLISH = {"is", "not", "before", "after", "the", "contract", "start", "end", "unknown", "known", "must", "be",
           "with", "level", "of", "error"}


def run(*args: str, lang: str | None = None) -> Result:
    """`contract-flow [--lang LANG] rules ARGS`: the root command's language, French unless told."""
    return runner.invoke(cli_app, [*(["--lang", lang] if lang else []), "rules", *args])


def refused_in_french(result: Result, option: str) -> str:
    """The one French line of a refusal naming `option`, exit code 2, no English word after the option's name."""
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    prefix = f"erreur : {option} : "
    assert result.stderr.startswith(prefix), result.stderr
    said = result.stderr.removeprefix(prefix)
    words = re.findall(r"(?<![\w-])[a-z]+(?![\w-])", said.lower())  # a code (previous-contract-broken) is no word
    assert set(words) & ENGLISH == set(), said
    return said


# The domain's own refusals as the CLI gives them: French by default, English with --lang en (days as en_GB writes
# them, as everywhere in the CLI's English).
CLI_REFUSALS = [
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--birth-date", "2027-01-01"], "birth-date",
                 "le 01/01/2027 n'est pas avant le début du contrat, le 01/09/2026\n",
                 "error: birth-date: 01/01/2027 is not before the contract start 01/09/2026\n",
                 id="deadlines, born after"),
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--concluded", "2026-09-02"], "concluded",
                 "le 02/09/2026 est après le début du contrat, le 01/09/2026 : un contrat est conclu (signé) au plus "
                 "tard le jour de son début\n",
                 "error: concluded: 02/09/2026 is after the contract start 01/09/2026: a contract is concluded "
                 "(signed) on or before its first day\n", id="deadlines, concluded after the start"),
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--concluded", "2026-08-20", "--filed-on",
                  "2026-08-19"], "filed-on",
                 "le 19/08/2026 est avant la conclusion du contrat (20/08/2026) : l'employeur dépose auprès de l'OPCO "
                 "un contrat conclu (D6224-1)\n",
                 "error: filed-on: 19/08/2026 is before the contract was concluded (20/08/2026): the employer files a "
                 "concluded contract with the OPCO (D6224-1)\n", id="deadlines, filed before the conclusion"),
    pytest.param(["pay", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--on", "2028-09-01",
                  "--contract-end", "2028-08-31", "--cycle-years", "2"], "on",
                 "le 01/09/2028 est après la fin du contrat (31/08/2028)\n",
                 "error: on: 01/09/2028 is after the contract end (31/08/2028)\n", id="pay, a day after the end"),
    pytest.param(["eligibility", "--birth-date", "1990-01-01", "--contract-start", "2026-09-01", "--derogation",
                  "disabled"], "derogation",
                 "code de dérogation inconnu «\u00a0disabled\u00a0» (codes connus : rqth, ",
                 "error: derogation: unknown code “disabled” (known: rqth, ", id="eligibility, unknown derogation"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "0", "--npec",
                  "8000"], "broken-on-day", "0 : un contrat est rompu au plus tôt le jour de son début\n",
                 "error: broken-on-day: 0: a contract breaks on its first day at the earliest\n",
                 id="participation, day 0"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "10", "--npec",
                  "8000", "--trial-end", "2026-11-10"], "trial-end",
                 "un contrat rompu pendant son essai n'en atteint jamais la fin\n",
                 "error: trial-end: a contract broken during its trial never reaches the trial's end\n",
                 id="participation, a trial end and a break"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--trial-end", "2026-08-19"],
                 "trial-end", "le 19/08/2026 est avant la conclusion du contrat (20/08/2026)\n",
                 "error: trial-end: 19/08/2026 is before the contract was concluded (20/08/2026)\n",
                 id="participation, a trial end before the conclusion"),
]


@pytest.mark.parametrize(("args", "option", "french", "english"), CLI_REFUSALS)
def test_the_rules_refusals_reach_the_cli_in_french_and_in_english_on_request(
        args: list[str], option: str, french: str, english: str) -> None:
    assert refused_in_french(run(*args), option).startswith(french)
    for result in (run(*args, lang="en"), run(*args, "--lang", "en")):  # before the command or after it
        assert result.exit_code == 2
        assert result.stderr.startswith(english), result.stderr
        assert result.stderr.count("\n") == 1


def test_a_level_the_rules_refuse_is_said_in_french_its_source_as_the_rule_file_gives_it() -> None:
    result = run("participation", "--level", "9", "--concluded", "2026-08-20")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "erreur : level : 9 n'est pas un niveau que prépare l'apprentissage (de 3 à 8, Décret n° 2019-14")


@pytest.fixture(scope="module")
def always_at_school() -> ProgrammeCalendar:
    return ProgrammeCalendar((DateRange(date(2026, 1, 1), date(2060, 12, 31)),))


def _previous(*, same: bool = False, end: date = date(2026, 6, 30), year: int = 2,
              pay: str | None = None) -> PreviousContract:
    return PreviousContract(same, end, year, Decimal(pay) if pay is not None else None)


# (the call, its English as it has always been, its French, a ValueError as before)
Call = Callable[[RuleSet, ProgrammeCalendar], object]
DOMAIN_REFUSALS: list[tuple[str, Call, str, str, bool]] = [
    ("deadlines, born after", lambda rules, _: check_contract_dates(START, date(2027, 1, 1), None, None),
     "birth-date: 2027-01-01 is not before the contract start 2026-09-01",
     "birth-date : le 01/01/2027 n'est pas avant le début du contrat, le 01/09/2026", False),
    ("deadlines, concluded after the start",
     lambda rules, _: check_contract_dates(START, None, date(2026, 9, 2), None),
     "concluded: 2026-09-02 is after the contract start 2026-09-01: a contract is concluded (signed) on or before "
     "its first day", "concluded : le 02/09/2026 est après le début du contrat, le 01/09/2026 : un contrat est conclu "
     "(signé) au plus tard le jour de son début", False),
    ("deadlines, filed before the conclusion",
     lambda rules, _: check_contract_dates(START, None, date(2026, 8, 20), date(2026, 8, 19)),
     "filed-on: 2026-08-19 is before the contract was concluded (2026-08-20): the employer files a concluded "
     "contract with the OPCO (D6224-1)", "filed-on : le 19/08/2026 est avant la conclusion du contrat (20/08/2026) : "
     "l'employeur dépose auprès de l'OPCO un contrat conclu (D6224-1)", False),
    ("eligibility, born on the start", lambda rules, _: check_eligibility(rules, START, START),
     "birth_date: 2026-09-01 is not before the contract start 2026-09-01",
     "birth_date : le 01/09/2026 n'est pas avant le début du contrat, le 01/09/2026", True),
    ("eligibility, concluded after the start",
     lambda rules, _: check_eligibility(rules, BORN, START, concluded=date(2026, 9, 2)),
     "concluded: 2026-09-02 is after the contract start 2026-09-01; a contract is concluded (signed) before or on "
     "its start (D6222-1 reads the age at the conclusion)",
     "concluded : le 02/09/2026 est après le début du contrat, le 01/09/2026 ; un contrat est conclu (signé) avant "
     "son début ou le jour même (D6222-1 retient l'âge à la conclusion)", True),
    ("eligibility, concluded at birth", lambda rules, _: check_eligibility(rules, BORN, START, concluded=BORN),
     "concluded: 2005-03-15 is not after the birth date 2005-03-15",
     "concluded : le 15/03/2005 n'est pas après la date de naissance, le 15/03/2005", True),
    ("eligibility, unknown derogation",
     lambda rules, _: check_eligibility(rules, date(1990, 1, 1), START, derogation="disabled"),
     "derogation: unknown code 'disabled' (known: rqth, ",
     "derogation : code de dérogation inconnu «\u00a0disabled\u00a0» (codes connus : rqth, ", True),
    ("pay, an end without its cycle", lambda rules, _: years_counted_from(START, date(2028, 8, 31), None),
     "cycle_years: needed with contract_end (D6222-28-1 compares the contract with its training cycle)",
     "cycle_years : à indiquer avec contract_end (D6222-28-1 compare le contrat à son cycle de formation)", True),
    ("pay, an end on the start", lambda rules, _: years_counted_from(START, START, 3),
     "contract_end: 2026-09-01 is not after the contract start 2026-09-01",
     "contract_end : le 01/09/2026 n'est pas après le début du contrat, le 01/09/2026", True),
    ("pay, a cycle of 0 years", lambda rules, _: years_counted_from(START, date(2028, 8, 31), 0),
     "cycle_years: 0 must be at least 1", "cycle_years : 0 doit valoir au moins 1", True),
    ("pay, born on the start", lambda rules, _: minimum_pay(rules, START, START, START),
     "birth_date: 2026-09-01 is not before the contract start 2026-09-01",
     "birth_date : le 01/09/2026 n'est pas avant le début du contrat, le 01/09/2026", True),
    ("pay, a day before the start", lambda rules, _: minimum_pay(rules, BORN, START, date(2026, 8, 1)),
     "on: 2026-08-01 is before the contract start 2026-09-01",
     "on : le 01/08/2026 est avant le début du contrat, le 01/09/2026", True),
    ("pay, a day after the end", lambda rules, _: minimum_pay(rules, BORN, START, date(2028, 9, 1),
                                                              contract_end=date(2028, 8, 31), cycle_years=2),
     "on: 2028-09-01 is after the contract end 2028-08-31",
     "on : le 01/09/2028 est après la fin du contrat, le 31/08/2028", True),
    ("pay, a previous contract not ended",
     lambda rules, _: minimum_pay(rules, BORN, START, START, previous_contract=_previous(end=START)),
     "previous_contract.end: 2026-09-01 is not before the contract start 2026-09-01",
     "previous_contract.end : le 01/09/2026 n'est pas avant le début du contrat, le 01/09/2026", True),
    ("pay, a previous contract's year 0",
     lambda rules, _: minimum_pay(rules, BORN, START, START, previous_contract=_previous(year=0)),
     "previous_contract.last_year: 0 must be at least 1", "previous_contract.last_year : 0 doit valoir au moins 1",
     True),
    ("pay, the same employer without the pay",
     lambda rules, _: minimum_pay(rules, BORN, START, START, previous_contract=_previous(same=True)),
     "previous_contract.last_year_monthly_gross: with the same employer D6222-29 keeps the pay received in the "
     "previous contract's last year; give it",
     "previous_contract.last_year_monthly_gross : avec le même employeur, D6222-29 maintient le salaire perçu "
     "pendant la dernière année du contrat précédent ; indiquez-le", True),
    ("pay, another employer with the pay",
     lambda rules, _: minimum_pay(rules, BORN, START, START, previous_contract=_previous(pay="1200")),
     "previous_contract.last_year_monthly_gross: with another employer D6222-29 guarantees the minimum the "
     "apprentice could claim in the previous contract's last year (from the grid), not the pay received",
     "previous_contract.last_year_monthly_gross : avec un autre employeur, D6222-29 garantit le minimum auquel "
     "l'apprenti pouvait prétendre pendant la dernière année du contrat précédent (d'après la grille), non le "
     "salaire perçu", True),
    ("pay, nothing paid",
     lambda rules, _: minimum_pay(rules, BORN, START, START, previous_contract=_previous(same=True, pay="0")),
     "previous_contract.last_year_monthly_gross: 0 must be more than 0",
     "previous_contract.last_year_monthly_gross : 0 doit être supérieur à 0", True),
    ("pay schedule, years and an end",
     lambda rules, _: pay_schedule(rules, BORN, START, 2, contract_end=date(2028, 8, 31), cycle_years=2),
     "years: give the contract's length in years or its end (contract_end), not both",
     "years : indiquez la durée du contrat en années ou sa fin (contract_end), pas les deux", True),
    ("pay schedule, 0 years", lambda rules, _: pay_schedule(rules, BORN, START, 0),
     "years: 0 must be at least 1", "years : 0 doit valoir au moins 1", True),
    ("trial end, an inverted range", lambda rules, _: DateRange(date(2026, 10, 9), date(2026, 10, 1)),
     "range: 2026-10-01 is before 2026-10-09", "range : le 01/10/2026 est avant le 09/10/2026", True),
    ("trial end, no room for a trial", lambda rules, school: trial_end(rules, START, school),
     "calendar: fewer than 45 company days in the 20 years after 2026-09-01: check the school periods and absences",
     "calendar : moins de 45 jours en entreprise dans les 20 ans qui suivent le 01/09/2026 : vérifiez les périodes "
     "au CFA et les absences", True),
    ("participation, level 9", lambda rules, _: employer_participation(rules, 9, date(2026, 8, 20)),
     "level: 9 is not a level an apprenticeship prepares (3 to 8, Décret n° 2019-14",
     "level : 9 n'est pas un niveau que prépare l'apprentissage (de 3 à 8, Décret n° 2019-14", False),
    ("participation, day 0", lambda rules, _: employer_participation(
        rules, 7, date(2026, 8, 20), trial_break=TrialBreak(0, Decimal(8000))),
     "broken-on-day: 0: a contract breaks on its first day at the earliest",
     "broken-on-day : 0 : un contrat est rompu au plus tôt le jour de son début", False),
    ("participation, no NPEC", lambda rules, _: employer_participation(
        rules, 7, date(2026, 8, 20), trial_break=TrialBreak(10, Decimal(0))),
     "npec: 0: the funding level is a positive amount in euros",
     "npec : 0 : le niveau de prise en charge (NPEC) est un montant positif en euros", False),
    ("participation, a trial end and a break", lambda rules, _: employer_participation(
        rules, 7, date(2026, 8, 20), trial_break=TrialBreak(10, Decimal(8000)), trial_end=date(2026, 11, 10)),
     "trial-end: a contract broken during its trial never reaches the trial's end",
     "trial-end : un contrat rompu pendant son essai n'en atteint jamais la fin", False),
    ("participation, a trial end before the conclusion", lambda rules, _: employer_participation(
        rules, 7, date(2026, 8, 20), trial_end=date(2026, 8, 19)),
     "trial-end: 2026-08-19 is before the contract was concluded (2026-08-20)",
     "trial-end : le 19/08/2026 est avant la conclusion du contrat (20/08/2026)", False),
]


@pytest.mark.parametrize(("call", "english", "french", "value_error"),
                         [pytest.param(*case[1:], id=case[0]) for case in DOMAIN_REFUSALS])
def test_each_refusal_keeps_its_english_and_is_worded_in_french(
        rules: RuleSet, always_at_school: ProgrammeCalendar, call: Call, english: str, french: str,
        value_error: bool) -> None:
    with pytest.raises(InvalidInput) as refused:
        call(rules, always_at_school)
    error = refused.value
    assert str(error).startswith(english)
    assert is_worded(error.rule)
    assert reason_text(error.said, "fr").startswith(french)
    assert isinstance(error, ValueError) is value_error  # what raised a ValueError still does, nothing else


def test_no_refusal_of_the_rules_is_left_in_english_but_a_rule_file_s_dates() -> None:
    """Every InvalidInput the rules raise is given a Reason; a plain ValueError is only dates.py's, a rule file's
    date (parse_iso_date, which its readers turn into a RuleSetError naming the entry)."""
    english_only, unworded = set(), []
    for path in sorted(Path(rules_package.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name)):
                continue
            name = node.exc.func.id
            if name == "ValueError":
                english_only.add(path.name)
            elif name in {InvalidInput.__name__, InvalidRuleInput.__name__}:
                rule = node.exc.args[1]
                if not (isinstance(rule, ast.Call) and isinstance(rule.func, ast.Name) and rule.func.id == "Reason"):
                    unworded.append(f"{path.name}:{node.lineno}")
    assert english_only == {"dates.py"}
    assert unworded == []


def _asking(language: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                    "headers": [(b"accept-language", language.encode())]})


def test_the_api_answers_a_rules_refusal_422_english_for_programs_and_in_the_caller_s_language(
        rules: RuleSet) -> None:
    with pytest.raises(InvalidRuleInput) as refused:
        minimum_pay(rules, BORN, START, date(2028, 9, 1), contract_end=date(2028, 8, 31), cycle_years=2)
    answer = from_domain(refused.value)
    assert (answer.status, answer.code, answer.field) == (422, "invalid_input", "on")
    french = json.loads(bytes(json_error(answer, _asking("fr-FR,fr;q=0.9")).body))
    english = json.loads(bytes(json_error(answer, _asking("en")).body))
    assert french["message"] == english["message"] == "on: 2028-09-01 is after the contract end 2028-08-31"
    assert french["message_text"] == "on : le 01/09/2028 est après la fin du contrat, le 31/08/2028"
    assert english["message_text"] == "on: 01/09/2028 is after the contract end 31/08/2028"
    assert french["field"] == "on"


def test_what_a_calendar_or_rule_file_reads_is_refused_with_a_reason_worded_in_both_languages() -> None:
    """A programme's calendar is uploaded by CFA staff on the programme's page, the law's file is checked by
    `rules check`: every refusal of what reads them (fields.py's entries, calendar.py, dates.py's dates, the legal
    values' own sections and the rule set) is a Reason, so the page and the CLI say it in French."""
    unworded = []
    for name in ("fields.py", "calendar.py", "dates.py", "parse_sections.py", "ruleset.py"):
        path = Path(rules_package.__file__).parent / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name)
                    and node.exc.func.id in {"RuleSetError", "ValueError"} and node.exc.args):
                continue
            said = node.exc.args[0]
            worded = isinstance(said, ast.Call) and isinstance(said.func, ast.Name) and said.func.id == "Reason"
            passed_on = isinstance(said, ast.Subscript)  # error.args[0]: the Reason it was given
            if not (worded or passed_on):
                unworded.append(f"{name}:{node.lineno}")
    assert unworded == []


@pytest.mark.parametrize(("text", "english", "french"), [
    ('[[school]]\nfrom = 2027-01-10\nto = 2027-01-05\n', "school[1]: to 2027-01-05 is before from 2027-01-10",
     "school[1] : la fin (to, 05/01/2027) est avant le début (from, 10/01/2027)"),
    ('[[school]]\nfrom = 2027-01-01\nto = 2027-01-10\n[[school]]\nfrom = 2027-01-05\nto = 2027-01-20\n',
     "school[2]: from 2027-01-05 overlaps school[1] (2027-01-01 to 2027-01-10)",
     "school[2] : la période qui commence le 05/01/2027 chevauche school[1] (du 01/01/2027 au 10/01/2027)"),
    ('[[school]]\nfrom = "2027-02-30"\nto = 2027-03-10\n',
     "school[1].from: '2027-02-30' is not a date (day or month out of range)",
     "school[1].from : «\u00a02027-02-30\u00a0» n'est pas une date (jour ou mois hors limites)"),
    ('[[school]]\nfrom = "01/02/2027"\nto = 2027-03-10\n',
     "school[1].from: '01/02/2027' is not a date in the form YYYY-MM-DD",
     "school[1].from : «\u00a001/02/2027\u00a0» n'est pas une date de la forme AAAA-MM-JJ"),
    ('[[school]]\nfrom = 2027-01-01\n', "school[1]: missing to", "school[1] : il manque to"),
    ('school = []\n', "school: expected a non-empty array of tables [[school]]",
     "school : une liste non vide de tables [[school]] est attendue"),
    ('review_cadence_months = 0\n[[school]]\nfrom = 2027-01-01\nto = 2027-01-10\n',
     "review_cadence_months: 0 is not a whole number of months of at least 1",
     "review_cadence_months : 0 n'est pas un nombre entier de mois d'au moins 1"),
], ids=["inverted", "overlapping", "no such day", "not ISO", "missing key", "empty list", "cadence"])
def test_a_calendar_file_s_refusal_keeps_its_english_and_is_worded_in_french(
        text: str, english: str, french: str) -> None:
    with pytest.raises(RuleSetError) as refused:
        parse_calendar(tomllib.loads(text))
    assert str(refused.value) == english
    assert reason_text(refused.value.said, "fr") == french
    assert isinstance(refused.value.said, Reason)  # the English is the same Reason's, the API's
