"""`contract-flow dossier amend` and `dossier amendments` (issue 14, item 7): an amendment (avenant) to a signed
contract, and the list of a case's amendments. Registered on the `dossier` command group (cli/dossier.py).

In French by default (`--lang en`): the type beside its label, dates and amounts as people write them; `--json`
keeps the codes and ISO texts. A refused amendment names the field and the rule, exits non-zero, saves nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from contract_flow.cli.dossier import CaseArgument, JsonOption, ReadAsOption, dossier_app
from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import AsOption, LangOption, OperatorOption, acting, get_app, language
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.formatting import format_day, format_moment

if TYPE_CHECKING:
    from contract_flow.adapters.amendments import StoredAmendment

WORDS = {
    "fr": {"recorded": "cas {case} : avenant n° {number} enregistré (type {type}), effet le {effective} ; version "
                       "{version} du dossier conservée", "none": "cas {case} : aucun avenant",
           "title": "Avenants du contrat, cas {case} :",
           "item": "Avenant n° {number}, type {type}, effet le {effective} (version {version} du dossier ; "
                   "enregistré par {by} le {at})", "reason": "  Motif : {reason}"},
    "en": {"recorded": "case {case}: amendment no. {number} recorded (type {type}), effective {effective}; "
                       "dossier version {version} kept", "none": "case {case}: no amendment",
           "title": "Amendments of the contract, case {case}:",
           "item": "Amendment no. {number}, type {type}, effective {effective} (dossier version {version}; "
                   "recorded by {by} on {at})", "reason": "  Reason: {reason}"},
}


def _pairs(pairs: list[str]) -> dict[str, str]:
    """`section.key=value` as typed (an empty value empties the field)."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("changes", Reason("not_field_value", typed=Typed(pair), example=(
                "mentors.1.last_name=Dupont, contract.end_date=2030-08-31")))
        found[key.strip()] = value
    return found


def change_lines(amendment: StoredAmendment, lang: str) -> list[str]:
    """Each change as "Label (field) : old → new", values as people read them."""
    from contract_flow.services.amendments import value_text
    from contract_flow.services.views import field_name_label

    colon = " :" if lang == "fr" else ":"  # French puts a space before the colon
    return [f"{field_name_label(change.field, lang)} ({change.field}){colon} "
            f"{value_text(change.field, change.old, lang)} → {value_text(change.field, change.new, lang)}"
            for change in amendment.changes]


@dossier_app.command("amend")
def dossier_amend(
    case_id: CaseArgument,
    pairs: Annotated[list[str], typer.Argument(metavar="FIELD=VALUE...", help=(
        "The dossier's fields the amendment changes, as section.key (mentors.1.last_name, contract.end_date, "
        "contract.weekly_hours, pay.1.rate, employer.address.street, training.place_name...); an empty value "
        "empties one."))],
    type_code: Annotated[str, typer.Option("--type", help="The amendment's CERFA type, 31 to 38 (33 extension "
                                                          "after a failed exam, 34 disability, 35 diploma, 36 "
                                                          "other: mentor, hours, pay; 37 workplace, 38 training "
                                                          "place).")],
    effective: Annotated[str, typer.Option("--effective", metavar="YYYY-MM-DD", help=(
        "From when it applies: a day of the contract."))],
    reason: Annotated[str, typer.Option("--reason", help="Why the contract is amended.")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Amend a signed contract: the fields changed are checked as the dossier checks them at signature, the case
    and its dossier changed, a new version of the dossier kept (its PDF: `dossier pdf --version N`)."""
    from contract_flow.services.amendments import amend_contract, type_label
    from contract_flow.services.views import amendment_as_dict

    changes = _pairs(pairs)
    chosen = language(lang)
    amendment = amend_contract(get_app(), case_id, type_code=type_code, effective_on=effective, reason=reason,
                               changes=changes, actor_email=acting(as_, operator), expected_version=version)
    if json_output:
        print_json(amendment_as_dict(amendment, chosen))
        return
    console.print(WORDS[chosen]["recorded"].format(
        case=case_id, number=amendment.number, type=type_label(amendment.type_code, chosen),
        effective=format_day(amendment.effective_on, chosen), version=amendment.dossier_version),
        markup=False, highlight=False, soft_wrap=True)
    for line in change_lines(amendment, chosen):
        console.print(f"- {line}", markup=False, highlight=False, soft_wrap=True)


@dossier_app.command("amendments")
def dossier_amendments(
    case_id: CaseArgument,
    as_: ReadAsOption = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The amendments of a case's contract: number, type, effective date, reason, each change, the dossier version
    it produced."""
    from contract_flow.services.amendments import list_amendments, type_label
    from contract_flow.services.views import amendment_as_dict

    chosen = language(lang)
    found = list_amendments(get_app(), case_id, actor_email=as_)
    if json_output:
        print_json([amendment_as_dict(amendment, chosen) for amendment in found])
        return
    words = WORDS[chosen]
    if not found:
        console.print(words["none"].format(case=case_id), markup=False, highlight=False)
        return
    console.print(words["title"].format(case=case_id), markup=False, highlight=False, soft_wrap=True)
    for amendment in found:
        console.print(words["item"].format(
            number=amendment.number, type=type_label(amendment.type_code, chosen),
            effective=format_day(amendment.effective_on, chosen), version=amendment.dossier_version,
            by=amendment.created_by, at=format_moment(amendment.created_at, chosen, "short")),
            markup=False, highlight=False, soft_wrap=True)
        console.print(words["reason"].format(reason=amendment.reason), markup=False, highlight=False,
                      soft_wrap=True)
        for line in change_lines(amendment, chosen):
            console.print(f"  - {line}", markup=False, highlight=False, soft_wrap=True)
