"""`contract-flow todo --as EMAIL [--json] [--lang]`: the person's to-do list ("Mes actions", issue 15 item 2), the
same use case as the page /me/todo and `GET /api/v1/me/todo`: what they must supply or do on each of their cases,
by when, and when the case moves on, most urgent first. French by default."""

from __future__ import annotations

from typing import Annotated

import typer

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import LangOption, get_app, language
from contract_flow.domain.values import parse_date

HEADINGS = {
    "fr": {"title": "Mes actions ({email}) : {count}", "none": "Rien à faire pour l’instant.",
           "case": "{candidate} (dossier n° {case})", "link": "où : {link}"},
    "en": {"title": "My actions ({email}): {count}", "none": "Nothing to do for now.",
           "case": "{candidate} (case {case})", "link": "where: {link}"},
}


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def todo(
    as_: Annotated[str, typer.Option("--as", help="Email of the person whose to-do list it is (the access policy "
                                                  "applies as on the pages and the API).")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON (codes, ISO dates, with the sentences).")] = False,
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD",
                                           help="See the list as it will be that day (default: today).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=500,
                                              help="Print only this many items (default: all of them).")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many items first.")] = 0,
    lang: LangOption = None,
) -> None:
    """What this person must supply or do on their cases, overdue first, then by the day due."""
    from contract_flow.services.todo import todo as todo_of
    from contract_flow.todo_words import as_data, reason_words, worded

    chosen = language(lang)
    found = todo_of(get_app(), actor_email=as_, today=parse_date("--on", on) if on else None, offset=offset,
                    limit=limit)
    items = found.items
    if json_:
        print_json([as_data(item, chosen) for item in items])
        return
    words = HEADINGS[chosen]
    say(words["title"].format(email=as_.strip().lower(), count=found.total))
    if not items:
        say(words["none"])
    for item in items:
        text = worded(item, chosen)
        mark = "!" if item.overdue else "-"
        say(f"{mark} {words['case'].format(candidate=item.candidate, case=item.case_id)} · {text.what} · {text.due}")
        for blocker in item.blockers:
            for reason in blocker.reasons:
                say(f"    {reason_words(reason, chosen)}")
        for move in text.moves:
            say(f"    {move}")
        say(f"    {words['link'].format(link=item.link)}")
