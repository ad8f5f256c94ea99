"""The CLI's help in French by default and in English with `--lang en` (issue 15, item 6): every command's and
option's help has its French in cli/help_fr.json (a help changed in the code without it fails here), none is
kept there for a help that no longer exists, and `contract-flow --help` as people run it reads French."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from contract_flow.cli import app
from contract_flow.cli.help_words import french, helps, language_asked

#: Help texts that read the same in both languages: codes and formats.
SAME_IN_BOTH = frozenset({"start_applying, shortlist, receive_offer, ...", "YYYY-MM-DD."})


def _tree() -> list[tuple[str, str]]:
    return [(where, text) for where, _, text in helps(typer.main.get_command(app))]


def test_every_command_and_option_has_its_help_in_french() -> None:
    words = french()
    missing = sorted({where for where, text in _tree() if text not in words})
    assert missing == [], f"no French in src/contract_flow/cli/help_fr.json for: {missing}"
    untranslated = sorted({where for where, text in _tree() if words[text] == text and text not in SAME_IN_BOTH})
    assert untranslated == [], untranslated


def test_no_french_is_kept_for_a_help_the_code_no_longer_has() -> None:
    used = {text for _, text in _tree()}
    assert sorted(set(french()) - used) == []


@pytest.mark.parametrize(("argv", "language"), [
    ([], "fr"), (["--help"], "fr"), (["--lang", "en", "--help"], "en"), (["--lang=en", "board"], "en"),
    (["invoices", "list", "--lang", "en", "--help"], "en"), (["--lang", "en", "todo", "--lang", "fr"], "fr"),
    (["--lang", "de", "--help"], "fr"), (["--lang"], "fr"), (["case", "set", "--", "--lang", "en"], "fr"),
])
def test_the_help_s_language_is_the_last_one_the_command_line_asks_for(argv: list[str], language: str) -> None:
    assert language_asked(argv) == language


def _help(*argv: str) -> str:
    run = subprocess.run([sys.executable, "-c", "from contract_flow.cli import main; main()", *argv],
                         capture_output=True, text=True, timeout=120, check=False,
                         env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_the_command_as_people_run_it_explains_itself_in_french_unless_asked_otherwise() -> None:
    french_root = _help("--help")
    assert "Commandes" in french_root
    assert french()[typer.main.get_command(app).help] in " ".join(french_root.split())
    assert "Commands" not in french_root
    assert "Afficher cette aide et quitter." in french_root
    assert "Show this message" not in french_root
    english_root = _help("--lang", "en", "--help")
    assert "Commands" in english_root
    assert "apprenticeship cases from the first reflection" in english_root

    month = next(text for where, text in _tree() if where == "invoices list --month")
    french_list = " ".join(_help("invoices", "list", "--help").split())
    assert " ".join(french()[month].split()) in french_list
    assert " ".join(month.split()) not in french_list
    assert " ".join(month.split()) in " ".join(_help("invoices", "list", "--lang", "en", "--help").split())
