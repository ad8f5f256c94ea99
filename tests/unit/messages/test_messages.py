"""Reminder messages: every kind in both languages, from the payloads the real planner writes, worded as they read
when sent (on time, late, on the day itself); the email built from a ledger row (headers, Message-ID, Cc, the
iCalendar invitation and its update)."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from email.message import EmailMessage
from functools import cache
from typing import Any

import pytest
from icalendar import Calendar

from contract_flow.adapters.ledger import PLANNED, LedgerRow
from contract_flow.domain.case import ALL_PARTS, Candidate, Case, ContractTerms, ProgrammeTerms, Track
from contract_flow.domain.context import PARIS
from contract_flow.domain.legal import NO_SCHOOL, LegalRules
from contract_flow.domain.reminders import CaseFacts, PlannedReminder, ReminderKind, ReminderPolicies, plan
from contract_flow.domain.reminders.planner import ENGINE, ENGINE_KINDS
from contract_flow.domain.reviews import Party, Review
from contract_flow.domain.states import CaseState
from contract_flow.formatting import as_day, format_day, format_days_from, format_money
from contract_flow.messages import Rendered, build_email, message_id_for, render
from contract_flow.rulefiles import load_ruleset
from contract_flow.settings import Settings

NBSP = "\u00a0"
LANGUAGES = ("fr", "en")
MESSAGE_KINDS = [kind for kind in ReminderKind if kind not in ENGINE_KINDS]
PROGRAMME = ProgrammeTerms(code="mecatronique", years=3, seats=40, start_date=date(2026, 9, 1))
#: 17 at the contract start, 18 on 17 November 2026: a minor (her legal representative is copied), then a new
#: pay band from 1 December 2026 (D6222-31).
MINOR_BIRTH_DATE = date(2008, 11, 17)
LEGAL_REPRESENTATIVE = "parent.martin@example.org"
APPRENTICE, ADVISOR = "lea.martin@example.org", "claire.conseil@cfa.example"
TUTOR, MENTOR, EMPLOYER = "thomas.tuteur@cfa.example", "marie.maitre@industrie.example", "rh@industrie.example"
NOW = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)
SETTINGS = Settings(environment="test", mail_from="CFA IMT Mines Alès <no-reply@cfa.example>",
                    message_id_domain="cfa.example")
POLICIES = ReminderPolicies(channels=("email",))
BILLING = "facturation@cfa.example"


@cache
def rules() -> LegalRules:
    return LegalRules(load_ruleset(), lambda code: NO_SCHOOL)


def a_case(state: CaseState, *, birth_date: date = MINOR_BIRTH_DATE, **contract: Any) -> Case:
    case = Case(id=7, programme=PROGRAMME, candidate=Candidate("Léa", "Martin", birth_date, APPRENTICE),
                track=Track.STANDARD, state=state, opened_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
                state_since=datetime(2026, 3, 2, 9, tzinfo=UTC), loaded=set(ALL_PARTS),
                advisor_email=ADVISOR, tutor_email=TUTOR, legal_representative_email=LEGAL_REPRESENTATIVE)
    case.contract = ContractTerms(**contract)
    return case


def signed_trial_case(birth_date: date = MINOR_BIRTH_DATE) -> Case:
    """Signed on 15 June 2026 for 1 September 2026, 3 years; trial end, OPCO deadline and pay from the rules."""
    case = a_case(CaseState.TRIAL, birth_date=birth_date, signature_date=date(2026, 6, 15),
                  start_date=date(2026, 9, 1), end_date=date(2029, 8, 31), employer_name="Industrie SA",
                  employer_email=EMPLOYER, mentor_name="Marie Maître", mentor_email=MENTOR, signed=True)
    terms = case.contract
    terms.trial_end = rules().trial_end(case)
    terms.opco_filing_due = rules().deadlines(case).opco_filing_due
    after = rules().contract_deadlines(case)
    terms.medical_visit_due = after.medical_visit_due.due  # a minor: the start (R4624-18)
    terms.hiring_aid_filing_due = after.hiring_aid_filing_due.due
    terms.participation_amount = Decimal("750")  # L6332-14, R6332-25-1: level 7, concluded after 1 July 2025
    terms.pay_schedule = [
        {"from": p.start.isoformat(), "to": p.end.isoformat(), "contract_year": str(p.contract_year),
         "age_band": p.age_band, "percent": str(p.percent), "reference": p.reference,
         "minimum_monthly_gross": f"{p.minimum_monthly_gross:.2f}"}
        for p in rules().pay_schedule(case)
    ]
    return case


PLANNED_AT = datetime(2026, 10, 27, 14, 0, tzinfo=PARIS)
#: The review moved two days later, on 20 October, after the invitations to 27 October had gone out.
MOVED_TO = datetime(2026, 10, 29, 10, 0, tzinfo=PARIS)


def planned_review(case: Case, review_id: int = 12, place: str = "Industrie SA, atelier B") -> Review:
    return Review(case_id=7, due_by=date(2026, 11, 1), planned_at=PLANNED_AT,
                  place=place, participants={Party.APPRENTICE: APPRENTICE, Party.MENTOR: MENTOR, Party.TUTOR: TUTOR},
                  id=review_id)


def trial_plan(place: str = "Industrie SA, atelier B", policies: ReminderPolicies = POLICIES) -> list[PlannedReminder]:
    case = signed_trial_case()
    return plan(CaseFacts(case=case, reviews=(planned_review(case, place=place),),
                          legal_representative_email=LEGAL_REPRESENTATIVE), policies)


def moved_review_updates() -> list[PlannedReminder]:
    """The updates the planner sends when the review of 27 October is moved to 29 October: everyone was invited."""
    case = signed_trial_case()
    review = dataclasses.replace(planned_review(case), planned_at=MOVED_TO, version=2,
                                 scheduled_at=datetime(2026, 10, 20, 11, 0, tzinfo=PARIS))
    invited = {(12, email): {1: PLANNED_AT.isoformat(timespec="minutes")} for email in (APPRENTICE, MENTOR, TUTOR)}
    moved = plan(CaseFacts(case=case, reviews=(review,), legal_representative_email=LEGAL_REPRESENTATIVE,
                           invited=invited), POLICIES)
    return [item for item in moved if item.kind is ReminderKind.REVIEW_INVITATION]


def lapsed_plan() -> list[PlannedReminder]:
    """A candidate whose 3 months without an employer ended on 1 December 2026, closed "sans contrat" on the 3rd."""
    lapsed = a_case(CaseState.NO_CONTRACT)
    lapsed.id, lapsed.state_since = 9, datetime(2026, 12, 3, 10, 30, tzinfo=PARIS)
    return plan(CaseFacts(case=lapsed, search_window_end=rules().search_window_end(lapsed),
                          legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES)


def signed_plan() -> list[PlannedReminder]:
    """The contract of the case in its trial, signed and waiting for its start (another case: keys of its own)."""
    case = signed_trial_case()
    case.id, case.state = 10, CaseState.SIGNED
    return plan(CaseFacts(case=case, legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES)


@cache
def planned_everything() -> tuple[PlannedReminder, ...]:
    """A searching case, a contract signed not started yet, a case in its trial (its review then moved), a broken
    one, an active one and a lapsed one: between them, every kind of reminder."""
    searching = a_case(CaseState.APPLY)
    search = plan(CaseFacts(case=searching, search_window_end=rules().search_window_end(searching),
                            legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES)
    broken = a_case(CaseState.ENDED_IN_TRIAL, start_date=date(2026, 9, 1), ended_on=date(2026, 9, 20))
    after_break = plan(CaseFacts(case=broken, resume_window_end=rules().resume_window_end(date(2026, 9, 20))),
                       POLICIES)
    return (*search, *signed_plan(), *trial_plan(), *moved_review_updates(), *after_break, *filed_plan(),
            *lapsed_plan())


def filed_plan() -> list[PlannedReminder]:
    """An adult's contract, now active, filed with the OPCO on 3 September 2026 (its decision due 20 days later,
    D6224-2), a participation of 200 € that the CFA's billing address invoices."""
    case = signed_trial_case(birth_date=date(2004, 5, 17))
    case.id, case.state = 8, CaseState.ACTIVE  # another case: keys (and Message-IDs) of their own
    terms = case.contract
    terms.opco_filed_on = date(2026, 9, 3)
    deadlines = rules().contract_deadlines(case)
    assert deadlines.opco_decision_due is not None  # the filing is recorded
    terms.opco_decision_due = deadlines.opco_decision_due.due
    terms.medical_visit_due = deadlines.medical_visit_due.due
    terms.participation_amount = Decimal("200")
    return plan(CaseFacts(case=case), ReminderPolicies(channels=("email",), billing_email=BILLING))


@cache
def planned_by_kind() -> dict[str, list[PlannedReminder]]:
    found: dict[str, list[PlannedReminder]] = defaultdict(list)
    for item in planned_everything():
        found[item.kind.value].append(item)
    return dict(found)


def one(kind: ReminderKind, role: str | None = None) -> PlannedReminder:
    return next(item for item in planned_everything()
                if item.kind is kind and (role is None or item.recipient_role == role)
                and item.payload.get("update") != "yes")


def on_time(item: PlannedReminder, language: str) -> Rendered:
    """The message as it reads when sent at the moment the planner gave it."""
    return render(item.kind, item.payload, language, at=item.due_at)


def row_for(item: PlannedReminder, row_id: int = 1) -> LedgerRow:
    return LedgerRow(id=row_id, key=item.key, case_id=item.case_id, kind=item.kind.value,
                     recipient_role=item.recipient_role, recipient=item.recipient, channel=item.channel,
                     due_at=item.due_at, status=PLANNED, attempts=0, last_error=None, payload=dict(item.payload),
                     claim_token=None, sent_at=None, message_id=None)


def text_part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return str(part.get_content())


def invitation(message: EmailMessage) -> tuple[EmailMessage, Calendar]:
    parts = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0], Calendar.from_ical(parts[0].get_content())


# --- the planner's payloads, every kind, both languages ---------------------------------------------------------

def test_the_scenarios_plan_every_kind_of_reminder() -> None:
    assert set(planned_by_kind()) == {kind.value for kind in ReminderKind}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MESSAGE_KINDS)
def test_every_kind_renders_in_both_languages_for_every_planned_recipient(kind: ReminderKind, language: str) -> None:
    for item in planned_by_kind()[kind.value]:
        payload = item.payload
        message = on_time(item, language)
        assert isinstance(message, Rendered)
        assert message.subject.strip() == message.subject
        assert "\n" not in message.subject
        assert len(message.subject) > 10
        assert payload["candidate"] in message.text
        assert message.text.endswith("\n")
        assert "\n\n\n" not in message.text
        assert f'<html lang="{language}">' in message.html
        assert "{{" not in message.text + message.html
        assert "{%" not in message.text + message.html


def test_every_reminder_planned_for_a_case_in_its_trial_renders() -> None:
    """Planner and templates agree on the payload keys: a key a template needs and the planner does not put in
    fails here (StrictUndefined)."""
    planned = trial_plan()
    kinds = {item.kind for item in planned}
    assert {ReminderKind.OPCO_FILING, ReminderKind.TRIAL_ENDING, ReminderKind.REVIEW_INVITATION,
            ReminderKind.PAY_CHANGE} <= kinds
    for item in planned:
        if item.channel == ENGINE:
            continue
        for language in LANGUAGES:
            assert on_time(item, language).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_subjects_differ_from_one_kind_to_another(language: str) -> None:
    subjects: dict[str, set[str]] = defaultdict(set)
    for kind in MESSAGE_KINDS:
        for item in planned_by_kind()[kind.value]:
            subjects[on_time(item, language).subject].add(kind.value)
    shared = {subject: kinds for subject, kinds in subjects.items() if len(kinds) > 1}
    assert not shared


def test_a_message_is_addressed_by_the_recipients_role() -> None:
    item = one(ReminderKind.TRIAL_ENDING)
    to = {role: render(ReminderKind.TRIAL_ENDING, {**item.payload, "role": role}, "fr", at=item.due_at).text
          for role in ("apprentice", "mentor", "advisor")}
    assert to["apprentice"].startswith("Bonjour Léa Martin,")
    assert "votre contrat d’apprentissage" in to["apprentice"]
    assert f"en tant que maître d’apprentissage de Léa Martin (dossier n°{NBSP}7)" in to["mentor"]
    assert "chargé(e) de relations entreprises du CFA" in to["advisor"]
    assert len(set(to.values())) == 3


# --- what the messages say --------------------------------------------------------------------------------------

def test_the_french_trial_message_gives_the_date_the_rule_and_what_to_do() -> None:
    item = one(ReminderKind.TRIAL_ENDING, "apprentice")
    payload = item.payload
    trial_end = date.fromisoformat(payload["trial_end"])
    message = render(ReminderKind.TRIAL_ENDING, payload, "fr", at=item.due_at)
    expected_day = format_day(trial_end, "fr")
    assert re.fullmatch(r"\d{1,2}(er)? [a-zéû]+ \d{4}", expected_day)
    assert expected_day in message.subject
    assert expected_day in message.text
    assert "L6222-18" in message.text
    assert "45 premiers jours" in message.text
    assert "Ce qu’il faut faire" in message.text
    assert payload["trial_end"] not in message.text  # no ISO dates for people


def test_the_english_trial_message_gives_the_date_in_english() -> None:
    item = one(ReminderKind.TRIAL_ENDING, "mentor")
    payload = item.payload
    message = render(ReminderKind.TRIAL_ENDING, payload, "en", at=item.due_at)
    assert format_day(payload["trial_end"], "en") in message.text
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November"
                     r"|December) \d{4}", message.subject)
    assert "L6222-18" in message.text
    assert "What to do" in message.text


@pytest.mark.parametrize(("kind", "rule"), [
    (ReminderKind.OPCO_FILING, "D6224-1"),
    (ReminderKind.OPCO_OVERDUE, "D6224-1"),
    (ReminderKind.SEARCH_WINDOW, "L6222-12-1"),
    (ReminderKind.SEARCH_WINDOW_ENDED, "L6222-12-1"),
    (ReminderKind.TRIAL_ENDING, "L6222-18"),
    (ReminderKind.PAY_CHANGE, "D6222-26"),
    (ReminderKind.BREAK_NUDGE, "L6222-18-2"),
    (ReminderKind.BREAK_ADVISOR, "L6222-18-2"),
    (ReminderKind.REVIEW_INVITATION, "L6231-2"),
    (ReminderKind.REVIEW_UNLOGGED, "Qualiopi"),
    (ReminderKind.OPCO_SILENCE, "D6224-2"),
    (ReminderKind.OPCO_SILENCE, "L231-4"),
    (ReminderKind.OPCO_REFUSED_BY_SILENCE, "D6224-2"),
    (ReminderKind.OPCO_REFUSED_BY_SILENCE, "L231-4"),
    (ReminderKind.HIRING_AID_FILING, "D6243-1"),
    (ReminderKind.PARTICIPATION_INVOICE, "L6332-14"),
    (ReminderKind.PARTICIPATION_INVOICE, "R6332-25-1"),
])
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_message_names_the_rule_it_comes_from(kind: ReminderKind, rule: str, language: str) -> None:
    for item in planned_by_kind()[kind.value]:
        rendered = on_time(item, language)
        assert rule in rendered.text
        assert rule in rendered.html


@pytest.mark.parametrize("role", ["employer", "apprentice"])
def test_the_pay_change_states_the_new_amount_and_the_day_it_applies_from(role: str) -> None:
    item = one(ReminderKind.PAY_CHANGE, role)
    payload = item.payload
    assert payload["from"] == "2026-12-01"  # the month after the 18th birthday (D6222-31)
    french = render(ReminderKind.PAY_CHANGE, payload, "fr", at=item.due_at)
    amount = format_money(payload["amount"], "fr")
    assert re.fullmatch(rf"\d{{3}},\d{{2}}{NBSP}€", amount)
    assert amount in french.subject
    assert "1er décembre 2026" in french.subject
    assert f"passe de {format_money(payload['previous_amount'], 'fr')} à {amount} brut par mois" in french.text
    assert f"{payload['percent']}{NBSP}% du SMIC" in french.text
    assert "18 à 20 ans" in french.text
    english = render(ReminderKind.PAY_CHANGE, payload, "en", at=item.due_at)
    assert f"€{payload['amount']}" in english.subject
    assert "1 December 2026" in english.subject


def test_the_opco_reminder_without_a_deadline_still_reads_well() -> None:
    item = one(ReminderKind.OPCO_FILING, "employer")
    message = render(ReminderKind.OPCO_FILING, {**item.payload, "due": ""}, "fr", at=item.due_at)
    assert "au plus tard" not in message.subject
    assert "5 jours ouvrables" in message.text


@pytest.mark.parametrize(("minor", "rule", "other"), [
    pytest.param("yes", "R4624-18", "R6222-40-1", id="a minor: before taking up the post (R4624-18)"),
    pytest.param("no", "R6222-40-1", "R4624-18", id="an adult: within 2 months of hiring (R6222-40-1)"),
])
@pytest.mark.parametrize("kind", [ReminderKind.MEDICAL_VISIT, ReminderKind.MEDICAL_VISIT_OVERDUE])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_medical_visit_names_the_rule_that_sets_its_date(
        kind: ReminderKind, minor: str, rule: str, other: str, language: str) -> None:
    items = [item for item in planned_by_kind()[kind.value] if item.payload["minor"] == minor]
    assert {item.recipient_role for item in items} == {"employer", "advisor"}
    for item in items:
        message = on_time(item, language)
        assert format_day(item.payload["due"], language) in message.subject
        assert rule in message.text
        assert rule in message.html
        assert other not in message.text


def test_the_participation_invoice_gives_the_amount_and_goes_to_the_billing_office_when_configured() -> None:
    billing = one(ReminderKind.PARTICIPATION_INVOICE, "billing")
    assert billing.recipient == BILLING
    french = on_time(billing, "fr")
    assert f"200,00{NBSP}€" in french.subject
    assert f"établissez la facture de 200,00{NBSP}€ à l’employeur" in french.text
    assert "en tant que service de facturation du CFA" in french.text
    assert f"200,00{NBSP}€" in french.html
    english = on_time(billing, "en")
    assert "€200.00" in english.subject
    assert "as the CFA's billing office" in english.text
    advisor = on_time(one(ReminderKind.PARTICIPATION_INVOICE, "advisor"), "fr")
    assert f"750,00{NBSP}€" in advisor.subject
    assert "établissez ou faites établir la facture" in advisor.text
    assert "chargé(e) de relations entreprises du CFA" in advisor.text


def test_the_opco_silence_says_that_silence_is_a_refusal() -> None:
    item = one(ReminderKind.OPCO_SILENCE, "advisor")
    payload = item.payload
    assert (payload["filed_on"], payload["due"]) == ("2026-09-03", "2026-09-23")
    french = render(ReminderKind.OPCO_SILENCE, payload, "fr", at=item.due_at)
    assert "23 septembre 2026" in french.subject
    assert "son silence vaut refus de prise en charge" in french.text
    assert "3 septembre 2026" in french.text
    assert "refused" in render(ReminderKind.OPCO_SILENCE, payload, "en", at=item.due_at).text


def test_the_hiring_aid_reminder_without_a_conclusion_date_still_reads_well() -> None:
    item = one(ReminderKind.HIRING_AID_FILING, "employer")
    payload = item.payload
    assert payload["concluded"] == "2026-06-15"
    with_date = render(ReminderKind.HIRING_AID_FILING, payload, "fr", at=item.due_at)
    assert "conclu le 15 juin 2026" in with_date.text
    assert "15 décembre 2026" in with_date.subject
    without = render(ReminderKind.HIRING_AID_FILING, {**payload, "concluded": ""}, "fr", at=item.due_at)
    assert "conclu le" not in without.text
    assert "Le contrat d’apprentissage de Léa Martin n’est toujours pas enregistré" in without.text


def test_the_html_escapes_what_people_typed_and_the_text_keeps_it() -> None:
    place = '<script>alert("x")</script> & Cie'
    item = next(i for i in trial_plan(place=place) if i.kind is ReminderKind.REVIEW_INVITATION)
    message = on_time(item, "fr")
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Cie" in message.html
    assert place in message.text


def test_a_missing_payload_key_fails_loudly() -> None:
    item = one(ReminderKind.TRIAL_ENDING, "apprentice")
    payload = dict(item.payload)
    del payload["trial_end"]
    with pytest.raises(ValueError, match="trial_end"):
        render(ReminderKind.TRIAL_ENDING, payload, "fr", at=item.due_at)


def test_trial_pass_is_an_engine_move_without_a_message() -> None:
    with pytest.raises(ValueError, match="trial_pass"):
        render("trial_pass", {"case_id": "7", "trial_end": "2026-11-02"}, "fr", at=NOW)


def test_an_unknown_language_or_kind_is_refused_by_name() -> None:
    item = one(ReminderKind.TRIAL_ENDING, "apprentice")
    payload = item.payload
    with pytest.raises(ValueError, match="'de'"):
        render(ReminderKind.TRIAL_ENDING, payload, "de", at=item.due_at)
    with pytest.raises(ValueError, match="no_such_kind"):
        render("no_such_kind", payload, "fr", at=item.due_at)


# --- true when read: relative words counted from the moment of sending -------------------------------------------

#: The payload key of what each kind is about: the day (or meeting) its relative words count to or from.
ABOUT: dict[ReminderKind, str] = {
    ReminderKind.SEARCH_STALE: "since",
    ReminderKind.SEARCH_WINDOW: "window_end",
    ReminderKind.SEARCH_WINDOW_ENDED: "window_end",
    ReminderKind.OPCO_FILING: "due",
    ReminderKind.OPCO_OVERDUE: "due",
    ReminderKind.TRIAL_ENDING: "trial_end",
    ReminderKind.REVIEW_INVITATION: "planned_at",
    ReminderKind.REVIEW_REMINDER: "planned_at",
    ReminderKind.REVIEW_UNPLANNED: "due",
    ReminderKind.REVIEW_UNLOGGED: "planned_at",
    ReminderKind.PAY_CHANGE: "from",
    ReminderKind.BREAK_NUDGE: "window_end",
    ReminderKind.BREAK_ADVISOR: "window_end",
    ReminderKind.MEDICAL_VISIT: "due",
    ReminderKind.MEDICAL_VISIT_OVERDUE: "due",
    ReminderKind.OPCO_SILENCE: "due",
    ReminderKind.OPCO_REFUSED_BY_SILENCE: "due",
    ReminderKind.HIRING_AID_FILING: "due",
    ReminderKind.PARTICIPATION_INVOICE: "trial_end",
    ReminderKind.TRIAL_PASSED: "trial_end",
    ReminderKind.CASE_LAPSED: "lapsed_on",
}
LATE_DAYS = 4


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def late(item: PlannedReminder) -> datetime:
    """Some days after the moment the planner gave, and still before the day the message is about when that is
    ahead (a reminder the day before a meeting is late by hours only: `late_reviews` sends one 5 days before)."""
    ahead = (as_day(item.payload[ABOUT[item.kind]]) - paris_day(item.due_at)).days
    days = LATE_DAYS if ahead <= 0 else min(LATE_DAYS, ahead - 1)
    return item.due_at + timedelta(days=days, hours=3)


def late_reviews() -> list[PlannedReminder]:
    """The review's reminder 5 days before (a policy may ask for it): it can be sent days late, before the review."""
    return [item for item in trial_plan(policies=ReminderPolicies(channels=("email",), review_remind_days_before=(5,)))
            if item.kind is ReminderKind.REVIEW_REMINDER]


def words_in(words: str, text: str) -> bool:
    """`words` as words of `text`: "dans 3 jours" is not in "dans 30 jours", nor "hier" in "cahier"."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def test_every_kind_says_what_it_is_about() -> None:
    assert set(ABOUT) == set(MESSAGE_KINDS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MESSAGE_KINDS)
def test_a_message_sent_late_counts_from_the_day_it_is_sent_and_states_the_date(kind: ReminderKind,
                                                                                language: str) -> None:
    """Issue 13, item 4: every kind, sent days after the planner's moment (a worker was down), says how far its
    date is from the day it is sent, not from the day it was planned for, and writes the date itself too."""
    items = [item for item in (*planned_everything(), *late_reviews())
             if item.kind is kind and item.payload[ABOUT[kind]]]
    checked = 0
    for item in items:
        sent = late(item)
        if paris_day(sent) == paris_day(item.due_at):
            continue  # no day later before what it is about: the day-of test covers it
        about = item.payload[ABOUT[kind]]
        message = render(kind, item.payload, language, at=sent)
        now, then = format_days_from(about, sent, language), format_days_from(about, item.due_at, language)
        where = f"{item.key} sent {sent:%Y-%m-%d}"
        assert words_in(now, message.text), where
        assert words_in(now, message.html), where
        assert format_day(about, language) in message.text, where
        assert format_day(about, language) in message.html, where
        if now != then:  # months away, a few days late may read the same ("dans 5 mois")
            assert not words_in(then, message.text + message.subject + message.html), where
            checked += 1
    assert checked, f"no {kind} could be sent a day late and read differently"


@pytest.mark.parametrize(("language", "subject", "sentence"), [
    ("fr", f"Léa Martin{NBSP}: fin du délai sans employeur dans 19 jours (30 novembre 2026)",
     "prend fin le 30 novembre 2026, dans 19 jours."),
    ("en", "Léa Martin: the period without an employer ends in 19 days (30 November 2026)",
     "end on 30 November 2026, in 19 days."),
])
def test_the_30_day_window_reminder_sent_10_days_late_says_19_days(language: str, subject: str,
                                                                   sentence: str) -> None:
    # The search lapses on 1 December (L6222-12-1): its last day is 30 November, the day the messages name.
    # 30 days before 1 December is 1 November, a Sunday and a public holiday: the planner sends it on the 2nd.
    item = next(item for item in planned_by_kind()["search_window"]
                if item.recipient_role == "advisor" and paris_day(item.due_at) == date(2026, 11, 2))
    assert item.payload["window_end"] == "2026-11-30"
    # A row planned before the change still carries "days": "30"; it is not read.
    message = render(item.kind, {**item.payload, "days": "30"}, language,
                     at=datetime(2026, 11, 11, 9, 0, tzinfo=PARIS))
    assert message.subject == subject
    assert sentence in message.text
    assert "30 jours" not in message.subject + message.text
    assert "30 days" not in message.subject + message.text


#: What the day-of words read like in each language.
TODAY_WORDS = {"fr": "aujourd’hui", "en": "today"}
#: The kinds about a day still ahead when planned (a deadline, a meeting, the end of a window): sent late, they
#: may go out on that very day. The others are about a day already past (a trial that ended, a deadline missed).
AHEAD_KINDS = (ReminderKind.SEARCH_WINDOW, ReminderKind.SEARCH_WINDOW_ENDED, ReminderKind.OPCO_FILING,
               ReminderKind.TRIAL_ENDING, ReminderKind.REVIEW_INVITATION, ReminderKind.REVIEW_REMINDER,
               ReminderKind.REVIEW_UNPLANNED, ReminderKind.PAY_CHANGE, ReminderKind.BREAK_NUDGE,
               ReminderKind.BREAK_ADVISOR, ReminderKind.MEDICAL_VISIT, ReminderKind.OPCO_SILENCE,
               ReminderKind.HIRING_AID_FILING, ReminderKind.CASE_LAPSED)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", AHEAD_KINDS)
def test_on_the_day_itself_a_message_says_today(kind: ReminderKind, language: str) -> None:
    """Sent on the very day it is about (the morning of the review, the last day of the window), a message says
    "aujourd'hui" / "today" next to the date, never "dans 0 jour"."""
    for item in planned_by_kind()[kind.value]:
        about = item.payload[ABOUT[kind]]
        sent = datetime.combine(as_day(about), time(8, 0), tzinfo=PARIS)
        message = render(kind, item.payload, language, at=sent)
        assert words_in(TODAY_WORDS[language], message.text), item.key
        assert words_in(TODAY_WORDS[language], message.html), item.key
        assert format_day(about, language) in message.text, item.key
        for wrong in ("dans 0", "il y a 0", "in 0 days", "0 days ago"):
            assert wrong not in message.text, (item.key, wrong)


@pytest.mark.parametrize(("language", "subject", "sentence"), [
    ("fr", f"Rappel{NBSP}: votre entretien tripartite aujourd’hui (mardi 27 octobre 2026, 14:00)",
     f"votre tuteur académique a lieu aujourd’hui{NBSP}:"),
    ("en", "Reminder: your tripartite review today (Tuesday, 27 October 2026, 14:00)",
     "your academic tutor takes place today:"),
])
def test_the_review_reminder_on_the_morning_of_the_review(language: str, subject: str, sentence: str) -> None:
    item = one(ReminderKind.REVIEW_REMINDER, "apprentice")
    message = render(item.kind, item.payload, language, at=datetime(2026, 10, 27, 8, 0, tzinfo=PARIS))
    assert message.subject == subject
    assert sentence in message.text
    tomorrow = render(item.kind, item.payload, language, at=datetime(2026, 10, 26, 9, 0, tzinfo=PARIS))
    assert ("demain" if language == "fr" else "tomorrow") in tomorrow.subject


def test_the_window_countdown_on_its_last_day_and_after_it() -> None:
    item = next(item for item in planned_by_kind()["search_window"] if item.recipient_role == "apprentice")
    last_day = render(item.kind, item.payload, "fr", at=datetime(2026, 11, 30, 9, 0, tzinfo=PARIS))
    assert "ce délai prend fin le 30 novembre 2026, aujourd’hui." in last_day.text
    assert "au plus tard le 30 novembre 2026 (aujourd’hui)" in last_day.subject
    after = render(item.kind, item.payload, "fr", at=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS))
    assert "ce délai a pris fin le 30 novembre 2026 (hier)." in after.text
    assert "a pris fin le 30 novembre 2026" in after.subject
    # The advisor hears of it on 1 December, the day the search lapses: the window ended the day before.
    ended = one(ReminderKind.SEARCH_WINDOW_ENDED)
    assert "a pris fin le 30 novembre 2026, hier" in on_time(ended, "fr").text
    three_days_on = render(ended.kind, ended.payload, "en", at=ended.due_at + timedelta(days=3))
    assert "ended on 30 November 2026, 4 days ago" in three_days_on.text


# --- a review moved, a review reminded, notices ------------------------------------------------------------------

@pytest.mark.parametrize("role", ["apprentice", "mentor", "tutor"])
def test_a_moved_review_says_from_when_to_when_and_that_the_calendar_event_is_updated(role: str) -> None:
    update = next(item for item in moved_review_updates() if item.recipient_role == role)
    assert update.payload["update"] == "yes"
    assert update.payload["previous_planned_at"] == "2026-10-27T14:00+01:00"
    sent = datetime(2026, 10, 20, 11, 0, tzinfo=PARIS)
    french = render(update.kind, update.payload, "fr", at=sent)
    assert french.subject.startswith(f"Entretien déplacé{NBSP}:")
    assert "jeudi 29 octobre 2026, 10:00" in french.subject
    assert "prévu le mardi 27 octobre 2026, 14:00, est déplacé" in french.text
    assert f"nouvelle date{NBSP}: jeudi 29 octobre 2026, 10:00 (heure de Paris), dans 9 jours" in french.text
    assert "remplace l’événement de la date précédente" in french.text
    assert "invité(e)" not in french.text
    assert "prévu le mardi 27 octobre 2026, 14:00, est déplacé" in french.html
    english = render(update.kind, update.payload, "en", at=sent)
    assert english.subject.startswith("Review moved:")
    assert "planned for Tuesday, 27 October 2026, 14:00, has been moved" in english.text
    assert "new date: Thursday, 29 October 2026, 10:00 (Paris time), in 9 days" in english.text
    assert "replaces the event at the former date" in english.text
    first = on_time(one(ReminderKind.REVIEW_INVITATION, role), "fr")
    assert first.subject.startswith(f"Invitation{NBSP}:")
    assert "déplacé" not in first.subject + first.text


def test_an_invitation_planned_before_updates_existed_reads_as_a_first_invitation() -> None:
    """Ledger rows written before `update` and `previous_planned_at` existed are still sent, as invitations."""
    item = one(ReminderKind.REVIEW_INVITATION, "mentor")
    old = {key: value for key, value in item.payload.items() if key not in ("update", "previous_planned_at")}
    assert on_time(dataclasses.replace(item, payload=old), "fr") == on_time(item, "fr")


@pytest.mark.parametrize(("planned_at", "french", "english"), [
    pytest.param("2026-10-27T14:00+01:00", "le calendrier de suivi le prévoit au plus tard le 1er novembre 2026.",
                 "the follow-up calendar expects it by 1 November 2026.", id="held before its due date"),
    pytest.param("2026-11-04T14:00+01:00", "le prévoyait au plus tard le 1er novembre 2026 : il se tient après",
                 "expected it by 1 November 2026: it takes place after that date.", id="held after it"),
])
def test_an_invitation_never_asks_for_a_review_before_a_date_already_past(planned_at: str, french: str,
                                                                          english: str) -> None:
    item = one(ReminderKind.REVIEW_INVITATION, "tutor")
    payload = {**item.payload, "planned_at": planned_at}
    sent = datetime(2026, 11, 2, 9, 0, tzinfo=PARIS)
    assert french.replace(" :", f"{NBSP}:") in render(item.kind, payload, "fr", at=sent).text
    assert english in render(item.kind, payload, "en", at=sent).text


@pytest.mark.parametrize("role", ["apprentice", "mentor", "tutor"])
def test_the_review_reminder_says_when_where_and_what_to_prepare(role: str) -> None:
    item = one(ReminderKind.REVIEW_REMINDER, role)
    french = on_time(item, "fr")
    assert "mardi 27 octobre 2026, 14:00" in french.subject
    assert "demain" in french.subject  # sent on Monday 26 (the 25th, two days before, is a Sunday)
    assert f"lieu{NBSP}: Industrie SA, atelier B" in french.text
    assert f"À préparer{NBSP}:" in french.text
    assert "l’événement de votre agenda reste le même" in french.text
    english = on_time(item, "en")
    assert "where: Industrie SA, atelier B" in english.text
    assert "To prepare:" in english.text
    message = build_email(SETTINGS, row_for(item), "fr", now=item.due_at).parsed()
    assert not list(message.iter_attachments())  # the invitation's event holds: no second calendar file


@pytest.mark.parametrize("role", ["apprentice", "mentor", "advisor"])
def test_the_trial_passed_notice_says_the_contract_goes_on_and_what_changes(role: str) -> None:
    item = one(ReminderKind.TRIAL_PASSED, role)
    assert item.payload["trial_end"] == "2026-11-02"
    french = on_time(item, "fr")
    assert "2 novembre 2026" in french.subject
    assert "s’est achevée le 2 novembre 2026 (hier) sans rupture" in french.text
    assert "le contrat se poursuit" in french.text
    assert "L6222-18" in french.text
    assert "45 premiers jours" in french.text
    english = on_time(item, "en")
    assert "ended on 2 November 2026 (yesterday) without a break" in english.text
    assert "L6222-18" in english.text
    if role == "advisor":
        assert "L6332-14" in french.text
        assert "entretien tripartite" in french.text
        assert f"«{NBSP}contrat en cours{NBSP}»" in french.text


@pytest.mark.parametrize("role", ["apprentice", "advisor"])
def test_the_lapse_notice_says_when_and_why_the_case_was_closed(role: str) -> None:
    item = one(ReminderKind.CASE_LAPSED, role)
    assert (item.payload["window_end"], item.payload["lapsed_on"]) == ("2026-11-30", "2026-12-03")
    french = on_time(item, "fr")
    assert "L6222-12-1" in french.text
    assert "30 novembre 2026" in french.text
    assert f"clos «{NBSP}sans contrat{NBSP}» le 3 décembre 2026 (aujourd’hui)" in french.text
    english = on_time(item, "en")
    assert "closed \"no contract\" on 3 December 2026 (today)" in english.text
    if role == "apprentice":
        assert "chargé(e) de relations entreprises" in french.text
        assert "d’autres voies existent" in french.text
    without_window = on_time(dataclasses.replace(item, payload={**item.payload, "window_end": ""}), "fr")
    assert "30 novembre" not in without_window.text


#: The payload keys each template needs (a missing one fails the message by name); the others are optional
#: (`cc`; `update` and `previous_planned_at` of an invitation) or read by the email only (`review_id` and
#: `sequence`: the calendar file of an invitation).
REQUIRED_KEYS: dict[ReminderKind, set[str]] = {
    ReminderKind.SEARCH_STALE: {"since", "step"},
    ReminderKind.SEARCH_WINDOW: {"window_end"},
    ReminderKind.SEARCH_WINDOW_ENDED: {"window_end"},
    ReminderKind.OPCO_FILING: {"start", "due"},
    ReminderKind.OPCO_OVERDUE: {"due"},
    ReminderKind.TRIAL_ENDING: {"trial_end"},
    ReminderKind.REVIEW_INVITATION: {"planned_at", "place", "due"},
    ReminderKind.REVIEW_REMINDER: {"planned_at", "place"},
    ReminderKind.REVIEW_UNPLANNED: {"due"},
    ReminderKind.REVIEW_UNLOGGED: {"planned_at", "place", "due"},
    ReminderKind.PAY_CHANGE: {"from", "amount", "previous_amount", "percent", "reference", "contract_year",
                              "age_band"},
    ReminderKind.BREAK_NUDGE: {"ended_on", "window_end"},
    ReminderKind.BREAK_ADVISOR: {"ended_on", "window_end"},
    ReminderKind.MEDICAL_VISIT: {"due", "minor"},
    ReminderKind.MEDICAL_VISIT_OVERDUE: {"due", "minor"},
    ReminderKind.OPCO_SILENCE: {"filed_on", "due"},
    ReminderKind.OPCO_REFUSED_BY_SILENCE: {"filed_on", "due"},
    ReminderKind.HIRING_AID_FILING: {"due", "concluded"},
    ReminderKind.PARTICIPATION_INVOICE: {"amount", "trial_end", "start", "employer_name", "employer_siret"},
    ReminderKind.TRIAL_PASSED: {"trial_end", "start"},
    ReminderKind.CASE_LAPSED: {"window_end", "lapsed_on"},
}
EVERY_MESSAGE_NEEDS = {"case_id", "candidate", "role"}


@pytest.mark.parametrize("kind", MESSAGE_KINDS)
def test_each_template_needs_the_payload_keys_it_says_and_no_days(kind: ReminderKind) -> None:
    """The contract between planner and templates: removing any key listed fails the message naming it; any other
    key of the planned payloads may be left out. `days` is in no payload: relative words are computed."""
    needed = REQUIRED_KEYS[kind] | EVERY_MESSAGE_NEEDS
    for item in planned_by_kind()[kind.value]:
        assert "days" not in item.payload
        assert needed <= set(item.payload)
        for key in item.payload:
            fewer = {name: value for name, value in item.payload.items() if name != key}
            for language in LANGUAGES:
                if key in needed:
                    with pytest.raises(ValueError, match=key):
                        render(kind, fewer, language, at=item.due_at)
                else:
                    assert render(kind, fewer, language, at=item.due_at).text


# --- the email --------------------------------------------------------------------------------------------------

def test_the_message_id_is_derived_from_the_idempotency_key() -> None:
    keys = [item.key for item in planned_everything()]
    ids = [message_id_for(key, "cfa.example") for key in keys]
    assert len(set(ids)) == len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"<[0-9a-f]{40}@cfa\.example>", mid) for mid in ids)
    assert message_id_for(keys[0], "cfa.example") == ids[0]
    row = row_for(one(ReminderKind.OPCO_FILING, "employer"))
    first = build_email(SETTINGS, row, "fr", now=NOW)
    again = build_email(SETTINGS, row, "fr", now=NOW + timedelta(hours=1))
    assert first.message_id == again.message_id == message_id_for(row.key, "cfa.example")
    assert first.parsed()["Message-ID"] == again.parsed()["Message-ID"] == first.message_id


def test_the_email_carries_its_headers_and_both_alternatives() -> None:
    item = one(ReminderKind.OPCO_FILING, "employer")
    built = build_email(SETTINGS, row_for(item), "fr", now=NOW)
    message = built.parsed()
    rendered = render(item.kind, item.payload, "fr", at=NOW)
    assert message["From"] == SETTINGS.mail_from
    assert message["To"] == EMPLOYER
    assert message["Subject"] == rendered.subject
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Contract-Flow-Key"] == item.key
    assert message["Date"].datetime == NOW
    assert message.get_content_type() == "multipart/alternative"
    assert text_part(message, "plain") == rendered.text
    assert text_part(message, "html") == rendered.html
    assert not list(message.iter_attachments())
    # The key is written as is, not cut into encoded words, so it can be found in mail logs.
    assert f"X-Contract-Flow-Key: {item.key}\r\n".encode() in built.data
    assert (built.sender, built.recipients) == ("no-reply@cfa.example", (EMPLOYER,))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_planned_email_reads_back_as_rendered(language: str) -> None:
    """The bytes written for SMTP (contract_flow.mime), parsed by the standard library, give back the rendered
    subject, text and HTML of every planned email, accents, no-break spaces and euro signs included."""
    for item in planned_everything():
        if item.kind in ENGINE_KINDS or item.channel != "email":
            continue
        rendered = render(item.kind, item.payload, language, at=NOW)
        message = build_email(SETTINGS, row_for(item), language, now=NOW).parsed()
        assert message["Subject"] == rendered.subject, item.key
        assert message["To"] == item.recipient
        assert text_part(message, "plain") == rendered.text, item.key
        assert text_part(message, "html") == rendered.html, item.key


def test_the_legal_representative_is_copied_only_when_the_payload_says_so() -> None:
    minor = one(ReminderKind.TRIAL_ENDING, "apprentice")
    assert minor.payload["cc"] == LEGAL_REPRESENTATIVE
    assert build_email(SETTINGS, row_for(minor), "fr", now=NOW).parsed()["Cc"] == LEGAL_REPRESENTATIVE
    mentor = one(ReminderKind.TRIAL_ENDING, "mentor")
    assert "cc" not in mentor.payload
    assert build_email(SETTINGS, row_for(mentor), "fr", now=NOW).parsed()["Cc"] is None


def test_a_review_invitation_carries_a_calendar_request_that_parses_back() -> None:
    item = one(ReminderKind.REVIEW_INVITATION, "mentor")
    message = build_email(SETTINGS, row_for(item), "fr", now=NOW).parsed()
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(preferencelist=("html",)) is not None
    part, calendar = invitation(message)
    assert part.get_filename() == "invitation.ics"
    assert part.get_param("method") == "REQUEST"
    assert part.get_param("charset") == "utf-8"
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 10, 27, 14, 0, tzinfo=PARIS)
    assert event.decoded("DURATION") == timedelta(hours=1)
    assert str(event["LOCATION"]) == "Industrie SA, atelier B"
    assert str(event["UID"]) == "review-12@cfa.example"
    assert str(event["ATTENDEE"]) == f"mailto:{MENTOR}"
    assert str(event["ORGANIZER"]) == "mailto:no-reply@cfa.example"
    assert event["ORGANIZER"].params["CN"] == "CFA IMT Mines Alès"
    assert str(event["SUMMARY"]) == "Entretien tripartite de Léa Martin"
    assert event.decoded("DTSTAMP") == NOW


def test_the_invitation_and_its_update_are_one_calendar_event_moved() -> None:
    """A review moved after the invitations went out: the update has the same UID, SEQUENCE + 1 and the new date,
    so calendars move the event rather than add a second one."""
    first = one(ReminderKind.REVIEW_INVITATION, "tutor")
    update = next(item for item in moved_review_updates() if item.recipient_role == "tutor")
    events = []
    for item in (first, update):
        message = build_email(SETTINGS, row_for(item), "en", now=item.due_at).parsed()
        events.append((message["Message-ID"], invitation(message)[1].walk("VEVENT")[0]))
    (first_id, first_event), (update_id, update_event) = events
    assert str(first_event["UID"]) == str(update_event["UID"]) == "review-12@cfa.example"
    assert (first_event.decoded("SEQUENCE"), update_event.decoded("SEQUENCE")) == (0, 1)
    assert first_event.decoded("DTSTART") == PLANNED_AT
    assert update_event.decoded("DTSTART") == MOVED_TO
    assert first_id != update_id


def test_other_kinds_carry_no_calendar_file() -> None:
    for kind in MESSAGE_KINDS:
        if kind is ReminderKind.REVIEW_INVITATION:
            continue
        message = build_email(SETTINGS, row_for(one(kind)), "en", now=NOW).parsed()
        assert not list(message.iter_attachments()), kind
