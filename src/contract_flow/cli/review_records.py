"""`review record` (a review already held, recorded after the fact) and `review skills` (the skill list a case's
programme assesses), registered on the `review` group (issue 15, item 3)."""

from __future__ import annotations

from typing import Annotated

import typer

from contract_flow.cli.output import console, print_json
from contract_flow.cli.reviews import DateOption, JsonOption, TimeOption, _done, _moment, _when, review_app
from contract_flow.cli.runtime import AsOption, OperatorOption, acting, get_app


@review_app.command("record")
def review_record(
    case_id: Annotated[int, typer.Argument(metavar="CASE")],
    date: DateOption,
    attended: Annotated[str, typer.Option(help="Who came, comma-separated: apprentice,mentor,tutor.")],
    skill: Annotated[list[str], typer.Option(help="NAME=LEVEL, a skill of the programme's list (review skills CASE), "
                                                  "level not_acquired|in_progress|acquired|mastered or 1-4 "
                                                  "(repeatable).")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    at: TimeOption = None,
    place: Annotated[str | None, typer.Option(help="Where it was held [the employer's premises].")] = None,
    observations: Annotated[str | None, typer.Option(help="The tutor's observations.")] = None,
    mentor_observations: Annotated[str | None, typer.Option(help="The mentor's observations.")] = None,
    next_steps: Annotated[str | None, typer.Option(help="What comes next.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record a review already held (a past date), with its report: it covers the earliest due review not
    planned, and its three parties then acknowledge it."""
    from contract_flow.services.reviews import parse_skills, record_held_review

    review = record_held_review(
        get_app(), case_id, held_at=_moment(date, at), place=place,
        attended=[p for p in attended.split(",") if p.strip()], skills=parse_skills(skill),
        mentor_observations=mentor_observations, tutor_observations=observations, next_steps=next_steps,
        actor_email=acting(as_, operator))
    _done(review, f"held on {_when(review)} at {review.place}, recorded; it covers the review due by "
                  f"{review.due_by.isoformat()}", json_output)


@review_app.command("skills")
def review_skills(
    case_id: Annotated[int, typer.Argument(metavar="CASE")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    json_output: JsonOption = False,
) -> None:
    """The skills a review of the case assesses: its programme's list (programmes/<code>.toml), or none."""
    from contract_flow.services.review_reports import programme_skills

    listed = programme_skills(get_app(), case_id, actor_email=acting(as_, operator))
    if json_output:
        print_json({"case_id": case_id, "skills": list(listed) if listed is not None else None})
        return
    if listed is None:
        console.print("no skill list: a review assesses the skills typed (NAME=LEVEL)", markup=False)
        return
    for name in listed:
        console.print(name, markup=False, highlight=False)
