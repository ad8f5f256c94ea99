"""The one catalogue of names for the engine's codes (contract_flow.labels): every reminder kind, ledger status,
reason, channel and recipient role named in French and English, for the pages, the CLI and the API alike."""

from __future__ import annotations

import pytest

from contract_flow.adapters.ledger import EXPIRED_REASON, STATUSES, SUPERSEDED_REASON
from contract_flow.domain.case import Role
from contract_flow.domain.reminders.planner import BILLING, ENGINE, ReminderKind
from contract_flow.domain.reminders.policies import CHANNELS
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.domain.tdb_status import TdbStatus
from contract_flow.labels import GROUPS, LANGUAGES, Group, catalogue, choose_language, label, labelled
from contract_flow.services.retention import ANONYMISED_REMINDER
from contract_flow.web.i18n import Translator

#: Every code each group must name: the enums and constants themselves, so a new one cannot be forgotten.
CODES: dict[Group, set[str]] = {
    "reminder_kind": {kind.value for kind in ReminderKind},
    "reminder_status": set(STATUSES),
    "reminder_reason": {EXPIRED_REASON, SUPERSEDED_REASON, ANONYMISED_REMINDER},
    "channel": {*CHANNELS, ENGINE},
    # the people reminders go to: users by role, the employer's contact, the CFA's billing office, the engine
    "role": {role.value for role in Role} | {"employer", BILLING, ENGINE},
    "state": {state.value for state in CaseState},
    "trigger": {trigger.value for trigger in Trigger},
    "tdb_status": {status.value for status in TdbStatus},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("group", GROUPS)
def test_every_code_of_every_group_has_a_name_in_each_language(group: Group, language: str) -> None:
    names = catalogue(language)
    assert sorted(code for code in CODES[group] if f"{group}.{code}" not in names) == []
    assert all(names[f"{group}.{code}"].strip() for code in CODES[group])


def test_both_languages_name_the_same_codes_and_no_other() -> None:
    french, english = catalogue("fr"), catalogue("en")
    assert french.keys() == english.keys()
    assert french.keys() == {f"{group}.{code}" for group, codes in CODES.items() for code in codes}


def test_french_and_english_names_differ_where_the_languages_do() -> None:
    assert label("reminder_kind", "trial_ending", "fr") == "Fin de la période d'essai à venir"
    assert label("reminder_kind", "trial_ending", "en") == "Trial period ending soon"
    assert label("reminder_status", "sent", "fr") == "envoyée"
    assert label("reminder_status", "expired", "en") == "expired"
    assert label("channel", "app", "fr") == "messagerie"


def test_a_code_the_catalogue_does_not_know_is_shown_as_it_is() -> None:
    assert label("reminder_kind", "renamed_long_ago", "fr") == "renamed_long_ago"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no labels in language 'de'"):
        catalogue("de")


def test_labelled_puts_a_label_beside_each_code_and_keeps_the_codes() -> None:
    row = {"id": 3, "kind": "search_window", "status": "expired", "reason": "superseded", "channel": "email",
           "recipient_role": "mentor", "recipient": "m@example.org"}
    shown = labelled(row, "fr")
    assert list(shown) == ["id", "kind", "kind_label", "status", "status_label", "reason", "reason_label", "channel",
                           "channel_label", "recipient_role", "recipient_role_label", "recipient"]
    assert {key: shown[key] for key in row} == row
    assert shown["status_label"] == "expirée"
    assert shown["recipient_role_label"] == "maître d'apprentissage"
    assert labelled({"reason": None}, "en") == {"reason": None, "reason_label": None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_read_the_same_names(language: str) -> None:
    t = Translator(language)
    for group, codes in CODES.items():
        assert {code: t(f"{group}.{code}") for code in codes} == {code: label(group, code, language)
                                                                   for code in codes}


def test_the_language_is_the_persons_then_the_browsers_then_french() -> None:
    assert choose_language("en", "fr") == "en"
    assert choose_language(None, "de", accept_language="de-DE, en-GB;q=0.8, fr;q=0.5") == "en"
    assert choose_language(None, accept_language="de, es") == "fr"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_move_is_named_alike_on_the_case_page_and_everywhere_else(language: str) -> None:
    """The case page's buttons (`case.trigger.*`) and the CLI's and the reasons' names of a move (`trigger.*`)."""
    translate = Translator(language)
    assert {code: translate(f"case.trigger.{code}") for code in Trigger} == {
        code: label("trigger", code, language) for code in Trigger}
