"""Whatever comes in (NUL, controls, huge numbers, far dates, values of any JSON type, unknown keys), a section's
parser gives a section or refuses with InvalidInput naming a field of that section; nothing else escapes. And any
section it gives reads back from its data."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.dossier import FORM, Section, check, missing, parse_section, section_data
from contract_flow.domain.dossier.form import MAX_MENTORS, MAX_PAY_LINES
from contract_flow.domain.dossier.model import Dossier
from contract_flow.domain.errors import InvalidInput
from tests.unit.dossier.conftest import dossier_data, legal_rules, make_case

#: Texts that look like the values people type, and what breaks parsers: NUL, controls, bidi overrides, digits of
#: other scripts, exponents, thousands of digits.
ODD_TEXTS = st.sampled_from(["", " ", "\x00", "1\x00", "\u202e35", "٣٥", "1e999999999", "-0", "NaN", "Infinity",
                             "9" * 5000, "2026-02-30", "0001-01-01", "9999-12-31", "+33", "RNCP", "2A", "oui",
                             "١٢٣٤٥٦٧٨٩٠١٢٣٤٥", "00", "yes", "SMC", "28.99B", "02B202212000000"])
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(), st.datetimes(), st.text(max_size=40), ODD_TEXTS, st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)


def keys(section: Section) -> list[str]:
    own = [spec.key for spec in FORM[section]]
    if section is Section.MENTORS:
        return [f"{number}.{key}" for number in range(1, MAX_MENTORS + 2) for key in own]
    if section is Section.PAY:
        return [f"{number}.{key}" for number in (1, 2, 3, MAX_PAY_LINES, MAX_PAY_LINES + 1) for key in own]
    return own


@st.composite
def section_inputs(draw: st.DrawFn) -> tuple[Section, dict[str, object]]:
    section = draw(st.sampled_from(list(Section)))
    complete = dossier_data()[section.value]
    known = st.sampled_from(keys(section))
    data: dict[str, object] = dict(complete) if draw(st.booleans()) else {}
    data.update(draw(st.dictionaries(st.one_of(known, known, st.text(max_size=8)), VALUES, max_size=6)))
    return section, data


@settings(derandomize=True, database=None, max_examples=800, deadline=None)
@given(section_inputs())
def test_a_parser_gives_a_section_or_refuses_naming_one_of_its_fields(drawn: tuple[Section, dict[str, object]]
                                                                      ) -> None:
    section, data = drawn
    try:
        value = parse_section(section, data)
    except InvalidInput as refused:
        named = refused.field
    else:
        named = None
    if named is not None:
        assert named.startswith(f"{section.value}.") or named == section.value
        return
    assert parse_section(section, section_data(section, value)) == value
    missing(section, value)  # never raises either


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(section_inputs())
def test_check_answers_any_dossier_with_refusals(drawn: tuple[Section, dict[str, object]]) -> None:
    """A dossier whose one section is anything parsable is checked without an error (the rest is complete)."""
    section, data = drawn
    try:
        value = parse_section(section, data)
    except InvalidInput:
        return
    base = Dossier()
    for name, complete in dossier_data().items():
        base = base.with_section(Section(name), parse_section(name, complete))
    dossier = base.with_section(section, value)
    birth = dossier.apprentice.birth_date or date(2004, 5, 17)
    check(dossier, make_case(birth_date=birth), legal_rules())

