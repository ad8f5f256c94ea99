"""The school calendars tests give the programmes they create: without one, no contract can be signed (issue 10).

`mecatronique` gets the brochure's calendar (configs/programmes/mecatronique.toml); any other programme gets
`OTHER_CFA`, made up for the tests: company time until Friday 23 October 2026, then a fortnight at school
every five or six weeks. A contract starting 1 September 2026 therefore ends its trial on Tuesday 17 November
2026: 22 company days in September, 17 until 23 October, the school fortnight, then 6 more (11 November is a
public holiday).
"""

from __future__ import annotations

from datetime import date

from contract_flow.domain.rules import DateRange, ProgrammeCalendar
from contract_flow.rulefiles import PROGRAMMES_DIR, load_programme_calendar

#: The brochure's calendar file, for the CLI (`programme add --calendar`, `programme calendar`).
BROCHURE_FILE = PROGRAMMES_DIR / "mecatronique.toml"
MECATRONIQUE = load_programme_calendar(BROCHURE_FILE)

OTHER_CFA = ProgrammeCalendar(tuple(DateRange(first, last) for first, last in (
    (date(2026, 10, 26), date(2026, 11, 6)),
    (date(2026, 12, 7), date(2026, 12, 18)),
    (date(2027, 1, 18), date(2027, 1, 29)),
    (date(2027, 3, 1), date(2027, 3, 12)),
    (date(2027, 4, 12), date(2027, 4, 23)),
    (date(2027, 6, 7), date(2027, 6, 18)),
)))
#: OTHER_CFA as a file would write it, for the CLI.
OTHER_CFA_TOML = "".join(f'[[school]]\nfrom = "{period.first}"\nto = "{period.last}"\n\n'
                         for period in OTHER_CFA.school)


def calendar_for(code: str) -> ProgrammeCalendar:
    """The calendar a test programme gets: the brochure's for mecatronique, OTHER_CFA for any other."""
    return MECATRONIQUE if code.lower() == "mecatronique" else OTHER_CFA
