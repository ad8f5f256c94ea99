"""Each detail of the cases at risk (services/risk_query.DETAILS, by code) is worded wherever people read it: the
page's catalogues in French and English, the exports' French. A detail added to the query without its words fails
here, not on a French page that would show a code."""

from __future__ import annotations

import pytest

from contract_flow import export_words
from contract_flow.services.risk_query import DETAILS, detail_text
from contract_flow.web.i18n import catalogue


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_words_every_detail(language: str) -> None:
    words = catalogue(language)
    assert {code for code in DETAILS if f"risk.details.{code}" not in words} == set()


def test_the_exports_word_every_detail_in_french_and_nothing_else() -> None:
    assert set(export_words.RISK_DETAILS["fr"]) == set(DETAILS)


def test_a_detail_reads_in_english_with_its_days_and_in_french_from_its_code() -> None:
    assert detail_text("stale", 21) == "no move for 21 days or more"
    english = detail_text("opco", 21)
    assert export_words.risk_detail("opco", english, "en", 21) == "OPCO filing due (D6224-1)"
    assert export_words.risk_detail("stale", detail_text("stale", 21), "fr", 21) == (
        "Aucun mouvement depuis 21 jours ou plus")
