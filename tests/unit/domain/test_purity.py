"""The domain is pure (STYLE.md, rule 1): no framework, database, queue or file access under domain/.

The import-linter contract `domain-pure` (pyproject.toml, run by `make lint` and tests/unit/test_codestyle.py)
forbids by name the frameworks, the application around the domain and the modules that reach files, processes
and sockets. What a contract cannot say is checked here: that the domain's third-party imports are only the pure
libraries allowed (an allow-list: a package added tomorrow is refused until it is named here), and that no
domain module opens a file by calling `open()` or a path's `read_text()`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp
import pytest

import contract_flow.domain

DOMAIN = Path(contract_flow.domain.__file__).parent
MODULES = sorted(DOMAIN.rglob("*.py"))
#: Pure libraries: public holidays (holidays), identifiers' check digits (python-stdnum), the state machine
#: (transitions). Nothing else outside the standard library.
ALLOWED_THIRD_PARTY = frozenset({"holidays", "stdnum", "transitions"})


def third_party_imports() -> dict[str, set[str]]:
    """Each domain module's imports that are neither the standard library nor contract_flow, by top-level name
    (grimp, import-linter's graph: imports at any depth, in functions and TYPE_CHECKING blocks too)."""
    graph = grimp.build_graph("contract_flow", include_external_packages=True, cache_dir=None)
    found: dict[str, set[str]] = {}
    for module in graph.find_descendants("contract_flow.domain") | {"contract_flow.domain"}:
        names = {imported.partition(".")[0] for imported in graph.find_modules_directly_imported_by(module)}
        outside = names - sys.stdlib_module_names - {"contract_flow"}
        if outside:
            found[module] = outside
    return found


def open_calls(source: str) -> list[str]:
    """`open(...)`, `io.open(...)`, `path.open(...)`, `read_text()` and friends."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in {"open", "read_text", "read_bytes", "write_text", "write_bytes"}:
            found.append((node.lineno, name))
    return [f"line {line}: {name}(...)" for line, name in sorted(found)]


def _name(path: Path) -> str:
    return str(path.relative_to(DOMAIN.parent.parent))


def test_the_domain_has_modules_to_check() -> None:
    assert DOMAIN.name == "domain"
    assert {"states.py", "machine.py", "guards.py", "facts.py"} <= {p.name for p in MODULES}
    assert any(p.parent.name == "rules" for p in MODULES)


def test_the_domain_uses_no_third_party_package_but_the_pure_libraries_allowed() -> None:
    found = third_party_imports()
    refused = {module: sorted(names - ALLOWED_THIRD_PARTY) for module, names in found.items()
               if names - ALLOWED_THIRD_PARTY}
    assert not refused, f"the domain must stay pure (STYLE.md rule 1), only {sorted(ALLOWED_THIRD_PARTY)}: {refused}"
    # the check sees what the domain uses today: it cannot pass by seeing nothing
    assert set().union(*found.values()) == ALLOWED_THIRD_PARTY


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_domain_module_opens_a_file(path: Path) -> None:
    found = open_calls(path.read_text(encoding="utf-8"))
    assert not found, (f"{_name(path)} must not read files (contract_flow.rulefiles does) but has: "
                       + "; ".join(found))


def test_the_file_check_sees_open_and_path_reads() -> None:
    source = "import pathlib\nwith open('x') as f:\n    pass\npathlib.Path('y').read_text()\n"
    assert open_calls(source) == ["line 2: open(...)", "line 4: read_text(...)"]
