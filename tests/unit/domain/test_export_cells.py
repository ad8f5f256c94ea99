"""A cell of an exported list is never run as a formula (domain.exports.neutralised, OWASP «CSV Injection»): a text
starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a quote before it; any other text is unchanged."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contract_flow.domain.exports import FORMULA_STARTS, QUOTE, neutralised


@given(st.text())
@example("=1+1")
@example("\t=cmd|' /C calc'!A0")
@example("\r@SUM(A1:A2)")
@example("")
@example("'=déjà cité")
def test_a_cell_never_starts_as_a_formula_and_keeps_its_whole_text(value: str) -> None:
    cell = neutralised(value)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell.removeprefix(QUOTE) == value or cell == value
    if value.startswith(FORMULA_STARTS):
        assert cell == QUOTE + value
    else:
        assert cell == value


@given(st.sampled_from(FORMULA_STARTS), st.text())
def test_every_formula_start_is_quoted(start: str, rest: str) -> None:
    assert neutralised(start + rest) == QUOTE + start + rest


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-Durand", "'-Durand"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Inès Dupont", "Inès Dupont"),
    ("jean-luc@example.org", "jean-luc@example.org"),
    (" =1", " =1"),  # a space first: every spreadsheet reads it as text
])
def test_the_owasp_cases(value: str, expected: str) -> None:
    assert neutralised(value) == expected
