"""`contract-flow dossier file|decision|filing`: the signed contract's filing with the OPCO and the OPCO's answer
(issue 14, item 6), on the dossier group (registered by importing this module).

French by default (`--lang en`), `--json` for programs. A refusal names the field and the rule and saves nothing:
exit 2 for a malformed value, 1 for what the case's situation does not allow yet (a decision before the filing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from contract_flow.cli.dossier import CaseArgument, JsonOption, ReadAsOption, dossier_app
from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import AsOption, LangOption, OperatorOption, acting, get_app, language, option_date
from contract_flow.formatting import format_day
from contract_flow.wording import colon

if TYPE_CHECKING:
    from contract_flow.bootstrap import App
    from contract_flow.domain.filing import Filing
    from contract_flow.services.filing import FilingCounts

WORDS = {
    "fr": {
        "not_filed": "pas encore déposé auprès de l’OPCO",
        "waiting": "déposé auprès {of_opco} le {filed} ; décision attendue au plus tard le {due} (D6224-2)",
        "accepted": "accepté par {opco} le {decided}, numéro DECA {deca}",
        "refused": "refusé par {opco} le {decided} : {reason} ; à corriger puis déposer à nouveau",
        "refused_silence": "refusé par le silence {of_opco} : aucune décision au {due}, 20 jours après le dépôt "
                           "du {filed} (D6224-2, L231-4 CRPA) ; à déposer à nouveau",
        "case": "cas {case} : contrat {status}",
        "to_fix": "À corriger dans le dossier :",
    },
    "en": {
        "not_filed": "not filed with the OPCO yet",
        "waiting": "filed with {opco} on {filed}; decision due by {due} (D6224-2)",
        "accepted": "accepted by {opco} on {decided}, DECA number {deca}",
        "refused": "refused by {opco} on {decided}: {reason}; fix it, then file it again",
        "refused_silence": "refused by the silence of {opco}: no decision by {due}, 20 days after the filing on "
                           "{filed} (D6224-2, CRPA L231-4); file it again",
        "case": "case {case}: contract {status}",
        "to_fix": "To fix in the dossier:",
    },
}


def _day(value: object, lang: str) -> str:
    return format_day(value, lang) if value is not None else "?"


def _of(name: str | None) -> str:
    """French "de" before the OPCO's name, elided before a vowel: «d’OPCO 2i», «de Constructys», «de l’OPCO»."""
    if not name:
        return "de l’OPCO"
    return f"d’{name}" if name[0].lower() in "aeiouyhâéèêîôû" else f"de {name}"


def filing_words(filing: Filing, lang: str) -> str:
    """The filing in a sentence, as people read it."""
    return WORDS[lang][filing.status.value].format(
        opco=filing.opco or ("l’OPCO" if lang == "fr" else "the OPCO"), of_opco=_of(filing.opco),
        filed=_day(filing.filed_on, lang), due=_day(filing.decision_due, lang),
        decided=_day(filing.decided_on, lang), deca=filing.deca_number, reason=filing.refusal_reason)


def _print(case_id: int, filing: Filing, lang: str) -> None:
    console.print(WORDS[lang]["case"].format(case=case_id, status=filing_words(filing, lang)), markup=False,
                  highlight=False, soft_wrap=True)


@dossier_app.command("file")
def dossier_file(
    case_id: CaseArgument,
    on: Annotated[str, typer.Option("--on", metavar="YYYY-MM-DD", help="The day the OPCO received the complete "
                                                                         "file (not before the signature).")],
    opco: Annotated[str | None, typer.Option(help="The OPCO it was filed with (default: the one on the dossier's "
                                                  "employer section).")] = None,
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Record the signed contract's filing with the OPCO (D6224-1); its 20 days to answer start (D6224-2). Filing
    again after a refusal clears it."""
    from contract_flow.services.filing import file_contract, filing_as_dict

    filed_on = option_date("--on", on)
    assert filed_on is not None
    chosen = language(lang)
    filing = file_contract(get_app(), case_id, filed_on=filed_on, opco=opco, actor_email=acting(as_, operator),
                           expected_version=version)
    if json_output:
        print_json({"case_id": case_id, **filing_as_dict(filing)})
        return
    _print(case_id, filing, chosen)


@dossier_app.command("decision")
def dossier_decision(
    case_id: CaseArgument,
    decision: Annotated[str, typer.Argument(metavar="accepted|refused", help="The OPCO's answer.")],
    deca: Annotated[str | None, typer.Option("--deca", help="The contract's DECA number (with an acceptance), e.g. "
                                                            "02B202212000000.")] = None,
    reason: Annotated[str | None, typer.Option(help="The OPCO's reason (with a refusal).")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", help="The day of the answer (default: "
                                                                                "today).")] = None,
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Record the OPCO's answer to the filing (D6224-2): accepted with the DECA number, or refused with the
    reason."""
    from contract_flow.domain.context import paris_date
    from contract_flow.services.filing import filing_as_dict, record_opco_decision

    app = get_app()
    decided_on = option_date("--on", on) or paris_date(app.clock.now())
    chosen = language(lang)
    filing = record_opco_decision(app, case_id, decision=decision, decided_on=decided_on, deca_number=deca,
                                  reason=reason, actor_email=acting(as_, operator), expected_version=version)
    if json_output:
        print_json({"case_id": case_id, **filing_as_dict(filing)})
        return
    _print(case_id, filing, chosen)


@dossier_app.command("filing")
def dossier_filing(
    case_id: CaseArgument,
    as_: ReadAsOption = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Where the contract stands with its OPCO today, and on a refusal what the dossier's checks refuse."""
    from contract_flow.services.filing import show_filing, view_as_dict
    from contract_flow.services.views import refusal_line

    chosen = language(lang)
    view = show_filing(get_app(), case_id, actor_email=as_)
    if json_output:
        print_json(view_as_dict(view))
        return
    _print(case_id, view.filing, chosen)
    if view.to_fix:
        console.print(WORDS[chosen]["to_fix"])
        for label, reason, _, article in (refusal_line(refusal, chosen) for refusal in view.to_fix):
            console.print(f"- {label}{colon(chosen) if label else ''}{reason} ({article})", markup=False,
                          highlight=False, soft_wrap=True)


BOARD_WORDS = {
    "fr": {"title": "Contrats et OPCO", "programme": "formation", "signed": "signés", "filed": "déposés",
           "accepted": "acceptés", "refused": "refusés", "waiting": "en attente"},
    "en": {"title": "Contracts and OPCO", "programme": "programme", "signed": "signed", "filed": "filed",
           "accepted": "accepted", "refused": "refused", "waiting": "waiting"},
}
COLUMNS = ("signed", "filed", "accepted", "refused", "waiting")


def _filing_counts(app: App) -> dict[str, FilingCounts]:
    from contract_flow.domain.context import paris_date
    from contract_flow.services.filing import filing_board

    return filing_board(app, today=paris_date(app.clock.now()))


def print_filing_board() -> None:
    """`contract-flow board`'s second table: per programme, its running contracts signed / filed / accepted /
    refused (by silence too) / waiting for the OPCO's answer."""
    from rich.table import Table

    words = BOARD_WORDS[language()]
    table = Table(words["programme"], *(words[column] for column in COLUMNS), title=words["title"])
    for code, counts in _filing_counts(get_app()).items():
        table.add_row(code, *(str(getattr(counts, column)) for column in COLUMNS))
    console.print(table)


@dossier_app.command("filings")
def dossier_filings(json_output: JsonOption = False) -> None:
    """Per programme, the running contracts signed / filed / accepted / refused (by silence too) / waiting for
    the OPCO's answer (the second table of `contract-flow board`)."""
    if json_output:
        print_json(_filing_counts(get_app()))
        return
    print_filing_board()
