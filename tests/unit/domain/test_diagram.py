"""The Mermaid chart is drawn from TRANSITIONS, and docs/state-chart.md is the current drawing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contract_flow.domain.diagram import document, mermaid
from contract_flow.domain.states import TRANSITIONS, CaseState

DOC = Path(__file__).resolve().parents[3] / "docs" / "state-chart.md"
REGENERATE = "run `make diagram` (`contract-flow diagram --markdown > docs/state-chart.md`) and commit the result"
_ARROW = re.compile(r"^\s*(\w+) --> (\w+): (\w+)\s*$")


def arrows(source: str) -> list[tuple[str, str, str]]:
    return [(m[1], m[2], m[3]) for line in source.splitlines() if (m := _ARROW.match(line))]


def mermaid_block(markdown: str) -> str:
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"{DOC.name} must hold exactly one ```mermaid block, found {len(blocks)}"
    return blocks[0]


def test_the_chart_is_a_mermaid_state_diagram_starting_at_reflect() -> None:
    source = mermaid()
    assert "stateDiagram-v2" in source
    assert "  [*] --> reflect" in source.splitlines()
    assert source.endswith("\n")


@pytest.mark.parametrize("state", list(CaseState))
def test_the_chart_draws_every_state(state: CaseState) -> None:
    assert f'state "{state}" as {state}' in [line.strip() for line in mermaid().splitlines()]


def test_the_chart_has_one_arrow_per_source_and_trigger_of_the_table_and_no_other() -> None:
    expected = sorted((source.value, spec.dest.value, spec.trigger.value)
                      for spec in TRANSITIONS for source in spec.sources)
    assert sorted(arrows(mermaid())) == expected


def test_without_a_case_every_state_is_drawn_alike() -> None:
    classes = [line.strip() for line in mermaid().splitlines() if line.strip().startswith("Class ")]
    assert classes == [f"Class {state} s_default" for state in CaseState]


def test_with_a_case_its_state_is_drawn_as_current() -> None:
    lines = [line.strip() for line in mermaid(CaseState.TRIAL).splitlines()]
    assert "Class trial s_active" in lines
    assert "Class reflect s_default" in lines


def test_the_chart_is_the_same_every_time() -> None:
    assert mermaid() == mermaid()


def test_the_state_chart_page_holds_the_current_chart() -> None:
    """The page is generated: a change of TRANSITIONS without regenerating it fails here."""
    assert DOC.is_file(), f"{DOC} is missing: {REGENERATE}"
    text = DOC.read_text(encoding="utf-8")
    assert mermaid_block(text) == mermaid(), f"{DOC.name} shows an old state chart: {REGENERATE}"
    assert text == document(), f"{DOC.name} differs from `contract-flow diagram --markdown`: {REGENERATE}"


def test_the_state_chart_page_says_how_it_is_made_and_checked() -> None:
    text = document()
    assert "contract-flow diagram" in text
    assert "tests/unit/domain/test_diagram.py" in text
    assert text.startswith("# ")


def test_the_page_check_notices_a_changed_chart() -> None:
    stale = document().replace("  sign --> signed: sign\n", "")
    assert mermaid_block(stale) != mermaid()
