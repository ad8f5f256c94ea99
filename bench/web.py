"""Server time of every web page with 10,000 cases in the database (issue 6, item 7: none over 300 ms).

The data. The embedded default (a SQLite file in WAL mode). A template of 200 cases of one CFA is made through
the real use cases, spread over the chart as a CFA's year spreads them: every step of the search, trials and
contracts in their trial with their reviews (one held and logged, one planned), absences, withdrawals; their reminders
planned and the due ones delivered once (so inboxes hold messages and the ledger has sent rows). The template
is then copied 49 times, row by row, table by table, with fresh ids (foreign keys follow their rows), and the
people of each copy renamed (`lea+7@...`): the database holds 10,000 cases with their histories, contracts,
reviews, reminders and inbox messages, and each person of the template still has the template's load (a tutor
follows their apprentices, not 10,000). The advisor's and the programme lead's pages cover all 10,000.

The measure. The app is served in this process (FastAPI's TestClient; the transport is not timed): each role
logs in through the login form, then every page of its day is requested (GET) 30 times after 3 untimed ones; a
page's time is the `Server-Timing: app;dur=` header, the time from the request entering the app to the response
leaving it, as the server's own middleware measures it. Printed: per page, the median, p95 and worst.

The baseline, in the same run: the same pages on the template alone (200 cases), measured the same way before
the copies are made. `scale ratio=<p95 on 200 cases / p95 on 10,000>` for the page that grew most (1.0: its time
does not depend on the number of cases). Last line: `ratio=<300 ms / worst page's p95 on 10,000 cases>`: at least
1.0 when no page is over the issue's budget.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("CONTRACT_FLOW_PASSWORD_HASH_COST", "cheapest")  # logins are not what is measured

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from bench._common import run  # noqa: E402
from contract_flow.adapters.clock import FixedClock  # noqa: E402
from contract_flow.adapters.smtp import SmtpMailer  # noqa: E402
from contract_flow.adapters.tables import metadata  # noqa: E402
from contract_flow.asgi import create_app  # noqa: E402
from contract_flow.bootstrap import App, bootstrap  # noqa: E402
from contract_flow.domain.case import Track  # noqa: E402
from contract_flow.rulefiles import load_programme_calendar  # noqa: E402
from contract_flow.services.cases import OpenCase, advance, open_case, record_absence, set_facts  # noqa: E402
from contract_flow.services.directory import add_programme, add_user  # noqa: E402
from contract_flow.services.reminders import run_once  # noqa: E402
from contract_flow.services.reviews import log_review, plan_review  # noqa: E402
from contract_flow.services.schema import upgrade  # noqa: E402
from contract_flow.settings import Settings  # noqa: E402
from tests.support.cases import PATH, STATES, start_on_its_day  # noqa: E402
from tests.support.dossier import fill_dossier  # noqa: E402

BUDGET_MS = 300.0
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
    app = bootstrap(Settings(database_url=url, environment="test"), clock=clock)
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


def copy_template(app: App, copies: int) -> None:
    """Copy every case-related row `copies` times with fresh ids; the people of copy k are renamed `x+k@`."""
    case_tables = [table for table in metadata.sorted_tables if table.name not in ("programme", "person", "api_token")]
    with app.engine.begin() as connection:
        rows = {table.name: [dict(row) for row in connection.execute(sa.select(table)).mappings()]
                for table in case_tables}
        offsets = {table.name: int(connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0)
                   for table in case_tables}
        for k in range(1, copies + 1):
            for table in case_tables:
                if not rows[table.name]:
                    continue
                connection.execute(table.insert(), [_copied(table, row, k, offsets) for row in rows[table.name]])


def _copied(table: sa.Table, row: dict[str, object], k: int, offsets: dict[str, int]) -> dict[str, object]:
    copy = dict(row)
    copy["id"] = int(row["id"]) + k * offsets[table.name]  # type: ignore[call-overload]
    for column in table.columns:
        value = copy[column.name]
        if value is None:
            continue
        references = [fk.column.table.name for fk in column.foreign_keys]
        if references and references[0] in offsets:
            copy[column.name] = int(value) + k * offsets[references[0]]  # type: ignore[call-overload]
        elif isinstance(value, str) and _EMAIL_COLUMNS.search(column.name) and "@" in value:
            local, _, domain = value.partition("@")
            copy[column.name] = f"{local}+{k}@{domain}"
        elif isinstance(value, str) and (column.unique or any(
                column.name in constraint.columns for constraint in table.constraints
                if isinstance(constraint, sa.UniqueConstraint))):
            copy[column.name] = f"{value}#{k}"
    return copy


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def logged_in(app: App, email: str) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=True) as client:
        token = _CSRF.search(client.get("/login").text)
        assert token is not None
        answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
                             follow_redirects=False)
        assert answer.status_code == 303, answer.text
        yield client


def pages(template: Template) -> list[tuple[str, str]]:
    """(who, path): every page of each role's day."""
    trial, search = template.trial_case, template.search_case
    return [
        (ADVISOR, "/board"), (ADVISOR, "/risk"), (ADVISOR, f"/cases/{trial}"), (ADVISOR, f"/cases/{search}"),
        (ADVISOR, "/import"), (ADVISOR, "/inbox"),
        (LEAD, "/lead"), (LEAD, "/board"),
        (TUTOR, "/tutor"), (TUTOR, f"/cases/{trial}/reviews/new"), (TUTOR, f"/reviews/{template.planned_review}/log"),
        (MENTOR, "/mentor"), (MENTOR, f"/cases/{trial}/absences/new"), (MENTOR, f"/cases/{trial}"),
        (APPRENTICE, "/me"), (APPRENTICE, "/inbox"), (APPRENTICE, f"/cases/{trial}"),
        ("", "/login"),
    ]


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


def measure(app: App, template: Template, repeats: int) -> dict[tuple[str, str], Timing]:
    timings: dict[tuple[str, str], Timing] = {}
    by_person: dict[str, list[str]] = {}
    for who, path in pages(template):
        by_person.setdefault(who, []).append(path)
    for who, paths in by_person.items():
        with _client_for(app, who) as client:
            for path in paths:
                for _ in range(3):
                    server_ms(client, path)
                timings[(who, path)] = Timing(who, path, [server_ms(client, path) for _ in range(repeats)])
    return timings


@contextmanager
def _client_for(app: App, who: str) -> Iterator[TestClient]:
    if not who:
        with TestClient(create_app(app)) as client:
            yield client
    else:
        with logged_in(app, who) as client:
            yield client


def report(title: str, timings: dict[tuple[str, str], Timing]) -> None:
    print(title)
    for timing in timings.values():
        who = timing.who.split("@")[0] or "anonymous"
        print(f"  {who:<12} {timing.path:<28} median {timing.median:7.1f} ms  p95 {timing.p95:7.1f} ms  "
              f"worst {max(timing.times):7.1f} ms")


def count_cases(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM apprenticeship_case")).scalar_one())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=49, help="copies of the 200-case template (49: 10,000 cases)")
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contract-flow-bench-web-") as folder:
        url = f"sqlite:///{Path(folder) / 'web.sqlite'}"
        clock = FixedClock(START)
        app = services(url, clock)
        try:
            upgrade(app)
            started = time.perf_counter()
            template = build_template(app, clock)
            print(f"template: {count_cases(app)} cases through the use cases in {time.perf_counter() - started:.1f} s")
            small = measure(app, template, args.repeats)
            started = time.perf_counter()
            copy_template(app, args.copies)
            with app.engine.begin() as connection:
                connection.execute(sa.text("ANALYZE"))
            print(f"copied: {count_cases(app)} cases in {time.perf_counter() - started:.1f} s")
            large = measure(app, template, args.repeats)
        finally:
            app.close()
    report(f"baseline, same run: {200} cases", small)
    report(f"measured: {200 * (args.copies + 1)} cases", large)
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
