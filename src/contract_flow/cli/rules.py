"""`contract-flow rules`: ask the legal rules a question (pay, eligibility, trial end, deadlines).

Thin: parse the options, call `contract_flow.domain.rules`, print a table or JSON. Bad input prints one line
"error: <field>: <what and why>" on stderr and exits with 2.
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
from contract_flow.domain.errors import InvalidInput
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
from contract_flow.formatting import format_money, format_percent
from contract_flow.rulefiles import load_programme_calendar, load_ruleset

BAD_INPUT = 2
#: Tables for people are in English, as the rest of the CLI (a --lang option is issue 15's).
CLI_LANGUAGE = "en"

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
        raise InvalidInput("birth-date", f"{birth} is not before the contract start {start}")
    return birth, start


def _absence(text: str) -> DateRange:
    first_text, separator, last_text = text.partition(":")
    if not separator:
        raise InvalidInput("absence", f"{text!r} is not FROM:TO (e.g. 2026-10-05:2026-10-09)")
    first, last = parse_date("absence", first_text), parse_date("absence", last_text)
    if last < first:
        raise InvalidInput("absence", f"{text!r} ends before it starts")
    return DateRange(first, last)


@contextmanager
def _bad_input_exits() -> Iterator[None]:
    """Bad input, an unknown derogation or a rule file that cannot answer: one line on stderr, exit code 2."""
    try:
        yield
    except (InvalidInput, ValueError) as problem:
        error(str(problem))
        raise typer.Exit(BAD_INPUT) from None


def _show(data: dict[str, Any], as_json: bool, title: str) -> None:
    """JSON with the result's own field names, or a two-column table for a person."""
    if as_json:
        print_json(data)
        return
    table = Table(title=title, show_header=False)
    for key, value in data.items():
        shown = "\n".join(value) if isinstance(value, list | tuple) else value
        table.add_row(key.replace("_", " "), _for_people(key, shown))
    console.print(table)


def _for_people(key: str, value: object) -> str:
    """A rule's Decimal is a percentage when its name says so (percent, percent_of_smic...), else euros: written
    by the one formatter, in English (the CLI's language); JSON keeps the machine value ("989.52")."""
    if not isinstance(value, Decimal):
        return str(value)
    return format_percent(value, CLI_LANGUAGE) if "percent" in key else format_money(value, CLI_LANGUAGE)


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
        raise InvalidInput("concluded", f"{signed} is after the contract start {start}; a contract is concluded "
                           "(signed) before or on its start")
    return signed


def _contract_end_and_cycle(end_text: str | None, cycle_years: int | None, start: date) -> date | None:
    """--contract-end and --cycle-years, which go together (D6222-28-1 compares the contract with its cycle)."""
    if end_text is None and cycle_years is None:
        return None
    if cycle_years is None:
        raise InvalidInput("cycle-years", "needed with --contract-end (D6222-28-1 compares the contract with its "
                           "training cycle)")
    if end_text is None:
        raise InvalidInput("contract-end", "needed with --cycle-years (D6222-28-1 compares the contract with its "
                           "training cycle)")
    end = parse_date("contract-end", end_text)
    if end <= start:
        raise InvalidInput("contract-end", f"{end} is not after the contract start {start}")
    if cycle_years < 1:
        raise InvalidInput("cycle-years", f"{cycle_years}: a training cycle lasts at least one year")
    return end


def _previous_contract(
    start: date, end_text: str | None, year: int | None, pay_text: str | None, same_employer: bool, no_diploma: bool
) -> PreviousContract | None:
    """D6222-29's previous contract from the --previous-* options, or None when none is given."""
    if end_text is None and year is None and pay_text is None and not same_employer and not no_diploma:
        return None
    if end_text is None:
        raise InvalidInput("previous-contract-end", "needed with the other --previous-* options (D6222-29)")
    if year is None:
        raise InvalidInput("previous-contract-year", "needed with --previous-contract-end: the previous contract's "
                           "year on its last day (D6222-29 reads its last year)")
    end = parse_date("previous-contract-end", end_text)
    if end >= start:
        raise InvalidInput("previous-contract-end", f"{end} is not before the contract start {start}")
    if year < 1:
        raise InvalidInput("previous-contract-year", f"{year} must be at least 1")
    if same_employer and pay_text is None:
        raise InvalidInput("previous-pay", "needed with --previous-same-employer: D6222-29 keeps the pay received "
                           "in the previous contract's last year")
    if not same_employer and pay_text is not None:
        raise InvalidInput("previous-pay", "only with --previous-same-employer: with another employer D6222-29 "
                           "guarantees the minimum the apprentice could claim in that year, computed from the grid")
    received = parse_amount("previous-pay", pay_text) if pay_text is not None else None
    if received is not None and received == 0:
        raise InvalidInput("previous-pay", "must be more than 0")
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
) -> None:
    """Legal minimum monthly gross pay on a day (D6222-26; D6222-28-1 for a contract shorter than its cycle,
    D6222-29 after a previous contract) and the contribution exemption ceiling."""
    with _bad_input_exits():
        birth, start = _birth_and_start(birth_date, contract_start)
        day = parse_date("on", on)
        if day < start:
            raise InvalidInput("on", f"{day} is before the contract start {start}")
        amount = parse_amount("smc", smc) if smc is not None else None
        signed = _concluded(concluded, start)
        end = _contract_end_and_cycle(contract_end, cycle_years, start)
        if end is not None and day > end:
            raise InvalidInput("on", f"{day} is after the contract end {end}")
        previous = _previous_contract(start, previous_contract_end, previous_contract_year, previous_pay,
                                      previous_same_employer, previous_no_diploma)
        result = minimum_pay(_ruleset(), birth, start, day, smc=amount, concluded=signed, contract_end=end,
                             cycle_years=cycle_years, previous_contract=previous)
    _show(asdict(result), json_output, f"Minimum pay on {day}")


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
) -> None:
    """The minimum over the whole contract, one line per period (anniversary, age band, SMIC change); the
    contract ends the day before its --years-th anniversary, or on --contract-end."""
    with _bad_input_exits():
        birth, start = _birth_and_start(birth_date, contract_start)
        if years is not None and years < 1:
            raise InvalidInput("years", f"{years}: a contract lasts at least one year")
        end = _contract_end_and_cycle(contract_end, cycle_years, start)
        if years is not None and end is not None:
            raise InvalidInput("years", "give either --years or --contract-end, not both")
        amount = parse_amount("smc", smc) if smc is not None else None
        previous = _previous_contract(start, previous_contract_end, previous_contract_year, previous_pay,
                                      previous_same_employer, previous_no_diploma)
        periods = pay_schedule(_ruleset(), birth, start, years, smc=amount, contract_end=end,
                               cycle_years=cycle_years, previous_contract=previous)
    if json_output:
        print_json({"periods": [dict(zip(_PERIOD_KEYS, period, strict=True)) for period in periods]})
        return
    table = Table("from", "to", "year", "age band", "%", "reference", "minimum monthly gross", "rule",
                  title=f"Minimum pay from {start}")
    for p in periods:
        table.add_row(str(p.start), str(p.end), str(p.contract_year), p.age_band,
                      format_percent(p.percent, CLI_LANGUAGE), p.reference,
                      format_money(p.minimum_monthly_gross, CLI_LANGUAGE), p.minimum_rule)
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
) -> None:
    """Whether the age allows the contract: L6222-1's 16 to 29 on its start, D6222-1's 35 and one-year window
    (derogations of L6222-2) at its conclusion (--concluded, default the start). Exits 0 either way."""
    with _bad_input_exits():
        birth, start = _birth_and_start(birth_date, contract_start)
        previous = parse_date("previous-contract-end", previous_contract_end) if previous_contract_end else None
        signed = _concluded(concluded, start)
        if signed is not None and signed <= birth:
            raise InvalidInput("concluded", f"{signed} is not after the birth date {birth}")
        verdict = check_eligibility(
            _ruleset(), birth, start, derogation=derogation, previous_contract_end=previous,
            completed_lower_secondary=completed_lower_secondary, concluded=signed,
        )
    _show(asdict(verdict), json_output, "Eligible" if verdict.eligible else "Not eligible")


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
        known = ", ".join(configfiles.programme_codes()) or "none"
        places = " or ".join(str(directory) for directory in configfiles.programme_dirs())
        raise InvalidInput("programme", f"no calendar for {code!r}: no such programme in the database, nor a "
                                        f"file in {places} (files: {known})")
    return load_programme_calendar(code)


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
) -> None:
    """Last day of the trial: the 45th company day from the start (L6222-18)."""
    with _bad_input_exits():
        start = parse_date("contract-start", contract_start)
        if (programme is None) == (calendar is None):
            raise InvalidInput("programme", "give exactly one of --programme CODE or --calendar FILE")
        absences = [_absence(text) for text in absence or []]
        school = _programme_calendar(programme) if programme is not None else load_programme_calendar(
            Path(calendar or ""))
        result = trial_end(_ruleset(), start, school, absences)
    _show(asdict(result), json_output, f"Trial period from {start}")


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
) -> None:
    """OPCO filing (D6224-1) and decision (D6224-2), training start (L6222-12), search without employer
    (L6222-12-1), medical visit (R6222-40-1; R4624-18 for a minor) and hiring-aid filing deadlines.

    Without --birth-date the medical visit is an adult's and `notes` say so. JSON: the keys of the first four
    unchanged, then medical_visit_due, opco_decision_due (null without --filed-on), hiring_aid_filing_due,
    sources_by_deadline (each deadline's own text) and notes.
    """
    with _bad_input_exits():
        start = parse_date("contract-start", contract_start)
        training = parse_date("training-start", training_start) if training_start is not None else None
        birth = parse_date("birth-date", birth_date) if birth_date is not None else None
        filed = parse_date("filed-on", filed_on) if filed_on is not None else None
        signed = parse_date("concluded", concluded) if concluded is not None else None
        result = contract_deadlines(
            _ruleset(), start, birth_date=birth, concluded=signed, filed_on=filed, training_start=training
        )
    named = result.by_name()
    title = f"Deadlines for a contract starting {start}"
    if json_output:
        print_json(asdict(result.base) | {
            "medical_visit_due": result.medical_visit_due.due,
            "opco_decision_due": result.opco_decision_due.due if result.opco_decision_due else None,
            "hiring_aid_filing_due": result.hiring_aid_filing_due.due,
            "sources_by_deadline": {name: deadline.source for name, deadline in named.items()},
            "notes": result.notes,
        })
        return
    shown: dict[str, Any] = {name: deadline.due for name, deadline in named.items()}
    shown["sources"] = [f"{name}: {deadline.source}" for name, deadline in named.items()]
    _show(shown | ({"notes": result.notes} if result.notes else {}), as_json=False, title=title)


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
) -> None:
    """The employer's participation in the funding (L6332-14, R6332-25-1): 750 € from level 6 for a contract
    concluded from 1 July 2025, 200 € after an early break, pro rata for a break during the trial; invoiced at the
    trial's end (R6332-25-2). JSON: amount, invoice_due, reason, sources."""
    with _bad_input_exits():
        signed = parse_date("concluded", concluded)
        if (broken_on_day is None) != (npec is None):
            raise InvalidInput("broken-on-day" if broken_on_day is None else "npec",
                               "a break during the trial is prorated on the NPEC: give --broken-on-day and --npec")
        trial_break = (
            TrialBreak(broken_on_day, parse_amount("npec", npec))
            if broken_on_day is not None and npec is not None else None
        )
        end = parse_date("trial-end", trial_end) if trial_end is not None else None
        result = employer_participation(
            _ruleset(), level, signed, after_break=after_break, trial_break=trial_break, trial_end=end
        )
    _show(asdict(result), json_output, f"Employer participation, level {level}, concluded {signed}")


if TYPE_CHECKING:
    from contract_flow.reference import RulesCheck


@app.command("check")
def check_command(json_output: JsonOption = False) -> None:
    """The rule set's SMIC against the community reference, OpenFisca-France: exit 0 when they agree from 2023
    on, 1 when they disagree or the reference is not installed (it cannot vouch), 2 for a malformed rule file."""
    from contract_flow.reference import check_rules
    from contract_flow.settings import get_settings

    with _bad_input_exits():
        result = check_rules(get_settings().rules_file)
    if json_output:
        print_json(result.as_data())
    else:
        _show_check(result)
    if not result.agrees:
        raise typer.Exit(1)


def _show_check(result: RulesCheck) -> None:
    """Who is compared with whom, then each disagreement with the TOML to paste (plain text: no Rich markup)."""
    smic, reference = result.newest_smic, result.reference
    table = Table(title="Rule set and reference", show_header=False)
    table.add_column()
    table.add_column(overflow="fold")  # a hash or a path cut short identifies nothing
    table.add_row("rule file", str(result.rules_file))
    table.add_row("sha256", result.rules_sha256)
    table.add_row("newest SMIC", f"{format_money(smic.monthly_gross, CLI_LANGUAGE)} from {smic.effective_from} "
                  f"({smic.source})")
    table.add_row("reference", f"openfisca-france {reference.version} ({reference.file})" if reference else "none")
    console.print(table)
    if reference is None:
        error(result.reference_problem or "no reference")
        return
    for message in result.messages():
        print(message, end="\n\n")
    for entry in result.unconfirmed:
        print(f"note: the SMIC of {entry.effective_from} ({format_money(entry.monthly_gross, CLI_LANGUAGE)}) is "
              "newer than what "
              f"openfisca-france {reference.version} vouches for (up to {reference.vouched_until})")
    print(result.summary())
