"""Server time of every page of every role, the search and the to-do lists, with 100,000 cases on PostgreSQL
(issue 15, item 11: p95 at most 300 ms; issue 6, item 7 measured 10,000 on SQLite).

The data. PostgreSQL: $CONTRACT_FLOW_TEST_POSTGRES_URL when set (`make bench` runs under `python -m
tests.support.servers`), else a throwaway server started here (tests/support/servers.py); a database made for the
run and dropped at its end. A template of 200 cases of one CFA is made through the real use cases, spread over
the chart as a CFA's year spreads them: every step of the search, trials and contracts in their trial with their
reviews (one held and logged, one planned), absences, withdrawals; their reminders planned and the due ones
delivered once (inboxes hold messages, the ledger has sent rows). The template is then copied 499 times inside
the database, one INSERT ... SELECT per table over generate_series (fresh ids, foreign keys following their rows,
the people of copy k renamed `x+k@...`, sequences moved past the copies), then VACUUM ANALYZE (the statistics,
and the visibility map autovacuum keeps on a settled database, which lets index-only scans skip the rows: a bulk
load is measured as the network it stands for, not as the minute after a restore): 100,000 cases with their
events, contracts, reviews, reminders and inbox messages in the template's proportions. Each person of the
template keeps the template's load (an advisor follows 200 cases, a tutor their apprentices); the CFA's staff
pages (board, at risk, the lead's, the lists and their search) cover all 100,000.

The measure. The app is served in this process (FastAPI's TestClient). Each role logs in through the login form;
its pages are found from the pages' routers (every GET route of contract_flow.web, the ids in its path filled
with the template's: a case in its trial and one searching, a planned review, a person, the programme) and kept
when they answer that role 200 with HTML; the lists are also asked with `?q=` (a name, an email) and the board
with `?needs_me=true`; the to-do list is `/me/todo` and `GET /api/v1/me/todo` (each role, with a token), the API's
search `GET /api/v1/cases?q=`. The app is the one a server process answers with (`create_served_app`: what is
alive once it is built is kept out of the collector's walks, as `contract-flow serve` does). Each is requested 3
times untimed, then `--repeats` times; a page's time is the `Server-Timing: app;dur=` header (the app's own
middleware: request in to response out), an API call's the wall time around the in-process call (the API has no
Server-Timing; this adds the test transport's little).
Printed: per page, median, p95 and worst, the slowest first.

The baseline, in the same run: the same pages on the template alone (200 cases), measured the same way before
the copies. `scale ratio=<p95 on 200 / p95 on 100,000>` for the page that grew most. Last line: `ratio=<300 ms /
worst p95 on 100,000 cases>`: at least 1.0 when no page is over the issue's budget.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

os.environ.setdefault("CONTRACT_FLOW_PASSWORD_HASH_COST", "cheapest")  # logins are not what is measured

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from fastapi.routing import APIRoute  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from bench._common import Postgres, run  # noqa: E402
from contract_flow import web  # noqa: E402
from contract_flow.adapters.clock import FixedClock  # noqa: E402
from contract_flow.adapters.smtp import SmtpMailer  # noqa: E402
from contract_flow.adapters.tables import metadata  # noqa: E402
from contract_flow.adapters.tdb_tally import TdbTally  # noqa: E402
from contract_flow.asgi import create_app, create_served_app  # noqa: E402
from contract_flow.bootstrap import App, bootstrap  # noqa: E402
from contract_flow.domain.case import Track  # noqa: E402
from contract_flow.rulefiles import load_programme_calendar  # noqa: E402
from contract_flow.services.cases import OpenCase, advance, open_case, record_absence, set_facts  # noqa: E402
from contract_flow.services.directory import add_programme, add_user, issue_token  # noqa: E402
from contract_flow.services.reminders import run_once  # noqa: E402
from contract_flow.services.reviews import log_review, plan_review  # noqa: E402
from contract_flow.services.schema import upgrade  # noqa: E402
from contract_flow.settings import Settings  # noqa: E402
from tests.support.cases import PATH, STATES, start_on_its_day  # noqa: E402
from tests.support.dossier import fill_dossier  # noqa: E402
from tests.support.servers import ENV_POSTGRES_URL, start_postgres  # noqa: E402

BUDGET_MS = 300.0
TEMPLATE_CASES = 200
CFA = "imt-mines-ales"
PASSWORD = "mot-de-passe-du-banc"
ADVISOR, LEAD = "conseil@cfa.example", "responsable@cfa.example"
TUTOR, MENTOR = "tuteur@cfa.example", "marie.maitre@industrie.example"
#: The candidate of the template's first case in its trial (see SPREAD): the apprentice whose pages are timed.
APPRENTICE = "c125@example.org"
#: Where the template's 200 cases stand, out of 200 (a CFA's pipeline in the spring).
SPREAD = (("reflect", 25), ("apply", 35), ("convince", 25), ("position", 15), ("decide", 15), ("sign", 10),
          ("trial", 65), ("withdrawn", 10))
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PARIS_AFTERNOON = timedelta(hours=13)


def mentor_of(signed_before: int, number: int) -> dict[str, str]:
    """Marie Maître mentors the first two contracts, the most R6223-6 allows; each other one has its own mentor."""
    if signed_before < 2:  # R6223-6: two apprentices at a time
        return {"contract.mentor_name": "Marie Maître", "contract.mentor_email": MENTOR}
    return {"contract.mentor_name": f"Maître N{number}", "contract.mentor_email": f"maitre{number}@industrie.example"}


def services(url: str, clock: FixedClock) -> App:
    # Logins are not what is measured: no rate on them (five roles log in within a second with --only).
    app = bootstrap(Settings(database_url=url, environment="test", login_verify_per_second=0), clock=clock)
    app.mailer = SmtpMailer("127.0.0.1", 9, timeout=1)  # nothing listens: emails fail, in-app messages land
    return app


@dataclass
class Template:
    trial_case: int
    search_case: int
    planned_review: int
    held_review: int


def build_template(app: App, clock: FixedClock) -> Template:
    add_programme(app, "mecatronique", name="Ingénieur Mécatronique", start_date=date(2026, 9, 1), years=3,
                  seats=400, cfa_code=CFA, calendar=load_programme_calendar("mecatronique"))
    for email, role in ((ADVISOR, "advisor"), (LEAD, "programme_lead"), (TUTOR, "tutor"), (MENTOR, "mentor")):
        add_user(app, email, name=email.split("@")[0].title(), role=role, cfa_code=CFA, password=PASSWORD)
    cases: dict[str, list[int]] = {}
    number = 0
    for state, count in SPREAD:
        for _ in range(count):
            case_id = open_case(app, OpenCase("mecatronique", "Cand", f"N{number}", date(2004, 5, 12),
                                              f"c{number}@example.org", Track.STANDARD, ADVISOR))
            number += 1
            target = state
            if state == "withdrawn":
                advance(app, case_id, "withdraw", actor_email=ADVISOR, reason="une école d'ingénieurs")
            else:
                for trigger, path_facts in PATH[: STATES.index(target)]:
                    facts = path_facts
                    if trigger == "sign":
                        facts = {**path_facts, **mentor_of(len(cases.get("trial", [])), number)}
                    if facts:
                        set_facts(app, case_id, facts, actor_email=ADVISOR)
                    if trigger == "sign":  # refused until the contract dossier is complete and lawful
                        fill_dossier(app, case_id, advisor=ADVISOR)
                    advance(app, case_id, trigger, actor_email=LEAD if trigger == "validate" else ADVISOR)
            if target == "trial":
                start_on_its_day(app, case_id)  # signed in March for 1 September: the engine starts it then
                set_facts(app, case_id, {"tutor": TUTOR}, actor_email=ADVISOR)
            cases.setdefault(state, []).append(case_id)
    add_user(app, APPRENTICE, name="Cand N125", role="apprentice", cfa_code=CFA, password=PASSWORD,
             case_id=cases["trial"][0])
    # The autumn: absences in the trial, the first reviews held and logged, the next ones planned, reminders sent.
    clock.set(datetime(2026, 9, 21, 8, tzinfo=UTC))
    for case_id in cases["trial"][:10]:
        record_absence(app, case_id, date(2026, 9, 22), date(2026, 9, 24), actor_email=ADVISOR, reason="malade")
    run_once(app, datetime(2026, 10, 6, 8, tzinfo=UTC))
    held = planned = 0
    for case_id in cases["trial"]:
        clock.set(datetime(2026, 10, 6, 9, tzinfo=UTC))
        review = plan_review(app, case_id, planned_at=datetime(2026, 10, 20, 12, tzinfo=UTC), place="Salle B12",
                             actor_email=TUTOR)
        clock.set(datetime(2026, 10, 20, 15, tzinfo=UTC))
        log_review(app, int(review.id or 0), attended=["apprentice", "mentor", "tutor"],
                   skills={"Prototypage": "acquired"}, tutor_observations="Bon début.", actor_email=TUTOR)
        held = held or int(review.id or 0)
        nxt = plan_review(app, case_id, planned_at=datetime(2027, 4, 20, 12, tzinfo=UTC), place="Salle B12",
                          actor_email=TUTOR)
        planned = planned or int(nxt.id or 0)
    run_once(app, datetime(2026, 10, 21, 8, tzinfo=UTC))
    clock.set(datetime(2026, 11, 24, 9, tzinfo=UTC))
    return Template(cases["trial"][0], cases["apply"][0], planned, held)


_EMAIL_COLUMNS = re.compile(r"(^|_)(email|recipient)$")
#: Not copied: the CFA's programme and people (a copy's people are the same rows, renamed where named by email)
#: and what is not a case's (tokens, login throttling, import jobs).
KEPT_TABLES = ("programme", "person", "api_token", "login_failure", "import_job")


def copy_template(app: App, copies: int) -> None:
    """Copy every case-related row `copies` times inside PostgreSQL: one INSERT ... SELECT per table over
    generate_series(1, copies) AS k, ids and foreign keys to copied tables moved by k times the table's largest
    id, email columns renamed `local+k@domain`, texts under a unique constraint that no moved id makes unique
    suffixed `#k`; then each id sequence is set past the copies, and the kept counts (the tables without an id)
    computed again."""
    tables = [table for table in metadata.sorted_tables if table.name not in KEPT_TABLES and "id" in table.c]
    with app.engine.begin() as connection:
        offsets = {table.name: int(connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0)
                   for table in tables}
        for table in tables:
            if offsets[table.name]:
                connection.execute(_copy_statement(table, copies, offsets))
        for table in tables:
            connection.execute(sa.text(
                "SELECT setval(pg_get_serial_sequence(:name, 'id'), (SELECT max(id) FROM " + table.name + "))"
                " WHERE pg_get_serial_sequence(:name, 'id') IS NOT NULL AND EXISTS (SELECT 1 FROM "
                + table.name + ")"), {"name": table.name})
        # The board's TDB counts (tables without an id: not copied) counted again over the copies, as a
        # database loaded in bulk is (adapters/tdb_tally.py)
        TdbTally(connection).rebuild()


def _copy_statement(table: sa.Table, copies: int, offsets: dict[str, int]) -> sa.Insert:
    series = sa.func.generate_series(1, copies).table_valued("k").render_derived(name="copy")
    k = series.c.k
    moved = {"id"} | {column.name for column in table.columns
                      if any(fk.column.table.name in offsets for fk in column.foreign_keys)}
    values: list[sa.ColumnElement[object]] = []
    for column in table.columns:
        references = [fk.column.table.name for fk in column.foreign_keys]
        if column.name == "id":
            value: sa.ColumnElement[object] = column + k * offsets[table.name]
        elif references and references[0] in offsets:
            value = column + k * offsets[references[0]]
        elif _is_text(column) and _EMAIL_COLUMNS.search(column.name):
            value = sa.case((column.like("%@%"), sa.func.split_part(column, "@", 1) + "+" + sa.cast(k, sa.Text)
                             + "@" + sa.func.split_part(column, "@", 2)), else_=column)
        elif _is_text(column) and _unique_only_by_itself(table, column, moved):
            value = column + "#" + sa.cast(k, sa.Text)
        else:
            value = column
        values.append(value.label(column.name))
    source = sa.select(*values).select_from(table).join(series, sa.true()).where(table.c.id <= offsets[table.name])
    return table.insert().from_select([column.name for column in table.columns], source)


def _is_text(column: sa.Column[object]) -> bool:
    """A text column (SQLModel's AutoString is a TypeDecorator over a String, not a String)."""
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
    return isinstance(kind, sa.String) and not isinstance(kind, sa.Enum)


def _unique_only_by_itself(table: sa.Table, column: sa.Column[object], moved: set[str]) -> bool:
    """A text column under a unique constraint (or unique itself) that no moved id column shares."""
    if column.unique:
        return True
    constraints = [set(constraint.columns.keys()) for constraint in table.constraints
                   if isinstance(constraint, sa.UniqueConstraint) and column.name in constraint.columns]
    constraints += [set(index.columns.keys()) for index in table.indexes
                    if index.unique and column.name in index.columns]
    return any(not (names & moved) for names in constraints)


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def logged_in(app: App, email: str) -> Iterator[TestClient]:
    with TestClient(create_served_app(app), raise_server_exceptions=False) as client:
        token = _CSRF.search(client.get("/login").text)
        assert token is not None
        answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
                             follow_redirects=False)
        assert answer.status_code == 303, answer.text
        yield client


ROLES = (ADVISOR, LEAD, TUTOR, MENTOR, APPRENTICE)
#: The lists of the pages, also asked with a search (`?q=`): a name (one case per copy) and a copy's email.
LISTS = ("/board", "/risk", "/lead", "/tutor", "/mentor", "/invoices", "/admin/users")
SEARCHES = ("q=N123", "q=c123%2B77%40example.org")


def page_paths() -> list[str]:
    """Every GET route of the pages (contract_flow.web's routers), as declared."""
    return [route.path for router in web.ROUTERS for route in router.routes
            if isinstance(route, APIRoute) and "GET" in route.methods and route.path not in ("/logout",)]


def ids(app: App, template: Template) -> dict[str, list[str]]:
    """What fills each path parameter: the template's own rows."""
    with app.engine.connect() as connection:
        people = [str(row[0]) for row in connection.execute(sa.text(
            "SELECT id FROM person WHERE email = :email"), {"email": MENTOR})]
    return {"case_id": [str(template.trial_case), str(template.search_case)],
            "review_id": [str(template.planned_review), str(template.held_review)],
            "person_id": people, "code": ["mecatronique"]}


def candidates(app: App, template: Template) -> list[str]:
    """Every page path with its parameters filled every way `ids` gives (a parameter no id fills: left out)."""
    fill = ids(app, template)
    found: list[str] = []
    for path in page_paths():
        names = re.findall(r"{(\w+)(?::[^}]*)?}", path)
        if any(name not in fill for name in names):
            continue
        paths = [path]
        for name in names:
            paths = [re.sub(r"{" + name + r"(?::[^}]*)?}", value, each) for each in paths for value in fill[name]]
        found += paths
    return found


@dataclass
class Timing:
    who: str
    path: str
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def server_ms(client: TestClient, path: str) -> float:
    answer = client.get(path, follow_redirects=False)
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path}: {answer.status_code} {answer.text[:300]}")
    found = re.search(r"app;dur=([0-9.]+)", answer.headers.get("server-timing", ""))
    if found is None:
        raise RuntimeError(f"GET {path}: no Server-Timing header")
    return float(found.group(1))


def api_ms(client: TestClient, path: str, token: str) -> float:
    started = time.perf_counter()
    answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path}: {answer.status_code} {answer.text[:300]}")
    return elapsed


def role_pages(client: TestClient, paths: list[str]) -> tuple[list[str], list[str]]:
    """(the paths that answer this role 200 with HTML, the ones that failed with a server error)."""
    pages: list[str] = []
    broken: list[str] = []
    for path in paths:
        answer = client.get(path, follow_redirects=False)
        if answer.status_code >= 500:
            broken.append(f"{path}: {answer.status_code}")
        elif answer.status_code == 200 and answer.headers.get("content-type", "").startswith("text/html"):
            pages.append(path)
    for path in [path for path in pages if path in LISTS]:
        pages += [f"{path}?{search}" for search in SEARCHES]
    if "/board" in pages:
        pages.append("/board?needs_me=true")
    return pages, broken


@dataclass
class Plan:
    """What each role requests, found once on the template (the same on 100,000 cases)."""

    pages: dict[str, list[str]]
    api: dict[str, list[str]]
    tokens: dict[str, str]
    broken: list[str]


def plan(app: App, template: Template) -> Plan:
    paths = candidates(app, template)
    pages: dict[str, list[str]] = {}
    broken: list[str] = []
    for who in ROLES:
        with logged_in(app, who) as client:
            pages[who], failed = role_pages(client, paths)
            broken += [f"{who}: {failure}" for failure in failed]
    with TestClient(create_app(app)) as client:
        pages[""] = ["/login"]
        tokens = {who: issue_token(app, who) for who in ROLES}
        api: dict[str, list[str]] = {}
        for who in ROLES:
            wanted = ["/api/v1/me/todo"] + (["/api/v1/cases?q=N123", "/api/v1/cases?q=c123%2B77%40example.org"]
                                            if who in (ADVISOR, LEAD) else [])
            api[who] = [path for path in wanted if client.get(
                path, headers={"Authorization": f"Bearer {tokens[who]}"}).status_code == 200]
    return Plan(pages, api, tokens, broken)


def measure(app: App, chosen: Plan, repeats: int) -> dict[tuple[str, str], Timing]:
    timings: dict[tuple[str, str], Timing] = {}
    for who, paths in chosen.pages.items():
        with _client_for(app, who) as client:
            for path in paths:
                timings[(who, path)] = Timing(who, path, _timed(partial(server_ms, client, path), repeats,
                                                                f"{who or 'anonymous'} {path}"))
    with TestClient(create_served_app(app)) as client:
        for who, paths in chosen.api.items():
            for path in paths:
                timings[(who, path)] = Timing(who, path, _timed(partial(api_ms, client, path, chosen.tokens[who]),
                                                                repeats, f"{who} {path}"))
    return timings


def _timed(request: Callable[[], float], repeats: int, label: str) -> list[float]:
    for _ in range(3):
        request()
    times = [request() for _ in range(repeats)]
    # As it goes, on stderr: a run stopped early still tells what it measured.
    print(f"  {label}: p95 {Timing('', '', times).p95:.1f} ms", file=sys.stderr, flush=True)
    return times


@contextmanager
def _client_for(app: App, who: str) -> Iterator[TestClient]:
    if not who:
        with TestClient(create_served_app(app)) as client:
            yield client
    else:
        with logged_in(app, who) as client:
            yield client


def report(title: str, timings: dict[tuple[str, str], Timing]) -> None:
    print(title)
    for timing in sorted(timings.values(), key=lambda timing: -timing.p95):
        who = timing.who.split("@")[0] or "anonymous"
        print(f"  {who:<12} {timing.path:<44} median {timing.median:7.1f} ms  p95 {timing.p95:7.1f} ms  "
              f"worst {max(timing.times):7.1f} ms")


def count_cases(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM apprenticeship_case")).scalar_one())


def count_rows(app: App) -> str:
    with app.engine.connect() as connection:
        counts = {name: int(connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one())
                  for name in ("case_event", "reminder", "review", "inbox_message", "contract")
                  if name in metadata.tables}
    return ", ".join(f"{count:,} {name}" for name, count in counts.items())


def only(chosen: Plan, pattern: str | None) -> Plan:
    """The plan with only the paths `pattern` finds (all of them without one)."""
    if pattern is None:
        return chosen
    keep = re.compile(pattern)
    return Plan({who: [path for path in paths if keep.search(path)] for who, paths in chosen.pages.items()},
                {who: [path for path in paths if keep.search(path)] for who, paths in chosen.api.items()},
                chosen.tokens, chosen.broken)


def template_of(app: App) -> Template:
    """The template's cases and reviews found again in a database a --keep run left."""
    with app.engine.connect() as connection:
        trial = int(connection.execute(sa.text("SELECT case_id FROM person WHERE email = :email"),
                                       {"email": APPRENTICE}).scalar_one())
        search = int(connection.execute(sa.text(
            "SELECT min(id) FROM apprenticeship_case WHERE state = 'apply'")).scalar_one())
        reviews = dict(connection.execute(sa.text(
            "SELECT state, min(id) FROM review WHERE case_id = :case GROUP BY state"), {"case": trial}).all())
    return Template(trial, search, int(reviews["planned"]), int(reviews["held"]))


def measure_again(database: str, repeats: int, pattern: str | None) -> int:
    url = os.environ.get(ENV_POSTGRES_URL)
    if not url:
        raise SystemExit(f"--reuse needs ${ENV_POSTGRES_URL}: the server the --keep run used")
    app = services(Postgres(url).url_of(database), FixedClock(datetime(2026, 11, 24, 9, tzinfo=UTC)))
    try:
        timings = measure(app, only(plan(app, template_of(app)), pattern), repeats)
        report(f"measured again: {count_cases(app):,} cases", timings)
    finally:
        app.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=499, help="copies of the 200-case template (499: 100,000 "
                                                                 "cases)")
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end (its name is printed) "
                                                              "for --reuse")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database a --keep run left (on "
                                                           f"${ENV_POSTGRES_URL}'s server): no building, no "
                                                           "baseline, no ratio")
    parser.add_argument("--only", metavar="REGEX", help="measure only the paths this regular expression finds")
    args = parser.parse_args()
    if args.reuse:
        return measure_again(args.reuse, args.repeats, args.only)
    with tempfile.TemporaryDirectory(prefix="contract-flow-bench-web-") as folder, ExitStack() as stack:
        url = os.environ.get(ENV_POSTGRES_URL) or stack.enter_context(start_postgres(Path(folder))).url
        postgres = Postgres(url)
        if not args.keep:
            stack.callback(postgres.drop_all)
        clock = FixedClock(START)
        app = services(postgres.url_of(postgres.create("cf_bench_web")), clock)
        stack.callback(app.close)
        upgrade(app)
        started = time.perf_counter()
        template = build_template(app, clock)
        print(f"template: {count_cases(app)} cases through the use cases in {time.perf_counter() - started:.1f} s")
        chosen = only(plan(app, template), args.only)
        small = measure(app, chosen, args.repeats)
        started = time.perf_counter()
        copy_template(app, args.copies)
        with app.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        print(f"copied: {count_cases(app):,} cases ({count_rows(app)}) in {time.perf_counter() - started:.1f} s")
        large = measure(app, chosen, args.repeats)
        if args.keep:
            print(f"kept: --reuse {postgres.made[-1]}")
    cases = TEMPLATE_CASES * (args.copies + 1)
    report(f"baseline, same run: {TEMPLATE_CASES} cases", small)
    report(f"measured: {cases:,} cases on PostgreSQL", large)
    for failure in chosen.broken:
        print(f"server error (not measured): {failure}")
    grew = min(large, key=lambda key: small[key].p95 / large[key].p95)
    worst = max(large.values(), key=lambda timing: timing.p95)
    print(f"most grown: {grew[1]} ({small[grew].p95:.1f} -> {large[grew].p95:.1f} ms p95): "
          f"scale ratio={small[grew].p95 / large[grew].p95:.3f}")
    verdict = "within" if worst.p95 <= BUDGET_MS else "OVER"
    print(f"worst page: {worst.path} as {worst.who or 'anonymous'}, p95 {worst.p95:.1f} ms, {verdict} the "
          f"{BUDGET_MS:.0f} ms budget")
    print(f"ratio={BUDGET_MS / worst.p95:.3f}")
    return 0


if __name__ == "__main__":
    run(main)
