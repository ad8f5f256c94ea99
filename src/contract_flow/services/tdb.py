"""Use cases of the Tableau de bord de l'apprentissage (TDB v3, PUBLIC-SYSTEMS.md §2; issue 16, items 1 and 2):
export the CFA's feed (JSON or the .xlsx a CFA uploads by hand), push it to the TDB, push it monthly from the beat,
list the pushes and their errors.

A push sends the feed in batches of at most 2,000 learners with the CFA's key (`tdb_keys`, a secret setting), a
batch answered 5xx or timed out sent again after a growing delay (`tdb_retries`, `tdb_backoff_seconds`), a 4xx
never (a bad key stays bad: the push stops, "refused"). Each push is a row of the ledger (tdb_push): claimed when it
starts, then recorded with its counts, its answer and every item's errors (tdb_push_error: ours before sending,
"local", and the TDB's, "tdb") in one unit of work. The monthly push claims `<cfa>:<YYYY-MM>`, a unique key: two
beats or workers racing for it, one wins, the other finds it taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, Protocol

import httpx
import sqlalchemy as sa
from openpyxl import Workbook

from contract_flow.adapters.tables import programme_table, tdb_push_error_table, tdb_push_table
from contract_flow.domain.access import Action, authorize_role
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput, NotFound, NotNow, OutOfScope
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.tdb_feed import FIELDS, MAX_BATCH
from contract_flow.services.common import Configured, Store, resolve_actor
from contract_flow.services.tdb_rows import Batch, ItemError, batches, programme_feeds

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

#: The TDB's API paths (PUBLIC-SYSTEMS.md §2): the real one and its test twin (the same checks, nothing stored).
PATHS = {"prod": "/api/v3/dossiers-apprenants", "test": "/api/v3/dossiers-apprenants/test"}
TRIGGERS = ("beat", "cli", "api", "page")
#: A push's statuses: running (claimed, not finished), then one of the four outcomes.
RUNNING, SENT, PARTIAL, FAILED, REFUSED = "running", "sent", "partial", "failed", "refused"
#: What a push's row keeps of the TDB's answers.
ANSWER_LENGTH = 2000


class TdbDeps(Store, Configured, Protocol):
    """A database, the time and the settings (the TDB's address, the CFAs' keys, the retries)."""


# -- whose feed ----------------------------------------------------------------------------------------------------

def _cfa_of(uow: UnitOfWork, actor: Actor, cfa_code: str | None) -> str:
    """The CFA whose feed the actor asks for: staff, their own (another CFA's is out of their scope, as one that
    does not exist); the operator, the one named, else the only CFA with programmes."""
    authorize_role(actor, Action.TDB_FEED)
    known = [row[0] for row in uow.execute(sa.select(programme_table.c.cfa_code).distinct()
                                           .order_by(programme_table.c.cfa_code))]
    if actor.role is not Role.SYSTEM:
        if cfa_code is not None and cfa_code != actor.cfa_code:
            raise OutOfScope("CFA", cfa_code)
        return actor.cfa_code or ""
    if cfa_code is not None:
        if cfa_code not in known:
            raise NotFound("CFA", cfa_code)
        return cfa_code
    if len(known) != 1:
        raise InvalidInput("cfa", Reason("tdb_name_the_cfa", codes=", ".join(known)) if known
                           else Reason("tdb_no_cfa_yet"))
    return str(known[0])


@dataclass(frozen=True)
class FeedRequest:
    """A feed asked for: whose, of which day, by whom."""

    cfa_code: str
    on: date
    actor: Actor


def feed_request(app: TdbDeps, *, actor_email: str | Actor, cfa_code: str | None = None,
                 on: date | None = None) -> FeedRequest:
    """Who asks for which CFA's feed of which day (today in Paris by default), under the access policy."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        cfa = _cfa_of(uow, actor, cfa_code)
    return FeedRequest(cfa, on or paris_date(app.clock.now()), actor)


def feed_batches(app: TdbDeps, request: FeedRequest, size: int = MAX_BATCH) -> Iterator[Batch]:
    """The feed as batches of at most `size` checked items (and the errors of those set aside), read on one
    streaming cursor in one read-only transaction. A programme without its TDB settings refuses the whole feed
    (InvalidInput naming the setting) before a batch is read."""
    with app.uow(write=False) as uow:
        feeds = programme_feeds(uow.connection, request.cfa_code, request.on)
        yield from batches(uow.connection, request.cfa_code, feeds, request.on, size)


# -- export --------------------------------------------------------------------------------------------------------

@dataclass
class ExportCounts:
    items: int = 0
    refused: int = 0
    errors: list[ItemError] = field(default_factory=list)


def export_feed(app: TdbDeps, request: FeedRequest, out: IO[bytes], fmt: str = "json") -> ExportCounts:
    """Write the feed to `out`: a JSON array of the items (the request body the TDB takes, batches aside), or the
    .xlsx a CFA uploads without an integration (the same fields as columns, PUBLIC-SYSTEMS.md §2). The learners
    whose item the TDB would refuse are left out and returned with their errors."""
    if fmt not in ("json", "xlsx"):
        raise InvalidInput("format", Reason("json_or_xlsx", typed=Typed(fmt)))
    counts = ExportCounts()
    if fmt == "json":
        _write_json(app, request, out, counts)
    else:
        _write_xlsx(app, request, out, counts)
    return counts


def _write_json(app: TdbDeps, request: FeedRequest, out: IO[bytes], counts: ExportCounts) -> None:
    out.write(b"[")
    for batch in feed_batches(app, request):
        if len(batch):
            out.write(b",\n" if counts.items else b"\n")
            parts = batch.parts()
            for part in parts[1:-1]:  # the items without the batch's brackets
                out.write(part)
            counts.items += len(batch)
        counts.refused += batch.refused
        counts.errors.extend(batch.errors)
    out.write(b"\n]\n")


def _write_xlsx(app: TdbDeps, request: FeedRequest, out: IO[bytes], counts: ExportCounts) -> None:
    book = Workbook(write_only=True)  # rows go to a temporary file as they come: memory stays flat
    sheet = book.create_sheet("dossiers-apprenants")
    sheet.append(list(FIELDS))
    for batch in feed_batches(app, request):
        for item in batch.items:
            sheet.append([item.get(name) for name in FIELDS])
            counts.items += 1
        counts.refused += batch.refused
        counts.errors.extend(batch.errors)
    book.save(out)


# -- push ----------------------------------------------------------------------------------------------------------

@dataclass
class PushResult:
    """A push as recorded: its ledger row's id and outcome."""

    push_id: int
    cfa_code: str
    status: str
    items_sent: int
    items_with_errors: int
    batches: int
    answer: str
    errors: list[ItemError] = field(default_factory=list)


def _target(app: TdbDeps, cfa_code: str) -> tuple[str, str]:
    """The TDB's URL and the CFA's key; NotNow naming the setting to set when either is missing."""
    settings = app.settings
    if not settings.tdb_url:
        raise NotNow("tdb_url", Reason("tdb_no_url"))
    key = settings.tdb_keys.get(cfa_code)
    if key is None or not key.get_secret_value():
        raise NotNow("tdb_keys", Reason("tdb_no_key", cfa=cfa_code))
    return settings.tdb_url.rstrip("/") + PATHS[settings.tdb_endpoint], key.get_secret_value()


def push_feed(app: TdbDeps, *, actor_email: str | Actor, trigger: str, cfa_code: str | None = None,
              on: date | None = None, sleep: Callable[[float], None] = time.sleep) -> PushResult:
    """Push the CFA's feed of `on` to the TDB now (staff, or the operator), recorded in the ledger."""
    if trigger not in TRIGGERS:
        raise InvalidInput("trigger", Reason("not_one_of", typed=Typed(trigger), choices=", ".join(TRIGGERS)))
    request = feed_request(app, actor_email=actor_email, cfa_code=cfa_code, on=on)
    url, key = _target(app, request.cfa_code)
    push_id = _claim(app, request, trigger, request.actor.email, None)
    assert push_id is not None  # only a month key can be taken already
    return _push(app, push_id, request, url, key, sleep)


def push_due(app: TdbDeps, sleep: Callable[[float], None] = time.sleep) -> list[PushResult]:
    """The beat's monthly push: within the window (tdb_push_first_day to tdb_push_last_day), each CFA with a key
    not pushed this month yet is pushed once, its month claimed in the ledger first (a unique key): however many
    beats or workers run this at once, one push a CFA a month."""
    settings = app.settings
    today = paris_date(app.clock.now())
    if not settings.tdb_push_first_day <= today.day <= settings.tdb_push_last_day or not settings.tdb_url:
        return []
    results = []
    for cfa_code in sorted(settings.tdb_keys):
        request = FeedRequest(cfa_code, today, Actor(email="beat", role=Role.SYSTEM))
        try:
            url, key = _target(app, cfa_code)
        except NotNow:
            continue
        push_id = _claim(app, request, "beat", "beat", f"{cfa_code}:{today:%Y-%m}")
        if push_id is None:
            continue
        try:
            results.append(_push(app, push_id, request, url, key, sleep))
        except InvalidInput:  # a programme's TDB settings: recorded as the push's failure, the next CFA goes on
            continue
    return results


def _claim(app: TdbDeps, request: FeedRequest, trigger: str, by: str, month_key: str | None) -> int | None:
    """The push's ledger row, committed before anything is sent; None when `month_key` is taken already."""
    values = {"cfa_code": request.cfa_code, "started_at": app.clock.now(), "as_of": request.on, "trigger": trigger,
              "by": by, "endpoint": app.settings.tdb_endpoint, "status": RUNNING, "items_sent": 0,
              "items_with_errors": 0, "batches": 0, "month_key": month_key}
    try:
        with app.uow() as uow:
            push_id = uow.execute(sa.insert(tdb_push_table).values(**values)
                                  .returning(tdb_push_table.c.id)).scalar_one()
            uow.commit()
    except sa.exc.IntegrityError:
        if month_key is None:
            raise
        return None
    return int(push_id)


class _Stop(Exception):
    """A batch's answer ends the push: `status` (refused or failed) and what was answered."""

    def __init__(self, status: str, answer: str) -> None:
        super().__init__(answer)
        self.status = status
        self.answer = answer


def _push(app: TdbDeps, push_id: int, request: FeedRequest, url: str, key: str,
          sleep: Callable[[float], None]) -> PushResult:
    settings = app.settings
    sent = sent_batches = 0
    errors: list[ItemError] = []
    answers: list[str] = []
    status = SENT
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Accept": "application/json"}
    try:
        # One batch on the wire while the next is read and written (the database and the TDB work side by side);
        # never more than one: the TDB takes them in order, and a refusal stops the push.
        with httpx.Client(timeout=settings.tdb_timeout_seconds, headers=headers) as client, \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="tdb-push") as sender:
            in_flight: tuple[Future[Any], list[str]] | None = None
            for batch in feed_batches(app, request, settings.tdb_batch_size):
                errors.extend(batch.errors)
                if not len(batch):
                    continue
                body, ids = batch.parts(), batch.ids()
                if in_flight is not None:
                    errors.extend(_answer_errors(in_flight[0].result(), in_flight[1]))
                    sent += len(in_flight[1])
                    sent_batches += 1
                in_flight = (sender.submit(_send, client, url, body, settings.tdb_retries,
                                           settings.tdb_backoff_seconds, sleep), ids)
            if in_flight is not None:
                errors.extend(_answer_errors(in_flight[0].result(), in_flight[1]))
                sent += len(in_flight[1])
                sent_batches += 1
            answers.append(f"200 OK: {sent} learners in {sent_batches} batches")
    except _Stop as stop:
        status = stop.status
        answers.append(stop.answer)
    except Exception as problem:  # the ledger says the push failed, whatever broke it; then it is raised
        _record(app, push_id, FAILED, sent, errors, sent_batches, f"{type(problem).__name__}: {problem}")
        raise
    if status == SENT and errors:
        status = PARTIAL
    return _record(app, push_id, status, sent, errors, sent_batches, "; ".join(answers),
                   cfa_code=request.cfa_code)


def _send(client: httpx.Client, url: str, body: list[bytes], retries: int, backoff: float,
          sleep: Callable[[float], None]) -> Any:
    """One batch sent (its body in parts, Batch.parts: written one after the other, with the whole's length, so
    not chunked), retried on 5xx and timeouts (and lost connections) with a doubling delay; the answer's JSON.
    _Stop on a 4xx (never retried) or when the retries are spent."""
    delay = backoff
    length = {"Content-Length": str(sum(map(len, body)))}
    for attempt in range(retries + 1):
        try:
            response = client.post(url, content=body, headers=length)
        except httpx.TransportError as problem:  # timeouts included
            last = f"{type(problem).__name__} after {attempt + 1} attempts"
        else:
            if response.status_code < 300:
                try:
                    return response.json()
                except ValueError:
                    raise _Stop(FAILED, f"{response.status_code}: the answer is not JSON") from None
            if response.status_code < 500:
                raise _Stop(REFUSED, f"{response.status_code}: {response.text[:300]}")
            last = f"{response.status_code} after {attempt + 1} attempts: {response.text[:200]}"
        if attempt < retries:
            sleep(delay)
            delay *= 2
    raise _Stop(FAILED, last)


def _answer_errors(answer: Any, ids: list[str]) -> list[ItemError]:
    """The TDB's per-item validation errors (`data[i].validation_errors[j]`: {message, path: [field]}), each
    tied to the case it came from by `id_erp_apprenant` (else by its position in the batch)."""
    found: list[ItemError] = []
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, list):
        return found
    for position, entry in enumerate(data):
        if not isinstance(entry, dict) or not entry.get("validation_errors"):
            continue
        erp = str(entry.get("id_erp_apprenant") or (ids[position] if position < len(ids) else ""))
        case_id = int(erp) if erp.isdigit() else None
        for problem in entry["validation_errors"]:
            path = problem.get("path") if isinstance(problem, dict) else None
            name = ".".join(str(part) for part in path) if isinstance(path, list) and path else "?"
            message = str(problem.get("message", "")) if isinstance(problem, dict) else str(problem)
            found.append(ItemError(case_id, erp, name[:80], message[:500], "tdb"))
    return found


def _record(app: TdbDeps, push_id: int, status: str, sent: int, errors: list[ItemError], sent_batches: int,
            answer: str, cfa_code: str = "") -> PushResult:
    """The push's outcome and every item's errors, in one unit of work."""
    with_errors = len({error.id_erp_apprenant for error in errors})
    with app.uow() as uow:
        uow.execute(sa.update(tdb_push_table).where(tdb_push_table.c.id == push_id).values(
            status=status, finished_at=app.clock.now(), items_sent=sent, items_with_errors=with_errors,
            batches=sent_batches, answer=answer[:ANSWER_LENGTH]))
        if errors:
            uow.execute(sa.insert(tdb_push_error_table), [
                {"push_id": push_id, "case_id": error.case_id, "id_erp_apprenant": error.id_erp_apprenant[:100],
                 "field": error.field[:80], "message": error.message[:500], "source": error.source}
                for error in errors])
        uow.commit()
    return PushResult(push_id, cfa_code, status, sent, with_errors, sent_batches, answer[:ANSWER_LENGTH], errors)


# -- the ledger, read ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PushError:
    case_id: int | None
    id_erp_apprenant: str
    field: str
    message: str
    source: str


@dataclass(frozen=True)
class PushView:
    id: int
    cfa_code: str
    started_at: datetime
    finished_at: datetime | None
    as_of: date
    trigger: str
    by: str
    endpoint: str
    status: str
    items_sent: int
    items_with_errors: int
    batches: int
    answer: str | None
    errors: tuple[PushError, ...]
    #: How many errors the push has in all (`errors` holds the first `errors_shown` of them).
    error_count: int


def list_pushes(app: TdbDeps, *, actor_email: str | Actor, cfa_code: str | None = None, limit: int = 12,
                errors_shown: int = 200) -> list[PushView]:
    """The CFA's last pushes, newest first, each with its errors (the first `errors_shown`, by case)."""
    if not 1 <= limit <= 100:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=100))
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.TDB_FEED)
        query = sa.select(tdb_push_table).order_by(tdb_push_table.c.id.desc()).limit(limit)
        if actor.role is not Role.SYSTEM:
            if cfa_code is not None and cfa_code != actor.cfa_code:
                raise OutOfScope("CFA", cfa_code)
            query = query.where(tdb_push_table.c.cfa_code == (actor.cfa_code or ""))
        elif cfa_code is not None:
            query = query.where(tdb_push_table.c.cfa_code == cfa_code)
        pushes = uow.execute(query).mappings().all()
        views = []
        for push in pushes:
            errors = _errors_of(uow, push["id"], errors_shown)
            count = uow.execute(sa.select(sa.func.count()).select_from(tdb_push_error_table)
                                .where(tdb_push_error_table.c.push_id == push["id"])).scalar_one()
            views.append(PushView(**{name: push[name] for name in (
                "id", "cfa_code", "started_at", "finished_at", "as_of", "trigger", "by", "endpoint", "status",
                "items_sent", "items_with_errors", "batches", "answer")}, errors=errors, error_count=int(count)))
    return views


def _errors_of(uow: UnitOfWork, push_id: int, limit: int | None = None) -> tuple[PushError, ...]:
    e = tdb_push_error_table.c
    query = (sa.select(e.case_id, e.id_erp_apprenant, e.field, e.message, e.source)
             .where(e.push_id == push_id).order_by(e.case_id, e.id))
    if limit is not None:
        query = query.limit(limit)
    return tuple(PushError(*row) for row in uow.execute(query))


def latest_rejections(uow: UnitOfWork, cfa_code: str) -> list[tuple[int | None, str, str]]:
    """(case id, field, message) of each error of the CFA's latest finished push (the reconciliation's, helper
    "status": what the TDB, or our check before sending, refused last)."""
    latest = uow.execute(sa.select(sa.func.max(tdb_push_table.c.id)).where(
        tdb_push_table.c.cfa_code == cfa_code, tdb_push_table.c.status != RUNNING)).scalar_one()
    if latest is None:
        return []
    return [(error.case_id, error.field, error.message) for error in _errors_of(uow, int(latest))]


def push_as_dict(view: PushView | PushResult) -> dict[str, Any]:
    """A push as plain JSON data (API, CLI --json)."""
    data: dict[str, Any] = {}
    for name, value in vars(view).items():
        if name == "errors":
            data[name] = [vars(error) for error in value]
        else:
            data[name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    if isinstance(view, PushResult):
        data["id"] = data.pop("push_id")
    return data
