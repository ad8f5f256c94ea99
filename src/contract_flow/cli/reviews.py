"""Tripartite review commands: plan, log, miss, reschedule, cancel, acknowledge, list, and the due schedule."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import AsOption, OperatorOption, acting, get_app, parse_moment
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.values import parse_date

if TYPE_CHECKING:
    from contract_flow.domain.reviews import Review

review_app = typer.Typer(help="Tripartite reviews: apprentice, mentor and tutor check the skills' progress.",
                         no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
VersionOption = Annotated[int | None, typer.Option(help="Refuse if the review is no longer at this version.")]
DateOption = Annotated[str, typer.Option("--date", help="YYYY-MM-DD (at --time) or YYYY-MM-DDTHH:MM, Paris time.")]
TimeOption = Annotated[str | None, typer.Option("--time", help="HH:MM in Paris when --date is a day [14:00].")]
DEFAULT_TIME = time(14)


def _moment(date_text: str, time_text: str | None) -> datetime:
    """`--date` as a day at `--time` (14:00 by default), or a date-time (naive: Paris)."""
    if len(date_text.strip()) != 10:
        if time_text is not None:
            raise InvalidInput("--time", Reason("time_twice", typed=date_text))
        return parse_moment("--date", date_text.strip())
    try:
        at = time.fromisoformat(time_text) if time_text is not None else DEFAULT_TIME
    except ValueError:
        raise InvalidInput("--time", Reason("not_a_time", typed=Typed(time_text or ""))) from None
    day = parse_date("--date", date_text)
    return parse_moment("--date", f"{day.isoformat()}T{at.isoformat(timespec='minutes')}")


def review_as_dict(review: Review) -> dict[str, Any]:
    return {
        "id": review.id, "case_id": review.case_id, "due_by": review.due_by, "state": review.state,
        "planned_at": review.planned_at.astimezone(PARIS), "place": review.place,
        "participants": {str(k): v for k, v in review.participants.items()},
        "attended": sorted(str(k) for k, present in review.attended.items() if present),
        "skills": {name: str(level) for name, level in review.skills.items()},
        "mentor_observations": review.mentor_observations, "tutor_observations": review.tutor_observations,
        "next_steps": review.next_steps,
        "acknowledged": {str(k): v for k, v in review.acknowledged.items()},
        "fully_acknowledged": review.fully_acknowledged, "version": review.version,
    }


def _when(review: Review) -> str:
    return review.planned_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def _done(review: Review, what: str, json_output: bool) -> None:
    if json_output:
        print_json(review_as_dict(review))
    else:
        console.print(f"review {review.id} of case {review.case_id} {what} (version {review.version})",
                      markup=False, highlight=False, soft_wrap=True)


@review_app.command("plan")
def review_plan(
    case_id: Annotated[int, typer.Argument(metavar="CASE")],
    date: DateOption,
    as_: AsOption = None,
    operator: OperatorOption = False,
    at: TimeOption = None,
    place: Annotated[str | None, typer.Option(help="A room or a link [the employer's premises].")] = None,
    json_output: JsonOption = False,
) -> None:
    """Plan the next due review of a case with its apprentice, mentor and tutor."""
    from contract_flow.services.reviews import plan_review

    review = plan_review(get_app(), case_id, planned_at=_moment(date, at), place=place,
                         actor_email=acting(as_, operator))
    _done(review, f"planned for {_when(review)} at {review.place}, due by {review.due_by.isoformat()}", json_output)


@review_app.command("log")
def review_log(
    review_id: Annotated[int, typer.Argument(metavar="REVIEW")],
    attended: Annotated[str, typer.Option(help="Who came, comma-separated: apprentice,mentor,tutor.")],
    skill: Annotated[list[str], typer.Option(help="NAME=LEVEL, level not_acquired|in_progress|acquired|mastered "
                                                  "or 1-4 (repeatable).")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    observations: Annotated[str | None, typer.Option(help="The tutor's observations.")] = None,
    mentor_observations: Annotated[str | None, typer.Option(help="The mentor's observations.")] = None,
    next_steps: Annotated[str | None, typer.Option(help="What comes next.")] = None,
    version: VersionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Record a review that took place."""
    from contract_flow.services.reviews import log_review, parse_skills

    review = log_review(get_app(), review_id, attended=[p for p in attended.split(",") if p.strip()],
                        skills=parse_skills(skill), mentor_observations=mentor_observations,
                        tutor_observations=observations, next_steps=next_steps, actor_email=acting(as_, operator),
                        expected_version=version)
    _done(review, "held", json_output)


@review_app.command("miss")
def review_miss(
    review_id: Annotated[int, typer.Argument(metavar="REVIEW")],
    reason: Annotated[str, typer.Option(help="Why it did not take place.")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: VersionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Record that a planned review did not take place."""
    from contract_flow.services.reviews import miss_review

    review = miss_review(get_app(), review_id, reason=reason, actor_email=acting(as_, operator),
                         expected_version=version)
    _done(review, "missed", json_output)


@review_app.command("reschedule")
def review_reschedule(
    review_id: Annotated[int, typer.Argument(metavar="REVIEW")],
    date: DateOption,
    as_: AsOption = None,
    operator: OperatorOption = False,
    at: TimeOption = None,
    place: Annotated[str | None, typer.Option(help="A new room or link [unchanged].")] = None,
    version: VersionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Give a missed review a new date."""
    from contract_flow.services.reviews import reschedule_review

    review = reschedule_review(get_app(), review_id, planned_at=_moment(date, at), place=place,
                               actor_email=acting(as_, operator), expected_version=version)
    _done(review, f"planned again for {_when(review)} at {review.place}", json_output)


@review_app.command("cancel")
def review_cancel(
    review_id: Annotated[int, typer.Argument(metavar="REVIEW")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: VersionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Cancel a planned review (its due date is to be planned again)."""
    from contract_flow.services.reviews import cancel_review

    cancelled = cancel_review(get_app(), review_id, actor_email=acting(as_, operator), expected_version=version)
    _done(cancelled, "cancelled", json_output)


@review_app.command("ack")
def review_ack(
    review_id: Annotated[int, typer.Argument(metavar="REVIEW")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    json_output: JsonOption = False,
) -> None:
    """Acknowledge the record of a held review, as one of its three participants."""
    from contract_flow.services.reviews import acknowledge_review

    review = acknowledge_review(get_app(), review_id, actor_email=acting(as_, operator))
    missing = [str(p) for p in review.participants if p not in review.acknowledged]
    _done(review, "acknowledged" + (f"; waiting for {', '.join(missing)}" if missing else " by all three"),
          json_output)


@review_app.command("list")
def review_list(
    case_id: Annotated[int | None, typer.Argument(metavar="[CASE]", help="Only this case's reviews.")] = None,
    json_output: JsonOption = False,
) -> None:
    """List reviews, of one case or all."""
    from contract_flow.services.reviews import list_reviews

    reviews = list_reviews(get_app(), case_id)
    if json_output:
        print_json([review_as_dict(r) for r in reviews])
        return
    table = Table("id", "case", "due by", "state", "planned at (Paris)", "place", "acknowledged")
    for r in reviews:
        table.add_row(str(r.id), str(r.case_id), r.due_by.isoformat(), str(r.state), _when(r), r.place,
                      ", ".join(str(p) for p in r.acknowledged) or "·")
    console.print(table)


@review_app.command("schedule")
def review_schedule_command(
    case_id: Annotated[int, typer.Argument(metavar="CASE")],
    json_output: JsonOption = False,
) -> None:
    """The dates by which the case's reviews are due, from its contract start, and the review covering each."""
    from contract_flow.services.review_schedule import schedule

    due = schedule(get_app(), case_id)
    if json_output:
        print_json([{"due_by": d.due_by, "state": d.state, "review_id": d.review.id if d.review else None}
                    for d in due])
        return
    table = Table("due by", "state", "review", "planned at (Paris)")
    for d in due:
        table.add_row(d.due_by.isoformat(), d.state, str(d.review.id) if d.review else "·",
                      _when(d.review) if d.review else "·")
    console.print(table)
