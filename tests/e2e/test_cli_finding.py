"""`contract-flow case list --search` finds cases by name or email, accents and capitals ignored (issue 15,
item 4), as the pages and the API do."""

from __future__ import annotations

import json

from tests.e2e.test_cli import cf, cfa, database  # noqa: F401 (the fixtures)


def test_case_list_searches_names_and_emails_whatever_the_accents(cfa: None) -> None:  # noqa: F811
    for first, last, email in (("Inès", "Leroy", "ines.leroy@example.org"), ("Léa", "Martin", "lm@example.org")):
        cf("case", "open", "--programme", "mecatronique", "--first-name", first, "--last-name", last,
           "--birth-date", "2004-05-12", "--email", email, "--json")
    listed = json.loads(cf("case", "list", "--search", "INES", "--json"))
    assert [(c["first_name"], c["last_name"]) for c in listed] == [("Inès", "Leroy")]
    assert [c["email"] for c in json.loads(cf("case", "list", "-q", "lea martin", "--json"))] == ["lm@example.org"]
    assert json.loads(cf("case", "list", "--search", "léa", "--state", "apply", "--json")) == []
    table = cf("case", "list", "--search", "leroy")
    assert "Inès Leroy" in table
    assert "Martin" not in table
    refused = cf("case", "list", "--search", "x" * 101, code=2)  # bad input, as every InvalidInput
    assert "q : une recherche fait au plus 100 caractères" in refused
