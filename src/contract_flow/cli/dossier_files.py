"""`contract-flow dossier pdf` and `dossier versions` (issue 14, item 4): the CERFA FA13 as a PDF file, as it
stands or as one of its kept versions (signed, amended: the same bytes as when it was kept), and the list of those
versions. Registered on the `dossier` command group (cli/dossier.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from contract_flow.cli.dossier import CaseArgument, JsonOption, ReadAsOption, dossier_app
from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import LangOption, get_app, language
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.formatting import format_moment

if TYPE_CHECKING:
    from contract_flow.adapters.dossier_versions import KeptVersion

#: A kept version's number (an INTEGER column).
VersionOption = Annotated[int | None, typer.Option("--version", min=1, max=2**31 - 1, help=(
    "A kept version (1: as signed, then one per amendment: `dossier versions`), given unchanged; by default the "
    "dossier as it stands."))]

WORDS = {
    "fr": {"written": "dossier du cas {case} écrit dans {file}", "kept": " (version {version}, conservée telle "
           "que déposée, en français)", "none": "cas {case} : aucune version conservée (le contrat n'est pas "
           "encore signé)", "title": "Versions conservées du dossier, cas {case}", "version": "Version",
           "what": "Version de", "at": "Le", "by": "Par", "signed": "signature", "amendment": "avenant",
           "amendment_n": "avenant n° {number}"},
    "en": {"written": "dossier of case {case} written to {file}", "kept": " (version {version}, kept as filed, in "
           "French)", "none": "case {case}: no kept version (the contract is not signed yet)",
           "title": "Kept versions of the dossier, case {case}", "version": "Version", "what": "Made at",
           "at": "On", "by": "By", "signed": "signature", "amendment": "amendment",
           "amendment_n": "amendment no. {number}"},
}


def kind_words(kept: KeptVersion, lang: str) -> str:
    """"signature", "avenant n° 2" (in `lang`)."""
    words = WORDS[lang]
    if kept.kind == "amendment":
        return words["amendment_n"].format(number=kept.amendment) if kept.amendment else words["amendment"]
    return words["signed"]


@dossier_app.command("pdf")
def dossier_pdf_command(
    case_id: CaseArgument,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=(
        "Write it to this file (default: dossier-CASE.pdf, or dossier-CASE-vN.pdf for a kept version, in the "
        "current directory)."))] = None,
    version: VersionOption = None,
    as_: ReadAsOption = "system",
    lang: LangOption = None,
) -> None:
    """The CERFA FA13 as a PDF: every field of the form with its label, in the form's order. The dossier as it
    stands is written in --lang; a kept version is given exactly as it was kept (in French, as filed)."""
    from contract_flow.services.dossier_downloads import dossier_pdf
    from contract_flow.services.dossier_versions import KEPT_LANGUAGE

    chosen_language = language(lang)
    pdf, filename = dossier_pdf(get_app(), case_id, actor_email=as_, version=version,
                                language=chosen_language if version is None else KEPT_LANGUAGE)
    target = output if output is not None else Path(filename)
    try:
        target.write_bytes(pdf)
    except OSError as problem:
        raise InvalidInput("--output", Reason("cannot_write", file=str(target), problem=problem.strerror)) from None
    words = WORDS[chosen_language]
    said = words["written"].format(case=case_id, file=target)
    console.print(said + (words["kept"].format(version=version) if version is not None else ""), markup=False,
                  highlight=False, soft_wrap=True)


@dossier_app.command("versions")
def dossier_versions_command(
    case_id: CaseArgument,
    as_: ReadAsOption = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The dossier's kept versions: the one signed, then one per amendment, with when and by whom; each can be
    downloaded again unchanged (`dossier pdf CASE --version N`, `dossier json CASE --version N`)."""
    from contract_flow.services.dossier_downloads import list_dossier_versions

    kept = list_dossier_versions(get_app(), case_id, actor_email=as_)
    if json_output:
        print_json([{"version": item.version, "kind": item.kind, "amendment": item.amendment,
                     "created_at": item.created_at, "created_by": item.created_by} for item in kept])
        return
    chosen_language = language(lang)
    words = WORDS[chosen_language]
    if not kept:
        console.print(words["none"].format(case=case_id), markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(words["version"], words["what"], words["at"], words["by"],
                  title=words["title"].format(case=case_id), title_justify="left")
    for item in kept:
        table.add_row(str(item.version), kind_words(item, chosen_language),
                      format_moment(item.created_at, chosen_language, "short"), item.created_by)
    console.print(table)
