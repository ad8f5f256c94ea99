"""Reminder messages: every kind in both languages, from the payloads the real planner writes; the email built
from a ledger row (headers, Message-ID, Cc, the iCalendar invitation)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
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
from contract_flow.domain.reminders.planner import ENGINE
from contract_flow.domain.reviews import Party, Review
from contract_flow.domain.states import CaseState
from contract_flow.formatting import format_day, format_money
from contract_flow.messages import Rendered, build_email, message_id_for, render
from contract_flow.rulefiles import load_ruleset
from contract_flow.settings import Settings

NBSP = "\u00a0"
LANGUAGES = ("fr", "en")
MESSAGE_KINDS = [kind for kind in ReminderKind if kind is not ReminderKind.TRIAL_PASS]
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


def planned_review(case: Case, review_id: int = 12, place: str = "Industrie SA, atelier B") -> Review:
    return Review(case_id=7, due_by=date(2026, 11, 1), planned_at=datetime(2026, 10, 27, 14, 0, tzinfo=PARIS),
                  place=place, participants={Party.APPRENTICE: APPRENTICE, Party.MENTOR: MENTOR, Party.TUTOR: TUTOR},
                  id=review_id)


def trial_plan(place: str = "Industrie SA, atelier B") -> list[PlannedReminder]:
    case = signed_trial_case()
    return plan(CaseFacts(case=case, reviews=(planned_review(case, place=place),),
                          legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES)


@cache
def planned_everything() -> tuple[PlannedReminder, ...]:
    """A searching case, a case in its trial and a broken one: between them, every kind of reminder."""
    searching = a_case(CaseState.APPLY)
    search = plan(CaseFacts(case=searching, search_window_end=rules().search_window_end(searching),
                            legal_representative_email=LEGAL_REPRESENTATIVE), POLICIES)
    broken = a_case(CaseState.ENDED_IN_TRIAL, start_date=date(2026, 9, 1), ended_on=date(2026, 9, 20))
    after_break = plan(CaseFacts(case=broken, resume_window_end=rules().resume_window_end(date(2026, 9, 20))),
                       POLICIES)
    return (*search, *trial_plan(), *after_break, *filed_plan())


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
def payloads_by_kind() -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in planned_everything():
        found[item.kind.value].append(item.payload)
    return dict(found)


def one(kind: ReminderKind, role: str | None = None) -> PlannedReminder:
    return next(item for item in planned_everything()
                if item.kind is kind and (role is None or item.recipient_role == role))


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
    assert set(payloads_by_kind()) == {kind.value for kind in ReminderKind}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MESSAGE_KINDS)
def test_every_kind_renders_in_both_languages_for_every_planned_recipient(kind: ReminderKind, language: str) -> None:
    for payload in payloads_by_kind()[kind.value]:
        message = render(kind, payload, language)
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
            assert render(item.kind, item.payload, language).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_subjects_differ_from_one_kind_to_another(language: str) -> None:
    subjects: dict[str, set[str]] = defaultdict(set)
    for kind in MESSAGE_KINDS:
        for payload in payloads_by_kind()[kind.value]:
            subjects[render(kind, payload, language).subject].add(kind.value)
    shared = {subject: kinds for subject, kinds in subjects.items() if len(kinds) > 1}
    assert not shared


def test_a_message_is_addressed_by_the_recipients_role() -> None:
    payload = one(ReminderKind.TRIAL_ENDING).payload
    to = {role: render(ReminderKind.TRIAL_ENDING, {**payload, "role": role}, "fr").text
          for role in ("apprentice", "mentor", "advisor")}
    assert to["apprentice"].startswith("Bonjour Léa Martin,")
    assert "votre contrat d’apprentissage" in to["apprentice"]
    assert f"en tant que maître d’apprentissage de Léa Martin (dossier n°{NBSP}7)" in to["mentor"]
    assert "chargé(e) de relations entreprises du CFA" in to["advisor"]
    assert len(set(to.values())) == 3


# --- what the messages say --------------------------------------------------------------------------------------

def test_the_french_trial_message_gives_the_date_the_rule_and_what_to_do() -> None:
    payload = one(ReminderKind.TRIAL_ENDING, "apprentice").payload
    trial_end = date.fromisoformat(payload["trial_end"])
    message = render(ReminderKind.TRIAL_ENDING, payload, "fr")
    expected_day = format_day(trial_end, "fr")
    assert re.fullmatch(r"\d{1,2}(er)? [a-zéû]+ \d{4}", expected_day)
    assert expected_day in message.subject
    assert expected_day in message.text
    assert "L6222-18" in message.text
    assert "45 premiers jours" in message.text
    assert "Ce qu’il faut faire" in message.text
    assert payload["trial_end"] not in message.text  # no ISO dates for people


def test_the_english_trial_message_gives_the_date_in_english() -> None:
    payload = one(ReminderKind.TRIAL_ENDING, "mentor").payload
    message = render(ReminderKind.TRIAL_ENDING, payload, "en")
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
    (ReminderKind.HIRING_AID_FILING, "D6243-1"),
    (ReminderKind.PARTICIPATION_INVOICE, "L6332-14"),
    (ReminderKind.PARTICIPATION_INVOICE, "R6332-25-1"),
])
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_message_names_the_rule_it_comes_from(kind: ReminderKind, rule: str, language: str) -> None:
    for payload in payloads_by_kind()[kind.value]:
        rendered = render(kind, payload, language)
        assert rule in rendered.text
        assert rule in rendered.html


@pytest.mark.parametrize("role", ["employer", "apprentice"])
def test_the_pay_change_states_the_new_amount_and_the_day_it_applies_from(role: str) -> None:
    payload = one(ReminderKind.PAY_CHANGE, role).payload
    assert payload["from"] == "2026-12-01"  # the month after the 18th birthday (D6222-31)
    french = render(ReminderKind.PAY_CHANGE, payload, "fr")
    amount = format_money(payload["amount"], "fr")
    assert re.fullmatch(rf"\d{{3}},\d{{2}}{NBSP}€", amount)
    assert amount in french.subject
    assert "1er décembre 2026" in french.subject
    assert f"passe de {format_money(payload['previous_amount'], 'fr')} à {amount} brut par mois" in french.text
    assert f"{payload['percent']}{NBSP}% du SMIC" in french.text
    assert "18 à 20 ans" in french.text
    english = render(ReminderKind.PAY_CHANGE, payload, "en")
    assert f"€{payload['amount']}" in english.subject
    assert "1 December 2026" in english.subject


def test_the_opco_reminder_without_a_deadline_still_reads_well() -> None:
    payload = {**one(ReminderKind.OPCO_FILING, "employer").payload, "due": ""}
    message = render(ReminderKind.OPCO_FILING, payload, "fr")
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
    payloads = [p for p in payloads_by_kind()[kind.value] if p["minor"] == minor]
    assert {p["role"] for p in payloads} == {"employer", "advisor"}
    for payload in payloads:
        message = render(kind, payload, language)
        assert format_day(payload["due"], language) in message.subject
        assert rule in message.text
        assert rule in message.html
        assert other not in message.text


def test_the_participation_invoice_gives_the_amount_and_goes_to_the_billing_office_when_configured() -> None:
    billing = one(ReminderKind.PARTICIPATION_INVOICE, "billing")
    assert billing.recipient == BILLING
    french = render(ReminderKind.PARTICIPATION_INVOICE, billing.payload, "fr")
    assert f"200,00{NBSP}€" in french.subject
    assert f"établissez la facture de 200,00{NBSP}€ à l’employeur" in french.text
    assert "en tant que service de facturation du CFA" in french.text
    assert f"200,00{NBSP}€" in french.html
    english = render(ReminderKind.PARTICIPATION_INVOICE, billing.payload, "en")
    assert "€200.00" in english.subject
    assert "as the CFA's billing office" in english.text
    advisor = render(ReminderKind.PARTICIPATION_INVOICE, one(ReminderKind.PARTICIPATION_INVOICE, "advisor").payload,
                     "fr")
    assert f"750,00{NBSP}€" in advisor.subject
    assert "établissez ou faites établir la facture" in advisor.text
    assert "chargé(e) de relations entreprises du CFA" in advisor.text


def test_the_opco_silence_says_that_silence_is_a_refusal() -> None:
    payload = one(ReminderKind.OPCO_SILENCE, "advisor").payload
    assert (payload["filed_on"], payload["due"]) == ("2026-09-03", "2026-09-23")
    french = render(ReminderKind.OPCO_SILENCE, payload, "fr")
    assert "23 septembre 2026" in french.subject
    assert "son silence vaut refus de prise en charge" in french.text
    assert "3 septembre 2026" in french.text
    assert "refused" in render(ReminderKind.OPCO_SILENCE, payload, "en").text


def test_the_hiring_aid_reminder_without_a_conclusion_date_still_reads_well() -> None:
    payload = one(ReminderKind.HIRING_AID_FILING, "employer").payload
    assert payload["concluded"] == "2026-06-15"
    with_date = render(ReminderKind.HIRING_AID_FILING, payload, "fr")
    assert "conclu le 15 juin 2026" in with_date.text
    assert "15 décembre 2026" in with_date.subject
    without = render(ReminderKind.HIRING_AID_FILING, {**payload, "concluded": ""}, "fr")
    assert "conclu le" not in without.text
    assert "Le contrat d’apprentissage de Léa Martin n’est toujours pas enregistré" in without.text


def test_the_html_escapes_what_people_typed_and_the_text_keeps_it() -> None:
    place = '<script>alert("x")</script> & Cie'
    item = next(i for i in trial_plan(place=place) if i.kind is ReminderKind.REVIEW_INVITATION)
    message = render(item.kind, item.payload, "fr")
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Cie" in message.html
    assert place in message.text


def test_a_missing_payload_key_fails_loudly() -> None:
    payload = dict(one(ReminderKind.TRIAL_ENDING, "apprentice").payload)
    del payload["trial_end"]
    with pytest.raises(ValueError, match="trial_end"):
        render(ReminderKind.TRIAL_ENDING, payload, "fr")


def test_trial_pass_is_an_engine_move_without_a_message() -> None:
    with pytest.raises(ValueError, match="trial_pass"):
        render("trial_pass", {"case_id": "7", "trial_end": "2026-11-02"}, "fr")


def test_an_unknown_language_or_kind_is_refused_by_name() -> None:
    payload = one(ReminderKind.TRIAL_ENDING, "apprentice").payload
    with pytest.raises(ValueError, match="'de'"):
        render(ReminderKind.TRIAL_ENDING, payload, "de")
    with pytest.raises(ValueError, match="no_such_kind"):
        render("no_such_kind", payload, "fr")


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
    rendered = render(item.kind, item.payload, "fr")
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
        if item.kind is ReminderKind.TRIAL_PASS or item.channel != "email":
            continue
        rendered = render(item.kind, item.payload, language)
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


def test_both_invitations_to_a_review_update_the_same_calendar_event() -> None:
    invitations = [item for item in trial_plan()
                   if item.kind is ReminderKind.REVIEW_INVITATION and item.recipient_role == "tutor"]
    assert sorted(item.payload["days"] for item in invitations) == ["14", "2"]
    emails = [build_email(SETTINGS, row_for(item), "en", now=NOW).parsed() for item in invitations]
    uids = {str(invitation(message)[1].walk("VEVENT")[0]["UID"]) for message in emails}
    assert uids == {"review-12@cfa.example"}
    assert len({message["Message-ID"] for message in emails}) == 2


def test_other_kinds_carry_no_calendar_file() -> None:
    for kind in MESSAGE_KINDS:
        if kind is ReminderKind.REVIEW_INVITATION:
            continue
        message = build_email(SETTINGS, row_for(one(kind)), "en", now=NOW).parsed()
        assert not list(message.iter_attachments()), kind
