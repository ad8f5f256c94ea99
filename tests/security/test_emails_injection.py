"""Issue 12, item 6: names typed by people reach the HTML of the reminder emails escaped.

The attack: a candidate named `<img src=x onerror=alert(1)>` (or an employer, a mentor, a review's place) went
unescaped into the HTML greeting and footer, which the shared words (`_common.j2`, not autoescaped) wrote, and on
to employers, advisors and apprentices. Here every kind of reminder is planned by the real planner for cases whose
people carry such names, built into the email that would be sent (the real templates, both languages, every
recipient), and its HTML part parsed back: no element nor attribute comes from a payload, and the payload is there
as text (so the test cannot pass by leaving the names out). The text part keeps the names as typed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest

from contract_flow.domain.case import Case
from contract_flow.domain.context import PARIS
from contract_flow.domain.reminders import CaseFacts, PlannedReminder, ReminderKind, ReminderPolicies, plan
from contract_flow.domain.reminders.planner import ENGINE
from contract_flow.domain.states import CaseState
from contract_flow.messages import build_email
from tests.unit.messages.test_messages import (
    BILLING,
    LANGUAGES,
    LEGAL_REPRESENTATIVE,
    MESSAGE_KINDS,
    NOW,
    POLICIES,
    SETTINGS,
    a_case,
    planned_review,
    row_for,
    rules,
    signed_trial_case,
)

#: What an attacker types as a name: an element with a handler, a closing tag and a script, an attribute breakout.
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "Léa</p><script>alert(1)</script>",
    '" onmouseover="alert(1)',
)


def _with_names(case: Case, payload: str) -> Case:
    """The case with the attacker's text as the candidate's last name, the employer's and the mentor's names."""
    case.candidate.last_name = payload
    if case.contract.employer_name is not None:
        case.contract.employer_name = f"Industrie {payload}"
    if case.contract.mentor_name is not None:
        case.contract.mentor_name = f"Marie {payload}"
    return case


def everything_planned(payload: str) -> list[PlannedReminder]:
    """As tests/unit/messages plans every kind (a searching case, one in its trial with a review planned «at» the
    payload, a broken one, an adult's active one filed with the OPCO and invoiced, one closed without a contract),
    with the attacker's names."""
    searching = _with_names(a_case(CaseState.APPLY), payload)
    trial = _with_names(signed_trial_case(), payload)
    broken = _with_names(a_case(CaseState.ENDED_IN_TRIAL, start_date=date(2026, 9, 1), ended_on=date(2026, 9, 20)),
                         payload)
    filed = _with_names(signed_trial_case(birth_date=date(2004, 5, 17)), payload)
    filed.id, filed.state = 8, CaseState.ACTIVE
    terms = filed.contract
    terms.opco_filed_on = date(2026, 9, 3)
    deadlines = rules().contract_deadlines(filed)
    assert deadlines.opco_decision_due is not None
    terms.opco_decision_due, terms.medical_visit_due = deadlines.opco_decision_due.due, deadlines.medical_visit_due.due
    terms.participation_amount = Decimal("200")
    lapsed = _with_names(a_case(CaseState.NO_CONTRACT), payload)
    lapsed.id, lapsed.state_since = 9, datetime(2026, 12, 3, 10, 30, tzinfo=PARIS)
    planned = [
        *plan(CaseFacts(case=searching, search_window_end=rules().search_window_end(searching),
                        legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES),
        *plan(CaseFacts(case=trial, reviews=(planned_review(trial, place=f"Atelier {payload}"),),
                        legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES),
        *plan(CaseFacts(case=broken, resume_window_end=rules().resume_window_end(date(2026, 9, 20))), POLICIES),
        *plan(CaseFacts(case=filed), ReminderPolicies(channels=("email",), billing_email=BILLING)),
        *plan(CaseFacts(case=lapsed, search_window_end=rules().search_window_end(lapsed)), POLICIES),
    ]
    return [item for item in planned if item.channel != ENGINE]


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parts(message: EmailMessage) -> tuple[str, str]:
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert html is not None
    assert text is not None
    return str(html.get_content()), str(text.get_content())


#: The elements and attributes the templates themselves write; anything else came from a payload.
TEMPLATE_TAGS = {"html", "head", "meta", "title", "body", "div", "h1", "p", "br", "hr", "ul", "li", "strong", "em",
                 "table", "tr", "td", "th", "thead", "tbody", "a", "span"}
TEMPLATE_ATTRIBUTES = {"lang", "charset", "name", "content", "style", "href"}


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reminder_email_escapes_names_in_its_html(payload: str, language: str) -> None:
    planned = everything_planned(payload)
    assert {item.kind for item in planned} == set(MESSAGE_KINDS)  # every kind of message is attacked
    for index, item in enumerate(planned):
        email = build_email(SETTINGS, row_for(item, index + 1), language, now=NOW)
        html, text = _parts(email.parsed())
        parsed = _Elements()
        parsed.feed(html)
        parsed.close()
        where = f"{item.kind.value} to {item.recipient_role} ({language})"
        assert {tag for tag, _ in parsed.tags} <= TEMPLATE_TAGS, where
        attributes = {name for _, attrs in parsed.tags for name, _ in attrs}
        assert attributes <= TEMPLATE_ATTRIBUTES, where
        assert not any(name.startswith("on") for name in attributes), where
        # The names are there, as text: escaped, not dropped.
        candidate = item.payload.get("candidate", "")
        assert payload in candidate
        assert candidate in "".join(parsed.text) or payload in "".join(parsed.text), where
        # The text part is not HTML: it keeps the name as typed, with no entities.
        assert payload in text, where
        assert "&lt;" not in text, where
        assert "&#" not in text, where


def test_the_greeting_and_footer_are_the_parts_that_were_unescaped() -> None:
    """The reproduction: the apprentice's greeting and the advisor's footer (the shared words) carried the element
    before the fix; both now show it as text."""
    payload = PAYLOADS[0]
    for item in everything_planned(payload):
        if item.kind in (ReminderKind.BREAK_NUDGE, ReminderKind.BREAK_ADVISOR):
            for language in LANGUAGES:
                html, _ = _parts(build_email(SETTINGS, row_for(item), language, now=NOW).parsed())
                assert "<img" not in html
                assert "&lt;img src=x onerror=alert(1)&gt;" in html
