"""Rule files for tests: the shipped configs/rules/fr.toml as it was before the SMIC of 1 June 2026."""

from __future__ import annotations

from pathlib import Path

from contract_flow.rulefiles import DEFAULT_RULES_FILE

JUNE_2026 = '[[smic]]\neffective_from = "2026-06-01"\n'


def rules_without_june_2026(directory: Path) -> Path:
    """fr.toml without its 2026-06-01 [[smic]] entry, the 2026-01-01 one open-ended again: a rule set that
    missed the revaluation of the arrêté du 22 mai 2026 (1 867,02 €)."""
    text = DEFAULT_RULES_FILE.read_text(encoding="utf-8")
    start = text.index(JUNE_2026)
    end = text.index("\n\n", start) + 2
    lagging = (text[:start] + text[end:]).replace(
        'effective_from = "2026-01-01"\nuntil = "2026-05-31"\n', 'effective_from = "2026-01-01"\n')
    assert JUNE_2026 not in lagging, "fr.toml changed shape"
    assert 'until = "2026-05-31"' not in lagging, "fr.toml changed shape"
    path = directory / "fr-lagging.toml"
    path.write_text(lagging, encoding="utf-8")
    return path


#: Next January's décret, as an operator would add it (made up for the tests): 12,53 €/h.
NEXT_SMIC = '''[[smic]]
effective_from = "2027-01-01"
monthly_gross = "1900.00"
source = "Décret n° 2026-9999 du 17 décembre 2026 (test entry: 12,53 €/h)"

'''


def rules_with_next_smic(directory: Path) -> Path:
    """fr.toml with a SMIC of 1 900 € from 1 January 2027 after the June 2026 one (which gets its `until`)."""
    text = DEFAULT_RULES_FILE.read_text(encoding="utf-8")
    assert JUNE_2026 in text, "fr.toml changed shape"
    text = text.replace(JUNE_2026, JUNE_2026 + 'until = "2026-12-31"\n', 1)
    marker = "# --- Minimum pay"
    assert marker in text, "fr.toml changed shape"
    path = directory / "fr-next-year.toml"
    path.write_text(text.replace(marker, NEXT_SMIC + marker, 1), encoding="utf-8")
    return path
