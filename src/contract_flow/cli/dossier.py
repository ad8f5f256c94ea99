"""Contract dossier commands (the CERFA FA13, issue 14): show, set one section, check, the dossier as JSON.

Labels are the form's own (domain.dossier.FORM), in French by default (`--lang en`); a value is shown as people
write it (a code beside its label, a date, an amount), JSON keeps the codes. A refused change names the field and
the rule, exits non-zero and saves nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json, to_json
from contract_flow.cli.runtime import AsOption, LangOption, OperatorOption, acting, get_app, language
from contract_flow.domain.dossier import SECTION_LABELS, Section
from contract_flow.domain.dossier.form import form_field
from contract_flow.domain.dossier.parse import section_named
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.formatting import format_day, format_money, format_percent

if TYPE_CHECKING:
    from contract_flow.services.dossier import DossierView, SectionView

dossier_app = typer.Typer(help="The contract dossier (CERFA FA13): show, fill a section, check, export.",
                          no_args_is_help=True)
CaseArgument = Annotated[int, typer.Argument(metavar="CASE", help="The case's id.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
ReadAsOption = Annotated[str, typer.Option("--as", help="Read it as this user may (staff, the case's mentor or "
                                                        "apprentice); by default as the operator.")]
#: Exit code of a dossier that may not be signed (the CLI's "refused", cli/__init__.py).
REFUSED = 1
_RATES = frozenset({"rate", "minimum_rate"})

WORDS = {
    "fr": {"title": "Dossier du contrat, cas {case} ({form}), version du cas {version}", "field": "Champ",
           "value": "Valeur", "to_fill": "à remplir", "from_case": "du cas", "read_only": "du cas (case set)",
           "version": "version {version}", "never": "section pré-remplie, jamais enregistrée", "by": "le {at} par {by}",
           "missing": "{count} champ(s) à remplir", "yes": "oui", "no": "non",
           "complete": "Complet : {answer}. Conforme : {answer2}.", "refusals": "Ce qui empêche la signature :",
           "signable": "Le dossier peut être signé.",
           "saved": "cas {case} : section « {section} » enregistrée (version {version}) ; {count} motif(s) "
                    "empêchent encore la signature",
           "written": "dossier du cas {case} écrit dans {file}"},
    "en": {"title": "Contract dossier, case {case} ({form}), case version {version}", "field": "Field",
           "value": "Value", "to_fill": "to fill", "from_case": "the case's", "read_only": "the case's (case set)",
           "version": "version {version}", "never": "pre-filled, never saved", "by": "on {at} by {by}",
           "missing": "{count} field(s) to fill", "yes": "yes", "no": "no",
           "complete": "Complete: {answer}. Lawful: {answer2}.", "refusals": "What stops the signature:",
           "signable": "The dossier may be signed.",
           "saved": "case {case}: section “{section}” saved (version {version}); {count} reason(s) still stop the "
                    "signature",
           "written": "dossier of case {case} written to {file}"},
}


def _shown(value: object, key: str, codes_of: Section, lang: str) -> str:
    """A typed value as people read it: a code with its label, yes or no, a date, an amount, a rate."""
    words = WORDS[lang]
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, date):
        return format_day(value, lang, "short")
    if isinstance(value, Decimal):
        return format_percent(value, lang) if key.rpartition(".")[2] in _RATES else format_money(value, lang)
    text = str(value)
    codes = form_field(codes_of, key.split(".", 1)[1] if codes_of in (Section.MENTORS, Section.PAY) else key).codes
    if codes is None or text not in codes or codes.label(text, lang) == text:
        return text
    return f"{text} — {codes.label(text, lang)}"


def _section_table(part: SectionView, lang: str) -> Table:
    from contract_flow.services.dossier_assembly import field_value
    from contract_flow.services.views import field_label, form_keys

    words = WORDS[lang]
    saved = (words["version"].format(version=part.version) + ", " + words["by"].format(
        at=format_day(part.updated_at, lang, "short"), by=part.updated_by)) if part.updated_at else words["never"]
    title = f"{SECTION_LABELS[part.section].in_language(lang)} ({saved}"
    semicolon = " ; " if lang == "fr" else "; "  # French puts a space before the semicolon
    title += f"{semicolon}{words['missing'].format(count=len(part.missing))})" if part.missing else ")"
    table = Table(words["field"], words["value"], "", title=title, title_justify="left")
    missing = {absent.field for absent in part.missing}
    count = len(part.value) if isinstance(part.value, tuple) else 1
    for key in form_keys(part.section, count):
        found = field_value(part.value, key)
        name = f"{part.section}.{key}"
        shown = _shown(found, key, part.section, lang) if found is not None else (
            f"[bold]{words['to_fill']}[/bold]" if name in missing else "")
        note = words["read_only"] if key in part.read_only else words["from_case"] if key in part.from_case else ""
        table.add_row(field_label(part.section, key, lang), shown, note)
    return table


def _print_refusals(view: DossierView, lang: str, section: Section | None = None) -> None:
    """What stops the signature (of `section`'s fields only, when one is chosen)."""
    from contract_flow.services.views import field_name_label, refusal_text

    words = WORDS[lang]
    shown = [refusal for refusal in view.refusals
             if section is None or refusal.field.partition(".")[0] == section.value]
    if not view.refusals:
        console.print(words["signable"])
        return
    if shown:
        console.print(words["refusals"])
    colon = " :" if lang == "fr" else ":"  # French puts a space before the colon
    for refusal in shown:
        console.print(f"- {refusal.field} ({field_name_label(refusal.field, lang)}){colon} "
                      f"{refusal_text(refusal, lang)} ({refusal.article})", markup=False, highlight=False,
                      soft_wrap=True)


@dossier_app.command("show")
def dossier_show(
    case_id: CaseArgument,
    section: Annotated[str | None, typer.Option(help="Only this section: employer, apprentice, mentors, "
                                                     "contract, pay, training.")] = None,
    as_: ReadAsOption = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The dossier section by section, the form's labels beside each value, what is missing, what stops the
    signature (each field with its article)."""
    from contract_flow.services.dossier import show_dossier
    from contract_flow.services.views import FORM_NAME, dossier_as_dict

    chosen = section_named(section) if section is not None else None
    chosen_language = language(lang)
    view = show_dossier(get_app(), case_id, actor_email=as_)
    if json_output:
        print_json(dossier_as_dict(view, chosen_language, chosen))
        return
    words = WORDS[chosen_language]
    console.print(words["title"].format(case=case_id, form=FORM_NAME, version=view.case_version), markup=False,
                  highlight=False, soft_wrap=True)
    for name, part in view.sections.items():
        if chosen is None or name is chosen:
            console.print(_section_table(part, chosen_language))
    answer = words["yes"] if view.complete else words["no"]
    console.print(words["complete"].format(answer=answer, answer2=words["yes"] if view.lawful else words["no"]))
    _print_refusals(view, chosen_language, chosen)


def _pairs(pairs: list[str]) -> dict[str, str]:
    """`key=value` as typed (an empty value empties the field)."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("values", Reason("not_key_value", typed=Typed(pair),
                                                example="siret=73282932000074, 1.rate=53"))
        found[key.strip()] = value
    return found


@dossier_app.command("set")
def dossier_set(
    case_id: CaseArgument,
    section: Annotated[str, typer.Argument(help="employer, apprentice, mentors, contract, pay or training.")],
    pairs: Annotated[list[str], typer.Argument(metavar="KEY=VALUE...", help=(
        "Fields of the section (`dossier show --json` names them; mentors and pay lines numbered: 1.last_name, "
        "2.rate); an empty value empties one."))],
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: Annotated[int | None, typer.Option(help="Refuse if the section is no longer at this version "
                                                     "(0: never saved).")] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Fill or correct one section; the whole section is checked and nothing is saved when a field is refused.
    The values the case holds (dates, employer, mentor, pay, hours) are recorded on the case too."""
    from contract_flow.services.dossier import set_section
    from contract_flow.services.views import dossier_as_dict

    chosen = section_named(section)  # what was typed is checked before who typed it
    values = _pairs(pairs)
    chosen_language = language(lang)
    view = set_section(get_app(), case_id, chosen, values, actor_email=acting(as_, operator),
                       expected_version=version)
    if json_output:
        print_json(dossier_as_dict(view, chosen_language, chosen))
        return
    label = SECTION_LABELS[chosen].in_language(chosen_language)
    console.print(WORDS[chosen_language]["saved"].format(case=case_id, section=label,
                                                        version=view.sections[chosen].version,
                                                        count=len(view.refusals)), markup=False, highlight=False,
                  soft_wrap=True)


@dossier_app.command("check")
def dossier_check(
    case_id: CaseArgument,
    as_: ReadAsOption = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """What stops the signature, each field with the rule and its article; exits 1 when anything does."""
    from contract_flow.services.dossier import show_dossier
    from contract_flow.services.views import field_name_label, refusal_text

    chosen_language = language(lang)
    view = show_dossier(get_app(), case_id, actor_email=as_)
    if json_output:
        print_json({"case_id": case_id, "complete": view.complete, "lawful": view.lawful,
                    "refusals": [{"field": refusal.field, "label": field_name_label(refusal.field, chosen_language),
                                  "reason": refusal.reason, "reason_text": refusal_text(refusal, chosen_language),
                                  "article": refusal.article}
                                 for refusal in view.refusals]})
    else:
        _print_refusals(view, chosen_language)
    if view.refusals:
        raise typer.Exit(REFUSED)


@dossier_app.command("json")
def dossier_json(
    case_id: CaseArgument,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write it to this file (default: print "
                                                                        "it).")] = None,
    as_: ReadAsOption = "system",
    lang: LangOption = None,
    version: Annotated[int | None, typer.Option("--version", min=1, max=2**31 - 1, help=(
        "A kept version (1: as signed, then one per amendment: `dossier versions`), as it was kept: every field "
        "of the form with its labels and value, the API's dossier.json."))] = None,
) -> None:
    """The dossier as data: each section's values by key (codes, ISO dates, amounts as text) and its version; with
    --version, a kept version as it was kept."""
    from contract_flow.services.dossier import show_dossier
    from contract_flow.services.dossier_downloads import dossier_json_of
    from contract_flow.services.views import dossier_document

    chosen_language = language(lang)
    if version is not None:
        document = dossier_json_of(get_app(), case_id, actor_email=as_, version=version)
    else:
        document = dossier_document(show_dossier(get_app(), case_id, actor_email=as_))
    if output is None:
        print_json(document)
        return
    try:
        output.write_text(to_json(document) + "\n", encoding="utf-8")
    except OSError as problem:
        raise InvalidInput("--output", Reason("cannot_write", file=str(output), problem=problem.strerror)) from None
    console.print(WORDS[chosen_language]["written"].format(case=case_id, file=output), markup=False,
                  highlight=False, soft_wrap=True)
