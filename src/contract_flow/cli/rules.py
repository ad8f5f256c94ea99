"""`contract-flow rules`: ask the legal rules a question (pay, eligibility, trial end, deadlines).

Thin: parse the options, call `contract_flow.domain.rules`, print a table or JSON. The tables are in French by
default (`--lang en`, before the command or after it): their words in `contract_flow.rules_words`, days, amounts
and rates through the one formatter; JSON keeps the codes, ISO dates and plain numbers. Bad input prints one line
"erreur : <champ> : <quoi et pourquoi>" ("error: <field>: ...") on stderr and exits with 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from contract_flow.cli.output import console, error, print_json
from contract_flow.cli.runtime import LangOption, language
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Label, Reason, Typed
from contract_flow.domain.rules import (
    DateRange,
    PayPeriod,
    PreviousContract,
    ProgrammeCalendar,
    RuleSet,
    TrialBreak,
    check_eligibility,
    contract_deadlines,
    employer_participation,
    minimum_pay,
    pay_schedule,
    trial_end,
)
from contract_flow.domain.values import parse_amount, parse_date
from contract_flow.formatting import format_day, format_money, format_number, format_percent
from contract_flow.rulefiles import load_programme_calendar, load_ruleset
from contract_flow.rules_words import MISSING, VALUE_NAMES, WORDS
from contract_flow.wording import reason_text

BAD_INPUT = 2

app = typer.Typer(
    help="The legal rules (rules/fr.toml): minimum pay, age eligibility, trial end, deadlines.",
    no_args_is_help=True,
)

BirthDate = Annotated[str, typer.Option("--birth-date", help="The apprentice's birth date, YYYY-MM-DD.")]
ContractStart = Annotated[str, typer.Option("--contract-start", help="First day of the contract, YYYY-MM-DD.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SmcOption = Annotated[
    str | None, typer.Option("--smc", help="Collective agreement minimum (SMC), monthly gross in euros.")
]
# a period's JSON keys: its own field names, with from/to for its first and last days
_PERIOD_KEYS = ("from", "to", *PayPeriod._fields[2:])


def _ruleset() -> RuleSet:
    """The rule set the settings name (`rules_file`, so `--config` applies here too)."""
    from contract_flow.settings import get_settings

    return load_ruleset(get_settings().rules_file)


def _birth_and_start(birth_text: str, start_text: str) -> tuple[date, date]:
    birth, start = parse_date("birth-date", birth_text), parse_date("contract-start", start_text)
    if birth >= start:
        raise InvalidInput("birth-date", Reason("not_before_start", day=birth, start=start))
    return birth, start


def _absence(text: str) -> DateRange:
    first_text, separator, last_text = text.partition(":")
    if not separator:
        raise InvalidInput("absence", Reason("not_from_to", typed=Typed(text), example="2026-10-05:2026-10-09"))
    first, last = parse_date("absence", first_text), parse_date("absence", last_text)
    if last < first:
        raise InvalidInput("absence", Reason("before_first_day", last=last, first=first))
    return DateRange(first, last)


@contextmanager
def _bad_input_exits(lang: str) -> Iterator[None]:
    """Bad input, an unknown derogation or a rule file that cannot answer: one line on stderr in `lang`, exit code 2.

    The root command says an InvalidInput the same way, but in the language given before the command, not in a
    `--lang` given after it; and a ValueError of the domain (a rule set that cannot answer) is bad input here.
    The rules' refusals of what was given (InvalidInput) and a rule file's problem (RuleSetError) are said in
    `lang` through their `said`; the few legal-value sections' messages that exist only in English stay so.
    """
    try:
        yield
    except (InvalidInput, ValueError) as problem:
        said = getattr(problem, "said", str(problem))
        error(reason_text(said, lang), lang)
        raise typer.Exit(BAD_INPUT) from None


def _show(data: dict[str, Any], as_json: bool, title: str, lang: str) -> None:
    """JSON with the result's own field names, or a two-column table for a person: each value named in `lang`."""
    if as_json:
        print_json(data)
        return
    names = VALUE_NAMES[lang]
    table = Table(title=title, show_header=False)
    for key, value in data.items():
        table.add_row(names.get(key, key.replace("_", " ")), _for_people(key, value, lang))
    console.print(table)


def _for_people(key: str, value: object, lang: str) -> str:
    """A value as people of `lang` write it, by the one formatter: a day 01/09/2024, a Decimal a rate when its name
    says so (percent, percent_of_smic...) else euros ("1 112,05 €"), a number, oui/non, "—" for none, a list one
    per line; a reason worded in both languages in `lang`, a source as the rule file gives it. JSON keeps the
    machine values ("989.52", "2024-09-01", null)."""
    if isinstance(value, list | tuple):
        return "\n".join(_for_people(key, part, lang) for part in value)
    if value is None or isinstance(value, bool):  # before int: a bool is one
        return MISSING if value is None else WORDS[lang]["yes" if value else "no"]
    if isinstance(value, Decimal):
        return format_percent(value, lang) if "percent" in key else format_money(value, lang)
    if isinstance(value, date):
        return format_day(value, lang, "short")
    if isinstance(value, int):
        return format_number(value, lang)
    return reason_text(value, lang) if isinstance(value, str) else str(value)


# The options of `pay`, `pay-schedule` and `eligibility` for contracts that are not a whole first contract.
ConcludedOption = Annotated[
    str | None, typer.Option("--concluded", help="Day the contract was concluded (signed), YYYY-MM-DD; default: "
                             "the start.")
]
ContractEnd = Annotated[
    str | None, typer.Option("--contract-end", help="Last day of the contract, YYYY-MM-DD (with --cycle-years: "
                             "D6222-28-1 counts a shorter contract's difference with its cycle as served).")
]
CycleYears = Annotated[
    int | None, typer.Option("--cycle-years", help="Length of the training cycle in years (with --contract-end).")
]
PreviousEnd = Annotated[
    str | None, typer.Option("--previous-contract-end", help="Last day of the previous contract, YYYY-MM-DD.")
]
PreviousYear = Annotated[
    int | None, typer.Option("--previous-contract-year", help="D6222-29: the previous contract's year on its last "
                             "day (its last year), with --previous-contract-end.")
]
PreviousPay = Annotated[
    str | None, typer.Option("--previous-pay", help="D6222-29, same employer: monthly gross received in the "
                             "previous contract's last year.")
]
PreviousSameEmployer = Annotated[
    bool, typer.Option("--previous-same-employer", help="D6222-29: the previous contract was with this employer "
                       "(default: another employer).")
]
PreviousNoDiploma = Annotated[
    bool, typer.Option("--previous-no-diploma", help="The previous contract did not lead to its diploma "
                       "(D6222-29 then sets no floor).")
]


def _concluded(text: str | None, start: date) -> date | None:
    """A conclusion date, never after the start: a contract is concluded (signed) before or on its start."""
    if text is None:
        return None
    signed = parse_date("concluded", text)
    if signed > start:
        raise InvalidInput("concluded", Reason("concluded_after_start", signed=signed, start=start))
    return signed


def _contract_end_and_cycle(end_text: str | None, cycle_years: int | None, start: date) -> date | None:
    """--contract-end and --cycle-years, which go together (D6222-28-1 compares the contract with its cycle)."""
    if end_text is None and cycle_years is None:
        return None
    if cycle_years is None:
        raise InvalidInput("cycle-years", Reason("needed_with_cycle", option="--contract-end"))
    if end_text is None:
        raise InvalidInput("contract-end", Reason("needed_with_cycle", option="--cycle-years"))
    end = parse_date("contract-end", end_text)
    if end <= start:
        raise InvalidInput("contract-end", Reason("not_after_start", day=end, start=start))
    if cycle_years < 1:
        raise InvalidInput("cycle-years", Reason("cycle_at_least_a_year", years=cycle_years))
    return end


def _previous_contract(
    start: date, end_text: str | None, year: int | None, pay_text: str | None, same_employer: bool, no_diploma: bool
) -> PreviousContract | None:
    """D6222-29's previous contract from the --previous-* options, or None when none is given."""
    if end_text is None and year is None and pay_text is None and not same_employer and not no_diploma:
        return None
    if end_text is None:
        raise InvalidInput("previous-contract-end", Reason("previous_end_needed"))
    if year is None:
        raise InvalidInput("previous-contract-year", Reason("previous_year_needed"))
    end = parse_date("previous-contract-end", end_text)
    if end >= start:
        raise InvalidInput("previous-contract-end", Reason("not_before_start", day=end, start=start))
    if year < 1:
        raise InvalidInput("previous-contract-year", Reason("not_positive", value=year))
    if same_employer and pay_text is None:
        raise InvalidInput("previous-pay", Reason("previous_pay_needed"))
    if not same_employer and pay_text is not None:
        raise InvalidInput("previous-pay", Reason("previous_pay_other_employer"))
    received = parse_amount("previous-pay", pay_text) if pay_text is not None else None
    if received is not None and received == 0:
        raise InvalidInput("previous-pay", Reason("not_positive", value=Typed(pay_text or "")))
    return PreviousContract(same_employer, end, year, received, led_to_diploma=not no_diploma)


@app.command("pay")
def pay(
    *,
    birth_date: BirthDate,
    contract_start: ContractStart,
    on: Annotated[str, typer.Option("--on", help="The day to compute the minimum for, YYYY-MM-DD.")],
    smc: SmcOption = None,
    concluded: ConcludedOption = None,
    contract_end: ContractEnd = None,
    cycle_years: CycleYears = None,
    previous_contract_end: PreviousEnd = None,
    previous_contract_year: PreviousYear = None,
    previous_pay: PreviousPay = None,
    previous_same_employer: PreviousSameEmployer = False,
    previous_no_diploma: PreviousNoDiploma = False,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Legal minimum monthly gross pay on a day (D6222-26; D6222-28-1 for a contract shorter than its cycle,
    D6222-29 after a previous contract) and the contribution exemption ceiling."""
    chosen = language(lang)
    with _bad_input_exits(chosen):
        birth, start = _birth_and_start(birth_date, contract_start)
        day = parse_date("on", on)
        if day < start:
            raise InvalidInput("on", Reason("review_before_start", day=day, start=start))
        amount = parse_amount("smc", smc) if smc is not None else None
        signed = _concluded(concluded, start)
        end = _contract_end_and_cycle(contract_end, cycle_years, start)
        if end is not None and day > end:
            raise InvalidInput("on", Reason("review_after_end", day=day, end=end))
        previous = _previous_contract(start, previous_contract_end, previous_contract_year, previous_pay,
                                      previous_same_employer, previous_no_diploma)
        result = minimum_pay(_ruleset(), birth, start, day, smc=amount, concluded=signed, contract_end=end,
                             cycle_years=cycle_years, previous_contract=previous)
    _show(asdict(result), json_output, WORDS[chosen]["pay_title"].format(day=format_day(day, chosen)), chosen)


@app.command("pay-schedule")
def pay_schedule_command(
    birth_date: BirthDate,
    contract_start: ContractStart,
    years: Annotated[
        int | None, typer.Option("--years", help="Length of the contract in years (default 3; or --contract-end).")
    ] = None,
    smc: SmcOption = None,
    contract_end: ContractEnd = None,
    cycle_years: CycleYears = None,
    previous_contract_end: PreviousEnd = None,
    previous_contract_year: PreviousYear = None,
    previous_pay: PreviousPay = None,
    previous_same_employer: PreviousSameEmployer = False,
    previous_no_diploma: PreviousNoDiploma = False,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The minimum over the whole contract, one line per period (anniversary, age band, SMIC change); the
    contract ends the day before its --years-th anniversary, or on --contract-end."""
    chosen = language(lang)
    with _bad_input_exits(chosen):
        birth, start = _birth_and_start(birth_date, contract_start)
        if years is not None and years < 1:
            raise InvalidInput("years", Reason("contract_at_least_a_year", years=years))
        end = _contract_end_and_cycle(contract_end, cycle_years, start)
        if years is not None and end is not None:
            raise InvalidInput("years", Reason("one_of_options", first="--years", second="--contract-end"))
        amount = parse_amount("smc", smc) if smc is not None else None
        previous = _previous_contract(start, previous_contract_end, previous_contract_year, previous_pay,
                                      previous_same_employer, previous_no_diploma)
        periods = pay_schedule(_ruleset(), birth, start, years, smc=amount, contract_end=end,
                               cycle_years=cycle_years, previous_contract=previous)
    if json_output:
        print_json({"periods": [dict(zip(_PERIOD_KEYS, period, strict=True)) for period in periods]})
        return
    words = WORDS[chosen]
    table = Table(*(words[column] for column in ("from", "to", "year", "age_band", "percent", "reference",
                                                 "minimum", "rule")),
                  title=words["schedule_title"].format(day=format_day(start, chosen)))
    for p in periods:
        table.add_row(format_day(p.start, chosen, "short"), format_day(p.end, chosen, "short"),
                      format_number(p.contract_year, chosen), p.age_band, format_percent(p.percent, chosen),
                      p.reference, format_money(p.minimum_monthly_gross, chosen), p.minimum_rule)
    console.print(table)


@app.command("eligibility")
def eligibility(
    *,
    birth_date: BirthDate,
    contract_start: ContractStart,
    derogation: Annotated[str | None, typer.Option("--derogation", help="Derogation code (L6222-2).")] = None,
    previous_contract_end: Annotated[
        str | None, typer.Option("--previous-contract-end", help="End of the previous contract, YYYY-MM-DD.")
    ] = None,
    completed_lower_secondary: Annotated[
        bool, typer.Option("--completed-lower-secondary", help="Lower secondary school (collège) completed.")
    ] = False,
    concluded: ConcludedOption = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Whether the age allows the contract: L6222-1's 16 to 29 on its start, D6222-1's 35 and one-year window
    (derogations of L6222-2) at its conclusion (--concluded, default the start). Exits 0 either way."""
    chosen = language(lang)
    with _bad_input_exits(chosen):
        birth, start = _birth_and_start(birth_date, contract_start)
        previous = parse_date("previous-contract-end", previous_contract_end) if previous_contract_end else None
        signed = _concluded(concluded, start)
        if signed is not None and signed <= birth:
            raise InvalidInput("concluded", Reason("not_after_birth", day=signed, born=birth))
        verdict = check_eligibility(
            _ruleset(), birth, start, derogation=derogation, previous_contract_end=previous,
            completed_lower_secondary=completed_lower_secondary, concluded=signed,
        )
    _show(asdict(verdict), json_output, WORDS[chosen]["eligible_title" if verdict.eligible else "not_eligible_title"],
          chosen)


def _programme_calendar(code: str) -> ProgrammeCalendar:
    """The calendar of programme `code`, whatever its capitals: the one stored with it in the database (the one
    its cases use), else its programmes/<code>.toml, the site's or the package's (configfiles: the rules answer
    without a database too)."""
    import sqlalchemy.exc

    from contract_flow import configfiles
    from contract_flow.cli.runtime import get_app
    from contract_flow.domain.errors import NotFound
    from contract_flow.services.common import programme_code
    from contract_flow.services.directory import programme_calendar_of

    code = programme_code(code)
    try:
        return programme_calendar_of(get_app(), code)
    except NotFound:
        pass
    except sqlalchemy.exc.DBAPIError as exc:
        text = str(exc.orig)
        if not ("no such table" in text or "no such column" in text or "does not exist" in text):
            raise
    if configfiles.programme_file(code) is None:
        known = tuple(configfiles.programme_codes()) or Label(fr="aucun", en="none")
        places = _either([str(directory) for directory in configfiles.programme_dirs()])
        raise InvalidInput("programme", Reason("no_programme_calendar", typed=Typed(code), places=places,
                                               known=known))
    return load_programme_calendar(code)


def _either(places: list[str]) -> str:
    """«A ou B», «A or B»: the places joined by the reader's «or» (domain.reason_texts' `either`)."""
    if len(places) <= 1:
        return "".join(places)
    return Reason("either", first=places[0], rest=_either(places[1:]))


@app.command("trial-end")
def trial_end_command(
    contract_start: ContractStart,
    programme: Annotated[str | None, typer.Option(
        "--programme", help="Programme code, any capitals (the database's, else programmes/<code>.toml).")] = None,
    calendar: Annotated[str | None, typer.Option("--calendar", help="A TOML file of [[school]] periods.")] = None,
    absence: Annotated[
        list[str] | None, typer.Option("--absence", help="Absence from the company, FROM:TO (repeatable).")
    ] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Last day of the trial: the 45th company day from the start (L6222-18)."""
    chosen = language(lang)
    with _bad_input_exits(chosen):
        start = parse_date("contract-start", contract_start)
        if (programme is None) == (calendar is None):
            raise InvalidInput("programme", Reason("exactly_one_of", first="--programme CODE",
                                                   second=Label(fr="--calendar FICHIER", en="--calendar FILE")))
        absences = [_absence(text) for text in absence or []]
        school = _programme_calendar(programme) if programme is not None else load_programme_calendar(
            Path(calendar or ""))
        result = trial_end(_ruleset(), start, school, absences)
    _show(asdict(result), json_output, WORDS[chosen]["trial_title"].format(day=format_day(start, chosen)), chosen)


@app.command("deadlines")
def deadlines_command(
    contract_start: ContractStart,
    training_start: Annotated[
        str | None, typer.Option("--training-start", help="Start of CFA training, YYYY-MM-DD.")
    ] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="The apprentice's birth date (a minor's visit is due sooner).")
    ] = None,
    filed_on: Annotated[
        str | None, typer.Option("--filed-on", help="Day the OPCO received the complete file, YYYY-MM-DD.")
    ] = None,
    concluded: Annotated[
        str | None, typer.Option("--concluded", help="Day the contract was concluded (default: the start).")
    ] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """OPCO filing (D6224-1) and decision (D6224-2), training start (L6222-12), search without employer
    (L6222-12-1), medical visit (R6222-40-1; R4624-18 for a minor) and hiring-aid filing deadlines.

    Without --birth-date the medical visit is an adult's and `notes` say so. JSON: the keys of the first four
    unchanged, then medical_visit_due, opco_decision_due (null without --filed-on), hiring_aid_filing_due,
    sources_by_deadline (each deadline's own text) and notes.
    """
    chosen = language(lang)
    with _bad_input_exits(chosen):
        start = parse_date("contract-start", contract_start)
        training = parse_date("training-start", training_start) if training_start is not None else None
        birth = parse_date("birth-date", birth_date) if birth_date is not None else None
        filed = parse_date("filed-on", filed_on) if filed_on is not None else None
        signed = parse_date("concluded", concluded) if concluded is not None else None
        result = contract_deadlines(
            _ruleset(), start, birth_date=birth, concluded=signed, filed_on=filed, training_start=training
        )
    named = result.by_name()
    if json_output:
        print_json(asdict(result.base) | {
            "medical_visit_due": result.medical_visit_due.due,
            "opco_decision_due": result.opco_decision_due.due if result.opco_decision_due else None,
            "hiring_aid_filing_due": result.hiring_aid_filing_due.due,
            "sources_by_deadline": {name: deadline.source for name, deadline in named.items()},
            "notes": result.notes,
        })
        return
    names, colon = VALUE_NAMES[chosen], WORDS[chosen]["colon"]
    shown: dict[str, Any] = {name: deadline.due for name, deadline in named.items()}
    shown["sources"] = [f"{names[name]}{colon} {deadline.source}" for name, deadline in named.items()]
    title = WORDS[chosen]["deadlines_title"].format(day=format_day(start, chosen))
    _show(shown | ({"notes": result.notes} if result.notes else {}), as_json=False, title=title, lang=chosen)


@app.command("participation")
def participation_command(
    *,
    level: Annotated[int, typer.Option("--level", help="Level of the certification prepared, 3 to 8.")],
    concluded: Annotated[str, typer.Option("--concluded", help="Day the contract was concluded, YYYY-MM-DD.")],
    after_break: Annotated[
        bool, typer.Option("--after-break", help="A new contract with another employer after an early break.")
    ] = False,
    broken_on_day: Annotated[
        int | None, typer.Option("--broken-on-day", help="Broken during the trial on this day of the contract.")
    ] = None,
    npec: Annotated[
        str | None, typer.Option("--npec", help="The certification's yearly funding level (NPEC), in euros.")
    ] = None,
    trial_end: Annotated[
        str | None, typer.Option("--trial-end", help="Last day of the trial, when the CFA invoices, YYYY-MM-DD.")
    ] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The employer's participation in the funding (L6332-14, R6332-25-1): 750 € from level 6 for a contract
    concluded from 1 July 2025, 200 € after an early break, pro rata for a break during the trial; invoiced at the
    trial's end (R6332-25-2). JSON: amount, invoice_due, reason, sources."""
    chosen = language(lang)
    with _bad_input_exits(chosen):
        signed = parse_date("concluded", concluded)
        if (broken_on_day is None) != (npec is None):
            raise InvalidInput("broken-on-day" if broken_on_day is None else "npec",
                               Reason("trial_break_needs_npec"))
        trial_break = (
            TrialBreak(broken_on_day, parse_amount("npec", npec))
            if broken_on_day is not None and npec is not None else None
        )
        end = parse_date("trial-end", trial_end) if trial_end is not None else None
        result = employer_participation(
            _ruleset(), level, signed, after_break=after_break, trial_break=trial_break, trial_end=end
        )
    title = WORDS[chosen]["participation_title"].format(level=level, day=format_day(signed, chosen))
    _show(asdict(result), json_output, title, chosen)


if TYPE_CHECKING:
    from contract_flow.reference import RulesCheck


@app.command("check")
def check_command(json_output: JsonOption = False, lang: LangOption = None) -> None:
    """The rule set's SMIC against the community reference, OpenFisca-France: exit 0 when they agree from 2023
    on, 1 when they disagree or the reference is not installed (it cannot vouch), 2 for a malformed rule file."""
    from contract_flow.reference import check_rules
    from contract_flow.settings import get_settings

    chosen = language(lang)
    with _bad_input_exits(chosen):
        result = check_rules(get_settings().rules_file)
    if json_output:
        print_json(result.as_data())
    else:
        _show_check(result, chosen)
    if not result.agrees:
        raise typer.Exit(1)


def _show_check(result: RulesCheck, lang: str) -> None:
    """Who is compared with whom, then each disagreement with the TOML to paste (plain text: no Rich markup). The
    disagreements and the summary are the checker's (contract_flow.reference), in the reader's language; the TOML
    to paste is TOML."""
    words = WORDS[lang]
    smic, reference = result.newest_smic, result.reference
    table = Table(title=words["check_title"], show_header=False)
    table.add_column()
    table.add_column(overflow="fold")  # a hash or a path cut short identifies nothing
    table.add_row(words["rules_file"], str(result.rules_file))
    table.add_row("sha256", result.rules_sha256)
    table.add_row(words["newest_smic"], words["smic_from"].format(
        amount=format_money(smic.monthly_gross, lang), day=format_day(smic.effective_from, lang, "short"),
        source=smic.source))
    table.add_row(words["reference"],
                  f"openfisca-france {reference.version} ({reference.file})" if reference else words["none"])
    console.print(table)
    if reference is None:
        error(reason_text(result.reference_problem, lang) if result.reference_problem else words["no_reference"],
              lang)
        return
    for message in result.messages(lang):
        print(message, end="\n\n")
    for entry in result.unconfirmed:
        print(words["unconfirmed"].format(
            day=format_day(entry.effective_from, lang, "short"), amount=format_money(entry.monthly_gross, lang),
            version=reference.version, until=format_day(reference.vouched_until, lang, "short")))
    print(result.summary(lang))
