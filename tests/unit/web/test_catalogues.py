"""The pages' texts: French and English have the same keys, and every key the templates and routes use exists."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from contract_flow.domain.case import Role
from contract_flow.domain.guards import GUARDS, rule_name
from contract_flow.domain.states import CaseState
from contract_flow.web.i18n import LANGUAGES, LOCALES, Translator, catalogue
from contract_flow.web.render import TEMPLATES

WEB = Path(__file__).resolve().parents[3] / "src" / "contract_flow" / "web"
#: t("key") and t('key'), also with arguments; a key built at run time ("state." ~ x) is checked below by kind.
_LITERAL = re.compile(r"""\bt\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']\s*[,)]""")


def _used_keys() -> set[tuple[str, str]]:
    found = set()
    for path in [*TEMPLATES.rglob("*.html"), *WEB.rglob("*.py")]:
        for key in _LITERAL.findall(path.read_text(encoding="utf-8")):
            found.add((str(path.relative_to(path.parents[2])), key))
    return found


def test_both_languages_have_the_same_keys() -> None:
    french, english = catalogue("fr"), catalogue("en")
    assert sorted(french.keys() - english.keys()) == [], "only in French"
    assert sorted(english.keys() - french.keys()) == [], "only in English"
    assert sorted(path.name for path in (LOCALES / "fr").glob("*.toml")) == sorted(
        path.name for path in (LOCALES / "en").glob("*.toml"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_used_in_a_template_or_a_route_exists(language: str) -> None:
    texts = catalogue(language)
    used = _used_keys()
    assert used, "no t(...) call found: the pattern is out of date"
    missing = sorted(f"{where}: {key}" for where, key in used if key not in texts)
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_state_role_and_error_status_has_a_name(language: str) -> None:
    t = Translator(language)
    assert [state for state in CaseState if not t.has(f"state.{state.value}")] == []
    assert [role for role in Role if not t.has(f"role.{role.value}")] == []
    assert [code for code in (400, 401, 403, 404, 405, 409, 413, 422) if not t.has(f"error.{code}")] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_rule_of_every_move_has_a_sentence(language: str) -> None:
    t = Translator(language)
    rules = {"role"} | {rule_name(guard) for guards in GUARDS.values() for guard in guards}
    assert sorted(rule for rule in rules if not t.has(f"guard.{rule}")) == []


def test_a_missing_key_shows_itself_rather_than_nothing() -> None:
    assert Translator("fr")("no.such.key") == "[no.such.key]"


def test_dates_and_money_read_as_each_language_writes_them() -> None:
    fr, en = Translator("fr"), Translator("en")
    assert fr.date(date(2027, 2, 4)) == "04/02/2027"
    assert en.date(date(2027, 2, 4)) == "04/02/2027"  # en_GB: the day first, as in the emails
    assert fr.moment(datetime(2026, 10, 20, 14, 0, tzinfo=UTC)) == "20/10/2026 16:00"  # Paris, summer time
    assert fr.money(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert en.money(Decimal("1234.5")) == "€1,234.50"
    assert en.moment(datetime(2026, 10, 20, 14, 0, tzinfo=UTC)) == "20/10/2026, 16:00"
    assert fr.percent(Decimal("53")) == "53\u00a0%"
    assert fr.money(None) == en.date(None) == "—"
